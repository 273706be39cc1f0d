/**
 * Go's `math` package, bit for bit, as Prometheus runs it on linux/amd64.
 *
 * Prometheus computes `^`, `%`, `atan2` and the math functions with Go's `math`, and V8's `Math` differs
 * from it in the last bit for many inputs (neither promises correct rounding). Agreeing with Prometheus
 * therefore means redoing Go's algorithms in the same operation order. Which implementation Go picks
 * matters: on amd64 `Exp` and `Log` are assembly (exp_amd64.s, log_amd64.s), `Sqrt`, `Floor`, `Ceil`,
 * `Trunc` are exact instructions, everything else is the portable Go code (Cephes/FDLIBM derived). The
 * assembly `Exp` uses fused multiply-adds when the CPU has AVX and FMA (every x86-64 since 2013, and the
 * machine our promtool oracle runs on); we reproduce that path. Go does not fuse `a*b+c` in ordinary code
 * on amd64, so everywhere else each operation rounds separately, as JavaScript's do.
 *
 * Verified against Go 1.26 on millions of inputs and against Debian's promtool 2.42 (Go 1.19.8) on the
 * regression and table tests; these functions did not change between those versions.
 *
 * Constants that Go writes as constant expressions (`4/Pi`, `1/Ln10`, `3*Pi/4`) are folded exactly by the
 * Go compiler and rounded once, which is not always what the same expression gives in floating point, so
 * they are spelled out from their bits.
 */

/* eslint-disable no-loss-of-precision -- constants are spelled as in Go's source (more digits than a float64
   holds); JavaScript and Go both round such literals correctly to the same float64. */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Index of the high 32 bits of a float64 in memory (little-endian hosts: 1).
const HI = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

function fromWords(hi: number, lo: number): number {
  u32[HI] = hi >>> 0;
  u32[LO] = lo >>> 0;
  return f64[0] as number;
}

function highWord(x: number): number {
  f64[0] = x;
  return u32[HI] as number;
}

function lowWord(x: number): number {
  f64[0] = x;
  return u32[LO] as number;
}

function fromBits(bits: bigint): number {
  return fromWords(Number(bits >> 32n), Number(bits & 0xffffffffn));
}

function toBits(x: number): bigint {
  f64[0] = x;
  return (BigInt(u32[HI] as number) << 32n) | BigInt(u32[LO] as number);
}

const PI = Math.PI;
const PI_2 = fromWords(0x3ff921fb, 0x54442d18);
const PI_4 = fromWords(0x3fe921fb, 0x54442d18);
const THREE_PI_4 = fromWords(0x4002d97c, 0x7f3321d2);
const FOUR_OVER_PI = fromWords(0x3ff45f30, 0x6dc9c883);
const INV_LN2 = fromWords(0x3ff71547, 0x652b82fe);
const INV_LN10 = fromWords(0x3fdbcb7b, 0x1526e50e);
const LN2 = fromWords(0x3fe62e42, 0xfefa39ef);
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/** 2**n for an integer n in [-1074, 1023], built from bits so it is exact. */
function pow2(n: number): number {
  if (n >= -1022) return fromWords((n + 1023) << 20, 0);
  const shift = n + 1074; // subnormal: a single mantissa bit
  return shift >= 32 ? fromWords(1 << (shift - 32), 0) : fromWords(0, 2 ** shift);
}

function signbit(x: number): boolean {
  return x < 0 || Object.is(x, -0) || (Number.isNaN(x) && highWord(x) >>> 31 === 1);
}

function copysign(x: number, sign: number): number {
  return signbit(x) === signbit(sign) ? x : -x;
}

/** frexp's exponent, returned beside the fraction without allocating a pair for every call. */
let frexpExp = 0;

/** Go's Frexp: f = frac × 2**exp with |frac| in [½, 1); subnormals are normalised first. */
export function frexp(f: number): number {
  frexpExp = 0;
  if (f === 0 || !Number.isFinite(f)) return f;
  let exp = 0;
  if (Math.abs(f) < SMALLEST_NORMAL) {
    f *= 2 ** 52;
    exp = -52;
  }
  const hi = highWord(f);
  frexpExp = exp + ((hi >>> 20) & 0x7ff) - 1022;
  return fromWords((hi & 0x800fffff) | (1022 << 20), lowWord(f));
}

/** Go's Ldexp: frac × 2**exp, with Go's own underflow handling (which rounds twice for subnormals). */
export function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  if (Math.abs(frac) < SMALLEST_NORMAL) {
    frac *= 2 ** 52;
    exp -= 52;
  }
  const hi = highWord(frac);
  exp += ((hi >>> 20) & 0x7ff) - 1023;
  if (exp < -1075) return copysign(0, frac);
  if (exp > 1023) return frac < 0 ? -Infinity : Infinity;
  let m = 1;
  if (exp < -1022) {
    exp += 53;
    m = 2 ** -53;
  }
  return m * fromWords((hi & 0x800fffff) | ((exp + 1023) << 20), lowWord(frac));
}

// ---------------------------------------------------------------------------------------------------
// Fused multiply-add, needed only because amd64 Exp uses VFMADD.

const SPLITTER = 134217729; // 2**27 + 1, Veltkamp

/**
 * a×b+c rounded once. Fast path: the exact product as a sum of two doubles (Dekker), the exact sum with c
 * (Knuth), and the two error terms added with round-to-odd so that the final rounding is not a double
 * rounding (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums", 2008). Operands whose
 * product could underflow or overflow the split go through exact BigInt arithmetic instead.
 */
export function fma(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a * b + c;
  // A finite product cannot overflow an infinite (or NaN) addend, though a*b alone might.
  if (!Number.isFinite(c)) return c;
  if (a === 0 || b === 0) return a * b + c;
  const p = a * b;
  const ap = Math.abs(p);
  if (!(ap > 2 ** -900 && ap < 2 ** 900 && Math.abs(a) < 2 ** 900 && Math.abs(b) < 2 ** 900)) {
    return fmaExact(a, b, c);
  }
  if (c !== 0 && Math.abs(c) < 2 ** -900) return fmaExact(a, b, c);
  // Exact product p + pe.
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pe = al * bl - (p - ah * bh - al * bh - ah * bl);
  // Exact sum s + se = c + p.
  const s = c + p;
  const bv = s - c;
  const se = c - (s - bv) + (p - bv);
  // Round-to-odd of se + pe.
  const v = se + pe;
  const vb = v - se;
  const ve = se - (v - vb) + (pe - vb);
  let odd = v;
  if (ve !== 0 && (lowWord(v) & 1) === 0) odd = nextToward(v, ve);
  return s + odd;
}

function nextToward(x: number, direction: number): number {
  if (x === 0) return direction > 0 ? 5e-324 : -5e-324;
  const bits = toBits(x);
  const away = x > 0 === direction > 0;
  return fromBits(away ? bits + 1n : bits - 1n);
}

/** x = m × 2**e with an integer mantissa m (BigInt, signed). */
function decompose(x: number): { m: bigint; e: number } {
  const bits = toBits(Math.abs(x));
  const biased = Number(bits >> 52n);
  let m = bits & 0xfffffffffffffn;
  let e: number;
  if (biased === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  return { m: x < 0 ? -m : m, e };
}

function fmaExact(a: number, b: number, c: number): number {
  const da = decompose(a);
  const db = decompose(b);
  const dc = decompose(c);
  const pm = da.m * db.m;
  const pe = da.e + db.e;
  const e = Math.min(pe, dc.e);
  const sum = (pm << BigInt(pe - e)) + (dc.m << BigInt(dc.e - e));
  if (sum === 0n) return a * b + c; // the sign of an exact zero follows IEEE rules
  return roundScaled(sum, e);
}

/** The double nearest to m × 2**e (ties to even), including subnormal and overflowing results. */
function roundScaled(m: bigint, e: number): number {
  const negative = m < 0n;
  let mag = negative ? -m : m;
  const top = mag.toString(2).length - 1 + e; // exponent of the leading bit
  const quantum = Math.max(top - 52, -1074);
  if (e < quantum) {
    const shift = BigInt(quantum - e);
    const half = 1n << (shift - 1n);
    const rest = mag & ((1n << shift) - 1n);
    mag >>= shift;
    if (rest > half || (rest === half && (mag & 1n) === 1n)) mag += 1n;
    e = quantum;
  }
  // mag now fits 54 bits, so Number(mag) is exact; scale in two exact steps.
  let r = Number(mag);
  if (e > 900) r = r * 2 ** 900 * 2 ** (e - 900);
  else if (e < -900) r = r * 2 ** (e + 600) * 2 ** -600;
  else r *= 2 ** e;
  return negative ? -r : r;
}

// ---------------------------------------------------------------------------------------------------
// Exp and Log: the amd64 assembly.

const LOG2E = 1.442695040888963407359924681001892;
const LN2U = 0.69314718055966295651160180568695068359375;
const LN2L = 0.28235290563031577122588448175013436025525412068e-12;
const EXP_OVERFLOW = 7.09782712893384e2;

/** CVTSD2SL: round to nearest even, out-of-range and NaN give the "integer indefinite" -2**31. */
function cvtsd2sl(t: number): number {
  let r = Math.round(t);
  if (r - t === 0.5 && r % 2 !== 0) r -= 1;
  return r >= -2147483648 && r <= 2147483647 ? r : -2147483648;
}

/**
 * exp_amd64.s (Shibata's method from SLEEF): reduce by k·ln2 with k rounded to even, scale by 1/16, a
 * Taylor polynomial for e**r − 1, square four times as y·(y+2), then multiply in 2**k.
 */
export function exp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === -Infinity) return 0;
  if (x > EXP_OVERFLOW) return Infinity;
  let bx = cvtsd2sl(x * LOG2E);
  const k = bx;
  let r = fma(-k, LN2U, x);
  r = fma(-k, LN2L, r);
  r *= 0.0625;
  let p = 2.4801587301587301587e-5;
  p = fma(p, r, 1.984126984126984127e-4);
  p = fma(p, r, 1.3888888888888888889e-3);
  p = fma(p, r, 8.3333333333333333333e-3);
  p = fma(p, r, 4.1666666666666666667e-2);
  p = fma(p, r, 1.6666666666666666667e-1);
  p = fma(p, r, 0.5);
  p = fma(p, r, 1.0);
  r *= p;
  for (let i = 0; i < 3; i++) r *= r + 2;
  r = fma(r, r + 2, 1.0);
  bx += 0x3ff;
  if (bx <= 0) {
    if (bx < -52) return 0;
    r *= pow2(bx + 0x3fe - 1023);
    bx = 1;
  } else if (bx >= 0x7ff) return Infinity;
  return r * pow2(bx - 1023);
}

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const HSQRT2 = 7.07106781186547524401e-1;
const L1 = 6.66666666666673513e-1;
const L2 = 3.999999999940941908e-1;
const L3 = 2.857142874366239149e-1;
const L4 = 2.222219843214978396e-1;
const L5 = 1.818357216161805012e-1;
const L6 = 1.531383769920937332e-1;
const L7 = 1.479819860511658591e-1;

/**
 * log_amd64.s: FDLIBM's log with the same operation order as Go's log.go, except that its inline frexp
 * does not normalise subnormals (their exponent field is read as is), which we keep.
 */
export function log(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x === 0) return -Infinity;
  if (x < 0) return NaN;
  if (x === Infinity) return x;
  const hi = highWord(x);
  let f1 = fromWords((hi & 0x000fffff) | 0x3fe00000, lowWord(x));
  let k = ((hi >>> 20) & 0x7ff) - 0x3fe;
  if (f1 < HSQRT2) {
    k -= 1;
    f1 *= 2;
  }
  const f = f1 - 1;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
  const t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
  const R = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

export function log2(x: number): number {
  const frac = frexp(x);
  const e = frexpExp;
  if (frac === 0.5) return e - 1;
  return log(frac) * INV_LN2 + e;
}

export function log10(x: number): number {
  return log(x) * INV_LN10;
}

const SQRT2M1 = 4.142135623730950488017e-1;
const SQRT2HALFM1 = -2.928932188134524755992e-1;

/** Go's log1p.go (FDLIBM s_log1p.c). */
export function log1p(x: number): number {
  if (x < -1 || Number.isNaN(x)) return NaN;
  if (x === -1) return -Infinity;
  if (x === Infinity) return Infinity;
  const absx = Math.abs(x);
  let f = 0;
  // Go's iu (FDLIBM's hu) is only ever tested for zero below.
  let iuZero = true;
  let k = 1;
  if (absx < SQRT2M1) {
    if (absx < 2 ** -29) {
      if (absx < 2 ** -54) return x;
      return x - x * x * 0.5;
    }
    if (x > SQRT2HALFM1) {
      k = 0;
      f = x;
      iuZero = false;
    }
  }
  let c = 0;
  if (k !== 0) {
    let u: number;
    if (absx < 2 ** 53) {
      u = 1.0 + x;
      k = ((highWord(u) >>> 20) & 0x7ff) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
      c /= u;
    } else {
      u = x;
      k = ((highWord(u) >>> 20) & 0x7ff) - 1023;
      c = 0;
    }
    // Go keeps the whole 52-bit mantissa in iu; compare it with Sqrt(2)'s mantissa 0x6a09e667f3bcd.
    const mhi = highWord(u) & 0x000fffff;
    const mlo = lowWord(u);
    const lessThanSqrt2 = mhi < 0x6a09e || (mhi === 0x6a09e && mlo < 0x667f3bcd);
    if (lessThanSqrt2) {
      u = fromWords(mhi | 0x3ff00000, mlo);
      iuZero = mhi === 0 && mlo === 0;
    } else {
      k++;
      u = fromWords(mhi | 0x3fe00000, mlo);
      // iu = (2**52 - mantissa) >> 2, zero only for the three largest mantissas.
      iuZero = mhi === 0xfffff && mlo >= 0xfffffffd;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  if (iuZero) {
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const R = hfsq * (1.0 - 0.66666666666666666 * f);
    if (k === 0) return f - R;
    return k * LN2_HI - (R - (k * LN2_LO + c) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const R = z * (L1 + z * (L2 + z * (L3 + z * (L4 + z * (L5 + z * (L6 + z * L7))))));
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + (k * LN2_LO + c)) - f);
}

// ---------------------------------------------------------------------------------------------------
// Trigonometry (Cephes, with Payne–Hanek reduction above 2**29).

const PI4A = 7.85398125648498535156e-1;
const PI4B = 3.77489470793079817668e-8;
const PI4C = 2.69515142907905952645e-15;
const REDUCE_THRESHOLD = 2 ** 29;

const SIN = [
  1.5896230157654656806e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6,
  -1.98412698295895385996e-4, 8.33333333332211858878e-3, -1.66666666666666307295e-1,
] as const;
const COS = [
  -1.135853652138768173e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7, 2.48015872888517045348e-5,
  -1.38888888888730564116e-3, 4.16666666666665929218e-2,
] as const;

/** 4/π in binary, 64 bits a word, for the Payne–Hanek reduction. */
const M_PI4 = [
  0x0000000000000001n,
  0x45f306dc9c882a53n,
  0xf84eafa3ea69bb81n,
  0xb6c52b3278872083n,
  0xfca2c757bd778ac3n,
  0x6e48dc74849ba5c0n,
  0x0c925dd413a32439n,
  0xfc3bd63962534e7dn,
  0xd1046bea5d768909n,
  0xd338e04d68befc82n,
  0x7323ac7306a673e9n,
  0x3908bf177bf25076n,
  0x3ff12fffbc0b301fn,
  0xde5e2316b414da3en,
  0xda6cfd9e4f96136en,
  0x9e8c7ecd3cbfd45an,
  0xea4f758fd7cbe2f6n,
  0x7a0e73ef14a525d4n,
  0xd7f6bf623f1aba10n,
  0xac06608df8f6d757n,
] as const;
const MASK64 = (1n << 64n) - 1n;

/** Go's uint64 shifts: a count of 64 or more gives 0. */
function shl(x: bigint, n: number): bigint {
  return n >= 64 || n < 0 ? 0n : (x << BigInt(n)) & MASK64;
}
function shr(x: bigint, n: number): bigint {
  return n >= 64 || n < 0 ? 0n : x >> BigInt(n);
}

/** trigReduce's octant, returned beside the reduced argument. */
let reducedOctant = 0;

/** trig_reduce.go: x mod π/4 for x ≥ 2**29 with 4/π to 1216 bits; returns z, sets the octant. */
function trigReduce(x: number): number {
  if (x < PI_4) {
    reducedOctant = 0;
    return x;
  }
  let ix = toBits(x);
  const exp = Number((ix >> 52n) & 0x7ffn) - 1023 - 52;
  ix = (ix & 0xfffffffffffffn) | (1n << 52n);
  const digit = Math.floor((exp + 61) / 64);
  const bitshift = (exp + 61) % 64;
  const word = (i: number): bigint => M_PI4[i] as bigint;
  const z0 = shl(word(digit), bitshift) | shr(word(digit + 1), 64 - bitshift);
  const z1 = shl(word(digit + 1), bitshift) | shr(word(digit + 2), 64 - bitshift);
  const z2 = shl(word(digit + 2), bitshift) | shr(word(digit + 3), 64 - bitshift);
  const z2hi = (z2 * ix) >> 64n;
  const z1full = z1 * ix;
  const z1hi = z1full >> 64n;
  const z1lo = z1full & MASK64;
  const z0lo = (z0 * ix) & MASK64;
  const loSum = z1lo + z2hi;
  const lo = loSum & MASK64;
  const carry = loSum >> 64n;
  let hi = (z0lo + z1hi + carry) & MASK64;
  let j = Number(hi >> 61n);
  hi = shl(hi, 3) | shr(lo, 61);
  const lz = hi === 0n ? 64 : 64 - hi.toString(2).length;
  const e = BigInt(1023 - (lz + 1)) & MASK64;
  hi = shl(hi, lz + 1) | shr(lo, 64 - (lz + 1));
  hi >>= 12n;
  hi = (hi | (e << 52n)) & MASK64;
  let z = fromBits(hi);
  if ((j & 1) === 1) {
    j = (j + 1) & 7;
    z--;
  }
  reducedOctant = j;
  return z * PI_4;
}

/** The reduced argument z shared by sin, cos and tan; sets the octant j (made even; mod 8 unless tan). */
function reduce(x: number, mod8: boolean): number {
  if (x >= REDUCE_THRESHOLD) return trigReduce(x);
  let j = Math.trunc(x * FOUR_OVER_PI);
  let y = j;
  if (j % 2 === 1) {
    j++;
    y++;
  }
  reducedOctant = mod8 ? j % 8 : j;
  return x - y * PI4A - y * PI4B - y * PI4C;
}

function sinPoly(z: number, zz: number): number {
  return z + z * zz * (((((SIN[0] * zz + SIN[1]) * zz + SIN[2]) * zz + SIN[3]) * zz + SIN[4]) * zz + SIN[5]);
}

function cosPoly(zz: number): number {
  return (
    1.0 -
    0.5 * zz +
    zz * zz * (((((COS[0] * zz + COS[1]) * zz + COS[2]) * zz + COS[3]) * zz + COS[4]) * zz + COS[5])
  );
}

export function sin(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  const z = reduce(x, true);
  let j = reducedOctant;
  if (j > 3) {
    sign = !sign;
    j -= 4;
  }
  const zz = z * z;
  const y = j === 1 || j === 2 ? cosPoly(zz) : sinPoly(z, zz);
  return sign ? -y : y;
}

export function cos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  let sign = false;
  x = Math.abs(x);
  const z = reduce(x, true);
  let j = reducedOctant;
  if (j > 3) {
    j -= 4;
    sign = !sign;
  }
  if (j > 1) sign = !sign;
  const zz = z * z;
  const y = j === 1 || j === 2 ? sinPoly(z, zz) : cosPoly(zz);
  return sign ? -y : y;
}

const TAN_P = [-1.30936939181383777646e4, 1.1535166483858741614e6, -1.79565251976484877988e7] as const;
const TAN_Q = [
  1.0, 1.36812963470692954678e4, -1.32089234440210967447e6, 2.50083801823357915839e7,
  -5.38695755929454629881e7,
] as const;

export function tan(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  // tan does not reduce the octant mod 8 (only its bit 1 is used).
  const z = reduce(x, false);
  const j = reducedOctant;
  const zz = z * z;
  let y =
    zz > 1e-14
      ? z +
        z *
          ((zz * ((TAN_P[0] * zz + TAN_P[1]) * zz + TAN_P[2])) /
            ((((zz + TAN_Q[1]) * zz + TAN_Q[2]) * zz + TAN_Q[3]) * zz + TAN_Q[4]))
      : z;
  if ((j & 2) === 2) y = -1 / y;
  return sign ? -y : y;
}

function xatan(x: number): number {
  const P0 = -8.750608600031904122785e-1;
  const P1 = -1.615753718733365076637e1;
  const P2 = -7.50085579231470466734e1;
  const P3 = -1.22886668449013617341e2;
  const P4 = -6.485021904942025371773e1;
  const Q0 = 2.485846490142306297962e1;
  const Q1 = 1.650270098316988542046e2;
  const Q2 = 4.328810604912902668951e2;
  const Q3 = 4.853903996359136964868e2;
  const Q4 = 1.945506571482613964425e2;
  let z = x * x;
  z =
    (z * ((((P0 * z + P1) * z + P2) * z + P3) * z + P4)) /
    (((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4);
  return x * z + x;
}

const MOREBITS = 6.12323399573676588613e-17;
const TAN3PIO8 = 2.4142135623730950488;

function satan(x: number): number {
  if (x <= 0.66) return xatan(x);
  if (x > TAN3PIO8) return PI_2 - xatan(1 / x) + MOREBITS;
  return PI_4 + xatan((x - 1) / (x + 1)) + 0.5 * MOREBITS;
}

export function atan(x: number): number {
  if (x === 0) return x;
  return x > 0 ? satan(x) : -satan(-x);
}

export function asin(x: number): number {
  if (x === 0) return x;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  if (x > 1) return NaN;
  let temp = Math.sqrt(1 - x * x);
  temp = x > 0.7 ? PI_2 - satan(temp / x) : satan(x / temp);
  return sign ? -temp : temp;
}

export function acos(x: number): number {
  return PI_2 - asin(x);
}

export function atan2(y: number, x: number): number {
  if (Number.isNaN(y) || Number.isNaN(x)) return NaN;
  if (y === 0) return x >= 0 && !signbit(x) ? copysign(0, y) : copysign(PI, y);
  if (x === 0) return copysign(PI_2, y);
  if (!Number.isFinite(x)) {
    if (x === Infinity) return Number.isFinite(y) ? copysign(0, y) : copysign(PI_4, y);
    return Number.isFinite(y) ? copysign(PI, y) : copysign(THREE_PI_4, y);
  }
  if (!Number.isFinite(y)) return copysign(PI_2, y);
  const q = atan(y / x);
  if (x < 0) return q <= 0 ? q + PI : q - PI;
  return q;
}

// ---------------------------------------------------------------------------------------------------
// Hyperbolic functions.

export function sinh(x: number): number {
  const P0 = -0.6307673640497716991184787251e6;
  const P1 = -0.8991272022039509355398013511e5;
  const P2 = -0.2894211355989563807284660366e4;
  const P3 = -0.2630563213397497062819489e2;
  const Q0 = -0.6307673640497716991212077277e6;
  const Q1 = 0.1521517378790019070696485176e5;
  const Q2 = -0.173678953558233699533450911e3;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  let temp: number;
  if (x > 21) temp = exp(x) * 0.5;
  else if (x > 0.5) {
    const ex = exp(x);
    temp = (ex - 1 / ex) * 0.5;
  } else {
    const sq = x * x;
    temp = (((P3 * sq + P2) * sq + P1) * sq + P0) * x;
    temp = temp / (((sq + Q2) * sq + Q1) * sq + Q0);
  }
  return sign ? -temp : temp;
}

export function cosh(x: number): number {
  x = Math.abs(x);
  if (x > 21) return exp(x) * 0.5;
  const ex = exp(x);
  return (ex + 1 / ex) * 0.5;
}

const TANH_P = [-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3] as const;
const TANH_Q = [1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3] as const;

export function tanh(x: number): number {
  const MAXLOG = 8.8029691931113054295988e1;
  let z = Math.abs(x);
  if (z > 0.5 * MAXLOG) return x < 0 ? -1 : 1;
  if (z >= 0.625) {
    const s = exp(2 * z);
    z = 1 - 2 / (s + 1);
    return x < 0 ? -z : z;
  }
  if (x === 0) return x;
  const s = x * x;
  return (
    x +
    (x * s * ((TANH_P[0] * s + TANH_P[1]) * s + TANH_P[2])) /
      (((s + TANH_Q[0]) * s + TANH_Q[1]) * s + TANH_Q[2])
  );
}

export function asinh(x: number): number {
  const Ln2 = 6.93147180559945286227e-1;
  if (!Number.isFinite(x)) return x;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  let temp: number;
  if (x > 2 ** 28) temp = log(x) + Ln2;
  else if (x > 2) temp = log(2 * x + 1 / (Math.sqrt(x * x + 1) + x));
  else if (x < 2 ** -28) temp = x;
  else temp = log1p(x + (x * x) / (1 + Math.sqrt(1 + x * x)));
  return sign ? -temp : temp;
}

export function acosh(x: number): number {
  if (x < 1 || Number.isNaN(x)) return NaN;
  if (x === 1) return 0;
  if (x >= 2 ** 28) return log(x) + LN2;
  if (x > 2) return log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
  const t = x - 1;
  return log1p(t + Math.sqrt(2 * t + t * t));
}

export function atanh(x: number): number {
  if (x < -1 || x > 1 || Number.isNaN(x)) return NaN;
  if (x === 1) return Infinity;
  if (x === -1) return -Infinity;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  let temp: number;
  if (x < 2 ** -28) temp = x;
  else if (x < 0.5) {
    temp = x + x;
    temp = 0.5 * log1p(temp + (temp * x) / (1 - x));
  } else temp = 0.5 * log1p((x + x) / (1 - x));
  return sign ? -temp : temp;
}

// ---------------------------------------------------------------------------------------------------
// Pow and Mod.

function isOddInt(x: number): boolean {
  if (Math.abs(x) >= 2 ** 53) return false;
  return Number.isInteger(x) && x % 2 !== 0;
}

/** Go's Pow: x**yf through Exp(yf·Log(x)), x**yi by repeated squaring of frexp's fraction. */
export function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0) {
    if (y < 0) return signbit(x) && isOddInt(y) ? -Infinity : Infinity;
    return signbit(x) && isOddInt(y) ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    return Math.abs(x) < 1 === (y === Infinity) ? 0 : Infinity;
  }
  if (!Number.isFinite(x)) {
    if (x === -Infinity) return pow(1 / x, -y);
    return y < 0 ? 0 : Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);

  const ay = Math.abs(y);
  let yi = Math.trunc(ay);
  let yf = ay - yi;
  if (yf !== 0 && x < 0) return NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    return Math.abs(x) < 1 === y > 0 ? 0 : Infinity;
  }
  let a1 = 1.0;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = exp(yf * log(x));
  }
  let x1 = frexp(x);
  let xe = frexpExp;
  // yi < 2**63 is an integer-valued double: halving with floor is int64's >>= 1 on it.
  for (let i = yi; i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe *= 2;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

/** Go's Mod: the remainder with the sign of x, by repeated subtraction of scaled y. */
export function mod(x: number, y: number): number {
  if (y === 0 || !Number.isFinite(x) || Number.isNaN(y)) return NaN;
  y = Math.abs(y);
  const yfr = frexp(y);
  const yexp = frexpExp;
  let r = x < 0 ? -x : x;
  while (r >= y) {
    const rfr = frexp(r);
    let rexp = frexpExp;
    if (rfr < yfr) rexp--;
    r = r - ldexp(y, rexp - yexp);
  }
  return x < 0 ? -r : r;
}
