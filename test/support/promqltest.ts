import { parseDuration } from '../../src/go/duration.js';
import { formatGoFloat, parseGoNumber } from '../../src/go/numbers.js';
import { compileAnchored } from '../../src/go/regexp.js';
import { unquote } from '../../src/go/strings.js';
import type { Expr } from '../../src/promql/ast.js';
import { PromQLError } from '../../src/promql/errors.js';
import { evaluateWithAnnotations, type InstantValue } from '../../src/promql/evaluator.js';
import { Labels } from '../../src/promql/labels.js';
import { parseExpr } from '../../src/promql/parser.js';
import { SeriesStore, type SampleInput } from '../../src/promql/store.js';
import { parseSeriesLabels, parseSeriesLine } from './series-notation.js';

/**
 * A runner for Prometheus's PromQL test language (promql/promqltest): `load`, `clear` and `eval` commands
 * with expected results and `expect` lines. Instant evaluations run on our evaluator and are compared the
 * way promqltest compares them (relative tolerance 1e-6, NaN equals NaN, order only with `expect ordered`).
 * Cases outside an instant evaluator's scope are reported as not applicable, decided from the case's own
 * content (its syntax, expected values and the samples it selects), never from its outcome.
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

const PAT_LOAD = /^load(?:_(with_nhcb))?\s+(.+?)$/;
const PAT_EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const PAT_EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const PAT_EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const EPSILON = 0.000001;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Prometheus's almost.Equal: relative tolerance, and NaN equal to NaN. */
export function almostEqual(a: number, b: number, epsilon = EPSILON): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

interface Expectation {
  kind: 'fail' | 'warn' | 'info' | 'no_warn' | 'no_info' | 'ordered';
  message?: string;
  regex?: RegExp;
}

interface EvalCase {
  line: number;
  expr: string;
  timeMs: number;
  range: boolean;
  fail: boolean;
  warn: boolean;
  info: boolean;
  ordered: boolean;
  expects: Expectation[];
  failMessage?: string;
  failRegex?: RegExp;
  expectScalar?: number;
  expectString?: string;
  expectRangeVector: boolean;
  series: { labels: Labels; value: number; pos: number; histogram: boolean }[];
  malformed?: string;
}

function goRegex(pattern: string): RegExp {
  // The expectations are Go regexps (unanchored); translating keeps `\(` and friends meaning the same.
  const anchored = compileAnchored(`.*(?:${pattern}).*`);
  return anchored;
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
    range: !inst,
    fail: mod === 'fail',
    warn: mod === 'warn',
    info: mod === 'info',
    ordered: mod === 'ordered',
    expects: [],
    expectRangeVector: false,
    series: [],
  };
  if (!inst && !rng) c.malformed = 'invalid evaluation command';
  if (inst) {
    const at = parseDuration(inst[2] ?? '0');
    if (at === undefined) c.malformed = `invalid timestamp definition ${JSON.stringify(inst[2])}`;
    else c.timeMs = at;
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
      const first = values[0];
      if (values.length > 1 && !c.range && !c.expectRangeVector)
        c.malformed = 'expecting multiple values in instant evaluation';
      c.series.push({
        labels: Labels.fromRecord(labels),
        value: first?.kind === 'float' ? first.value : NaN,
        pos: pos++,
        histogram: first?.kind === 'histogram' || values.some((v) => v.kind === 'histogram'),
      });
    } catch (e) {
      c.malformed = `bad expected series ${JSON.stringify(def)}: ${(e as Error).message}`;
    }
  }
  return { c, next: j };
}

function loadBlock(
  lines: string[],
  i: number,
  store: SeriesStore,
  withNhcb: boolean,
  stepMs: number,
): number {
  let j = i + 1;
  const classic = new Map<string, { labels: Record<string, string>; ts: Set<number> }>();
  for (; j < lines.length; j++) {
    const def = lines[j] as string;
    if (def === '') break;
    const { labels, values } = parseSeriesLine(def);
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
  return j;
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

const QUERY_CONTEXT_FUNCTIONS = new Set(['start', 'end', 'range', 'step', 'info']);
const EXPERIMENTAL_SYNTAX: [RegExp, string][] = [
  [/\bfill(_left|_right)?\s*\(/, 'experimental fill() binop modifier'],
  [/\b(smoothed|anchored)\b/, 'experimental smoothed/anchored modifier'],
  [/<\/|>\//, 'native histogram trim operators'],
  [/\[[^\]]*[()+*/%^][^\]]*\]/, 'experimental duration expression'],
];

/** Why a case is outside an instant float evaluator's scope, from its content alone; undefined if in scope. */
function notApplicable(c: EvalCase, expr: Expr | undefined, store: SeriesStore): string | undefined {
  if (c.range) return 'range evaluation (eval range)';
  if (c.expectRangeVector) return 'range vector result (expect range vector)';
  if (c.series.some((s) => s.histogram)) return 'native histogram in expected result';
  if (!expr) {
    for (const [re, why] of EXPERIMENTAL_SYNTAX) if (re.test(c.expr)) return why;
    return undefined;
  }
  let reason: string | undefined;
  walk(expr, (n) => {
    if (reason) return;
    if (n.kind === 'history') reason = n.what;
    else if (n.kind === 'call' && QUERY_CONTEXT_FUNCTIONS.has(n.func))
      reason = `query-context/experimental function ${n.func}()`;
    else if (n.kind === 'call' && n.func.startsWith('histogram_') && n.func !== 'histogram_quantile')
      reason = 'native histogram function';
    else if (n.kind === 'selector') {
      if (store.select(n.matchers, c.timeMs).some((s) => s.histogram))
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

function describeExpected(c: EvalCase): string {
  if (c.expectString !== undefined) return `string ${JSON.stringify(c.expectString)}`;
  if (c.expectScalar !== undefined) return `scalar ${formatGoFloat(c.expectScalar)}`;
  if (c.fail) return `error${c.failMessage ? ` ${JSON.stringify(c.failMessage)}` : ''}`;
  const fail = c.expects.find((e) => e.kind === 'fail');
  if (fail)
    return `error${fail.message ? ` ${JSON.stringify(fail.message)}` : fail.regex ? ` matching ${fail.regex.source}` : ''}`;
  if (c.series.length === 0) return '(empty vector)';
  return c.series.map((s) => `${s.labels.toString()} ${formatGoFloat(s.value)}`).join(', ');
}

/** Compares a successful result with the expectation; returns a reason when they differ. */
function compareResult(c: EvalCase, v: InstantValue): string | undefined {
  const expectScalar = c.expectScalar !== undefined;
  if (v.type === 'string') {
    if (c.expectString !== v.value)
      return `expected string ${JSON.stringify(c.expectString)} but got ${JSON.stringify(v.value)}`;
    return undefined;
  }
  if (v.type === 'scalar') {
    if (!expectScalar) return 'expected vector or matrix result, but got a scalar';
    if (!almostEqual(c.expectScalar as number, v.value))
      return `expected scalar ${c.expectScalar} but got ${v.value}`;
    return undefined;
  }
  if (expectScalar) return 'expected scalar result, but got a vector';
  const ordered = c.ordered || c.expects.some((e) => e.kind === 'ordered');
  const expected = new Map(c.series.map((s) => [s.labels.key(), s]));
  const seen = new Set<string>();
  for (let p = 0; p < v.samples.length; p++) {
    const s = v.samples[p] as InstantValue extends never
      ? never
      : { labels: Record<string, string>; value: number };
    const labels = Labels.fromRecord(s.labels);
    const exp = expected.get(labels.key());
    if (!exp) return `unexpected metric ${labels.toString()} in result, has value ${formatGoFloat(s.value)}`;
    if (ordered && exp.pos !== p + 1)
      return `expected metric ${labels.toString()} at position ${exp.pos} but was at ${p + 1}`;
    if (!almostEqual(exp.value, s.value))
      return `expected ${formatGoFloat(exp.value)} for ${labels.toString()} but got ${formatGoFloat(s.value)}`;
    seen.add(labels.key());
  }
  for (const [k, s] of expected) if (!seen.has(k)) return `expected metric ${s.labels.toString()} not found`;
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

function runCase(c: EvalCase, store: SeriesStore): CaseResult {
  const base = { line: c.line, expr: c.expr };
  if (c.malformed) return { ...base, status: 'failed', reason: `malformed test case: ${c.malformed}` };
  let expr: Expr | undefined;
  let parseErr: PromQLError | undefined;
  try {
    expr = parseExpr(c.expr);
  } catch (e) {
    if (!(e instanceof PromQLError)) throw e;
    parseErr = e;
  }
  const na = notApplicable(c, expr, store);
  if (na) return { ...base, status: 'not-applicable', reason: na };
  const failExp = c.expects.find((e) => e.kind === 'fail');
  const expectFail = c.fail || failExp !== undefined;
  let result: ReturnType<typeof evaluateWithAnnotations> | undefined;
  let error: PromQLError | undefined = parseErr;
  if (expr) {
    try {
      result = evaluateWithAnnotations(expr, store, c.timeMs);
    } catch (e) {
      if (!(e instanceof PromQLError)) throw e;
      error = e;
    }
  }
  const expected = describeExpected(c);
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
  const r = result as NonNullable<typeof result>;
  if (expectFail)
    return {
      ...base,
      status: 'failed',
      reason: 'expected an error but got none',
      expected,
      got: describeValue(r.value),
    };
  const annotationProblem = checkAnnotations(c, r.warnings, r.infos);
  if (annotationProblem)
    return { ...base, status: 'failed', reason: annotationProblem, expected, got: describeValue(r.value) };
  const diff = compareResult(c, r.value);
  if (diff) return { ...base, status: 'failed', reason: diff, expected, got: describeValue(r.value) };
  return { ...base, status: 'passed' };
}

/** Runs a whole test script (the text of one `.test` file). */
export function runTestScript(text: string, name = '<script>'): ScriptResult {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  let store = new SeriesStore();
  const cases: CaseResult[] = [];
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
      if (!m || step === undefined)
        throw new Error(`${name}:${i + 1}: invalid load command ${JSON.stringify(l)}`);
      i = loadBlock(lines, i, store, m[1] === 'with_nhcb', step);
    } else if (cmd.startsWith('eval')) {
      const { c, next } = parseEval(lines, i);
      cases.push(runCase(c, store));
      i = next;
    } else {
      throw new Error(`${name}:${i + 1}: invalid command ${JSON.stringify(l)}`);
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
