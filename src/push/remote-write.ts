/**
 * A remote write 1.0 push: every series of the check (ALERTS and ALERTS_FOR_STATE included) as
 * `prometheus.WriteRequest`s, protobuf compressed with Snappy's block format, each series with one
 * sample at the check's evaluation instant. The series carry `job="flux-health"` and
 * `cluster="<name>"`, the labels a Pushgateway group adds, so one query reads both routes.
 *
 * Requests hold at most SERIES_PER_REQUEST series, sent one after the other: receivers bound a
 * request's size (Prometheus's own sender batches by a few thousand samples), and a 50,000-object
 * cluster has 350,000 series, 86 MB of protobuf.
 */
import type { MetricFamily } from '../metrics/index.js';
import { encodeWriteRequest, type WriteSeries } from './protobuf.js';
import type { PushRequest } from './send.js';
import { snappyCompress } from './snappy.js';

export const SERIES_PER_REQUEST = 5_000;

const byName = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

/**
 * The series with `extra` labels set on each (replacing a label of the same name, as a
 * Pushgateway's grouping key does), labels sorted by name as the spec requires (code-unit order
 * is byte order for label names, which are ASCII), and empty values dropped: in Prometheus an
 * empty label is no label, and the spec forbids sending one.
 */
export function writeSeries(
  families: readonly MetricFamily[],
  timestampMs: number,
  extra: Readonly<Record<string, string>>,
): WriteSeries[] {
  const added = Object.entries(extra).filter(([, v]) => v !== '');
  const out: WriteSeries[] = [];
  for (const family of families) {
    for (const s of family.series) {
      const labels: Array<[string, string]> = [['__name__', family.name], ...added];
      for (const name in s.labels) {
        const value = s.labels[name] as string;
        if (value !== '' && name !== '__name__' && !(name in extra)) labels.push([name, value]);
      }
      out.push({ labels: labels.sort(byName), samples: [{ value: s.value, timestampMs }] });
    }
  }
  return out;
}

export interface RemoteWriteBody {
  request: PushRequest;
  series: number;
  /** The protobuf's size before compression. */
  rawBytes: number;
}

/** The requests for `series`, built one at a time as they are sent. */
export function* remoteWriteRequests(
  url: URL,
  series: readonly WriteSeries[],
  headers: Record<string, string>,
): Generator<RemoteWriteBody> {
  for (let start = 0; start < series.length; start += SERIES_PER_REQUEST) {
    const batch = series.slice(start, start + SERIES_PER_REQUEST);
    const raw = encodeWriteRequest(batch);
    yield {
      request: {
        method: 'POST',
        url,
        headers: {
          ...headers,
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
        },
        body: snappyCompress(raw),
      },
      series: batch.length,
      rawBytes: raw.length,
    };
  }
}
