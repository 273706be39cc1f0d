/**
 * Watch benchmark (`npm run bench -- watch`, or `node --import tsx bench/watch.ts`): our
 * KubeClient.watch against client-node's `Watch` class, on one Flux kind across all namespaces.
 *
 * Starts a real control plane, creates BENCH_WATCH_OBJECTS Kustomizations (generated, with status)
 * over 16 namespaces, and then, BENCH_RUNS times, for each client in its own process
 * (bench/watch-once.ts, bundled by esbuild), measures the time from starting the watch at a
 * resourceVersion to receiving N MODIFIED events, and the process's CPU time and peak RSS:
 *
 * - replay: N = objects × BENCH_WATCH_ROUNDS label patches are made first, then each client
 *   watches from the resourceVersion before them; the API server sends the whole backlog from its
 *   watch cache at once, so events/s is what the client can take in (both clients replay the very
 *   same events in the same run).
 * - live: the client watches from the current resourceVersion while this process patches every
 *   object's label once (24 patches in flight); events/s is the patch rate, and the figure that
 *   tells the clients apart is CPU per event.
 *
 * Environment: BENCH_WATCH_OBJECTS (default 1000), BENCH_WATCH_ROUNDS (default 5), BENCH_RUNS
 * (default 3), BENCH_TSX=1 (run the TypeScript under tsx instead of bundles), BENCH_JSON (write the
 * results there too). Exits non-zero on errors, including a lost or duplicated event.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startControlPlane } from '../test/envtest/control-plane.js';
import { generateFluxObjects, kindInfo, type KubeObject } from '../test/support/flux-objects.js';
import { Writer, collectionPath, createObject } from './api-writer.js';
import { bundle } from './bundle.js';
import type { WatchClient, WatchOnceResult } from './watch-once.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OBJECTS = Number(process.env.BENCH_WATCH_OBJECTS ?? 1000);
const ROUNDS = Number(process.env.BENCH_WATCH_ROUNDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WRITERS = 24;
const FLUX_NAMESPACE = 'flux-system';
const NAMESPACES = [
  FLUX_NAMESPACE,
  ...Array.from({ length: 15 }, (_, i) => `team-${String(i + 1).padStart(2, '0')}`),
];
const CLIENTS: readonly WatchClient[] = ['ours', 'client-node'];
const LABEL = 'bench-watch';

const log = (line: string): void => console.log(`[bench:watch] ${line}`);
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

type Scenario = 'replay' | 'live';
type Measured = WatchOnceResult & { scenario: Scenario; load1: number };

/** Runs `fn` over `items`, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function main(): Promise<void> {
  log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB, Node ${process.version}, load ${load()}`,
  );
  log(
    `${OBJECTS} Kustomizations; replay ${OBJECTS * ROUNDS} events, live ${OBJECTS} events; ${RUNS} runs per client`,
  );
  let program = ['--import', 'tsx', join(ROOT, 'bench', 'watch-once.ts')];
  const bundles =
    process.env.BENCH_TSX === '1' ? undefined : mkdtempSync(join(tmpdir(), 'flux-health-bench-'));
  if (bundles) program = [await bundle('watch-once', join(bundles, 'watch'))];
  const cp = await startControlPlane({ log: (m) => log(m) });
  const stopOnSignal = (): void => {
    void cp.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const writer = new Writer(cp.adminKubeconfigPath, WRITERS);
  const results: Measured[] = [];
  const patchRates: number[] = [];
  let eventKB = 0;
  try {
    for (const ns of NAMESPACES) await writer.send('POST', '/api/v1/namespaces', { metadata: { name: ns } });
    const objects = generateFluxObjects({
      seed: 'bench-watch',
      now: '2026-01-15T12:00:00Z',
      namespaces: NAMESPACES,
      fluxNamespace: FLUX_NAMESPACE,
      perKind: { Kustomization: OBJECTS },
      sync: false,
    }).filter((o) => o.kind === 'Kustomization');
    if (objects.length !== OBJECTS)
      throw new Error(`generated ${objects.length} Kustomizations, not ${OBJECTS}`);
    const t0 = performance.now();
    await pool(objects, WRITERS, (o) => createObject(writer, o, log));
    log(
      `created ${objects.length} Kustomizations in ${((performance.now() - t0) / 1000).toFixed(1)} s (load ${load()})`,
    );

    const info = kindInfo('Kustomization');
    const path = `/apis/${info.group}/${info.version}/${info.plural}`;
    const resourceVersion = async (): Promise<string> => {
      const list = await writer.get<{ metadata: { resourceVersion: string } }>(`${path}?limit=1`);
      return list.metadata.resourceVersion;
    };
    const one = objects[0] as KubeObject;
    eventKB =
      JSON.stringify(await writer.get(`${collectionPath(one)}/${encodeURIComponent(one.metadata.name)}`))
        .length / 1024;

    /** Sets every object's label to `value`: one MODIFIED event each. */
    const patchAll = async (value: string): Promise<number> => {
      const t = performance.now();
      await pool(objects, WRITERS, async (o) => {
        await writer.send(
          'PATCH',
          `${collectionPath(o)}/${encodeURIComponent(o.metadata.name)}`,
          { metadata: { labels: { [LABEL]: value } } },
          'application/merge-patch+json',
        );
      });
      const rate = objects.length / ((performance.now() - t) / 1000);
      patchRates.push(rate);
      return rate;
    };

    /** One watch-once process; `whenReady` runs once it has started watching. */
    const watchOnce = (
      client: WatchClient,
      rv: string,
      events: number,
      whenReady: () => Promise<unknown> = async () => {},
    ): Promise<WatchOnceResult> =>
      new Promise((resolve, reject) => {
        const args = [
          ...program,
          '--client',
          client,
          '--kubeconfig',
          cp.adminKubeconfigPath,
          '--path',
          path,
          '--resource-version',
          rv,
          '--events',
          String(events),
        ];
        const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        let ready: Promise<unknown> = Promise.resolve();
        child.stdout.on('data', (c: Buffer) => {
          const before = out;
          out += c.toString();
          if (!before.includes('ready\n') && out.includes('ready\n')) ready = whenReady();
        });
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          ready.then(() => {
            if (code !== 0)
              return reject(new Error(`watch-once ${client} exited ${code}: ${err.slice(-2000)}`));
            const line = out.trim().split('\n').pop() ?? '';
            try {
              resolve(JSON.parse(line) as WatchOnceResult);
            } catch {
              reject(
                new Error(`watch-once ${client} printed no result: ${out.slice(-500)} ${err.slice(-500)}`),
              );
            }
          }, reject);
        });
      });

    const record = (scenario: Scenario, r: WatchOnceResult, load1: number, run: number): void => {
      if (r.distinct !== r.events)
        throw new Error(`${r.client} ${scenario}: ${r.events} events but ${r.distinct} distinct: duplicates`);
      results.push({ ...r, scenario, load1 });
      log(
        `  run ${run} ${scenario.padEnd(6)} ${r.client.padEnd(11)} ${r.events} events in ${r.wallMs.toFixed(0).padStart(6)} ms ` +
          `(${(r.events / (r.wallMs / 1000)).toFixed(0)}/s, first after ${r.firstEventMs.toFixed(0)} ms)  ` +
          `CPU ${r.cpuMs.toFixed(0)} ms  peak RSS ${r.maxRssMB.toFixed(0)} MB (base ${r.baseRssMB.toFixed(0)})  load ${load1.toFixed(2)}`,
      );
    };

    // One unrecorded live watch per client warms the API server's watch path and the bundle's page cache.
    for (const client of CLIENTS) {
      const rv = await resourceVersion();
      await watchOnce(client, rv, OBJECTS, () => patchAll(`warm-${client}`));
    }
    patchRates.length = 0;

    for (let run = 1; run <= RUNS; run++) {
      const order = run % 2 === 1 ? CLIENTS : [...CLIENTS].reverse();
      // Replay: the backlog first, then each client takes in the very same events.
      const rv = await resourceVersion();
      for (let round = 0; round < ROUNDS; round++) await patchAll(`replay-${run}-${round}`);
      for (const client of order) {
        const load1 = loadavg()[0] as number;
        record('replay', await watchOnce(client, rv, OBJECTS * ROUNDS), load1, run);
      }
      // Live: the patches while the client watches.
      for (const client of order) {
        const load1 = loadavg()[0] as number;
        const at = await resourceVersion();
        const r = await watchOnce(client, at, OBJECTS, () => patchAll(`live-${run}-${client}`));
        record('live', r, load1, run);
      }
    }
  } finally {
    writer.close();
    await cp.stop();
    if (bundles) rmSync(bundles, { recursive: true, force: true });
  }

  console.log('\n## Watch: ours vs client-node\n');
  console.log(
    `${OBJECTS} Kustomizations across ${NAMESPACES.length} namespaces, ~${eventKB.toFixed(1)} KB of JSON each; ` +
      `label patches at a median ${median(patchRates).toFixed(0)} patches/s (${WRITERS} in flight).\n`,
  );
  const rows = [
    '| scenario | client | events | wall ms (min–max) | events/s | first event ms | CPU ms | CPU µs / event | peak RSS MB (base) | load (1 min) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const scenario of ['replay', 'live'] as const)
    for (const client of CLIENTS) {
      const xs = results.filter((r) => r.scenario === scenario && r.client === client);
      if (xs.length === 0) continue;
      const ms = xs.map((x) => x.wallMs);
      const wall = median(ms);
      const events = xs[0]?.events ?? 0;
      const cpu = median(xs.map((x) => x.cpuMs));
      const loads = xs.map((x) => x.load1);
      rows.push(
        `| ${scenario} | ${client} | ${events.toLocaleString('en-US')} | ${wall.toFixed(0)} (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}) | ` +
          `${(events / (wall / 1000)).toFixed(0)} | ${median(xs.map((x) => x.firstEventMs)).toFixed(0)} | ${cpu.toFixed(0)} | ` +
          `${((cpu * 1000) / events).toFixed(0)} | ${median(xs.map((x) => x.maxRssMB)).toFixed(0)} (${median(xs.map((x) => x.baseRssMB)).toFixed(0)}) | ` +
          `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`,
      );
    }
  console.log(rows.join('\n'));
  if (process.env.BENCH_JSON)
    writeFileSync(
      process.env.BENCH_JSON,
      JSON.stringify({ date: new Date().toISOString(), eventKB, patchRates, results }, null, 2) + '\n',
    );
}

await main();
