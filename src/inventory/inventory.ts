/**
 * The Inventory: the contract between collection (cluster or snapshot) and every pure stage after it
 * (report, metrics, rules, render). It holds one compact record per Flux object, only the fields
 * later stages read, plus the cluster facts. Field shapes mirror the Kubernetes objects they come
 * from (`spec.*`, `status.*`) so that a reader can map each one back to `kubectl get -o yaml`.
 */

/** A `metav1.Condition` as Flux controllers write it, trimmed to what the stages read. */
export interface Condition {
  type: string;
  /** `True`, `False` or `Unknown` verbatim; anything else is kept as written. */
  status: string;
  reason: string;
  message: string;
  /** RFC 3339, as written by the controller; absent when the controller wrote none. */
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface ObjectRef {
  kind?: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}

/** The subset of `spec` that the report, metrics, rules and wait mode read. */
export interface FluxSpec {
  /** `spec.suspend === true`; the operator ignores any other value. */
  suspend: boolean;
  interval?: string;
  /** GitRepository, OCIRepository, HelmRepository, ResourceSetInputProvider. */
  url?: string;
  /** Bucket. */
  endpoint?: string;
  bucketName?: string;
  /** HelmRepository (`oci` or `default`), ResourceSetInputProvider. */
  type?: string;
  /** ImageRepository. */
  image?: string;
  /** Provider. */
  address?: string;
  /** Kustomization. */
  path?: string;
  /** GitRepository (branch, tag, semver, name, commit) and OCIRepository (tag, semver, digest). */
  ref?: { branch?: string; tag?: string; semver?: string; name?: string; commit?: string; digest?: string };
  sourceRef?: ObjectRef;
  /** HelmRelease `spec.chartRef`. */
  chartRef?: ObjectRef;
  /** HelmRelease `spec.chart.spec` (chart, version, sourceRef). HelmChart keeps its own at top level. */
  chart?: { chart?: string; version?: string; sourceRef?: ObjectRef };
  /** HelmChart `spec.chart` and `spec.version`. */
  chartName?: string;
  chartVersion?: string;
  /** ImagePolicy. */
  imageRepositoryRef?: ObjectRef;
  dependsOn?: ObjectRef[];
  /** FluxInstance `spec.distribution`. */
  distribution?: { version?: string; registry?: string };
  /** FluxInstance `spec.sync`. */
  sync?: { name?: string; kind?: string; url?: string; ref?: string; path?: string };
}

/** The subset of `status` that the stages read. */
export interface FluxStatus {
  observedGeneration?: number;
  artifact?: { revision?: string; digest?: string; size?: number; lastUpdateTime?: string };
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
  lastHandledReconcileAt?: string;
  /** Receiver. */
  webhookPath?: string;
  /** HelmRelease `status.history[0]`: the release being reported on. */
  latestRelease?: { chartName?: string; chartVersion?: string; appVersion?: string; digest?: string };
  /** ResourceSet: `status.inventory.entries` length. */
  inventoryEntries?: number;
}

export interface FluxObject {
  kind: string;
  /** `group/version` as listed (the CRD's last stored version). */
  apiVersion: string;
  namespace: string;
  name: string;
  uid: string;
  creationTimestamp?: string;
  generation?: number;
  /** Set while the object is being deleted (finalizers pending). */
  deletionTimestamp?: string;
  /**
   * The operator's `fluxcd.controlplane.io/reconcile: disabled` marker, compared case-insensitively:
   * `inLabels` or `inAnnotations` says where it was found (the report looks at both, the
   * `flux_*_info` metrics only at annotations).
   */
  reconcileDisabled: { inLabels: boolean; inAnnotations: boolean };
  /** `reconcile.fluxcd.io/requestedAt`, to tell whether a requested reconciliation was handled. */
  requestedAt?: string;
  spec: FluxSpec;
  status: FluxStatus;
  conditions: Condition[];
}

export interface FluxCrd {
  /** `<plural>.<group>`. */
  name: string;
  group: string;
  kind: string;
  plural: string;
  /** `status.storedVersions` in the order the API server wrote them. */
  storedVersions: string[];
  servedVersions: string[];
  labels: Record<string, string>;
}

export type KindState =
  /** Listed successfully. */
  | 'listed'
  /** The identity may not list this kind (HTTP 403). */
  | 'forbidden'
  /** The CRD is absent (operator kinds) or the API server no longer serves the chosen version. */
  | 'missing'
  /** Any other failure while listing. */
  | 'error';

export interface KindResult {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** True for the operator's hard-coded kinds (FluxInstance, ResourceSet, ResourceSetInputProvider). */
  operator: boolean;
  state: KindState;
  /** One line; present when state is not `listed`. */
  error?: string;
  count: number;
}

export interface Deployment {
  name: string;
  namespace: string;
  generation?: number;
  deletionTimestamp?: string;
  /** `spec.replicas`; undefined when the field is unset (kstatus defaults it to 1). */
  replicas?: number;
  progressDeadlineSeconds?: number;
  /** First container's image, `""` when there are no containers. */
  image: string;
  status: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
  };
  conditions: Condition[];
}

/** A Warning event about a Flux object, newest occurrence first in `Inventory.events`. */
export interface WarningEvent {
  involvedKind: string;
  namespace: string;
  name: string;
  reason: string;
  message: string;
  /** Newest of lastTimestamp, eventTime, firstTimestamp, creationTimestamp. */
  timestamp?: string;
  count: number;
}

export interface ClusterFacts {
  /** The API server's GitVersion; undefined when unknown (e.g. a plain snapshot). */
  serverVersion?: string;
  /** `os/arch` of the API server; undefined when unknown. */
  platform?: string;
  /** Number of Node objects; undefined when unknown. */
  nodes?: number;
}

/** What can be said about the `flux-operator-entitlement` Secret without keeping its data. */
export interface Entitlement {
  /** The Secret exists and its data has a `token` key. */
  issued: boolean;
  vendor?: string;
}

/** An existing FluxReport as the operator wrote it (kept verbatim, it is small). */
export interface ExistingFluxReport {
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
  conditions: Condition[];
}

/**
 * What a check limited to some namespaces (CLI `-n`, input `namespaces`) could not read because it
 * lies outside them. Out of scope is not forbidden: nothing is missing from what was asked for.
 */
export type OutOfScope =
  /** CustomResourceDefinitions are cluster-scoped: the Flux kinds came from API discovery. */
  | 'crds'
  /** The Flux controllers' Deployments, in the Flux namespace. */
  | 'controllers'
  /** Nodes are cluster-scoped: the node count. */
  | 'nodes'
  /** The entitlement Secret, in the Flux namespace. */
  | 'entitlement'
  /** An existing FluxReport, in the Flux namespace. */
  | 'existing-report'
  /** The sync (a FluxInstance's, or the Kustomization named after the Flux namespace). */
  | 'sync';

/** The namespaces a check was limited to; an Inventory without one covers every namespace. */
export interface Scope {
  /** Sorted; Flux objects were listed in these namespaces only. */
  namespaces: string[];
  /** In this order: crds, controllers, nodes, entitlement, existing-report, sync. */
  outOfScope: OutOfScope[];
}

export const OUT_OF_SCOPE_ORDER: readonly OutOfScope[] = [
  'crds',
  'controllers',
  'nodes',
  'entitlement',
  'existing-report',
  'sync',
];

export interface Inventory {
  /** Where this inventory came from; never includes credentials. */
  source: { type: 'cluster'; server: string; context?: string } | { type: 'snapshot'; file: string };
  /** RFC 3339 instant of collection (for snapshots: the snapshot's own time when recorded). */
  collectedAt: string;
  /** The Flux namespace (input `namespace`, default `flux-system`). */
  namespace: string;
  cluster: ClusterFacts;
  crds: FluxCrd[];
  kinds: KindResult[];
  objects: FluxObject[];
  deployments: Deployment[];
  events: WarningEvent[];
  /** Undefined when unknown (a snapshot never carries Secrets, so it says so in its facts or not at all). */
  entitlement?: Entitlement;
  existingReport?: ExistingFluxReport;
  /** One-line notes about anything partial (forbidden kinds, missing facts). */
  warnings: string[];
  /** Present when the check was limited to some namespaces; absent: every namespace. */
  scope?: Scope;
}

/** Flux is installed when at least one CRD carries the `app.kubernetes.io/part-of=flux` label. */
export function fluxInstalled(inv: Inventory): boolean {
  return inv.crds.length > 0;
}

export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const PART_OF_VALUE = 'flux';
export const OPERATOR_GROUP = 'fluxcd.controlplane.io';
export const OPERATOR_KINDS = [
  { kind: 'FluxInstance', plural: 'fluxinstances' },
  { kind: 'ResourceSet', plural: 'resourcesets' },
  { kind: 'ResourceSetInputProvider', plural: 'resourcesetinputproviders' },
] as const;
