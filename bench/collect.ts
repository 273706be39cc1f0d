/**
 * Collection benchmark (`npm run bench`, or `node --import tsx bench/collect.ts`).
 *
 * Starts a real control plane (etcd + kube-apiserver with the Flux CRDs), fills it through the API
 * with generated Flux objects of every kind spread over namespaces, growing cumulatively through
 * the sizes, and at each size measures our `collect()` against the raw floor (the same requests,
 * plain `https` + `JSON.parse`), and those same requests through our KubeClient alone
 * (bench/kubeclient-once.ts) and through `@kubernetes/client-node`'s own API
 * (bench/client-node-once.ts: as documented, and with a shared keep-alive agent), each run in its
 * own child process (bench/*-once.ts) so peak RSS and CPU are the measured work's own. Median of
 * BENCH_RUNS runs per mode, the order rotating; BENCHMARKS.md ("Kubernetes client") reads them.
 *
 * Environment:
 *   BENCH_SIZES            cumulative object counts (default 1000,10000,50000)
 *   BENCH_RUNS             measured runs per mode and size (default 3)
 *   BENCH_NAMESPACES       namespaces the objects are spread over (default 16)
 *   BENCH_FILL_CONCURRENCY objects created at once (default 24)
 *   BENCH_FILL_BUDGET_S    a size whose estimated fill exceeds this is skipped (default 900)
 *   BENCH_JSON             also write the results as JSON to this file
 *
 * Exits non-zero only on errors; a missed target prints "TARGET MISSED".
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startControlPlane, type ControlPlane } from '../test/envtest/control-plane.js';
import {
  FLUX_KINDS,
  GENERATED_KINDS,
  generateFluxObjects,
  type GeneratedKind,
  type KubeObject,
} from '../test/support/flux-objects.js';
import { Writer, createObject } from './api-writer.js';
import { bundle } from './bundle.js';
import type { OnceMode, OnceResult } from './once-common.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NAMESPACE_COUNT = Number(process.env.BENCH_NAMESPACES ?? 16);
const FILL_CONCURRENCY = Number(process.env.BENCH_FILL_CONCURRENCY ?? 24);
const FILL_BUDGET_S = Number(process.env.BENCH_FILL_BUDGET_S ?? 900);
const FLUX_NAMESPACE = 'flux-system';
const PAGE_SIZE = 500;
const CONCURRENCY = 4; // collect()'s default
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 300;
const TARGET_SIZE = 10_000;
/** Marginal cost per object may grow by this much between size steps and still count as linear. */
const LINEAR_TOLERANCE = 1.25;

const log = (line: string): void => console.log(`[bench:collect] ${line}`);
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

// ---------------------------------------------------------------------------------------------
// Fill.

const NAMESPACES: string[] = [
  FLUX_NAMESPACE,
  ...Array.from(
    { length: Math.max(0, NAMESPACE_COUNT - 1) },
    (_, i) => `team-${String(i + 1).padStart(2, '0')}`,
  ),
];

/** Per-kind counts that add up to exactly `n`: FluxInstance is a singleton, the rest share evenly. */
function perKindFor(n: number): Partial<Record<GeneratedKind, number>> {
  const shared = GENERATED_KINDS.filter((k) => k !== 'FluxInstance');
  const rest = n - 1;
  const each = Math.floor(rest / shared.length);
  const out: Partial<Record<GeneratedKind, number>> = { FluxInstance: 1 };
  shared.forEach((k, i) => (out[k] = each + (i < rest % shared.length ? 1 : 0)));
  return out;
}

const keyOf = (o: KubeObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

interface FillResult {
  created: number;
  seconds: number;
  rate: number;
}

async function fill(w: Writer, objects: KubeObject[], total: number, have: number): Promise<FillResult> {
  const t0 = performance.now();
  let done = 0;
  let next = 0;
  let lastPrint = t0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const o = objects[next++] as KubeObject;
      await createObject(w, o, log);
      done++;
      const now = performance.now();
      if (now - lastPrint > 5000) {
        lastPrint = now;
        const rate = done / ((now - t0) / 1000);
        const left = (objects.length - done) / rate;
        log(
          `  fill ${have + done}/${total} (${rate.toFixed(0)} objects/s, ~${left.toFixed(0)} s left, load ${load()})`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILL_CONCURRENCY, objects.length) }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return { created: done, seconds, rate: done / seconds };
}

// ---------------------------------------------------------------------------------------------
// Measure.

type Once = OnceResult & { load1: number };

const MODES: readonly OnceMode[] = ['collect', 'kubeclient', 'raw', 'client-node', 'client-node-ka'];

/** Each mode's program: esbuild bundles like dist/, or the TypeScript under tsx (BENCH_TSX=1). */
const programs: Record<OnceMode, string[]> = {
  collect: ['--import', 'tsx', join(ROOT, 'bench', 'collect-once.ts')],
  kubeclient: ['--import', 'tsx', join(ROOT, 'bench', 'kubeclient-once.ts')],
  raw: ['--import', 'tsx', join(ROOT, 'bench', 'raw-once.ts')],
  'client-node': ['--import', 'tsx', join(ROOT, 'bench', 'client-node-once.ts')],
  'client-node-ka': ['--import', 'tsx', join(ROOT, 'bench', 'client-node-once.ts'), '--keep-alive'],
};

/**
 * Bundles the measured programs with esbuild the way scripts/build.sh bundles dist/ (see bundle.ts), so
 * the measured process loads code as the shipped action does.
 */
async function buildPrograms(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'flux-health-bench-'));
  const t0 = performance.now();
  programs.collect = [await bundle('collect-once', join(out, 'collect'))];
  programs.kubeclient = [await bundle('kubeclient-once', join(out, 'kubeclient'))];
  programs.raw = [await bundle('raw-once', join(out, 'raw'))];
  const clientNode = await bundle('client-node-once', join(out, 'client-node'));
  programs['client-node'] = [clientNode];
  programs['client-node-ka'] = [clientNode, '--keep-alive'];
  log(
    `bundled the measured programs with esbuild in ${((performance.now() - t0) / 1000).toFixed(1)} s (load ${load()})`,
  );
  return out;
}

function runOnce(mode: OnceMode, kubeconfig: string): Promise<Once> {
  const load1 = loadavg()[0] as number;
  const args = [
    ...programs[mode],
    '--kubeconfig',
    kubeconfig,
    '--namespace',
    FLUX_NAMESPACE,
    '--page-size',
    String(PAGE_SIZE),
    '--concurrency',
    String(CONCURRENCY),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${mode} run exited ${code}: ${err.slice(-2000)}`));
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve({ ...(JSON.parse(line) as OnceResult), load1 });
      } catch {
        reject(new Error(`${mode} run printed no result: ${out.slice(-500)} ${err.slice(-500)}`));
      }
    });
  });
}

interface SizeResult {
  size: number;
  fill: FillResult;
  collect: Once[];
  kubeclient: Once[];
  raw: Once[];
  'client-node': Once[];
  'client-node-ka': Once[];
  apiserverRssMB: number;
  etcdRssMB: number;
}

interface Summary {
  size: number;
  objects: number;
  collectMs: number;
  rawMs: number;
  ratio: number;
  collectRate: number;
  rawRate: number;
  collectRssMB: number;
  rawRssMB: number;
  collectBaseRssMB: number;
  rawBaseRssMB: number;
  collectRequests: number;
  rawRequests: number;
  rawMB: number;
  load: string;
}

function summarize(r: SizeResult): Summary {
  const c = median(r.collect.map((x) => x.wallMs));
  const w = median(r.raw.map((x) => x.wallMs));
  const objects = r.collect[0]?.objects ?? 0;
  const loads = [...r.collect, ...r.raw].map((x) => x.load1);
  return {
    size: r.size,
    objects,
    collectMs: c,
    rawMs: w,
    ratio: c / w,
    collectRate: objects / (c / 1000),
    rawRate: objects / (w / 1000),
    collectRssMB: median(r.collect.map((x) => x.maxRssMB)),
    rawRssMB: median(r.raw.map((x) => x.maxRssMB)),
    collectBaseRssMB: median(r.collect.map((x) => x.baseRssMB)),
    rawBaseRssMB: median(r.raw.map((x) => x.baseRssMB)),
    collectRequests: median(r.collect.map((x) => x.requests)),
    rawRequests: median(r.raw.map((x) => x.requests)),
    rawMB: median(r.raw.map((x) => x.bytes ?? 0)) / 1024 / 1024,
    load: `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
  };
}

function procRssMB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function measure(
  size: number,
  kubeconfig: string,
  fillResult: FillResult,
  cp: ControlPlane,
): Promise<SizeResult> {
  // One unrecorded run of each mode warms the API server's caches and the page cache of each
  // program (bundle, or tsx's compile cache).
  for (const mode of MODES) await runOnce(mode, kubeconfig);
  const res: SizeResult = {
    size,
    fill: fillResult,
    collect: [],
    kubeclient: [],
    raw: [],
    'client-node': [],
    'client-node-ka': [],
    apiserverRssMB: 0,
    etcdRssMB: 0,
  };
  for (let i = 0; i < RUNS; i++) {
    // The order rotates run by run, so each mode goes first, second, ... in turn.
    const order = MODES.map((_, j) => MODES[(i + j) % MODES.length] as OnceMode);
    for (const mode of order) {
      const r = await runOnce(mode, kubeconfig);
      res[mode].push(r);
      log(
        `  ${size} run ${i + 1} ${mode.padEnd(14)} ${r.wallMs.toFixed(0).padStart(6)} ms  CPU ${r.cpuMs.toFixed(0).padStart(6)} ms  ${r.objects} objects  ` +
          `${r.requests} requests  peak RSS ${r.maxRssMB.toFixed(0)} MB (base ${r.baseRssMB.toFixed(0)})  load ${r.load1.toFixed(2)}`,
      );
    }
  }
  res.apiserverRssMB = procRssMB(cp.pids.kubeApiserver);
  res.etcdRssMB = procRssMB(cp.pids.etcd);
  return res;
}

// ---------------------------------------------------------------------------------------------

function table(sums: Summary[]): string {
  const rows = [
    '| objects | collect ms | raw ms | ratio | collect obj/s | raw obj/s | collect peak RSS MB (base) | raw peak RSS MB (base) | requests collect / raw | raw MB | load (1 min) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of sums) {
    rows.push(
      `| ${s.objects.toLocaleString('en-US')} | ${s.collectMs.toFixed(0)} | ${s.rawMs.toFixed(0)} | ${s.ratio.toFixed(2)} | ` +
        `${s.collectRate.toFixed(0)} | ${s.rawRate.toFixed(0)} | ${s.collectRssMB.toFixed(0)} (${s.collectBaseRssMB.toFixed(0)}) | ` +
        `${s.rawRssMB.toFixed(0)} (${s.rawBaseRssMB.toFixed(0)}) | ${s.collectRequests} / ${s.rawRequests} | ${s.rawMB.toFixed(1)} | ${s.load} |`,
    );
  }
  return rows.join('\n');
}

const LABELS: Record<OnceMode, string> = {
  collect: 'ours: collect() (the product)',
  kubeclient: 'ours: KubeClient alone',
  raw: 'raw floor: https + JSON.parse',
  'client-node': 'client-node, as documented',
  'client-node-ka': 'client-node + keep-alive agent',
};

/** Every mode side by side: wall time (median, min–max), CPU, peak RSS, requests. */
function clientsTable(results: SizeResult[]): string {
  const rows = [
    '| objects | mode | wall ms (min–max) | × raw | CPU ms | CPU × raw | peak RSS MB (base) | requests | load (1 min) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const rawMs = median(r.raw.map((x) => x.wallMs));
    const rawCpu = median(r.raw.map((x) => x.cpuMs));
    for (const mode of MODES) {
      const xs = r[mode];
      if (xs.length === 0) continue;
      const ms = xs.map((x) => x.wallMs);
      const wall = median(ms);
      const cpu = median(xs.map((x) => x.cpuMs));
      const loads = xs.map((x) => x.load1);
      rows.push(
        `| ${(xs[0]?.objects ?? 0).toLocaleString('en-US')} | ${LABELS[mode]} | ${wall.toFixed(0)} (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}) | ` +
          `${(wall / rawMs).toFixed(2)} | ${cpu.toFixed(0)} | ${(cpu / rawCpu).toFixed(2)} | ` +
          `${median(xs.map((x) => x.maxRssMB)).toFixed(0)} (${median(xs.map((x) => x.baseRssMB)).toFixed(0)}) | ` +
          `${median(xs.map((x) => x.requests))} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`,
      );
    }
  }
  return rows.join('\n');
}

function linearity(sums: Summary[]): { lines: string[]; linear: boolean } {
  const lines = [
    '| objects | collect ms / 1k | raw ms / 1k | collect marginal ms / 1k | raw marginal ms / 1k | collect − raw ms / 1k |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  let linear = true;
  let prevMarginal: number | undefined;
  sums.forEach((s, i) => {
    const per = (ms: number): number => ms / (s.objects / 1000);
    const prev = sums[i - 1];
    let mc = '–';
    let mr = '–';
    if (prev) {
      const dk = (s.objects - prev.objects) / 1000;
      const c = (s.collectMs - prev.collectMs) / dk;
      mc = c.toFixed(1);
      mr = ((s.rawMs - prev.rawMs) / dk).toFixed(1);
      if (prevMarginal !== undefined && c > prevMarginal * LINEAR_TOLERANCE) linear = false;
      prevMarginal = c;
    }
    lines.push(
      `| ${s.objects.toLocaleString('en-US')} | ${per(s.collectMs).toFixed(1)} | ${per(s.rawMs).toFixed(1)} | ${mc} | ${mr} | ${per(s.collectMs - s.rawMs).toFixed(1)} |`,
    );
  });
  // With only two sizes there is one marginal step; compare it with the smallest size's average instead.
  if (sums.length === 2) {
    const [a, b] = sums as [Summary, Summary];
    const marginal = (b.collectMs - a.collectMs) / ((b.objects - a.objects) / 1000);
    linear = marginal <= (a.collectMs / (a.objects / 1000)) * LINEAR_TOLERANCE;
  }
  return { lines, linear };
}

async function main(): Promise<void> {
  log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB, Node ${process.version}, load ${load()}`,
  );
  log(
    `sizes ${SIZES.join(', ')}; modes ${MODES.join(', ')}; ${RUNS} runs per mode; page size ${PAGE_SIZE}; ${CONCURRENCY} kinds in flight`,
  );
  const bundles = process.env.BENCH_TSX === '1' ? undefined : await buildPrograms();
  if (!bundles) log('BENCH_TSX=1: measuring the TypeScript under tsx (RSS includes the tsx loader)');
  const cp = await startControlPlane({ log: (m) => log(m) });
  const stopOnSignal = (): void => {
    void cp.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const writer = new Writer(cp.adminKubeconfigPath, FILL_CONCURRENCY);
  const results: SizeResult[] = [];
  const skipped: string[] = [];
  try {
    for (const ns of NAMESPACES) await writer.send('POST', '/api/v1/namespaces', { metadata: { name: ns } });
    log(
      `${NAMESPACES.length} namespaces, ${GENERATED_KINDS.length} kinds (${FLUX_KINDS.length} Flux + operator)`,
    );
    const existing = new Set<string>();
    let rate: number | undefined;
    for (const size of SIZES) {
      const all = generateFluxObjects({
        seed: 'bench-collect',
        now: '2026-01-15T12:00:00Z',
        namespaces: NAMESPACES,
        fluxNamespace: FLUX_NAMESPACE,
        perKind: perKindFor(size),
      });
      const todo = all.filter((o) => !existing.has(keyOf(o)));
      if (rate !== undefined) {
        const estimate = todo.length / rate;
        if (estimate > FILL_BUDGET_S) {
          const why =
            `${size}: adding ${todo.length} objects at the measured ${rate.toFixed(0)} objects/s would take ` +
            `~${(estimate / 60).toFixed(1)} min, over the ${(FILL_BUDGET_S / 60).toFixed(0)} min fill budget (BENCH_FILL_BUDGET_S)`;
          log(`SKIPPED ${why}`);
          skipped.push(why);
          continue;
        }
        log(`filling to ${size}: ${todo.length} objects, estimated ${estimate.toFixed(0)} s`);
      } else {
        log(`filling to ${size}: ${todo.length} objects`);
      }
      const f = await fill(writer, todo, size, existing.size);
      for (const o of todo) existing.add(keyOf(o));
      rate = f.rate;
      log(
        `filled ${existing.size} objects (+${f.created} in ${f.seconds.toFixed(1)} s, ${f.rate.toFixed(0)} objects/s, load ${load()})`,
      );
      const r = await measure(existing.size, cp.adminKubeconfigPath, f, cp);
      const counts = new Set(MODES.flatMap((m) => r[m]).map((x) => x.objects));
      if (counts.size !== 1 || !counts.has(existing.size))
        throw new Error(`object counts disagree: created ${existing.size}, listed ${[...counts].join(', ')}`);
      results.push(r);
    }
  } finally {
    writer.close();
    await cp.stop();
    if (bundles) rmSync(bundles, { recursive: true, force: true });
  }

  const sums = results.map(summarize);
  console.log('\n## Collection\n');
  console.log(table(sums));
  console.log('\n## Kubernetes clients: ours vs client-node\n');
  console.log(clientsTable(results));
  console.log(
    '\nLinearity (marginal = extra ms per extra 1k objects from the previous size; collect − raw = our own cost over the floor, which the server does not affect):\n',
  );
  const lin = linearity(sums);
  console.log(lin.lines.join('\n'));
  console.log('\nFill and server:\n');
  for (const r of results)
    console.log(
      `- ${r.size}: +${r.fill.created} objects in ${r.fill.seconds.toFixed(1)} s (${r.fill.rate.toFixed(0)} objects/s); ` +
        `kube-apiserver RSS ${r.apiserverRssMB.toFixed(0)} MB, etcd RSS ${r.etcdRssMB.toFixed(0)} MB after measuring`,
    );
  for (const s of skipped) console.log(`- skipped ${s}`);

  const verdicts: string[] = [];
  const at = sums.find((s) => s.size === TARGET_SIZE);
  if (!at) {
    verdicts.push(
      `TARGET MISSED: ${TARGET_SIZE} objects were not measured, so the targets cannot be checked`,
    );
  } else {
    const ratioOk = at.ratio <= TARGET_RATIO;
    const rssOk = at.collectRssMB < TARGET_RSS_MB;
    verdicts.push(
      `${ratioOk ? 'target met' : 'TARGET MISSED'}: ${TARGET_SIZE} objects collected in ${at.ratio.toFixed(2)}× the raw floor (target ≤ ${TARGET_RATIO}×)`,
    );
    verdicts.push(
      `${rssOk ? 'target met' : 'TARGET MISSED'}: peak RSS ${at.collectRssMB.toFixed(0)} MB at ${TARGET_SIZE} objects (target < ${TARGET_RSS_MB} MB)`,
    );
  }
  if (sums.length >= 2)
    verdicts.push(
      `${lin.linear ? 'target met' : 'TARGET MISSED'}: cost grows linearly (marginal ms per 1k objects rises by at most ${LINEAR_TOLERANCE}× between steps)`,
    );
  console.log('\n' + verdicts.map((v) => `- ${v}`).join('\n'));

  if (process.env.BENCH_JSON)
    writeFileSync(
      process.env.BENCH_JSON,
      JSON.stringify(
        { date: new Date().toISOString(), results, summaries: sums, skipped, verdicts },
        null,
        2,
      ) + '\n',
    );
}

await main();
