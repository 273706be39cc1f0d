/**
 * One step of the wait: every node of the plan judged `converged`, `waiting` (with why) or
 * `failed` (stop now, with the controller's message). Nodes are judged in plan order, and a node
 * is only looked at once its source and its dependencies have converged, as Flux itself would
 * only apply it then: a Ready from before the dependencies moved says nothing.
 *
 * A node that must reach the expected revision converges when Ready=True, its controller has seen
 * its current spec (observedGeneration), and its revision is the expected one, or, for a
 * HelmRelease or HelmChart, it consumed the current artifact of its converged source. It fails
 * when Ready=False and the revision it attempted is the expected one (DependencyNotReady
 * excepted: that is Flux waiting, not failing). A source that is Ready=False keeps the wait going:
 * source-controller retries fetches, and no attempted revision says the push was the cause.
 */
import type { Condition } from '../inventory.js';
import type { WaitObject } from './objects.js';
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
}

const SOURCE_KINDS = new Set([
  'GitRepository',
  'OCIRepository',
  'Bucket',
  'HelmRepository',
  'HelmChart',
  'ExternalArtifact',
]);

function readyOf(o: WaitObject): Condition | undefined {
  return o.conditions.find((c) => c.type === 'Ready');
}

/** The revision a node reports as in effect. */
export function revisionOf(o: WaitObject): string | undefined {
  if (SOURCE_KINDS.has(o.kind)) return o.status.artifact?.revision;
  if (o.kind === 'Kustomization') return o.status.lastAppliedRevision ?? o.status.lastAttemptedRevision;
  return o.status.lastAttemptedRevision;
}

/** The revision a node last tried, which a failure is about. */
function attemptedOf(o: WaitObject): string | undefined {
  if (o.kind === 'Kustomization') return o.status.lastAttemptedRevision ?? o.status.lastAppliedRevision;
  return revisionOf(o);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function conditionText(c: Condition): string {
  const msg = oneLine(c.message);
  return `Ready=${c.status}${c.reason ? ` (${c.reason})` : ''}${msg ? `: ${msg}` : ''}`;
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
  const verdict = (state: WaitState, reason: string): Verdict =>
    revision === undefined ? { ...base, state, reason } : { ...base, state, reason, revision };

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

  if (o.deletionTimestamp) return verdict('waiting', 'being deleted');
  const ready = readyOf(o);
  const generation = o.generation;
  const observed = o.status.observedGeneration ?? ready?.observedGeneration;
  const source = node.source !== undefined ? plan.byKey.get(node.source)?.object : undefined;
  const current = generation === undefined || (observed !== undefined && observed >= generation);
  const stuck = o.spec.suspend
    ? 'suspended (spec.suspend: true), so Flux will not reconcile it; resume it'
    : '';

  if (!ready || ready.status === 'Unknown') {
    if (stuck) return verdict('failed', stuck);
    return verdict('waiting', ready ? `reconciling: ${conditionText(ready)}` : 'no Ready condition yet');
  }
  if (ready.status === 'False') {
    if (stuck) return verdict('failed', `${stuck}; ${conditionText(ready)}`);
    const attempted = attemptedOf(o);
    const failing =
      current &&
      node.required &&
      !SOURCE_KINDS.has(o.kind) &&
      ready.reason !== 'DependencyNotReady' &&
      atExpected(o, attempted, expected, source);
    if (failing) return verdict('failed', `failed at ${attempted ?? expected}: ${conditionText(ready)}`);
    return verdict('waiting', conditionText(ready));
  }
  if (ready.status !== 'True') return verdict('waiting', conditionText(ready));

  if (!current) {
    return verdict(
      'waiting',
      observed === undefined
        ? `Ready=True but not yet observed at generation ${generation}`
        : `Ready=True but observedGeneration ${observed} < generation ${generation}`,
    );
  }
  if (
    opts.requestedAt !== undefined &&
    o.requestedAt === opts.requestedAt &&
    o.status.lastHandledReconcileAt !== o.requestedAt
  ) {
    return verdict('waiting', `reconciliation requested at ${o.requestedAt} not handled yet`);
  }
  if (!node.required) return verdict('converged', revision ? `Ready at ${revision}` : 'Ready');
  if (atExpected(o, revision, expected, source))
    return verdict('converged', `Ready at ${revision ?? expected}`);
  if (stuck)
    return verdict('failed', `${stuck}; Ready=True at ${revision ?? 'no revision'}, expected ${expected}`);
  // A source that has not fetched the push yet is not stale, just behind.
  if (SOURCE_KINDS.has(o.kind) && o.kind !== 'HelmChart')
    return verdict('waiting', `at ${revision ?? 'no revision'}, expected ${expected}`);
  return verdict('waiting', `Ready=True at ${revision ?? 'no revision'}, not at ${expected} (stale)`);
}

/** Overall state of one step: failed if any failed, converged if all converged. */
export function overall(verdicts: readonly Verdict[]): WaitState {
  if (verdicts.some((v) => v.state === 'failed')) return 'failed';
  return verdicts.every((v) => v.state === 'converged') ? 'converged' : 'waiting';
}
