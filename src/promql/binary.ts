import type { BinaryExpr, BinaryOp, VectorMatching } from './ast.js';
import { COMPARISON_OPS } from './ast.js';
import * as goMath from '../go/math.js';
import { type LabelIndex, ReducedIndex, ValuesIndex } from './label-index.js';
import { type Labels, METADATA_LABELS } from './labels.js';
import type { EvalContext, Sample } from './values.js';
import { assertUniqueLabelSets, evalError } from './values.js';

export function arithmetic(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return goMath.mod(a, b);
    case '^':
      return goMath.pow(a, b);
    case 'atan2':
      return goMath.atan2(a, b);
    default:
      return NaN;
  }
}

export function compare(op: BinaryOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}

/** Scalar ⊕ scalar (comparisons here always carry `bool`, the checker enforces it). */
export function scalarBinop(op: BinaryOp, a: number, b: number): number {
  if (COMPARISON_OPS.has(op)) return compare(op, a, b) ? 1 : 0;
  return arithmetic(op, a, b);
}

/** Vector ⊕ scalar, or scalar ⊕ vector when `swap`. */
export function vectorScalarBinop(
  ctx: EvalContext,
  e: BinaryExpr,
  vec: readonly Sample[],
  scalar: number,
  scalarSince: number,
  swap: boolean,
): Sample[] {
  const out: Sample[] = [];
  const cmp = COMPARISON_OPS.has(e.op);
  const dropName = !cmp || e.returnBool;
  // An instant vector's label sets are unique; only dropping a name can make two of them equal.
  let renamed = false;
  for (const s of vec) {
    const l = swap ? scalar : s.value;
    const r = swap ? s.value : scalar;
    let value: number;
    let keep = true;
    if (cmp) {
      keep = compare(e.op, l, r);
      value = s.value;
    } else value = arithmetic(e.op, l, r);
    if (e.returnBool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    const labels = dropName ? s.labels.withoutName() : s.labels;
    if (labels !== s.labels) renamed = true;
    out.push({ labels, value, since: Math.max(s.since, scalarSince) });
  }
  if (renamed) assertUniqueLabelSets(ctx, e.span, out);
  return out;
}

/** A map keyed by a sample's join signature under the matching clause (on: those labels' values). */
function signatureIndex<T>(
  m: VectorMatching,
  onNames: readonly string[],
  ignoring: ReadonlySet<string>,
): LabelIndex<T> {
  return m.on ? new ValuesIndex<T>(onNames) : new ReducedIndex<T>((l) => l.without(ignoring));
}

/** What Prometheus prints as the match group in duplicate-series errors. */
function matchGroup(labels: Labels, m: VectorMatching, ignoring: ReadonlySet<string>): Labels {
  return m.on ? labels.only(new Set(m.labels)) : labels.without(ignoring);
}

export function setBinop(e: BinaryExpr, lhs: readonly Sample[], rhs: readonly Sample[]): Sample[] {
  const m = e.matching as VectorMatching;
  const onNames = [...m.labels].sort();
  const ignoring = new Set([...m.labels, ...METADATA_LABELS]);
  const index = <T>(): LabelIndex<T> => signatureIndex<T>(m, onNames, ignoring);
  switch (e.op) {
    case 'and': {
      if (lhs.length === 0 || rhs.length === 0) return [];
      const right = index<number>();
      for (const s of rhs) right.set(s.labels, Math.max(right.get(s.labels) ?? -Infinity, s.since));
      const out: Sample[] = [];
      for (const s of lhs) {
        const rs = right.get(s.labels);
        if (rs !== undefined) out.push({ ...s, since: Math.max(s.since, rs) });
      }
      return out;
    }
    case 'or': {
      if (lhs.length === 0) return rhs.slice();
      if (rhs.length === 0) return lhs.slice();
      const left = index<true>();
      const out: Sample[] = [];
      for (const s of lhs) {
        left.set(s.labels, true);
        out.push(s);
      }
      for (const s of rhs) if (left.get(s.labels) === undefined) out.push(s);
      return out;
    }
    default: {
      // unless: the result depends on the absence of the right side, which has no start time we know.
      if (lhs.length === 0 || rhs.length === 0) return lhs.slice();
      const right = index<true>();
      for (const s of rhs) right.set(s.labels, true);
      return lhs.filter((s) => right.get(s.labels) === undefined);
    }
  }
}

/** Vector ⊕ vector for arithmetic and comparison operators, with one-to-one or group_left/right matching. */
export function vectorBinop(
  ctx: EvalContext,
  e: BinaryExpr,
  lhsIn: readonly Sample[],
  rhsIn: readonly Sample[],
): Sample[] {
  const m = e.matching as VectorMatching;
  if (lhsIn.length === 0 || rhsIn.length === 0) return [];
  const oneToMany = m.card === 'one-to-many';
  const lhs = oneToMany ? rhsIn : lhsIn;
  const rhs = oneToMany ? lhsIn : rhsIn;
  const onNames = [...m.labels].sort();
  const ignoring = new Set([...m.labels, ...METADATA_LABELS]);
  const cmp = COMPARISON_OPS.has(e.op);
  const dropName = !cmp || e.returnBool;

  interface RightEntry {
    sample: Sample;
    /** one-to-one: whether an LHS element matched already. */
    matched: boolean;
    /** group_left/right: the result label sets produced from this match group. */
    results?: Set<string>;
  }
  const right = signatureIndex<RightEntry>(m, onNames, ignoring);
  for (const rs of rhs) {
    const dup = right.get(rs.labels);
    if (dup) {
      let d1 = rs.labels.toString();
      let d2 = dup.sample.labels.toString();
      if (d1 > d2) [d1, d2] = [d2, d1];
      throw evalError(
        ctx,
        e.span,
        `found duplicate series for the match group ${matchGroup(rs.labels, m, ignoring).toString()} on the ${oneToMany ? 'left' : 'right'} hand-side of the operation: [${d1}, ${d2}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    right.set(rs.labels, { sample: rs, matched: false });
  }

  const keepSet = m.card === 'one-to-one' && m.on ? new Set(m.labels) : undefined;
  const delSet = m.card === 'one-to-one' && !m.on ? new Set(m.labels) : undefined;
  const out: Sample[] = [];
  for (const ls of lhs) {
    const entry = right.get(ls.labels);
    if (!entry) continue;
    const rs = entry.sample;
    const fl = oneToMany ? rs.value : ls.value;
    const fr = oneToMany ? ls.value : rs.value;
    let value: number;
    let keep = true;
    if (cmp) {
      keep = compare(e.op, fl, fr);
      value = fl;
    } else value = arithmetic(e.op, fl, fr);
    if (e.returnBool) value = keep ? 1 : 0;

    let labels = ls.labels;
    if (dropName) labels = labels.without(METADATA_LABELS);
    if (keepSet) labels = labels.only(keepSet);
    else if (delSet && delSet.size > 0) labels = labels.without(delSet);
    for (const inc of m.include) labels = labels.with(inc, rs.labels.get(inc));

    if (m.card === 'one-to-one') {
      if (entry.matched) {
        throw evalError(
          ctx,
          e.span,
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      }
      entry.matched = true;
    } else {
      const inserted = (entry.results ??= new Set());
      const rk = labels.key();
      if (inserted.has(rk))
        throw evalError(
          ctx,
          e.span,
          'multiple matches for labels: grouping labels must ensure unique matches',
        );
      inserted.add(rk);
    }
    if (!keep && !e.returnBool) continue;
    out.push({ labels, value, since: Math.max(ls.since, rs.since) });
  }
  // One-to-one results are their match group's labels (plus the name when kept), and each group matched
  // once, so they are unique already; many-to-one results still need the check.
  if (m.card !== 'one-to-one') assertUniqueLabelSets(ctx, e.span, out);
  return out;
}
