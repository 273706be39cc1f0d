/**
 * Our typed PromQL syntax tree. Built from the lezer tree by parser.ts and checked there, so every node
 * here is already type-correct: evaluation only has to dispatch on `kind`.
 */

import type { AnchoredRegexp } from '../go/regexp.js';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Half-open source range [start, end) in the expression text. */
export interface Span {
  start: number;
  end: number;
}

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
  /** Compiled, anchored matcher for `=~`/`!~`. */
  regex?: AnchoredRegexp;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'count_values'
  | 'quantile'
  | 'limitk'
  | 'limit_ratio';

export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** true for `on(...)`, false for `ignoring(...)` or no clause. */
  on: boolean;
  labels: string[];
  /** Extra labels copied from the "one" side by group_left/group_right. */
  include: string[];
}

interface Base {
  span: Span;
  type: ValueType;
}

export interface NumberLiteral extends Base {
  kind: 'number';
  value: number;
}
export interface StringLiteral extends Base {
  kind: 'string';
  value: string;
}
export interface VectorSelector extends Base {
  kind: 'selector';
  /** The metric name written before the braces, if any. */
  name?: string;
  matchers: LabelMatcher[];
  /** info()'s label-selector argument may match everything: Prometheus skips the non-empty check there. */
  bypassEmptyMatcherCheck?: boolean;
}
export interface ParenExpr extends Base {
  kind: 'paren';
  expr: Expr;
}
export interface UnaryExpr extends Base {
  kind: 'unary';
  op: '-' | '+';
  expr: Expr;
}
export interface BinaryExpr extends Base {
  kind: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  /** Present only between two instant vectors. */
  matching?: VectorMatching;
}
export interface AggregateExpr extends Base {
  kind: 'aggregate';
  op: AggregateOp;
  param?: Expr;
  expr: Expr;
  grouping: string[];
  without: boolean;
}
export interface Call extends Base {
  kind: 'call';
  func: string;
  args: Expr[];
}
/**
 * Syntax that needs stored history (range selectors, subqueries, offset and @ modifiers). It parses and
 * type-checks, and evaluation rejects it with `reason`.
 */
export interface HistoryExpr extends Base {
  kind: 'history';
  what: 'range selector' | 'subquery' | 'offset modifier' | '@ modifier';
  expr: Expr;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | AggregateExpr
  | Call
  | HistoryExpr;

export const COMPARISON_OPS: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS: ReadonlySet<string> = new Set(['and', 'or', 'unless']);
