/**
 * The calendar fields Prometheus's date functions (`year()`, `minute()`, …) read from
 * `time.Unix(int64(v), 0).UTC()`, for every float, as Go computes them on amd64.
 *
 * Two Go behaviours matter beyond JavaScript's Date range (±8.64e12 s):
 * - `int64(v)` on amd64 is CVTTSD2SQ: truncation, and NaN, ±Inf or anything outside int64 becomes
 *   math.MinInt64. So `minute(vector(NaN))` is the minute of time.Unix(math.MinInt64, 0), which is
 *   292277026596-12-04 15:30:08 UTC, not NaN. (Other architectures convert differently; Prometheus on
 *   arm64 would saturate instead. We follow amd64, where the promtool oracle runs.)
 * - Go's time package counts seconds from an "absolute" epoch in year -292277022399 in a uint64, so the
 *   date of a Unix time is that of (sec + unixToAbsolute) mod 2**64 seconds after it: values near the int64
 *   limits wrap around instead of failing.
 */

const TWO63 = 2 ** 63;
const MIN_INT64 = -(1n << 63n);
const MOD64 = 1n << 64n;
/** Seconds from Go's absolute zero (Jan 1, year -292277022399) to the Unix epoch. */
const UNIX_TO_ABSOLUTE = 9223372028715321600n;
/** The absolute zero year is ≡ 1 (mod 400), so its calendar runs like the one from year 1. */
const ABSOLUTE_ZERO_YEAR = -292277022399;

/** Go's int64(f) on amd64 (CVTTSD2SQ): truncates; NaN and out-of-range values give math.MinInt64. */
export function goInt64(f: number): bigint {
  if (Number.isNaN(f) || f >= TWO63 || f < -TWO63) return MIN_INT64;
  return BigInt(Math.trunc(f));
}

export interface CivilTime {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday */
  weekday: number;
  /** 1–366 */
  yearDay: number;
  daysInMonth: number;
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334] as const;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** The UTC calendar fields of time.Unix(sec, 0) as Go computes them. */
export function goUnixCivil(sec: bigint): CivilTime {
  let abs = (sec + UNIX_TO_ABSOLUTE) % MOD64;
  if (abs < 0n) abs += MOD64;
  const days = Number(abs / 86400n); // < 2**64 / 86400, exact as a double
  const secOfDay = Number(abs % 86400n);
  // Absolute day 0 is a Monday.
  const weekday = (days + 1) % 7;
  // Civil date counted from 0001-01-01 (Hinnant's days-to-civil, shifted to start in March).
  const z = days + 306;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const cycleYear = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const leap = isLeap(cycleYear);
  const m0 = month - 1;
  return {
    year: cycleYear + ABSOLUTE_ZERO_YEAR - 1,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
    weekday,
    yearDay: (DAYS_BEFORE_MONTH[m0] as number) + day + (leap && month > 2 ? 1 : 0),
    daysInMonth: month === 2 && leap ? 29 : (DAYS_IN_MONTH[m0] as number),
  };
}

/** time.Time.String() for a UTC time: `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function formatGoTime(unixNanos: bigint): string {
  let secs = unixNanos / 1_000_000_000n;
  let nanos = unixNanos % 1_000_000_000n;
  if (nanos < 0n) {
    nanos += 1_000_000_000n;
    secs -= 1n;
  }
  const d = new Date(Number(secs) * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  let frac = '';
  if (nanos !== 0n) frac = '.' + nanos.toString().padStart(9, '0').replace(/0+$/, '');
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac} +0000 UTC`
  );
}
