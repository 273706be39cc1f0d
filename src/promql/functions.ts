import type { Call, Expr, LabelMatcher } from './ast.js';
import { matchesEmpty } from './parser.js';
import * as goMath from '../go/math.js';
import { goInt64, goUnixCivil, type CivilTime } from '../go/time.js';
import { Labels, METADATA_LABELS, compareLabels, isValidLabelName } from './labels.js';
import { type GoRegexp, RegexSyntaxError, compileGoRegexp } from '../go/regexp.js';
import { goSprintf } from '../go/sprintf.js';
import { almostEqual, goMax, goMin, parseGoFloat } from './float.js';
import type { EvalContext, Sample, Value } from './values.js';
import { addAnnotation, annotationPosition, assertUniqueLabelSets, evalError } from './values.js';

/**
 * Functions on instant vectors and scalars. Each output sample keeps the `since` of the input sample it was
 * computed from, raised to the `since` of any scalar argument; results that exist only because of the
 * evaluation instant (time(), absent(), date functions without argument) start at the evaluation time.
 */

type Evaluate = (e: Expr) => Value;

/** Go's math as Prometheus calls it (go/math.ts: JavaScript's Math differs in the last bit). */
const MATH: Record<string, (v: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: goMath.exp,
  sqrt: Math.sqrt,
  ln: goMath.log,
  log2: goMath.log2,
  log10: goMath.log10,
  sin: goMath.sin,
  cos: goMath.cos,
  tan: goMath.tan,
  asin: goMath.asin,
  acos: goMath.acos,
  atan: goMath.atan,
  sinh: goMath.sinh,
  cosh: goMath.cosh,
  tanh: goMath.tanh,
  asinh: goMath.asinh,
  acosh: goMath.acosh,
  atanh: goMath.atanh,
  // Go folds `180 / math.Pi` and `math.Pi / 180` at compile time and multiplies once: v*(180/π) stays finite
  // where (v*180)/π would overflow first.
  deg: (v) => v * RAD_TO_DEG,
  rad: (v) => v * DEG_TO_RAD,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
};

/** π/180 and 180/π rounded once from the exact values, as Go's constant folding does. */
const DEG_TO_RAD = 0.017453292519943295;
const RAD_TO_DEG = 57.29577951308232;

/** Calendar fields of time.Unix(int64(v), 0).UTC(), with Go's conversions (go/time.ts). */
const DATE: Record<string, (c: CivilTime) => number> = {
  days_in_month: (c) => c.daysInMonth,
  day_of_month: (c) => c.day,
  day_of_week: (c) => c.weekday,
  day_of_year: (c) => c.yearDay,
  hour: (c) => c.hour,
  minute: (c) => c.minute,
  month: (c) => c.month,
  year: (c) => c.year,
};

const NEEDS_HISTORY = new Set(['info', 'start', 'end', 'range', 'step']);

function vectorArg(v: Value): Sample[] {
  return v.type === 'vector' ? v.samples : [];
}

function scalarArg(v: Value): { value: number; since: number } {
  return v.type === 'scalar' ? { value: v.value, since: v.since } : { value: NaN, since: -Infinity };
}

function stringArg(v: Value): string {
  return v.type === 'string' ? v.value : '';
}

function dropNameMap(
  ctx: EvalContext,
  e: Call,
  samples: readonly Sample[],
  f: (v: number) => number,
  since = -Infinity,
): Value {
  const out = samples.map((s) => ({
    labels: s.labels.withoutName(),
    value: f(s.value),
    since: Math.max(s.since, since),
  }));
  assertUniqueLabelSets(ctx, e.span, out);
  return { type: 'vector', samples: out };
}

/**
 * The order Prometheus's TSDB sorts a selector's matchers into when it selects series (PostingsForMatchers,
 * a stable partition): first the matchers that narrow the selection, then those that subtract from it. A
 * matcher subtracts when no matcher requires its label to be set, or when it is a negative matcher that
 * matches the empty value. So in absent(x{job!="a", job="b"}) the `!=` moves behind the `=`.
 */
export function tsdbMatcherOrder(matchers: readonly LabelMatcher[]): LabelMatcher[] {
  const mustBeSet = new Set(matchers.filter((m) => !matchesEmpty(m)).map((m) => m.name));
  const subtracting = (m: LabelMatcher): boolean =>
    !mustBeSet.has(m.name) || ((m.op === '!=' || m.op === '!~') && matchesEmpty(m));
  return [...matchers.filter((m) => !subtracting(m)), ...matchers.filter(subtracting)];
}

function unwrapParens(e: Expr): Expr {
  while (e.kind === 'paren') e = e.expr;
  return e;
}

/** Natural-order comparison (digit runs compared as numbers), as Prometheus's sort_by_label uses. */
export function naturalLess(a: string, b: string): boolean {
  const chunk = /(\d+|\D+)/g;
  const ca = a.match(chunk) ?? [];
  const cb = b.match(chunk) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i] as string;
    const y = cb[i] as string;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = BigInt(x);
      const ny = BigInt(y);
      if (nx !== ny) return nx < ny;
      return x.length < y.length;
    }
    return x < y;
  }
  return ca.length < cb.length;
}

function sortByValue(samples: readonly Sample[], desc: boolean): Sample[] {
  return samples.slice().sort((a, b) => {
    const an = Number.isNaN(a.value);
    const bn = Number.isNaN(b.value);
    if (an || bn) return an === bn ? 0 : an ? 1 : -1;
    return desc ? b.value - a.value : a.value - b.value;
  });
}

export function callFunction(ctx: EvalContext, e: Call, evaluate: Evaluate): Value {
  const name = e.func;
  if (NEEDS_HISTORY.has(name)) {
    throw evalError(
      ctx,
      e.span,
      `function ${JSON.stringify(name)} is not supported: flux-health evaluates one instant`,
    );
  }
  if (name.startsWith('histogram_') && name !== 'histogram_quantile' && name !== 'histogram_fraction') {
    throw evalError(
      ctx,
      e.span,
      `function ${JSON.stringify(name)} needs native histograms, which flux-health does not support`,
    );
  }
  if (name === 'time') return { type: 'scalar', value: ctx.timeMs / 1000, since: ctx.timeMs };
  if (name === 'pi') return { type: 'scalar', value: Math.PI, since: -Infinity };
  if (name === 'min_of' || name === 'max_of') {
    const a = scalarArg(evaluate(e.args[0] as Expr));
    const b = scalarArg(evaluate(e.args[1] as Expr));
    return {
      type: 'scalar',
      value: name === 'min_of' ? goMin(a.value, b.value) : goMax(a.value, b.value),
      since: Math.max(a.since, b.since),
    };
  }

  const mathFn = MATH[name];
  if (mathFn) return dropNameMap(ctx, e, vectorArg(evaluate(e.args[0] as Expr)), mathFn);

  const dateFn = DATE[name];
  if (dateFn) {
    if (e.args.length === 0) {
      return {
        type: 'vector',
        samples: [
          {
            labels: Labels.EMPTY,
            // Go's integer division of the millisecond timestamp truncates.
            value: dateFn(goUnixCivil(BigInt(Math.trunc(ctx.timeMs / 1000)))),
            since: ctx.timeMs,
          },
        ],
      };
    }
    return dropNameMap(ctx, e, vectorArg(evaluate(e.args[0] as Expr)), (v) =>
      dateFn(goUnixCivil(goInt64(v))),
    );
  }

  switch (name) {
    case 'round': {
      const vec = vectorArg(evaluate(e.args[0] as Expr));
      const to = e.args[1] ? scalarArg(evaluate(e.args[1])) : { value: 1, since: -Infinity };
      const inv = 1 / to.value;
      return dropNameMap(ctx, e, vec, (v) => Math.floor(v * inv + 0.5) / inv, to.since);
    }
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max': {
      const vec = vectorArg(evaluate(e.args[0] as Expr));
      const a = scalarArg(evaluate(e.args[1] as Expr));
      const b = e.args[2] ? scalarArg(evaluate(e.args[2])) : undefined;
      const min = name === 'clamp_max' ? -Infinity : a.value;
      const max =
        name === 'clamp' ? (b as { value: number }).value : name === 'clamp_max' ? a.value : Infinity;
      const since = Math.max(a.since, b?.since ?? -Infinity);
      if (max < min) return { type: 'vector', samples: [] };
      // Go's math.Max/Min, where an infinite bound beats NaN: clamp_min(NaN, +Inf) is +Inf.
      return dropNameMap(ctx, e, vec, (v) => goMax(min, goMin(max, v)), since);
    }
    case 'timestamp': {
      const arg = e.args[0] as Expr;
      const vec = vectorArg(evaluate(arg));
      const fromSelector = unwrapParens(arg).kind === 'selector';
      const out = vec.map((s) => ({
        labels: s.labels.withoutName(),
        value: (fromSelector && s.t !== undefined ? s.t : ctx.timeMs) / 1000,
        since: s.since,
      }));
      assertUniqueLabelSets(ctx, e.span, out);
      return { type: 'vector', samples: out };
    }
    case 'vector': {
      const s = scalarArg(evaluate(e.args[0] as Expr));
      return { type: 'vector', samples: [{ labels: Labels.EMPTY, value: s.value, since: s.since }] };
    }
    case 'scalar': {
      const vec = vectorArg(evaluate(e.args[0] as Expr));
      if (vec.length === 1) {
        const only = vec[0] as Sample;
        return { type: 'scalar', value: only.value, since: only.since };
      }
      const since = vec.length === 0 ? ctx.timeMs : Math.max(...vec.map((s) => s.since));
      return { type: 'scalar', value: NaN, since };
    }
    case 'absent': {
      // Prometheus unwraps parentheses around function arguments before evaluating: absent((x{a="b"}))
      // keeps a="b" as absent(x{a="b"}) does.
      const arg = unwrapParens(e.args[0] as Expr);
      const vec = vectorArg(evaluate(arg));
      if (vec.length > 0) return { type: 'vector', samples: [] };
      const rec: Record<string, string> = {};
      if (arg.kind === 'selector') {
        // The first `=` on a label sets it; any later matcher on that label (another `=`, `!=`, `=~`, `!~`)
        // removes it again; a matcher before the first `=` removes nothing. The name and the metadata
        // labels are never kept. "Later" is in the order the TSDB leaves the matchers in: selecting the
        // series sorts the selector's own matcher list in place, before absent() reads it.
        const seen = new Set<string>();
        for (const m of tsdbMatcherOrder(arg.matchers)) {
          if (METADATA_LABELS.has(m.name)) continue;
          if (m.op === '=' && !seen.has(m.name)) {
            if (m.value === '') delete rec[m.name];
            else rec[m.name] = m.value;
            seen.add(m.name);
          } else delete rec[m.name];
        }
      }
      return { type: 'vector', samples: [{ labels: Labels.fromRecord(rec), value: 1, since: ctx.timeMs }] };
    }
    case 'sort':
    case 'sort_desc':
      sortInRangeQuery(ctx, e);
      return {
        type: 'vector',
        samples: sortByValue(vectorArg(evaluate(e.args[0] as Expr)), name === 'sort_desc'),
      };
    case 'sort_by_label':
    case 'sort_by_label_desc': {
      sortInRangeQuery(ctx, e);
      const vec = vectorArg(evaluate(e.args[0] as Expr)).slice();
      const names = e.args.slice(1).map((a) => stringArg(evaluate(a)));
      const desc = name === 'sort_by_label_desc';
      vec.sort((a, b) => {
        for (const l of names) {
          const x = a.labels.get(l);
          const y = b.labels.get(l);
          if (x === y) continue;
          const lt = naturalLess(x, y);
          return (lt ? -1 : 1) * (desc ? -1 : 1);
        }
        return compareLabels(a.labels, b.labels) * (desc ? -1 : 1);
      });
      return { type: 'vector', samples: vec };
    }
    case 'label_replace':
      return labelReplace(ctx, e, evaluate);
    case 'label_join':
      return labelJoin(ctx, e, evaluate);
    case 'histogram_quantile':
      return histogramQuantile(ctx, e, evaluate);
    case 'histogram_fraction':
      return histogramFraction(ctx, e, evaluate);
    default:
      // Evaluating the arguments first reports the range selector or subquery they contain.
      e.args.forEach((a) => evaluate(a));
      throw evalError(
        ctx,
        e.span,
        `function ${JSON.stringify(name)} needs a range vector, which needs stored history; flux-health evaluates one instant`,
      );
  }
}

function labelReplace(ctx: EvalContext, e: Call, evaluate: Evaluate): Value {
  const [vArg, dstArg, replArg, srcArg, reArg] = e.args as [Expr, Expr, Expr, Expr, Expr];
  const dst = stringArg(evaluate(dstArg));
  const repl = stringArg(evaluate(replArg));
  const src = stringArg(evaluate(srcArg));
  const pattern = stringArg(evaluate(reArg));
  let re: GoRegexp;
  try {
    // Prometheus compiles the wrapped text as it stands (so `a)|(b` is accepted here, unlike in a matcher).
    re = compileGoRegexp('^(?s:' + pattern + ')$');
  } catch (err) {
    if (err instanceof RegexSyntaxError)
      throw evalError(ctx, e.span, `invalid regular expression in label_replace(): ${pattern}`);
    throw err;
  }
  // Only the destination is validated: an empty or unusual source label reads as "", which the regex may
  // match (label_replace(vector(1), "severity", "page", "", "") adds severity="page").
  if (!isValidLabelName(dst))
    throw evalError(ctx, e.span, `invalid destination label name in label_replace(): ${dst}`);
  const vec = vectorArg(evaluate(vArg));
  const out = vec.map((s) => {
    const m = re.exec(s.labels.get(src));
    if (!m) return s;
    return { ...s, labels: s.labels.with(dst, re.expand(repl, m)) };
  });
  assertUniqueLabelSets(ctx, e.span, out);
  return { type: 'vector', samples: out };
}

function labelJoin(ctx: EvalContext, e: Call, evaluate: Evaluate): Value {
  const dst = stringArg(evaluate(e.args[1] as Expr));
  const sep = stringArg(evaluate(e.args[2] as Expr));
  const srcs = e.args.slice(3).map((a) => stringArg(evaluate(a)));
  for (const s of srcs)
    if (!isValidLabelName(s)) throw evalError(ctx, e.span, `invalid source label name in label_join(): ${s}`);
  if (!isValidLabelName(dst))
    throw evalError(ctx, e.span, `invalid destination label name in label_join(): ${dst}`);
  const vec = vectorArg(evaluate(e.args[0] as Expr));
  const out = vec.map((s) => ({
    ...s,
    labels: s.labels.with(dst, srcs.map((l) => s.labels.get(l)).join(sep)),
  }));
  assertUniqueLabelSets(ctx, e.span, out);
  return { type: 'vector', samples: out };
}

function sortInRangeQuery(ctx: EvalContext, e: Call): void {
  // Every step of a range query is sorted by labels in the end, which makes the sort useless there.
  if (ctx.rangeQuery)
    addAnnotation(
      ctx.warnings,
      `PromQL warning: sort is ineffective for range queries since results are always ordered by labels ${annotationPosition(ctx, e.span)}`,
    );
}

export interface Bucket {
  le: number;
  count: number;
}

interface ClassicHistogram {
  /** The series' labels without `le` and without the name and metadata labels. */
  labels: Labels;
  buckets: Bucket[];
  since: number;
}

/**
 * Groups classic `_bucket` series into histograms, as Prometheus's resetHistograms: by every label but `le`
 * (so two metrics that differ only in name are two histograms, whose results then collide), warning about
 * series whose `le` does not parse as a float.
 */
function classicHistograms(ctx: EvalContext, vec: readonly Sample[], arg: Expr): ClassicHistogram[] {
  const groups = new Map<string, ClassicHistogram>();
  const le = new Set(['le']);
  for (const s of vec) {
    const leText = s.labels.get('le');
    const bound = parseGoFloat(leText);
    if (bound === undefined || Number.isNaN(bound)) {
      addAnnotation(
        ctx.warnings,
        `PromQL warning: bucket label "le" is missing or has a malformed value of ${JSON.stringify(leText)} ${annotationPosition(ctx, arg.span)}`,
      );
      continue;
    }
    const key = s.labels.without(le).key();
    let g = groups.get(key);
    if (!g)
      groups.set(key, (g = { labels: s.labels.without(HISTOGRAM_DROP), buckets: [], since: -Infinity }));
    g.buckets.push({ le: bound, count: s.value });
    g.since = Math.max(g.since, s.since);
  }
  return [...groups.values()];
}

const HISTOGRAM_DROP: ReadonlySet<string> = new Set(['le', ...METADATA_LABELS]);

function invalidQuantileWarning(ctx: EvalContext, q: number, arg: Expr): void {
  if (Number.isNaN(q) || q < 0 || q > 1)
    addAnnotation(
      ctx.warnings,
      `PromQL warning: quantile value should be between 0 and 1, got ${goSprintf('%g', [q])} ${annotationPosition(ctx, arg.span)}`,
    );
}

/**
 * histogram_quantile over classic `_bucket` series (cumulative counts with an `le` label), following
 * Prometheus's BucketQuantile: linear interpolation inside the bucket, the +Inf bucket required, an info
 * annotation when counts had to be made monotonic.
 */
function histogramQuantile(ctx: EvalContext, e: Call, evaluate: Evaluate): Value {
  const [qArg, vArg] = e.args as [Expr, Expr];
  const q = scalarArg(evaluate(qArg));
  const vec = vectorArg(evaluate(vArg));
  invalidQuantileWarning(ctx, q.value, qArg);
  const out: Sample[] = [];
  for (const h of classicHistograms(ctx, vec, vArg)) {
    const r = bucketQuantile(q.value, h.buckets);
    if (r.forced) {
      const m = ctx.forcedMonotonicity;
      if (!m)
        ctx.forcedMonotonicity = {
          position: annotationPosition(ctx, vArg.span),
          minBucket: r.minBucket,
          maxBucket: r.maxBucket,
          maxDiff: r.maxDiff,
          count: 1,
        };
      else {
        m.minBucket = Math.min(m.minBucket, r.minBucket);
        m.maxBucket = Math.max(m.maxBucket, r.maxBucket);
        m.maxDiff = Math.max(m.maxDiff, r.maxDiff);
        m.count++;
      }
    }
    out.push({ labels: h.labels, value: r.value, since: Math.max(h.since, q.since) });
  }
  assertUniqueLabelSets(ctx, e.span, out);
  return { type: 'vector', samples: out };
}

/** The forced-monotonicity info text, as Prometheus prints it for an evaluation at `timeMs`. */
export function forcedMonotonicityInfo(
  m: NonNullable<EvalContext['forcedMonotonicity']>,
  timeMs: number,
): string {
  const at = new Date(Math.trunc(timeMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return goSprintf(
    'PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile), from buckets %g to %g, with a max diff of %.2g, over %d samples from %s to %s %s',
    [m.minBucket, m.maxBucket, m.maxDiff, BigInt(m.count), at, at, m.position],
  );
}

/** histogram_fraction over classic `_bucket` series, following Prometheus's BucketFraction. */
function histogramFraction(ctx: EvalContext, e: Call, evaluate: Evaluate): Value {
  const [loArg, hiArg, vArg] = e.args as [Expr, Expr, Expr];
  const lo = scalarArg(evaluate(loArg));
  const hi = scalarArg(evaluate(hiArg));
  const vec = vectorArg(evaluate(vArg));
  const since = Math.max(lo.since, hi.since);
  const out = classicHistograms(ctx, vec, vArg).map((h) => ({
    labels: h.labels,
    value: bucketFraction(lo.value, hi.value, h.buckets),
    since: Math.max(h.since, since),
  }));
  assertUniqueLabelSets(ctx, e.span, out);
  return { type: 'vector', samples: out };
}

/** Sorted by upper bound, equal bounds merged (their counts added). */
function sortedBuckets(input: readonly Bucket[]): Bucket[] {
  const sorted = input.slice().sort((a, b) => a.le - b.le);
  const merged: Bucket[] = [];
  for (const b of sorted) {
    const prev = merged[merged.length - 1];
    if (prev && prev.le === b.le) prev.count += b.count;
    else merged.push({ ...b });
  }
  return merged;
}

/** Relative differences below this between neighbouring buckets are float noise, not a decrease. */
const SMALL_DELTA_TOLERANCE = 1e-12;

export interface BucketQuantileResult {
  value: number;
  /** Whether a bucket count had to be raised to its predecessor's (a decrease that was not float noise). */
  forced: boolean;
  minBucket: number;
  maxBucket: number;
  maxDiff: number;
}

export function bucketQuantile(q: number, input: readonly Bucket[]): BucketQuantileResult {
  const result: BucketQuantileResult = {
    value: NaN,
    forced: false,
    minBucket: Infinity,
    maxBucket: -Infinity,
    maxDiff: 0,
  };
  if (Number.isNaN(q)) return result;
  if (q < 0) return { ...result, value: -Infinity };
  if (q > 1) return { ...result, value: Infinity };
  if (input.length === 0) return result;
  const buckets = sortedBuckets(input);
  if ((buckets[buckets.length - 1] as Bucket).le !== Infinity) return result;
  // Make the counts monotonic: tiny relative differences are levelled silently; real decreases are
  // raised to the previous count and reported. `prev` stays at the last count that was kept.
  let prev = (buckets[0] as Bucket).count;
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    if (b.count === prev) continue;
    if (almostEqual(prev, b.count, SMALL_DELTA_TOLERANCE)) {
      b.count = prev;
      continue;
    }
    if (b.count < prev) {
      result.forced = true;
      result.minBucket = Math.min(result.minBucket, b.le);
      result.maxBucket = Math.max(result.maxBucket, b.le);
      result.maxDiff = Math.max(result.maxDiff, prev - b.count);
      b.count = prev;
      continue;
    }
    prev = b.count;
  }
  if (buckets.length < 2) return result;
  const observations = (buckets[buckets.length - 1] as Bucket).count;
  if (observations === 0) return result;
  let rank = q * observations;
  // The first bucket (the +Inf one excluded) whose count reaches the rank, found as Prometheus
  // finds it: Go's sort.Search, a binary search, which a NaN count steers differently than a scan.
  const b = goSearch(buckets.length - 1, (i) => (buckets[i] as Bucket).count >= rank);
  if (b === buckets.length - 1) return { ...result, value: (buckets[buckets.length - 2] as Bucket).le };
  const first = buckets[0] as Bucket;
  if (b === 0 && first.le <= 0) return { ...result, value: first.le };
  let bucketStart = 0;
  const bucketEnd = (buckets[b] as Bucket).le;
  let count = (buckets[b] as Bucket).count;
  if (b > 0) {
    const before = buckets[b - 1] as Bucket;
    bucketStart = before.le;
    count -= before.count;
    rank -= before.count;
  }
  return { ...result, value: bucketStart + (bucketEnd - bucketStart) * (rank / count) };
}

/**
 * The estimated fraction of observations between `lower` and `upper`, interpolating linearly inside the
 * buckets that contain them; the first bucket starts at 0 when its upper bound is positive, else at -Inf
 * (and a bucket with an infinite bound contributes nothing to the interpolation).
 */
export function bucketFraction(lower: number, upper: number, input: readonly Bucket[]): number {
  if (input.length === 0) return NaN;
  const buckets = sortedBuckets(input);
  if ((buckets[buckets.length - 1] as Bucket).le !== Infinity) return NaN;
  const count = (buckets[buckets.length - 1] as Bucket).count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let lowerBound = (buckets[0] as Bucket).le <= 0 ? -Infinity : 0;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    if (i > 0) lowerBound = (buckets[i - 1] as Bucket).le;
    const upperBound = b.le;
    const interpolate = (v: number): number =>
      lowerBound === -Infinity
        ? b.count
        : rank + ((b.count - rank) * (v - lowerBound)) / (upperBound - lowerBound);
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = b.count;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}

/** Go's sort.Search: the smallest index in [0, n) where `f` holds, by binary search. */
function goSearch(n: number, f: (i: number) => boolean): number {
  let i = 0;
  let j = n;
  while (i < j) {
    const h = (i + j) >>> 1;
    if (!f(h)) i = h + 1;
    else j = h;
  }
  return i;
}
