/**
 * Go's `time.ParseDuration` for the `wait-timeout` input: a sequence of decimal numbers with units
 * (`300ms`, `1.5h`, `1h30m`), so the action accepts what Flux's own `--timeout` flags accept.
 */
import { ConfigError } from '../errors.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds of a Go duration; throws a ConfigError naming `what` when it is not one. */
export function parseGoDuration(text: string, what = 'duration'): number {
  const s = text.trim();
  const fail = (): never => {
    throw new ConfigError(`${what} "${text}" is not a duration: use Go syntax such as 90s, 5m or 1h30m`);
  };
  if (s === '0') return 0;
  let i = 0;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (i >= s.length) fail();
  let total = 0;
  while (i < s.length) {
    PART.lastIndex = i;
    const m = PART.exec(s);
    if (!m) return fail();
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    i = PART.lastIndex;
  }
  return sign * total;
}
