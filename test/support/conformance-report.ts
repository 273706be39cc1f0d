import type { CaseResult, ScriptResult } from './promqltest.js';

/** The closing line of a conformance run, per file and in total. */
export function summaryLine(r: { passed: number; failed: number; notApplicable: number }): string {
  return `${r.passed} passed, ${r.failed} failed, ${r.notApplicable} not applicable`;
}

/** How many cases are not applicable for each reason, most frequent first. */
export function reasonCounts(cases: readonly CaseResult[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const c of cases)
    if (c.status === 'not-applicable') counts.set(c.reason ?? '', (counts.get(c.reason ?? '') ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/**
 * The per-reason lines under a summary. They start with two spaces and no `n/a`, so scripts/test.sh, which
 * drops the per-case detail lines (`  n/a …` and the four-space continuation lines), keeps them.
 */
export function formatReasonCounts(cases: readonly CaseResult[]): string[] {
  return reasonCounts(cases).map(([reason, n]) => `  not applicable ×${n}: ${reason}`);
}

/** Human-readable report of one script: each failure (expression, expected, got), each n/a and the counts. */
export function formatScriptReport(r: ScriptResult): string {
  const out: string[] = [`== ${r.name}`];
  for (const c of r.cases) {
    if (c.status === 'failed') {
      out.push(`  FAIL line ${c.line}: ${c.expr}`);
      if (c.reason) out.push(`    reason:   ${c.reason}`);
      if (c.expected !== undefined) out.push(`    expected: ${c.expected}`);
      if (c.got !== undefined) out.push(`    got:      ${c.got}`);
    } else if (c.status === 'not-applicable') {
      out.push(`  n/a  line ${c.line}: ${c.expr} (${c.reason ?? ''})`);
    }
  }
  out.push(`  ${summaryLine(r)}`);
  out.push(...formatReasonCounts(r.cases));
  return out.join('\n');
}
