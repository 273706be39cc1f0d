import type { BinaryExpr, BinaryOp, VectorMatching } from './ast.js';
import { COMPARISON_OPS } from './ast.js';
import * as goMath from './go-math.js';
import { type Labels, NAME_SET } from './labels.js';
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
    out.push({
      labels: dropName ? s.labels.withoutName() : s.labels,
      value,
      since: Math.max(s.since, scalarSince),
    });
  }
  if (dropName) assertUniqueLabelSets(ctx, e.span, out);
  return out;
}

/** The join signature of a sample's labels under the matching clause. */
function signatureOf(
  labels: Labels,
  m: VectorMatching,
  onNames: readonly string[],
  ignoring: ReadonlySet<string>,
): string {
  if (m.on) {
    let k = '';
    for (const n of onNames) k += labels.get(n) + '\xff';
    return k;
  }
  return labels.without(ignoring).key();
}

/** What Prometheus prints as the match group in duplicate-series errors. */
function matchGroup(labels: Labels, m: VectorMatching, ignoring: ReadonlySet<string>): Labels {
  return m.on ? labels.only(new Set(m.labels)) : labels.without(ignoring);
}

export function setBinop(e: BinaryExpr, lhs: readonly Sample[], rhs: readonly Sample[]): Sample[] {
  const m = e.matching as VectorMatching;
  const onNames = [...m.labels].sort();
  const ignoring = new Set([...m.labels, '__name__']);
  const sig = (s: Sample): string => signatureOf(s.labels, m, onNames, ignoring);
  switch (e.op) {
    case 'and': {
      if (lhs.length === 0 || rhs.length === 0) return [];
      const right = new Map<string, number>();
      for (const s of rhs) {
        const k = sig(s);
        right.set(k, Math.max(right.get(k) ?? -Infinity, s.since));
      }
      const out: Sample[] = [];
      for (const s of lhs) {
        const rs = right.get(sig(s));
        if (rs !== undefined) out.push({ ...s, since: Math.max(s.since, rs) });
      }
      return out;
    }
    case 'or': {
      if (lhs.length === 0) return rhs.slice();
      if (rhs.length === 0) return lhs.slice();
      const left = new Set<string>();
      const out: Sample[] = [];
      for (const s of lhs) {
        left.add(sig(s));
        out.push(s);
      }
      for (const s of rhs) if (!left.has(sig(s))) out.push(s);
      return out;
    }
    default: {
      // unless: the result depends on the absence of the right side, which has no start time we know.
      if (lhs.length === 0 || rhs.length === 0) return lhs.slice();
      const right = new Set<string>();
      for (const s of rhs) right.add(sig(s));
      return lhs.filter((s) => !right.has(sig(s)));
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
  const ignoring = new Set([...m.labels, '__name__']);
  const cmp = COMPARISON_OPS.has(e.op);
  const dropName = !cmp || e.returnBool;

  const right = new Map<string, Sample>();
  for (const rs of rhs) {
    const k = signatureOf(rs.labels, m, onNames, ignoring);
    const dup = right.get(k);
    if (dup) {
      let d1 = rs.labels.toString();
      let d2 = dup.labels.toString();
      if (d1 > d2) [d1, d2] = [d2, d1];
      throw evalError(
        ctx,
        e.span,
        `found duplicate series for the match group ${matchGroup(rs.labels, m, ignoring).toString()} on the ${oneToMany ? 'left' : 'right'} hand-side of the operation: [${d1}, ${d2}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    right.set(k, rs);
  }

  const matchedOneToOne = new Set<string>();
  const matchedMany = new Map<string, Set<string>>();
  const keepSet = m.card === 'one-to-one' && m.on ? new Set(m.labels) : undefined;
  const delSet = m.card === 'one-to-one' && !m.on ? new Set(m.labels) : undefined;
  const out: Sample[] = [];
  for (const ls of lhs) {
    const k = signatureOf(ls.labels, m, onNames, ignoring);
    const rs = right.get(k);
    if (!rs) continue;
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
    if (dropName) labels = labels.without(NAME_SET);
    if (keepSet) labels = labels.only(keepSet);
    else if (delSet && delSet.size > 0) labels = labels.without(delSet);
    for (const inc of m.include) labels = labels.with(inc, rs.labels.get(inc));

    if (m.card === 'one-to-one') {
      if (matchedOneToOne.has(k)) {
        throw evalError(
          ctx,
          e.span,
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      }
      matchedOneToOne.add(k);
    } else {
      let inserted = matchedMany.get(k);
      if (!inserted) matchedMany.set(k, (inserted = new Set()));
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
  assertUniqueLabelSets(ctx, e.span, out);
  return out;
}
