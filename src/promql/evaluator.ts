import type { AggregateExpr, BinaryExpr, Expr } from './ast.js';
import { SET_OPS } from './ast.js';
import { aggregate } from './aggregations.js';
import { scalarBinop, setBinop, vectorBinop, vectorScalarBinop } from './binary.js';
import { callFunction, forcedMonotonicityInfo } from './functions.js';
import { parseExpr, type ParseOptions } from './parser.js';
import type { SeriesStore } from './store.js';
import type { EvalContext, Sample, Value } from './values.js';
import { assertUniqueLabelSets, evalError } from './values.js';

/**
 * Instant evaluation of a checked expression: one switch over node kinds, as Prometheus's engine.
 *
 * Active-since propagation. Alert rules honour `for:` without keeping state between runs, so every value
 * carries `since`: the time (ms) from which the inputs it depends on have held their current values.
 * - A selected series contributes its explicit `since`, or else the timestamp of the sample selected.
 * - Literals contribute nothing (-Infinity), so `x > 5` starts when x's value began.
 * - Binary operators take the maximum over both matched sides (vector⊕scalar: the sample and the scalar).
 * - Aggregations take the maximum over each group (and their parameter); `and` raises each kept sample to
 *   the latest matched right-hand sample; `or`/`unless` keep the since of the samples they pass through.
 * - Functions keep their argument's since, raised by any scalar arguments.
 * - Results that depend on the evaluation instant itself (`time()`, `absent()`, `vector(time())`, date
 *   functions without argument, `scalar()` of an empty vector) start at the evaluation time, so an alert on
 *   them is only ever pending.
 * The alert layer then fires when `evalTime - since >= for`.
 */

export interface InstantSample {
  labels: Record<string, string>;
  value: number;
  /** When this result began to hold (ms); -Infinity when it depends on literals only. */
  since: number;
}

export type InstantValue =
  | { type: 'vector'; samples: InstantSample[] }
  | { type: 'scalar'; value: number; since: number }
  | { type: 'string'; value: string };

export interface EvaluationResult {
  value: InstantValue;
  /** Prometheus-style warning annotations (e.g. a quantile outside [0, 1]). */
  warnings: string[];
  /** Prometheus-style info annotations. */
  infos: string[];
}

class Evaluator {
  constructor(readonly ctx: EvalContext) {}

  eval = (e: Expr): Value => {
    const ctx = this.ctx;
    switch (e.kind) {
      case 'number':
        return { type: 'scalar', value: e.value, since: -Infinity };
      case 'string':
        return { type: 'string', value: e.value };
      case 'paren':
        return this.eval(e.expr);
      case 'selector': {
        const samples: Sample[] = [];
        // Native histogram samples are skipped, as float operations in Prometheus ignore them.
        ctx.store.forEachSelected(e.matchers, ctx.timeMs, (s, sample) => {
          samples.push({ labels: s.labels, value: sample.v, since: s.since ?? sample.t, t: sample.t });
        });
        return { type: 'vector', samples };
      }
      case 'history':
        throw evalError(ctx, e.span, historyMessage(e.what));
      case 'unary': {
        const v = this.eval(e.expr);
        if (e.op === '+') return v;
        if (v.type === 'scalar') return { type: 'scalar', value: -v.value, since: v.since };
        if (v.type !== 'vector') return v;
        const out = v.samples.map((s) => ({
          labels: s.labels.withoutName(),
          value: -s.value,
          since: s.since,
        }));
        assertUniqueLabelSets(ctx, e.span, out);
        return { type: 'vector', samples: out };
      }
      case 'binary':
        return this.binary(e);
      case 'aggregate':
        return this.aggregate(e);
      case 'call':
        return callFunction(ctx, e, this.eval);
    }
  };

  binary(e: BinaryExpr): Value {
    const l = this.eval(e.lhs);
    const r = this.eval(e.rhs);
    if (l.type === 'scalar' && r.type === 'scalar') {
      return {
        type: 'scalar',
        value: scalarBinop(e.op, l.value, r.value),
        since: Math.max(l.since, r.since),
      };
    }
    if (l.type === 'vector' && r.type === 'scalar') {
      return { type: 'vector', samples: vectorScalarBinop(this.ctx, e, l.samples, r.value, r.since, false) };
    }
    if (l.type === 'scalar' && r.type === 'vector') {
      return { type: 'vector', samples: vectorScalarBinop(this.ctx, e, r.samples, l.value, l.since, true) };
    }
    if (l.type === 'vector' && r.type === 'vector') {
      if (SET_OPS.has(e.op)) return { type: 'vector', samples: setBinop(e, l.samples, r.samples) };
      return { type: 'vector', samples: vectorBinop(this.ctx, e, l.samples, r.samples) };
    }
    throw evalError(this.ctx, e.span, 'binary expression must contain only scalar and instant vector types');
  }

  aggregate(e: AggregateExpr): Value {
    let param: number | string | undefined;
    let paramSince = -Infinity;
    if (e.param) {
      const p = this.eval(e.param);
      if (p.type === 'scalar') {
        param = p.value;
        paramSince = p.since;
      } else if (p.type === 'string') param = p.value;
    }
    const input = this.eval(e.expr);
    const samples = input.type === 'vector' ? input.samples : [];
    return { type: 'vector', samples: aggregate(this.ctx, e, samples, param, paramSince) };
  }
}

function historyMessage(what: string): string {
  switch (what) {
    case 'range selector':
      return 'range selectors need stored history; flux-health evaluates one instant';
    case 'subquery':
      return 'subqueries need stored history; flux-health evaluates one instant';
    case 'offset modifier':
      return 'offset modifiers need stored history; flux-health evaluates one instant';
    default:
      return '@ modifiers need stored history; flux-health evaluates one instant';
  }
}

function toInstant(v: Value): InstantValue {
  if (v.type !== 'vector') return v;
  return {
    type: 'vector',
    samples: v.samples.map((s) => ({ labels: s.labels.toRecord(), value: s.value, since: s.since })),
  };
}

export interface EvaluateOptions extends ParseOptions {
  /**
   * The source text of an already parsed expression: annotations carry a `(line:col)` position in it, as
   * Prometheus's do. Ignored when the expression is given as text.
   */
  text?: string;
  /**
   * This evaluation is one step of a range query with more than one step (a range query is one instant
   * query per step); only annotations depend on it (sort functions warn that they are ineffective there).
   */
  rangeQuery?: boolean;
}

/** Evaluates at `timeMs` and also returns the annotations Prometheus would attach. */
export function evaluateWithAnnotations(
  expr: Expr | string,
  store: SeriesStore,
  timeMs: number,
  options: EvaluateOptions = {},
): EvaluationResult {
  const text = typeof expr === 'string' ? expr : (options.text ?? '');
  const tree = typeof expr === 'string' ? parseExpr(expr, options) : expr;
  const ctx: EvalContext = {
    store,
    timeMs,
    text,
    rangeQuery: options.rangeQuery === true,
    warnings: [],
    infos: [],
  };
  const value = new Evaluator(ctx).eval(tree);
  if (ctx.forcedMonotonicity) ctx.infos.push(forcedMonotonicityInfo(ctx.forcedMonotonicity, timeMs));
  return { value: toInstant(value), warnings: ctx.warnings, infos: ctx.infos };
}

/**
 * Evaluates an expression (parsed if given as text) at `timeMs` over `store`. Throws PromQLError: kind
 * `parse` for invalid expressions, kind `evaluation` for Prometheus's runtime errors and for syntax that
 * needs stored history (range selectors, subqueries, offset, @).
 */
export function evaluateInstant(
  expr: Expr | string,
  store: SeriesStore,
  timeMs: number,
  options: EvaluateOptions = {},
): InstantValue {
  return evaluateWithAnnotations(expr, store, timeMs, options).value;
}
