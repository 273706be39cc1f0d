// The API client against servers that misbehave on purpose: every one must end, quickly, in a
// one-line UnreachableError (exit 3), never a hang, a loop or an exhausted heap.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient, MAX_RESPONSE_BYTES, type KubeClientOptions } from '../../src/cluster/kube-client.js';
import { ConfigError, UnreachableError } from '../../src/errors.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  timeoutMs = 600,
  more: KubeClientOptions = {},
): Promise<KubeClient> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new KubeClient(kc, url, { timeoutMs, attempts: 2, backoffMs: 10, ...more });
}

const cases: [string, (req: IncomingMessage, res: ServerResponse) => void, RegExp, number?][] = [
  [
    'trickles one byte at a time, forever',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(timer));
    },
    /after 2 attempts \(REQUEST_TIMEOUT\)/,
  ],
  ['accepts and never answers', () => undefined, /after 2 attempts \(REQUEST_TIMEOUT\)/],
  [
    'sends the same continue token again and again',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [{}], metadata: { continue: 'again' } }));
    },
    /same continue token twice/,
  ],
  [
    'sends a body larger than the cap',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(4 * 2 ** 20, 0x20);
      let sent = 0;
      const push = (): void => {
        while (sent <= MAX_RESPONSE_BYTES) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', push);
            return;
          }
        }
        res.end();
      };
      push();
    },
    /more than 256 MiB/,
    15_000,
  ],
];

describe('a hostile API server', () => {
  it.each(cases)(
    '%s: one-line UnreachableError, bounded in time',
    async (_name, handler, message, timeoutMs) => {
      const client = await serve(handler, timeoutMs);
      const started = Date.now();
      const err = await client.list('/apis/x/v1/things').catch((e: unknown) => e);
      client.close();
      expect(err).toBeInstanceOf(UnreachableError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
      expect(Date.now() - started).toBeLessThan(20_000);
    },
  );

  it('an endless series of new continue tokens stops at the page limit', async () => {
    let n = 0;
    const client = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [], metadata: { continue: `page-${++n}` } }));
    });
    const err = await client.list('/apis/x/v1/things').catch((e: unknown) => e);
    client.close();
    expect((err as Error).message).toMatch(/did not end after 20000 pages/);
  });
});

describe('a kubeconfig credential helper', () => {
  function clientWithExec(command: string, args: string[], credentialTimeoutMs = 10_000): KubeClient {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'http://127.0.0.1:9', skipTLSVerify: true }],
      users: [{ name: 'u', exec: { apiVersion: 'client.authentication.k8s.io/v1', command, args } }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    return new KubeClient(kc, 'http://127.0.0.1:9', { attempts: 1, credentialTimeoutMs });
  }

  it.each([
    ['never exits', ['-c', 'sleep 30'], /did not finish within 0\.5 s/, 500],
    [
      'prints a raw token instead of ExecCredential JSON',
      ['-c', 'echo sekrit-token-0123456789'],
      /printed something that is not ExecCredential JSON/,
      10_000,
    ],
    [
      'fails, with the token in its stderr',
      ['-c', 'echo sekrit-token-0123456789 >&2; exit 3'],
      /failed; its output is not shown/,
      10_000,
    ],
  ])('%s: one line, exit 2, nothing of its output', async (_name, args, message, timeout) => {
    const client = clientWithExec('sh', args, timeout);
    const started = Date.now();
    const err = await client.get('/version').catch((e: unknown) => e);
    client.close();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^the credential helper \(exec command "sh"\) of context "ctx" /);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('sekrit');
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

describe('a kubeconfig client certificate that is not PEM', () => {
  it('is bad input naming the context, not an unreachable server', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:9', skipTLSVerify: true }],
      users: [{ name: 'u', certData: 'Z2FyYmFnZQ==', keyData: 'Z2FyYmFnZQ==' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    const client = new KubeClient(kc, 'https://127.0.0.1:9', { attempts: 1 });
    const err = await client.get('/version').catch((e: unknown) => e);
    client.close();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^the client certificate or key of context "ctx" cannot be used/);
  });
});

describe('a server that goes away', () => {
  it('mid-list (first page served, then every connection reset): exit 3 after bounded retries', async () => {
    let requests = 0;
    const client = await serve((req, res) => {
      if (++requests === 1) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ items: [{}], metadata: { continue: 'next' } }));
        return;
      }
      req.socket.destroy();
    });
    const err = await client.list('/apis/x/v1/things').catch((e: unknown) => e);
    client.close();
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/after 2 attempts \((ECONNRESET|UND_ERR_SOCKET|EPIPE)\)/);
  });

  it('answering slowly forever: the client total deadline ends it', async () => {
    const client = await serve(
      (_req, res) => {
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ items: [{}], metadata: { continue: `t${Date.now()}` } }));
        }, 200);
      },
      600,
      { totalTimeoutMs: 1_000 },
    );
    const started = Date.now();
    const err = await client.list('/apis/x/v1/things').catch((e: unknown) => e);
    client.close();
    expect((err as Error).message).toMatch(/did not answer everything within 1 s/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('an auth-provider this tool cannot use', () => {
  it('gcp without its configuration: one line naming the helper, not a TypeError', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'http://127.0.0.1:9', skipTLSVerify: true }],
      users: [{ name: 'u', authProvider: { name: 'gcp', config: {} } }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    const client = new KubeClient(kc, 'http://127.0.0.1:9', { attempts: 1 });
    const err = await client.get('/version').catch((e: unknown) => e);
    client.close();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(
      /^the credential helper \(auth-provider "gcp"\) of context "ctx" /,
    );
    expect((err as Error).message).not.toMatch(/Cannot read properties/);
  });
});
