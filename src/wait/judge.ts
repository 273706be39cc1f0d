/**
 * One step of the wait: every node of the plan judged `converged`, `waiting` (with why) or
 * `failed` (stop now, with the controller's message). Nodes are judged in plan order, and a node
 * is only looked at once its source, its dependencies and the Kustomization or HelmRelease that
 * applied it have converged, as Flux itself would only apply it then: a Ready from before they
 * moved, or a failure of the spec the push replaces, says nothing.
 *
 * The real controllers write `status.conditions` and the rest of `status` in two requests (Flux's
 * patch helper), so a watcher sees half-written states; every rule below only trusts what one
 * request wrote together, or waits:
 * - Converged: Ready=True, no Reconciling=True in progress, `status.observedGeneration` (written
 *   with the rest of status, and only on success) at the object's generation, and the revision
 *   in status at the expected one; for a HelmRelease, the revision its converged HelmChart
 *   holds; for a HelmChart, built from the expected source revision with the chart its Ready
 *   condition announces already in `status.artifact`.
 * - Failed: Ready=False for the current generation by the condition's own observedGeneration
 *   (the status field stays at -1 or the last success on failures) and, for a HelmRelease, by
 *   `lastAttemptedGeneration`, a reason other than
 *   DependencyNotReady, and the revision the controller attempted is the expected one. A
 *   Kustomization's attempted revision is read from its Reconciling condition when that names
 *   one, since failures before the build ("kustomization path not found") never move
 *   `lastAttemptedRevision`.
 * - A HelmChart from Git or a Bucket whose chart version did not change and whose
 *   reconcileStrategy is not Revision keeps the chart it built from an earlier commit (its
 *   artifact is older than its source's). Whether the push changed that chart cannot be seen in
 *   the cluster, so its HelmRelease converges only if it made a release since the source fetched
 *   the push (its values changed); a HelmRelease that did nothing since is failed, saying why.
 * - Also failed: a source that had the expected revision and moved on to another (superseded).
 * - A source that is Ready=False keeps the wait going: source-controller retries fetches, and no
 *   attempted revision says the push was the cause.
 */
import type { Condition } from '../inventory/index.js';
import { keyOf, type WaitObject } from './objects.js';
import { cycleMembers, type PlanNode, type WaitPlan } from './plan.js';
import { matchesRevision, sameArtifact } from './revision.js';

export type WaitState = 'converged' | 'waiting' | 'failed';

export interface Verdict {
  kind: string;
  namespace: string;
  name: string;
  role: PlanNode['role'];
  /** Had to reach the expected revision (else Ready was enough). */
  required: boolean;
  state: WaitState;
  /** One line: why it is waiting or failed; for a converged node, what it converged at. */
  reason: string;
  /** The revision the node reports (applied, attempted or fetched). */
  revision?: string;
}

export interface JudgeOptions {
  /**
   * The `reconcile.fluxcd.io/requestedAt` value this wait wrote: a node carrying it also waits
   * until its controller reports it in `status.lastHandledReconcileAt`.
   */
  requestedAt?: string;
  /** Keys of the sources seen at the expected revision earlier in this wait. */
  reached?: ReadonlySet<string>;
  /** Each HelmRelease's `lastDeployed` when this wait first saw it. */
  firstDeployed?: ReadonlyMap<string, string | undefined>;
}

const SOURCE_KINDS = new Set([
  'GitRepository',
  'OCIRepository',
  'Bucket',
  'HelmRepository',
  'HelmChart',
  'ExternalArtifact',
]);

function conditionOf(o: WaitObject, type: string): Condition | undefined {
  return o.conditions.find((c) => c.type === type);
}

/** The revision a node reports as in effect. */
export function revisionOf(o: WaitObject): string | undefined {
  if (SOURCE_KINDS.has(o.kind)) return o.status.artifact?.revision;
  if (o.kind === 'Kustomization') return o.status.lastAppliedRevision ?? o.status.lastAttemptedRevision;
  return o.status.lastAttemptedRevision;
}

/** kustomize-controller names the revision it works on in its Reconciling message. */
const RECONCILING_REVISION = /\bfor revision (\S+)/;

/** The revision a node last tried, which a failure is about. */
function attemptedOf(o: WaitObject): string | undefined {
  if (o.kind === 'Kustomization') {
    const named = RECONCILING_REVISION.exec(conditionOf(o, 'Reconciling')?.message ?? '')?.[1];
    return named ?? o.status.lastAttemptedRevision ?? o.status.lastAppliedRevision;
  }
  if (o.kind === 'HelmChart') return o.wait.observedSourceArtifactRevision;
  return revisionOf(o);
}

function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function conditionText(c: Condition): string {
  const msg = collapseWhitespace(c.message);
  return `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${msg ? `: ${msg}` : ''}`;
}

/** Whether `revision` is the expected one for this node, given its (converged) source. */
function atExpected(
  o: WaitObject,
  revision: string | undefined,
  expected: string,
  source: WaitObject | undefined,
): boolean {
  if (matchesRevision(revision, expected)) return true;
  if (o.kind === 'HelmChart') return matchesRevision(o.wait.observedSourceArtifactRevision, expected);
  if (o.kind === 'HelmRelease') {
    if (matchesRevision(o.wait.lastAttemptedRevisionDigest, expected)) return true;
    const sourceRevision = source?.status.artifact?.revision;
    return (
      sameArtifact(revision, sourceRevision) ||
      sameArtifact(o.wait.lastAttemptedRevisionDigest, sourceRevision)
    );
  }
  return false;
}

/** The chart version a HelmChart's Ready condition announces ("packaged 'x' chart with version '1.2.3'"). */
const ANNOUNCED_VERSION = /\bchart with version '([^']+)'/;

/**
 * For a HelmChart built from Git or a Bucket with the ChartVersion strategy: source-controller
 * reuses the chart it already packaged when the version in Chart.yaml did not change, so the
 * artifact stays older than its source's. Returns when the source fetched, or undefined.
 */
function keptOldChart(o: WaitObject | undefined, plan: WaitPlan): number | undefined {
  if (o?.kind !== 'HelmChart' || (o.wait.reconcileStrategy ?? 'ChartVersion') === 'Revision')
    return undefined;
  const sourceKey = plan.byKey.get(keyOf(o))?.source;
  const source = sourceKey === undefined ? undefined : plan.byKey.get(sourceKey)?.object;
  if (!source || (source.kind !== 'GitRepository' && source.kind !== 'Bucket')) return undefined;
  const built = Date.parse(o.status.artifact?.lastUpdateTime ?? '');
  const fetched = Date.parse(source.status.artifact?.lastUpdateTime ?? '');
  return Number.isFinite(built) && Number.isFinite(fetched) && built < fetched ? fetched : undefined;
}

/** What one wait carries from step to step. */
export interface WaitMemory {
  /** The `reconcile.fluxcd.io/requestedAt` value this wait wrote, once it wrote one. */
  requestedAt?: string;
  /** Sources seen at the expected revision (see JudgeOptions.reached). */
  reached: Set<string>;
  /** See JudgeOptions.firstDeployed. */
  firstDeployed: Map<string, string | undefined>;
  /**
   * Failures at the expected revision reached before the controller handled this wait's request,
   * by generation: the run the request then causes is a retry of the same spec, not news.
   */
  failedBeforeRequest?: Map<string, { generation: number | undefined; verdict: Verdict }>;
}

/** One step of a wait: remembers the sources now at the expected revision, then judges. */
export function step(plan: WaitPlan, memory: WaitMemory): Verdict[] {
  if (plan.pushSeen)
    for (const key of plan.pushed)
      if (matchesRevision(plan.byKey.get(key)?.object?.status.artifact?.revision, plan.expected))
        memory.reached.add(key);
  for (const n of plan.nodes)
    if (n.kind === 'HelmRelease' && n.object && !memory.firstDeployed.has(n.key))
      memory.firstDeployed.set(n.key, n.object.wait.lastDeployed);
  const verdicts = judge(plan, {
    reached: memory.reached,
    firstDeployed: memory.firstDeployed,
    ...(memory.requestedAt !== undefined ? { requestedAt: memory.requestedAt } : {}),
  });
  return memory.requestedAt === undefined ? verdicts : keepFailuresBeforeRequest(plan, memory, verdicts);
}

/**
 * A controller already running for the push when this wait's request lands fails once on its own,
 * then runs the same spec again for the request (a failing health check costs its timeout twice).
 * That first failure is Flux's answer for the pushed revision; the retry only hides it while it
 * runs. An object its parent applies is left out: its spec may be replaced between the two runs.
 */
function keepFailuresBeforeRequest(plan: WaitPlan, memory: WaitMemory, verdicts: Verdict[]): Verdict[] {
  const kept = (memory.failedBeforeRequest ??= new Map());
  return verdicts.map((v) => {
    const key = keyOf(v);
    const node = plan.byKey.get(key);
    const o = node?.object;
    if (!node || !o || node.parent !== undefined) return v;
    const unhandled =
      o.requestedAt === memory.requestedAt && o.status.lastHandledReconcileAt !== memory.requestedAt;
    if (v.state === 'failed' && unhandled) kept.set(key, { generation: o.generation, verdict: v });
    const before = kept.get(key);
    if (v.state === 'waiting' && before !== undefined && before.generation === o.generation)
      return {
        ...before.verdict,
        reason: `${before.verdict.reason} (Flux is running it again for this wait's request)`,
      };
    return v;
  });
}

export function judge(plan: WaitPlan, opts: JudgeOptions = {}): Verdict[] {
  const expected = plan.expected;
  const cycles = cycleMembers(plan);
  const done = new Map<string, Verdict>();
  const verdicts: Verdict[] = [];
  for (const node of plan.nodes) {
    const v = judgeNode(node, plan, expected, cycles, done, opts);
    done.set(node.key, v);
    verdicts.push(v);
  }
  return verdicts;
}

function judgeNode(
  node: PlanNode,
  plan: WaitPlan,
  expected: string,
  cycles: Map<string, string[]>,
  done: Map<string, Verdict>,
  opts: JudgeOptions,
): Verdict {
  const base = {
    kind: node.kind,
    namespace: node.namespace,
    name: node.name,
    role: node.role,
    required: node.required,
  };
  const o = node.object;
  const revision = o ? revisionOf(o) : undefined;
  // A request this wait made and the controller has not handled yet: named while waiting, but
  // it never holds back a verdict at the expected revision (the controller may already be
  // reconciling for the push when the request lands, and then handles it in one more run).
  const pending =
    opts.requestedAt !== undefined &&
    o?.requestedAt === opts.requestedAt &&
    o.status.lastHandledReconcileAt !== opts.requestedAt;
  const verdict = (state: WaitState, reason: string): Verdict => {
    const why =
      state === 'waiting' && pending
        ? `${reason}; reconciliation requested at ${opts.requestedAt} not handled yet`
        : reason;
    return revision === undefined
      ? { ...base, state, reason: why }
      : { ...base, state, reason: why, revision };
  };

  const cycle = cycles.get(node.key);
  if (cycle) return verdict('failed', `dependsOn cycle: ${cycle.join(' → ')}; Flux will never apply these`);
  if (!o) return verdict('waiting', `${node.kind} ${node.namespace}/${node.name} not found`);

  if (node.source !== undefined) {
    const src = done.get(node.source);
    if (!src || src.state !== 'converged') {
      const why = src ? src.reason : 'not found';
      return verdict('waiting', `source ${node.source} not converged: ${why}`);
    }
  }
  for (const dep of node.dependsOn) {
    const d = done.get(dep);
    if (!d || d.state !== 'converged') return verdict('waiting', `dependency ${dep} not converged`);
  }
  // Until the parent applied the push, this object's spec (and any verdict on it) is the old one.
  if (node.parent !== undefined && plan.byKey.get(node.parent)?.object !== undefined) {
    const p = done.get(node.parent);
    if (!p || p.state !== 'converged')
      return verdict('waiting', `applied by ${node.parent}, not converged yet`);
  }

  if (o.deletionTimestamp) return verdict('waiting', 'being deleted');
  const ready = conditionOf(o, 'Ready');
  const reconciling = conditionOf(o, 'Reconciling');
  const generation = o.generation;
  const source = node.source !== undefined ? plan.byKey.get(node.source)?.object : undefined;
  const stuck = o.spec.suspend
    ? 'suspended (spec.suspend: true), so Flux will not reconcile it; resume it'
    : '';

  if (!ready || ready.status === 'Unknown') {
    if (stuck) return verdict('failed', stuck);
    const progress = reconciling?.status === 'True' ? reconciling : ready;
    return verdict(
      'waiting',
      progress ? `reconciling: ${conditionText(progress)}` : 'no Ready condition yet',
    );
  }
  if (ready.status === 'False') {
    if (stuck) return verdict('failed', `${stuck}; ${conditionText(ready)}`);
    // The status field stays at the last success (or the CRD's -1) on failures; the condition
    // carries the generation the failure is about.
    // helm-controller also stamps the previous failure with the new generation when it starts on
    // it ("Fulfilling prerequisites"); its lastAttemptedGeneration moves only once it tried.
    const observed = Math.min(
      ready.observedGeneration ?? o.status.observedGeneration ?? -1,
      o.wait.lastAttemptedGeneration ?? Number.POSITIVE_INFINITY,
    );
    const current = generation === undefined || observed >= generation;
    const attempted = attemptedOf(o);
    const failing =
      current &&
      node.required &&
      (!SOURCE_KINDS.has(o.kind) || o.kind === 'HelmChart') &&
      ready.reason !== 'DependencyNotReady' &&
      atExpected(o, attempted, expected, source);
    if (failing) return verdict('failed', `failed at ${attempted ?? expected}: ${conditionText(ready)}`);
    return verdict('waiting', conditionText(ready));
  }
  if (ready.status !== 'True') return verdict('waiting', conditionText(ready));

  // status.observedGeneration is written with the rest of status, after the conditions.
  const observed = o.status.observedGeneration ?? ready.observedGeneration;
  if (generation !== undefined && (observed === undefined || observed < generation)) {
    return verdict(
      'waiting',
      observed === undefined || observed < 0
        ? `Ready=True but not yet observed at generation ${generation}`
        : `Ready=True but observedGeneration ${observed} < generation ${generation}`,
    );
  }
  if (reconciling?.status === 'True' && reconciling.reason !== 'ProgressingWithRetry')
    return verdict('waiting', `reconciling: ${conditionText(reconciling)}`);
  if (o.kind === 'HelmChart') {
    const announced = ANNOUNCED_VERSION.exec(ready.message)?.[1];
    if (announced !== undefined && announced !== o.status.artifact?.revision)
      return verdict(
        'waiting',
        `chart version ${announced} built, not yet in status.artifact (${o.status.artifact?.revision ?? 'none'})`,
      );
  }
  if (!node.required) return verdict('converged', revision ? `Ready at ${revision}` : 'Ready');
  if (atExpected(o, revision, expected, source)) {
    if (o.kind === 'HelmChart' && keptOldChart(o, plan) !== undefined)
      return verdict(
        'converged',
        `Ready at ${revision ?? expected}, the chart packaged from an earlier commit (version unchanged, reconcileStrategy ${o.wait.reconcileStrategy ?? 'ChartVersion'})`,
      );
    const fetched = o.kind === 'HelmRelease' ? keptOldChart(source, plan) : undefined;
    // Released since the push: during this wait, or in a later second than the fetch (times
    // have second precision, so the same second proves nothing).
    const releasedNow =
      opts.firstDeployed?.has(node.key) === true && opts.firstDeployed.get(node.key) !== o.wait.lastDeployed;
    const deployed = Date.parse(o.wait.lastDeployed ?? '');
    if (fetched !== undefined && !releasedNow && !(deployed > fetched)) {
      return verdict(
        'failed',
        `${expected} is not deployed: HelmChart ${node.source?.replace(/^HelmChart\//, '') ?? ''} kept chart ${source?.status.artifact?.revision ?? ''} packaged from an earlier commit because its version did not change and reconcileStrategy is ${source?.wait.reconcileStrategy ?? 'ChartVersion'}, and this release was last deployed ${o.wait.lastDeployed ?? 'before'} the push; if the push changed the chart, bump its version or set reconcileStrategy: Revision; if it did not, leave this release out of the wait`,
      );
    }
    return verdict('converged', `Ready at ${revision ?? expected}`);
  }
  if (stuck)
    return verdict('failed', `${stuck}; Ready=True at ${revision ?? 'no revision'}, expected ${expected}`);
  if (SOURCE_KINDS.has(o.kind) && o.kind !== 'HelmChart') {
    if (opts.reached?.has(node.key))
      return verdict(
        'failed',
        `superseded: moved on from ${expected} to ${revision ?? 'no revision'} before everything that consumes it applied ${expected}`,
      );
    // A source that has not fetched the push yet is not stale, just behind.
    return verdict('waiting', `at ${revision ?? 'no revision'}, expected ${expected}`);
  }
  return verdict('waiting', `Ready=True at ${revision ?? 'no revision'}, not at ${expected} (stale)`);
}

/** Overall state of one step: failed if any failed, converged if all converged. */
export function overall(verdicts: readonly Verdict[]): WaitState {
  if (verdicts.some((v) => v.state === 'failed')) return 'failed';
  return verdicts.every((v) => v.state === 'converged') ? 'converged' : 'waiting';
}
