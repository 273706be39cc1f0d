import { compareStrings } from '../go/strings.js';
import { firstReady, sinceOf, type Inventory, type KindState, type OutOfScope } from '../inventory/index.js';
import { computeSpec, type SpecComputation } from './report.js';
import { diffReports, type ReportDifference } from './diff.js';
import { failingCount, isOperatorObject, displayRevisionOf } from './objects.js';
import { listError, type KindTally } from './reconcilers.js';
import { resourceStatus, type ObjectState } from './resource-status.js';
import { formatSize } from './size.js';
import { betterSync } from './sync.js';
import { rfc3339 } from './time.js';
import type { ComputeStop, FluxReport, SyncStatus, ToolInfo } from './types.js';

export interface KindSummary {
  apiVersion: string;
  kind: string;
  state: KindState;
  error?: string;
  total: number;
  running: number;
  failing: number;
  suspended: number;
  totalSize?: string;
}

export interface ObjectSummary {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  state: ObjectState;
  /** The Ready condition's status verbatim, `Unknown` when there is none. */
  ready: string;
  reason: string;
  message: string;
  /** When the current Ready status began (else the creation time), RFC 3339. */
  since?: string;
  revision: string;
  suspended: boolean;
}

export interface FailingObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  reason: string;
  message: string;
  since?: string;
  revision: string;
}

export interface SyncAnswer {
  /** The sync with its source found by `sourceRef` (name and namespace), not by the sync's own name. */
  sync?: SyncStatus;
  error?: string;
  /** True when this answer differs from the FluxReport's `spec.sync`. */
  differsFromReport: boolean;
}

export interface ExistingReportComparison {
  namespace: string;
  ready?: { status: string; reason: string; message: string; lastTransitionTime?: string };
  differences: ReportDifference[];
}

/** Flux Health's own section of `report.json`: what the FluxReport cannot say. */
export interface HealthSection {
  tool: { name: string; version: string; platform: string };
  checkedAt: string;
  namespace: string;
  source: Inventory['source'];
  /**
   * What the check covered: `all` namespaces, or only these; what it did not read because it lies
   * outside them is out of scope, which is not forbidden.
   */
  scope: { namespaces: 'all' | string[]; outOfScope: OutOfScope[] };
  /** Where the operator would have stopped computing, and which sections the FluxReport lacks because of it. */
  operatorStoppedAt?: ComputeStop & { omitted: string[] };
  notes: string[];
  kinds: KindSummary[];
  forbiddenKinds: { apiVersion: string; kind: string; error?: string }[];
  objects: ObjectSummary[];
  failing: FailingObject[];
  sync: SyncAnswer;
  existingReport?: ExistingReportComparison;
}

const OMITTED: Record<ComputeStop['step'], string[]> = {
  crds: ['components', 'reconcilers', 'sync'],
  reconcilers: ['reconcilers', 'sync'],
  sync: ['sync'],
};

export interface HealthOptions {
  now: Date;
  operator: ToolInfo;
  /** Reuse a computation already made for the report (saves a pass over the objects). */
  computed?: SpecComputation;
}

export function buildHealthSection(inv: Inventory, report: FluxReport, opts: HealthOptions): HealthSection {
  const computed = opts.computed ?? computeSpec(inv);
  // Same order as spec.reconcilers, so the two read side by side.
  const tallies = computed.tallies ? [...computed.tallies.flux, ...computed.tallies.operator] : [];
  tallies.sort((a, b) => compareStrings(a.apiVersion + a.kind, b.apiVersion + b.kind));
  const objects = inv.objects.map(objectSummary);
  const failing = inv.objects.filter((o) => failingCount(o) > 0).map(failingObject);
  const notes = [...inv.warnings];
  const outOfScope = inv.scope?.outOfScope ?? [];
  if (inv.scope) notes.push(scopeNote(inv.scope.namespaces, outOfScope, inv.namespace));
  if (!report.spec.cluster)
    notes.push('Cluster facts (server version, platform) unknown: spec.cluster left out.');
  if (inv.entitlement === undefined && !outOfScope.includes('entitlement'))
    notes.push('Entitlement Secret not visible: entitlement left Unknown.');
  if (computed.tallies && computed.tallies.operator.length === 0) {
    notes.push(
      'Flux Operator CRDs absent: FluxInstance, ResourceSet and ResourceSetInputProvider not reported.',
    );
  }
  const section: HealthSection = {
    tool: {
      name: opts.operator.name ?? 'flux-health',
      version: opts.operator.version,
      platform: opts.operator.platform,
    },
    checkedAt: rfc3339(opts.now),
    namespace: inv.namespace,
    source: inv.source,
    scope: { namespaces: inv.scope ? inv.scope.namespaces : 'all', outOfScope },
    notes,
    kinds: tallies.map(kindSummary),
    forbiddenKinds: tallies
      .filter((t) => t.state === 'forbidden')
      .map((t) =>
        t.error === undefined
          ? { apiVersion: t.apiVersion, kind: t.kind }
          : { apiVersion: t.apiVersion, kind: t.kind, error: t.error },
      ),
    objects,
    failing,
    sync: syncAnswer(inv, computed, report),
  };
  if (computed.stop) {
    section.operatorStoppedAt = { ...computed.stop, omitted: OMITTED[computed.stop.step] };
    notes.push(
      `The operator would stop at ${computed.stop.step} (${computed.stop.error}); the FluxReport omits ${OMITTED[computed.stop.step].join(', ')}.`,
    );
  }
  if (inv.existingReport) {
    const ready = inv.existingReport.conditions.find((c) => c.type === 'Ready');
    section.existingReport = {
      namespace: inv.existingReport.namespace,
      differences: diffReports(report, inv.existingReport),
    };
    if (ready) {
      section.existingReport.ready = { status: ready.status, reason: ready.reason, message: ready.message };
      if (ready.lastTransitionTime)
        section.existingReport.ready.lastTransitionTime = ready.lastTransitionTime;
    }
  }
  return section;
}

const OUT_OF_SCOPE_TEXT: Record<OutOfScope, (fluxNamespace: string) => string> = {
  crds: () => 'the CustomResourceDefinitions (the Flux kinds were found by API discovery)',
  controllers: (ns) => `the Flux controllers in ${ns}`,
  nodes: () => 'the node count',
  entitlement: (ns) => `the entitlement Secret in ${ns} (entitlement left Unknown)`,
  'existing-report': (ns) => `an existing FluxReport in ${ns}`,
  sync: (ns) => `the sync, looked up in ${ns}`,
};

/** One line saying what was in scope and what was left outside it (and is not forbidden). */
export function scopeNote(
  namespaces: readonly string[],
  outOfScope: readonly OutOfScope[],
  fluxNs: string,
): string {
  const outside = [
    'Flux objects in other namespaces',
    ...outOfScope.map((o) => OUT_OF_SCOPE_TEXT[o](fluxNs)),
  ];
  return `Scope: ${namespaces.length === 1 ? 'namespace' : 'namespaces'} ${namespaces.join(', ')}. Out of scope (not read, not forbidden): ${outside.join('; ')}.`;
}

function kindSummary(t: KindTally): KindSummary {
  const out: KindSummary = {
    apiVersion: t.apiVersion,
    kind: t.kind,
    state: t.state,
    total: t.total,
    running: t.total - t.suspended,
    failing: t.failing,
    suspended: t.suspended,
  };
  if (t.state !== 'listed') out.error = listError(t);
  const size = formatSize(t.size);
  if (size) out.totalSize = size;
  return out;
}

function sinceIso(obj: Parameters<typeof sinceOf>[0]): string | undefined {
  const t = sinceOf(obj, Number.NaN);
  return Number.isNaN(t) ? undefined : rfc3339(t);
}

function objectSummary(obj: Parameters<typeof sinceOf>[0]): ObjectSummary {
  const ready = firstReady(obj);
  const out: ObjectSummary = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.namespace,
    name: obj.name,
    state: resourceStatus(obj).state,
    ready: ready?.status ?? 'Unknown',
    reason: ready?.reason ?? '',
    message: ready?.message ?? '',
    revision: displayRevisionOf(obj),
    suspended: isOperatorObject(obj)
      ? obj.reconcileDisabled.inLabels || obj.reconcileDisabled.inAnnotations
      : obj.spec.suspend,
  };
  const since = sinceIso(obj);
  if (since) out.since = since;
  return out;
}

function failingObject(obj: Parameters<typeof sinceOf>[0]): FailingObject {
  const ready = obj.conditions.find(
    (c) => c.type === 'Ready' && c.status === 'False' && c.reason !== 'DependencyNotReady',
  );
  const out: FailingObject = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.namespace,
    name: obj.name,
    reason: ready?.reason ?? '',
    message: ready?.message ?? '',
    revision: displayRevisionOf(obj),
  };
  const since = sinceIso(obj);
  if (since) out.since = since;
  return out;
}

function syncAnswer(inv: Inventory, computed: SpecComputation, report: FluxReport): SyncAnswer {
  if (computed.gvks.length === 0)
    return { error: computed.stop?.error ?? 'no Flux CRDs found', differsFromReport: false };
  const ours = betterSync(inv, computed.gvks);
  if ('error' in ours) return { error: ours.error, differsFromReport: report.spec.sync !== undefined };
  const differs = JSON.stringify(ours.sync) !== JSON.stringify(report.spec.sync);
  return ours.sync ? { sync: ours.sync, differsFromReport: differs } : { differsFromReport: differs };
}
