import { Rng } from './prng.js';

/**
 * Random series and random PromQL expressions for the differential test, judged against promtool 3.16
 * run as Prometheus runs by default: no feature flags. The expressions cover what Prometheus 3 has and
 * 2.42 had not, since the oracle now shares our semantics: number and duration literals with `_` and
 * units, quoted (UTF-8) label and metric names, label values with spaces, newlines and non-ASCII
 * letters that regexes fold (`K` is the Kelvin sign), evaluation times on the lookback boundary (the
 * window is left-open in 3.x), classic histograms, and the experimental functions, which both sides
 * must refuse without the flag (so the generator needs no flag of its own).
 *
 * Left out, because our evaluator refuses them by design (README): range selectors, subqueries,
 * `offset` and `@` (they need stored history) and the native-histogram functions.
 */

/** Samples are loaded every minute, at 0, 1m, …, 15m. */
export const STEP_MS = 60_000;
export const STEPS = 16;

/**
 * Evaluation times, spread so that series that end early are visible at some times and gone at others.
 * Three are whole minutes, where the lookback window (t-5m, t] starts exactly on a sample it must not
 * include (20m sees nothing of the last sample at 15m).
 */
export const EVAL_TIMES_MS: readonly number[] = [
  300_000, 450_000, 600_000, 620_000, 765_000, 910_000, 1_085_000, 1_200_000,
];

export const METRIC_NAMES = ['m', 'n', 'up', 'flux_x'] as const;
export const LABEL_NAMES = ['job', 'env', 'kind', 'name'] as const;
/**
 * `''` stands for "label absent". `a b` and `x\ny` tell `\s` and `.` apart (both match a newline in
 * 3.x); a vertical tab is `\s` in JavaScript but not in Go; `\u212a` (Kelvin sign) and `\u017f`
 * (long s) fold to `k` and `s` under Go's `(?i)`.
 */
const LABEL_VALUES = [
  'a',
  'b',
  'apps',
  'flux-system',
  'Apps',
  '1',
  'x.y',
  '',
  'a b',
  'x\ny',
  'a\vb',
  '\u212a',
  'ſ',
] as const;
/** Label names used by modifiers and functions: the dataset's plus ones no series has. */
const GROUPING_LABELS = [...LABEL_NAMES, 'zone', '__name__'] as const;
const MATCH_VALUES = ['a', 'b', 'apps', 'flux-system', 'Apps', '1', 'x.y', '', 'zzz', 'k', 'a b'] as const;
/** Destination names for label_replace/label_join/count_values: 3.x takes any UTF-8 name. */
const NEW_LABEL_NAMES = ['dst', 'job', 'env', 'name', '__name__', 'x', 'a.b', '1bad', 'x y', 'é'] as const;
/** Classic histogram buckets: one family, `le` bounds written as Prometheus writes them. */
export const BUCKET_METRIC = 'h_bucket';
const BUCKET_BOUNDS = ['0.1', '0.5', '1', '2.5', '+Inf'] as const;

export interface GeneratedSeries {
  /** Includes `__name__`. */
  labels: Record<string, string>;
  /** One entry per step; `null` means no sample at that step. */
  values: (number | null)[];
}

export interface Dataset {
  series: GeneratedSeries[];
}

export interface Case {
  expr: string;
  timeMs: number;
}

// ---------------------------------------------------------------------------------------------------
// Series

function sampleValue(rng: Rng): number {
  return rng.weighted<() => number>([
    [30, () => rng.int(-3, 6)],
    [10, () => 0],
    [12, () => rng.int(-20, 20) / 4],
    [6, () => rng.int(1, 9) / 3],
    [5, () => rng.int(1, 999) / 1000],
    [4, () => rng.pick([1e21, -1e21, 1.5e15, 1e300, -1e300, 123456789.125])],
    [3, () => rng.pick([1e-7, -2.5e-9, 5e-324])],
    [2, () => NaN],
    [1, () => Infinity],
    [1, () => -Infinity],
  ])();
}

function seriesValues(rng: Rng): (number | null)[] {
  const shape = rng.weighted<string>([
    [6, 'steady'],
    [3, 'changing'],
    [2, 'ends-early'],
    [1, 'gappy'],
  ]);
  const base = sampleValue(rng);
  const values: (number | null)[] = [];
  const end = shape === 'ends-early' ? rng.int(3, 12) : STEPS - 1;
  for (let i = 0; i < STEPS; i++) {
    if (i > end) values.push(null);
    else if (shape === 'gappy' && rng.chance(0.3)) values.push(null);
    else if (shape === 'steady') values.push(base);
    else values.push(rng.chance(0.5) ? base : sampleValue(rng));
  }
  return values;
}

/**
 * Cumulative bucket counts of one classic histogram per job. Now and then a bucket decreases, is NaN,
 * or `+Inf` is missing, the inputs histogram_quantile and histogram_fraction have rules for.
 */
function bucketSeries(rng: Rng): GeneratedSeries[] {
  const out: GeneratedSeries[] = [];
  const bounds = rng.chance(0.15) ? BUCKET_BOUNDS.filter((b) => b !== '+Inf') : [...BUCKET_BOUNDS];
  for (const job of rng.subset(['a', 'b'], 1, 2)) {
    const counts = bounds.map(() => rng.int(0, 4));
    let total = 0;
    const cumulative = counts.map((c) => (total += c));
    if (rng.chance(0.15)) cumulative[rng.int(0, cumulative.length - 1)] = rng.pick([NaN, 0, 1]);
    const growth = rng.pick([0, 1, 2]);
    bounds.forEach((le, i) => {
      const base = cumulative[i] as number;
      out.push({
        labels: { __name__: BUCKET_METRIC, job, le },
        values: Array.from({ length: STEPS }, (_, step) => base + growth * (i + 1) * step),
      });
    });
  }
  return out;
}

/** 6–14 series over a few metric names and labels, with distinct label sets, and sometimes a histogram. */
export function generateDataset(rng: Rng): Dataset {
  const series: GeneratedSeries[] = [];
  const seen = new Set<string>();
  const count = rng.int(6, 14);
  for (let attempts = 0; series.length < count && attempts < 200; attempts++) {
    const labels: Record<string, string> = { __name__: rng.pick(METRIC_NAMES) };
    for (const name of rng.subset(LABEL_NAMES, 0, 3)) {
      const v = rng.pick(LABEL_VALUES);
      if (v !== '') labels[name] = v;
    }
    const key = JSON.stringify(Object.entries(labels).sort());
    if (seen.has(key)) continue;
    seen.add(key);
    series.push({ labels, values: seriesValues(rng) });
  }
  if (rng.chance(0.5)) series.push(...bucketSeries(rng));
  return { series };
}

// ---------------------------------------------------------------------------------------------------
// Expressions

const ARITHMETIC = ['+', '-', '*', '/', '%', '^', 'atan2'] as const;
const COMPARISON = ['==', '!=', '>', '<', '>=', '<='] as const;
const SET_OPS = ['and', 'or', 'unless'] as const;
const SIMPLE_AGGREGATIONS = ['sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar'] as const;
/** Functions from one instant vector to one instant vector, all present in 2.42. */
const VECTOR_FUNCTIONS = [
  'abs',
  'ceil',
  'floor',
  'exp',
  'sqrt',
  'ln',
  'log2',
  'log10',
  'sgn',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'deg',
  'rad',
  'timestamp',
  'sort',
  'sort_desc',
] as const;
const DATE_FUNCTIONS = [
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'hour',
  'minute',
  'month',
  'year',
] as const;

/** Go-style double-quoted string literal (what PromQL's `"…"` accepts). */
function dq(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A string literal in one of PromQL's three quoting styles, chosen so the content survives. */
function stringLiteral(rng: Rng, s: string): string {
  if (!s.includes('`') && rng.chance(0.1)) return `\`${s}\``;
  if (rng.chance(0.1)) return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return dq(s);
}

export class ExpressionGenerator {
  constructor(
    private readonly rng: Rng,
    private readonly maxDepth = 4,
  ) {}

  /** A top-level expression: an instant vector most of the time, sometimes a scalar. */
  expression(): string {
    return this.rng.chance(0.85) ? this.vector(this.maxDepth) : this.scalar(this.maxDepth);
  }

  private sp(): string {
    return this.rng.chance(0.15) ? '' : ' ';
  }

  /** Keywords are case-insensitive in PromQL; function names are not. */
  private kw(word: string): string {
    return this.rng.chance(0.05) ? word.toUpperCase() : word;
  }

  // --- instant vectors

  vector(depth: number): string {
    const r = this.rng;
    if (depth <= 0) return this.selector();
    const d = depth - 1;
    const kind = r.weighted<string>([
      [4, 'selector'],
      [3, 'aggregate'],
      [3, 'binary-vv'],
      [3, 'binary-vs'],
      [1.5, 'set'],
      [2.5, 'function'],
      [0.6, 'unary'],
      [0.6, 'paren'],
      [0.4, 'vector'],
      [1, 'label'],
      [0.4, 'absent'],
      [0.4, 'date'],
      [0.8, 'histogram'],
      [0.3, 'experimental'],
    ]);
    switch (kind) {
      case 'aggregate':
        return this.aggregate(d);
      case 'binary-vv':
        return this.binaryVectorVector(d);
      case 'binary-vs':
        return this.binaryVectorScalar(d);
      case 'set': {
        const op = this.kw(r.pick(SET_OPS));
        const mod = r.chance(0.5) ? this.matchingClause(false) : '';
        return `${this.operand(d, 'vector')} ${op}${mod} ${this.operand(d, 'vector')}`;
      }
      case 'function':
        return this.vectorFunction(d);
      case 'unary':
        return `-${this.operand(d, 'vector')}`;
      case 'paren':
        return `(${this.vector(d)})`;
      case 'vector':
        return `vector(${this.scalar(d)})`;
      case 'label':
        return r.chance(0.6) ? this.labelReplace(d) : this.labelJoin(d);
      case 'absent':
        return `absent(${r.weighted<() => string>([
          [4, () => this.selector()],
          [1.5, () => this.repeatedLabelSelector()],
          [3, () => this.vector(d)],
        ])()})`;
      case 'histogram':
        return this.histogramFunction(d);
      case 'experimental':
        return this.experimental(d);
      case 'date': {
        const fn = r.pick(DATE_FUNCTIONS);
        return r.chance(0.3) ? `${fn}()` : `${fn}(${this.vector(d)})`;
      }
      default:
        return this.selector();
    }
  }

  /** An operand of a binary operator: parenthesised unless it is a leaf, so the tree is what we meant. */
  private operand(depth: number, type: 'vector' | 'scalar'): string {
    const e = type === 'vector' ? this.vector(depth) : this.scalar(depth);
    if (/^[A-Za-z_:][A-Za-z0-9_:]*(\{[^{}]*\})?$/.test(e) || /^[0-9.]+$/.test(e)) return e;
    // Leaving some binary operands unparenthesised exercises precedence and associativity.
    if (this.rng.chance(0.25)) return e;
    return `(${e})`;
  }

  selector(): string {
    const r = this.rng;
    const matchers: string[] = [];
    const useName = r.chance(0.85);
    const name = r.pick(METRIC_NAMES);
    if (!useName) {
      // A regex on the name instead (or, rarely, no name at all: must still have a non-empty matcher).
      const re = r.pick(['m|n', 'flux_.*', '.+', 'u.', '(?i)M', 'n?', '.*', 'h_.*']);
      if (r.chance(0.8)) matchers.push(`__name__${r.pick(['=~', '=~', '!~'])}${dq(re)}`);
    }
    for (let i = r.int(useName ? 0 : 1, 2); i > 0; i--) matchers.push(this.matcher());
    // 3.x also takes the name as a quoted string inside the braces: {"m", job="a"}.
    if (useName && r.chance(0.05)) return `{${[dq(name), ...matchers].join(', ')}}`;
    const body = matchers.length > 0 || r.chance(0.1) ? `{${matchers.join(r.pick([',', ', ']))}}` : '';
    return useName ? `${name}${body}` : body || `{${this.matcher()}}`;
  }

  /** A label name as written in a matcher or grouping: now and then in 3.x's quoted form. */
  private labelName(name: string): string {
    return this.rng.chance(0.05) ? dq(name) : name;
  }

  private matcher(label?: string): string {
    const r = this.rng;
    const name = label ?? r.pick(GROUPING_LABELS.filter((l) => l !== '__name__'));
    const op = r.pick(['=', '!=', '=~', '!~']);
    const value = op.includes('~') ? this.regex() : r.pick(MATCH_VALUES);
    return `${this.labelName(name)}${op}${stringLiteral(r, value)}`;
  }

  /** Two or three matchers on one label: what absent() may take labels from is then in question. */
  private repeatedLabelSelector(): string {
    const r = this.rng;
    const label = r.pick(LABEL_NAMES);
    const matchers = Array.from({ length: r.int(2, 3) }, () => this.matcher(label));
    return `${r.pick([...METRIC_NAMES, 'nope'])}{${matchers.join(', ')}}`;
  }

  regex(): string {
    const r = this.rng;
    const atom = (): string =>
      r.weighted<() => string>([
        [4, () => r.pick(MATCH_VALUES)],
        [2, () => r.pick(['.*', '.+', '.', '[a-m]', '[^a]', '\\w+', '\\d', 'a?', 'p{1,2}', '[[:alpha:]]+'])],
        // What Go's RE2 and JavaScript read differently: \s (no \v in Go), case folding, classes.
        [
          1,
          () =>
            r.pick([
              '\\s',
              '\\S+',
              'x\\sy',
              '(?i)k',
              '(?i)S',
              '\\pL+',
              '[[:space:]]',
              '\\bb',
              '(?s:.)',
              '\\x{212a}',
              '[^\\s]+',
            ]),
        ],
        [1, () => `(${r.pick(MATCH_VALUES)}|${r.pick(MATCH_VALUES)})`],
        [0.15, () => r.pick(['(', '[a', '*a', 'a{2,1}'])],
      ])();
    let re = atom();
    for (let i = r.int(0, 2); i > 0; i--) re += r.chance(0.3) ? `|${atom()}` : atom();
    if (r.chance(0.1)) re = `(?i)${re}`;
    return re;
  }

  private labelList(): string {
    const labels = this.rng.subset(GROUPING_LABELS, 0, 3).map((l) => this.labelName(l));
    return `(${labels.join(this.rng.pick([',', ', ']))}${labels.length > 0 && this.rng.chance(0.05) ? ',' : ''})`;
  }

  private matchingClause(allowGroup: boolean): string {
    const r = this.rng;
    let clause = ` ${this.kw(r.pick(['on', 'ignoring']))}${this.sp()}${this.labelList()}`;
    if (allowGroup && r.chance(0.35)) {
      clause += ` ${this.kw(r.pick(['group_left', 'group_right']))}`;
      if (r.chance(0.7)) clause += this.labelList();
    }
    return clause;
  }

  private binaryVectorVector(d: number): string {
    const r = this.rng;
    const comparison = r.chance(0.4);
    const op = comparison ? r.pick(COMPARISON) : r.pick(ARITHMETIC);
    const bool = comparison && r.chance(0.4) ? ` ${this.kw('bool')}` : '';
    const mod = r.chance(0.6) ? this.matchingClause(true) : '';
    return `${this.operand(d, 'vector')} ${op}${bool}${mod} ${this.operand(d, 'vector')}`;
  }

  private binaryVectorScalar(d: number): string {
    const r = this.rng;
    const comparison = r.chance(0.45);
    const op = comparison ? r.pick(COMPARISON) : r.pick(ARITHMETIC);
    const bool = comparison && r.chance(0.35) ? ` ${this.kw('bool')}` : '';
    const v = this.operand(d, 'vector');
    const s = this.operand(d, 'scalar');
    const after = bool ? ' ' : this.sp();
    return r.chance(0.6)
      ? `${v}${this.sp()}${op}${bool}${after}${s}`
      : `${s}${this.sp()}${op}${bool}${after}${v}`;
  }

  private aggregate(d: number): string {
    const r = this.rng;
    const op = r.weighted<string>([
      [8, r.pick(SIMPLE_AGGREGATIONS)],
      [1.5, r.pick(['topk', 'bottomk'])],
      [1, 'quantile'],
      [1, 'count_values'],
    ]);
    let param = '';
    if (op === 'topk' || op === 'bottomk') {
      param = r.chance(0.8) ? String(r.pick([1, 2, 3, 0, -1, 1.5, 5])) : this.scalar(Math.min(d, 1));
    } else if (op === 'quantile') {
      param = r.chance(0.8) ? String(r.pick([0, 0.25, 0.5, 0.9, 1, -0.5, 1.5])) : this.scalar(Math.min(d, 1));
    } else if (op === 'count_values') {
      param = stringLiteral(r, r.pick(['value', 'job', 'v', '__name__', 'env', 'le', 'a.b', '']));
    }
    const inner = this.vector(d);
    const body = `(${param ? `${param},${this.sp()}` : ''}${inner})`;
    const modifier = r.weighted<string>([
      [2, ''],
      [3, `${this.kw('by')}${this.sp()}${this.labelList()}`],
      [2, `${this.kw('without')}${this.sp()}${this.labelList()}`],
    ]);
    const name = this.kw(op);
    if (!modifier) return `${name}${body}`;
    return r.chance(0.5) ? `${name} ${modifier} ${body}` : `${name}${body} ${modifier}`;
  }

  private vectorFunction(d: number): string {
    const r = this.rng;
    const which = r.weighted<string>([
      [6, 'simple'],
      [1.5, 'clamp'],
      [1, 'round'],
    ]);
    const v = this.vector(d);
    if (which === 'simple') return `${r.pick(VECTOR_FUNCTIONS)}(${v})`;
    if (which === 'round') return r.chance(0.5) ? `round(${v})` : `round(${v}, ${this.scalarParam(d)})`;
    const fn = r.pick(['clamp', 'clamp_min', 'clamp_max']);
    if (fn === 'clamp') return `clamp(${v}, ${this.scalarParam(d)}, ${this.scalarParam(d)})`;
    return `${fn}(${v}, ${this.scalarParam(d)})`;
  }

  private scalarParam(d: number): string {
    return this.rng.chance(0.8) ? this.number() : this.scalar(Math.min(d, 1));
  }

  private labelReplace(d: number): string {
    const r = this.rng;
    const dst = r.pick(NEW_LABEL_NAMES);
    const repl = r.pick(['$1', '${1}', '${1}-x', '$1x', 'fixed', '', '$0', '$$', '${2}', '$name']);
    // An empty source label reads as the empty string on every series.
    const src = r.pick([...LABEL_NAMES, '__name__', 'zone', '']);
    const regex = r.chance(0.7)
      ? r.pick(['(.*)', '(a.*)', '(.+)s', '(?P<name>.*)', '([a-z])(.*)', '.*', ''])
      : this.regex();
    return `label_replace(${this.vector(d)}, ${dq(dst)}, ${dq(repl)}, ${dq(src)}, ${stringLiteral(r, regex)})`;
  }

  private labelJoin(d: number): string {
    const r = this.rng;
    const dst = r.pick(NEW_LABEL_NAMES);
    const sep = r.pick(['-', ',', '', '/']);
    const srcs = r.subset([...LABEL_NAMES, '__name__', 'zone'], 0, 3);
    return `label_join(${this.vector(d)}, ${dq(dst)}, ${dq(sep)}${srcs.map((s) => `, ${dq(s)}`).join('')})`;
  }

  /** histogram_quantile or histogram_fraction over classic buckets, or over whatever comes. */
  private histogramFunction(d: number): string {
    const r = this.rng;
    const buckets = r.weighted<() => string>([
      [3, () => `${BUCKET_METRIC}${r.chance(0.3) ? `{${this.matcher('job')}}` : ''}`],
      [2, () => `${this.kw('sum')} by (le${r.chance(0.5) ? ', job' : ''}) (${BUCKET_METRIC})`],
      [1, () => `{__name__=~${dq(r.pick(['h_.*', '.+', 'h_bucket|m']))}}`],
      [1, () => `${this.kw(r.pick(['max', 'min']))} without (job) (${BUCKET_METRIC})`],
      [2, () => this.vector(d)],
    ])();
    const bound = (): string => r.pick(['-Inf', '0', '0.1', '0.3', '1', '2.5', '3', '+Inf', 'NaN', '-1']);
    if (r.chance(0.7)) {
      const q = r.chance(0.85)
        ? r.pick(['0', '0.25', '0.5', '0.9', '0.99', '1', '-0.5', '1.5', 'NaN'])
        : this.scalar(Math.min(d, 1));
      return `histogram_quantile(${q}, ${buckets})`;
    }
    return `histogram_fraction(${bound()}, ${bound()}, ${buckets})`;
  }

  /** Experimental functions and aggregations: without the feature flag both sides must refuse them. */
  private experimental(d: number): string {
    const r = this.rng;
    const v = this.vector(d);
    return r.pick([
      () => `limitk(${r.pick(['1', '2'])}, ${v})`,
      () => `limit_ratio(${r.pick(['0.5', '-0.5', '1'])}, ${v})`,
      () => `sort_by_label(${v}, "job")`,
      () => `sort_by_label_desc(${v}, "env", "job")`,
      () => `info(${v})`,
      () => `vector(max_of(1, 2)) + ${v}`,
    ])();
  }

  // --- scalars

  number(): string {
    const r = this.rng;
    return r.weighted<() => string>([
      [10, () => String(r.int(0, 5))],
      [4, () => r.pick(['0.5', '2.5', '.5', '1e3', '1e-3', '10', '100', '0.1', '3.0'])],
      [1, () => r.pick(['0x1f', '0x10', '010', '1E2'])],
      [1, () => r.pick(['Inf', 'NaN', '+Inf', 'inf', 'nan'])],
      [1, () => `-${r.pick(['1', '2', '0.5', 'Inf'])}`],
      // 3.x: digit separators, and durations that stand for their seconds.
      [1, () => r.pick(['1_000', '0x1_f', '0X1F', '1_0.5', '1e1_0', '1m', '1m30s', '90s', '1ms', '2d'])],
    ])();
  }

  scalar(depth: number): string {
    const r = this.rng;
    if (depth <= 0) return this.number();
    const d = depth - 1;
    const kind = r.weighted<string>([
      [5, 'number'],
      [2, 'arith'],
      [0.7, 'compare'],
      [0.5, 'unary'],
      [0.3, 'paren'],
      [1.2, 'scalar'],
      [0.4, 'time'],
      [0.2, 'pi'],
    ]);
    switch (kind) {
      case 'arith':
        return `${this.operand(d, 'scalar')} ${r.pick(ARITHMETIC)} ${this.operand(d, 'scalar')}`;
      case 'compare':
        return `${this.operand(d, 'scalar')} ${r.pick(COMPARISON)} ${this.kw('bool')} ${this.operand(d, 'scalar')}`;
      case 'unary':
        return `-${this.operand(d, 'scalar')}`;
      case 'paren':
        return `(${this.scalar(d)})`;
      case 'scalar':
        return `scalar(${this.vector(d)})`;
      case 'time':
        return 'time()';
      case 'pi':
        return 'pi()';
      default:
        return this.number();
    }
  }
}

/** `count` cases over one dataset, distinct by (expression, time). */
export function generateCases(rng: Rng, count: number, maxDepth = 4): Case[] {
  const gen = new ExpressionGenerator(rng, maxDepth);
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (let attempts = 0; cases.length < count && attempts < count * 20; attempts++) {
    const c: Case = { expr: gen.expression(), timeMs: rng.pick(EVAL_TIMES_MS) };
    const key = `${c.timeMs} ${c.expr}`;
    if (seen.has(key)) continue;
    seen.add(key);
    cases.push(c);
  }
  return cases;
}
