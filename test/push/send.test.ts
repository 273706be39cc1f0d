/**
 * Retries, against a loopback server that answers from a script: what may pass on its own (no
 * connection, no answer, 5xx, 429) is tried again up to the limit, what will not (other 4xx, a
 * redirect) is not, and each outcome is one line that names the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, type PushRequest, type RetryPolicy } from '../../src/push/send.js';
import { freePorts } from '../envtest/control-plane.js';
import { sendText, startLoopback, type LoopbackServer, type RecordedRequest } from '../fakes/http.js';

/** One scripted answer: a status (with headers and body), or `hang` to never answer in time. */
type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

const FAST: RetryPolicy = { attempts: 3, timeoutMs: 300, backoffMs: [5, 10], maxRetryAfterMs: 50 };

let server: LoopbackServer;
const requests: RecordedRequest[] = [];
let script: Answer[] = [];

beforeAll(async () => {
  server = await startLoopback(requests, async ({ response }) => {
    const answer = script.shift() ?? { status: 204 };
    if (answer === 'hang') {
      await new Promise((r) => setTimeout(r, 1_000));
      if (!response.destroyed) sendText(response, 204, '');
      return;
    }
    sendText(response, answer.status, answer.body ?? '', answer.headers ?? {});
  });
});
afterAll(() => server.close());

function request(path = '/api/v1/write'): PushRequest {
  return {
    method: 'POST',
    url: new URL(path, server.url),
    headers: { 'content-type': 'application/x-protobuf', authorization: 'Bearer s3cret-token' },
    body: new Uint8Array([1, 2, 3]),
  };
}

describe('send', () => {
  it.each<[string, Answer[], { ok: boolean; attempts: number; reason?: RegExp }]>([
    ['204 at once', [{ status: 204 }], { ok: true, attempts: 1 }],
    ['200 at once', [{ status: 200, body: 'ok' }], { ok: true, attempts: 1 }],
    ['500, then 204', [{ status: 500 }, { status: 204 }], { ok: true, attempts: 2 }],
    [
      '503 three times',
      [
        { status: 503, body: 'TSDB not ready\nmore' },
        { status: 503 },
        { status: 503, body: 'TSDB not ready\nmore' },
      ],
      {
        ok: false,
        attempts: 3,
        reason: /^HTTP 503 Service Unavailable: TSDB not ready \(after 3 attempts\)$/,
      },
    ],
    [
      '429 with Retry-After, then 204',
      [{ status: 429, headers: { 'retry-after': '0' } }, { status: 204 }],
      { ok: true, attempts: 2 },
    ],
    [
      '429 with a long Retry-After, capped',
      [{ status: 429, headers: { 'retry-after': '3600' } }, { status: 204 }],
      { ok: true, attempts: 2 },
    ],
    [
      '400 (out of order): not retried',
      [{ status: 400, body: 'out of order sample' }],
      { ok: false, attempts: 1, reason: /^HTTP 400 Bad Request: out of order sample$/ },
    ],
    [
      '401: not retried',
      [{ status: 401, body: 'Unauthorized' }],
      { ok: false, attempts: 1, reason: /^HTTP 401/ },
    ],
    ['404: not retried', [{ status: 404 }], { ok: false, attempts: 1, reason: /^HTTP 404 Not Found$/ }],
    [
      '308 redirect: not followed',
      [{ status: 308, headers: { location: 'https://elsewhere.example/api/v1/write' } }],
      {
        ok: false,
        attempts: 1,
        reason: /redirected to https:\/\/elsewhere\.example\/api\/v1\/write; give the final URL/,
      },
    ],
    [
      'no answer in time, three times',
      ['hang', 'hang', 'hang'],
      { ok: false, attempts: 3, reason: /^no answer within 0\.3 s \(after 3 attempts\)$/ },
    ],
    ['no answer, then 204', ['hang', { status: 204 }], { ok: true, attempts: 2 }],
  ])('%s', async (_name, answers, expected) => {
    script = [...answers];
    requests.length = 0;
    const out = await send(request(), FAST);
    expect(out.ok).toBe(expected.ok);
    expect(out.attempts).toBe(expected.attempts);
    expect(requests).toHaveLength(expected.attempts);
    if (!out.ok) expect(out.reason).toMatch(expected.reason as RegExp);
    // Every attempt carries the same body and headers.
    for (const r of requests) {
      expect(r.method).toBe('POST');
      expect(r.headers['authorization']).toBe('Bearer s3cret-token');
      expect(Buffer.from(r.body, 'latin1')).toEqual(Buffer.from([1, 2, 3]));
    }
  });

  it('a refused connection is retried, then reported', async () => {
    const [port] = await freePorts(1);
    const out = await send({ ...request(), url: new URL(`http://127.0.0.1:${port}/metrics`) }, FAST);
    expect(out).toEqual({ ok: false, attempts: 3, reason: 'connection refused (after 3 attempts)' });
  });

  it('an unknown host is reported by name', async () => {
    // A slow resolver must not turn this into a timeout: 5 s per attempt.
    const policy = { ...FAST, timeoutMs: 5_000 };
    const out = await send(
      { ...request(), url: new URL('http://flux-health-no-such-host.invalid/') },
      policy,
    );
    expect(out.ok).toBe(false);
    if (!out.ok)
      expect(out.reason).toMatch(/^(host not found|host name lookup failed) \(after 3 attempts\)$/);
  });

  it('a URL in a server’s answer loses its credentials in the reason', async () => {
    script = [{ status: 400, body: 'cannot forward to https://admin:hunter2@upstream.example/write' }];
    const out = await send(request(), FAST);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.reason).not.toContain('hunter2');
      expect(out.reason).toContain('https://upstream.example/write');
    }
  });
});
