import type { SyntaxNode } from '@lezer/common';
import { parser as lezerParser } from '@prometheus-io/lezer-promql';
import type {
  AggregateExpr,
  AggregateOp,
  BinaryExpr,
  BinaryOp,
  Call,
  Expr,
  LabelMatcher,
  MatchOp,
  Span,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.js';
import { COMPARISON_OPS, SET_OPS } from './ast.js';
import { PromQLError, parseError } from './errors.js';
import { parseDuration } from '../go/duration.js';
import { parseGoNumber } from '../go/numbers.js';
import { UnquoteError, unquote } from '../go/strings.js';
import { RegexSyntaxError, compileAnchored } from '../go/regexp.js';
import { EXPERIMENTAL_AGGREGATIONS, SIGNATURES } from './signatures.js';

/** Parser features that Prometheus leaves off by default. */
export interface ParseOptions {
  /**
   * Accept the functions and aggregations Prometheus marks experimental (limitk, limit_ratio,
   * sort_by_label, …), as `--enable-feature=promql-experimental-functions` does. Off by default, as in
   * Prometheus and promtool: a rule using one would not load there.
   */
  experimentalFunctions?: boolean;
}

/**
 * Parses PromQL with the official lezer grammar, then turns the lezer tree into our typed AST and checks it
 * the way Prometheus's parser does (`checkAST` in promql/parser/parse.go): the grammar is lenient (it accepts
 * `1 == 1`, `a and on(x) group_left b`, wrong argument counts, …) and reports syntax errors only as error
 * nodes, so every rejection Prometheus makes is re-implemented here with its position and wording.
 */

const AGGREGATE_OPS: Record<string, AggregateOp> = {
  Sum: 'sum',
  Avg: 'avg',
  Count: 'count',
  Min: 'min',
  Max: 'max',
  Group: 'group',
  Stddev: 'stddev',
  Stdvar: 'stdvar',
  Topk: 'topk',
  Bottomk: 'bottomk',
  CountValues: 'count_values',
  Quantile: 'quantile',
  LimitK: 'limitk',
  LimitRatio: 'limit_ratio',
};
const PARAM_AGGREGATES: ReadonlySet<AggregateOp> = new Set([
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
]);

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Lss: '<',
  Gtr: '>',
  Lte: '<=',
  Gte: '>=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const MATCH_OPS: Record<string, MatchOp> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

const KEYWORDS = new Set(['bool', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'by', 'without']);
const AGGREGATOR_WORDS = new Set(Object.values(AGGREGATE_OPS));
const SET_WORDS = new Set(['and', 'or', 'unless', 'atan2']);

/** Prometheus's names for value types in messages. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return t;
  }
}

class Builder {
  constructor(
    readonly text: string,
    readonly options: ParseOptions = {},
  ) {}

  fail(offset: number, detail: string): never {
    throw parseError(this.text, offset, detail);
  }

  src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  span(n: SyntaxNode): Span {
    return { start: n.from, end: n.to };
  }

  exprChildren(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.type.is('Expr')) out.push(c);
    return out;
  }

  build(n: SyntaxNode): Expr {
    switch (n.name) {
      case 'NumberDurationLiteral':
        return { kind: 'number', value: this.number(n), span: this.span(n), type: 'scalar' };
      case 'StringLiteral':
        return { kind: 'string', value: this.string(n), span: this.span(n), type: 'string' };
      case 'ParenExpr': {
        const inner = this.exprChildren(n)[0];
        if (!inner) return this.fail(n.from, 'unexpected ")"');
        const expr = this.build(inner);
        return { kind: 'paren', expr, span: this.span(n), type: expr.type };
      }
      case 'UnaryExpr': {
        const opNode = n.getChild('UnaryOp');
        const inner = this.exprChildren(n)[0];
        if (!opNode || !inner) return this.fail(n.from, 'unexpected end of input');
        const op = this.src(opNode) === '-' ? '-' : '+';
        const expr = this.build(inner);
        return { kind: 'unary', op, expr, span: this.span(n), type: expr.type };
      }
      case 'VectorSelector':
        return this.selector(n);
      case 'BinaryExpr':
        return this.binary(n);
      case 'AggregateExpr':
        return this.aggregate(n);
      case 'FunctionCall':
        return this.call(n);
      case 'MatrixSelector': {
        const inner = this.exprChildren(n)[0];
        if (!inner) return this.fail(n.from, 'unexpected "["');
        const expr = this.build(inner);
        if (expr.kind !== 'selector') return this.fail(n.from, 'ranges only allowed for vector selectors');
        this.durations(n);
        return { kind: 'history', what: 'range selector', expr, span: this.span(n), type: 'matrix' };
      }
      case 'SubqueryExpr': {
        const inner = this.exprChildren(n)[0];
        if (!inner) return this.fail(n.from, 'unexpected "["');
        const expr = this.build(inner);
        this.durations(n);
        return { kind: 'history', what: 'subquery', expr, span: this.span(n), type: 'matrix' };
      }
      case 'OffsetExpr':
      case 'StepInvariantExpr': {
        const inner = this.exprChildren(n)[0];
        if (!inner) return this.fail(n.from, 'unexpected end of input');
        const what = n.name === 'OffsetExpr' ? 'offset modifier' : '@ modifier';
        if (what === 'offset modifier') this.durations(n);
        // The lezer grammar lets a modifier take a whole binary or unary expression on its left, while in
        // Prometheus it binds to the nearest selector: `a or b offset 5m` is `a or (b offset 5m)`.
        return this.attachModifier(this.build(inner), what, n);
      }
      case 'AnchoredExpr':
        return this.fail(n.from, 'anchored modifier is experimental and not enabled');
      case 'SmoothedExpr':
        return this.fail(n.from, 'smoothed modifier is experimental and not enabled');
      default:
        return this.fail(n.from, `unexpected ${describeToken(this.text, n.from)}`);
    }
  }

  attachModifier(expr: Expr, what: 'offset modifier' | '@ modifier', n: SyntaxNode): Expr {
    if (expr.kind === 'binary') {
      expr.rhs = this.attachModifier(expr.rhs, what, n);
      expr.span = { start: expr.span.start, end: n.to };
      return expr;
    }
    if (expr.kind === 'unary') {
      expr.expr = this.attachModifier(expr.expr, what, n);
      expr.span = { start: expr.span.start, end: n.to };
      return expr;
    }
    const base =
      expr.kind === 'history' && (expr.what === 'offset modifier' || expr.what === '@ modifier')
        ? expr.expr
        : expr;
    const ok =
      base.kind === 'selector' ||
      (base.kind === 'history' && (base.what === 'range selector' || base.what === 'subquery'));
    if (!ok) {
      return this.fail(
        n.from,
        `${what === 'offset modifier' ? 'offset' : '@'} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
      );
    }
    return { kind: 'history', what, expr, span: { start: expr.span.start, end: n.to }, type: expr.type };
  }

  /** Validates the plain duration literals of range selectors, subqueries and offsets. */
  durations(n: SyntaxNode): void {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'DurationExpr' && c.name !== 'OffsetDurationExpr') continue;
      let lit = c.firstChild;
      while (c.name === 'OffsetDurationExpr' && lit?.name === 'UnaryOp') {
        const nested: SyntaxNode | null = lit.nextSibling;
        lit = nested?.name === 'OffsetDurationExpr' ? nested.firstChild : nested;
      }
      if (!lit || lit.name !== 'NumberDurationLiteralInDurationContext' || lit.nextSibling) {
        return this.fail(c.from, 'experimental duration expression is not enabled');
      }
      const t = this.src(lit);
      if (parseDuration(t) === undefined && parseGoNumber(t) === undefined) {
        this.fail(lit.from, `bad number or duration syntax: ${JSON.stringify(t)}`);
      }
    }
  }

  number(n: SyntaxNode): number {
    const raw = this.src(n).replace(/\s+/g, '');
    let sign = 1;
    let body = raw;
    if (body.startsWith('-') || body.startsWith('+')) {
      if (body[0] === '-') sign = -1;
      body = body.slice(1);
    }
    const ms = parseDuration(body);
    if (ms !== undefined && /[a-z]/.test(body)) return (sign * ms) / 1000;
    // The lexer let underscores through only between digits (3.x digit separators).
    const v = parseGoNumber(body.replace(/_/g, ''));
    if (v === undefined) return this.fail(n.from, `bad number or duration syntax: ${JSON.stringify(body)}`);
    return sign * v;
  }

  string(n: SyntaxNode): string {
    const lit = this.src(n);
    try {
      return unquote(lit);
    } catch (e) {
      if (e instanceof UnquoteError) {
        if (e.message === 'unterminated quoted string')
          return this.fail(n.from, 'unterminated quoted string');
        return this.fail(n.from, `error unquoting string ${JSON.stringify(lit)}: ${e.message}`);
      }
      throw e;
    }
  }

  selector(n: SyntaxNode): VectorSelector {
    const ident = n.getChild('Identifier');
    let name = ident ? this.src(ident) : undefined;
    const matchers: LabelMatcher[] = [];
    const list = n.getChild('LabelMatchers');
    let quotedName: string | undefined;
    if (list) {
      for (let c = list.firstChild; c; c = c.nextSibling) {
        if (c.name === 'QuotedLabelName') {
          const lit = c.getChild('StringLiteral');
          const value = lit ? this.string(lit) : '';
          if (name !== undefined || quotedName !== undefined) {
            this.fail(
              n.from,
              `metric name must not be set twice: ${JSON.stringify(name ?? quotedName)} or ${JSON.stringify(value)}`,
            );
          }
          quotedName = value;
          matchers.push({ name: '__name__', op: '=', value });
          continue;
        }
        if (c.name !== 'UnquotedLabelMatcher' && c.name !== 'QuotedLabelMatcher') continue;
        matchers.push(this.matcher(c));
      }
    }
    if (name !== undefined) {
      for (const m of matchers) {
        if (m.name === '__name__') {
          this.fail(
            n.from,
            `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(m.value)}`,
          );
        }
      }
      matchers.push({ name: '__name__', op: '=', value: name });
    } else {
      name = quotedName;
    }
    const sel: VectorSelector = { kind: 'selector', matchers, span: this.span(n), type: 'vector' };
    if (name !== undefined) sel.name = name;
    return sel;
  }

  matcher(c: SyntaxNode): LabelMatcher {
    const nameNode = c.firstChild;
    const opNode = c.getChild('MatchOp');
    const valueNode = c.getChild('StringLiteral');
    if (!nameNode || !opNode || !valueNode)
      return this.fail(c.from, 'unexpected end of input in label matching');
    let name: string;
    if (nameNode.name === 'QuotedLabelName') {
      const lit = nameNode.getChild('StringLiteral');
      name = lit ? this.string(lit) : '';
    } else {
      name = this.src(nameNode);
    }
    const opName = opNode.firstChild?.name ?? '';
    const op = MATCH_OPS[opName] ?? '=';
    const value = this.string(valueNode);
    const m: LabelMatcher = { name, op, value };
    if (op === '=~' || op === '!~') {
      try {
        m.regex = compileAnchored(value);
      } catch (e) {
        if (e instanceof RegexSyntaxError)
          return this.fail(valueNode.from, `error parsing regexp: ${e.message}`);
        throw e;
      }
    }
    return m;
  }

  grouping(n: SyntaxNode | null): string[] {
    const out: string[] = [];
    if (!n) return out;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'LabelName') out.push(this.src(c));
      else if (c.name === 'QuotedLabelName') {
        const lit = c.getChild('StringLiteral');
        out.push(lit ? this.string(lit) : '');
      }
    }
    return out;
  }

  binary(n: SyntaxNode): Expr {
    const lhsNode = n.firstChild;
    const rhsNode = n.lastChild;
    const opNode = lhsNode?.nextSibling;
    if (!lhsNode || !rhsNode || !opNode || lhsNode === rhsNode)
      return this.fail(n.from, 'unexpected end of input');
    if (opNode.name === 'TrimUpper' || opNode.name === 'TrimLower') {
      return this.fail(
        opNode.from,
        `operator ${JSON.stringify(this.src(opNode))} is only defined for native histograms, which are not supported`,
      );
    }
    const op = BINARY_OPS[opNode.name];
    if (!op) return this.fail(opNode.from, `unexpected ${describeToken(this.text, opNode.from)}`);
    let returnBool = false;
    let matching: VectorMatching | undefined;
    for (let c = opNode.nextSibling; c && c !== rhsNode; c = c.nextSibling) {
      if (c.name === 'BoolModifier') returnBool = true;
      else if (c.name === 'FillModifier')
        this.fail(c.from, 'binop fill modifiers are experimental and not enabled');
      else if (c.name === 'MatchingModifierClause') matching = this.matchingClause(c);
    }
    // Prometheus folds a sign into a number literal only after applying `^` (unary minus binds below
    // `^`), while lezer tokenizes `-2` as one literal: `-2 ^ 2` must be -(2^2) = -4.
    if (op === '^' && lhsNode.name === 'NumberDurationLiteral') {
      const t = this.src(lhsNode).trimStart();
      if (t.startsWith('-') || t.startsWith('+')) {
        const lhs: Expr = {
          kind: 'number',
          value: Math.abs(this.number(lhsNode)),
          span: { start: lhsNode.from + 1, end: lhsNode.to },
          type: 'scalar',
        };
        const rhs = this.build(rhsNode);
        const pow: BinaryExpr = {
          kind: 'binary',
          op,
          lhs,
          rhs,
          returnBool,
          span: { start: lhsNode.from + 1, end: n.to },
          type: rhs.type === 'scalar' ? 'scalar' : 'vector',
        };
        if (matching) pow.matching = matching;
        return {
          kind: 'unary',
          op: t.startsWith('-') ? '-' : '+',
          expr: pow,
          span: this.span(n),
          type: pow.type,
        };
      }
    }
    const lhs = this.build(lhsNode);
    const rhs = this.build(rhsNode);
    const out: BinaryExpr = {
      kind: 'binary',
      op,
      lhs,
      rhs,
      returnBool,
      span: this.span(n),
      type: lhs.type === 'scalar' && rhs.type === 'scalar' ? 'scalar' : 'vector',
    };
    if (matching) out.matching = matching;
    return out;
  }

  matchingClause(c: SyntaxNode): VectorMatching {
    const on = c.getChild('On') !== null;
    const lists = c.getChildren('GroupingLabels');
    const left = c.getChild('GroupLeft');
    const right = c.getChild('GroupRight');
    return {
      card: left ? 'many-to-one' : right ? 'one-to-many' : 'one-to-one',
      on,
      labels: this.grouping(lists[0] ?? null),
      include: this.grouping(lists[1] ?? null),
    };
  }

  aggregate(n: SyntaxNode): AggregateExpr {
    const opNode = n.getChild('AggregateOp')?.firstChild;
    const op = opNode ? AGGREGATE_OPS[opNode.name] : undefined;
    if (!op) return this.fail(n.from, `unexpected ${describeToken(this.text, n.from)}`);
    const body = n.getChild('FunctionCallBody');
    const args = body ? this.exprChildren(body) : [];
    const mod = n.getChild('AggregateModifier');
    const without = mod?.getChild('Without') !== null && mod?.getChild('Without') !== undefined;
    const grouping = this.grouping(mod?.getChild('GroupingLabels') ?? null);
    if (args.length === 0) this.fail(n.from, 'no arguments for aggregate expression provided');
    if (EXPERIMENTAL_AGGREGATIONS.has(op) && !this.options.experimentalFunctions) {
      // Prometheus refuses it in the grammar action, after its arguments were parsed (their errors first).
      args.forEach((a) => this.build(a));
      this.fail(
        n.from,
        `${op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`,
      );
    }
    const want = PARAM_AGGREGATES.has(op) ? 2 : 1;
    if (args.length !== want) {
      this.fail(
        n.from,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
    }
    const built = args.map((a) => this.build(a));
    const out: AggregateExpr = {
      kind: 'aggregate',
      op,
      expr: built[built.length - 1] as Expr,
      grouping,
      without,
      span: this.span(n),
      type: 'vector',
    };
    if (want === 2) out.param = built[0] as Expr;
    return out;
  }

  call(n: SyntaxNode): Call {
    const ident = n.getChild('FunctionIdentifier');
    const name = ident ? this.src(ident) : '';
    const sig = SIGNATURES.get(name);
    if (!sig) return this.fail(n.from, `unknown function with name ${JSON.stringify(name)}`);
    const body = n.getChild('FunctionCallBody');
    const args = (body ? this.exprChildren(body) : []).map((a) => this.build(a));
    // Checked after the arguments, as Prometheus's grammar action runs once they are parsed.
    if (sig.experimental && !this.options.experimentalFunctions)
      this.fail(n.from, `function ${JSON.stringify(name)} is not enabled`);
    return { kind: 'call', func: name, args, span: this.span(n), type: sig.returns };
  }
}

/** Type checks, in the order Prometheus's checkAST visits nodes, so the first reported error matches. */
class Checker {
  constructor(readonly text: string) {}

  fail(offset: number, detail: string): never {
    throw parseError(this.text, offset, detail);
  }

  expectType(e: Expr, want: ValueType, context: string): void {
    this.check(e);
    if (e.type !== want) {
      this.fail(
        e.span.start,
        `expected type ${documentedType(want)} in ${context}, got ${documentedType(e.type)}`,
      );
    }
  }

  opOffset(e: BinaryExpr): number {
    let i = e.lhs.span.end;
    while (i < this.text.length && /\s/.test(this.text[i] as string)) i++;
    return i;
  }

  check(e: Expr): void {
    switch (e.kind) {
      case 'number':
      case 'string':
        return;
      case 'paren':
        this.check(e.expr);
        return;
      case 'unary':
        this.check(e.expr);
        if (e.expr.type !== 'scalar' && e.expr.type !== 'vector') {
          this.fail(
            e.span.start,
            `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(documentedType(e.expr.type))}`,
          );
        }
        return;
      case 'selector': {
        if (e.name !== undefined || e.bypassEmptyMatcherCheck) return;
        if (!e.matchers.some((m) => !matchesEmpty(m))) {
          this.fail(e.span.start, 'vector selector must contain at least one non-empty matcher');
        }
        return;
      }
      case 'history':
        if (e.what === 'subquery') {
          this.check(e.expr);
          if (e.expr.type !== 'vector') {
            this.fail(e.span.start, `subquery is only allowed on instant vector, got ${e.expr.type} instead`);
          }
        } else this.check(e.expr);
        return;
      case 'aggregate':
        this.expectType(e.expr, 'vector', 'aggregation expression');
        if (e.param) {
          this.expectType(e.param, e.op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
        }
        return;
      case 'binary':
        this.binary(e);
        return;
      case 'call':
        this.call(e);
        return;
    }
  }

  binary(e: BinaryExpr): void {
    this.check(e.lhs);
    this.check(e.rhs);
    const lt = e.lhs.type;
    const rt = e.rhs.type;
    const comparison = COMPARISON_OPS.has(e.op);
    const setOp = SET_OPS.has(e.op);
    if (e.returnBool && !comparison)
      this.fail(this.opOffset(e), 'bool modifier can only be used on comparison operators');
    if (comparison && !e.returnBool && lt === 'scalar' && rt === 'scalar') {
      this.fail(this.opOffset(e), 'comparisons between scalars must use BOOL modifier');
    }
    const m = e.matching;
    if (m && setOp && m.card === 'one-to-one') m.card = 'many-to-many';
    if (m?.on) {
      for (const l of m.labels) {
        if (m.include.includes(l))
          this.fail(
            this.opOffset(e),
            `label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`,
          );
      }
    }
    if (lt !== 'scalar' && lt !== 'vector')
      this.fail(e.lhs.span.start, 'binary expression must contain only scalar and instant vector types');
    if (rt !== 'scalar' && rt !== 'vector')
      this.fail(e.rhs.span.start, 'binary expression must contain only scalar and instant vector types');
    if (lt !== 'vector' || rt !== 'vector') {
      if (m && m.labels.length > 0)
        this.fail(e.span.start, 'vector matching only allowed between instant vectors');
      delete e.matching;
    } else {
      const vm: VectorMatching = m ?? {
        card: setOp ? 'many-to-many' : 'one-to-one',
        on: false,
        labels: [],
        include: [],
      };
      if (setOp) {
        if (vm.card === 'one-to-many' || vm.card === 'many-to-one')
          this.fail(e.span.start, `no grouping allowed for ${JSON.stringify(e.op)} operation`);
        if (vm.card !== 'many-to-many') this.fail(e.span.start, 'set operations must always be many-to-many');
      }
      e.matching = vm;
    }
    if ((lt === 'scalar' || rt === 'scalar') && setOp) {
      this.fail(e.span.start, `set operator ${JSON.stringify(e.op)} not allowed in binary scalar expression`);
    }
  }

  call(e: Call): void {
    const sig = SIGNATURES.get(e.func);
    if (!sig) return this.fail(e.span.start, `unknown function with name ${JSON.stringify(e.func)}`);
    const nargs = sig.args.length;
    if (sig.variadic === 0) {
      if (nargs !== e.args.length)
        this.fail(
          e.span.start,
          `expected ${nargs} argument(s) in call to ${JSON.stringify(e.func)}, got ${e.args.length}`,
        );
    } else {
      const na = nargs - 1;
      if (na > e.args.length) {
        this.fail(
          e.span.start,
          `expected at least ${na} argument(s) in call to ${JSON.stringify(e.func)}, got ${e.args.length}`,
        );
      } else if (sig.variadic > 0 && na + sig.variadic < e.args.length) {
        this.fail(
          e.span.start,
          `expected at most ${na + sig.variadic} argument(s) in call to ${JSON.stringify(e.func)}, got ${e.args.length}`,
        );
      }
    }
    let labelSelector = e.args[1];
    // `@` and `offset` belong to the selector itself in Prometheus's tree (they are wrappers in ours).
    while (
      labelSelector?.kind === 'history' &&
      (labelSelector.what === '@ modifier' || labelSelector.what === 'offset modifier')
    )
      labelSelector = labelSelector.expr;
    if (e.func === 'info' && labelSelector) {
      // info()'s second argument is label-selector syntax, not a series selection.
      if (labelSelector.type !== 'vector')
        this.fail(
          e.span.start,
          `expected type instant vector in call to function "info", got ${documentedType(labelSelector.type)}`,
        );
      if (labelSelector.kind === 'selector' && labelSelector.name !== undefined)
        this.fail(labelSelector.span.start, 'expected label selectors only, got vector selector instead');
      else if (labelSelector.kind === 'selector') labelSelector.bypassEmptyMatcherCheck = true;
      else this.fail(labelSelector.span.start, 'expected label selectors only');
    }
    e.args.forEach((arg, idx) => {
      let i = idx;
      if (i >= nargs) {
        if (sig.variadic === 0) return;
        i = nargs - 1;
      }
      const want = sig.args[i] as ValueType;
      this.check(arg);
      if (arg.type !== want) {
        this.fail(
          arg.span.start,
          `expected type ${documentedType(want)} in call to function ${JSON.stringify(e.func)}, got ${documentedType(arg.type)}`,
        );
      }
    });
  }
}

export function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.op) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return m.regex ? m.regex.test('') : false;
    case '!~':
      return m.regex ? !m.regex.test('') : true;
  }
}

/** Describes the token at `offset` the way Prometheus's lexer items print in "unexpected …" messages. */
export function describeToken(text: string, offset: number): string {
  let i = offset;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (text[i] === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    break;
  }
  if (i >= text.length) return 'end of input';
  const rest = text.slice(i);
  const quote = (s: string): string =>
    s.length > 10 ? JSON.stringify(s.slice(0, 10)) + '...' : JSON.stringify(s);
  let m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest);
  if (m) {
    const w = m[0];
    const lw = w.toLowerCase();
    if (AGGREGATOR_WORDS.has(lw as AggregateOp)) return `<aggr:${w}>`;
    if (SET_WORDS.has(lw)) return `<op:${w}>`;
    if (KEYWORDS.has(lw)) return `<${w}>`;
    if (lw === 'inf' || lw === 'nan') return `number ${quote(w)}`;
    return `identifier ${quote(w)}`;
  }
  m = /^(\d+[smhdwy][\dsmhdwy]*|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|0[xX][0-9a-fA-F]+)/.exec(rest);
  if (m && m[0] !== '') {
    return /[smhdwy]/.test(m[0]) && !/^0[xX]/.test(m[0])
      ? `duration ${quote(m[0])}`
      : `number ${quote(m[0])}`;
  }
  const c = rest[0] as string;
  if (c === '"' || c === "'" || c === '`') {
    const end = rest.indexOf(c, 1);
    return `string ${quote(end < 0 ? rest : rest.slice(0, end + 1))}`;
  }
  m = /^(==|!=|<=|>=|=~|!~|[-+*/%^<>=])/.exec(rest);
  if (m) return `<op:${m[0]}>`;
  return JSON.stringify(c);
}

/** Lexer-level problems that lezer tolerates: unbalanced brackets, unterminated strings, stray characters. */
const ALNUM = /[A-Za-z0-9_]/;
const STRAY = new Set(['$', ';', '?', '&', '|', '\\', '!', '~']);
const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;
/** [A-Za-z0-9_.:] — what may precede a digit inside a name or number. */
const isWordDotColon = (c: number): boolean =>
  (c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46;
const isAlnum = (ch: string | undefined): boolean => ch !== undefined && ALNUM.test(ch);
const isDigitAt = (text: string, i: number): boolean => /[0-9]/.test(text[i] ?? '');

/**
 * Prometheus's lexer on a number or duration starting at `start` (lexNumberOrDuration: scanNumber, then
 * acceptRemainingDuration): where the "bad number or duration syntax" token ends when the literal runs
 * straight into a letter or digit (`3atan2`, `1E2x`, `5mx`), or undefined when the lexer accepts it.
 * The lezer grammar would split such text into a number and a word, which Prometheus never does.
 */
function badNumberEnd(text: string, start: number): number | undefined {
  let j = scanNumber(text, start, 'lexer');
  if (!isAlnum(text[j])) return undefined;
  // acceptRemainingDuration: unit, optional 's' (ms), then more number+unit pairs, then a non-word.
  if (!/[smhdwy]/.test(text[j] as string)) return j;
  j++;
  if (text[j] === 's') j++;
  while (isDigitAt(text, j)) {
    while (isDigitAt(text, j)) j++;
    if (!/[smhdw]/.test(text[j] ?? '')) return j;
    j++;
    if (text[j] === 's') j++;
  }
  return isAlnum(text[j]) ? j + 1 : undefined;
}

/**
 * Where the number part of a literal starting at `start` ends: digits with single underscores
 * between them (3.x digit separators), a fraction, an exponent. `lexer` scans as Prometheus's
 * scanNumber does before it judges the token (a hex literal may run into `.`, and an `e` is taken
 * with nothing after it); `literal` stops where a well-formed literal ends.
 */
function scanNumber(text: string, start: number, mode: 'lexer' | 'literal'): number {
  let j = start;
  let digits = /[0-9]/;
  const hex = text[j] === '0' && (text[j + 1] === 'x' || text[j + 1] === 'X');
  if (hex) {
    j += 2;
    if (text[j] === '_') j++;
    digits = /[0-9a-fA-F]/;
  }
  const run = (): void => {
    while (digits.test(text[j] ?? '') || (text[j] === '_' && digits.test(text[j + 1] ?? ''))) j++;
  };
  run();
  if (text[j] === '.' && (mode === 'lexer' || !hex)) {
    j++;
    run();
  }
  const exponent =
    (text[j] === 'e' || text[j] === 'E') && (mode === 'lexer' || (!hex && /[0-9+-]/.test(text[j + 1] ?? '')));
  if (exponent) {
    j++;
    if (text[j] === '+' || text[j] === '-') j++;
    digits = /[0-9]/;
    run();
  }
  return j;
}

function lexCheck(text: string): string {
  // Go accepts `2.` as a number; lezer does not, so the dot is blanked (offsets stay the same).
  let lezerText = text;
  const stack: { ch: string; at: number }[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  const names: Record<string, string> = {
    '(': 'parenthesis',
    '{': 'brace',
    '[': 'bracket',
    ')': 'parenthesis',
    '}': 'brace',
    ']': 'bracket',
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      for (; j < text.length; j++) {
        const d = text[j];
        if (d === '\\' && c !== '`') {
          j++;
          continue;
        }
        if (d === c) break;
        if (d === '\n' && c !== '`') break;
      }
      if (j >= text.length || text[j] !== c) throw parseError(text, i, 'unterminated quoted string');
      i = j;
      continue;
    }
    const code = text.charCodeAt(i);
    const numberStart =
      (isDigitCode(code) || (code === 46 /* . */ && isDigitCode(text.charCodeAt(i + 1)))) &&
      (i === 0 || !isWordDotColon(text.charCodeAt(i - 1)));
    if (numberStart) {
      const bad = badNumberEnd(text, i);
      if (bad !== undefined)
        throw parseError(text, i, `bad number or duration syntax: ${JSON.stringify(text.slice(i, bad))}`);
    }
    if (numberStart && c !== '.') {
      // Digit separators and an upper-case 0X are Prometheus 3 syntax lezer's grammar lacks: lezer
      // sees zeros of the same length, and the number's value is read from the original text.
      const end = scanNumber(text, i, 'literal');
      const literal = text.slice(i, end);
      if (/_|^0X/.test(literal)) {
        lezerText = lezerText.slice(0, i) + '0'.repeat(literal.length) + lezerText.slice(end);
        i = end - 1;
        continue;
      }
      let j = i;
      while (j < text.length && isDigitCode(text.charCodeAt(j))) j++;
      if (text[j] === '.' && !/[\w.]/.test(text[j + 1] ?? ' ')) {
        lezerText = lezerText.slice(0, j) + ' ' + lezerText.slice(j + 1);
      }
      i = j - 1;
      continue;
    }
    if (c === '(' || c === '{' || c === '[') stack.push({ ch: c, at: i });
    else if (c === ')' || c === '}' || c === ']') {
      const top = stack.pop();
      if (!top || top.ch !== pairs[c])
        throw parseError(text, i, `unexpected right ${names[c]} ${JSON.stringify(c).replace(/"/g, "'")}`);
    } else if (STRAY.has(c)) {
      if (c === '!' && (text[i + 1] === '=' || text[i + 1] === '~')) {
        i++;
        continue;
      }
      if (c === '~') continue;
      throw parseError(text, i, `unexpected character: '${c}'`);
    }
  }
  const open = stack.pop();
  if (open) throw parseError(text, text.length, `unclosed left ${names[open.ch]}`);
  return lezerText;
}

function firstError(top: SyntaxNode): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) {
      found = cursor.node;
      break;
    }
  } while (cursor.next());
  return found;
}

function syntaxError(text: string, err: SyntaxNode): PromQLError {
  const parent = err.parent;
  // An identifier followed by "(" that the grammar did not take as a function is an unknown function.
  const prev = err.prevSibling;
  if (prev?.name === 'Identifier' && text.slice(err.from, err.to).trim().startsWith('(')) {
    return parseError(
      text,
      prev.from,
      `unknown function with name ${JSON.stringify(text.slice(prev.from, prev.to))}`,
    );
  }
  const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.exec(text.slice(err.from, err.to).trim());
  if (m) {
    const after = text.slice(err.to).trimStart();
    if (after.startsWith('(') && !SIGNATURES.has(m[0])) {
      return parseError(text, err.from, `unknown function with name ${JSON.stringify(m[0])}`);
    }
  }
  let at = err.from;
  while (at < text.length && /\s/.test(text[at] as string)) at++;
  const what = describeToken(text, err.from);
  let context = '';
  if (parent?.name === 'AggregateModifier') context = ' in grouping opts, expected "("';
  else if (parent?.name === 'GroupingLabels') context = ' in grouping opts, expected label';
  else if (
    parent?.name === 'LabelMatchers' ||
    parent?.name === 'UnquotedLabelMatcher' ||
    parent?.name === 'QuotedLabelMatcher'
  ) {
    context = ' in label matching';
  }
  return parseError(text, at, `unexpected ${what}${context}`);
}

/**
 * Functions Prometheus 3.16 has that the lezer grammar (0.315) does not know yet, each with a function the
 * grammar knows whose name has the same length. The grammar only sees the stand-in; spans stay the same and
 * the builder reads the real name from the original text.
 */
const GRAMMAR_STAND_INS: ReadonlyMap<string, string> = new Map([
  ['min_of', 'vector'],
  ['max_of', 'vector'],
  ['integral', 'increase'],
]);

/** Replaces calls of GRAMMAR_STAND_INS functions (outside strings and comments) by their stand-ins. */
function standInFunctions(text: string): string {
  let out = text;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' && c !== '`' ? 2 : 1;
      i = j;
      continue;
    }
    if (!/[A-Za-z_:]/.test(c) || (i > 0 && /[A-Za-z0-9_:.]/.test(text[i - 1] as string))) continue;
    const word = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(text.slice(i))?.[0] ?? c;
    const alias = GRAMMAR_STAND_INS.get(word);
    if (alias && /^\s*\(/.test(text.slice(i + word.length))) {
      out = out.slice(0, i) + alias + out.slice(i + word.length);
    }
    i += word.length - 1;
  }
  return out;
}

/** Parses and type-checks an expression; throws PromQLError (kind `parse`) with Prometheus-style messages. */
export function parseExpr(text: string, options: ParseOptions = {}): Expr {
  const tree = lezerParser.parse(standInFunctions(lexCheck(text)));
  const top = tree.topNode;
  const err = firstError(top);
  if (err) throw syntaxError(text, err);
  let exprNode: SyntaxNode | null = null;
  for (let c = top.firstChild; c; c = c.nextSibling) {
    if (c.type.is('Expr')) {
      if (exprNode) throw parseError(text, c.from, `unexpected ${describeToken(text, c.from)}`);
      exprNode = c;
    }
  }
  if (!exprNode) throw parseError(text, text.length, 'no expression found in input');
  const expr = new Builder(text, options).build(exprNode);
  new Checker(text).check(expr);
  return expr;
}

/** Re-checks an already built tree (for callers that construct or transform ASTs themselves). */
export function checkExpr(expr: Expr, text = ''): Expr {
  new Checker(text).check(expr);
  return expr;
}
