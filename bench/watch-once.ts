/**
 * One measured watch for bench/watch.ts, in its own process (bundled by esbuild, as dist/ is) so its CPU
 * time and peak RSS are the watch's alone:
 *
 *   node <bundle> --client ours|client-node --kubeconfig FILE --path /apis/G/V/PLURAL
 *                 --resource-version RV --events N
 *
 * Starts a watch of `path` from `RV` with bookmarks, through our KubeClient.watch (as src/wait/feed.ts
 * uses it, after connect()) or through client-node's `Watch` class, prints `ready`, and when N
 * MODIFIED events have arrived prints one JSON line: the time from starting the watch to the first
 * and to the Nth event, the process's CPU time over the same span, and its RSS. Each event is
 * keyed by namespace, name and the `bench-watch` label, so a duplicated or lost event shows as
 * `distinct` below `events`.
 */
import { parseArgs } from 'node:util';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { connect } from '../src/cluster/connect.js';
import { KubeClient } from '../src/cluster/kube-client.js';
import { MB, cpuMsSince, peakRssMB } from './once-common.js';

export type WatchClient = 'ours' | 'client-node';

export interface WatchOnceResult {
  client: WatchClient;
  /** MODIFIED events received (stops at the N asked for). */
  events: number;
  /** Distinct (namespace, name, label value) among them. */
  distinct: number;
  /** Other events seen meanwhile (BOOKMARK for client-node; ours hands bookmarks elsewhere). */
  other: number;
  firstEventMs: number;
  wallMs: number;
  cpuMs: number;
  baseRssMB: number;
  maxRssMB: number;
}

interface Obj {
  metadata?: { namespace?: string; name?: string; labels?: Record<string, string> };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      client: { type: 'string' },
      kubeconfig: { type: 'string' },
      path: { type: 'string' },
      'resource-version': { type: 'string' },
      events: { type: 'string' },
      'timeout-s': { type: 'string', default: '300' },
    },
  });
  const client = values.client as WatchClient;
  const kubeconfigPath = values.kubeconfig;
  const path = values.path;
  const resourceVersion = values['resource-version'];
  const want = Number(values.events);
  if (
    (client !== 'ours' && client !== 'client-node') ||
    !kubeconfigPath ||
    !path ||
    !resourceVersion ||
    !want
  )
    throw new Error(
      'usage: --client ours|client-node --kubeconfig FILE --path PATH --resource-version RV --events N',
    );

  const seen = new Set<string>();
  let events = 0;
  let other = 0;
  let firstEventMs = 0;
  let stop = (): void => {};
  let finished = false;

  const finish = (err?: unknown): void => {
    if (finished) return;
    finished = true;
    stop();
    if (err !== undefined) {
      console.error(`watch failed after ${events} of ${want} events:`, err);
      process.exit(1);
    }
  };

  // Either client's events end up here; keep it as cheap as the work a real consumer would do.
  const onEvent = (type: string, obj: Obj | undefined): void => {
    if (finished) return;
    if (type !== 'MODIFIED') {
      other++;
      return;
    }
    if (events === 0) firstEventMs = performance.now() - t0;
    events++;
    const m = obj?.metadata;
    seen.add(`${m?.namespace}/${m?.name}/${m?.labels?.['bench-watch']}`);
    if (events < want) return;
    const result: WatchOnceResult = {
      client,
      events,
      distinct: seen.size,
      other,
      firstEventMs,
      wallMs: performance.now() - t0,
      cpuMs: cpuMsSince(cpu0),
      baseRssMB,
      maxRssMB: peakRssMB(),
    };
    finish();
    process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
  };

  const timer = setTimeout(
    () => finish(new Error(`timed out after ${values['timeout-s']} s`)),
    Number(values['timeout-s']) * 1000,
  );
  timer.unref();

  // Load the client before measuring: only the watch itself counts.
  let start: () => void;
  if (client === 'ours') {
    const conn = connect({ kubeconfigPath });
    const kube = new KubeClient(conn.kc, conn.server);
    const ac = new AbortController();
    stop = () => {
      ac.abort();
      kube.close();
    };
    start = () => {
      kube
        .watch<Obj>(path, {
          resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: 300,
          signal: ac.signal,
          onEvent: (e) => onEvent(e.type, e.object),
        })
        .then(
          () => finish(finished ? undefined : new Error('watch ended')),
          (err: unknown) => finish(err),
        );
    };
  } else {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const w = new Watch(kc);
    start = () => {
      w.watch(
        path,
        { resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 300 },
        (phase: string, obj: unknown) => {
          if (phase === 'ERROR') finish(new Error(`ERROR event: ${JSON.stringify(obj).slice(0, 300)}`));
          else onEvent(phase, obj as Obj);
        },
        (err: unknown) => finish(err ?? new Error('watch ended')),
      ).then(
        (ctl) => {
          stop = () => ctl.abort();
          if (finished) ctl.abort();
        },
        (err: unknown) => finish(err),
      );
    };
  }

  const baseRssMB = process.memoryUsage().rss / MB;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  start();
  // The same moment for both clients: the watch is asked for (from a resourceVersion, so nothing
  // written after this line is missed whenever the connection is up).
  console.log('ready');
}

try {
  main();
} catch (err) {
  console.error(err);
  process.exit(1);
}
