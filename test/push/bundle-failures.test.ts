/**
 * The built CLI and action against loopback targets that record what they receive or fail on
 * purpose: the wire format and headers as sent (decoded with an independent protobuf codec and a
 * Snappy decoder), and every kind of failure (refused, 5xx, 429, 4xx, a bad URL) as one warning
 * line, bounded retries, and the exit code of the check, never of the push.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendText, startLoopback, type LoopbackServer, type RecordedRequest } from '../fakes/http.js';
import { freePorts } from '../envtest/control-plane.js';
import { runAction } from '../support/action-runner.js';
import { DEMO, DEMO_AT, runCli } from '../support/cli-runner.js';
import { WriteRequestT } from './prompb.js';
import { snappyDecode } from './snappy-decode.js';

/** `/status/NNN/…` answers NNN (429s with Retry-After: 0); anything else 204, like a receiver. */
let target: LoopbackServer;
const requests: Array<RecordedRequest & { raw: Buffer }> = [];

/** A loopback URL nothing listens on. */
let refused: string;

beforeAll(async () => {
  const recorded: RecordedRequest[] = [];
  target = await startLoopback(recorded, ({ response, recorded: r, raw }) => {
    requests.push({ ...r, raw });
    const m = /^\/status\/(\d{3})\//.exec(r.path);
    const status = m ? Number(m[1]) : 204;
    sendText(response, status, status === 204 ? '' : `refused on purpose (${status})`, {
      ...(status === 429 ? { 'retry-after': '0' } : {}),
    });
  });
  refused = `http://127.0.0.1:${(await freePorts(1))[0]}`;
});
afterAll(() => target.close());

const sent = (prefix: string) => requests.filter((r) => r.path.startsWith(prefix));

describe('what the built CLI sends', () => {
  it('remote write: snappy protobuf, spec headers, basic auth from the URL; Pushgateway: PUT text without timestamps, the bearer token', async () => {
    requests.length = 0;
    const r = await runCli(
      [
        'check',
        '--snapshot',
        DEMO,
        '--remote-write-url',
        target.url.replace('http://', 'http://audit:pa%3Ass@') + '/wire/api/v1/write',
        '--pushgateway-url',
        `${target.url}/wire/pg/`,
      ],
      { env: { FLUX_HEALTH_PUSH_TOKEN: 'env-t0ken' } },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toContain('pa:ss');
    expect(r.stderr).not.toContain('pa%3Ass');

    const [write] = sent('/wire/api/v1/write');
    expect(write?.method).toBe('POST');
    expect(write?.headers).toMatchObject({
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      'user-agent': expect.stringMatching(/^flux-health\/\d+\.\d+\.\d+/),
      authorization: `Basic ${Buffer.from('audit:pa:ss').toString('base64')}`,
    });
    const request = WriteRequestT.fromBinary(snappyDecode(new Uint8Array(write?.raw ?? [])));
    expect(request.timeseries.length).toBeGreaterThan(4000);
    for (const ts of request.timeseries) {
      const names = ts.labels.map((l) => l.name);
      expect(names).toEqual([...names].sort());
      expect(new Set(names).size).toBe(names.length);
      expect(ts.labels.every((l) => l.value !== '')).toBe(true);
      expect(ts.labels).toEqual(
        expect.arrayContaining([
          { name: 'job', value: 'flux-health' },
          { name: 'cluster', value: 'demo-cluster' },
        ]),
      );
      expect(ts.samples).toEqual([{ value: expect.any(Number), timestamp: DEMO_AT }]);
    }
    const names = new Set(request.timeseries.map((t) => t.labels.find((l) => l.name === '__name__')?.value));
    expect(names).toContain('ALERTS');
    expect(names).toContain('ALERTS_FOR_STATE');

    const [put] = sent('/wire/pg/');
    expect(put?.method).toBe('PUT');
    expect(put?.path).toBe('/wire/pg/metrics/job/flux-health/cluster/demo-cluster');
    expect(put?.headers).toMatchObject({
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-encoding': 'gzip',
      authorization: 'Bearer env-t0ken',
    });
    const samples = gunzipSync(put?.raw ?? Buffer.alloc(0))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples.length).toBe(request.timeseries.length);
    // `name{labels} value` and no timestamp: the Pushgateway refuses pushes that carry one.
    for (const line of samples) expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+$/);
  });
});

describe('a push that fails is one warning line, and the exit code stays the check’s', () => {
  it.each([
    {
      name: 'connection refused (both targets)',
      args: () => ['--pushgateway-url', refused, '--remote-write-url', `${refused}/api/v1/write`],
      warnings: () => [
        `warning: could not push to the Pushgateway ${refused}/metrics/job/flux-health/cluster/demo-cluster: connection refused (after 3 attempts)`,
        `warning: could not push to remote write ${refused}/api/v1/write: connection refused (after 3 attempts)`,
      ],
      attempts: {},
    },
    {
      name: 'HTTP 500, retried',
      args: () => ['--remote-write-url', `${target.url}/status/500/api/v1/write`],
      warnings: () => [
        `warning: could not push to remote write ${target.url}/status/500/api/v1/write: HTTP 500 Internal Server Error: refused on purpose (500) (after 3 attempts)`,
      ],
      attempts: { '/status/500/': 3 },
    },
    {
      name: 'HTTP 429, retried',
      args: () => ['--pushgateway-url', `${target.url}/status/429/`],
      warnings: () => [
        `warning: could not push to the Pushgateway ${target.url}/status/429/metrics/job/flux-health/cluster/demo-cluster: HTTP 429 Too Many Requests: refused on purpose (429) (after 3 attempts)`,
      ],
      attempts: { '/status/429/': 3 },
    },
    {
      name: 'HTTP 400, not retried',
      args: () => ['--pushgateway-url', `${target.url}/status/400/`],
      warnings: () => [
        `warning: could not push to the Pushgateway ${target.url}/status/400/metrics/job/flux-health/cluster/demo-cluster: HTTP 400 Bad Request: refused on purpose (400)`,
      ],
      attempts: { '/status/400/': 1 },
    },
    {
      name: 'HTTP 401 with a token in the URL’s query, not retried and not shown',
      args: () => ['--remote-write-url', `${target.url}/status/401/write?tenant=a&token=q-s3cret`],
      warnings: () => [
        `warning: could not push to remote write ${target.url}/status/401/write?tenant=a&token=REDACTED: HTTP 401 Unauthorized: refused on purpose (401)`,
      ],
      attempts: { '/status/401/': 1 },
    },
  ])('$name', async ({ args, warnings, attempts }) => {
    requests.length = 0;
    const r = await runCli(['check', '--snapshot', DEMO, ...args()]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('warning:'))).toEqual(warnings());
    expect(r.stderr).not.toContain('q-s3cret');
    expect(r.stdout).toMatch(/Failing/);
    for (const [prefix, n] of Object.entries(attempts)) expect(sent(prefix), prefix).toHaveLength(n);
  });

  it.each([
    [
      '--pushgateway-url',
      'pushgateway:9091',
      /^flux-health: --pushgateway-url: not an http:\/\/ or https:\/\/ URL/,
    ],
    ['--remote-write-url', 'http//admin:hunter2@prom', /^flux-health: --remote-write-url: not a URL/],
  ])('a bad %s is bad input: exit 2, one line, before anything is read', async (flag, value, line) => {
    const r = await runCli(['check', '--snapshot', DEMO, flag, value]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
    expect(r.stderr).not.toContain('hunter2');
  });
});

describe('the built action', () => {
  const base = { snapshot: DEMO, comment: 'never', 'artifact-name': '' };

  it('a refused push is one warning; verdict, outputs and exit code as without it', async () => {
    const r = await runAction({ inputs: { ...base, 'remote-write-url': `${refused}/api/v1/write` } });
    expect(r.code, r.stdout).toBe(1);
    expect(r.outputs['verdict']).toBe('failing');
    expect(r.commands('warning').filter((w) => /push/.test(w))).toEqual([
      `could not push to remote write ${refused}/api/v1/write: connection refused (after 3 attempts)`,
    ]);
  });

  it('a bad URL input is a configuration error: exit 2, naming the input', async () => {
    const r = await runAction({
      inputs: {
        ...base,
        'pushgateway-url': 'ftp://admin:hunter2@pg.example',
        'push-bearer-token': 'tok-123456',
      },
      secrets: ['hunter2', 'tok-123456'],
    });
    expect(r.code).toBe(2);
    expect(r.outputs['verdict']).toBe('error');
    expect(r.commands('error').join('\n')).toMatch(
      /input `pushgateway-url`: not an http:\/\/ or https:\/\/ URL/,
    );
  });
});
