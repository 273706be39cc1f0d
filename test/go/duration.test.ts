import { describe, expect, it } from 'vitest';
import { fmtDuration, formatGoDuration, parseTimeDuration } from '../../src/go/duration.js';

// Expectations printed by Go 1.26's time.ParseDuration and time.Duration.String.
describe('time.ParseDuration', () => {
  it.each([
    ['1.5h', 5.4e6],
    ['300ms', 300],
    ['-1m', -60_000],
    ['+5s', 5000],
    ['-0', 0],
    ['+0', 0],
    ['0', 0],
    ['.5s', 500],
    ['1.s', 1000],
    ['1µs', 0.001],
    ['1us', 0.001],
    ['1ns', 1e-6],
    ['3h2m1.5s', 1.09215e7],
    ['2562047h47m16.854775807s', 9.223372036854775e12],
    ['2562047h47m17s', undefined],
    ['9999999999h', undefined],
    ['1e3s', undefined],
    ['5', undefined],
    ['', undefined],
    ['-', undefined],
    ['1h 30m', undefined],
    ['1d', undefined],
  ] as const)('%j → %s ms', (text, ms) => {
    const got = parseTimeDuration(text);
    if (ms === undefined) expect(got).toBeUndefined();
    else expect(got).toBeCloseTo(ms, 9);
  });
});

describe('time.Duration.String', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [999n, '999ns'],
    [1000n, '1µs'],
    [1500n, '1.5µs'],
    [999999n, '999.999µs'],
    [1000000n, '1ms'],
    [1001000n, '1.001ms'],
    [999999999n, '999.999999ms'],
    [1000000000n, '1s'],
    [1500000000n, '1.5s'],
    [61000000000n, '1m1s'],
    [3600000000000n, '1h0m0s'],
    [3661001000000n, '1h1m1.001s'],
    [-1500000000n, '-1.5s'],
    [9223372036854775807n, '2562047h47m16.854775807s'],
  ])('%s ns → %s', (nanos, want) => {
    expect(formatGoDuration(nanos)).toBe(want);
  });

  it('is what the operator’s fmtDuration prints after rounding', () => {
    expect(fmtDuration(272.4)).toBe('272ms');
    expect(fmtDuration(1_500)).toBe('2s');
    expect(fmtDuration(65_499)).toBe('1m5s');
  });
});
