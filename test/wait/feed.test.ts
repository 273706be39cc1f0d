// The wait's feed against a loopback server speaking the API server's list and watch protocol.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/cluster/kube-client.js';
import { Feed, pollDelay } from '../../src/wait/feed.js';
import { WAIT_KINDS } from '../../src/wait/objects.js';

const KS_KIND = WAIT_KINDS[0] as (typeof WAIT_KINDS)[number];
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const item = (name: string, rv: string) => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, generation: 1 },
  spec: { sourceRef: { kind: 'GitRepository', name: 'repo' } },
});

/** A server whose n-th list and n-th watch answers come from the given functions. */
async function serve(
  list: (n: number) => { status: number; body: unknown },
  watch: (
    n: number,
    rv: string | null,
  ) => { status: number; lines?: unknown[]; body?: unknown; hold?: boolean },
): Promise<{ client: KubeClient; log: string[] }> {
  const log: string[] = [];
  let lists = 0;
  let watches = 0;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.get('watch') === '1') {
      const rv = url.searchParams.get('resourceVersion');
      log.push(`watch rv=${rv}`);
      const a = watch(++watches, rv);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      if (a.body !== undefined) return res.end(JSON.stringify(a.body));
      for (const l of a.lines ?? []) res.write(JSON.stringify(l) + '\n');
      if (!a.hold) res.end();
      return;
    }
    log.push('list');
    const a = list(++lists);
    res.writeHead(a.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(a.body));
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
  return { client: new KubeClient(kc, `http://127.0.0.1:${port}`, { attempts: 2, backoffMs: 10 }), log };
}

function feedOf(client: KubeClient, watch: boolean, onChange: () => void, progress: string[]) {
  const abort = new AbortController();
  const feed = new Feed({
    client,
    kind: KS_KIND,
    namespace: 'ns',
    watch,
    pollMinMs: 10,
    pollMaxMs: 40,
    signal: abort.signal,
    onChange,
    onProgress: (l) => progress.push(l),
  });
  return { feed, abort, done: feed.run() };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('Feed', () => {
  it('lists, watches from the list version, and lists again when the version expired (410)', async () => {
    const { client, log } = await serve(
      (n) => ({
        status: 200,
        body:
          n === 1
            ? { metadata: { resourceVersion: '10' }, items: [item('a', '10')] }
            : { metadata: { resourceVersion: '20' }, items: [item('a', '12'), item('b', '20')] },
      }),
      (n) =>
        n === 1
          ? {
              status: 200,
              lines: [{ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } }],
            }
          : { status: 200, lines: [{ type: 'ADDED', object: item('c', '21') }], hold: true },
    );
    const progress: string[] = [];
    const { feed, abort, done } = feedOf(client, true, () => {}, progress);
    await feed.listed;
    await until(() => feed.objects().length === 3);
    abort.abort();
    await done;
    client.close();
    expect(log).toEqual(['list', 'watch rv=10', 'list', 'watch rv=20']);
    expect(feed.objects().map((o) => [o.kind, o.name])).toEqual([
      ['Kustomization', 'a'],
      ['Kustomization', 'b'],
      ['Kustomization', 'c'],
    ]);
    expect(feed.mode).toBe('watch');
    expect(progress).toEqual([]);
  });

  it('polls when the watch is not allowed, and sees deletions between polls', async () => {
    const { client, log } = await serve(
      (n) => ({
        status: 200,
        body: {
          metadata: { resourceVersion: String(n) },
          items: n < 3 ? [item('a', '1'), item('b', '1')] : [item('a', '1')],
        },
      }),
      () => ({
        status: 405,
        body: { kind: 'Status', reason: 'MethodNotAllowed', message: 'watch is not supported' },
      }),
    );
    const progress: string[] = [];
    const { feed, abort, done } = feedOf(client, true, () => {}, progress);
    await until(() => log.filter((l) => l === 'list').length >= 4);
    abort.abort();
    await done;
    client.close();
    expect(feed.mode).toBe('poll');
    expect(progress).toEqual([
      'cannot watch kustomizations in namespace ns (405 MethodNotAllowed); polling every 0.01s to 0.04s instead',
    ]);
    expect(feed.objects().map((o) => o.name)).toEqual(['a']);
    expect(log.filter((l) => l.startsWith('watch'))).toHaveLength(1);
  });

  it('treats an absent kind (404) as empty and stops', async () => {
    const { client } = await serve(
      () => ({ status: 404, body: { kind: 'Status', reason: 'NotFound' } }),
      () => ({ status: 500, body: {} }),
    );
    const { feed, done } = feedOf(client, true, () => {}, []);
    await done;
    client.close();
    expect(feed.objects()).toEqual([]);
  });

  it('rejects with a one-line ConfigError when listing is forbidden', async () => {
    const { client } = await serve(
      () => ({ status: 403, body: { kind: 'Status', reason: 'Forbidden', message: 'no' } }),
      () => ({ status: 500, body: {} }),
    );
    const { done } = feedOf(client, true, () => {}, []);
    await expect(done).rejects.toThrow(
      'cannot list kustomizations in namespace ns (403 Forbidden): grant get, list and watch on kustomizations.kustomize.toolkit.fluxcd.io to wait for them',
    );
    client.close();
  });
});

describe('pollDelay', () => {
  it('starts at the minimum, doubles up to the maximum, and resets after a change', () => {
    const seq: number[] = [];
    let d: number | undefined;
    for (let i = 0; i < 7; i++) seq.push((d = pollDelay(d, false, 1000, 15_000)));
    expect(seq).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    expect(pollDelay(15_000, true, 1000, 15_000)).toBe(1000);
  });
});
