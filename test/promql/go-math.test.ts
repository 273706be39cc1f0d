import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as goMath from '../../src/go/math.js';
import { goInt64, goUnixCivil } from '../../src/go/time.js';
import { formatGoFloatV } from '../../src/go/numbers.js';
import { PromQLError, SeriesStore, evaluateInstant, parseExpr } from '../../src/promql/index.js';

/**
 * Rows computed by Debian's promtool 2.42 (Go 1.19.8, linux/amd64 with FMA) through the differential
 * oracle: `[expr, input, value]` for `fn(m)` over a series holding `input`, `[expr, value]` for scalar
 * binary expressions. Non-finite numbers are spelled as strings.
 */
type Row = [string, number | string, number | string] | [string, number | string];
const TABLE = JSON.parse(readFileSync(new URL('./go-math-promtool.json', import.meta.url), 'utf8')) as Row[];

const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

const FUNCTIONS: Record<string, (x: number) => number> = {
  exp: goMath.exp,
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
  sqrt: Math.sqrt,
};

function bits(x: number): string {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return Number.isNaN(x) ? 'NaN' : v.getBigUint64(0).toString(16);
}

describe('Go math, bit for bit against promtool', () => {
  const empty = new SeriesStore([]);
  it.each(TABLE.map((r) => [r.map(String).join(' '), r] as const))('%s', (_name, row) => {
    if (row.length === 3) {
      const [expr, input, want] = row;
      const fn = FUNCTIONS[expr.slice(0, expr.indexOf('('))] as (x: number) => number;
      expect(bits(fn(num(input)))).toBe(bits(num(want)));
      // And through the evaluator.
      const store = new SeriesStore([{ labels: { __name__: 'm' }, samples: [{ t: 0, v: num(input) }] }]);
      const v = evaluateInstant(expr, store, 0);
      expect(v.type === 'vector' && bits(v.samples[0]?.value as number)).toBe(bits(num(want)));
    } else {
      const [expr, want] = row;
      const v = evaluateInstant(expr, empty, 0);
      expect(v.type === 'scalar' && bits(v.value)).toBe(bits(num(want)));
    }
  });

  it('keeps the amd64 Exp quirks: overflow decided on the rounded exponent, ties of k to even', () => {
    // 709.7·log2(e) rounds to k = 1024, which the assembly treats as overflow (the true value is finite).
    expect(goMath.exp(709.7)).toBe(Infinity);
    expect(goMath.exp(-Infinity)).toBe(0);
    expect(goMath.exp(-746)).toBe(0);
    expect(goMath.exp(-745)).toBe(5e-324);
    expect(goMath.exp(1)).toBe(2.718281828459045);
  });

  it('keeps Go special cases that JavaScript answers differently', () => {
    expect(goMath.pow(-1, Infinity)).toBe(1);
    expect(goMath.pow(1, NaN)).toBe(1);
    expect(goMath.pow(NaN, 0)).toBe(1);
    expect(goMath.pow(-8, 1 / 3)).toBeNaN();
    expect(goMath.mod(5, -3)).toBe(2);
    expect(goMath.mod(-5, 3)).toBe(-2);
    expect(goMath.mod(5, Infinity)).toBe(5);
    expect(goMath.mod(Infinity, 5)).toBeNaN();
    expect(Object.is(goMath.atan2(0, -0), Math.PI)).toBe(true);
    expect(goMath.log(-0)).toBe(-Infinity);
  });

  it('reduces huge trigonometric arguments with Payne–Hanek like Go', () => {
    // Values printed by Go: math.Sin(1e22), math.Cos(1e300), math.Tan(1<<29 + 0.5).
    expect(goMath.sin(1e22)).toBe(-0.8522008497671889);
    expect(goMath.cos(1e300)).toBe(-0.5753861119575491);
    expect(goMath.tan(2 ** 29 + 0.5)).toBe(0.1689095532372895);
  });

  it('emulates a correctly rounded fused multiply-add', () => {
    // (1 + 2**-52)(1 - 2**-52) = 1 - 2**-104: rounds to 1 unfused, and fma with -1 keeps the tail.
    expect(goMath.fma(1 + 2 ** -52, 1 - 2 ** -52, -1)).toBe(-(2 ** -104));
    expect(goMath.fma(2 ** 600, 2 ** 600, -Infinity)).toBe(-Infinity);
    expect(goMath.fma(3, 5e-324, 0)).toBe(1.5e-323);
    expect(goMath.fma(0.1, 10, -1)).toBe(5.551115123125783e-17);
  });
});

describe('Go time for date functions (values from promtool 2.42)', () => {
  const cases: [number, number[]][] = [
    // minute, hour, day_of_month, day_of_week, day_of_year, days_in_month, month, year
    [NaN, [30, 15, 4, 0, 339, 31, 12, 292277026596]],
    [9e18, [0, 16, 21, 6, 111, 30, 4, 285198648531]],
    [-9.2e18, [26, 12, 3, 2, 123, 31, 5, -291536392293]],
    [1e15, [46, 1, 5, 0, 187, 31, 7, 31690708]],
    [-1e15, [13, 22, 29, 0, 180, 30, 6, -31686769]],
    [0, [0, 0, 1, 4, 1, 31, 1, 1970]],
    [951782400, [0, 0, 29, 2, 60, 29, 2, 2000]],
    [-86401, [59, 23, 30, 2, 364, 31, 12, 1969]],
  ];
  it.each(cases)('time.Unix(int64(%s))', (v, want) => {
    const c = goUnixCivil(goInt64(v));
    expect([c.minute, c.hour, c.day, c.weekday, c.yearDay, c.daysInMonth, c.month, c.year]).toEqual(want);
  });

  it('converts like amd64 int64(f): NaN, ±Inf and out-of-range values become MinInt64', () => {
    for (const v of [NaN, Infinity, -Infinity, 2 ** 63, -(2 ** 64)]) expect(goInt64(v)).toBe(-(1n << 63n));
    expect(goInt64(-(2 ** 63))).toBe(-(1n << 63n));
    expect(goInt64(-2.9)).toBe(-2n);
  });

  it('applies to date functions in the evaluator', () => {
    const store = new SeriesStore([{ labels: { __name__: 'm' }, samples: [{ t: 0, v: NaN }] }]);
    const v = evaluateInstant('year(m)', store, 0);
    expect(v.type === 'vector' && v.samples[0]?.value).toBe(292277026596);
  });
});

describe('numbers running into words, as Prometheus lexes them', () => {
  it.each([
    ['3atan2 m', '1:1: parse error: bad number or duration syntax: "3"'],
    ['.5atan2 x', '1:1: parse error: bad number or duration syntax: ".5"'],
    ['1E2atan2(m)', '1:1: parse error: bad number or duration syntax: "1E2"'],
    ['m + 3and m', '1:5: parse error: bad number or duration syntax: "3"'],
    ['m[5mx]', '1:3: parse error: bad number or duration syntax: "5mx"'],
    ['m[5m1x]', '1:3: parse error: bad number or duration syntax: "5m1"'],
  ])('%s', (expr, message) => {
    expect(() => parseExpr(expr)).toThrow(PromQLError);
    expect(() => parseExpr(expr)).toThrow(message);
  });

  it.each(['m offset 5m', 'm[1h30m]', '0x1f + 1', '1e3 * m', '2. + 1', 'm4 + 3', 'm{a="3x"} + 3'])(
    'still accepts %s',
    (expr) => {
      expect(() => parseExpr(expr)).not.toThrow();
    },
  );
});

describe('topk/bottomk/limitk parameter range (Prometheus 3 order of checks)', () => {
  const store = new SeriesStore([{ labels: { __name__: 'm' }, samples: [{ t: 0, v: 1 }] }]);
  const message = (expr: string): string => {
    try {
      // limitk is experimental in Prometheus 3.16: refused unless enabled.
      evaluateInstant(expr, store, 0, { experimentalFunctions: true });
    } catch (e) {
      if (e instanceof PromQLError) return e.message;
      throw e;
    }
    return 'no error';
  };
  it('errors on NaN and on values from 2**63 - 1024 up, with Go %v numbers', () => {
    expect(message('topk(+Inf, m)')).toBe('Scalar value +Inf overflows int64');
    expect(message('topk(1e19, m)')).toBe('Scalar value 1e+19 overflows int64');
    expect(message('limitk(9223372036854774784, m)')).toBe(
      'Scalar value 9.223372036854775e+18 overflows int64',
    );
    expect(message('bottomk(NaN, m)')).toBe('Parameter value is NaN');
    expect(message('topk(NaN, nothing)')).toBe('Parameter value is NaN');
  });
  it('returns nothing for any k below one, -Inf included', () => {
    const v = evaluateInstant('bottomk(-Inf, m)', store, 0);
    expect(v.type === 'vector' && v.samples).toEqual([]);
    expect(message('topk(9223372036854773760, m)')).toBe('no error');
  });
  it('formats like Go %v', () => {
    expect(formatGoFloatV(123456)).toBe('123456');
    expect(formatGoFloatV(1234567)).toBe('1.234567e+06');
    expect(formatGoFloatV(0.0001)).toBe('0.0001');
    expect(formatGoFloatV(0.00001)).toBe('1e-05');
    expect(formatGoFloatV(-Infinity)).toBe('-Inf');
  });
});
