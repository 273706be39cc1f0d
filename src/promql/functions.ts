import type { Call, Expr } from './ast.js';
import * as goMath from '../go/math.js';
import { goInt64, goUnixCivil, type CivilTime } from '../go/time.js';
import { Labels, compareLabels, isValidLabelName } from './labels.js';
import { RegexSyntaxError, compileAnchored, expandReplacement } from '../go/regexp.js';
import type { EvalContext, Sample, Value } from './values.js';
import { assertUniqueLabelSets, evalError } from './values.js';

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
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
};

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
  if (name.startsWith('histogram_') && name !== 'histogram_quantile') {
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
      value: name === 'min_of' ? Math.min(a.value, b.value) : Math.max(a.value, b.value),
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
      return dropNameMap(ctx, e, vec, (v) => Math.max(min, Math.min(max, v)), since);
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
      const arg = e.args[0] as Expr;
      const vec = vectorArg(evaluate(arg));
      if (vec.length > 0) return { type: 'vector', samples: [] };
      const rec: Record<string, string> = {};
      if (arg.kind === 'selector') {
        const seen = new Set<string>();
        for (const m of arg.matchers) {
          if (m.op === '=' && !seen.has(m.name)) {
            rec[m.name] = m.value;
            seen.add(m.name);
          } else delete rec[m.name];
        }
        delete rec['__name__'];
      }
      return { type: 'vector', samples: [{ labels: Labels.fromRecord(rec), value: 1, since: ctx.timeMs }] };
    }
    case 'sort':
    case 'sort_desc':
      return {
        type: 'vector',
        samples: sortByValue(vectorArg(evaluate(e.args[0] as Expr)), name === 'sort_desc'),
      };
    case 'sort_by_label':
    case 'sort_by_label_desc': {
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
  let re: RegExp;
  try {
    re = compileAnchored(pattern);
  } catch (err) {
    if (err instanceof RegexSyntaxError)
      throw evalError(ctx, e.span, `invalid regular expression in label_replace(): ${pattern}`);
    throw err;
  }
  if (!isValidLabelName(dst))
    throw evalError(ctx, e.span, `invalid destination label name in label_replace(): ${dst}`);
  if (!isValidLabelName(src))
    throw evalError(ctx, e.span, `invalid source label name in label_replace(): ${src}`);
  const vec = vectorArg(evaluate(vArg));
  const out = vec.map((s) => {
    const m = re.exec(s.labels.get(src));
    if (!m) return s;
    return { ...s, labels: s.labels.with(dst, expandReplacement(repl, m)) };
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

/**
 * histogram_quantile over classic `_bucket` series (cumulative counts with an `le` label), following
 * Prometheus's bucketQuantile: buckets grouped by all labels but `le`, linear interpolation inside the
 * bucket, the +Inf bucket required.
 */
function histogramQuantile(ctx: EvalContext, e: Call, evaluate: Evaluate): Value {
  const q = scalarArg(evaluate(e.args[0] as Expr));
  const vec = vectorArg(evaluate(e.args[1] as Expr));
  const groups = new Map<
    string,
    { labels: Labels; buckets: { le: number; count: number }[]; since: number }
  >();
  const drop = new Set(['le', '__name__']);
  for (const s of vec) {
    const leText = s.labels.get('le');
    const le = leText === '+Inf' || leText === 'Inf' || leText === '+inf' ? Infinity : Number(leText);
    if (leText === '' || Number.isNaN(le)) {
      ctx.warnings.push(
        `PromQL warning: bucket label "le" is missing or has a malformed value of ${JSON.stringify(leText)}`,
      );
      continue;
    }
    const labels = s.labels.without(drop);
    const k = labels.key();
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { labels, buckets: [], since: -Infinity }));
    g.buckets.push({ le, count: s.value });
    g.since = Math.max(g.since, s.since);
  }
  const out: Sample[] = [];
  for (const g of groups.values()) {
    out.push({
      labels: g.labels,
      value: bucketQuantile(q.value, g.buckets),
      since: Math.max(g.since, q.since),
    });
  }
  return { type: 'vector', samples: out };
}

export function bucketQuantile(q: number, input: { le: number; count: number }[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const buckets = input.slice().sort((a, b) => a.le - b.le);
  const last = buckets[buckets.length - 1];
  if (!last || last.le !== Infinity) return NaN;
  // Coalesce equal bounds and force monotonic counts, as Prometheus does.
  const merged: { le: number; count: number }[] = [];
  for (const b of buckets) {
    const prev = merged[merged.length - 1];
    if (prev && prev.le === b.le) prev.count += b.count;
    else merged.push({ ...b });
  }
  let max = -Infinity;
  for (const b of merged) {
    if (b.count < max) b.count = max;
    max = Math.max(max, b.count);
  }
  if (merged.length < 2) return NaN;
  const observations = (merged[merged.length - 1] as { count: number }).count;
  if (observations === 0) return NaN;
  const rank = q * observations;
  let b = merged.findIndex((x) => x.count >= rank);
  if (b < 0) b = merged.length - 1;
  if (b === merged.length - 1) return (merged[merged.length - 2] as { le: number }).le;
  if (b === 0 && (merged[0] as { le: number }).le <= 0) return (merged[0] as { le: number }).le;
  let bucketStart = 0;
  const bucketEnd = (merged[b] as { le: number }).le;
  let count = (merged[b] as { count: number }).count;
  let r = rank;
  if (b > 0) {
    bucketStart = (merged[b - 1] as { le: number }).le;
    count -= (merged[b - 1] as { count: number }).count;
    r -= (merged[b - 1] as { count: number }).count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (r / count);
}
