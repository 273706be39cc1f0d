// KubeClient.watch and KubeClient.patch against a loopback HTTP server that speaks the API
// server's watch protocol: newline-delimited events, bookmarks, ERROR events, closed streams.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiStatusError, KubeClient, type WatchEvent } from '../../src/cluster/kube-client.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, n: number) => void;

let server: Server | undefined;
const requests: URL[] = [];

async function serve(handler: Handler): Promise<KubeClient> {
  requests.length = 0;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    handler(req, res, url, requests.length);
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new KubeClient(kc, `http://127.0.0.1:${port}`, { attempts: 3, backoffMs: 10 });
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const obj = (name: string, rv: string) => ({ metadata: { name, resourceVersion: rv } });
const line = (type: string, object: unknown): string => JSON.stringify({ type, object }) + '\n';

describe('KubeClient.watch', () => {
  it('streams events split across chunks, resumes after a closed stream from the last bookmark', async () => {
    const client = await serve((_req, res, _url, n) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (n === 1) {
        const text =
          line('ADDED', obj('a', '10')) + line('MODIFIED', obj('a', '11')) + line('BOOKMARK', obj('', '15'));
        res.write(text.slice(0, 17));
        setTimeout(() => res.end(text.slice(17)), 20);
      } else {
        res.write(line('DELETED', obj('a', '16')));
      }
    });
    const abort = new AbortController();
    const events: string[] = [];
    const bookmarks: string[] = [];
    await client.watch('/apis/g/v1/things', {
      resourceVersion: '5',
      signal: abort.signal,
      timeoutSeconds: 7,
      onBookmark: (rv) => bookmarks.push(rv),
      onEvent: (e: WatchEvent) => {
        events.push(
          `${e.type} ${(e.object as { metadata: { resourceVersion: string } }).metadata.resourceVersion}`,
        );
        if (e.type === 'DELETED') abort.abort();
      },
    });
    client.close();
    expect(events).toEqual(['ADDED 10', 'MODIFIED 11', 'DELETED 16']);
    expect(bookmarks).toEqual(['15']);
    expect(requests.map((u) => u.searchParams.get('resourceVersion'))).toEqual(['5', '15']);
    const first = requests[0] as URL;
    expect(first.searchParams.get('watch')).toBe('1');
    expect(first.searchParams.get('allowWatchBookmarks')).toBe('true');
    expect(first.searchParams.get('timeoutSeconds')).toBe('7');
  });

  it('rejects with a 410 ApiStatusError when the server says the version expired', async () => {
    const client = await serve((_req, res) => {
      res.writeHead(200);
      res.end(
        line('ERROR', {
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: 'too old resource version: 5 (20)',
        }),
      );
    });
    const err = await client
      .watch('/apis/g/v1/things', { resourceVersion: '5', onEvent: () => {} })
      .catch((e: unknown) => e);
    client.close();
    expect(err).toBeInstanceOf(ApiStatusError);
    expect(err).toMatchObject({ status: 410, reason: 'Expired' });
  });

  it('rejects with the HTTP status when watching is forbidden', async () => {
    const client = await serve((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: 'cannot watch resource "things"' }),
      );
    });
    const err = await client.watch('/apis/g/v1/things', { onEvent: () => {} }).catch((e: unknown) => e);
    client.close();
    expect(err).toMatchObject({
      status: 403,
      reason: 'Forbidden',
      message: 'cannot watch resource "things"',
    });
  });

  it('gives up with UnreachableError after consecutive broken streams', async () => {
    const client = await serve((req) => req.socket.destroy());
    const reconnects: number[] = [];
    const err = await client
      .watch('/apis/g/v1/things', { onEvent: () => {}, onReconnect: (i) => reconnects.push(i.attempt) })
      .catch((e: unknown) => e);
    client.close();
    expect((err as Error).name).toBe('UnreachableError');
    expect(reconnects).toEqual([1, 2]);
  });

  it('resolves when aborted while the stream is idle', async () => {
    const client = await serve((_req, res) => {
      res.writeHead(200);
      res.write(line('ADDED', obj('a', '1')));
    });
    const abort = new AbortController();
    await client.watch('/apis/g/v1/things', { signal: abort.signal, onEvent: () => abort.abort() });
    client.close();
    expect(requests).toHaveLength(1);
  });
});

describe('KubeClient.patch', () => {
  it('sends a JSON merge patch and returns the stored object', async () => {
    let seen: { method?: string; type?: string; body?: string } = {};
    const client = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = { method: req.method, type: req.headers['content-type'], body };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ metadata: { name: 'a', annotations: { x: 'y' } } }));
      });
    });
    const stored = await client.patch('/apis/g/v1/namespaces/n/things/a', {
      metadata: { annotations: { x: 'y' } },
    });
    client.close();
    expect(seen).toEqual({
      method: 'PATCH',
      type: 'application/merge-patch+json',
      body: '{"metadata":{"annotations":{"x":"y"}}}',
    });
    expect(stored).toEqual({ metadata: { name: 'a', annotations: { x: 'y' } } });
  });

  it('maps a 404 to ApiStatusError', async () => {
    const client = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ reason: 'NotFound', message: 'things "a" not found' }));
    });
    await expect(client.patch('/apis/g/v1/namespaces/n/things/a', {})).rejects.toMatchObject({ status: 404 });
    client.close();
  });
});
