/**
 * The PromQL engine of flux-health: parse and check expressions like Prometheus, evaluate them at one
 * instant over a series store, and read/write the formats around it. This is the stable API that the rule
 * layer and the `query` command build on.
 *
 *   const store = new SeriesStore([{ labels: { __name__: 'up', job: 'a' }, samples: [{ t: now, v: 1 }] }]);
 *   const expr = parseExpr('up == 1');             // throws PromQLError with .position (offset, line, column)
 *   const v = evaluateInstant(expr, store, now);   // { type: 'vector', samples: [{ labels, value, since }] }
 *
 * Every result sample carries `since`: when the inputs it depends on began to hold (see evaluator.ts), so
 * alert `for:` durations can be honoured without state between runs.
 */
export type {
  AggregateExpr,
  AggregateOp,
  BinaryExpr,
  BinaryOp,
  Call,
  Expr,
  HistoryExpr,
  LabelMatcher,
  MatchOp,
  Span,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.js';
export { PromQLError, positionAt, type Position } from './errors.js';
export { parseExpr, checkExpr, documentedType, type ParseOptions } from './parser.js';
export {
  evaluateInstant,
  evaluateWithAnnotations,
  type EvaluateOptions,
  type EvaluationResult,
  type InstantSample,
  type InstantValue,
} from './evaluator.js';
export {
  SeriesStore,
  DEFAULT_LOOKBACK_MS,
  type SampleInput,
  type SeriesInput,
  type SeriesStoreOptions,
} from './store.js';
export { parseExposition, ExpositionError } from './exposition.js';
export { toApiResult, toApiError, type Annotations, type ApiError, type ApiSuccess } from './api-json.js';
export { runQuery, type QueryOutcome } from './query.js';
