/**
 * Our hand-written WriteRequest encoder against an independent protobuf codec: protobuf-ts's
 * reflection runtime (installed with @actions/artifact), given the message definitions of
 * prometheus/prompb/types.proto and remote.proto. It must decode our bytes back to the same
 * series, and, where no field holds its default value (which proto3 encoders leave out), write
 * exactly the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { encodeWriteRequest, type WriteSeries } from '../../src/push/protobuf.js';
import { WriteRequestT, type WriteRequest } from './prompb.js';

const NOW = Date.UTC(2026, 10, 21, 12);

function asMessage(series: WriteSeries[]): WriteRequest {
  return {
    timeseries: series.map((s) => ({
      labels: s.labels.map(([name, value]) => ({ name, value })),
      samples: s.samples.map((x) => ({ value: x.value, timestamp: x.timestampMs })),
    })),
  };
}

const one = (labels: Array<[string, string]>, value: number, timestampMs = NOW): WriteSeries => ({
  labels,
  samples: [{ value, timestampMs }],
});

const CASES: Array<[string, WriteSeries[]]> = [
  ['no series', []],
  [
    'one gauge',
    [
      one(
        [
          ['__name__', 'up'],
          ['job', 'flux-health'],
        ],
        1,
      ),
    ],
  ],
  [
    'a flux_resource_info series',
    [
      one(
        [
          ['__name__', 'flux_resource_info'],
          ['cluster', 'prod'],
          ['exported_namespace', 'apps'],
          ['kind', 'Kustomization'],
          ['name', 'podinfo'],
          ['ready', 'False'],
          ['reason', 'BuildFailed'],
        ],
        1,
      ),
    ],
  ],
  [
    'fractions, negatives and huge values',
    [one([['__name__', 'a']], -0.125), one([['__name__', 'b']], 1e308)],
  ],
  ['zero value and the epoch (defaults proto3 leaves out)', [one([['__name__', 'z']], 0, 0)]],
  ['a timestamp before 1970 (int64 two’s complement)', [one([['__name__', 'old']], 2, -86_400_000)]],
  ['the largest safe timestamp', [one([['__name__', 'far']], 3, Number.MAX_SAFE_INTEGER)]],
  ['infinities', [one([['__name__', 'inf']], Infinity), one([['__name__', 'ninf']], -Infinity)]],
  [
    'UTF-8 label values and a 300-byte value (two-byte length)',
    [
      one(
        [
          ['__name__', 'flux_resource_info'],
          ['message', 'Prometheus · Προμηθεύς · 🔥'],
          ['url', 'x'.repeat(300)],
        ],
        1,
      ),
    ],
  ],
  [
    'several samples in one series',
    [
      {
        labels: [['__name__', 'ALERTS_FOR_STATE']],
        samples: [
          { value: 1, timestampMs: NOW - 60_000 },
          { value: 1, timestampMs: NOW },
        ],
      },
    ],
  ],
  [
    '1,000 series',
    Array.from({ length: 1000 }, (_, i) =>
      one(
        [
          ['__name__', 'gotk_reconcile_condition'],
          ['name', `app-${i}`],
        ],
        (i % 2) + 1,
      ),
    ),
  ],
];

describe('encodeWriteRequest', () => {
  it.each(CASES)('%s: decodes back to the same series', (_name, series) => {
    const bytes = encodeWriteRequest(series);
    expect(WriteRequestT.fromBinary(bytes)).toEqual(asMessage(series));
  });

  it.each(CASES.filter(([name]) => !name.includes('defaults')))(
    '%s: the same bytes as protobuf-ts writes',
    (_name, series) => {
      expect(Buffer.from(encodeWriteRequest(series)).toString('hex')).toBe(
        Buffer.from(WriteRequestT.toBinary(asMessage(series))).toString('hex'),
      );
    },
  );

  it('NaN survives as a double', () => {
    const decoded = WriteRequestT.fromBinary(encodeWriteRequest([one([['__name__', 'nan']], NaN)]));
    expect(decoded.timeseries[0]?.samples[0]?.value).toBeNaN();
  });

  it('known bytes: up{job="a"} 1 at t=1000', () => {
    const hex = Buffer.from(
      encodeWriteRequest([
        one(
          [
            ['__name__', 'up'],
            ['job', 'a'],
          ],
          1,
          1000,
        ),
      ]),
    ).toString('hex');
    // 0a LEN(timeseries) | 0a 0e (label) 0a 08 "__name__" 12 02 "up" | 0a 08 (label) 0a 03 "job" 12 01 "a"
    // | 12 0c (sample) 09 <1.0 as little-endian double> 10 e8 07 (1000 as a varint)
    expect(hex).toBe(
      '0a28' +
        '0a0e0a085f5f6e616d655f5f12027570' +
        '0a080a036a6f621201' +
        '61' +
        '120c09000000000000f03f10e807',
    );
  });

  it('refuses a timestamp that is not whole milliseconds', () => {
    expect(() => encodeWriteRequest([one([['__name__', 'x']], 1, 1.5)])).toThrow(
      /whole number of milliseconds/,
    );
  });
});
