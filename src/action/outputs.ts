/**
 * The action's step outputs (action.yml's `outputs:`), all set on every run, from the run's result
 * and its one verdict.
 */
import { join } from 'node:path';
import type { RunResult } from '../run.js';

/** Compact alert records keep the output well under GitHub's limits even for large clusters. */
const MAX_ALERTS = 200;

export function actionOutputs(result: RunResult, dir: string, files: readonly string[]) {
  const a = result.analysis;
  const alerts = a?.alerts.alerts ?? [];
  const path = (f: string): string => (files.includes(f) ? join(dir, f) : '');
  return {
    verdict: result.verdict.level,
    ready: result.verdict.ready,
    failing: a?.health.failing.length ?? 0,
    suspended: a ? a.health.kinds.reduce((n, k) => n + k.suspended, 0) : 0,
    'alerts-firing': alerts.filter((x) => x.state === 'firing').length,
    alerts: alerts.slice(0, MAX_ALERTS).map((x) => ({
      name: x.name,
      state: x.state,
      labels: x.labels,
      activeAt: x.activeAt,
      summary: x.annotations['summary'] ?? '',
    })),
    'report-path': path('report.json'),
    'metrics-path': path('metrics.prom'),
    'summary-path': path('summary.md'),
    'wait-outcome':
      result.wait?.outcome ?? (result.verdict.gate.reason.startsWith('wait refused') ? 'failed' : ''),
  };
}
