import { parseDuration } from '../../src/go/duration.js';
import { formatGoFloat, parseGoNumber } from '../../src/go/numbers.js';
import { type AnchoredRegexp, compileAnchored } from '../../src/go/regexp.js';
import { unquote } from '../../src/go/strings.js';
import type { Expr } from '../../src/promql/ast.js';
import { PromQLError, positionAt } from '../../src/promql/errors.js';
import { evaluateWithAnnotations, type InstantValue } from '../../src/promql/evaluator.js';
import { Labels } from '../../src/promql/labels.js';
import { parseExpr } from '../../src/promql/parser.js';
import { SeriesStore, type SampleInput } from '../../src/promql/store.js';
import { parseSeriesLabels, parseSeriesLine, type SequenceValue } from './series-notation.js';
import { almostEqual as almostEqualWithin } from '../../src/promql/float.js';

/**
 * A runner for Prometheus's PromQL test language (promql/promqltest): `load`, `clear` and `eval` commands
 * with expected results and `expect` lines. Evaluations run on our evaluator and are compared the way
 * promqltest compares them (relative tolerance 1e-6, NaN equals NaN, order only with `expect ordered`).
 * `eval range` runs as what a range query is, one instant query per step, each step compared with the
 * expected values at that step.
 *
 * Cases outside an instant float evaluator's scope are reported as not applicable, with the reason, decided
 * from the case's own content (its syntax, expected values and the samples it selects), never from its
 * outcome. Cases listed as expected differences (see `ExpectedDifference`) that fail are not applicable
 * too, with that list's reason; if one passes, it counts as passed.
 */

export type CaseStatus = 'passed' | 'failed' | 'not-applicable';

export interface CaseResult {
  line: number;
  expr: string;
  status: CaseStatus;
  /** Why the case failed or is not applicable. */
  reason?: string;
  expected?: string;
  got?: string;
}

export interface ScriptResult {
  name: string;
  cases: CaseResult[];
  passed: number;
  failed: number;
  notApplicable: number;
}

/** A case where our evaluator differs from the promqltest engine on purpose, and why. */
export interface ExpectedDifference {
  /** The test file's base name, e.g. `functions.test`. */
  file: string;
  /** The expression exactly as the eval line writes it. */
  expr: string;
  /** Text the failure's reason must contain: the entry covers that difference only, not any failure. */
  failure: string;
  reason: string;
}

export interface RunOptions {
  /**
   * Accept Prometheus's experimental functions and aggregations (limitk, sort_by_label, …). On by default:
   * the promqltest engine enables them for every test file.
   */
  experimentalFunctions?: boolean;
  /** Cases that differ on purpose; matched by file base name and expression. */
  expectedDifferences?: readonly ExpectedDifference[];
}

const PAT_LOAD = /^load(?:_(with_nhcb))?\s+(.+?)$/;
const PAT_EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const PAT_EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const PAT_EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const EPSILON = 0.000001;
/** Prometheus's almost.Equal with promqltest's default tolerance. */
export function almostEqual(a: number, b: number, epsilon = EPSILON): boolean {
  return almostEqualWithin(a, b, epsilon);
}

interface Expectation {
  kind: 'fail' | 'warn' | 'info' | 'no_warn' | 'no_info' | 'ordered';
  message?: string;
  regex?: AnchoredRegexp;
}

interface ExpectedSeries {
  labels: Labels;
  /** One value for an instant evaluation; one per step (or fewer) for a range evaluation. */
  values: SequenceValue[];
  pos: number;
}

interface EvalCase {
  line: number;
  expr: string;
  /** Evaluation time of an instant case; start of a range case. */
  timeMs: number;
  range?: { startMs: number; endMs: number; stepMs: number };
  fail: boolean;
  warn: boolean;
  info: boolean;
  ordered: boolean;
  expects: Expectation[];
  failMessage?: string;
  failRegex?: AnchoredRegexp;
  expectScalar?: number;
  expectString?: string;
  expectRangeVector: boolean;
  series: ExpectedSeries[];
  malformed?: string;
}

function goRegex(pattern: string): AnchoredRegexp {
  // The expectations are Go regexps (unanchored); translating keeps `\(` and friends meaning the same.
  return compileAnchored(`.*(?:${pattern}).*`);
}

function matches(e: Expectation, s: string): boolean {
  if (e.regex) return e.regex.test(s);
  if (e.message !== undefined) return e.message === s;
  return true;
}

function parseExpectLine(line: string): Expectation {
  const m = PAT_EXPECT.exec(line.trim());
  if (!m) throw new Error(`invalid expect statement: ${line}`);
  const exp: Expectation = { kind: m[1] as Expectation['kind'] };
  if (m[2] === 'msg') exp.message = (m[3] ?? '').trim();
  else if (m[2] === 'regex') exp.regex = goRegex((m[3] ?? '').trim());
  return exp;
}

function duration(text: string | undefined, what: string, c: EvalCase): number {
  const ms = parseDuration(text ?? '');
  if (ms === undefined) {
    c.malformed = `invalid ${what} definition ${JSON.stringify(text)}`;
    return 0;
  }
  return ms;
}

/** Parses an eval command and its expectation lines starting at `i`; returns the case and the next index. */
function parseEval(lines: string[], i: number): { c: EvalCase; next: number } {
  const head = lines[i] as string;
  const inst = PAT_EVAL_INSTANT.exec(head);
  const rng = inst ? null : PAT_EVAL_RANGE.exec(head);
  const mod = inst ? inst[1] : rng?.[1];
  const c: EvalCase = {
    line: i + 1,
    expr: (inst ? inst[3] : rng?.[5]) ?? head,
    timeMs: 0,
    fail: mod === 'fail',
    warn: mod === 'warn',
    info: mod === 'info',
    ordered: mod === 'ordered',
    expects: [],
    expectRangeVector: false,
    series: [],
  };
  if (!inst && !rng) c.malformed = 'invalid evaluation command';
  if (inst) c.timeMs = duration(inst[2] ?? '0', 'timestamp', c);
  if (rng) {
    const startMs = duration(rng[2], 'start timestamp', c);
    const endMs = duration(rng[3], 'end timestamp', c);
    const stepMs = duration(rng[4], 'step', c);
    if (endMs < startMs) c.malformed = 'end timestamp is before start timestamp';
    if (!(stepMs > 0)) c.malformed = 'zero or negative query resolution step widths are not accepted';
    c.range = { startMs, endMs, stepMs };
    c.timeMs = startMs;
  }
  let j = i + 1;
  let pos = 1;
  for (; j < lines.length; j++) {
    const def = lines[j] as string;
    if (def === '') break;
    if (c.fail && def.startsWith('expected_fail_message')) {
      c.failMessage = def.slice('expected_fail_message'.length).trim();
      j++;
      break;
    }
    if (c.fail && def.startsWith('expected_fail_regexp')) {
      c.failRegex = goRegex(def.slice('expected_fail_regexp'.length).trim());
      j++;
      break;
    }
    if (def.startsWith('expect range vector')) {
      c.expectRangeVector = true;
      continue;
    }
    if (def.startsWith('expect string')) {
      try {
        c.expectString = unquote(def.slice('expect string'.length).trim());
      } catch {
        c.malformed = `bad expected string: ${def}`;
      }
      continue;
    }
    if (def.split(' ')[0] === 'expect') {
      try {
        c.expects.push(parseExpectLine(def));
      } catch (e) {
        c.malformed = (e as Error).message;
      }
      continue;
    }
    const n = parseGoNumber(def);
    if (n !== undefined) {
      c.expectScalar = n;
      j++;
      break;
    }
    try {
      const { labels, values } = parseSeriesLine(def);
      if (values.length > 1 && !c.range && !c.expectRangeVector)
        c.malformed = 'expecting multiple values in instant evaluation';
      c.series.push({ labels: Labels.fromRecord(labels), values, pos: pos++ });
    } catch (e) {
      c.malformed = `bad expected series ${JSON.stringify(def)}: ${(e as Error).message}`;
    }
  }
  return { c, next: j };
}

/** A start-timestamp line, `metric{…}@st <offsets>`: the metric part ends in `@st` right before a blank. */
function isStartTimestampLine(def: string): boolean {
  const blank = def.search(/[\t ]/);
  return blank > 0 && def.slice(0, blank).endsWith('@st');
}

const ST_ITEM = /^(?:_|_x\d+|[+-]?\d+[a-zA-Z]*(?:[+-]\d+[a-zA-Z]*)?(?:x\d+)?)$/;

function loadBlock(
  lines: string[],
  i: number,
  store: SeriesStore,
  withNhcb: boolean,
  stepMs: number,
): { next: number; problems: CaseResult[] } {
  let j = i + 1;
  const problems: CaseResult[] = [];
  const classic = new Map<string, { labels: Record<string, string>; ts: Set<number> }>();
  for (; j < lines.length; j++) {
    const def = lines[j] as string;
    if (def === '') break;
    if (isStartTimestampLine(def)) {
      // Start timestamps only matter to functions over ranges (rate() and friends), which need history
      // we do not evaluate; the line is checked for form and otherwise not kept.
      const blank = def.search(/[\t ]/);
      try {
        parseSeriesLabels(def.slice(0, blank - '@st'.length));
        const bad = def
          .slice(blank)
          .trim()
          .split(/\s+/)
          .find((item) => !ST_ITEM.test(item));
        if (bad !== undefined) throw new Error(`invalid ST item ${JSON.stringify(bad)}`);
      } catch (e) {
        problems.push({
          line: j + 1,
          expr: def,
          status: 'failed',
          reason: `bad load line: ${(e as Error).message}`,
        });
      }
      continue;
    }
    let parsed: ReturnType<typeof parseSeriesLine>;
    try {
      parsed = parseSeriesLine(def);
    } catch (e) {
      problems.push({
        line: j + 1,
        expr: def,
        status: 'failed',
        reason: `bad load line: ${(e as Error).message}`,
      });
      continue;
    }
    const { labels, values } = parsed;
    const samples: SampleInput[] = [];
    values.forEach((v, k) => {
      const t = k * stepMs;
      if (v.kind === 'float') samples.push({ t, v: v.value });
      else if (v.kind === 'stale') samples.push({ t, v: NaN, stale: true });
      else if (v.kind === 'histogram') samples.push({ t, v: NaN, histogram: true });
    });
    store.add({ labels, samples });
    const name = labels['__name__'] ?? '';
    if (withNhcb && name.endsWith('_bucket') && labels['le'] !== undefined) {
      const base: Record<string, string> = { ...labels, __name__: name.slice(0, -'_bucket'.length) };
      delete base['le'];
      const key = Labels.fromRecord(base).key();
      let entry = classic.get(key);
      if (!entry) classic.set(key, (entry = { labels: base, ts: new Set() }));
      for (const s of samples) entry.ts.add(s.t);
    }
  }
  // load_with_nhcb also loads the classic histograms as native histograms with custom buckets; we only
  // record that those series hold histogram samples, which is what decides applicability.
  for (const { labels, ts } of classic.values()) {
    store.add({
      labels,
      samples: [...ts].sort((a, b) => a - b).map((t) => ({ t, v: NaN, histogram: true })),
    });
  }
  return { next: j, problems };
}

function walk(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.kind) {
    case 'paren':
    case 'unary':
    case 'history':
      walk(e.expr, visit);
      break;
    case 'binary':
      walk(e.lhs, visit);
      walk(e.rhs, visit);
      break;
    case 'aggregate':
      if (e.param) walk(e.param, visit);
      walk(e.expr, visit);
      break;
    case 'call':
      e.args.forEach((a) => walk(a, visit));
      break;
    default:
      break;
  }
}

/** Functions the evaluator does not implement, and why. */
const UNIMPLEMENTED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['start', 'query-context function start() (experimental; not implemented)'],
  ['end', 'query-context function end() (experimental; not implemented)'],
  ['range', 'query-context function range() (experimental; not implemented)'],
  ['step', 'query-context function step() (experimental; not implemented)'],
  ['info', 'info() joins info metrics (experimental; not implemented)'],
  ['start_timestamp', 'start_timestamp() reads start timestamps, which the store does not keep'],
]);

/** Native-histogram functions; histogram_quantile and histogram_fraction also take classic buckets. */
const CLASSIC_HISTOGRAM_FUNCTIONS = new Set(['histogram_quantile', 'histogram_fraction']);

/**
 * Syntax our parser does not accept, recognised in the text of an expression that failed to parse. Each is
 * a feature we do not implement; those Prometheus keeps behind a feature flag say so.
 */
const UNSUPPORTED_SYNTAX: [RegExp, string][] = [
  [
    /\bfill(_left|_right)?\s*\(/,
    'binop fill modifiers (experimental promql-binop-fill-modifiers; not implemented)',
  ],
  [/\b(smoothed|anchored)\b/, 'anchored/smoothed range modifiers (need stored history)'],
  [/<\/|>\//, 'native histogram trim operators'],
  [/\[[^\]]*(?:[()+*/%^]|\b(?:min|max)\b)[^\]]*\]/, 'duration expressions (need stored history)'],
  [/(?:\boffset|@)\s*[-+]?\s*(?:\(|[a-z_]+\s*\()/i, 'duration expressions (need stored history)'],
  [/\bintegral\s*\(/, 'integral() (experimental; not in the lezer PromQL grammar we parse with)'],
];

/** An unquoted name with a dot or a non-ASCII letter, outside string literals. */
function usesUnquotedUtf8Names(text: string): boolean {
  const bare = text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  return [...bare].some((ch) => ch.charCodeAt(0) > 0x7f) || /[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_.]/.test(bare);
}

function syntaxNotApplicable(text: string): string | undefined {
  for (const [re, why] of UNSUPPORTED_SYNTAX) if (re.test(text)) return why;
  if (usesUnquotedUtf8Names(text))
    return 'unquoted UTF-8 names (experimental promql-unquoted-utf8-names; not implemented)';
  return undefined;
}

/** The evaluation times of a case: one for an instant evaluation, each step of a range evaluation. */
function stepTimes(c: EvalCase): number[] {
  if (!c.range) return [c.timeMs];
  const out: number[] = [];
  for (let t = c.range.startMs; t <= c.range.endMs; t += c.range.stepMs) out.push(t);
  return out;
}

/** Why a case is outside an instant float evaluator's scope, from its content alone; undefined if in scope. */
function notApplicable(c: EvalCase, expr: Expr | undefined, store: SeriesStore): string | undefined {
  if (c.expectRangeVector) return 'range vector result (expect range vector)';
  if (c.series.some((s) => s.values.some((v) => v.kind === 'histogram')))
    return 'native histogram in expected result';
  if (!expr) return syntaxNotApplicable(c.expr);
  const times = stepTimes(c);
  let reason: string | undefined;
  walk(expr, (n) => {
    if (reason) return;
    if (n.kind === 'history') reason = `${n.what} (needs stored history)`;
    else if (n.kind === 'call' && UNIMPLEMENTED_FUNCTIONS.has(n.func))
      reason = UNIMPLEMENTED_FUNCTIONS.get(n.func);
    else if (n.kind === 'call' && n.func.startsWith('histogram_') && !CLASSIC_HISTOGRAM_FUNCTIONS.has(n.func))
      reason = `native histogram function ${n.func}()`;
    else if (n.kind === 'selector') {
      if (times.some((t) => store.select(n.matchers, t).some((s) => s.histogram)))
        reason = 'selects native histogram samples';
    }
  });
  return reason;
}

function describeValue(v: InstantValue): string {
  if (v.type === 'string') return `string ${JSON.stringify(v.value)}`;
  if (v.type === 'scalar') return `scalar ${formatGoFloat(v.value)}`;
  if (v.samples.length === 0) return '(empty vector)';
  return v.samples
    .map((s) => `${Labels.fromRecord(s.labels).toString()} ${formatGoFloat(s.value)}`)
    .join(', ');
}

/** The expected float of a series at step `k`, or undefined where the sequence has none. */
function expectedAt(s: ExpectedSeries, k: number): number | undefined {
  const v = s.values[k];
  return v?.kind === 'float' ? v.value : undefined;
}

function describeExpectedAt(c: EvalCase, k: number): string {
  if (c.expectString !== undefined) return `string ${JSON.stringify(c.expectString)}`;
  if (c.expectScalar !== undefined) return `scalar ${formatGoFloat(c.expectScalar)}`;
  const fail = c.expects.find((e) => e.kind === 'fail');
  if (c.fail || fail) {
    const msg = c.failMessage ?? fail?.message;
    const re = c.failRegex ?? fail?.regex;
    return `error${msg ? ` ${JSON.stringify(msg)}` : re ? ` matching ${re.source}` : ''}`;
  }
  const present = c.series.filter((s) => expectedAt(s, k) !== undefined);
  if (present.length === 0) return '(empty vector)';
  return present.map((s) => `${s.labels.toString()} ${formatGoFloat(expectedAt(s, k) as number)}`).join(', ');
}

/** Compares one successful result (step `k` of the case) with the expectation; a reason when they differ. */
function compareResult(c: EvalCase, v: InstantValue, k: number): string | undefined {
  const expectScalar = c.expectScalar !== undefined;
  if (v.type === 'string') {
    if (c.expectString !== v.value)
      return `expected string ${JSON.stringify(c.expectString)} but got ${JSON.stringify(v.value)}`;
    return undefined;
  }
  if (v.type === 'scalar' && !c.range) {
    if (!expectScalar) return 'expected vector or matrix result, but got a scalar';
    if (!almostEqual(c.expectScalar as number, v.value))
      return `expected scalar ${c.expectScalar} but got ${v.value}`;
    return undefined;
  }
  if (expectScalar) return `expected scalar result, but got a ${c.range ? 'matrix' : 'vector'}`;
  // A range query turns a scalar into one series without labels.
  const samples =
    v.type === 'scalar' ? [{ labels: {} as Record<string, string>, value: v.value }] : v.samples;
  const ordered = !c.range && (c.ordered || c.expects.some((e) => e.kind === 'ordered'));
  const expected = new Map(c.series.map((s) => [s.labels.key(), s]));
  const seen = new Set<string>();
  for (let p = 0; p < samples.length; p++) {
    const s = samples[p] as { labels: Record<string, string>; value: number };
    const labels = Labels.fromRecord(s.labels);
    const exp = expected.get(labels.key());
    const want = exp && expectedAt(exp, k);
    if (!exp || want === undefined)
      return `unexpected metric ${labels.toString()} in result, has value ${formatGoFloat(s.value)}`;
    if (ordered && exp.pos !== p + 1)
      return `expected metric ${labels.toString()} at position ${exp.pos} but was at ${p + 1}`;
    if (!almostEqual(want, s.value))
      return `expected ${formatGoFloat(want)} for ${labels.toString()} but got ${formatGoFloat(s.value)}`;
    seen.add(labels.key());
  }
  for (const [key, s] of expected)
    if (!seen.has(key) && expectedAt(s, k) !== undefined)
      return `expected metric ${s.labels.toString()} not found`;
  return undefined;
}

function checkAnnotations(c: EvalCase, warnings: string[], infos: string[]): string | undefined {
  if (c.warn && warnings.length === 0) return 'expected warnings but got none';
  if (c.info && infos.length === 0) return 'expected info annotations but got none';
  const check = (kind: 'warn' | 'info', actual: string[]): string | undefined => {
    const exps = c.expects.filter((e) => e.kind === kind);
    if (exps.length === 0) return undefined;
    if (actual.length === 0) return `expected ${kind} annotations but none were found`;
    for (const e of exps)
      if (!actual.some((a) => matches(e, a)))
        return `expected ${kind} annotation ${e.message ?? e.regex?.source ?? ''} not found in ${JSON.stringify(actual)}`;
    for (const a of actual)
      if (!exps.some((e) => matches(e, a))) return `unexpected ${kind} annotation ${JSON.stringify(a)}`;
    return undefined;
  };
  const w = check('warn', warnings) ?? check('info', infos);
  if (w) return w;
  if (c.expects.some((e) => e.kind === 'no_warn') && warnings.length > 0)
    return `unexpected warnings ${JSON.stringify(warnings)}`;
  if (c.expects.some((e) => e.kind === 'no_info') && infos.length > 0)
    return `unexpected infos ${JSON.stringify(infos)}`;
  return undefined;
}

interface Outcome {
  steps: { t: number; value: InstantValue }[];
  warnings: string[];
  infos: string[];
}

/** Runs the case: one instant query, or one per step of a range; the first error ends it, as in a query. */
function evaluateCase(c: EvalCase, expr: Expr, store: SeriesStore): Outcome {
  if (c.range && expr.type !== 'scalar' && expr.type !== 'vector') {
    const type = expr.type === 'matrix' ? 'range vector' : expr.type;
    throw new PromQLError(
      'evaluation',
      `invalid expression type "${type}" for range query, must be Scalar or instant Vector`,
      positionAt(c.expr, 0),
    );
  }
  const warnings = new Set<string>();
  const infos = new Set<string>();
  const steps: Outcome['steps'] = [];
  for (const t of stepTimes(c)) {
    const r = evaluateWithAnnotations(expr, store, t, {
      text: c.expr,
      rangeQuery: c.range !== undefined && c.range.startMs !== c.range.endMs,
    });
    // Annotations of all steps are collected once each, as a range query reports them.
    r.warnings.forEach((w) => warnings.add(w));
    r.infos.forEach((i) => infos.add(i));
    steps.push({ t, value: r.value });
  }
  return { steps, warnings: [...warnings], infos: [...infos] };
}

function formatStep(c: EvalCase, t: number, text: string): string {
  return c.range ? `at ${t / 1000}s: ${text}` : text;
}

function runCase(c: EvalCase, store: SeriesStore, options: RunOptions): CaseResult {
  const base = { line: c.line, expr: c.expr };
  if (c.malformed) return { ...base, status: 'failed', reason: `malformed test case: ${c.malformed}` };
  let expr: Expr | undefined;
  let parseErr: PromQLError | undefined;
  try {
    expr = parseExpr(c.expr, { experimentalFunctions: options.experimentalFunctions ?? true });
  } catch (e) {
    if (!(e instanceof PromQLError)) throw e;
    parseErr = e;
  }
  const na = notApplicable(c, expr, store);
  if (na) return { ...base, status: 'not-applicable', reason: na };
  if (c.range) {
    const steps = Math.floor((c.range.endMs - c.range.startMs) / c.range.stepMs) + 1;
    const long = c.series.find((s) => s.values.length > steps);
    if (long)
      return {
        ...base,
        status: 'failed',
        reason: `malformed test case: expected ${long.values.length} points for ${long.labels.toString()}, but the query time range cannot return this many points`,
      };
  }
  const failExp = c.expects.find((e) => e.kind === 'fail');
  const expectFail = c.fail || failExp !== undefined;
  let outcome: Outcome | undefined;
  let error: PromQLError | undefined = parseErr;
  if (expr) {
    try {
      outcome = evaluateCase(c, expr, store);
    } catch (e) {
      if (!(e instanceof PromQLError)) throw e;
      error = e;
    }
  }
  const expected = describeExpectedAt(c, 0);
  if (error) {
    if (!expectFail)
      return {
        ...base,
        status: 'failed',
        reason: 'unexpected error',
        expected,
        got: `error ${JSON.stringify(error.message)}`,
      };
    const msg = error.message;
    if (c.failMessage && c.failMessage !== msg)
      return { ...base, status: 'failed', reason: 'wrong error message', expected, got: msg };
    if (c.failRegex && !c.failRegex.test(msg))
      return { ...base, status: 'failed', reason: 'wrong error message', expected, got: msg };
    if (failExp && !matches(failExp, msg))
      return { ...base, status: 'failed', reason: 'wrong error message', expected, got: msg };
    return { ...base, status: 'passed' };
  }
  const r = outcome as Outcome;
  const first = r.steps[0] as Outcome['steps'][number];
  if (expectFail)
    return {
      ...base,
      status: 'failed',
      reason: 'expected an error but got none',
      expected,
      got: describeValue(first.value),
    };
  const annotationProblem = checkAnnotations(c, r.warnings, r.infos);
  if (annotationProblem)
    return {
      ...base,
      status: 'failed',
      reason: annotationProblem,
      expected,
      got: describeValue(first.value),
    };
  for (let k = 0; k < r.steps.length; k++) {
    const { t, value } = r.steps[k] as Outcome['steps'][number];
    const diff = compareResult(c, value, k);
    if (diff)
      return {
        ...base,
        status: 'failed',
        reason: formatStep(c, t, diff),
        expected: formatStep(c, t, describeExpectedAt(c, k)),
        got: formatStep(c, t, describeValue(value)),
      };
  }
  return { ...base, status: 'passed' };
}

function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Runs a whole test script (the text of one `.test` file); `name` is its path or file name. */
export function runTestScript(text: string, name = '<script>', options: RunOptions = {}): ScriptResult {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const file = baseName(name);
  const differences = (options.expectedDifferences ?? []).filter((d) => d.file === file);
  let store = new SeriesStore();
  const cases: CaseResult[] = [];
  const invalid = (i: number, reason: string): void => {
    cases.push({ line: i + 1, expr: lines[i] as string, status: 'failed', reason });
  };
  for (let i = 0; i < lines.length;) {
    const l = lines[i] as string;
    if (l === '') {
      i++;
      continue;
    }
    const cmd = (l.split(/[\t ]+/, 1)[0] ?? '').toLowerCase();
    if (cmd === 'clear') {
      store = new SeriesStore();
      i++;
    } else if (cmd.startsWith('load')) {
      const m = PAT_LOAD.exec(l);
      const step = m ? parseDuration(m[2] ?? '') : undefined;
      if (!m || step === undefined) {
        invalid(i, `invalid load command ${JSON.stringify(l)}`);
        i++;
        while (i < lines.length && lines[i] !== '') i++;
        continue;
      }
      const { next, problems } = loadBlock(lines, i, store, m[1] === 'with_nhcb', step);
      cases.push(...problems);
      i = next;
    } else if (cmd.startsWith('eval')) {
      const { c, next } = parseEval(lines, i);
      let result = runCase(c, store, options);
      const failure = result.status === 'failed' ? (result.reason ?? '') : undefined;
      const known = differences.find((d) => d.expr === c.expr && failure?.includes(d.failure));
      if (known)
        result = {
          line: result.line,
          expr: result.expr,
          status: 'not-applicable',
          reason: `expected difference: ${known.reason}`,
        };
      cases.push(result);
      i = next;
    } else {
      invalid(i, `invalid command ${JSON.stringify(l)}`);
      i++;
    }
  }
  return {
    name,
    cases,
    passed: cases.filter((c) => c.status === 'passed').length,
    failed: cases.filter((c) => c.status === 'failed').length,
    notApplicable: cases.filter((c) => c.status === 'not-applicable').length,
  };
}

export { parseSeriesLabels };
