import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSnapshotText, SnapshotError } from '../../src/snapshot/read.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

describe('readSnapshotText', () => {
  const inv = readSnapshotText(fixture('small.yaml'), { file: 'small.yaml' });

  it('discovers kinds from labelled CRDs at the last stored version, plus operator kinds with a CRD', () => {
    expect(inv.kinds.map((k) => `${k.group}/${k.version}/${k.kind}:${k.state}:${k.count}`)).toEqual([
      'kustomize.toolkit.fluxcd.io/v1/Kustomization:listed:1',
      'fluxcd.controlplane.io/v1/FluxInstance:listed:0',
    ]);
    expect(inv.crds.map((c) => c.name)).toEqual(['kustomizations.kustomize.toolkit.fluxcd.io']);
  });

  it('keeps a compact record with the fields later stages read', () => {
    expect(inv.objects).toEqual([
      {
        kind: 'Kustomization',
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        namespace: 'flux-system',
        name: 'apps',
        uid: '7d3c1a4e-0000-4000-8000-000000000001',
        creationTimestamp: '2026-11-20T10:00:00Z',
        generation: 3,
        reconcileDisabled: { inLabels: false, inAnnotations: false },
        spec: {
          suspend: false,
          interval: '10m',
          path: './apps',
          sourceRef: { kind: 'GitRepository', name: 'flux-system' },
          dependsOn: [{ name: 'infra' }],
        },
        status: {
          observedGeneration: 3,
          lastAppliedRevision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
          lastAttemptedRevision: 'main@sha1:89abcdef0123456789abcdef0123456789abcdef',
        },
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'HealthCheckFailed',
            message: 'Deployment/apps/web not ready',
            lastTransitionTime: '2026-11-21T11:50:00Z',
          },
        ],
      },
    ]);
  });

  it('reads cluster facts, nodes, deployments and only Warning events of objects not ready', () => {
    expect(inv.cluster).toEqual({ serverVersion: 'v1.33.13', platform: 'linux/amd64', nodes: 1 });
    expect(inv.collectedAt).toBe('2026-11-21T12:00:00Z');
    expect(inv.deployments.map((d) => `${d.name} ${d.image}`)).toEqual([
      'kustomize-controller ghcr.io/fluxcd/kustomize-controller:v1.7.2',
    ]);
    expect(inv.events).toHaveLength(1);
    expect(inv.events[0]).toMatchObject({
      reason: 'HealthCheckFailed',
      count: 4,
      timestamp: '2026-11-21T11:58:00Z',
    });
  });

  it('never keeps a Secret, and says it ignored one', () => {
    expect(JSON.stringify(inv)).not.toContain('c2VjcmV0');
    expect(inv.warnings).toContain('ignored 1 Secret object(s): snapshots never carry secrets');
  });

  it('gives the same inventory whatever the document order', () => {
    const docs = fixture('small.yaml').split(/^---$/m);
    const reversed = readSnapshotText(docs.reverse().join('\n---\n'), { file: 'small.yaml' });
    expect(reversed).toEqual(inv);
  });

  it('reads a JSON List with raw API list items', () => {
    const json = JSON.stringify({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'KustomizationList',
      items: [{ metadata: { name: 'a', namespace: 'x', uid: 'u' }, spec: { suspend: true } }],
    });
    const res = readSnapshotText(json, { file: 'l.json', now: new Date('2026-01-01T00:00:00Z') });
    expect(res.objects.map((o) => `${o.kind}/${o.name}:${o.spec.suspend}`)).toEqual(['Kustomization/a:true']);
    expect(res.warnings.some((w) => w.includes('no Flux CRDs'))).toBe(true);
    expect(res.cluster.serverVersion).toBeUndefined();
  });

  it.each([
    ['a: [1, 2\nb: 3\n', /^bad\.yaml:\d+:\d+: invalid YAML: /],
    ['{"kind": ', /^bad\.yaml: invalid JSON: /],
  ])('reports malformed input with its position: %j', (text, re) => {
    expect(() => readSnapshotText(text, { file: 'bad.yaml' })).toThrow(SnapshotError);
    expect(() => readSnapshotText(text, { file: 'bad.yaml' })).toThrow(re);
  });
});
