/**
 * Go's fmt and strconv formatting for the values alert templates print. Prometheus renders `$value` and
 * `printf` output with Go's rules (shortest round-trip digits, exponent thresholds, round-half-even on exact
 * ties), which differ from JavaScript's String()/toFixed(), so the digits are computed here explicitly.
 */

/** Decimal digits of a finite non-negative number: value = 0.d1d2d3… × 10^dp. `digits` has no leading zeros. */
interface Decimal {
  digits: string;
  dp: number;
}

/** Shortest digits that read back as the same float64 (what Go's precision -1 produces). */
function shortestDecimal(abs: number): Decimal {
  if (abs === 0) return { digits: '', dp: 0 };
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(abs.toExponential());
  if (!m) throw new Error(`unexpected exponential form for ${abs}`);
  const digits = ((m[1] ?? '') + (m[2] ?? '')).replace(/0+$/, '');
  return { digits, dp: Number(m[3]) + 1 };
}

/** The exact decimal expansion of a float64 (every double has a finite one). */
function exactDecimal(abs: number): Decimal {
  if (abs === 0) return { digits: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, abs);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biased === 0) exp2 = -1074;
  else {
    mant |= 1n << 52n;
    exp2 = biased - 1075;
  }
  let intDigits: string;
  let fracLen = 0;
  if (exp2 >= 0) intDigits = (mant << BigInt(exp2)).toString();
  else {
    // m / 2^k = m·5^k / 10^k
    fracLen = -exp2;
    intDigits = (mant * 5n ** BigInt(fracLen)).toString();
  }
  const dp = intDigits.length - fracLen;
  const trimmed = intDigits.replace(/^0+/, '');
  const lead = intDigits.length - trimmed.length;
  return { digits: trimmed.replace(/0+$/, ''), dp: dp - lead };
}

/** Rounds to `n` significant digits, half to even on exact ties (the digits are exact). */
function roundDecimal(d: Decimal, n: number): Decimal {
  if (n < 0) return { digits: '', dp: d.dp };
  if (d.digits.length <= n) return d;
  const next = d.digits.charCodeAt(n) - 48;
  const rest = d.digits.slice(n + 1);
  const prevOdd = n > 0 && (d.digits.charCodeAt(n - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && (/[1-9]/.test(rest) || prevOdd));
  let kept = d.digits.slice(0, n);
  let dp = d.dp;
  if (up) {
    const arr = kept.split('').map(Number);
    let i = arr.length - 1;
    while (i >= 0 && arr[i] === 9) {
      arr[i] = 0;
      i--;
    }
    if (i < 0) {
      arr.unshift(1);
      arr.pop();
      dp++;
      if (arr.length === 0) {
        arr.push(1);
      }
    } else arr[i] = (arr[i] ?? 0) + 1;
    kept = arr.join('');
  }
  return { digits: kept.replace(/0+$/, ''), dp };
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? (d.digits[i] as string) : '0';
}

function fmtE(d: Decimal, prec: number, upper: boolean): string {
  let s = d.digits.length === 0 ? '0' : digitAt(d, 0);
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(d, i);
  }
  const exp = d.digits.length === 0 ? 0 : d.dp - 1;
  const e = Math.abs(exp);
  return s + (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + (e < 10 ? '0' : '') + String(e);
}

function fmtF(d: Decimal, prec: number): string {
  let s = '';
  if (d.dp > 0) {
    for (let i = 0; i < d.dp; i++) s += digitAt(d, i);
  } else s = '0';
  if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) s += digitAt(d, d.dp + i);
  }
  return s;
}

/**
 * strconv.FormatFloat(v, fmt, prec, 64) for fmt ∈ e E f g G, prec -1 meaning "shortest". Specials print as
 * `NaN`, `+Inf`, `-Inf` (the sign flag of fmt decides the `+`; callers handle that).
 */
export function formatFloat(v: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const abs = Math.abs(v);
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(abs);
  } else {
    const exact = exactDecimal(abs);
    if (fmt === 'f') d = roundDecimal(exact, exact.dp + prec);
    else if (fmt === 'e' || fmt === 'E') d = roundDecimal(exact, prec + 1);
    else d = roundDecimal(exact, prec === 0 ? 1 : prec);
  }
  let out: string;
  if (fmt === 'e' || fmt === 'E') {
    out = fmtE(d, shortest ? Math.max(d.digits.length - 1, 0) : prec, fmt === 'E');
  } else if (fmt === 'f') {
    out = fmtF(d, shortest ? Math.max(d.digits.length - d.dp, 0) : prec);
  } else {
    let p = shortest ? d.digits.length : prec === 0 ? 1 : prec;
    let eprec = p;
    if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
    // Go decides the form with precision 6 when printing the shortest digits.
    if (shortest) eprec = 6;
    const exp = d.dp - 1;
    if (d.digits.length !== 0 && (exp < -4 || exp >= eprec)) {
      if (p > d.digits.length) p = d.digits.length;
      out = fmtE(d, Math.max(p - 1, 0), fmt === 'G');
    } else {
      if (p > d.dp) p = d.digits.length;
      out = fmtF(d, Math.max(p - d.dp, 0));
    }
  }
  return neg ? '-' + out : out;
}
