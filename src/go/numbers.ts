/**
 * Number parsing and formatting with Go semantics, because PromQL numbers and the values Prometheus prints
 * follow Go's strconv rather than JavaScript's Number().
 */

/**
 * Parses a PromQL number literal like Prometheus: strconv.ParseInt(s, 0, 64) first (so `0x1f` is hex and a
 * leading zero means octal: `010` = 8), then strconv.ParseFloat (decimals, exponents, Inf, NaN in any case,
 * `_` digit separators between digits). Returns undefined when neither accepts the text.
 */
export function parseGoNumber(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('+') || s.startsWith('-')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s.length === 0) return undefined;
  const int = parseGoInt(s);
  if (int !== undefined) return sign * int;
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (s.includes('_')) {
    // Go only accepts underscores in base-prefixed literals for ParseFloat; ParseInt(base 0) accepted the
    // decimal ones above, so any left here are misplaced.
    return undefined;
  }
  if (/^0[xX]/.test(s)) return parseHexFloat(s, sign);
  if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return sign * Number(s);
}

function parseGoInt(s: string): number | undefined {
  // base 0: underscores allowed only between digits (or after the base prefix).
  let digits = s;
  let base = 10;
  if (/^0[xX]/.test(s)) {
    base = 16;
    digits = s.slice(2);
  } else if (/^0[bB]/.test(s)) {
    base = 2;
    digits = s.slice(2);
  } else if (/^0[oO]/.test(s)) {
    base = 8;
    digits = s.slice(2);
  } else if (/^0[0-9_]/.test(s)) {
    base = 8;
    digits = s.slice(1);
  }
  if (digits.length === 0) return undefined;
  if (digits.includes('_')) {
    // Underscores must separate digits: no leading/trailing/double ones.
    const prefixed = base !== 10;
    if (!prefixed && !/^\d+(_\d+)*$/.test(digits)) return undefined;
    if (prefixed && !/^_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(digits)) return undefined;
    digits = digits.replace(/_/g, '');
  }
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^\d+$/;
  if (!valid.test(digits)) return undefined;
  const big = BigInt(base === 10 ? digits : (base === 16 ? '0x' : base === 8 ? '0o' : '0b') + digits);
  // ParseInt fails on int64 overflow, and then ParseFloat takes over (decimal only).
  if (big > 9223372036854775807n) return base === 10 ? Number(digits) : undefined;
  return Number(big);
}

function parseHexFloat(s: string, sign: number): number | undefined {
  const m = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const mant = parseInt((m[1] ?? '') + (m[2] ?? '') || '0', 16);
  return sign * mant * Math.pow(2, Number(m[3]) - 4 * (m[2] ?? '').length);
}

/**
 * Go strconv.FormatFloat(v, 'f', -1, 64): shortest digits that round-trip, never an exponent;
 * `+Inf`, `-Inf`, `NaN` for the specials. Prometheus uses it for API values and count_values labels.
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const exp = v.toExponential();
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(exp);
  if (!m) return String(v);
  const neg = m[1] ?? '';
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const e = Number(m[4]);
  const point = e + 1; // position of the decimal point within digits
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return neg + out;
}

/**
 * Go fmt's `%v` for a float64 (strconv 'g' with the shortest digits): exponent form when the decimal
 * exponent is below -4 or at least 6 (precision 6 decides for shortest output), with a sign and at least
 * two exponent digits: `1e+19`, `1.5e-07`, `123456`, `+Inf`. Prometheus prints error values this way.
 */
export function formatGoFloatV(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(v.toExponential());
  if (!m) return String(v);
  const e = Number(m[4]);
  if (e < -4 || e >= 6) {
    const mant = (m[2] ?? '') + (m[3] ? `.${m[3]}` : '');
    const exp = Math.abs(e).toString().padStart(2, '0');
    return `${m[1] ?? ''}${mant}e${e < 0 ? '-' : '+'}${exp}`;
  }
  return formatGoFloat(v);
}
