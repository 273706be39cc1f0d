/**
 * Turns whole Kubernetes objects into the Inventory's compact records. Both the live collector and
 * the snapshot reader go through here, so a cluster and its snapshot yield the same Inventory.
 */
import type {
  Condition,
  Deployment,
  FluxCrd,
  FluxObject,
  ObjectRef,
  WarningEvent,
} from '../inventory/index.js';
import {
  asArray,
  asNumber,
  asObject,
  asString,
  asTimestamp,
  field,
  metadataOf,
  type KubeObject,
} from './kube-object.js';
import { redactText, redactUrl } from './redact.js';

const RECONCILE_ANNOTATION = 'fluxcd.controlplane.io/reconcile';
const REQUESTED_AT_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';

export function compactConditions(v: unknown): Condition[] {
  const out: Condition[] = [];
  for (const item of asArray(v)) {
    const c = asObject(item);
    const type = asString(c?.type);
    if (!c || type === undefined) continue;
    const cond: Condition = {
      type,
      status: asString(c.status) ?? '',
      reason: asString(c.reason) ?? '',
      message: redactText(asString(c.message) ?? ''),
    };
    const ltt = asTimestamp(c.lastTransitionTime);
    if (ltt !== undefined) cond.lastTransitionTime = ltt;
    const og = asNumber(c.observedGeneration);
    if (og !== undefined) cond.observedGeneration = og;
    out.push(cond);
  }
  return out;
}

function compactRef(v: unknown): ObjectRef | undefined {
  const o = asObject(v);
  const name = asString(o?.name);
  if (!o || name === undefined) return undefined;
  const ref: ObjectRef = { name };
  const kind = asString(o.kind);
  if (kind !== undefined) ref.kind = kind;
  const ns = asString(o.namespace);
  if (ns !== undefined) ref.namespace = ns;
  const av = asString(o.apiVersion);
  if (av !== undefined) ref.apiVersion = av;
  return ref;
}

/** Copies the string-valued keys that are present, so absent fields stay absent in JSON output. */
function pickStrings<K extends string>(
  v: unknown,
  keys: readonly K[],
): Partial<Record<K, string>> | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const out: Partial<Record<K, string>> = {};
  let any = false;
  for (const k of keys) {
    const s = asString(o[k]);
    if (s !== undefined) {
      out[k] = s;
      any = true;
    }
  }
  return any ? out : undefined;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function disabledMarker(map: Record<string, string> | undefined): boolean {
  const v = map?.[RECONCILE_ANNOTATION];
  return v !== undefined && v.toLowerCase() === 'disabled';
}

/** `kind` names the object when the raw form omits it (items of a raw API list do). */
export function compactFluxObject(raw: KubeObject, apiVersion: string, kind?: string): FluxObject {
  const meta = metadataOf(raw);
  const spec = raw.spec;
  const status = raw.status;
  const objKind = asString(raw.kind) ?? kind ?? '';

  const obj: FluxObject = {
    kind: objKind,
    apiVersion,
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    reconcileDisabled: {
      inLabels: disabledMarker(meta.labels),
      inAnnotations: disabledMarker(meta.annotations),
    },
    spec: { suspend: field(spec, 'suspend') === true },
    status: {},
    conditions: compactConditions(field(status, 'conditions')),
  };
  setIf(obj, 'creationTimestamp', meta.creationTimestamp);
  setIf(obj, 'generation', meta.generation);
  setIf(obj, 'deletionTimestamp', meta.deletionTimestamp);
  setIf(obj, 'requestedAt', meta.annotations?.[REQUESTED_AT_ANNOTATION]);

  const s = obj.spec;
  for (const key of ['interval', 'bucketName', 'type', 'image', 'path'] as const) {
    setIf(s, key, asString(field(spec, key)));
  }
  for (const key of ['url', 'endpoint', 'address'] as const) {
    const v = asString(field(spec, key));
    if (v !== undefined) s[key] = redactUrl(v);
  }
  setIf(s, 'ref', pickStrings(field(spec, 'ref'), ['branch', 'tag', 'semver', 'name', 'commit', 'digest']));
  setIf(s, 'sourceRef', compactRef(field(spec, 'sourceRef')));
  setIf(s, 'chartRef', compactRef(field(spec, 'chartRef')));
  setIf(s, 'imageRepositoryRef', compactRef(field(spec, 'imageRepositoryRef')));

  // HelmRelease nests its chart template under spec.chart.spec; HelmChart has spec.chart as a string.
  const chartSpec = field(spec, 'chart', 'spec');
  if (asObject(chartSpec)) {
    const chart: NonNullable<FluxObject['spec']['chart']> = {};
    setIf(chart, 'chart', asString(field(chartSpec, 'chart')));
    setIf(chart, 'version', asString(field(chartSpec, 'version')));
    setIf(chart, 'sourceRef', compactRef(field(chartSpec, 'sourceRef')));
    s.chart = chart;
  }
  setIf(s, 'chartName', asString(field(spec, 'chart')));
  setIf(s, 'chartVersion', asString(field(spec, 'version')));

  const deps = asArray(field(spec, 'dependsOn'))
    .map(compactRef)
    .filter((r): r is ObjectRef => r !== undefined);
  if (deps.length > 0) s.dependsOn = deps;
  setIf(s, 'distribution', pickStrings(field(spec, 'distribution'), ['version', 'registry']));
  const sync = pickStrings(field(spec, 'sync'), ['name', 'kind', 'url', 'ref', 'path']);
  if (sync?.url !== undefined) sync.url = redactUrl(sync.url);
  setIf(s, 'sync', sync);

  const st = obj.status;
  setIf(st, 'observedGeneration', asNumber(field(status, 'observedGeneration')));
  const artifact = asObject(field(status, 'artifact'));
  if (artifact) {
    const a: NonNullable<FluxObject['status']['artifact']> = {};
    setIf(a, 'revision', asString(artifact.revision));
    setIf(a, 'digest', asString(artifact.digest));
    setIf(a, 'size', asNumber(artifact.size));
    setIf(a, 'lastUpdateTime', asTimestamp(artifact.lastUpdateTime));
    st.artifact = a;
  }
  for (const key of [
    'lastAppliedRevision',
    'lastAttemptedRevision',
    'lastHandledReconcileAt',
    'webhookPath',
  ] as const) {
    setIf(st, key, asString(field(status, key)));
  }
  const latest = asObject(asArray(field(status, 'history'))[0]);
  if (latest) {
    setIf(st, 'latestRelease', pickStrings(latest, ['chartName', 'chartVersion', 'appVersion', 'digest']));
  }
  const entries = field(status, 'inventory', 'entries');
  if (Array.isArray(entries)) st.inventoryEntries = entries.length;
  return obj;
}

/** Returns the CRD record, or undefined when the object is not a usable CRD. */
export function compactCrd(raw: KubeObject): FluxCrd | undefined {
  const meta = metadataOf(raw);
  const group = asString(field(raw.spec, 'group'));
  const kind = asString(field(raw.spec, 'names', 'kind'));
  const plural = asString(field(raw.spec, 'names', 'plural'));
  if (!meta.name || !group || !kind || !plural) return undefined;
  const storedVersions = asArray(field(raw.status, 'storedVersions')).filter(
    (v): v is string => typeof v === 'string',
  );
  const servedVersions = asArray(field(raw.spec, 'versions'))
    .filter((v) => field(v, 'served') === true)
    .map((v) => asString(field(v, 'name')))
    .filter((v): v is string => v !== undefined);
  return { name: meta.name, group, kind, plural, storedVersions, servedVersions, labels: meta.labels ?? {} };
}

export function compactDeployment(raw: KubeObject): Deployment {
  const meta = metadataOf(raw);
  const containers = asArray(field(raw.spec, 'template', 'spec', 'containers'));
  const d: Deployment = {
    name: meta.name ?? '',
    namespace: meta.namespace ?? '',
    image: asString(field(containers[0], 'image')) ?? '',
    status: {},
    conditions: compactConditions(field(raw.status, 'conditions')),
  };
  setIf(d, 'generation', meta.generation);
  setIf(d, 'deletionTimestamp', meta.deletionTimestamp);
  setIf(d, 'replicas', asNumber(field(raw.spec, 'replicas')));
  setIf(d, 'progressDeadlineSeconds', asNumber(field(raw.spec, 'progressDeadlineSeconds')));
  for (const key of [
    'observedGeneration',
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
  ] as const) {
    setIf(d.status, key, asNumber(field(raw.status, key)));
  }
  return d;
}

/**
 * Reads a core/v1 or events.k8s.io/v1 Event. Returns undefined for anything but a Warning, since
 * only warnings explain why an object is not ready.
 */
export function compactWarningEvent(raw: KubeObject): WarningEvent | undefined {
  if (asString(raw.type) !== 'Warning') return undefined;
  const meta = metadataOf(raw);
  // core/v1 names the object `involvedObject`; events.k8s.io/v1 calls it `regarding`.
  const regarding = asObject(raw.involvedObject) ?? asObject(raw.regarding);
  const kind = asString(regarding?.kind);
  const name = asString(regarding?.name);
  if (!kind || !name) return undefined;
  const times = [
    asTimestamp(raw.lastTimestamp),
    asTimestamp(field(raw.series, 'lastObservedTime')),
    asTimestamp(raw.eventTime),
    asTimestamp(raw.firstTimestamp),
    asTimestamp(raw.deprecatedLastTimestamp),
    meta.creationTimestamp,
  ].filter((t): t is string => t !== undefined);
  const newest = times.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  const ev: WarningEvent = {
    involvedKind: kind,
    namespace: asString(regarding?.namespace) ?? meta.namespace ?? '',
    name,
    reason: asString(raw.reason) ?? '',
    message: redactText(asString(raw.message) ?? asString(raw.note) ?? ''),
    count: asNumber(raw.count) ?? asNumber(field(raw.series, 'count')) ?? asNumber(raw.deprecatedCount) ?? 1,
  };
  setIf(ev, 'timestamp', newest);
  return ev;
}
