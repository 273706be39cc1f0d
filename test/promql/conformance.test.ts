import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTestScript } from '../support/promqltest.js';
import { promqlCasesDir } from './cases-dir.js';
import { EXPECTED_DIFFERENCES } from './conformance-differences.js';

// Prometheus's own test files (all of promql/promqltest/testdata), fetched from the Go module proxy by
// scripts/setup/promql-cases.sh.
const casesDir = promqlCasesDir();

// Passed cases counted when this floor was recorded (v0.316.0, all 22 files); it may only go up.
const PASSED_FLOOR = 624;
// The module's testdata had this many files at that version; fewer means the fetch or the runner lost some.
const FILE_FLOOR = 22;

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
  const results = files.map((f) =>
    runTestScript(readFileSync(path.join(casesDir, f), 'utf8'), f, {
      expectedDifferences: EXPECTED_DIFFERENCES,
    }),
  );

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

  it('passes at least the recorded number of cases, over every file', () => {
    const passed = results.reduce((n, r) => n + r.passed, 0);
    expect(files.length).toBeGreaterThanOrEqual(FILE_FLOOR);
    expect(passed).toBeGreaterThanOrEqual(PASSED_FLOOR);
  });

  it('has no expected difference that no longer describes a failing case', () => {
    const stale = EXPECTED_DIFFERENCES.filter(
      (d) =>
        !results.some(
          (r) =>
            r.name === d.file &&
            r.cases.some((c) => c.expr === d.expr && c.reason === `expected difference: ${d.reason}`),
        ),
    );
    expect(stale).toEqual([]);
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
  m{a="2"} 1 _ _

eval range from 0 to 10m step 5m m{a="1"} * 2
  {a="1"} 0 20 41

eval instant at 0 1 + 1
  2

clear

load 1m
  h {{schema:0 sum:2 count:2}}+{{sum:3 count:3}}x3
  c{type="x"}@st _ -1mx2
  c{type="x"} _ 1 2
  {"my.metric", "a.b"="c"} 7

eval instant at 1m h
  {} 1

eval instant at 1m {"my.metric"}
  {"my.metric", "a.b"="c"} 7

eval instant at 1m my.metric
  {"my.metric", "a.b"="c"} 7

eval range from 0 to 1m step 1m sort(c)
  expect warn msg: PromQL warning: sort is ineffective for range queries since results are always ordered by labels (1:1)
  c{type="x"} _ 1

eval instant at 1m limitk(1, c)
  c{type="x"} 1

eval instant at 1m histogram_count(h)
  {} 2
`;
  const r = runTestScript(script, 'inline');

  it('passes, fails and skips cases by their content', () => {
    expect(r.cases.map((c) => [c.line, c.status])).toEqual([
      [6, 'passed'],
      [9, 'failed'],
      [13, 'not-applicable'],
      [16, 'failed'],
      [19, 'failed'],
      [22, 'passed'],
      [26, 'failed'],
      [29, 'passed'],
      [40, 'not-applicable'],
      [43, 'passed'],
      [46, 'not-applicable'],
      [49, 'passed'],
      [53, 'passed'],
      [56, 'not-applicable'],
    ]);
    expect([r.passed, r.failed, r.notApplicable]).toEqual([6, 4, 4]);
  });

  it('explains failures and why a case is not applicable', () => {
    const reasons = new Map(r.cases.map((c) => [c.line, c.reason]));
    expect(reasons.get(9)).toBe('expected 99 for {__name__="m", a="2"} but got 1');
    expect(reasons.get(16)).toBe('expected an error but got none');
    expect(reasons.get(13)).toBe('range selector (needs stored history)');
    // A range evaluation is one instant query per step; a failure names its step.
    expect(reasons.get(26)).toBe('at 600s: expected 41 for {a="1"} but got 40');
    expect(reasons.get(40)).toBe('selects native histogram samples');
    expect(reasons.get(46)).toBe(
      'unquoted UTF-8 names (experimental promql-unquoted-utf8-names; not implemented)',
    );
    expect(reasons.get(56)).toBe('native histogram function histogram_count()');
  });

  it('refuses experimental functions when they are not enabled, as promtool does by default', () => {
    const off = runTestScript(script, 'inline', { experimentalFunctions: false });
    const limitk = off.cases.find((c) => c.line === 53);
    expect(limitk?.status).toBe('failed');
    expect(limitk?.got).toBe(
      'error "1:1: parse error: limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions"',
    );
  });

  it('reports a listed difference as not applicable with its reason, and only for the failure it names', () => {
    const listed = runTestScript(script, 'dir/inline', {
      expectedDifferences: [
        { file: 'inline', expr: 'm', failure: 'expected 99', reason: 'why it differs' },
        { file: 'inline', expr: 'm{a="1"} * 2', failure: 'something else', reason: 'not this one' },
      ],
    });
    const byLine = new Map(listed.cases.map((c) => [c.line, c]));
    expect(byLine.get(9)).toMatchObject({
      status: 'not-applicable',
      reason: 'expected difference: why it differs',
    });
    expect(byLine.get(16)?.status).toBe('failed');
    expect(byLine.get(26)?.status).toBe('failed');
  });

  it('reports a malformed load line as a failure instead of crashing', () => {
    const bad = runTestScript('load 1m\n  m{a="1" 1 2\n\neval instant at 0 vector(1)\n  {} 1\n', 'bad');
    expect(bad.cases.map((c) => c.status)).toEqual(['failed', 'passed']);
    expect(bad.cases[0]?.reason).toMatch(/^bad load line: /);
  });
});
