import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTestScript } from '../support/promqltest.js';
import { promqlCasesDir } from './cases-dir.js';

// Prometheus's own test files, fetched from the Go module proxy by scripts/setup/promql-cases.sh.
const casesDir = promqlCasesDir();

// Applicable (passed) cases counted when this floor was recorded; it may only go up.
const APPLICABLE_FLOOR = 291;

describe('Prometheus promqltest conformance', () => {
  it('finds the conformance cases', () => {
    expect(
      existsSync(casesDir),
      `conformance cases missing: expected ${casesDir}; run scripts/setup/promql-cases.sh`,
    ).toBe(true);
  });

  const files = existsSync(casesDir)
    ? readdirSync(casesDir)
        .filter((f) => f.endsWith('.test'))
        .sort()
    : [];
  const results = files.map((f) => runTestScript(readFileSync(path.join(casesDir, f), 'utf8'), f));

  it.each(results.map((r) => [r.name, r] as const))('%s has no failing applicable case', (_name, r) => {
    const failures = r.cases
      .filter((c) => c.status === 'failed')
      .map(
        (c) =>
          `line ${c.line}: ${c.expr}\n  ${c.reason ?? ''}\n  expected: ${c.expected ?? ''}\n  got: ${c.got ?? ''}`,
      );
    expect(failures).toEqual([]);
    for (const c of r.cases) if (c.status === 'not-applicable') expect(c.reason).toBeTruthy();
  });

  it('applies to at least the recorded number of cases', () => {
    const applicable = results.reduce((n, r) => n + r.passed + r.failed, 0);
    expect(files.length).toBeGreaterThan(0);
    expect(applicable).toBeGreaterThanOrEqual(APPLICABLE_FLOOR);
  });
});

describe('the promqltest runner itself', () => {
  const script = `
load 5m
  m{a="1"} 0+10x10
  m{a="2"} 1 _ stale

eval instant at 50m m
  m{a="1"} 100

eval instant at 0 m
  m{a="1"} 0
  m{a="2"} 99

eval instant at 0 rate(m[5m])
  {a="1"} 0

eval instant at 10m m
  expect fail

eval instant at 0 -{a=~".+"}
  expect fail msg: vector cannot contain metrics with the same labelset

eval range from 0 to 10m step 5m m
  m{a="1"} 0 10 20

eval instant at 0 1 + 1
  2
`;
  const r = runTestScript(script, 'inline');

  it('passes, fails and skips cases by their content', () => {
    expect(r.cases.map((c) => [c.line, c.status])).toEqual([
      [6, 'passed'],
      [9, 'failed'],
      [13, 'not-applicable'],
      [16, 'failed'],
      [19, 'failed'],
      [22, 'not-applicable'],
      [25, 'passed'],
    ]);
    expect([r.passed, r.failed, r.notApplicable]).toEqual([2, 3, 2]);
  });

  it('explains failures with expected and actual results', () => {
    const wrongValue = r.cases[1];
    expect(wrongValue?.reason).toBe('expected 99 for {__name__="m", a="2"} but got 1');
    expect(r.cases[3]?.reason).toBe('expected an error but got none');
    expect(r.cases[2]?.reason).toBe('range selector');
    expect(r.cases[5]?.reason).toBe('range evaluation (eval range)');
  });
});
