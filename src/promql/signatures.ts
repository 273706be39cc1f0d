import type { ValueType } from './ast.js';

/**
 * Function signatures as Prometheus 3 declares them (promql/parser/functions.go): argument types,
 * `variadic` (0: exact count; n > 0: up to n optional trailing arguments of the last type; -1: unbounded),
 * and return type. The parser checks calls against this table.
 */
export interface Signature {
  args: ValueType[];
  variadic: number;
  returns: ValueType;
  /** Refused unless experimental functions are enabled (promtool's promql-experimental-functions). */
  experimental?: boolean;
}

const V: ValueType = 'vector';
const S: ValueType = 'scalar';
const M: ValueType = 'matrix';
const STR: ValueType = 'string';

function sig(args: ValueType[], returns: ValueType = V, variadic = 0): Signature {
  return { args, variadic, returns };
}

const vectorMath = [
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
  'absent',
  'histogram_avg',
  'histogram_count',
  'histogram_sum',
  'histogram_stddev',
  'histogram_stdvar',
  'start_timestamp',
];
const rangeFns = [
  'absent_over_time',
  'avg_over_time',
  'changes',
  'count_over_time',
  'delta',
  'deriv',
  'first_over_time',
  'idelta',
  'increase',
  'irate',
  'last_over_time',
  'mad_over_time',
  'max_over_time',
  'min_over_time',
  'present_over_time',
  'rate',
  'resets',
  'stddev_over_time',
  'stdvar_over_time',
  'sum_over_time',
  'ts_of_first_over_time',
  'ts_of_max_over_time',
  'ts_of_min_over_time',
  'ts_of_last_over_time',
];
const dateFns = [
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
];

/**
 * The functions Prometheus 3.16 marks `Experimental: true`. A parser without the feature enabled refuses them
 * with `function "NAME" is not enabled`, so a rule that uses one does not load in a default Prometheus.
 */
export const EXPERIMENTAL_FUNCTIONS: ReadonlySet<string> = new Set([
  'double_exponential_smoothing',
  'end',
  'histogram_quantiles',
  'info',
  'integral',
  'mad_over_time',
  'max_of',
  'min_of',
  'range',
  'sort_by_label',
  'sort_by_label_desc',
  'start',
  'start_timestamp',
  'step',
  'ts_of_first_over_time',
  'ts_of_last_over_time',
  'ts_of_max_over_time',
  'ts_of_min_over_time',
]);

/** Aggregations that Prometheus 3.16 gates behind the same feature as the experimental functions. */
export const EXPERIMENTAL_AGGREGATIONS: ReadonlySet<string> = new Set(['limitk', 'limit_ratio']);

const TABLE: [string, Signature][] = [
  ...vectorMath.map((n): [string, Signature] => [n, sig([V])]),
  ...rangeFns.map((n): [string, Signature] => [n, sig([M])]),
  ...dateFns.map((n): [string, Signature] => [n, sig([V], V, 1)]),
  ['clamp', sig([V, S, S])],
  ['clamp_max', sig([V, S])],
  ['clamp_min', sig([V, S])],
  ['round', sig([V, S], V, 1)],
  ['scalar', sig([V], S)],
  ['vector', sig([S])],
  ['time', sig([], S)],
  ['pi', sig([], S)],
  ['start', sig([], S)],
  ['end', sig([], S)],
  ['range', sig([], S)],
  ['step', sig([], S)],
  ['label_replace', sig([V, STR, STR, STR, STR])],
  ['label_join', sig([V, STR, STR, STR], V, -1)],
  ['sort_by_label', sig([V, STR], V, -1)],
  ['sort_by_label_desc', sig([V, STR], V, -1)],
  ['histogram_quantile', sig([S, V])],
  ['histogram_fraction', sig([S, S, V])],
  ['histogram_quantiles', sig([V, STR, S, S], V, 9)],
  ['double_exponential_smoothing', sig([M, S, S])],
  ['predict_linear', sig([M, S])],
  ['integral', sig([M, S], V, 1)],
  ['quantile_over_time', sig([S, M])],
  ['info', sig([V, V], V, 1)],
  ['min_of', sig([S, S], S)],
  ['max_of', sig([S, S], S)],
];

export const SIGNATURES: ReadonlyMap<string, Signature> = new Map<string, Signature>(
  TABLE.map(([name, s]): [string, Signature] => [
    name,
    EXPERIMENTAL_FUNCTIONS.has(name) ? { ...s, experimental: true } : s,
  ]),
);
