/**
 * The `wait-timeout` input and `--timeout` flag take Go durations (`300ms`, `1.5h`, `1h30m`) so that
 * they accept what Flux's own `--timeout` flags accept; this turns a bad one into input the user
 * must fix, with an example.
 */
import { ConfigError } from '../errors.js';
import { parseTimeDuration } from '../go/duration.js';

/** Milliseconds of a Go duration; throws a ConfigError naming `what` when it is not one. */
export function parseGoDuration(text: string, what = 'duration'): number {
  const ms = parseTimeDuration(text.trim());
  if (ms === undefined) {
    throw new ConfigError(`${what} "${text}" is not a duration: use Go syntax such as 90s, 5m or 1h30m`);
  }
  return ms;
}
