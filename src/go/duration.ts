/**
 * The operator's `fmtDuration`: below one second the elapsed time is rounded to milliseconds,
 * otherwise to whole seconds, and then printed by Go's `time.Duration.String`.
 */
export function fmtDuration(ms: number): string {
  const rounded = ms < 1000 ? goRound(ms, 1) : goRound(ms, 1000);
  return goDurationString(rounded);
}

/** `time.Duration.Round`: halfway values round away from zero. */
function goRound(ms: number, step: number): number {
  return Math.sign(ms) * Math.floor(Math.abs(ms) / step + 0.5) * step;
}

/**
 * `time.Duration.String` for whole milliseconds, which is all `fmtDuration` can produce:
 * `0s`, `272ms`, `2s`, `1m5s`, `1h0m0s`.
 */
export function goDurationString(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  const frac = millis === 0 ? '' : `.${String(millis).padStart(3, '0').replace(/0+$/, '')}`;
  const secondsPart = `${seconds}${frac}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${secondsPart}`;
  if (minutes > 0) return `${sign}${minutes}m${secondsPart}`;
  return `${sign}${secondsPart}`;
}
