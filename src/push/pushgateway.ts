/**
 * A Pushgateway push: the whole metrics.prom (every family, ALERTS and ALERTS_FOR_STATE included)
 * PUT to the group `job="flux-health", cluster="<name>"`, so each push replaces everything the
 * previous one left for that cluster: an object or alert that is gone is gone from the group too.
 * The text has no timestamps, which the Pushgateway rejects; Prometheus stamps the samples when it
 * scrapes, so the scrape job wants `honor_labels: true` to keep `job` and `cluster`.
 */
import { gzipSync } from 'node:zlib';
import type { PushRequest } from './send.js';

export const PUSH_JOB = 'flux-health';

/**
 * One `/name/value` step of a grouping-key path. A value with a `/`, or an empty one, is written
 * as `name@base64/…` (base64url, `=` for empty), as the Pushgateway's README specifies; others
 * are percent-encoded.
 */
export function groupingSegment(name: string, value: string): string {
  if (value === '') return `/${name}@base64/=`;
  if (value.includes('/')) return `/${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `/${name}/${encodeURIComponent(value)}`;
}

/** The group's URL under the Pushgateway's base URL (which may carry a route prefix). */
export function groupUrl(base: URL, cluster: string): URL {
  const url = new URL(base.toString());
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/metrics${groupingSegment('job', PUSH_JOB)}${groupingSegment('cluster', cluster)}`;
  return url;
}

export function pushgatewayRequest(
  base: URL,
  cluster: string,
  exposition: string,
  headers: Record<string, string>,
): PushRequest {
  return {
    method: 'PUT',
    url: groupUrl(base, cluster),
    // Gzipped, which the Pushgateway accepts: label sets repeat on every line, ~15 times smaller.
    headers: {
      ...headers,
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-encoding': 'gzip',
    },
    body: gzipSync(exposition),
  };
}
