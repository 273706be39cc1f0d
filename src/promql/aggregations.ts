import type { AggregateExpr } from './ast.js';
import { formatGoFloat, formatGoFloatV } from '../go/numbers.js';
import { goQuote } from '../go/strings.js';
import { type LabelIndex, ReducedIndex, ValuesIndex } from './label-index.js';
import { isValidLabelName, METADATA_LABELS, type Labels } from './labels.js';
import type { EvalContext, Sample } from './values.js';
import { addAnnotation, annotationPosition, evalError } from './values.js';
import { goSprintf } from '../go/sprintf.js';
import { xxhash64 } from '../go/xxhash64.js';

/** Neumaier-compensated addition, as Prometheus's kahansum.Inc. */
function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** Shared by groups that never collect samples (only quantile does). */
const NO_ITEMS: Sample[] = [];

interface Group extends Sample {
  labels: Labels;
  since: number;
  value: number;
  mean: number;
  kahanC: number;
  count: number;
  incrementalMean: boolean;
  items: Sample[];
}

interface Grouping {
  /** A fresh map from a sample's labels to its group. */
  index<T>(): LabelIndex<T>;
  /** The labels a group's result carries. */
  labels(l: Labels): Labels;
}

function groupingFn(e: AggregateExpr): Grouping {
  if (e.without) {
    // Prometheus 3 drops the metadata labels (__type__, __unit__) along with the name.
    const drop = new Set([...e.grouping, ...METADATA_LABELS]);
    const labels = (l: Labels): Labels => l.without(drop);
    return { index: () => new ReducedIndex(labels), labels };
  }
  const names = [...new Set(e.grouping)].sort();
  const keep = new Set(names);
  return { index: () => new ValuesIndex(names), labels: (l) => l.only(keep) };
}

/** Go's sort.Sort for small inputs is an insertion sort; a stable sort reproduces its tie order. */
function nanFirstAscending(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b;
}

export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = values.slice().sort(nanFirstAscending);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  // On a sample exactly, take it as it is: weighting the neighbour by 0 would turn an infinite neighbour
  // into NaN (quantile(0.5, {1, 2, +Inf}) is 2).
  if (weight === 0) return sorted[lower] as number;
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

/** Go's heap operations over a slice, so topk/bottomk keep Prometheus's choice among equal values. */
class GoHeap {
  constructor(
    readonly items: Sample[],
    readonly less: (a: Sample, b: Sample) => boolean,
  ) {}
  push(s: Sample): void {
    this.items.push(s);
    this.up(this.items.length - 1);
  }
  fix(i: number): void {
    if (!this.down(i)) this.up(i);
  }
  private up(j: number): void {
    const h = this.items;
    for (;;) {
      const i = (j - 1) >> 1;
      if (j <= 0 || i === j || !this.less(h[j] as Sample, h[i] as Sample)) break;
      [h[i], h[j]] = [h[j] as Sample, h[i] as Sample];
      j = i;
    }
  }
  private down(i0: number): boolean {
    const h = this.items;
    const n = h.length;
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && this.less(h[j2] as Sample, h[j1] as Sample)) j = j2;
      if (!this.less(h[j] as Sample, h[i] as Sample)) break;
      [h[i], h[j]] = [h[j] as Sample, h[i] as Sample];
      i = j;
    }
    return i > i0;
  }
}

const byValueLess = (a: Sample, b: Sample): boolean => (Number.isNaN(a.value) ? true : a.value < b.value);
const byReverseValueLess = (a: Sample, b: Sample): boolean =>
  Number.isNaN(a.value) ? true : a.value > b.value;

/** Go's sort.Sort(sort.Reverse(h)) for the heap's Less, as a stable insertion-order sort. */
function sortReverse(items: Sample[], less: (a: Sample, b: Sample) => boolean): Sample[] {
  return items.slice().sort((a, b) => (less(b, a) ? -1 : less(a, b) ? 1 : 0));
}

function labelHashFraction(l: Labels): number {
  const bytes: number[] = [];
  for (let i = 0; i < l.size; i++) {
    bytes.push(
      ...Buffer.from(l.names[i] as string, 'utf8'),
      0xff,
      ...Buffer.from(l.values[i] as string, 'utf8'),
      0xff,
    );
  }
  // float64(math.MaxUint64) rounds to 2^64.
  return Number(xxhash64(Uint8Array.from(bytes))) / 2 ** 64;
}

/**
 * Evaluates an aggregation over `input`. `param` is k/φ/ratio for topk, bottomk, limitk, quantile and
 * limit_ratio, and the label name for count_values.
 */
export function aggregate(
  ctx: EvalContext,
  e: AggregateExpr,
  input: readonly Sample[],
  param: number | string | undefined,
  paramSince: number,
): Sample[] {
  const g = groupingFn(e);
  switch (e.op) {
    case 'topk':
    case 'bottomk':
    case 'limitk':
    case 'limit_ratio':
      return aggregateK(ctx, e, input, param as number, paramSince, g);
    case 'count_values':
      return countValues(ctx, e, input, param as string);
    default:
      break;
  }
  if (e.op === 'quantile') {
    const q = param as number;
    if (Number.isNaN(q) || q < 0 || q > 1) {
      addAnnotation(
        ctx.warnings,
        `PromQL warning: quantile value should be between 0 and 1, got ${goSprintf('%g', [q])} ${annotationPosition(ctx, (e.param ?? e).span)}`,
      );
    }
  }
  const groups = g.index<Group>();
  const order: Group[] = [];
  for (const s of input) {
    const f = s.value;
    let grp = groups.get(s.labels);
    if (!grp) {
      grp = {
        labels: g.labels(s.labels),
        since: s.since,
        value: f,
        mean: f,
        kahanC: 0,
        count: 1,
        incrementalMean: false,
        items: e.op === 'quantile' ? [s] : NO_ITEMS,
      };
      if (e.op === 'stddev' || e.op === 'stdvar') grp.value = Number.isFinite(f) ? 0 : NaN;
      else if (e.op === 'group') grp.value = 1;
      groups.set(s.labels, grp);
      order.push(grp);
      continue;
    }
    grp.since = Math.max(grp.since, s.since);
    switch (e.op) {
      case 'sum':
        [grp.value, grp.kahanC] = kahanInc(f, grp.value, grp.kahanC);
        break;
      case 'avg': {
        grp.count++;
        if (!grp.incrementalMean) {
          const [nv, nc] = kahanInc(f, grp.value, grp.kahanC);
          if (Number.isFinite(nv) || Number.isNaN(nv)) {
            grp.value = nv;
            grp.kahanC = nc;
            break;
          }
          grp.incrementalMean = true;
          grp.mean = grp.value / (grp.count - 1);
          grp.kahanC /= grp.count - 1;
        }
        const q = (grp.count - 1) / grp.count;
        [grp.mean, grp.kahanC] = kahanInc(f / grp.count, q * grp.mean, q * grp.kahanC);
        break;
      }
      case 'max':
        if (grp.value < f || Number.isNaN(grp.value)) grp.value = f;
        break;
      case 'min':
        if (grp.value > f || Number.isNaN(grp.value)) grp.value = f;
        break;
      case 'count':
        grp.count++;
        break;
      case 'stddev':
      case 'stdvar': {
        grp.count++;
        const delta = f - grp.mean;
        grp.mean += delta / grp.count;
        grp.value += delta * (f - grp.mean);
        break;
      }
      case 'quantile':
        grp.items.push(s);
        break;
      default:
        break;
    }
  }
  const out: Sample[] = [];
  for (const grp of order) {
    let v = grp.value;
    switch (e.op) {
      case 'sum':
        v = grp.value + grp.kahanC;
        break;
      case 'avg':
        v = grp.incrementalMean ? grp.mean + grp.kahanC : grp.value / grp.count + grp.kahanC / grp.count;
        break;
      case 'count':
        v = grp.count;
        break;
      case 'stdvar':
        v = grp.value / grp.count;
        break;
      case 'stddev':
        v = Math.sqrt(grp.value / grp.count);
        break;
      case 'quantile':
        v = quantile(
          param as number,
          grp.items.map((s) => s.value),
        );
        break;
      default:
        break;
    }
    // The group becomes the result sample (a Group is a Sample with working fields): one object per
    // group instead of two, for aggregations that keep tens of thousands of groups.
    grp.value = v;
    grp.since = Math.max(grp.since, paramSince);
    grp.items = NO_ITEMS;
    out.push(grp);
  }
  return out;
}

/** Prometheus's maxInt64: 9223372036854774784, the largest float64 below 2**63. */
const MAX_INT64_FLOAT = 2 ** 63 - 1024;

function aggregateK(
  ctx: EvalContext,
  e: AggregateExpr,
  input: readonly Sample[],
  fParam: number,
  paramSince: number,
  g: Grouping,
): Sample[] {
  let k = 0;
  let r = 0;
  const paramSpan = (e.param ?? e).span;
  if (e.op === 'limit_ratio') {
    if (fParam === 0) return [];
    if (Number.isNaN(fParam)) throw evalError(ctx, paramSpan, 'Ratio value is NaN');
    r = Math.max(-1, Math.min(1, fParam));
  } else {
    // Prometheus 3 (rangeEvalAgg): k < 1 is an empty result before any check, so -Inf never errors; then
    // NaN, then the int64 range (its maxInt64 is the largest double below 2**63). 2.42 rejected NaN and
    // -Inf with "overflows" instead (known-differences.ts).
    if (fParam < 1) return [];
    if (Number.isNaN(fParam)) throw evalError(ctx, paramSpan, 'Parameter value is NaN');
    if (fParam >= MAX_INT64_FLOAT)
      throw evalError(ctx, paramSpan, `Scalar value ${formatGoFloatV(fParam)} overflows int64`);
    k = Math.min(Math.trunc(fParam), input.length);
    if (!(k >= 1)) return [];
  }
  const keepRatio = (s: Sample): boolean => {
    const off = labelHashFraction(s.labels);
    return (r >= 0 && off < r) || (r < 0 && off >= 1 + r);
  };
  const heaps = g.index<GoHeap>();
  const order: GoHeap[] = [];
  for (const s0 of input) {
    const s: Sample = { labels: s0.labels, value: s0.value, since: Math.max(s0.since, paramSince) };
    let h = heaps.get(s.labels);
    if (!h) {
      h = new GoHeap([], e.op === 'bottomk' ? byReverseValueLess : byValueLess);
      heaps.set(s.labels, h);
      order.push(h);
      if (e.op !== 'limit_ratio' || keepRatio(s)) h.push(s);
      continue;
    }
    switch (e.op) {
      case 'topk': {
        const top = h.items[0];
        if (h.items.length < k) h.push(s);
        else if (top && (top.value < s.value || (Number.isNaN(top.value) && !Number.isNaN(s.value)))) {
          h.items[0] = s;
          if (k > 1) h.fix(0);
        }
        break;
      }
      case 'bottomk': {
        const top = h.items[0];
        if (h.items.length < k) h.push(s);
        else if (top && (top.value > s.value || (Number.isNaN(top.value) && !Number.isNaN(s.value)))) {
          h.items[0] = s;
          if (k > 1) h.fix(0);
        }
        break;
      }
      case 'limitk':
        if (h.items.length < k) h.push(s);
        break;
      default:
        if (keepRatio(s)) h.push(s);
    }
  }
  const out: Sample[] = [];
  for (const h of order) {
    if (e.op === 'topk' || e.op === 'bottomk') out.push(...sortReverse(h.items, h.less));
    else out.push(...h.items);
  }
  return out;
}

function countValues(
  ctx: EvalContext,
  e: AggregateExpr,
  input: readonly Sample[],
  valueLabel: string,
): Sample[] {
  if (!isValidLabelName(valueLabel))
    throw evalError(ctx, e.span, `invalid label name ${goQuote(valueLabel)}`);
  const grouping = e.without ? e.grouping : [...e.grouping, valueLabel];
  const g = groupingFn({ ...e, grouping });
  const groups = g.index<Sample>();
  const order: Sample[] = [];
  for (const s of input) {
    const labels = s.labels.with(valueLabel, formatGoFloat(s.value));
    const grp = groups.get(labels);
    if (grp) {
      grp.value++;
      grp.since = Math.max(grp.since, s.since);
    } else {
      const created = { labels: g.labels(labels), value: 1, since: s.since };
      groups.set(labels, created);
      order.push(created);
    }
  }
  return order;
}
