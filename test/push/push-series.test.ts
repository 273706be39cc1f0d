/**
 * pushSeries's own decisions, against a loopback receiver: a failure part-way through the
 * requests says how much was written, a run without series pushes nothing, and the cluster label
 * comes from the name given, else the context, the server or the snapshot file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/inventory/index.js';
import { analyse, loadRules } from '../../src/pipeline.js';
import { clusterLabel, pushConfig, pushSeries } from '../../src/push/index.js';
import { SERIES_PER_REQUEST } from '../../src/push/remote-write.js';
import type { RetryPolicy } from '../../src/push/send.js';
import { sendText, startLoopback, type LoopbackServer, type RecordedRequest } from '../fakes/http.js';
import { syntheticInventory } from '../metrics/synthetic.js';

const FAST: RetryPolicy = { attempts: 2, timeoutMs: 2_000, backoffMs: [5], maxRetryAfterMs: 10 };
const requests: RecordedRequest[] = [];
let receiver: LoopbackServer;

beforeAll(async () => {
  // The second request and those after it are refused, as a receiver refuses out-of-order samples.
  receiver = await startLoopback(requests, ({ response }) =>
    requests.length >= 2 ? sendText(response, 400, 'out of order sample') : sendText(response, 204, ''),
  );
});
afterAll(() => receiver.close());

function lines(): { log: { info(l: string): void; warning(l: string): void }; out: string[] } {
  const out: string[] = [];
  return { out, log: { info: (l) => out.push(`info: ${l}`), warning: (l) => out.push(`warning: ${l}`) } };
}

describe('pushSeries', () => {
  it('a refusal after the first request: one warning that says how much was written', async () => {
    const inventory = syntheticInventory(2000);
    const analysis = await analyse(inventory, {
      now: new Date('2026-11-21T12:00:00Z'),
      tool: { name: 'flux-health', version: '0.1.0', platform: 'linux/amd64' },
      rules: loadRules([], true),
    });
    const total = analysis.families.reduce((n, f) => n + f.series.length, 0);
    const config = pushConfig(
      { remoteWriteUrl: `${receiver.url}/write` },
      { pushgatewayUrl: 'pg', remoteWriteUrl: 'rw' },
    );
    const { log, out } = lines();
    expect(await pushSeries(config, { analysis, acquired: { inventory } }, 'c', log, FAST)).toEqual({
      ok: 0,
      failed: 1,
    });
    expect(out).toEqual([
      `warning: could not push to remote write ${receiver.url}/write: HTTP 400 Bad Request: out of order sample (${SERIES_PER_REQUEST} of ${total} series were written)`,
    ]);
    // A 4xx is not retried, and nothing is sent after it.
    expect(requests).toHaveLength(2);
  });

  it('a run that computed nothing pushes nothing, and says so', async () => {
    const { log, out } = lines();
    const config = pushConfig(
      { pushgatewayUrl: receiver.url },
      { pushgatewayUrl: 'pg', remoteWriteUrl: 'rw' },
    );
    expect(await pushSeries(config, {}, undefined, log)).toEqual({ ok: 0, failed: 0 });
    expect(out).toEqual(['info: nothing to push: the run computed no series']);
  });

  it('without targets it does nothing at all', async () => {
    const { log, out } = lines();
    expect(await pushSeries({}, {}, undefined, log)).toEqual({ ok: 0, failed: 0 });
    expect(out).toEqual([]);
  });
});

describe('clusterLabel', () => {
  const inv = (source: Inventory['source']): Inventory => ({ ...syntheticInventory(0), source });
  it.each<[string, string | undefined, Inventory['source'], string]>([
    [
      'the name given',
      ' prod ',
      { type: 'cluster', server: 'https://10.0.0.1:6443', context: 'kind-dev' },
      'prod',
    ],
    [
      'the context',
      undefined,
      { type: 'cluster', server: 'https://10.0.0.1:6443', context: 'kind-dev' },
      'kind-dev',
    ],
    ['the server’s host', '', { type: 'cluster', server: 'https://10.0.0.1:6443' }, '10.0.0.1:6443'],
    ['the snapshot file’s name', undefined, { type: 'snapshot', file: '/audits/eu-prod.yaml' }, 'eu-prod'],
    ['a JSON snapshot', undefined, { type: 'snapshot', file: 'staging.JSON' }, 'staging'],
  ])('%s', (_name, explicit, source, label) => {
    expect(clusterLabel(explicit, inv(source))).toBe(label);
  });
});
