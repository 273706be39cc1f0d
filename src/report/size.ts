/**
 * Go's `formatSize` from the operator: IEC units with one decimal. Go's `%.1f` rounds the exact
 * binary value and breaks exact ties to even, while JS `toFixed` breaks them upwards (1280 B would
 * become `1.3 KiB` instead of `1.2 KiB`), so the rounding is done here in integers.
 */
export function formatSize(bytes: number): string {
  if (bytes === 0) return '';
  const unit = 1024;
  if (bytes < unit) return `${bytes} B`;
  let div = unit;
  let exp = 0;
  for (let n = Math.floor(bytes / unit); n >= unit; n = Math.floor(n / unit)) {
    div *= unit;
    exp++;
  }
  // BigInt keeps bytes*10 exact beyond 2^53 / 10.
  const scaled = BigInt(bytes) * 10n;
  const divisor = BigInt(div);
  let tenths = scaled / divisor;
  const twiceRemainder = (scaled % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && tenths % 2n === 1n)) tenths += 1n;
  return `${tenths / 10n}.${tenths % 10n} ${'KMGTPE'[exp]}iB`;
}
