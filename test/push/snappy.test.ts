/**
 * Our Snappy block encoder, round-tripped through a strict decoder written from the format
 * description (test/push/snappy-decode.ts), on the shapes that exercise each element: literals
 * around their length-byte boundaries, overlapping copies, copies longer than 64 bytes, inputs
 * spanning several 64 KiB blocks, incompressible bytes, and real metric payloads, which must
 * actually shrink. The real Prometheus decoding it is in test/push/servers.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildSeries, renderExposition } from '../../src/metrics/index.js';
import { encodeWriteRequest } from '../../src/push/protobuf.js';
import { writeSeries } from '../../src/push/remote-write.js';
import { snappyCompress } from '../../src/push/snappy.js';
import { Rng } from '../support/flux-objects.js';
import { syntheticInventory } from '../metrics/synthetic.js';
import { snappyDecode } from './snappy-decode.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function randomBytes(n: number, seed: string): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: n }, () => rng.uint32() & 255);
}

const NOW = new Date('2026-11-21T12:00:00Z');
const families = buildSeries(syntheticInventory(2000), {
  now: NOW,
  tool: { version: '0.1.0', platform: 'linux/amd64' },
});
const exposition = text(await renderExposition(families));
const protobuf = encodeWriteRequest(
  writeSeries(families, NOW.getTime(), { job: 'flux-health', cluster: 'c' }),
);

const CASES: Array<[string, Uint8Array]> = [
  ['empty', new Uint8Array(0)],
  ['one byte', text('a')],
  ['shorter than a block worth matching', text('abcabcabcabcabcabc')],
  ['a 60-byte literal (the first with a length byte)', randomBytes(60, 'l60')],
  ['a 61-byte literal', randomBytes(61, 'l61')],
  ['a 256-byte literal (1-byte length limit)', randomBytes(256, 'l256')],
  ['a 257-byte literal (2-byte length)', randomBytes(257, 'l257')],
  ['a short repeat (overlapping copy)', text('abcd'.repeat(100))],
  ['one byte 300,000 times (long copies, five blocks)', new Uint8Array(300_000).fill(120)],
  ['a repeat 2,000 bytes back (one-byte offsets end at 2,047)', text(`${'x'.repeat(1999)}y`.repeat(10))],
  [
    'a repeat 40,000 bytes back (two-byte offsets)',
    (() => {
      const r = randomBytes(40_000, 'far');
      const b = new Uint8Array(80_000);
      b.set(r);
      b.set(r, 40_000);
      return b;
    })(),
  ],
  ['incompressible: 200,000 random bytes', randomBytes(200_000, 'noise')],
  ['exactly one block, 65,536 bytes', randomBytes(65_536, 'block')],
  ['one block and one byte', randomBytes(65_537, 'block+1')],
  ['a metrics exposition (2,000 objects)', exposition],
  ['a remote write protobuf (2,000 objects)', protobuf],
];

describe('snappyCompress', () => {
  it.each(CASES)('%s: decodes back to the input', (_name, input) => {
    const compressed = snappyCompress(input);
    expect(Buffer.from(snappyDecode(compressed)).equals(Buffer.from(input))).toBe(true);
    // Never more than the reference encoder's bound, even for noise.
    expect(compressed.length).toBeLessThanOrEqual(32 + input.length + Math.floor(input.length / 6));
  });

  it.each([
    ['the exposition', exposition, 0.2],
    ['the protobuf', protobuf, 0.2],
    ['a repeated byte', new Uint8Array(300_000).fill(120), 0.06],
  ] as const)('%s shrinks below %s of its size', (_name, input, ratio) => {
    expect(snappyCompress(input).length).toBeLessThan(input.length * ratio);
  });

  it('starts with the length as a varint, and an all-literal short input is one literal', () => {
    expect([...snappyCompress(text('abc'))]).toEqual([3, 2 << 2, 97, 98, 99]);
    expect([...snappyCompress(new Uint8Array(300))].slice(0, 2)).toEqual([0xac, 0x02]);
  });
});

describe('the test decoder itself', () => {
  it('reads the format description’s elements: literal, then a one-byte-offset copy', () => {
    // 10 bytes: literal "abc", then copy length 7 from offset 3 (overlapping).
    expect(Buffer.from(snappyDecode(Uint8Array.from([10, 0x08, 97, 98, 99, 0x0d, 3]))).toString()).toBe(
      'abcabcabca',
    );
  });

  it.each([
    ['a copy before the start', [4, 0x01, 1]],
    ['fewer bytes than the preamble says', [5, 0x08, 97, 98, 99]],
    ['a truncated literal', [3, 0x08, 97]],
  ])('refuses %s', (_name, bytes) => {
    expect(() => snappyDecode(Uint8Array.from(bytes))).toThrow(/snappy/);
  });
});
