/**
 * The one verdict. Everything that answers "did it pass?" reads this: the exit code, the gate,
 * the action's `ready` and `verdict` outputs, the first line of the summary, the comment and the
 * terminal. Pure: the same facts always give the same verdict.
 *
 * Levels:
 * - **error**: the run could not finish (bad input, cluster unreachable); nothing to judge;
 * - **failing**: the gate failed (firing alerts at its threshold, a wait that failed, timed out
 *   or was refused), or alerts of severity warning or above fire while the gate is disabled;
 * - **degraded**: otherwise, a failing object, a pending alert, a kind that could not be listed,
 *   a Flux controller not ready, a rule that could not be evaluated, or Flux not installed;
 * - **healthy**: none of the above. Firing `info` alerts are notes: they never degrade.
 * `ready` is true exactly when the level is healthy. The exit code is 2 for a refused wait or bad
 * input, 1 when the gate failed, the error's own code for an error, else 0.
 */
import { EXIT_BAD_INPUT, EXIT_GATE_FAILED, EXIT_OK } from './errors.js';
import type { HealthSection, KindSummary } from './report/health.js';
import type { FluxReport } from './report/types.js';
import { fmtDuration } from './go/duration.js';
import type { AlertsResult } from './rules/alerts.js';
import { countSubjects, evaluateGate, severityRank, type FailOn, type GateResult } from './rules/gate.js';
import type { WaitResult } from './wait/wait.js';
import { plural } from './text/plural.js';

export type VerdictLevel = 'healthy' | 'degraded' | 'failing' | 'error';

export interface Verdict {
  level: VerdictLevel;
  ready: boolean;
  gate: GateResult;
  exitCode: number;
  /** The summary's first line, e.g. `Failing: 2 objects with firing alerts (…)`; plain, untrusted text. */
  headline: string;
  /** Why, most severe first; plain text that may embed cluster strings (escape when rendering). */
  reasons: string[];
  /** Worth knowing, not a problem: firing info alerts. */
  notes: string[];
}

export interface VerdictFacts {
  report?: FluxReport;
  health?: HealthSection;
  alerts?: AlertsResult;
  wait?: WaitResult;
  /** A wait that could not run (a kind it must watch is forbidden): bad input, exit 2. */
  waitRefused?: string;
  failOn: FailOn;
  /** The run stopped before there was anything to judge. */
  error?: { exitCode: number; message: string };
}

export const VERDICT_WORDS: Readonly<Record<VerdictLevel, string>> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  failing: 'Failing',
  error: 'Error',
};

export function fluxInstalledIn(report: FluxReport): boolean {
  return report.spec.distribution.status === 'Installed';
}

/** Kinds the check could not list; `missing` ones are absent by design (no operator) and left out. */
export function unlistedKinds(health: HealthSection): KindSummary[] {
  return health.kinds.filter((k) => k.state === 'forbidden' || k.state === 'error');
}

function waitReason(wait: WaitResult): string | undefined {
  if (wait.outcome === 'converged') return undefined;
  const what = wait.outcome === 'failed' ? 'failed' : 'timed out';
  const left = wait.objects.filter((o) => o.state !== 'converged').length;
  return (
    `Wait ${what} after ${fmtDuration(wait.elapsedMs)}` +
    (left > 0 ? ` with ${plural(left, 'object')} not ready` : '') +
    (wait.message ? `: ${wait.message}` : '')
  );
}

export function decideVerdict(facts: VerdictFacts): Verdict {
  const alerts = facts.alerts?.alerts ?? [];
  const alertGate = evaluateGate(alerts, facts.failOn);
  if (facts.error) {
    return {
      level: 'error',
      ready: false,
      gate: { failed: true, reason: facts.error.message, failing: [] },
      exitCode: facts.error.exitCode,
      headline: `Error: ${facts.error.message}`,
      reasons: [facts.error.message],
      notes: [],
    };
  }
  const failing: string[] = [];
  const degraded: string[] = [];
  const notes: string[] = [];

  const waitFailure = facts.wait ? waitReason(facts.wait) : undefined;
  let gate = alertGate;
  if (facts.waitRefused !== undefined) {
    gate = { ...alertGate, failed: true, reason: `wait refused: ${facts.waitRefused}` };
    failing.push(`Wait refused: ${facts.waitRefused}`);
  } else if (waitFailure !== undefined) {
    gate = { ...alertGate, failed: true, reason: waitFailure.replace(/^Wait/, 'wait') };
    failing.push(waitFailure);
  }
  if (alertGate.failed) failing.push(`Gate failed: ${alertGate.reason}`);

  const firing = alerts.filter((a) => a.state === 'firing');
  const info = firing.filter((a) => severityRank(a) <= 1);
  const serious = firing.filter((a) => severityRank(a) > 1);
  // With the gate disabled or narrowed, serious alerts still make the cluster failing.
  if (!alertGate.failed && serious.length > 0)
    failing.push(`${plural(countSubjects(serious), 'object')} with firing alerts`);
  if (info.length > 0) notes.push(`${plural(countSubjects(info), 'object')} with info alerts firing`);

  const { report, health } = facts;
  if (report && !fluxInstalledIn(report)) degraded.push('Flux is not installed (no Flux CRDs found)');
  if (health && health.failing.length > 0)
    degraded.push(`${plural(health.failing.length, 'object')} failing`);
  const pending = alerts.filter((a) => a.state === 'pending');
  if (pending.length > 0) degraded.push(`${plural(countSubjects(pending), 'object')} with pending alerts`);
  const unlisted = health ? unlistedKinds(health) : [];
  if (unlisted.length > 0) {
    degraded.push(
      `${plural(unlisted.length, 'kind')} could not be listed: ${unlisted.map((k) => `${k.kind} (${k.state})`).join(', ')}`,
    );
  }
  const down = (report?.spec.components ?? []).filter((c) => !c.ready).map((c) => c.name);
  if (down.length > 0) degraded.push(`${plural(down.length, 'controller')} not ready: ${down.join(', ')}`);
  const ruleErrors = facts.alerts?.errors.length ?? 0;
  if (ruleErrors > 0) degraded.push(`${plural(ruleErrors, 'alert rule')} could not be evaluated`);

  const level: VerdictLevel = failing.length > 0 ? 'failing' : degraded.length > 0 ? 'degraded' : 'healthy';
  const reasons = [...failing, ...degraded];
  const objects = health?.objects.length ?? 0;
  const first = reasons[0] ?? `${plural(objects, 'Flux object')} ready, no alert firing above info`;
  return {
    level,
    ready: level === 'healthy',
    gate,
    exitCode: facts.waitRefused !== undefined ? EXIT_BAD_INPUT : gate.failed ? EXIT_GATE_FAILED : EXIT_OK,
    headline: `${VERDICT_WORDS[level]}: ${first}`,
    reasons,
    notes,
  };
}
