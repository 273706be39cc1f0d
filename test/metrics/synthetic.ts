import type { FluxCrd, FluxObject, Inventory } from '../../src/inventory/index.js';

/** The kinds of a current Flux install, as labelled CRDs would declare them. */
export const FLUX_KINDS: { group: string; version: string; kind: string; plural: string }[] = [
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', plural: 'gitrepositories' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'OCIRepository', plural: 'ocirepositories' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmRepository', plural: 'helmrepositories' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmChart', plural: 'helmcharts' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'Bucket', plural: 'buckets' },
  { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', plural: 'kustomizations' },
  { group: 'helm.toolkit.fluxcd.io', version: 'v2', kind: 'HelmRelease', plural: 'helmreleases' },
  { group: 'notification.toolkit.fluxcd.io', version: 'v1beta3', kind: 'Alert', plural: 'alerts' },
  { group: 'notification.toolkit.fluxcd.io', version: 'v1beta3', kind: 'Provider', plural: 'providers' },
  { group: 'notification.toolkit.fluxcd.io', version: 'v1', kind: 'Receiver', plural: 'receivers' },
  { group: 'image.toolkit.fluxcd.io', version: 'v1', kind: 'ImageRepository', plural: 'imagerepositories' },
  { group: 'image.toolkit.fluxcd.io', version: 'v1', kind: 'ImagePolicy', plural: 'imagepolicies' },
  {
    group: 'image.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'ImageUpdateAutomation',
    plural: 'imageupdateautomations',
  },
];

export function fluxCrds(labels: Record<string, string> = {}): FluxCrd[] {
  return FLUX_KINDS.map((k) => ({
    name: `${k.plural}.${k.group}`,
    group: k.group,
    kind: k.kind,
    plural: k.plural,
    storedVersions: [k.version],
    servedVersions: [k.version],
    labels: { 'app.kubernetes.io/part-of': 'flux', ...labels },
  }));
}

/**
 * A deterministic Inventory with `n` Flux objects spread over all kinds and 50 namespaces; about
 * 5% failing, 2% suspended, sources carry artifacts. Used by the benchmark and scaling tests.
 */
export function syntheticInventory(n: number): Inventory {
  const objects: FluxObject[] = [];
  for (let i = 0; i < n; i++) {
    const k = FLUX_KINDS[i % FLUX_KINDS.length]!;
    const failing = i % 20 === 7;
    const obj: FluxObject = {
      kind: k.kind,
      apiVersion: `${k.group}/${k.version}`,
      namespace: `team-${i % 50}`,
      name: `app-${i}`,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      creationTimestamp: '2026-01-01T00:00:00Z',
      generation: 1,
      reconcileDisabled: { inLabels: false, inAnnotations: false },
      spec: {
        suspend: i % 50 === 3,
        url: k.group.startsWith('source') ? `https://example.com/repo-${i}.git` : undefined,
        path: k.kind === 'Kustomization' ? `./apps/app-${i}` : undefined,
        sourceRef: { kind: 'GitRepository', name: `repo-${i % 100}` },
        ref: k.kind === 'GitRepository' ? { branch: 'main' } : undefined,
      },
      status: {
        observedGeneration: 1,
        artifact: k.group.startsWith('source')
          ? { revision: `main@sha1:${String(i).padStart(40, '0')}`, size: 1000 + i }
          : undefined,
        lastAppliedRevision: `main@sha1:${String(i).padStart(40, '0')}`,
      },
      conditions: [
        {
          type: 'Ready',
          status: failing ? 'False' : 'True',
          reason: failing ? 'BuildFailed' : 'ReconciliationSucceeded',
          message: failing ? 'kustomize build failed: accumulating resources' : 'Applied revision: main',
          lastTransitionTime: '2026-01-02T00:00:00Z',
        },
      ],
    };
    objects.push(obj);
  }
  return {
    source: { type: 'snapshot', file: 'synthetic' },
    collectedAt: '2026-11-21T12:00:00Z',
    namespace: 'flux-system',
    cluster: { serverVersion: 'v1.33.0', platform: 'linux/amd64', nodes: 3 },
    crds: fluxCrds(),
    kinds: FLUX_KINDS.map((k) => ({ ...k, operator: false, state: 'listed' as const, count: 0 })),
    objects,
    deployments: [],
    events: [],
    warnings: [],
  };
}
