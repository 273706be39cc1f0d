/**
 * Runs PromQL conformance scripts (Prometheus's promqltest language) against the flux-health evaluator:
 *   npm run conformance -- FILE...
 * Prints each failure and each not-applicable case with its reason, then per file and in total the counts
 * and how many cases are not applicable for each reason; exits 1 on any failure, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { formatReasonCounts, formatScriptReport, summaryLine } from '../test/support/conformance-report.js';
import { runTestScript, type CaseResult } from '../test/support/promqltest.js';
import { EXPECTED_DIFFERENCES } from '../test/promql/conformance-differences.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: npm run conformance -- FILE...\n');
  process.exit(2);
}
const total = { passed: 0, failed: 0, notApplicable: 0 };
const all: CaseResult[] = [];
for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`cannot read ${file}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const r = runTestScript(text, file, { expectedDifferences: EXPECTED_DIFFERENCES });
  process.stdout.write(formatScriptReport(r) + '\n');
  total.passed += r.passed;
  total.failed += r.failed;
  total.notApplicable += r.notApplicable;
  all.push(...r.cases);
}
process.stdout.write(`== all ${files.length} files\n${formatReasonCounts(all).join('\n')}\n`);
process.stdout.write(`TOTAL: ${summaryLine(total)}\n`);
process.exit(total.failed > 0 ? 1 : 0);
