import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { parseGoDuration } from '../../src/wait/duration.js';

describe('parseGoDuration', () => {
  it.each([
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['300ms', 300],
    ['2m3.5s', 123_500],
    ['0', 0],
    ['1000us', 1],
    ['-1s', -1000],
  ])('%s = %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', '5', 'five minutes', '5 m', '1d', 'm', '-'])('rejects %j with a ConfigError', (text) => {
    expect(() => parseGoDuration(text, 'wait-timeout')).toThrow(ConfigError);
    expect(() => parseGoDuration(text, 'wait-timeout')).toThrow(/wait-timeout .* Go syntax/);
  });
});
