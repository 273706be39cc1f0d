import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  redactDeployment,
  redactFluxObject,
  redactText,
  redactUrl,
} from '../../src/cluster/redact.js';

describe('redactUrl', () => {
  it.each([
    ['https://github.com/acme/fleet', 'https://github.com/acme/fleet'],
    ['https://admin:hunter2@github.com/acme/fleet.git', 'https://github.com/acme/fleet.git'],
    ['https://ghp_0123456789abcdef@github.com/acme/fleet', 'https://github.com/acme/fleet'],
    ['ssh://git@github.com/acme/fleet', 'ssh://git@github.com/acme/fleet'],
    ['ssh://git:pw@github.com/acme/fleet', 'ssh://github.com/acme/fleet'],
    ['https://host:6443/?token=abc&x=1', `https://host:6443/?token=${REDACTED}&x=1`],
    [
      'https://acct.blob.core.windows.net/c?sv=2020&sig=AbC%2F&se=2026',
      `https://acct.blob.core.windows.net/c?sv=${REDACTED}&sig=${REDACTED}&se=${REDACTED}`,
    ],
    [
      'https://s3.amazonaws.com/b/o?X-Amz-Credential=AKIA&X-Amz-Signature=ff#frag',
      `https://s3.amazonaws.com/b/o?X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}#frag`,
    ],
    ['oci://ghcr.io/acme/charts', 'oci://ghcr.io/acme/charts'],
    ['git@github.com:acme/fleet.git', 'git@github.com:acme/fleet.git'],
  ])('%s → %s', (input, want) => {
    expect(redactUrl(input)).toBe(want);
  });

  it('redacts every URL inside a message and leaves the rest of the text alone', () => {
    expect(
      redactText(
        "failed to checkout 'https://bot:s3cr3t@git.example.com/repo.git': auth failed; retrying https://x.io/?password=p",
      ),
    ).toBe(
      `failed to checkout 'https://git.example.com/repo.git': auth failed; retrying https://x.io/?password=${REDACTED}`,
    );
  });
});

describe('what a snapshot keeps of an object', () => {
  it('a HelmRelease loses its values, valuesFrom targets stay out, post-renderers and the applied copy', () => {
    const hr = redactFluxObject({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: {
        name: 'app',
        namespace: 'apps',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{"values":{"password":"p4ss"}}}',
          'reconcile.fluxcd.io/requestedAt': 'now',
        },
        ...{ managedFields: [{ manager: 'x' }] },
      },
      spec: {
        interval: '5m',
        values: { password: 'p4ss' },
        postRenderers: [{ kustomize: { patches: [{ patch: 'token: t0k' }] } }],
        chart: { spec: { chart: 'app', version: '1.x', sourceRef: { kind: 'HelmRepository', name: 'r' } } },
        dependsOn: [{ name: 'infra' }],
      },
      status: { lastAttemptedRevision: '1.2.3' },
    });
    expect(hr).toEqual({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'app', namespace: 'apps', annotations: { 'reconcile.fluxcd.io/requestedAt': 'now' } },
      spec: {
        interval: '5m',
        dependsOn: [{ name: 'infra' }],
        chart: { spec: { chart: 'app', version: '1.x', sourceRef: { kind: 'HelmRepository', name: 'r' } } },
      },
      status: { lastAttemptedRevision: '1.2.3' },
    });
  });

  it('a Kustomization loses postBuild and patches; a GitRepository keeps a URL without credentials', () => {
    const ks = redactFluxObject({
      kind: 'Kustomization',
      metadata: { name: 'k' },
      spec: { path: './apps', postBuild: { substitute: { DB_PASSWORD: 'x' } }, patches: [{ patch: 'p' }] },
    });
    expect(ks.spec).toEqual({ path: './apps' });
    const git = redactFluxObject({
      kind: 'GitRepository',
      metadata: { name: 'g' },
      spec: { url: 'https://u:tok@git.example.com/r', ref: { branch: 'main' }, secretRef: { name: 's' } },
      status: { conditions: [{ type: 'Ready', message: 'cloning https://u:tok@git.example.com/r failed' }] },
    });
    expect(git.spec).toEqual({ url: 'https://git.example.com/r', ref: { branch: 'main' } });
    expect(JSON.stringify(git)).not.toContain('tok');
  });

  it('a controller Deployment keeps replicas, images and status, not env or args', () => {
    const d = redactDeployment({
      kind: 'Deployment',
      metadata: { name: 'source-controller', namespace: 'flux-system' },
      spec: {
        replicas: 1,
        template: {
          metadata: { labels: { app: 'source-controller' } },
          spec: {
            containers: [
              {
                name: 'manager',
                image: 'ghcr.io/fluxcd/source-controller:v1.7.3',
                env: [{ name: 'T', value: 'secret' }],
                args: ['--token=x'],
              },
            ],
          },
        },
      },
      status: { readyReplicas: 1 },
    });
    expect(JSON.stringify(d)).not.toMatch(/secret|--token/);
    expect(d.spec).toEqual({
      replicas: 1,
      template: {
        metadata: { labels: { app: 'source-controller' } },
        spec: { containers: [{ name: 'manager', image: 'ghcr.io/fluxcd/source-controller:v1.7.3' }] },
      },
    });
  });
});
