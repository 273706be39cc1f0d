import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTestScript } from '../support/promqltest.js';

// Regression cases for the evaluator in Prometheus's promqltest language (test/promql/testdata/*.test):
// each must pass, none may be skipped as not applicable.
const dir = path.join(import.meta.dirname, 'testdata');
const files: [string, boolean][] = [
  ['prometheus-3.16-fidelity.test', true],
  ['experimental-off.test', false],
];

describe.each(files)('%s', (file, experimentalFunctions) => {
  const r = runTestScript(readFileSync(path.join(dir, file), 'utf8'), file, { experimentalFunctions });
  it('passes every case', () => {
    const problems = r.cases
      .filter((c) => c.status !== 'passed')
      .map(
        (c) =>
          `line ${c.line}: ${c.expr}: ${c.reason ?? ''} (expected ${c.expected ?? ''}, got ${c.got ?? ''})`,
      );
    expect(problems).toEqual([]);
    expect(r.cases.length).toBeGreaterThan(5);
  });
});
