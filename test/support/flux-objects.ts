/**
 * A seeded, deterministic generator of Flux objects as `kubectl get -o yaml` shows them (plain JSON):
 * the Flux 2.7 kinds, the Flux Operator's kinds, CRD stubs, controller Deployments, Nodes and Warning
 * events. Tests, the demo snapshot and the benchmarks (which fill a real API server) all draw from it,
 * so the shapes here are what the collector and the snapshot reader must handle.
 *
 * Everything is written by hand from the Flux API docs' field names; no upstream manifest or schema
 * is copied. Same options, same output: all randomness comes from the PRNG below, seeded per kind,
 * and no wall clock is read.
 */

export type Json = Record<string, unknown>;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  generation?: number;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** A Kubernetes object as plain JSON; structurally a `KubeObject` of `src/cluster/kube-object.ts`. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Json;
  status?: Json;
  [key: string]: unknown;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

// ---------------------------------------------------------------------------------------------
// PRNG: mulberry32 seeded from a string hash (cyrb53), so a seed can be any string or number.

function hashSeed(seed: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < seed.length; i++) {
    const ch = seed.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Rng {
  private state: number;

  constructor(seed: string | number) {
    this.state = hashSeed(String(seed));
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    // Byte-table lookups: benchmarks generate tens of thousands of digests, and toString(16) dominated.
    let out = '';
    let left = n;
    while (left >= 8) {
      const x = this.uint32();
      out +=
        (HEX_BYTES[x >>> 24] as string) +
        HEX_BYTES[(x >>> 16) & 255] +
        HEX_BYTES[(x >>> 8) & 255] +
        HEX_BYTES[x & 255];
      left -= 8;
    }
    if (left > 0) {
      const x = this.uint32();
      out += (
        (HEX_BYTES[x >>> 24] as string) +
        HEX_BYTES[(x >>> 16) & 255] +
        HEX_BYTES[(x >>> 8) & 255] +
        HEX_BYTES[x & 255]
      ).slice(0, left);
    }
    return out;
  }

  /** A version-4 UUID, as the API server writes `metadata.uid`. */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}

// ---------------------------------------------------------------------------------------------
// Time.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}Z`;
}

function toMs(t: Date | string | number): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new Error(`invalid time: ${String(t)}`);
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Versions.

export type ControllerName =
  | 'source-controller'
  | 'kustomize-controller'
  | 'helm-controller'
  | 'notification-controller'
  | 'image-reflector-controller'
  | 'image-automation-controller';

export const CONTROLLERS: readonly ControllerName[] = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
  'image-reflector-controller',
  'image-automation-controller',
];

/** Controller versions per Flux release, as each flux2 release's go.mod pins the controllers' APIs. */
export const FLUX_RELEASES: Readonly<Record<string, Readonly<Record<ControllerName, string>>>> = {
  'v2.7.0': {
    'source-controller': 'v1.7.0',
    'kustomize-controller': 'v1.7.0',
    'helm-controller': 'v1.4.0',
    'notification-controller': 'v1.7.1',
    'image-reflector-controller': 'v1.0.1',
    'image-automation-controller': 'v1.0.1',
  },
  'v2.7.1': {
    'source-controller': 'v1.7.1',
    'kustomize-controller': 'v1.7.0',
    'helm-controller': 'v1.4.1',
    'notification-controller': 'v1.7.2',
    'image-reflector-controller': 'v1.0.1',
    'image-automation-controller': 'v1.0.1',
  },
  'v2.7.2': {
    'source-controller': 'v1.7.2',
    'kustomize-controller': 'v1.7.1',
    'helm-controller': 'v1.4.2',
    'notification-controller': 'v1.7.3',
    'image-reflector-controller': 'v1.0.2',
    'image-automation-controller': 'v1.0.2',
  },
  'v2.7.3': {
    'source-controller': 'v1.7.3',
    'kustomize-controller': 'v1.7.2',
    'helm-controller': 'v1.4.3',
    'notification-controller': 'v1.7.4',
    'image-reflector-controller': 'v1.0.3',
    'image-automation-controller': 'v1.0.3',
  },
  'v2.7.5': {
    'source-controller': 'v1.7.4',
    'kustomize-controller': 'v1.7.3',
    'helm-controller': 'v1.4.5',
    'notification-controller': 'v1.7.5',
    'image-reflector-controller': 'v1.0.4',
    'image-automation-controller': 'v1.0.4',
  },
};

export const DEFAULT_FLUX_VERSION = 'v2.7.5';
export const DEFAULT_OPERATOR_VERSION = 'v0.58.1';

function releaseOf(fluxVersion: string): Readonly<Record<ControllerName, string>> {
  const r = FLUX_RELEASES[fluxVersion];
  if (!r)
    throw new Error(`unknown Flux release ${fluxVersion}; known: ${Object.keys(FLUX_RELEASES).join(', ')}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Kinds.

export type FluxKind =
  | 'GitRepository'
  | 'OCIRepository'
  | 'HelmRepository'
  | 'HelmChart'
  | 'Bucket'
  | 'ExternalArtifact'
  | 'Kustomization'
  | 'HelmRelease'
  | 'Alert'
  | 'Provider'
  | 'Receiver'
  | 'ImageRepository'
  | 'ImagePolicy'
  | 'ImageUpdateAutomation';

export type OperatorKind = 'FluxInstance' | 'ResourceSet' | 'ResourceSetInputProvider';
export type GeneratedKind = FluxKind | OperatorKind;

export type ObjectState = 'ready' | 'failing' | 'suspended' | 'progressing' | 'dependencyNotReady';
export const OBJECT_STATES: readonly ObjectState[] = [
  'ready',
  'failing',
  'suspended',
  'progressing',
  'dependencyNotReady',
];

export interface KindInfo {
  kind: GeneratedKind | 'FluxReport';
  group: string;
  version: string;
  plural: string;
  shortNames?: string[];
  /** Flux kinds: the controller that owns the CRD. Operator kinds: undefined. */
  controller?: ControllerName;
  /** Older served (deprecated) versions a Flux 2.7 CRD still carries. */
  deprecated?: string[];
  /** False for kinds with no status subresource (Alert, Provider v1beta3). */
  statusSubresource: boolean;
  /** States an object of this kind can be in. */
  states: readonly ObjectState[];
}

const ALL: readonly ObjectState[] = OBJECT_STATES;
const NO_DEPS: readonly ObjectState[] = ['ready', 'failing', 'suspended', 'progressing'];
const STATIC: readonly ObjectState[] = ['ready', 'suspended'];

const SOURCE = 'source.toolkit.fluxcd.io';
const KUSTOMIZE = 'kustomize.toolkit.fluxcd.io';
const HELM = 'helm.toolkit.fluxcd.io';
const NOTIFICATION = 'notification.toolkit.fluxcd.io';
const IMAGE = 'image.toolkit.fluxcd.io';
const OPERATOR = 'fluxcd.controlplane.io';
/** How the operator's kinds are suspended: they have no `spec.suspend`. */
const RECONCILE_ANNOTATION = 'fluxcd.controlplane.io/reconcile';

/** The Flux 2.7 kinds in generation order (sources before the objects that reference them). */
export const FLUX_KINDS: readonly KindInfo[] = [
  k('GitRepository', SOURCE, 'v1', 'gitrepositories', 'source-controller', NO_DEPS, ['gitrepo']),
  k('OCIRepository', SOURCE, 'v1', 'ocirepositories', 'source-controller', NO_DEPS, ['ocirepo']),
  k('HelmRepository', SOURCE, 'v1', 'helmrepositories', 'source-controller', NO_DEPS, ['helmrepo']),
  k('HelmChart', SOURCE, 'v1', 'helmcharts', 'source-controller', NO_DEPS, ['hc']),
  k('Bucket', SOURCE, 'v1', 'buckets', 'source-controller', NO_DEPS),
  {
    ...k('ExternalArtifact', SOURCE, 'v1', 'externalartifacts', 'source-controller', [
      'ready',
      'failing',
      'progressing',
    ]),
    deprecated: [],
  },
  k('Kustomization', KUSTOMIZE, 'v1', 'kustomizations', 'kustomize-controller', ALL, ['ks']),
  {
    ...k('HelmRelease', HELM, 'v2', 'helmreleases', 'helm-controller', ALL, ['hr']),
    deprecated: ['v2beta2'],
  },
  {
    ...k('Alert', NOTIFICATION, 'v1beta3', 'alerts', 'notification-controller', STATIC),
    statusSubresource: false,
  },
  {
    ...k('Provider', NOTIFICATION, 'v1beta3', 'providers', 'notification-controller', STATIC),
    statusSubresource: false,
  },
  k('Receiver', NOTIFICATION, 'v1', 'receivers', 'notification-controller', NO_DEPS),
  k('ImageRepository', IMAGE, 'v1', 'imagerepositories', 'image-reflector-controller', NO_DEPS, [
    'imgrepo',
    'imagerepo',
  ]),
  k('ImagePolicy', IMAGE, 'v1', 'imagepolicies', 'image-reflector-controller', NO_DEPS, [
    'imgpol',
    'imagepol',
  ]),
  k('ImageUpdateAutomation', IMAGE, 'v1', 'imageupdateautomations', 'image-automation-controller', NO_DEPS, [
    'iua',
    'imgupd',
    'imgauto',
  ]),
];

export const OPERATOR_KIND_INFO: readonly KindInfo[] = [
  {
    kind: 'FluxInstance',
    group: OPERATOR,
    version: 'v1',
    plural: 'fluxinstances',
    statusSubresource: true,
    states: NO_DEPS,
  },
  {
    kind: 'FluxReport',
    group: OPERATOR,
    version: 'v1',
    plural: 'fluxreports',
    statusSubresource: true,
    states: ['ready'],
  },
  {
    kind: 'ResourceSet',
    group: OPERATOR,
    version: 'v1',
    plural: 'resourcesets',
    shortNames: ['rset'],
    statusSubresource: true,
    states: ALL,
  },
  {
    kind: 'ResourceSetInputProvider',
    group: OPERATOR,
    version: 'v1',
    plural: 'resourcesetinputproviders',
    shortNames: ['rsip'],
    statusSubresource: true,
    states: NO_DEPS,
  },
];

function k(
  kind: FluxKind,
  group: string,
  version: string,
  plural: string,
  controller: ControllerName,
  states: readonly ObjectState[],
  shortNames?: string[],
): KindInfo {
  return {
    kind,
    group,
    version,
    plural,
    controller,
    states,
    statusSubresource: true,
    // Flux 2.7 CRDs keep serving the previous API version, marked deprecated.
    deprecated: ['v1beta2'],
    ...(shortNames ? { shortNames } : {}),
  };
}

export const GENERATED_KINDS: readonly GeneratedKind[] = [
  ...FLUX_KINDS.map((i) => i.kind as FluxKind),
  'FluxInstance',
  'ResourceSetInputProvider',
  'ResourceSet',
];

export function kindInfo(kind: string): KindInfo {
  const info = [...FLUX_KINDS, ...OPERATOR_KIND_INFO].find((i) => i.kind === kind);
  if (!info) throw new Error(`unknown kind ${kind}`);
  return info;
}

function apiVersionOf(kind: GeneratedKind | 'FluxReport'): string {
  const info = kindInfo(kind);
  return `${info.group}/${info.version}`;
}

// ---------------------------------------------------------------------------------------------
// Name pools: realistic workload names. Names are unique per (kind, namespace) by construction.

const COMPONENTS = [
  'podinfo',
  'frontend',
  'backend',
  'checkout',
  'payments',
  'cart',
  'catalog',
  'search',
  'orders',
  'inventory',
  'auth',
  'billing',
  'reporting',
  'gateway',
  'worker',
  'scheduler',
  'ledger',
  'recommendations',
  'notifications',
  'shipping',
  'profile',
  'media',
  'analytics',
  'audit',
  'feature-flags',
  'session',
  'pricing',
  'reviews',
  'tenant-portal',
  'docs',
] as const;

interface ChartEntry {
  chart: string;
  version: string;
  appVersion: string;
  repo: string;
}

const CHARTS: readonly ChartEntry[] = [
  { chart: 'podinfo', version: '6.9.2', appVersion: '6.9.2', repo: 'podinfo' },
  { chart: 'cert-manager', version: 'v1.18.2', appVersion: 'v1.18.2', repo: 'jetstack' },
  { chart: 'ingress-nginx', version: '4.13.0', appVersion: '1.13.0', repo: 'ingress-nginx' },
  { chart: 'kube-prometheus-stack', version: '75.15.1', appVersion: 'v0.83.0', repo: 'prometheus-community' },
  { chart: 'grafana', version: '9.3.0', appVersion: '12.1.0', repo: 'grafana' },
  { chart: 'loki', version: '6.33.0', appVersion: '3.5.3', repo: 'grafana' },
  { chart: 'tempo', version: '1.23.2', appVersion: '2.8.1', repo: 'grafana' },
  { chart: 'kyverno', version: '3.4.4', appVersion: 'v1.14.4', repo: 'kyverno' },
  { chart: 'external-dns', version: '1.18.0', appVersion: '0.18.0', repo: 'external-dns' },
  { chart: 'sealed-secrets', version: '2.17.3', appVersion: '0.30.0', repo: 'sealed-secrets' },
  { chart: 'metrics-server', version: '3.13.0', appVersion: '0.8.0', repo: 'metrics-server' },
  { chart: 'external-secrets', version: '0.18.2', appVersion: 'v0.18.2', repo: 'external-secrets' },
  { chart: 'redis', version: '21.2.13', appVersion: '8.0.3', repo: 'bitnami' },
  { chart: 'postgresql', version: '16.7.21', appVersion: '17.5.0', repo: 'bitnami' },
  { chart: 'velero', version: '10.0.10', appVersion: '1.16.1', repo: 'vmware-tanzu' },
  { chart: 'reloader', version: '2.1.5', appVersion: 'v1.4.5', repo: 'stakater' },
  { chart: 'trust-manager', version: 'v0.18.0', appVersion: 'v0.18.0', repo: 'jetstack' },
  { chart: 'opentelemetry-collector', version: '0.129.0', appVersion: '0.130.0', repo: 'open-telemetry' },
];

const HELM_REPOS: readonly { name: string; url: string; oci?: string }[] = [
  {
    name: 'bitnami',
    url: 'https://charts.bitnami.com/bitnami',
    oci: 'oci://registry-1.docker.io/bitnamicharts',
  },
  { name: 'prometheus-community', url: 'https://prometheus-community.github.io/helm-charts' },
  { name: 'grafana', url: 'https://grafana.github.io/helm-charts' },
  { name: 'jetstack', url: 'https://charts.jetstack.io', oci: 'oci://quay.io/jetstack/charts' },
  { name: 'ingress-nginx', url: 'https://kubernetes.github.io/ingress-nginx' },
  {
    name: 'podinfo',
    url: 'https://stefanprodan.github.io/podinfo',
    oci: 'oci://ghcr.io/stefanprodan/charts',
  },
  { name: 'kyverno', url: 'https://kyverno.github.io/kyverno' },
  { name: 'external-dns', url: 'https://kubernetes-sigs.github.io/external-dns' },
  { name: 'sealed-secrets', url: 'https://bitnami-labs.github.io/sealed-secrets' },
  { name: 'metrics-server', url: 'https://kubernetes-sigs.github.io/metrics-server' },
  {
    name: 'external-secrets',
    url: 'https://charts.external-secrets.io',
    oci: 'oci://ghcr.io/external-secrets/charts',
  },
  { name: 'vmware-tanzu', url: 'https://vmware-tanzu.github.io/helm-charts' },
  {
    name: 'stakater',
    url: 'https://stakater.github.io/stakater-charts',
    oci: 'oci://ghcr.io/stakater/charts',
  },
  { name: 'open-telemetry', url: 'https://open-telemetry.github.io/opentelemetry-helm-charts' },
];

const PROVIDER_TYPES = [
  'slack',
  'msteams',
  'github',
  'gitlab',
  'discord',
  'pagerduty',
  'opsgenie',
  'grafana',
  'alertmanager',
  'googlechat',
  'generic-hmac',
  'datadog',
] as const;

const RSIP_TYPES = [
  'GitHubPullRequest',
  'GitLabMergeRequest',
  'GitHubBranch',
  'OCIArtifactTag',
  'Static',
] as const;

/** `pool[slot]`, then `pool[slot]-2`, `-3`, … once the pool is used up. */
function poolName(pool: readonly string[], slot: number): string {
  const base = pool[slot % pool.length] as string;
  const round = Math.floor(slot / pool.length);
  return round === 0 ? base : `${base}-${round + 1}`;
}

// ---------------------------------------------------------------------------------------------
// Options.

export interface GenerateOptions {
  /** Any string or number; the same seed gives the same objects. */
  seed: string | number;
  /** The instant the objects are observed at; every timestamp is at or before it. */
  now: Date | string | number;
  /** Namespaces, filled round-robin. Default: flux-system, apps, infra, monitoring. */
  namespaces?: readonly string[];
  /**
   * Objects per kind: one number for all, or per kind (missing kinds get `default`, 0 when absent).
   * FluxInstance is a singleton (`flux` in the Flux namespace): any count above 0 yields one object.
   */
  perKind?: number | (Partial<Record<GeneratedKind, number>> & { default?: number });
  /** Relative weights of the states; kinds that cannot be in a state share out its weight. */
  stateMix?: Partial<Record<ObjectState, number>>;
  /** Share of Ready transitions within the last ten minutes (default 0.35). */
  recentShare?: number;
  /** The Flux namespace (default `flux-system`). */
  fluxNamespace?: string;
  /**
   * The bootstrap sync pair, GitRepository and Kustomization both named after the Flux namespace
   * and Ready, made from slot 0 of those kinds there. `false` leaves them out. Default: a GitHub URL.
   */
  sync?: SyncOptions | false;
  /** Flux release for FluxInstance status (default v2.7.5). */
  fluxVersion?: string;
  /** State of the FluxInstance (default `ready`). */
  fluxInstanceState?: Exclude<ObjectState, 'dependencyNotReady'>;
}

export interface SyncOptions {
  url: string;
  /** Branch name; the GitRepository uses `spec.ref.name: refs/heads/<branch>` as the operator does. */
  branch?: string;
  path: string;
}

export const DEFAULT_STATE_MIX: Readonly<Record<ObjectState, number>> = {
  ready: 0.6,
  failing: 0.15,
  suspended: 0.08,
  progressing: 0.09,
  dependencyNotReady: 0.08,
};

export const DEFAULT_NAMESPACES: readonly string[] = ['flux-system', 'apps', 'infra', 'monitoring'];
const DEFAULT_SYNC: SyncOptions = {
  url: 'https://github.com/acme/fleet-infra.git',
  branch: 'main',
  path: './clusters/production',
};

/**
 * Splits `n` objects among states by the largest-remainder method, so a mix is met exactly (not just
 * on average) and every state with weight gets at least one object when n allows.
 */
export function stateQuotas(
  n: number,
  states: readonly ObjectState[],
  mix: Partial<Record<ObjectState, number>>,
): Record<ObjectState, number> {
  const out: Record<ObjectState, number> = {
    ready: 0,
    failing: 0,
    suspended: 0,
    progressing: 0,
    dependencyNotReady: 0,
  };
  const weights = states.map((s) => Math.max(0, mix[s] ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  if (n <= 0) return out;
  if (total === 0) {
    out[states.includes('ready') ? 'ready' : (states[0] as ObjectState)] = n;
    return out;
  }
  const exact = weights.map((w) => (w / total) * n);
  const floors = exact.map(Math.floor);
  let left = n - floors.reduce((a, b) => a + b, 0);
  // Give leftovers first to weighted states that would otherwise get none, then by remainder.
  const order = states
    .map((_, i) => i)
    .sort(
      (a, b) =>
        Number((floors[a] ?? 0) > 0 || (weights[a] ?? 0) === 0) -
          Number((floors[b] ?? 0) > 0 || (weights[b] ?? 0) === 0) ||
        (exact[b] ?? 0) - (floors[b] ?? 0) - ((exact[a] ?? 0) - (floors[a] ?? 0)) ||
        a - b,
    );
  for (const i of order) {
    if (left === 0) break;
    if ((weights[i] ?? 0) === 0) continue;
    floors[i] = (floors[i] ?? 0) + 1;
    left--;
  }
  states.forEach((s, i) => (out[s] = floors[i] ?? 0));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generation context.

interface Layout {
  namespaces: readonly string[];
  fluxNamespace: string;
  sync: SyncOptions | false;
  counts: Map<GeneratedKind, number>;
  seed: string;
}

/** Objects of `kind` in namespace index `j` (round-robin placement). */
function countIn(layout: Layout, kind: GeneratedKind, j: number): number {
  const n = layout.counts.get(kind) ?? 0;
  const nsCount = layout.namespaces.length;
  return Math.floor(n / nsCount) + (j < n % nsCount ? 1 : 0);
}

function isSyncSlot(layout: Layout, kind: GeneratedKind, j: number, slot: number): boolean {
  return (
    layout.sync !== false &&
    slot === 0 &&
    (kind === 'GitRepository' || kind === 'Kustomization') &&
    layout.namespaces[j] === layout.fluxNamespace
  );
}

/** The name of object `slot` of `kind` in namespace index `j`. */
function nameFor(layout: Layout, kind: GeneratedKind, j: number, slot: number): string {
  if (isSyncSlot(layout, kind, j, slot)) return layout.fluxNamespace;
  const ns = layout.namespaces[j] as string;
  switch (kind) {
    case 'HelmRelease':
      return poolName(
        CHARTS.map((c) => c.chart),
        slot,
      );
    case 'HelmChart':
      return `${ns}-${poolName(
        CHARTS.map((c) => c.chart),
        slot,
      )}`;
    case 'HelmRepository':
      return poolName(
        HELM_REPOS.map((r) => r.name),
        slot,
      );
    case 'Provider':
      return poolName(PROVIDER_TYPES, slot);
    case 'Alert':
      return `${poolName(COMPONENTS, slot)}-alerts`;
    case 'ImageUpdateAutomation':
      return poolName(COMPONENTS, slot);
    case 'ResourceSetInputProvider':
      return `${poolName(COMPONENTS, slot)}-inputs`;
    case 'ResourceSet':
      return `${poolName(COMPONENTS, slot)}-previews`;
    default:
      return poolName(COMPONENTS, slot);
  }
}

/**
 * A reference to an object of `kind` for the object at `slot` in namespace `j`: the same slot in the
 * same namespace when it exists, else the Flux namespace (with an explicit namespace), else a name
 * that exists nowhere (a dangling reference is a realistic state too).
 */
function refTo(
  layout: Layout,
  kind: GeneratedKind,
  j: number,
  slot: number,
): { name: string; namespace?: string } {
  const here = countIn(layout, kind, j);
  if (here > 0) return { name: nameFor(layout, kind, j, slot % here) };
  const fj = layout.namespaces.indexOf(layout.fluxNamespace);
  const there = fj >= 0 ? countIn(layout, kind, fj) : 0;
  if (there > 0) return { name: nameFor(layout, kind, fj, slot % there), namespace: layout.fluxNamespace };
  return { name: nameFor(layout, kind, j, slot) };
}

// ---------------------------------------------------------------------------------------------
// Revisions. A source's revision is a pure function of (seed, kind, namespace, name), so the objects
// that consume it (Kustomization, HelmRelease, ImageUpdateAutomation) report the same revision.

interface SourceFacts {
  url: string;
  ref: Json;
  revision: string;
  previousRevision: string;
  digest: string;
  size: number;
}

function gitFacts(layout: Layout, ns: string, name: string): SourceFacts {
  const r = new Rng(`${layout.seed}|GitRepository|${ns}|${name}`);
  if (layout.sync !== false && ns === layout.fluxNamespace && name === layout.fluxNamespace) {
    const branch = layout.sync.branch ?? 'main';
    return {
      url: layout.sync.url,
      ref: { name: `refs/heads/${branch}` },
      revision: `refs/heads/${branch}@sha1:${r.hex(40)}`,
      previousRevision: `refs/heads/${branch}@sha1:${r.hex(40)}`,
      digest: `sha256:${r.hex(64)}`,
      size: r.int(40_000, 900_000),
    };
  }
  const host = r.pick(['github.com', 'github.com', 'gitlab.com', 'bitbucket.org', 'git.acme.internal']);
  const url =
    host === 'git.acme.internal' ? `ssh://git@${host}/platform/${name}.git` : `https://${host}/acme/${name}`;
  const v = `v${r.int(0, 3)}.${r.int(0, 20)}.${r.int(0, 9)}`;
  const which = r.int(0, 9);
  const [ref, label] =
    which < 7
      ? [{ branch: 'main' }, 'main']
      : which < 9
        ? [{ tag: v }, v]
        : [{ semver: `>=${v.slice(1, v.lastIndexOf('.'))}.0` }, v];
  return {
    url,
    ref,
    revision: `${label}@sha1:${r.hex(40)}`,
    previousRevision: `${label}@sha1:${r.hex(40)}`,
    digest: `sha256:${r.hex(64)}`,
    size: r.int(2_000, 3_500_000),
  };
}

function ociFacts(layout: Layout, ns: string, name: string): SourceFacts {
  const r = new Rng(`${layout.seed}|OCIRepository|${ns}|${name}`);
  const url = r.pick([
    `oci://ghcr.io/acme/manifests/${name}`,
    `oci://ghcr.io/acme/charts/${name}`,
    `oci://registry.acme.io/${name}`,
  ]);
  const which = r.int(0, 9);
  const v = `${r.int(0, 3)}.${r.int(0, 20)}.${r.int(0, 9)}`;
  const d1 = r.hex(64);
  const d2 = r.hex(64);
  const [ref, revision, previousRevision] =
    which < 5
      ? [{ tag: 'latest' }, `latest@sha256:${d1}`, `latest@sha256:${d2}`]
      : which < 8
        ? [{ semver: `>=${v.slice(0, v.lastIndexOf('.'))}.0` }, `${v}@sha256:${d1}`, `${v}@sha256:${d2}`]
        : [{ digest: `sha256:${d1}` }, `sha256:${d1}`, `sha256:${d2}`];
  return {
    url,
    ref,
    revision,
    previousRevision,
    digest: `sha256:${r.hex(64)}`,
    size: r.int(1_500, 2_000_000),
  };
}

// ---------------------------------------------------------------------------------------------
// Building one object.

interface Ctx {
  layout: Layout;
  rng: Rng;
  now: number;
  info: KindInfo;
  kind: GeneratedKind;
  j: number;
  ns: string;
  slot: number;
  name: string;
  state: ObjectState;
  generation: number;
  /** Ready condition's lastTransitionTime (ms). */
  readyAt: number;
  created: number;
  recentShare: number;
}

interface Built {
  spec: Json;
  status?: Json;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface Outcome {
  reason: string;
  message: string;
  /** Stalled=True alongside Ready=False (terminal errors the controller will not retry). */
  stalled?: { reason: string; message: string };
}

function cond(
  ctx: Ctx,
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  at: number,
): Condition {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: rfc3339(at),
    observedGeneration: ctx.generation,
  };
}

/**
 * The conditions for the object's state. `ok` is the Ready=True outcome (also kept, stale, by
 * suspended objects); `fail` the Ready=False one; `progress` the in-progress message.
 */
function conditionsFor(
  ctx: Ctx,
  ok: Outcome,
  fail: () => Outcome,
  progress: string,
  depMessage?: string,
): Condition[] {
  switch (ctx.state) {
    case 'ready':
      return [cond(ctx, 'Ready', 'True', ok.reason, ok.message, ctx.readyAt)];
    case 'suspended':
      // A suspended object keeps whatever Ready it had when it was suspended; mostly True.
      if (ctx.rng.chance(0.8)) return [cond(ctx, 'Ready', 'True', ok.reason, ok.message, ctx.readyAt)];
      else {
        const f = fail();
        return [cond(ctx, 'Ready', 'False', f.reason, f.message, ctx.readyAt)];
      }
    case 'failing': {
      const f = fail();
      const out = [cond(ctx, 'Ready', 'False', f.reason, f.message, ctx.readyAt)];
      if (f.stalled) out.push(cond(ctx, 'Stalled', 'True', f.stalled.reason, f.stalled.message, ctx.readyAt));
      return out;
    }
    case 'progressing': {
      const at = ctx.readyAt;
      return [
        cond(ctx, 'Ready', 'Unknown', 'Progressing', progress, at),
        cond(ctx, 'Reconciling', 'True', 'Progressing', progress, at),
      ];
    }
    case 'dependencyNotReady':
      return [
        cond(
          ctx,
          'Ready',
          'False',
          'DependencyNotReady',
          depMessage ?? 'dependency is not ready',
          ctx.readyAt,
        ),
      ];
  }
}

function observedGeneration(ctx: Ctx): number {
  // A spec change being worked on: the controller has not finished the new generation yet.
  return ctx.state === 'progressing' && ctx.generation > 1 ? ctx.generation - 1 : ctx.generation;
}

function interval(rng: Rng, choices: readonly string[] = ['1m', '5m', '10m', '30m', '1h']): string {
  return rng.pick(choices);
}

function artifactPath(kind: string, ns: string, name: string, file: string): { path: string; url: string } {
  const path = `${kind.toLowerCase()}/${ns}/${name}/${file}`;
  return { path, url: `http://source-controller.flux-system.svc.cluster.local./${path}` };
}

/** When the current artifact was stored: after the last Ready transition for healthy objects. */
function artifactTime(ctx: Ctx): number {
  if (ctx.state === 'ready') return ctx.readyAt + Math.floor(ctx.rng.next() * (ctx.now - ctx.readyAt));
  return ctx.readyAt - ctx.rng.int(1, 72) * HOUR;
}

function sourceArtifact(ctx: Ctx, revision: string, digest: string, size: number, file: string): Json {
  return {
    digest,
    lastUpdateTime: rfc3339(Math.max(ctx.created, artifactTime(ctx))),
    ...artifactPath(ctx.kind, ctx.ns, ctx.name, file),
    revision,
    size,
  };
}

const DNS = 'on 10.96.0.10:53: no such host';

function buildGitRepository(ctx: Ctx): Built {
  const { rng, ns, name } = ctx;
  const f = gitFacts(ctx.layout, ns, name);
  const sync = isSyncSlot(ctx.layout, 'GitRepository', ctx.j, ctx.slot);
  const spec: Json = {
    interval: sync ? '1m0s' : interval(rng),
    ref: f.ref,
    ...(f.url.startsWith('ssh://') || sync
      ? { secretRef: { name: sync ? 'flux-system' : `${name}-deploy-key` } }
      : {}),
    timeout: '60s',
    url: f.url,
  };
  const host = new URL(f.url.replace(/^ssh:\/\/git@/, 'https://')).host;
  const conditions = conditionsFor(
    ctx,
    { reason: 'Succeeded', message: `stored artifact for revision '${f.revision}'` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'GitOperationFailed',
          message: `failed to checkout and determine revision: unable to clone '${f.url}': authentication required: Invalid username or password.`,
        },
        {
          reason: 'GitOperationFailed',
          message: `failed to checkout and determine revision: unable to clone '${f.url}': Get "https://${host}/acme/${name}/info/refs?service=git-upload-pack": dial tcp: lookup ${host} ${DNS}`,
        },
        {
          reason: 'AuthenticationFailed',
          message: `failed to get secret '${ns}/${name}-auth': secrets "${name}-auth" not found`,
        },
      ]),
    `building artifact: new upstream revision '${f.revision}'`,
  );
  if (ctx.state === 'ready')
    conditions.push(
      cond(
        ctx,
        'ArtifactInStorage',
        'True',
        'Succeeded',
        `stored artifact for revision '${f.revision}'`,
        ctx.readyAt,
      ),
    );
  const hasArtifact = !(ctx.state === 'progressing' && ctx.generation === 1);
  const status: Json = {
    ...(hasArtifact
      ? {
          artifact: sourceArtifact(
            ctx,
            ctx.state === 'failing' ? f.previousRevision : f.revision,
            f.digest,
            f.size,
            `${f.revision.split(':').pop()?.slice(0, 40) ?? ''}.tar.gz`,
          ),
        }
      : {}),
    conditions,
    observedGeneration: observedGeneration(ctx),
  };
  return { spec, status };
}

function buildOCIRepository(ctx: Ctx): Built {
  const { rng, ns, name } = ctx;
  const f = ociFacts(ctx.layout, ns, name);
  const host = f.url.slice('oci://'.length).split('/')[0] ?? 'ghcr.io';
  const spec: Json = {
    interval: interval(rng),
    ...(rng.chance(0.3) ? { provider: rng.pick(['aws', 'azure', 'gcp']) } : {}),
    ref: f.ref,
    url: f.url,
  };
  const conditions = conditionsFor(
    ctx,
    { reason: 'Succeeded', message: `stored artifact for digest '${f.revision}'` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'OCIArtifactPullFailed',
          message: `failed to determine artifact digest: GET https://${host}/v2/${f.url.split('/').slice(3).join('/')}/manifests/latest: UNAUTHORIZED: authentication required`,
        },
        {
          reason: 'OCIArtifactPullFailed',
          message: `failed to determine artifact digest: Get "https://${host}/v2/": dial tcp: lookup ${host} ${DNS}`,
        },
        {
          reason: 'ArtifactFailed',
          message: `failed to extract layer contents from artifact: expected 1 layer with media type 'application/vnd.cncf.flux.content.v1.tar+gzip', found 0`,
        },
      ]),
    `building artifact: new upstream revision '${f.revision}'`,
  );
  const hasArtifact = !(ctx.state === 'progressing' && ctx.generation === 1);
  const status: Json = {
    ...(hasArtifact
      ? {
          artifact: {
            ...sourceArtifact(
              ctx,
              ctx.state === 'failing' ? f.previousRevision : f.revision,
              f.digest,
              f.size,
              `${f.digest.slice(7)}.tar.gz`,
            ),
            metadata: { 'org.opencontainers.image.created': rfc3339(ctx.readyAt - HOUR) },
          },
        }
      : {}),
    conditions,
    observedGeneration: observedGeneration(ctx),
    url: `http://source-controller.flux-system.svc.cluster.local./ocirepository/${ns}/${name}/latest.tar.gz`,
  };
  return { spec, status };
}

function buildHelmRepository(ctx: Ctx): Built {
  const { rng, ns, name } = ctx;
  const repo = HELM_REPOS[ctx.slot % HELM_REPOS.length] ?? HELM_REPOS[0];
  // OCI HelmRepositories are static: no conditions, no artifact. Only healthy or suspended ones are OCI.
  const oci =
    repo?.oci !== undefined && (ctx.state === 'ready' || ctx.state === 'suspended') && rng.chance(0.5);
  if (oci) {
    return { spec: { interval: '10m', type: 'oci', url: repo?.oci ?? '' } };
  }
  const url = repo?.url ?? 'https://charts.example.com';
  const digest = `sha256:${rng.hex(64)}`;
  const revision = `sha256:${rng.hex(64)}`;
  const conditions = conditionsFor(
    ctx,
    { reason: 'Succeeded', message: `stored artifact: revision '${revision}'` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'Failed',
          message: `failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch ${url}/index.yaml : 404 Not Found`,
        },
        {
          reason: 'Failed',
          message: `failed to fetch Helm repository index: failed to cache index to temporary file: Get "${url}/index.yaml": dial tcp: lookup ${new URL(url).host} ${DNS}`,
        },
        {
          reason: 'AuthenticationFailed',
          message: `failed to get authentication secret '${ns}/${name}-auth': secrets "${name}-auth" not found`,
        },
      ]),
    'building artifact: new index revision',
  );
  const size = rng.int(30_000, 12_000_000);
  const hasArtifact = !(ctx.state === 'progressing' && ctx.generation === 1);
  return {
    spec: { interval: interval(rng, ['10m', '30m', '1h', '24h']), url },
    status: {
      ...(hasArtifact
        ? {
            artifact: sourceArtifact(ctx, revision, digest, size, 'index-' + revision.slice(7, 23) + '.yaml'),
          }
        : {}),
      conditions,
      observedGeneration: observedGeneration(ctx),
      url: `http://source-controller.flux-system.svc.cluster.local./helmrepository/${ns}/${name}/index.yaml`,
    },
  };
}

/** The HelmRepository that serves `chart`: by its name in this namespace or the Flux one when present. */
function helmRepoRef(ctx: Ctx, chart: ChartEntry): { name: string; namespace?: string } {
  const r = HELM_REPOS.findIndex((h) => h.name === chart.repo);
  if (r >= 0 && countIn(ctx.layout, 'HelmRepository', ctx.j) > r) return { name: chart.repo };
  const fj = ctx.layout.namespaces.indexOf(ctx.layout.fluxNamespace);
  if (r >= 0 && fj >= 0 && countIn(ctx.layout, 'HelmRepository', fj) > r)
    return { name: chart.repo, namespace: ctx.layout.fluxNamespace };
  return refTo(ctx.layout, 'HelmRepository', ctx.j, ctx.slot);
}

function buildHelmChart(ctx: Ctx): Built {
  const { rng, ns } = ctx;
  const chart = CHARTS[ctx.slot % CHARTS.length] ?? (CHARTS[0] as ChartEntry);
  const repoRef = helmRepoRef(ctx, chart);
  const exact = rng.chance(0.6);
  const version = chart.version;
  const constraint = exact
    ? version
    : `${version.startsWith('v') ? 'v' : ''}${version.replace(/^v/, '').split('.')[0]}.x`;
  const spec: Json = {
    chart: chart.chart,
    interval: interval(rng, ['5m', '10m', '1h']),
    reconcileStrategy: 'ChartVersion',
    sourceRef: { kind: 'HelmRepository', name: repoRef.name },
    version: constraint,
  };
  const conditions = conditionsFor(
    ctx,
    { reason: 'ChartPullSucceeded', message: `pulled '${chart.chart}' chart with version '${version}'` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'ChartPullError',
          message: `chart pull error: failed to get chart version for remote reference: no '${chart.chart}' chart with version matching '${constraint === version ? `${version}-rc.1` : constraint}' found`,
        },
        {
          reason: 'ChartPullError',
          message: `chart pull error: failed to download chart for remote reference: failed to get "${HELM_REPOS.find((r) => r.name === chart.repo)?.url ?? 'https://charts.example.com'}/${chart.chart}-${version}.tgz": 403 Forbidden`,
        },
        {
          reason: 'ArtifactFailed',
          message: `HelmRepository '${ns}/${repoRef.name}' is not ready: latest generation of object has not been reconciled`,
        },
      ]),
    `building artifact: pulling '${chart.chart}' chart with version '${version}'`,
  );
  const hasArtifact = !(ctx.state === 'progressing' && ctx.generation === 1);
  return {
    spec,
    status: {
      ...(hasArtifact
        ? {
            artifact: sourceArtifact(
              ctx,
              version,
              `sha256:${rng.hex(64)}`,
              rng.int(8_000, 400_000),
              `${chart.chart}-${version}.tgz`,
            ),
          }
        : {}),
      conditions,
      observedChartName: chart.chart,
      observedGeneration: observedGeneration(ctx),
      observedSourceArtifactRevision: `sha256:${rng.hex(64)}`,
      url: `http://source-controller.flux-system.svc.cluster.local./helmchart/${ns}/${ctx.name}/latest.tar.gz`,
    },
  };
}

function buildBucket(ctx: Ctx): Built {
  const { rng, ns, name } = ctx;
  const provider = rng.pick(['generic', 'aws', 'gcp', 'azure'] as const);
  const endpoint = {
    generic: 'minio.storage.svc.cluster.local:9000',
    aws: 's3.eu-west-1.amazonaws.com',
    gcp: 'storage.googleapis.com',
    azure: 'https://acmeflux.blob.core.windows.net',
  }[provider];
  const bucketName = `acme-${name}`;
  const revision = `sha256:${rng.hex(64)}`;
  const conditions = conditionsFor(
    ctx,
    { reason: 'Succeeded', message: `stored artifact: revision '${revision}'` },
    () =>
      rng.pick<Outcome>([
        { reason: 'BucketOperationFailed', message: `bucket '${bucketName}' not found` },
        {
          reason: 'BucketOperationFailed',
          message: `failed to confirm existence of '${bucketName}' bucket: Get "https://${endpoint.replace(/^https:\/\//, '')}/${bucketName}/?location=": dial tcp: lookup ${endpoint.replace(/^https:\/\//, '').split(':')[0] ?? endpoint} ${DNS}`,
        },
        {
          reason: 'AuthenticationFailed',
          message: `failed to get secret '${ns}/${name}-credentials': secrets "${name}-credentials" not found`,
        },
      ]),
    `building artifact: new upstream revision '${revision}'`,
  );
  const hasArtifact = !(ctx.state === 'progressing' && ctx.generation === 1);
  return {
    spec: {
      bucketName,
      endpoint,
      interval: interval(rng),
      provider,
      ...(provider === 'aws' ? { region: 'eu-west-1' } : {}),
      ...(provider === 'generic' ? { insecure: true, secretRef: { name: `${name}-credentials` } } : {}),
    },
    status: {
      ...(hasArtifact
        ? {
            artifact: sourceArtifact(
              ctx,
              revision,
              `sha256:${rng.hex(64)}`,
              rng.int(1_000, 900_000),
              `${revision.slice(7)}.tar.gz`,
            ),
          }
        : {}),
      conditions,
      observedGeneration: observedGeneration(ctx),
      url: `http://source-controller.flux-system.svc.cluster.local./bucket/${ns}/${name}/latest.tar.gz`,
    },
  };
}

function buildExternalArtifact(ctx: Ctx): Built {
  const { rng, ns, name } = ctx;
  const revision = `latest@sha256:${rng.hex(64)}`;
  const conditions = conditionsFor(
    ctx,
    { reason: 'Succeeded', message: `stored artifact for revision '${revision}'` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'ArtifactFailed',
          message: `failed to build artifact: source 'GitRepository/${ns}/${name}' is not ready`,
        },
        {
          reason: 'ArtifactFailed',
          message: `failed to build artifact: copy operation failed: no files matched pattern '@${name}/deploy/**'`,
        },
      ]),
    'building artifact',
  );
  const hasArtifact = ctx.state !== 'progressing';
  return {
    spec: {
      sourceRef: {
        apiVersion: 'source.extensions.fluxcd.io/v1beta1',
        kind: 'ArtifactGenerator',
        name: `${name}-generator`,
      },
    },
    status: {
      ...(hasArtifact
        ? {
            artifact: sourceArtifact(
              ctx,
              revision,
              `sha256:${rng.hex(64)}`,
              rng.int(1_000, 500_000),
              `${revision.slice(-64)}.tar.gz`,
            ),
          }
        : {}),
      conditions,
    },
  };
}

function dependsOnFor(ctx: Ctx, kind: 'Kustomization' | 'HelmRelease'): Json[] | undefined {
  const n = countIn(ctx.layout, kind, ctx.j);
  const mustDepend = ctx.state === 'dependencyNotReady';
  if (!mustDepend && !ctx.rng.chance(0.3)) return undefined;
  // Alone in its namespace: depend on a shared object in the Flux namespace.
  if (n < 2)
    return mustDepend ? [{ name: 'infrastructure', namespace: ctx.layout.fluxNamespace }] : undefined;
  // Any other object of the kind in the namespace, never itself.
  let target = (ctx.slot + 1 + ctx.rng.int(0, n - 2)) % n;
  if (target === ctx.slot) target = (target + 1) % n;
  return [{ name: nameFor(ctx.layout, kind, ctx.j, target) }];
}

/** `namespace/name` of the first dependency, as the controllers print it. */
function depLabel(ctx: Ctx, deps: Json[] | undefined): string {
  const d = deps?.[0];
  if (!d) return `${ctx.layout.fluxNamespace}/infrastructure`;
  return `${(d.namespace as string | undefined) ?? ctx.ns}/${String(d.name)}`;
}

function buildKustomization(ctx: Ctx): Built {
  const { rng, ns, name, layout } = ctx;
  const sync = layout.sync !== false && isSyncSlot(layout, 'Kustomization', ctx.j, ctx.slot);
  const useOci = !sync && rng.chance(0.25) && (layout.counts.get('OCIRepository') ?? 0) > 0;
  const srcKind = useOci ? 'OCIRepository' : 'GitRepository';
  const src = refTo(layout, srcKind, ctx.j, ctx.slot);
  const srcNs = src.namespace ?? ns;
  const facts = useOci ? ociFacts(layout, srcNs, src.name) : gitFacts(layout, srcNs, src.name);
  const path =
    sync && layout.sync !== false
      ? layout.sync.path
      : `./${rng.pick(['apps', 'infrastructure', 'clusters/production'])}/${name}`;
  const deps = sync ? undefined : dependsOnFor(ctx, 'Kustomization');
  const depName = depLabel(ctx, deps);
  const spec: Json = {
    ...(deps ? { dependsOn: deps } : {}),
    interval: sync ? '10m0s' : interval(rng, ['5m', '10m', '30m', '1h']),
    path,
    prune: true,
    retryInterval: '2m',
    sourceRef: { kind: srcKind, name: src.name, ...(src.namespace ? { namespace: src.namespace } : {}) },
    ...(sync ? {} : { targetNamespace: ns === layout.fluxNamespace ? name : ns }),
    timeout: '5m',
    wait: rng.chance(0.5),
  };
  const conditions = conditionsFor(
    ctx,
    { reason: 'ReconciliationSucceeded', message: `Applied revision: ${facts.revision}` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'BuildFailed',
          message: `kustomize build failed: accumulating resources: accumulation err='accumulating resources from './overlays/production': evalsymlink failure on '/tmp/kustomization-${rng.int(100000000, 999999999)}/${path.slice(2)}/overlays/production' : lstat /tmp/kustomization-${rng.int(100000000, 999999999)}/${path.slice(2)}/overlays/production: no such file or directory': must build at directory: not a valid directory`,
        },
        {
          reason: 'HealthCheckFailed',
          message: `health check failed after 5m0.0${rng.int(10, 99)}s: timeout waiting for: [Deployment/${ns}/${name} status: 'InProgress']`,
        },
        {
          reason: 'ReconciliationFailed',
          message: `Deployment/${ns}/${name} dry-run failed (Invalid): Deployment.apps "${name}" is invalid: spec.template.spec.containers[0].image: Required value`,
        },
        { reason: 'ArtifactFailed', message: `Source artifact not found, retrying in 30s` },
      ]),
    'Reconciliation in progress',
    `dependency '${depName}' is not ready`,
  );
  const failed = ctx.state === 'failing';
  const status: Json = {
    conditions,
    ...(ctx.state === 'progressing' && ctx.generation === 1
      ? {}
      : { lastAppliedRevision: failed ? facts.previousRevision : facts.revision }),
    lastAttemptedRevision: facts.revision,
    observedGeneration: observedGeneration(ctx),
  };
  if (ctx.state === 'ready' || ctx.state === 'suspended')
    status.inventory = {
      entries: sync
        ? [
            { id: `_${ns}__Namespace`, v: 'v1' },
            { id: `${ns}_${name}_kustomize.toolkit.fluxcd.io_Kustomization`, v: 'v1' },
            { id: `${ns}_${name}_source.toolkit.fluxcd.io_GitRepository`, v: 'v1' },
          ]
        : [
            { id: `${ns}_${name}_apps_Deployment`, v: 'v1' },
            { id: `${ns}_${name}__Service`, v: 'v1' },
            { id: `${ns}_${name}__ServiceAccount`, v: 'v1' },
          ],
    };
  return { spec, status };
}

function buildHelmRelease(ctx: Ctx): Built {
  const { rng, ns, name, layout } = ctx;
  const chart = CHARTS[ctx.slot % CHARTS.length] ?? (CHARTS[0] as ChartEntry);
  const viaChartRef = rng.chance(0.35) && (layout.counts.get('OCIRepository') ?? 0) > 0;
  const deps = dependsOnFor(ctx, 'HelmRelease');
  const depName = depLabel(ctx, deps);
  let spec: Json;
  let ociDigest: string | undefined;
  if (viaChartRef) {
    const src = refTo(layout, 'OCIRepository', ctx.j, ctx.slot);
    ociDigest = `sha256:${rng.hex(64)}`;
    spec = {
      chartRef: {
        kind: 'OCIRepository',
        name: src.name,
        ...(src.namespace ? { namespace: src.namespace } : {}),
      },
      ...(deps ? { dependsOn: deps } : {}),
      interval: interval(rng, ['10m', '30m', '1h']),
      releaseName: name,
    };
  } else {
    const repo = helmRepoRef(ctx, chart);
    spec = {
      chart: {
        spec: {
          chart: chart.chart,
          interval: '12h',
          reconcileStrategy: 'ChartVersion',
          sourceRef: {
            kind: 'HelmRepository',
            name: repo.name,
            ...(repo.namespace ? { namespace: repo.namespace } : {}),
          },
          version: chart.version,
        },
      },
      ...(deps ? { dependsOn: deps } : {}),
      install: { crds: 'CreateReplace', remediation: { retries: 3 } },
      interval: interval(rng, ['10m', '30m', '1h']),
      upgrade: { crds: 'CreateReplace', remediation: { retries: 3, remediateLastFailure: true } },
    };
  }
  const release = rng.int(1, 40);
  const firstInstall = ctx.state === 'failing' && release === 1;
  const ready = `Helm ${release === 1 ? 'install' : 'upgrade'} succeeded for release ${ns}/${name}.v${release} with chart ${chart.chart}@${chart.version}`;
  const failure = (): Outcome =>
    firstInstall || rng.chance(0.35)
      ? {
          reason: 'InstallFailed',
          message: `Helm install failed for release ${ns}/${name} with chart ${chart.chart}@${chart.version}: context deadline exceeded`,
          stalled: { reason: 'RetriesExceeded', message: 'Failed to install after 4 attempt(s)' },
        }
      : rng.pick<Outcome>([
          {
            reason: 'UpgradeFailed',
            message: `Helm upgrade failed for release ${ns}/${name} with chart ${chart.chart}@${chart.version}: cannot patch "${name}" with kind Deployment: Deployment.apps "${name}" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app.kubernetes.io/name":"${name}"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`,
          },
          {
            reason: 'UpgradeFailed',
            message: `Helm upgrade failed for release ${ns}/${name} with chart ${chart.chart}@${chart.version}: execution error at (${chart.chart}/templates/secret.yaml:12:7): A valid .Values.auth.existingSecret is required`,
          },
          {
            reason: 'ArtifactFailed',
            message: `HelmChart '${ns}/${ns}-${name}' is not ready: chart pull error: failed to get chart version for remote reference: no '${chart.chart}' chart with version matching '${chart.version}' found`,
          },
        ]);
  const conditions = conditionsFor(
    ctx,
    { reason: release === 1 ? 'InstallSucceeded' : 'UpgradeSucceeded', message: ready },
    failure,
    `Running '${release === 1 ? 'install' : 'upgrade'}' action with timeout of 5m0s`,
    `dependency '${depName}' is not ready`,
  );
  const failed = ctx.state === 'failing';
  const deployed = rfc3339(ctx.readyAt - rng.int(0, 5) * MINUTE);
  const snapshot = (version: number, status: string): Json => ({
    appVersion: chart.appVersion,
    chartName: chart.chart,
    chartVersion: chart.version,
    configDigest: `sha256:${rng.hex(64)}`,
    digest: `sha256:${rng.hex(64)}`,
    firstDeployed: rfc3339(ctx.created + MINUTE),
    lastDeployed: deployed,
    name,
    namespace: ns,
    ...(ociDigest ? { ociDigest } : {}),
    status,
    version,
  });
  const history: Json[] =
    ctx.state === 'progressing' && ctx.generation === 1
      ? []
      : failed
        ? firstInstall
          ? [snapshot(1, 'failed')]
          : [snapshot(release + 1, 'failed'), snapshot(release, 'deployed')]
        : [snapshot(release, 'deployed')];
  const status: Json = {
    conditions,
    ...(viaChartRef ? {} : { helmChart: `${ns}/${ns}-${name}` }),
    ...(history.length > 0 ? { history } : {}),
    ...(failed ? { [firstInstall ? 'installFailures' : 'upgradeFailures']: rng.int(1, 4) } : {}),
    lastAttemptedConfigDigest: `sha256:${rng.hex(64)}`,
    lastAttemptedGeneration: ctx.generation,
    lastAttemptedReleaseAction: release === 1 ? 'install' : 'upgrade',
    lastAttemptedRevision: chart.version,
    ...(ociDigest ? { lastAttemptedRevisionDigest: ociDigest } : {}),
    ...(history.length > 0 ? { lastReleaseRevision: failed && !firstInstall ? release + 1 : release } : {}),
    observedGeneration: observedGeneration(ctx),
    storageNamespace: ns,
  };
  if (ctx.state === 'ready' || ctx.state === 'suspended')
    conditions.push(
      cond(ctx, 'Released', 'True', conditions[0]?.reason ?? 'UpgradeSucceeded', ready, ctx.readyAt),
    );
  if (failed) {
    const f = conditions[0] as Condition;
    conditions.push(cond(ctx, 'Released', 'False', f.reason, f.message, ctx.readyAt));
  }
  return { spec, status };
}

function buildAlert(ctx: Ctx): Built {
  const { rng } = ctx;
  const provider = refTo(ctx.layout, 'Provider', ctx.j, ctx.slot);
  const severity = rng.pick(['info', 'error'] as const);
  return {
    spec: {
      eventSeverity: severity,
      eventSources: rng.chance(0.5)
        ? [
            { kind: 'Kustomization', name: '*' },
            { kind: 'HelmRelease', name: '*' },
          ]
        : [
            { kind: 'GitRepository', name: '*' },
            { kind: 'Kustomization', name: ctx.name.replace(/-alerts$/, '') },
          ],
      ...(severity === 'info' ? { exclusionList: ['.*upgrade.*has.*started', '.*is.*not.*ready'] } : {}),
      providerRef: { name: provider.name },
      summary: `${ctx.ns} cluster`,
      ...(ctx.state === 'suspended' ? { suspend: true } : {}),
    },
  };
}

function buildProvider(ctx: Ctx): Built {
  const { rng, name } = ctx;
  const type = PROVIDER_TYPES[ctx.slot % PROVIDER_TYPES.length] ?? 'slack';
  const spec: Json = { type };
  switch (type) {
    case 'slack':
      Object.assign(spec, { address: 'https://slack.com/api/chat.postMessage', channel: `alerts-${ctx.ns}` });
      break;
    case 'github':
    case 'gitlab':
      spec.address = `https://${type}.com/acme/${poolName(COMPONENTS, ctx.slot)}`;
      break;
    case 'msteams':
    case 'discord':
    case 'googlechat':
    case 'generic-hmac':
      break;
    case 'alertmanager':
      spec.address = 'http://alertmanager-operated.monitoring:9093/api/v2/alerts/';
      break;
    case 'grafana':
      spec.address = 'http://grafana.monitoring/api/annotations';
      break;
    default:
      break;
  }
  spec.interval = rng.pick(['30s', '1m0s', '5m']);
  spec.secretRef = { name: `${name}-token` };
  if (ctx.state === 'suspended') spec.suspend = true;
  return { spec };
}

function buildReceiver(ctx: Ctx): Built {
  const { rng, ns, name } = ctx;
  const type = rng.pick(['github', 'gitlab', 'generic', 'harbor', 'generic-hmac'] as const);
  const webhookPath = `/hook/${rng.hex(64)}`;
  const target = refTo(ctx.layout, type === 'harbor' ? 'ImageRepository' : 'GitRepository', ctx.j, ctx.slot);
  const conditions = conditionsFor(
    ctx,
    { reason: 'Succeeded', message: `Receiver initialized for path: ${webhookPath}` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'TokenNotFound',
          message: `unable to read token from secret '${ns}/${name}-token' error: Secret "${name}-token" not found`,
        },
        {
          reason: 'ReconciliationFailed',
          message: `invalid resource kind 'HelmRepo', must be one of: Bucket, GitRepository, HelmRepository, OCIRepository, ImageRepository, Kustomization, HelmRelease`,
        },
      ]),
    'Reconciliation in progress',
  );
  return {
    spec: {
      events: type === 'github' ? ['ping', 'push'] : type === 'gitlab' ? ['Push Hook', 'Tag Push Hook'] : [],
      interval: '10m',
      resources: [
        {
          apiVersion: apiVersionOf(type === 'harbor' ? 'ImageRepository' : 'GitRepository'),
          kind: type === 'harbor' ? 'ImageRepository' : 'GitRepository',
          name: target.name,
          ...(target.namespace ? { namespace: target.namespace } : {}),
        },
      ],
      secretRef: { name: `${name}-token` },
      type,
    },
    status: {
      conditions,
      observedGeneration: observedGeneration(ctx),
      ...(ctx.state === 'failing' || (ctx.state === 'progressing' && ctx.generation === 1)
        ? {}
        : { webhookPath }),
    },
  };
}

function imageFor(layout: Layout, ns: string, name: string): { image: string; tags: string[] } {
  const r = new Rng(`${layout.seed}|image|${ns}|${name}`);
  const registry = r.pick([
    'ghcr.io/acme',
    'docker.io/acme',
    'registry.acme.io/platform',
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  ]);
  const major = r.int(0, 4);
  const minor = r.int(0, 30);
  const tags: string[] = [];
  for (let p = 9; p >= 0; p--) tags.push(`${major}.${minor}.${p}`);
  return { image: `${registry}/${name}`, tags };
}

function buildImageRepository(ctx: Ctx): Built {
  const { rng, ns, name } = ctx;
  const { image, tags } = imageFor(ctx.layout, ns, name);
  const host = image.split('/')[0] ?? 'ghcr.io';
  const tagCount = rng.int(12, 480);
  const conditions = conditionsFor(
    ctx,
    { reason: 'Succeeded', message: `successful scan: found ${tagCount} tags` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'ReconciliationFailed',
          message: `GET https://${host}/v2/${image.slice(host.length + 1)}/tags/list?n=1000: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:${image.slice(host.length + 1)} Type:repository]]`,
        },
        {
          reason: 'ReconciliationFailed',
          message: `Get "https://${host}/v2/": dial tcp: lookup ${host} ${DNS}`,
        },
        {
          reason: 'AuthenticationFailed',
          message: `failed to configure authentication options: secrets "regcred" not found`,
        },
      ]),
    'reconciliation in progress',
  );
  const scanned = ctx.state === 'progressing' && ctx.generation === 1;
  return {
    spec: {
      exclusionList: ['^.*\\.sig$'],
      image,
      interval: interval(rng, ['1m', '5m', '10m']),
      ...(image.includes('ecr') ? { provider: 'aws' } : { secretRef: { name: 'regcred' } }),
    },
    status: {
      canonicalImageName: image.startsWith('docker.io/') ? `index.${image}` : image,
      conditions,
      ...(scanned
        ? {}
        : {
            lastScanResult: {
              latestTags: tags,
              scanTime: rfc3339(
                ctx.state === 'ready' ? ctx.now - rng.int(5, 300) * SECOND : ctx.readyAt - 10 * MINUTE,
              ),
              tagCount,
            },
          }),
      observedExclusionList: ['^.*\\.sig$'],
      observedGeneration: observedGeneration(ctx),
    },
  };
}

function buildImagePolicy(ctx: Ctx): Built {
  const { rng, ns } = ctx;
  const repo = refTo(ctx.layout, 'ImageRepository', ctx.j, ctx.slot);
  const { image, tags } = imageFor(ctx.layout, repo.namespace ?? ns, repo.name);
  const latest = tags[0] ?? '1.0.0';
  const previous = tags[1] ?? '0.9.0';
  const policyKind = rng.pick(['semver', 'semver', 'alphabetical', 'numerical'] as const);
  const policy: Json =
    policyKind === 'semver'
      ? { semver: { range: `>=${latest.split('.')[0]}.0.0` } }
      : policyKind === 'alphabetical'
        ? { alphabetical: { order: 'asc' } }
        : { numerical: { order: 'asc' } };
  const conditions = conditionsFor(
    ctx,
    { reason: 'Succeeded', message: `Latest image tag for ${image} resolved to ${latest}` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'ReconciliationFailed',
          message:
            'unable to determine latest version from provided list: version list argument cannot be empty',
        },
        {
          reason: 'AccessDenied',
          message: `access denied to cross-namespace ImageRepository '${repo.namespace ?? 'flux-system'}/${repo.name}'`,
        },
      ]),
    'reconciliation in progress',
  );
  const resolved = ctx.state === 'ready' || ctx.state === 'suspended';
  return {
    spec: {
      ...(policyKind === 'semver'
        ? {}
        : { filterTags: { extract: '$ts', pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)' } }),
      // The v1 CRD accepts `interval` only together with digest reflection.
      digestReflectionPolicy: 'Always',
      imageRepositoryRef: { name: repo.name, ...(repo.namespace ? { namespace: repo.namespace } : {}) },
      interval: '10m',
      policy,
    },
    status: {
      conditions,
      ...(resolved ? { latestRef: { digest: `sha256:${rng.hex(64)}`, name: image, tag: latest } } : {}),
      observedGeneration: observedGeneration(ctx),
      ...(resolved ? { observedPreviousRef: { name: image, tag: previous } } : {}),
    },
  };
}

function buildImageUpdateAutomation(ctx: Ctx): Built {
  const { rng, ns, name, layout } = ctx;
  const src = refTo(layout, 'GitRepository', ctx.j, ctx.slot);
  const facts = gitFacts(layout, src.namespace ?? ns, src.name);
  const branch = 'main';
  const commit = rng.hex(40);
  const conditions = conditionsFor(
    ctx,
    rng.chance(0.5)
      ? { reason: 'Succeeded', message: `pushed commit '${commit.slice(0, 7)}' to branch '${branch}'` }
      : { reason: 'Succeeded', message: 'repository up-to-date' },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'GitOperationFailed',
          message: `failed to push to remote: unable to push: authorization failed`,
        },
        {
          reason: 'GitOperationFailed',
          message: `failed to checkout source: unable to clone '${facts.url}': dial tcp: lookup ${new URL(facts.url.replace(/^ssh:\/\/git@/, 'https://')).host} ${DNS}`,
        },
        {
          reason: 'InvalidSourceConfiguration',
          message: `invalid source configuration: source kind 'GitRepository' neither specified nor inferred from the automation`,
        },
      ]),
    'reconciliation in progress',
  );
  const ran = !(ctx.state === 'progressing' && ctx.generation === 1);
  const pushedAt = ctx.readyAt - rng.int(1, 48) * HOUR;
  return {
    spec: {
      git: {
        checkout: { ref: { branch } },
        commit: {
          author: { email: 'fluxcdbot@users.noreply.github.com', name: 'fluxcdbot' },
          messageTemplate:
            'Automated image update\n\n{{ range .Changed.Changes }}{{ print .OldValue }} -> {{ println .NewValue }}{{ end }}',
        },
        push: { branch },
      },
      interval: '30m',
      policySelector: { matchLabels: { 'app.kubernetes.io/name': name } },
      sourceRef: {
        kind: 'GitRepository',
        name: src.name,
        ...(src.namespace ? { namespace: src.namespace } : {}),
      },
      update: { path: `./apps/${ns}/${name}`, strategy: 'Setters' },
    },
    status: {
      conditions,
      ...(ran
        ? {
            lastAutomationRunTime: rfc3339(
              ctx.state === 'ready' ? ctx.now - rng.int(1, 29) * MINUTE : ctx.readyAt,
            ),
            lastPushCommit: commit,
            lastPushTime: rfc3339(pushedAt),
            observedPolicies: {
              [name]: { name: imageFor(layout, ns, name).image, tag: imageFor(layout, ns, name).tags[0] },
            },
            observedSourceRevision: facts.revision,
          }
        : {}),
      observedGeneration: observedGeneration(ctx),
    },
  };
}

function buildResourceSetInputProvider(ctx: Ctx): Built {
  const { rng, ns, name } = ctx;
  const type = RSIP_TYPES[ctx.slot % RSIP_TYPES.length] ?? 'Static';
  const app = name.replace(/-inputs$/, '');
  const url =
    type === 'GitHubPullRequest' || type === 'GitHubBranch'
      ? `https://github.com/acme/${app}`
      : type === 'GitLabMergeRequest'
        ? `https://gitlab.com/acme/${app}`
        : type === 'OCIArtifactTag'
          ? `oci://ghcr.io/acme/${app}`
          : undefined;
  const conditions = conditionsFor(
    ctx,
    { reason: 'ReconciliationSucceeded', message: `Reconciliation finished in ${rng.int(1, 4)}s` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'ReconciliationFailed',
          message: `failed to call provider: GET https://api.github.com/repos/acme/${app}/pulls?per_page=100&state=open: 401 Bad credentials []`,
        },
        {
          reason: 'ReconciliationFailed',
          message: `failed to get secret '${ns}/${app}-token': secrets "${app}-token" not found`,
        },
      ]),
    'Reconciliation in progress',
  );
  const inputs: Json[] = [];
  if (ctx.state === 'ready' || ctx.state === 'suspended') {
    const count = type === 'Static' ? 1 : rng.int(1, 3);
    for (let i = 0; i < count; i++) {
      const n = rng.int(10, 999);
      inputs.push(
        type === 'GitHubPullRequest' || type === 'GitLabMergeRequest'
          ? {
              author: 'dev' + (n % 7),
              branch: `feat-${n}`,
              id: String(n),
              sha: rng.hex(40),
              title: `Add feature ${n}`,
            }
          : type === 'OCIArtifactTag'
            ? { digest: `sha256:${rng.hex(64)}`, id: String(rng.uint32()), tag: `1.${n % 20}.${i}` }
            : type === 'GitHubBranch'
              ? { branch: `release-${i + 1}`, id: String(rng.uint32()), sha: rng.hex(40) }
              : { id: String(rng.uint32()), env: ns, replicas: 2 },
      );
    }
  }
  return {
    spec: {
      ...(type === 'Static' ? { defaultValues: { env: ns, replicas: 2 } } : {}),
      ...(type === 'GitHubPullRequest' || type === 'GitLabMergeRequest'
        ? { filter: { labels: ['deploy/preview'], limit: 10 } }
        : {}),
      ...(url ? { secretRef: { name: `${app}-token` }, url } : {}),
      type,
    },
    status: {
      conditions,
      ...(inputs.length > 0 ? { exportedInputs: inputs, lastExportedRevision: `sha256:${rng.hex(64)}` } : {}),
    },
  };
}

function buildResourceSet(ctx: Ctx): Built {
  const { rng, ns, name, layout } = ctx;
  const provider = refTo(layout, 'ResourceSetInputProvider', ctx.j, ctx.slot);
  const app = name.replace(/-previews$/, '');
  const n = countIn(layout, 'ResourceSet', ctx.j);
  let deps: Json[] | undefined;
  if (n >= 2 && (ctx.state === 'dependencyNotReady' || rng.chance(0.2))) {
    const target = (ctx.slot + 1 + rng.int(0, n - 2)) % n;
    deps = [
      {
        apiVersion: apiVersionOf('ResourceSet'),
        kind: 'ResourceSet',
        name: nameFor(layout, 'ResourceSet', ctx.j, target === ctx.slot ? (target + 1) % n : target),
        namespace: ns,
        ready: true,
      },
    ];
  }
  const conditions = conditionsFor(
    ctx,
    { reason: 'ReconciliationSucceeded', message: `Reconciliation finished in ${rng.int(1, 9)}s` },
    () =>
      rng.pick<Outcome>([
        {
          reason: 'BuildFailed',
          message: `failed to build resources: failed to compose resources: template: resources:7: function "inputs" not defined`,
        },
        {
          reason: 'HealthCheckFailed',
          message: `health check failed after 5m0s: timeout waiting for: [Kustomization/${ns}/${app}-pr status: 'InProgress']`,
        },
        {
          reason: 'ReconciliationFailed',
          message: `failed to get inputs: ResourceSetInputProvider '${ns}/${provider.name}' is not ready`,
        },
      ]),
    'Reconciliation in progress',
    `dependency ${apiVersionOf('ResourceSet')}/ResourceSet/${ns}/${(deps?.[0]?.name as string | undefined) ?? 'infra'} not ready`,
  );
  const entries: Json[] = [];
  if (ctx.state === 'ready' || ctx.state === 'suspended' || ctx.state === 'failing') {
    const count = rng.int(1, 3);
    for (let i = 0; i < count; i++) {
      const id = rng.int(10, 999);
      entries.push({ id: `${ns}_${app}-${id}_kustomize.toolkit.fluxcd.io_Kustomization`, v: 'v1' });
      entries.push({ id: `${ns}_${app}-${id}_source.toolkit.fluxcd.io_OCIRepository`, v: 'v1' });
    }
  }
  return {
    spec: {
      ...(deps ? { dependsOn: deps } : {}),
      inputsFrom: [{ kind: 'ResourceSetInputProvider', name: provider.name }],
      resources: [
        {
          apiVersion: apiVersionOf('OCIRepository'),
          kind: 'OCIRepository',
          metadata: { name: `${app}-<< inputs.id >>`, namespace: ns },
          spec: {
            interval: '10m',
            ref: { tag: '<< inputs.tag | default "latest" >>' },
            url: `oci://ghcr.io/acme/${app}`,
          },
        },
        {
          apiVersion: apiVersionOf('Kustomization'),
          kind: 'Kustomization',
          metadata: { name: `${app}-<< inputs.id >>`, namespace: ns },
          spec: {
            interval: '10m',
            path: './',
            prune: true,
            sourceRef: { kind: 'OCIRepository', name: `${app}-<< inputs.id >>` },
            targetNamespace: `${app}-<< inputs.id >>`,
          },
        },
      ],
    },
    status: {
      conditions,
      ...(entries.length > 0 ? { inventory: { entries }, lastAppliedRevision: `sha256:${rng.hex(64)}` } : {}),
    },
  };
}

function buildFluxInstance(ctx: Ctx, fluxVersion: string): Built {
  const { rng, layout } = ctx;
  const release = releaseOf(fluxVersion);
  const sync = layout.sync !== false ? layout.sync : DEFAULT_SYNC;
  const revision = `${fluxVersion}@sha256:${rng.hex(64)}`;
  const conditions = conditionsFor(
    ctx,
    { reason: 'ReconciliationSucceeded', message: `Reconciliation finished in ${rng.int(8, 60)}s` },
    () => ({
      reason: 'HealthCheckFailed',
      message: `health check failed after 5m0s: timeout waiting for: [Deployment/${ctx.ns}/image-automation-controller status: 'InProgress']`,
    }),
    'Reconciliation in progress',
  );
  const entries: Json[] = [];
  for (const info of FLUX_KINDS)
    entries.push({
      id: `_${info.plural}.${info.group}_apiextensions.k8s.io_CustomResourceDefinition`,
      v: 'v1',
    });
  for (const c of CONTROLLERS) entries.push({ id: `${ctx.ns}_${c}_apps_Deployment`, v: 'v1' });
  return {
    annotations: {
      'fluxcd.controlplane.io/reconcileEvery': '1h',
      'fluxcd.controlplane.io/reconcileTimeout': '5m',
    },
    spec: {
      cluster: {
        domain: 'cluster.local',
        multitenant: false,
        networkPolicy: true,
        size: 'medium',
        type: 'kubernetes',
      },
      components: [...CONTROLLERS],
      distribution: {
        artifact: 'oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests',
        registry: 'ghcr.io/fluxcd',
        version: '2.7.x',
      },
      sync: {
        kind: 'GitRepository',
        path: sync.path,
        ref: `refs/heads/${sync.branch ?? 'main'}`,
        url: sync.url,
      },
    },
    status: {
      components: CONTROLLERS.map((c) => ({
        digest: `sha256:${new Rng(`${c}|${release[c]}`).hex(64)}`,
        name: c,
        repository: `ghcr.io/fluxcd/${c}`,
        tag: release[c],
      })),
      conditions,
      inventory: { entries },
      lastAppliedRevision: revision,
      lastArtifactRevision: `latest@sha256:${rng.hex(64)}`,
      lastAttemptedRevision: revision,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The generator.

function perKindCount(perKind: GenerateOptions['perKind'], kind: GeneratedKind): number {
  if (perKind === undefined) return 10;
  if (typeof perKind === 'number') return perKind;
  return perKind[kind] ?? perKind.default ?? 0;
}

/** Ready lastTransitionTime: a share within ten minutes, the rest older; never within 10 s of the edge. */
function readyTime(rng: Rng, now: number, state: ObjectState, recentShare: number): number {
  if (state === 'suspended') return now - rng.int(1 * DAY, 60 * DAY);
  if (rng.chance(recentShare)) return now - rng.int(20 * SECOND, 9 * MINUTE + 50 * SECOND);
  // Mostly within a day, with a tail of objects stable for weeks.
  return rng.chance(0.7) ? now - rng.int(10 * MINUTE + 10 * SECOND, DAY) : now - rng.int(DAY, 45 * DAY);
}

/**
 * Generates Flux objects. Kinds come in `GENERATED_KINDS` order, each kind's objects placed
 * round-robin over the namespaces; states are dealt out exactly by `stateMix` (see `stateQuotas`).
 */
export function generateFluxObjects(opts: GenerateOptions): KubeObject[] {
  const now = toMs(opts.now);
  const namespaces = opts.namespaces ?? DEFAULT_NAMESPACES;
  if (namespaces.length === 0) throw new Error('generateFluxObjects: no namespaces');
  const fluxNamespace = opts.fluxNamespace ?? 'flux-system';
  const mix = opts.stateMix ?? DEFAULT_STATE_MIX;
  const recentShare = opts.recentShare ?? 0.35;
  const fluxVersion = opts.fluxVersion ?? DEFAULT_FLUX_VERSION;
  const layout: Layout = {
    namespaces,
    fluxNamespace,
    sync: opts.sync === undefined ? DEFAULT_SYNC : opts.sync,
    counts: new Map(),
    seed: String(opts.seed),
  };
  for (const kind of GENERATED_KINDS) {
    const n = Math.max(0, Math.floor(perKindCount(opts.perKind, kind)));
    layout.counts.set(kind, kind === 'FluxInstance' ? Math.min(n, 1) : n);
  }
  const out: KubeObject[] = [];
  for (const kind of GENERATED_KINDS) {
    const n = layout.counts.get(kind) ?? 0;
    if (n === 0) continue;
    const info = kindInfo(kind);
    const rng = new Rng(`${layout.seed}|${kind}`);
    if (kind === 'FluxInstance') {
      const state = opts.fluxInstanceState ?? 'ready';
      const j = Math.max(0, namespaces.indexOf(fluxNamespace));
      out.push(buildObject(layout, rng, now, info, kind, j, 0, state, recentShare, fluxVersion, 'flux'));
      continue;
    }
    const quotas = stateQuotas(n, info.states, mix);
    const states: ObjectState[] = [];
    for (const s of OBJECT_STATES) for (let i = 0; i < quotas[s]; i++) states.push(s);
    rng.shuffle(states);
    // The bootstrap sync objects must be Ready: swap their state with a ready object's.
    if (layout.sync !== false && (kind === 'GitRepository' || kind === 'Kustomization')) {
      const fj = namespaces.indexOf(fluxNamespace);
      if (fj >= 0 && fj < n && states[fj] !== 'ready') {
        const r = states.indexOf('ready');
        if (r >= 0) {
          states[r] = states[fj] as ObjectState;
        }
        states[fj] = 'ready';
      }
    }
    for (let i = 0; i < n; i++) {
      const j = i % namespaces.length;
      const slot = Math.floor(i / namespaces.length);
      out.push(
        buildObject(layout, rng, now, info, kind, j, slot, states[i] ?? 'ready', recentShare, fluxVersion),
      );
    }
  }
  return out;
}

function buildObject(
  layout: Layout,
  rng: Rng,
  now: number,
  info: KindInfo,
  kind: GeneratedKind,
  j: number,
  slot: number,
  state: ObjectState,
  recentShare: number,
  fluxVersion: string,
  name?: string,
): KubeObject {
  const ns = layout.namespaces[j] ?? layout.fluxNamespace;
  const readyAt = readyTime(rng, now, state, recentShare);
  const ctx: Ctx = {
    layout,
    rng,
    now,
    info,
    kind,
    j,
    ns: kind === 'FluxInstance' ? layout.fluxNamespace : ns,
    slot,
    name: name ?? nameFor(layout, kind, j, slot),
    state,
    generation: rng.int(1, 9),
    readyAt,
    created: readyAt - rng.int(HOUR, 400 * DAY),
    recentShare,
  };
  const uid = rng.uuid();
  let built: Built;
  switch (kind) {
    case 'GitRepository':
      built = buildGitRepository(ctx);
      break;
    case 'OCIRepository':
      built = buildOCIRepository(ctx);
      break;
    case 'HelmRepository':
      built = buildHelmRepository(ctx);
      break;
    case 'HelmChart':
      built = buildHelmChart(ctx);
      break;
    case 'Bucket':
      built = buildBucket(ctx);
      break;
    case 'ExternalArtifact':
      built = buildExternalArtifact(ctx);
      break;
    case 'Kustomization':
      built = buildKustomization(ctx);
      break;
    case 'HelmRelease':
      built = buildHelmRelease(ctx);
      break;
    case 'Alert':
      built = buildAlert(ctx);
      break;
    case 'Provider':
      built = buildProvider(ctx);
      break;
    case 'Receiver':
      built = buildReceiver(ctx);
      break;
    case 'ImageRepository':
      built = buildImageRepository(ctx);
      break;
    case 'ImagePolicy':
      built = buildImagePolicy(ctx);
      break;
    case 'ImageUpdateAutomation':
      built = buildImageUpdateAutomation(ctx);
      break;
    case 'FluxInstance':
      built = buildFluxInstance(ctx, fluxVersion);
      break;
    case 'ResourceSetInputProvider':
      built = buildResourceSetInputProvider(ctx);
      break;
    case 'ResourceSet':
      built = buildResourceSet(ctx);
      break;
  }
  // Flux kinds suspend through the spec; the operator's kinds through the reconcile annotation.
  const spec =
    state === 'suspended' && info.group !== OPERATOR ? { ...built.spec, suspend: true } : built.spec;
  const labels: Record<string, string> = {
    ...(ctx.name === layout.fluxNamespace && (kind === 'GitRepository' || kind === 'Kustomization')
      ? {
          'kustomize.toolkit.fluxcd.io/name': layout.fluxNamespace,
          'kustomize.toolkit.fluxcd.io/namespace': layout.fluxNamespace,
        }
      : {}),
    ...built.labels,
  };
  const annotations: Record<string, string> = {
    ...built.annotations,
    ...(state === 'suspended' && info.group === OPERATOR ? { [RECONCILE_ANNOTATION]: 'disabled' } : {}),
  };
  const metadata: ObjectMeta = {
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    creationTimestamp: rfc3339(ctx.created),
    finalizers: [finalizerFor(info)],
    generation: ctx.generation,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    name: ctx.name,
    namespace: ctx.ns,
    resourceVersion: String(rng.int(1_000_000, 9_999_999)),
    uid,
  };
  if (!info.statusSubresource || kind === 'Alert' || kind === 'Provider') delete metadata.finalizers;
  const obj: KubeObject = { apiVersion: `${info.group}/${info.version}`, kind, metadata, spec };
  if (built.status !== undefined) obj.status = built.status;
  return obj;
}

function finalizerFor(info: KindInfo): string {
  return info.group === OPERATOR ? 'fluxcd.controlplane.io/finalizer' : 'finalizers.fluxcd.io';
}

/** The object's state as the generator meant it, read back from the object (for tests and tallies). */
export function stateOf(obj: KubeObject): ObjectState {
  const spec = obj.spec ?? {};
  if (spec.suspend === true || obj.metadata.annotations?.[RECONCILE_ANNOTATION] === 'disabled')
    return 'suspended';
  const conditions = (obj.status?.conditions as Condition[] | undefined) ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (!ready) return 'ready'; // Alert, Provider, OCI HelmRepository: static, healthy by definition.
  if (ready.status === 'True') return 'ready';
  if (ready.status === 'Unknown') return 'progressing';
  return ready.reason === 'DependencyNotReady' ? 'dependencyNotReady' : 'failing';
}

// ---------------------------------------------------------------------------------------------
// API server helpers.

/** Fields the API server owns in metadata: a create request must not carry them. */
const SERVER_METADATA = [
  'uid',
  'creationTimestamp',
  'resourceVersion',
  'generation',
  'managedFields',
  'deletionTimestamp',
];

/**
 * Splits an object into what to POST (without server-owned metadata and without status) and the
 * status to write afterwards through the status subresource (undefined when the kind has none).
 */
export function forApiServer(obj: KubeObject): { object: KubeObject; status?: Json } {
  const metadata: ObjectMeta = { ...obj.metadata };
  for (const key of SERVER_METADATA) delete metadata[key];
  const { status, ...rest } = obj;
  const object: KubeObject = { ...rest, metadata } as KubeObject;
  return status === undefined ? { object } : { object, status };
}

// ---------------------------------------------------------------------------------------------
// CRD stubs.

export interface CrdStubOptions {
  /** Include the operator's CRDs (not labelled part-of=flux), default true. */
  operator?: boolean;
  operatorVersion?: string;
  /** `app.kubernetes.io/managed-by` on the Flux CRDs (e.g. `flux-operator`); absent by default. */
  managedBy?: string;
  /** Lists the deprecated version first in `status.storedVersions`, as on a cluster upgraded from 2.6. */
  legacyStoredVersions?: boolean;
  /** `app.kubernetes.io/instance`, default `flux-system`. */
  instance?: string;
  /** creationTimestamp of the CRDs (default 2025-01-01). */
  created?: Date | string | number;
}

/**
 * Minimal CustomResourceDefinitions for the Flux kinds (install labels, names, versions, stored
 * versions; no schema), plus the operator's.
 */
export function fluxCrdStubs(
  fluxVersion: string = DEFAULT_FLUX_VERSION,
  opts: CrdStubOptions = {},
): KubeObject[] {
  releaseOf(fluxVersion);
  const created = rfc3339(toMs(opts.created ?? '2025-01-01T00:00:00Z'));
  const out = FLUX_KINDS.map((info) => {
    const labels: Record<string, string> = {
      'app.kubernetes.io/component': info.controller ?? '',
      'app.kubernetes.io/instance': opts.instance ?? 'flux-system',
      ...(opts.managedBy ? { 'app.kubernetes.io/managed-by': opts.managedBy } : {}),
      'app.kubernetes.io/part-of': 'flux',
      'app.kubernetes.io/version': fluxVersion,
    };
    const deprecated = info.deprecated ?? [];
    return crdStub(
      info,
      labels,
      { 'controller-gen.kubebuilder.io/version': 'v0.19.0' },
      created,
      deprecated,
      opts.legacyStoredVersions === true,
    );
  });
  if (opts.operator !== false) out.push(...operatorCrdStubs(opts.operatorVersion, opts.created));
  return out;
}

export function operatorCrdStubs(
  operatorVersion: string = DEFAULT_OPERATOR_VERSION,
  createdAt?: Date | string | number,
): KubeObject[] {
  const created = rfc3339(toMs(createdAt ?? '2025-01-01T00:00:00Z'));
  return OPERATOR_KIND_INFO.map((info) =>
    crdStub(
      info,
      {
        'app.kubernetes.io/instance': 'flux-operator',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/name': 'flux-operator',
        'app.kubernetes.io/version': operatorVersion,
        'helm.sh/chart': `flux-operator-${operatorVersion.replace(/^v/, '')}`,
      },
      { 'controller-gen.kubebuilder.io/version': 'v0.21.0' },
      created,
      [],
      false,
    ),
  );
}

function crdStub(
  info: KindInfo,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  created: string,
  deprecated: string[],
  legacy: boolean,
): KubeObject {
  const name = `${info.plural}.${info.group}`;
  const r = new Rng(`crd|${name}`);
  const versions = [info.version, ...deprecated].sort().map((v) => ({
    ...(v !== info.version ? { deprecated: true } : {}),
    name: v,
    served: true,
    storage: v === info.version,
    ...(info.statusSubresource ? { subresources: { status: {} } } : {}),
  }));
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      annotations,
      creationTimestamp: created,
      generation: 1,
      labels,
      name,
      resourceVersion: String(1000 + r.int(0, 8999)),
      uid: r.uuid(),
    },
    spec: {
      group: info.group,
      names: {
        ...(info.group === OPERATOR ? { categories: ['fluxcd'] } : {}),
        kind: info.kind,
        listKind: `${info.kind}List`,
        plural: info.plural,
        ...(info.shortNames ? { shortNames: info.shortNames } : {}),
        singular: info.kind.toLowerCase(),
      },
      scope: 'Namespaced',
      versions,
    },
    status: {
      acceptedNames: {
        kind: info.kind,
        listKind: `${info.kind}List`,
        plural: info.plural,
        singular: info.kind.toLowerCase(),
      },
      storedVersions: legacy && deprecated.length > 0 ? [...deprecated, info.version] : [info.version],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Controller Deployments.

export interface DeploymentOptions {
  fluxVersion?: string;
  namespace?: string;
  now: Date | string | number;
  /** Controllers that are not available: their new ReplicaSet's pod is not ready. */
  notReady?: readonly ControllerName[];
  /** How long the not-ready controllers have been unavailable (default 3 minutes). */
  notReadyForMs?: number;
  managedBy?: string;
}

/** The six Flux controllers as Deployments in the Flux namespace, labelled as `flux install` does. */
export function controllerDeployments(opts: DeploymentOptions): KubeObject[] {
  const fluxVersion = opts.fluxVersion ?? DEFAULT_FLUX_VERSION;
  const release = releaseOf(fluxVersion);
  const namespace = opts.namespace ?? 'flux-system';
  const now = toMs(opts.now);
  const notReady = new Set(opts.notReady ?? []);
  return CONTROLLERS.map((name) => {
    const r = new Rng(`deployment|${namespace}|${name}`);
    const broken = notReady.has(name);
    const generation = broken ? 3 : 2;
    const installed = now - r.int(20, 90) * DAY;
    const upgraded = now - r.int(2, 15) * DAY;
    const since = broken ? now - (opts.notReadyForMs ?? 3 * MINUTE) : upgraded;
    const rs = `${name}-${r
      .hex(10)
      .replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)] ?? 'x')
      .slice(0, 9)}`;
    const labels: Record<string, string> = {
      'app.kubernetes.io/component': name,
      'app.kubernetes.io/instance': namespace,
      ...(opts.managedBy ? { 'app.kubernetes.io/managed-by': opts.managedBy } : {}),
      'app.kubernetes.io/part-of': 'flux',
      'app.kubernetes.io/version': fluxVersion,
      'control-plane': 'controller',
    };
    const status: Json = broken
      ? {
          conditions: [
            {
              lastTransitionTime: rfc3339(since),
              lastUpdateTime: rfc3339(since),
              message: 'Deployment does not have minimum availability.',
              reason: 'MinimumReplicasUnavailable',
              status: 'False',
              type: 'Available',
            },
            {
              lastTransitionTime: rfc3339(upgraded),
              lastUpdateTime: rfc3339(since),
              message: `ReplicaSet "${rs}" is progressing.`,
              reason: 'ReplicaSetUpdated',
              status: 'True',
              type: 'Progressing',
            },
          ],
          observedGeneration: generation,
          replicas: 1,
          unavailableReplicas: 1,
          updatedReplicas: 1,
        }
      : {
          availableReplicas: 1,
          conditions: [
            {
              lastTransitionTime: rfc3339(upgraded + MINUTE),
              lastUpdateTime: rfc3339(upgraded + MINUTE),
              message: 'Deployment has minimum availability.',
              reason: 'MinimumReplicasAvailable',
              status: 'True',
              type: 'Available',
            },
            {
              lastTransitionTime: rfc3339(installed),
              lastUpdateTime: rfc3339(upgraded + MINUTE),
              message: `ReplicaSet "${rs}" has successfully progressed.`,
              reason: 'NewReplicaSetAvailable',
              status: 'True',
              type: 'Progressing',
            },
          ],
          observedGeneration: generation,
          readyReplicas: 1,
          replicas: 1,
          updatedReplicas: 1,
        };
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        annotations: { 'deployment.kubernetes.io/revision': String(generation) },
        creationTimestamp: rfc3339(installed),
        generation,
        labels,
        name,
        namespace,
        resourceVersion: String(r.int(100_000, 999_999)),
        uid: r.uuid(),
      },
      spec: {
        progressDeadlineSeconds: 600,
        replicas: 1,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { app: name } },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: {
          metadata: {
            annotations: { 'prometheus.io/port': '8080', 'prometheus.io/scrape': 'true' },
            labels: { app: name },
          },
          spec: {
            containers: [
              {
                args: [
                  '--events-addr=http://notification-controller.flux-system.svc.cluster.local./',
                  '--watch-all-namespaces=true',
                  '--log-level=info',
                  '--log-encoding=json',
                  '--enable-leader-election',
                ],
                image: `ghcr.io/fluxcd/${name}:${release[name]}`,
                imagePullPolicy: 'IfNotPresent',
                name: 'manager',
                ports: [
                  { containerPort: 8080, name: 'http-prom', protocol: 'TCP' },
                  { containerPort: 9440, name: 'healthz', protocol: 'TCP' },
                ],
                readinessProbe: { httpGet: { path: '/readyz', port: 'healthz' } },
                resources: {
                  limits: { cpu: '1000m', memory: '1Gi' },
                  requests: { cpu: '100m', memory: '64Mi' },
                },
              },
            ],
            serviceAccountName: name,
          },
        },
      },
      status,
    };
  });
}

/** The Flux Operator's own Deployment (not part-of=flux, so a collector must leave it out). */
export function operatorDeployment(opts: {
  now: Date | string | number;
  namespace?: string;
  version?: string;
}): KubeObject {
  const now = toMs(opts.now);
  const version = opts.version ?? DEFAULT_OPERATOR_VERSION;
  const namespace = opts.namespace ?? 'flux-system';
  const r = new Rng(`deployment|${namespace}|flux-operator`);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      creationTimestamp: rfc3339(now - 100 * DAY),
      generation: 1,
      labels: {
        'app.kubernetes.io/instance': 'flux-operator',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/name': 'flux-operator',
        'app.kubernetes.io/version': version,
      },
      name: 'flux-operator',
      namespace,
      resourceVersion: String(r.int(100_000, 999_999)),
      uid: r.uuid(),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'flux-operator' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'flux-operator' } },
        spec: {
          containers: [{ image: `ghcr.io/controlplaneio-fluxcd/flux-operator:${version}`, name: 'manager' }],
        },
      },
    },
    status: {
      availableReplicas: 1,
      observedGeneration: 1,
      readyReplicas: 1,
      replicas: 1,
      updatedReplicas: 1,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Nodes and events.

export interface NodeOptions {
  now?: Date | string | number;
  /** kubelet version, default v1.33.5. */
  kubeletVersion?: string;
  /** Name prefix, default `demo` (kind-style names: demo-control-plane, demo-worker, demo-worker2). */
  prefix?: string;
}

export function nodes(n: number, opts: NodeOptions = {}): KubeObject[] {
  const now = toMs(opts.now ?? '2026-01-01T00:00:00Z');
  const prefix = opts.prefix ?? 'demo';
  const kubelet = opts.kubeletVersion ?? 'v1.33.5';
  const out: KubeObject[] = [];
  for (let i = 0; i < n; i++) {
    const name = i === 0 ? `${prefix}-control-plane` : i === 1 ? `${prefix}-worker` : `${prefix}-worker${i}`;
    const r = new Rng(`node|${name}`);
    out.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        creationTimestamp: rfc3339(now - 120 * DAY),
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          ...(i === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        },
        name,
        resourceVersion: String(r.int(100_000, 999_999)),
        uid: r.uuid(),
      },
      spec: { podCIDR: `10.244.${i}.0/24`, providerID: `kind://docker/${prefix}/${name}` },
      status: {
        addresses: [
          { address: `172.18.0.${i + 2}`, type: 'InternalIP' },
          { address: name, type: 'Hostname' },
        ],
        allocatable: { cpu: '8', 'ephemeral-storage': '102626232Ki', memory: '32611676Ki', pods: '110' },
        capacity: { cpu: '8', 'ephemeral-storage': '102626232Ki', memory: '32611676Ki', pods: '110' },
        conditions: [
          {
            lastHeartbeatTime: rfc3339(now - r.int(5, 60) * SECOND),
            lastTransitionTime: rfc3339(now - 120 * DAY + 30 * SECOND),
            message: 'kubelet is posting ready status',
            reason: 'KubeletReady',
            status: 'True',
            type: 'Ready',
          },
        ],
        nodeInfo: {
          architecture: 'amd64',
          containerRuntimeVersion: 'containerd://2.1.3',
          kernelVersion: '6.8.0-85-generic',
          kubeProxyVersion: kubelet,
          kubeletVersion: kubelet,
          operatingSystem: 'linux',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
        },
      },
    });
  }
  return out;
}

export interface EventOptions {
  now: Date | string | number;
  seed?: string | number;
}

/**
 * core/v1 Warning events for the failing objects (Ready=False, reason other than DependencyNotReady,
 * not suspended), as the Flux controllers emit them: reason and message are the Ready condition's.
 */
export function warningEvents(objects: readonly KubeObject[], opts: EventOptions): KubeObject[] {
  const now = toMs(opts.now);
  const rng = new Rng(`events|${String(opts.seed ?? 0)}`);
  const out: KubeObject[] = [];
  for (const obj of objects) {
    if (stateOf(obj) !== 'failing') continue;
    const conditions = (obj.status?.conditions as Condition[] | undefined) ?? [];
    const ready = conditions.find((c) => c.type === 'Ready');
    if (!ready) continue;
    const info = kindInfo(obj.kind);
    const first = Date.parse(ready.lastTransitionTime);
    const last = Math.min(now, first + rng.int(0, 30) * MINUTE);
    const count = last === first ? 1 : rng.int(2, 40);
    const component = info.controller ?? 'flux-operator';
    const revision =
      (obj.status?.lastAttemptedRevision as string | undefined) ??
      ((obj.status?.artifact as Json | undefined)?.revision as string | undefined);
    out.push({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        ...(revision && info.group.endsWith('.toolkit.fluxcd.io')
          ? { annotations: { [`${info.group}/revision`]: revision } }
          : {}),
        creationTimestamp: rfc3339(first),
        name: `${obj.metadata.name}.${rng.hex(16)}`,
        namespace: obj.metadata.namespace ?? 'default',
        resourceVersion: String(rng.int(1_000_000, 9_999_999)),
        uid: rng.uuid(),
      },
      count,
      firstTimestamp: rfc3339(first),
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        ...(obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
        ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}),
      },
      lastTimestamp: rfc3339(last),
      message: ready.message,
      reason: ready.reason,
      reportingComponent: component,
      reportingInstance: '',
      source: { component },
      type: 'Warning',
    });
  }
  return out;
}
