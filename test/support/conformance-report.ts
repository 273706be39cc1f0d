import type { ScriptResult } from './promqltest.js';

/** The closing line of a conformance run, per file and in total. */
export function summaryLine(r: { passed: number; failed: number; notApplicable: number }): string {
  return `${r.passed} passed, ${r.failed} failed, ${r.notApplicable} not applicable`;
}

/** Human-readable report of one script: each failure (expression, expected, got) and each reason for n/a. */
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
  return out.join('\n');
}
