import { describe, expect, it } from 'vitest';
import { fmtDuration } from '../../src/go/duration.js';
import { goPlatform } from '../../src/go/platform.js';
import { formatSize } from '../../src/report/index.js';

// Expected strings are Go's: `fmt.Sprintf("%.1f %ciB", …)` rounds exact ties to even.
describe('formatSize', () => {
  it.each([
    [0, ''],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1126, '1.1 KiB'],
    [1152, '1.1 KiB'], // 1.125: not a tie at one decimal
    [1280, '1.2 KiB'], // 1.25: tie, to even (JS toFixed says 1.3)
    [1331, '1.3 KiB'],
    [1792, '1.8 KiB'], // 1.75: tie, to even upwards
    [3328, '3.2 KiB'], // 3.25: tie, to even
    [1048575, '1024.0 KiB'], // the unit loop divides by 1024 only while the quotient reaches 1024
    [1048576, '1.0 MiB'],
    [1310720, '1.2 MiB'], // 1.25 MiB: tie
    [3879731, '3.7 MiB'],
    [16462643, '15.7 MiB'],
    [1073741824, '1.0 GiB'],
    [5 * 1024 ** 4 + 512 * 1024 ** 3, '5.5 TiB'],
    [2 ** 60, '1.0 EiB'],
  ])('%d bytes -> %j', (bytes, want) => {
    expect(formatSize(bytes)).toBe(want);
  });
});

// Go: under 1 s `d.Round(time.Millisecond).String()`, else `d.Round(time.Second).String()`.
describe('fmtDuration', () => {
  it.each([
    [0, '0s'],
    [0.4, '0s'],
    [0.5, '1ms'], // Round goes half away from zero
    [272.4, '272ms'],
    [999.4, '999ms'],
    [999.6, '1s'],
    [1000, '1s'],
    [1499, '1s'],
    [1500, '2s'],
    [59_600, '1m0s'],
    [65_000, '1m5s'],
    [3_600_000, '1h0m0s'],
    [3_723_000, '1h2m3s'],
  ])('%d ms -> %s', (ms, want) => {
    expect(fmtDuration(ms)).toBe(want);
  });
});

describe('goPlatform', () => {
  it.each([
    ['linux', 'x64', 'linux/amd64'],
    ['linux', 'arm64', 'linux/arm64'],
    ['darwin', 'arm64', 'darwin/arm64'],
    ['win32', 'x64', 'windows/amd64'],
    ['linux', 'ia32', 'linux/386'],
    ['freebsd', 'riscv64', 'freebsd/riscv64'],
  ])('%s %s -> %s', (platform, arch, want) => {
    expect(goPlatform(platform, arch)).toBe(want);
  });
});
