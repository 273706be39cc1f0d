// The test control plane itself: a real kube-apiserver of the built version, the Flux 2.7 CRDs
// as a Flux install labels them, status subresources, and the identities tests rely on.
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import { createCa, issueCert } from '../envtest/certs.js';
import {
  adminClients,
  clientsFor,
  condition,
  createDeployment,
  createFluxObject,
  createNode,
  createWarningEvent,
  limitedClients,
  loadKubeConfig,
  mintKubeconfig,
  rawRequest,
  uniqueNamespace,
} from '../support/cluster.js';

// Every kind Flux v2.7 installs: [group, plural, storage version, served versions].
const FLUX_27_KINDS: readonly [string, string, string, string[]][] = [
  ['source.toolkit.fluxcd.io', 'gitrepositories', 'v1', ['v1', 'v1beta2']],
  ['source.toolkit.fluxcd.io', 'ocirepositories', 'v1', ['v1', 'v1beta2']],
  ['source.toolkit.fluxcd.io', 'buckets', 'v1', ['v1', 'v1beta2']],
  ['source.toolkit.fluxcd.io', 'helmrepositories', 'v1', ['v1', 'v1beta2']],
  ['source.toolkit.fluxcd.io', 'helmcharts', 'v1', ['v1', 'v1beta2']],
  ['source.toolkit.fluxcd.io', 'externalartifacts', 'v1', ['v1']],
  ['kustomize.toolkit.fluxcd.io', 'kustomizations', 'v1', ['v1', 'v1beta2']],
  ['helm.toolkit.fluxcd.io', 'helmreleases', 'v2', ['v2', 'v2beta2']],
  ['notification.toolkit.fluxcd.io', 'alerts', 'v1beta3', ['v1beta2', 'v1beta3']],
  ['notification.toolkit.fluxcd.io', 'providers', 'v1beta3', ['v1beta2', 'v1beta3']],
  ['notification.toolkit.fluxcd.io', 'receivers', 'v1', ['v1', 'v1beta2']],
  ['image.toolkit.fluxcd.io', 'imagerepositories', 'v1', ['v1', 'v1beta2']],
  ['image.toolkit.fluxcd.io', 'imagepolicies', 'v1', ['v1', 'v1beta2']],
  ['image.toolkit.fluxcd.io', 'imageupdateautomations', 'v1', ['v1', 'v1beta2']],
];

const COMPONENT: Record<string, string> = {
  imagerepositories: 'image-reflector-controller',
  imagepolicies: 'image-reflector-controller',
  imageupdateautomations: 'image-automation-controller',
};
function componentOf(group: string, plural: string): string {
  return COMPONENT[plural] ?? `${group.split('.')[0] ?? ''}-controller`;
}

/** Status code of a GET made with the given TLS client material (or none). */
function statusWith(
  path: string,
  tls: { ca: string; cert?: string; key?: string; headers?: Record<string, string> },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, inject('server')), { ...tls, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('test control plane', () => {
  it('answers /version with the kube-apiserver version that was built', async () => {
    const versions = inject('controlPlaneVersions');
    const info = await adminClients().version.getCode();
    expect(info.gitVersion).toBe(versions.kubernetes);
    expect(versions.kubernetes).toMatch(/^v1\.\d+\.\d+$/);
    expect(info.minor).toBe(versions.kubernetes.split('.')[1]);
  });

  it('has every Flux 2.7 CRD installed, established, labelled as a Flux install, with storedVersions', async () => {
    const versions = inject('controlPlaneVersions');
    expect(versions.flux).toMatch(/^v2\.7\.\d+$/);
    const list = await adminClients().apiext.listCustomResourceDefinition({
      labelSelector: 'app.kubernetes.io/part-of=flux',
    });
    const byName = new Map<string, V1CustomResourceDefinition>(
      list.items.map((c) => [c.metadata?.name ?? '', c]),
    );
    expect([...byName.keys()].sort()).toEqual(FLUX_27_KINDS.map(([g, p]) => `${p}.${g}`).sort());
    for (const [group, plural, storage, served] of FLUX_27_KINDS) {
      const crd = byName.get(`${plural}.${group}`);
      expect(crd?.metadata?.labels).toEqual({
        'app.kubernetes.io/component': componentOf(group, plural),
        'app.kubernetes.io/instance': 'flux-system',
        'app.kubernetes.io/part-of': 'flux',
        'app.kubernetes.io/version': versions.flux,
      });
      expect(crd?.spec.scope).toBe('Namespaced');
      expect(
        crd?.spec.versions
          .filter((v) => v.served)
          .map((v) => v.name)
          .sort(),
      ).toEqual([...served].sort());
      expect(crd?.spec.versions.find((v) => v.storage)?.name).toBe(storage);
      expect(crd?.status?.storedVersions).toEqual([storage]);
      expect(crd?.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
    }
  });

  it('has the flux-operator CRDs, which are not labelled part of Flux', async () => {
    const list = await adminClients().apiext.listCustomResourceDefinition();
    const operator = list.items.filter((c) => c.spec.group === 'fluxcd.controlplane.io');
    expect(operator.map((c) => c.spec.names.kind).sort()).toEqual([
      'FluxInstance',
      'FluxReport',
      'ResourceSet',
      'ResourceSetInputProvider',
    ]);
    for (const crd of operator) {
      expect(crd.metadata?.labels?.['app.kubernetes.io/part-of']).toBeUndefined();
      expect(crd.status?.storedVersions).toEqual(['v1']);
    }
  });

  it('stores a Kustomization status written through the status subresource', async () => {
    const namespace = await uniqueNamespace('cp-status');
    const ready = condition(
      'Ready',
      'False',
      'BuildFailed',
      'kustomization path not found',
      new Date(Date.now() - 90_000),
    );
    const stored = await createFluxObject({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace },
      spec: {
        interval: '10m',
        path: './apps',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      },
      status: { observedGeneration: 1, lastAttemptedRevision: 'main@sha1:abc', conditions: [ready] },
    });
    expect(stored.metadata.uid).toBeTruthy();

    // Read back as a separate, limited client: what the Action would see.
    const read = (await limitedClients().custom.getNamespacedCustomObject({
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
      namespace,
      plural: 'kustomizations',
      name: 'apps',
    })) as {
      spec: Record<string, unknown>;
      status?: { conditions?: unknown[]; lastAttemptedRevision?: string };
    };
    expect(read.status?.conditions).toEqual([ready]);
    expect(read.status?.lastAttemptedRevision).toBe('main@sha1:abc');
    // Defaulting from the real schema ran, which a fake server would not do.
    expect(read.spec.force).toBe(false);
  });

  it('rejects a status field the schema does not know by pruning it', async () => {
    const namespace = await uniqueNamespace('cp-prune');
    const stored = await createFluxObject({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'flux-system', namespace },
      spec: { interval: '1m', url: 'https://github.com/example/fleet', ref: { branch: 'main' } },
      status: {
        observedGeneration: 1,
        notAFluxField: 'x',
        conditions: [condition('Ready', 'True', 'Succeeded', 'stored artifact')],
      },
    });
    expect(stored.status?.notAFluxField).toBeUndefined();
    expect(stored.status?.conditions).toHaveLength(1);
  });

  it('forbids HelmReleases to the limited identity and allows Kustomizations', async () => {
    const kc = limitedClients().kc;
    const forbidden = await rawRequest('/apis/helm.toolkit.fluxcd.io/v2/helmreleases', { kc });
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      message: expect.stringContaining('User "flux-health-limited" cannot list resource "helmreleases"'),
    });
    const allowed = await rawRequest('/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations', { kc });
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body)).toMatchObject({ kind: 'KustomizationList' });
    for (const path of [
      '/api/v1/nodes',
      '/api/v1/namespaces',
      '/apis/apps/v1/deployments',
      '/api/v1/events',
      '/version',
    ]) {
      expect((await rawRequest(path, { kc })).status, path).toBe(200);
    }
    // Only what the ClusterRole grants: secrets stay forbidden.
    expect((await rawRequest('/api/v1/secrets', { kc })).status).toBe(403);
  });

  it('answers 401 to a certificate from an unknown CA or a bad token, 403 to anonymous requests', async () => {
    const ca = inject('servingCaPem');
    const rogueDir = await mkdtemp(join(tmpdir(), 'flux-health-rogue-'));
    try {
      // Same subject as the admin, but issued by a CA the API server does not trust for clients.
      const rogueCa = await createCa(rogueDir, 'ca', 'rogue-ca');
      const rogue = await issueCert(rogueCa, 'admin', {
        commonName: 'flux-health-admin',
        organizations: ['system:masters'],
        usage: 'clientAuth',
      });
      expect(await statusWith('/api/v1/namespaces', { ca, cert: rogue.certPem, key: rogue.keyPem })).toBe(
        401,
      );
    } finally {
      await rm(rogueDir, { recursive: true, force: true });
    }
    expect(
      await statusWith('/api/v1/namespaces', { ca, headers: { Authorization: 'Bearer not-a-token' } }),
    ).toBe(401);
    expect(await statusWith('/api/v1/namespaces', { ca })).toBe(403);
    // The same request with the admin's certificate succeeds, so the codes above are about identity.
    expect((await rawRequest('/api/v1/namespaces')).status).toBe(200);
  });

  it('mints further identities whose permissions come only from RBAC', async () => {
    const kc = loadKubeConfig(await mintKubeconfig('someone-else', ['flux-health:nobody']));
    expect((await rawRequest('/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations', { kc })).status).toBe(
      403,
    );
    const review = await clientsFor(kc).authn.createSelfSubjectReview({ body: {} });
    expect(review.status?.userInfo?.username).toBe('someone-else');
    expect(review.status?.userInfo?.groups).toEqual(['flux-health:nobody', 'system:authenticated']);
  });

  it('lets tests stand in for the missing controllers: Deployment, Node and Event status', async () => {
    const namespace = await uniqueNamespace('cp-helpers');
    await createDeployment({ namespace, name: 'kustomize-controller', replicas: 2 });
    const nodeName = `node-${namespace}`;
    await createNode(nodeName);
    await createWarningEvent({
      namespace,
      involvedObject: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps' },
      reason: 'ReconciliationFailed',
      message: 'kustomization path not found',
    });

    const limited = limitedClients();
    const deployment = await limited.apps.readNamespacedDeployment({
      namespace,
      name: 'kustomize-controller',
    });
    expect(deployment.status?.readyReplicas).toBe(2);
    expect(deployment.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
    const node = await limited.core.readNode({ name: nodeName });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.status?.nodeInfo?.kubeletVersion).toBe(inject('controlPlaneVersions').kubernetes);
    const events = await limited.core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' });
    expect(events.items.map((e) => [e.reason, e.involvedObject.kind, e.source?.component])).toEqual([
      ['ReconciliationFailed', 'Kustomization', 'kustomize-controller'],
    ]);
  });
});
