/**
 * Float helpers with Go's semantics where Prometheus relies on them and JavaScript's built-ins differ.
 */

/** Go's math.Max: +Inf wins over everything, NaN, then +0 over -0. (JavaScript's Math.max lets NaN win.) */
export function goMax(x: number, y: number): number {
  if (x === Infinity || y === Infinity) return Infinity;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0 && x === y) return Object.is(x, -0) ? y : x;
  return x > y ? x : y;
}

/** Go's math.Min: -Inf wins over everything, NaN, then -0 over +0. */
export function goMin(x: number, y: number): number {
  if (x === -Infinity || y === -Infinity) return -Infinity;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0 && x === y) return Object.is(x, -0) ? x : y;
  return x < y ? x : y;
}

const MIN_NORMAL = 2.2250738585072014e-308;

/** Prometheus's util/almost.Equal: equal within a relative tolerance, NaN equal to NaN. */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Go's strconv.ParseFloat(s, 64) for the texts it accepts without underscores: decimal, hexadecimal with a
 * `p` exponent, and inf/infinity/nan in any case. Undefined where Go returns an error (JavaScript's Number()
 * accepts blanks, `0x10` and the empty string).
 */
export function parseGoFloat(s: string): number | undefined {
  const sp = SPECIAL.exec(s);
  if (sp) {
    if ((sp[2] as string).toLowerCase() === 'nan') return NaN;
    return sp[1] === '-' ? -Infinity : Infinity;
  }
  if (DECIMAL.test(s)) return Number(s);
  const hx = HEX_FLOAT.exec(s);
  if (hx && (hx[2] !== '' || hx[3] !== '')) {
    const digits = (hx[2] as string) + (hx[3] as string);
    let mantissa = 0;
    for (const d of digits) mantissa = mantissa * 16 + parseInt(d, 16);
    const v = mantissa * 2 ** (Number(hx[4]) - 4 * (hx[3] as string).length);
    return hx[1] === '-' ? -v : v;
  }
  return undefined;
}
