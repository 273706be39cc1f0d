import { describe, expect, it } from 'vitest';
import { PromQLError, parseExpr } from '../../src/promql/index.js';

function parseFailure(text: string): PromQLError {
  try {
    parseExpr(text);
  } catch (e) {
    if (e instanceof PromQLError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

// expression → [line:col, message without the "parse error" prefix]
const rejected: [string, string, string][] = [
  ['max(x) by namespace', '1:11', 'unexpected identifier "namespace" in grouping opts, expected "("'],
  ['sum(x', '1:6', 'unclosed left parenthesis'],
  ['', '1:1', 'unexpected end of input'],
  ['a +', '1:4', 'unexpected end of input'],
  ['1 == 1', '1:3', 'comparisons between scalars must use BOOL modifier'],
  ['a or bool b', '1:3', 'bool modifier can only be used on comparison operators'],
  ['a + bool b', '1:3', 'bool modifier can only be used on comparison operators'],
  ['rate(x)', '1:6', 'expected type range vector in call to function "rate", got instant vector'],
  ['a and on(x) group_left b', '1:1', 'no grouping allowed for "and" operation'],
  ['a unless ignoring(x) group_right(y) b', '1:1', 'no grouping allowed for "unless" operation'],
  ['1 and 1', '1:1', 'set operator "and" not allowed in binary scalar expression'],
  ['vector(1) or 1', '1:1', 'set operator "or" not allowed in binary scalar expression'],
  ['1 + on(x) 2', '1:1', 'vector matching only allowed between instant vectors'],
  ['{}', '1:1', 'vector selector must contain at least one non-empty matcher'],
  ['{a=""}', '1:1', 'vector selector must contain at least one non-empty matcher'],
  ['{a=~".*"}', '1:1', 'vector selector must contain at least one non-empty matcher'],
  ['{a!="x"}', '1:1', 'vector selector must contain at least one non-empty matcher'],
  ['foo{__name__="bar"}', '1:1', 'metric name must not be set twice: "foo" or "bar"'],
  ['x * on(l) group_left(l) y', '1:3', 'label "l" must not occur in ON and GROUP clause at once'],
  ['abs(x, y)', '1:1', 'expected 1 argument(s) in call to "abs", got 2'],
  ['round(x, 1, 2)', '1:1', 'expected at most 2 argument(s) in call to "round", got 3'],
  ['label_join(x, "a")', '1:1', 'expected at least 3 argument(s) in call to "label_join", got 2'],
  ['time(1)', '1:1', 'expected 0 argument(s) in call to "time", got 1'],
  ['clamp(x, "a", 1)', '1:10', 'expected type scalar in call to function "clamp", got string'],
  ['unknown_fn(x)', '1:1', 'unknown function with name "unknown_fn"'],
  ['Abs(x)', '1:1', 'unknown function with name "Abs"'],
  ['topk(x)', '1:1', 'wrong number of arguments for aggregate expression provided, expected 2, got 1'],
  ['sum(1, x)', '1:1', 'wrong number of arguments for aggregate expression provided, expected 1, got 2'],
  ['sum()', '1:1', 'no arguments for aggregate expression provided'],
  ['topk("a", x)', '1:6', 'expected type scalar in aggregation parameter, got string'],
  ['count_values(1, x)', '1:14', 'expected type string in aggregation parameter, got scalar'],
  ['sum(1)', '1:5', 'expected type instant vector in aggregation expression, got scalar'],
  ['"a" + 1', '1:1', 'binary expression must contain only scalar and instant vector types'],
  ['x[5m] + 1', '1:1', 'binary expression must contain only scalar and instant vector types'],
  [
    '-"a"',
    '1:1',
    'unary expression only allowed on expressions of type scalar or instant vector, got "string"',
  ],
  ['x{a=~"("}', '1:6', 'error parsing regexp: missing closing ): `(`'],
  ['x{a=~"a**"}', '1:6', 'error parsing regexp: invalid nested repetition operator: `**`'],
  ['foo{a="b"', '1:10', 'unclosed left brace'],
  ['x )', '1:3', "unexpected right parenthesis ')'"],
  ['x $ y', '1:3', "unexpected character: '$'"],
  ['"abc', '1:1', 'unterminated quoted string'],
  ['x{a="\\q"}', '1:5', 'error unquoting string "\\"\\\\q\\"": invalid syntax'],
  ['(1 + 2)[5m]', '1:1', 'ranges only allowed for vector selectors'],
  [
    'sum(x) offset 5m',
    '1:1',
    'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  ],
  ['x[5m:1m] + 1', '1:1', 'binary expression must contain only scalar and instant vector types'],
  ['1[5m:1m]', '1:1', 'subquery is only allowed on instant vector, got scalar instead'],
  ['a + fill(0) b', '1:5', 'binop fill modifiers are experimental and not enabled'],
  [
    'sum by (a) (x) +\n  on(b) group_left(b) y',
    '1:16',
    'label "b" must not occur in ON and GROUP clause at once',
  ],
  ['max(x)\n  by namespace', '2:6', 'unexpected identifier "namespace" in grouping opts, expected "("'],
];

describe('parseExpr rejects what Prometheus rejects, with position and wording', () => {
  it.each(rejected)('%j → %s %s', (text, lineCol, detail) => {
    const err = parseFailure(text);
    expect(err.kind).toBe('parse');
    expect(err.detail).toBe(detail);
    expect(`${err.position.line}:${err.position.column}`).toBe(lineCol);
    expect(err.message).toBe(`${lineCol}: parse error: ${detail}`);
    const [line, col] = lineCol.split(':').map(Number) as [number, number];
    const lines = text.split('\n');
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + col - 1;
    expect(err.position.offset).toBe(offset);
  });
});

const accepted: [string, string][] = [
  ['0x1f', 'number'],
  ['010', 'number'],
  ['1e3', 'number'],
  ['.5', 'number'],
  ['2.', 'number'],
  ['nAn', 'number'],
  ['-Inf', 'number'],
  ['"a\\tb"', 'string'],
  ['`raw\\n`', 'string'],
  ['x[5m]', 'history'],
  ['rate(x[5m])', 'call'],
  ['x offset 5m', 'history'],
  ['x @ 100', 'history'],
  ['x[5m:1m]', 'history'],
  ['day_of_week()', 'call'],
  ['sum by (a) (x) + ignoring (b) y', 'binary'],
  ['sum(x) by (a,)', 'aggregate'],
  ['a > bool 1', 'binary'],
  ['{"my.metric", a="b"}', 'selector'],
  ['x # trailing comment', 'selector'],
  ['histogram_quantile(0.9, sum by (le) (x_bucket))', 'call'],
];

describe('parseExpr accepts valid PromQL', () => {
  it.each(accepted)('%j → %s', (text, kind) => {
    expect(parseExpr(text).kind).toBe(kind);
  });

  it.each([
    ['010', 8],
    ['0x1f', 31],
    ['1e3', 1000],
    ['2.', 2],
    ['- 1', -1],
    ['5m', 300],
    ['1_000', 1000],
  ])('number literal %j is %d', (text, value) => {
    const e = parseExpr(text);
    expect(e.kind === 'number' ? e.value : undefined).toBe(value);
  });

  it('binds offset to the nearest selector, not the whole binary expression', () => {
    const e = parseExpr('a or b offset 5m');
    expect(e.kind).toBe('binary');
    if (e.kind !== 'binary') return;
    expect(e.lhs.kind).toBe('selector');
    expect(e.rhs.kind).toBe('history');
  });

  it('turns set operators into many-to-many matching and keeps group_left labels', () => {
    const set = parseExpr('a and on(x) b');
    expect(set.kind === 'binary' ? set.matching : undefined).toEqual({
      card: 'many-to-many',
      on: true,
      labels: ['x'],
      include: [],
    });
    const g = parseExpr('a * on(x) group_left(y, z) b');
    expect(g.kind === 'binary' ? g.matching : undefined).toEqual({
      card: 'many-to-one',
      on: true,
      labels: ['x'],
      include: ['y', 'z'],
    });
  });
});
