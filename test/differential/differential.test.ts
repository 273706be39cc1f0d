import { describe, expect, it } from 'vitest';
import { describeOurs, describeTheirs, valuesAgree } from './compare.js';
import { EVAL_TIMES_MS, generateCases, generateDataset, STEP_MS } from './generate.js';
import { KNOWN_DIFFERENCES } from './known-differences.js';
import { Rng } from './prng.js';
import {
  formatDuration,
  parsePromtoolOutput,
  parseSamples,
  promtoolVersion,
  renderTestFile,
} from './promtool-oracle.js';
import { PROMTOOL_OVERRIDDEN, PROMTOOL_RELEASE } from '../support/promtool.js';
import { caseOf, datasetOf, loadRegressions } from './regressions.js';
import { compareBatch, runDifferential, type CaseResult } from './run.js';

/**
 * Our PromQL evaluator against promtool 3.16 (the release pinned in test/envtest/versions.env): random
 * series and expressions from a fixed seed, plus every disagreement found so far (regressions.json).
 * promtool is required: without it these tests fail (build it with scripts/setup/promtool3.sh).
 */

const SEED = 20261121;
const CASES = 600;

function show(r: CaseResult): string {
  const why = r.verdict.status === 'disagree' ? r.verdict.reason : r.verdict.status;
  return [
    `${r.case.expr}  @ ${formatDuration(r.case.timeMs)} (batch ${r.batch})`,
    `  why:      ${why}`,
    `  promtool: ${describeTheirs(r.theirs)}`,
    `  ours:     ${describeOurs(r.ours)}`,
  ].join('\n');
}

// A test, not a beforeAll: a missing promtool then fails every test that needs it, none is skipped.
describe('differential: the oracle', () => {
  it(`is promtool ${PROMTOOL_RELEASE}`, async () => {
    const version = await promtoolVersion();
    expect(version).toMatch(/^promtool, version \d+\.\d+/);
    // The allow-list and the recorded answers are those of the pinned release; PROMTOOL may try another.
    if (!PROMTOOL_OVERRIDDEN) expect(version).toMatch(new RegExp(`^promtool, version ${PROMTOOL_RELEASE} `));
  });
});

describe('differential: random expressions', () => {
  it(`agrees with promtool on ${CASES} seeded cases (allow-list aside)`, async () => {
    const s = await runDifferential({ seed: SEED, cases: CASES, batchSize: 150 });
    expect(s.results).toHaveLength(CASES);
    // The oracle must actually answer: discards (unreadable output, order-dependent ties) stay rare.
    expect(s.discarded.length).toBeLessThan(CASES * 0.05);
    // Errors and results both occur, so neither side passes by always failing or never failing.
    const errors = s.results.filter((r) => r.theirs.kind === 'error').length;
    expect(errors).toBeGreaterThan(CASES * 0.02);
    expect(errors).toBeLessThan(CASES * 0.4);
    expect(
      s.results.filter((r) => r.theirs.kind === 'samples' && r.theirs.samples.length > 0).length,
    ).toBeGreaterThan(CASES * 0.3);
    expect(s.disagreed.map(show)).toEqual([]);
  });
});

describe('differential: recorded regressions', () => {
  const entries = loadRegressions();
  it('has distinct ids and one example per allow-list entry', () => {
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    const covered = new Set(entries.map((e) => e.knownDifference).filter(Boolean));
    for (const k of KNOWN_DIFFERENCES) {
      if (k.id === 'summation-order-with-huge-magnitudes') continue; // promtool's series order is random
      expect(covered, k.id).toContain(k.id);
    }
  });

  for (const e of entries) {
    it(`${e.id}: ${e.expr}`, async () => {
      const [r] = await compareBatch(datasetOf(e), [caseOf(e)]);
      if (!r) throw new Error('no result');
      // promtool still answers what was recorded: the entry documents real Prometheus 3.16 behaviour.
      expect(describeTheirs(r.theirs)).toBe(e.promtool);
      if (e.knownDifference) {
        expect(r.verdict.status).toBe('disagree');
        expect(r.known?.id).toBe(e.knownDifference);
      } else {
        expect(r.verdict, `${e.finding}\n${show(r)}`).toEqual({ status: 'agree' });
      }
    });
  }
});

describe('differential: harness', () => {
  it('generates the same cases from the same seed, different ones from another', () => {
    const a = generateCases(new Rng(5), 50);
    expect(generateCases(new Rng(5), 50)).toEqual(a);
    expect(generateCases(new Rng(6), 50)).not.toEqual(a);
    expect(new Set(a.map((c) => `${c.timeMs} ${c.expr}`)).size).toBe(50);
  });

  it('evaluates on and off the lookback boundary, and leaves out only what we refuse by design', () => {
    expect(EVAL_TIMES_MS.some((t) => t % STEP_MS === 0)).toBe(true);
    expect(EVAL_TIMES_MS.some((t) => t % STEP_MS !== 0)).toBe(true);
    const cases = generateCases(new Rng(9), 3000);
    for (const c of cases) {
      // Range selectors, subqueries, offset, @ and native histograms: our evaluator refuses them.
      expect(c.expr).not.toMatch(/\[\d|\boffset\b|@|histogram_(count|sum|avg|stddev|stdvar)\(/);
    }
    // What 3.x has and 2.42 had not is all exercised.
    const some = (re: RegExp): number => cases.filter((c) => re.test(c.expr)).length;
    expect(some(/\blimitk\(|\blimit_ratio\(|\bsort_by_label|\binfo\(|\bmax_of\(/)).toBeGreaterThan(10);
    expect(some(/\bhistogram_(quantile|fraction)\(/)).toBeGreaterThan(10);
    expect(some(/\d_\d|\b\d+(ms|s|m|h|d)\b/)).toBeGreaterThan(10);
    expect(some(/[{(,]\s*"[a-z_]+"/)).toBeGreaterThan(10);
    expect(some(/"(a\.b|1bad|x y|é)"/)).toBeGreaterThan(10);
  });

  it('renders a test file promtool reads back as JSON-compatible YAML', () => {
    const ds = generateDataset(new Rng(3));
    const text = renderTestFile(ds, [{ expr: 'sum(m) by (job)', timeMs: 450_000 }]);
    const parsed = JSON.parse(text) as { tests: { promql_expr_test: { eval_time: string }[] }[] };
    expect(parsed.tests[0]?.promql_expr_test[0]?.eval_time).toBe('7m30s');
  });

  it('formats durations like model.Duration', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(450_000)).toBe('7m30s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(1_085_000)).toBe('18m5s');
    expect(formatDuration(1500)).toBe('1s500ms');
  });

  it('parses promtool sample dumps exactly, including escapes and special values', () => {
    expect(parseSamples('nil')).toEqual([]);
    const s = parseSamples(
      '{a="x\\"y, z", b="\\\\"} 2.5E+00, {} -0E+00, {c="1"} NaN, {d="\\n"} +Inf, {e="é"} 1.7976931348623157E+308',
    );
    expect(s[0]).toEqual({ labels: { a: 'x"y, z', b: '\\' }, value: 2.5 });
    expect(Object.is(s[1]?.value, -0)).toBe(true);
    expect(Number.isNaN(s[2]?.value)).toBe(true);
    expect(s[3]).toEqual({ labels: { d: '\n' }, value: Infinity });
    expect(s[4]?.value).toBe(Number.MAX_VALUE);
    expect(() => parseSamples('{a="x"} 2.5')).toThrow();
    // 3.x quotes label names that are not legacy names.
    expect(parseSamples('{"1bad"="v", __name__="m", "a.b"="\\u212a"} 1E+00')).toEqual([
      { labels: { '1bad': 'v', __name__: 'm', 'a.b': '\u212a' }, value: 1 },
    ]);
  });

  it('maps promtool output back to cases; silence means an empty result', () => {
    const cases = [
      { expr: 'm * 2', timeMs: 60_000 },
      { expr: 'nothing', timeMs: 60_000 },
      { expr: 'a + "b"', timeMs: 60_000 },
      { expr: 'x', timeMs: 90_000 },
    ];
    const stderr = [
      '  FAILED:',
      '    expr: "m * 2", time: 1m,',
      '        exp: nil',
      '        got: {job="a"} 2E+00, {job="b"} 5E+00',
      '    expr: "a + \\"b\\"", time: 1m, err: 1:5: parse error: binary expression must contain only scalar and instant vector types',
      '    expr: "x", time: 1m30s,',
      '        exp: nil',
      '        got: {} 3E+00',
      '',
    ].join('\n');
    const out = parsePromtoolOutput(stderr, cases);
    expect(out[0]).toEqual({
      kind: 'samples',
      samples: [
        { labels: { job: 'a' }, value: 2 },
        { labels: { job: 'b' }, value: 5 },
      ],
    });
    expect(out[1]).toEqual({ kind: 'samples', samples: [] });
    expect(out[2]).toEqual({
      kind: 'error',
      message: '1:5: parse error: binary expression must contain only scalar and instant vector types',
    });
    expect(out[3]).toEqual({ kind: 'samples', samples: [{ labels: {}, value: 3 }] });
    expect(() => parsePromtoolOutput('  FAILED:\n1:14: parse error: bad series\n', cases)).toThrow();
    expect(() => parsePromtoolOutput('  FAILED:\n    expr: "unknown", time: 1m, err: x\n', cases)).toThrow();
  });

  it('compares values exactly, NaN equal to NaN, -0 apart from 0, tolerance only when asked', () => {
    expect(valuesAgree(NaN, NaN, false)).toBe(true);
    expect(valuesAgree(0, -0, false)).toBe(false);
    expect(valuesAgree(0.1 + 0.2, 0.3, false)).toBe(false);
    expect(valuesAgree(0.1 + 0.2, 0.3, true)).toBe(true);
    expect(valuesAgree(1, 1.001, true)).toBe(false);
    expect(valuesAgree(Infinity, Infinity, true)).toBe(true);
    expect(valuesAgree(Infinity, -Infinity, true)).toBe(false);
  });
});
