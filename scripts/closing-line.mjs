// Prints `tests: N passed, N failed, N skipped` from vitest's JSON report (and fails when the
// report is missing or counts no test at all, so "nothing ran" can never look green).
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('tests: 0 passed, 1 failed (no test report was written)');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A file that failed outside any test (it did not load, a hook threw) counts once; a failed test is
// not counted again for the describe blocks and file around it.
const brokenFiles = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
