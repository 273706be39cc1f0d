import { describe, expect, it } from 'vitest';
import { formatFloat } from '../../src/go/format.js';
import { formatGoFloat, formatGoFloatV } from '../../src/go/numbers.js';
import { Rng } from '../differential/prng.js';

/** Doubles from every corner: random bit patterns, short decimals, and the usual edge values. */
function sampleDoubles(seed: number, n: number): number[] {
  const rng = new Rng(seed);
  const view = new DataView(new ArrayBuffer(8));
  const out = [
    0,
    -0,
    NaN,
    Infinity,
    -Infinity,
    5e-324,
    1.7976931348623157e308,
    1e21,
    1e-5,
    1e-4,
    123456,
    1e6,
  ];
  for (let i = 0; i < n; i++) {
    view.setUint32(0, rng.int(0, 0xffffffff));
    view.setUint32(4, rng.int(0, 0xffffffff));
    out.push(view.getFloat64(0), rng.int(-1e9, 1e9) / 10 ** rng.int(0, 12));
  }
  return out;
}

// formatGoFloat and formatGoFloatV are quick paths for the two shortest forms that PromQL prints on
// every sample; they must never drift from the general strconv.FormatFloat that printf uses.
describe('shortest float formatting agrees with strconv.FormatFloat', () => {
  const values = sampleDoubles(20240601, 20_000);

  it("formatGoFloat is FormatFloat(v, 'f', -1)", () => {
    const differ = values.filter((v) => formatGoFloat(v) !== formatFloat(v, 'f', -1));
    expect(differ).toEqual([]);
  });

  it("formatGoFloatV is FormatFloat(v, 'g', -1)", () => {
    const differ = values.filter((v) => formatGoFloatV(v) !== formatFloat(v, 'g', -1));
    expect(differ).toEqual([]);
  });
});
