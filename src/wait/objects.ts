/**
 * The kinds the wait mode follows and the record it keeps per object: the Inventory's compact
 * `FluxObject` (so the judge can also run over a snapshot) plus the few status fields only the
 * wait reads (which revision a HelmChart built from, the digest a HelmRelease attempted).
 */
import { compactFluxObject } from '../cluster/compact.js';
import { asString, field, type KubeObject } from '../cluster/kube-object.js';
import type { FluxObject } from '../inventory/index.js';

export interface WaitKind {
  kind: string;
  group: string;
  version: string;
  plural: string;
  /** `applier`: a Kustomization or HelmRelease; `source`: what they consume. */
  role: 'applier' | 'source';
}

const SOURCE_GROUP = 'source.toolkit.fluxcd.io';

/** Flux 2.7's storage versions; discovery replaces them with what the cluster stores. */
export const WAIT_KINDS: readonly WaitKind[] = [
  {
    kind: 'Kustomization',
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'kustomizations',
    role: 'applier',
  },
  {
    kind: 'HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    plural: 'helmreleases',
    role: 'applier',
  },
  { kind: 'GitRepository', group: SOURCE_GROUP, version: 'v1', plural: 'gitrepositories', role: 'source' },
  { kind: 'OCIRepository', group: SOURCE_GROUP, version: 'v1', plural: 'ocirepositories', role: 'source' },
  { kind: 'Bucket', group: SOURCE_GROUP, version: 'v1', plural: 'buckets', role: 'source' },
  { kind: 'HelmRepository', group: SOURCE_GROUP, version: 'v1', plural: 'helmrepositories', role: 'source' },
  { kind: 'HelmChart', group: SOURCE_GROUP, version: 'v1', plural: 'helmcharts', role: 'source' },
  {
    kind: 'ExternalArtifact',
    group: SOURCE_GROUP,
    version: 'v1',
    plural: 'externalartifacts',
    role: 'source',
  },
];

export function waitKind(kind: string, kinds: readonly WaitKind[] = WAIT_KINDS): WaitKind | undefined {
  return kinds.find((k) => k.kind === kind);
}

/** The REST path of a kind's collection, in one namespace or (empty) all of them. */
export function collectionPath(k: WaitKind, namespace: string): string {
  const ns = namespace === '' ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `/apis/${k.group}/${k.version}${ns}/${k.plural}`;
}

export function objectPath(k: WaitKind, namespace: string, name: string): string {
  return `${collectionPath(k, namespace)}/${encodeURIComponent(name)}`;
}

export interface WaitObject extends FluxObject {
  /** Status fields the Inventory does not carry. */
  wait: {
    /** HelmChart: the source revision the chart was built from. */
    observedSourceArtifactRevision?: string;
    /** HelmRelease with an OCIRepository chart: the digest it last attempted. */
    lastAttemptedRevisionDigest?: string;
    /** HelmRelease: `<namespace>/<name>` of the HelmChart helm-controller made for `spec.chart`. */
    helmChart?: string;
    /** HelmChart `spec.reconcileStrategy` (`ChartVersion` when absent, as the CRD defaults it). */
    reconcileStrategy?: string;
    /** HelmRelease `status.lastAttemptedGeneration`: the generation its last attempt was for. */
    lastAttemptedGeneration?: number;
    /** HelmRelease `status.history[0].lastDeployed`: when the release in effect was made. */
    lastDeployed?: string;
    /**
     * Key of the Kustomization or HelmRelease that applied this object (from the labels their
     * controllers set); its spec is only the pushed one once that parent applied the push.
     */
    appliedBy?: string;
  };
}

export function toWaitObject(raw: KubeObject): WaitObject {
  const apiVersion = asString(raw.apiVersion) ?? '';
  const obj: WaitObject = { ...compactFluxObject(raw, apiVersion), wait: {} };
  const w = obj.wait;
  const osar = asString(field(raw.status, 'observedSourceArtifactRevision'));
  if (osar !== undefined) w.observedSourceArtifactRevision = osar;
  const lard = asString(field(raw.status, 'lastAttemptedRevisionDigest'));
  if (lard !== undefined) w.lastAttemptedRevisionDigest = lard;
  const chart = asString(field(raw.status, 'helmChart'));
  if (chart !== undefined) w.helmChart = chart;
  const labels = field(raw.metadata, 'labels');
  for (const [kind, group] of [
    ['Kustomization', 'kustomize.toolkit.fluxcd.io'],
    ['HelmRelease', 'helm.toolkit.fluxcd.io'],
  ] as const) {
    // helm-controller labels the HelmChart it makes for a release: the release consumes it.
    if (kind === 'HelmRelease' && obj.kind === 'HelmChart') continue;
    const name = asString(field(labels, `${group}/name`));
    const namespace = asString(field(labels, `${group}/namespace`));
    if (name === undefined || namespace === undefined) continue;
    const parent = keyOf({ kind, namespace, name });
    if (parent !== keyOf(obj)) w.appliedBy = parent;
  }
  const attemptedGeneration = field(raw.status, 'lastAttemptedGeneration');
  if (typeof attemptedGeneration === 'number') w.lastAttemptedGeneration = attemptedGeneration;
  const history = field(raw.status, 'history');
  const latest = Array.isArray(history) ? asString(field(history[0], 'lastDeployed')) : undefined;
  if (latest !== undefined) w.lastDeployed = latest;
  const strategy = asString(field(raw.spec, 'reconcileStrategy'));
  if (strategy !== undefined) w.reconcileStrategy = strategy;
  return obj;
}

/** `Kind/namespace/name`: the key of every map in the wait mode and the name in its messages. */
export function keyOf(o: { kind: string; namespace: string; name: string }): string {
  return `${o.kind}/${o.namespace}/${o.name}`;
}
