/**
 * The test command's last line, which CI readers trust: it counts each failed test once, a file
 * that broke outside any test once, and never shows green when nothing ran.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../scripts/closing-line.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'closing-line-'));

const file = (name: string, status: string, tests: string[]) => ({
  name,
  status,
  assertionResults: tests.map((s) => ({ status: s })),
});

describe('closing line', () => {
  it.each([
    {
      name: 'one failed test inside nested describes',
      report: {
        numPassedTests: 4916,
        numFailedTests: 1,
        numFailedTestSuites: 3,
        numPendingTests: 0,
        testResults: [file('a', 'failed', ['passed', 'failed']), file('b', 'passed', ['passed'])],
      },
      line: 'tests: 4916 passed, 1 failed, 0 skipped',
      code: 1,
    },
    {
      name: 'a file that did not load',
      report: {
        numPassedTests: 3,
        numFailedTests: 0,
        numFailedTestSuites: 1,
        testResults: [file('a', 'failed', [])],
      },
      line: 'tests: 3 passed, 1 failed, 0 skipped',
      code: 1,
    },
    {
      name: 'all green',
      report: {
        numPassedTests: 7,
        numFailedTests: 0,
        numPendingTests: 1,
        testResults: [file('a', 'passed', ['passed'])],
      },
      line: 'tests: 7 passed, 0 failed, 1 skipped',
      code: 0,
    },
    {
      name: 'nothing ran',
      report: { numPassedTests: 0, testResults: [] },
      line: 'tests: 0 passed, 0 failed, 0 skipped',
      code: 1,
    },
    {
      name: 'no report',
      report: undefined,
      line: 'tests: 0 passed, 1 failed (no test report was written)',
      code: 1,
    },
  ])('$name', ({ name, report, line, code }) => {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.json`);
    if (report !== undefined) writeFileSync(path, JSON.stringify(report));
    const r = spawnSync(process.execPath, [SCRIPT, path], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(line);
    expect(r.status).toBe(code);
  });
});
