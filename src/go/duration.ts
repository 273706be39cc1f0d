/**
 * Durations as Go and Prometheus read and print them: Prometheus's `model.ParseDuration` (PromQL,
 * rule files, templates), Go's `time.ParseDuration` (action and CLI timeouts), `time.Duration.String`
 * (templates, the operator's report message, wait logs).
 */

/**
 * The operator's `fmtDuration`: below one second the elapsed time is rounded to milliseconds,
 * otherwise to whole seconds, and then printed by Go's `time.Duration.String`.
 */
export function fmtDuration(ms: number): string {
  const rounded = ms < 1000 ? goRound(ms, 1) : goRound(ms, 1000);
  return formatGoDuration(BigInt(rounded) * 1_000_000n);
}

/** `time.Duration.Round`: halfway values round away from zero. */
function goRound(ms: number, step: number): number {
  return Math.sign(ms) * Math.floor(Math.abs(ms) / step + 0.5) * step;
}

/** time.Duration.String(): `1h2m5s`, `1.5s`, `100ms`, `0s`. */
export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let out: string;
  if (u < 1_000_000_000n) {
    // Sub-second: one unit, fractional digits trimmed.
    let unit: string;
    let scale: bigint;
    if (u < 1_000n) {
      unit = 'ns';
      scale = 1n;
    } else if (u < 1_000_000n) {
      unit = 'µs';
      scale = 1_000n;
    } else {
      unit = 'ms';
      scale = 1_000_000n;
    }
    out = fracString(u, scale) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    out = fracString(u, 1_000_000_000n) + 's';
    if (h > 0n) out = `${h}h${m}m` + out;
    else if (m > 0n) out = `${m}m` + out;
  }
  return neg ? '-' + out : out;
}

function fracString(v: bigint, scale: bigint): string {
  const whole = v / scale;
  const rest = v % scale;
  if (rest === 0n) return whole.toString();
  const width = scale.toString().length - 1;
  return whole.toString() + '.' + rest.toString().padStart(width, '0').replace(/0+$/, '');
}

/**
 * Parses a Prometheus duration (`1y2w3d4h5m6s7ms`, units in that order, each at most once) to milliseconds,
 * as model.ParseDuration does. Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text);
  if (!m || text === '') return undefined;
  const units = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
  let total = 0;
  for (let i = 0; i < units.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) total += Number(part) * (units[i] as number);
  }
  // Go durations are int64 nanoseconds: beyond ~292 years model.ParseDuration says "out of range".
  return total > MAX_DURATION_MS ? undefined : total;
}

/** The longest duration Prometheus accepts, in milliseconds (2^63-1 ns). */
export const MAX_DURATION_MS = Math.floor((2 ** 63 - 1) / 1e6);

/** True when `text` has a duration's shape (units in order) whether or not it is in range. */
export function looksLikeDuration(text: string): boolean {
  return text !== '' && /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/.test(text);
}

/**
 * Go's `time.ParseDuration`, in milliseconds: signed decimal numbers with units (`300ms`, `1.5h`,
 * `1h30m`), a bare `0`, and nothing that would overflow Go's int64 nanoseconds. Undefined where Go
 * returns an error.
 */
export function parseTimeDuration(text: string): number | undefined {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  let i = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (i >= text.length) return undefined;
  let total = 0;
  while (i < text.length) {
    TIME_PART.lastIndex = i;
    const m = TIME_PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * (TIME_UNIT_MS[m[2] as string] as number);
    i = TIME_PART.lastIndex;
  }
  return total > MAX_TIME_DURATION_MS ? undefined : sign * total;
}

const TIME_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const TIME_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** 2^63-1 ns, unrounded: time.ParseDuration accepts up to the last nanosecond. */
const MAX_TIME_DURATION_MS = (2 ** 63 - 1) / 1e6;
