/**
 * PromQL engine speed on a Flux-sized store: `npx tsx bench/promql.ts [objects]`.
 *
 * Builds gotk_reconcile_condition the way Flux controllers export it (four status series per object and
 * condition type, scrape labels on every series) plus one flux_resource_info series per object, then
 * prints: store build ms, ReconciliationFailure evaluation ms (median of 5), a flux_resource_info selector
 * rule ms (median of 5), and 1,000 rules parsed and checked ms. Targets: evaluation under 250 ms for
 * 100,000 series, 1,000 rules under 100 ms. Note `uptime` beside the figures: the machine is shared.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { SeriesStore, evaluateInstant, parseExpr, type SeriesInput } from '../src/promql/index.js';

const NOW = 1_700_000_000_000;
const KINDS = [
  ['Kustomization', 'kustomize-controller'],
  ['HelmRelease', 'helm-controller'],
  ['GitRepository', 'source-controller'],
  ['HelmRepository', 'source-controller'],
  ['OCIRepository', 'source-controller'],
  ['Bucket', 'source-controller'],
  ['HelmChart', 'source-controller'],
  ['ImageRepository', 'image-reflector-controller'],
] as const;
const STATUSES = ['True', 'False', 'Unknown', 'Deleted'] as const;

/** A small deterministic generator so runs compare (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateFluxSeries(objects: number, seed = 1): SeriesInput[] {
  const rand = rng(seed);
  const out: SeriesInput[] = [];
  for (let i = 0; i < objects; i++) {
    const [kind, controller] = KINDS[i % KINDS.length] as (typeof KINDS)[number];
    const namespace = `team-${Math.floor(i / 40) % 600}`;
    const name = `app-${i}`;
    const scrape = {
      instance: `10.42.${(i >> 8) & 255}.${i & 255}:8080`,
      job: `flux-system/${controller}`,
      pod: `${controller}-6d8f7b9c4-${(i % 9973).toString(36)}`,
      exported_namespace: namespace,
    };
    const r = rand();
    // 90% ready, 6% failing, 2% unknown, 2% deleted.
    const state = r < 0.9 ? 'True' : r < 0.96 ? 'False' : r < 0.98 ? 'Unknown' : 'Deleted';
    const since = NOW - Math.floor(rand() * 3_600_000);
    for (const status of STATUSES) {
      out.push({
        labels: {
          __name__: 'gotk_reconcile_condition',
          kind,
          name,
          namespace,
          type: 'Ready',
          status,
          ...scrape,
        },
        samples: [{ t: NOW - 15_000, v: status === state ? 1 : 0 }],
        since,
      });
    }
    out.push({
      labels: {
        __name__: 'flux_resource_info',
        kind,
        name,
        exported_namespace: namespace,
        ready: state === 'True' ? 'True' : state === 'False' ? 'False' : 'Unknown',
        suspended: rand() < 0.03 ? 'True' : 'False',
        revision: `main@sha1:${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}`,
        source_name: `repo-${i % 50}`,
        instance: scrape.instance,
        job: 'kube-state-metrics',
      },
      samples: [{ t: NOW - 15_000, v: 1 }],
      since,
    });
  }
  return out;
}

export const RECONCILIATION_FAILURE =
  'max(gotk_reconcile_condition{status="False",type="Ready"}) by (namespace, name, kind) + on(namespace, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (namespace, name, kind)) * 2 == 1';
export const RESOURCE_NOT_READY = 'flux_resource_info{ready="False",suspended="False"}';

/** 1,000 distinct rule expressions of the shapes Flux monitoring uses. */
export function ruleCorpus(n = 1000): string[] {
  const shapes = [
    (i: number) =>
      `max(gotk_reconcile_condition{status="False",type="Ready",kind="K${i}"}) by (namespace, name, kind) + on(namespace, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (namespace, name, kind)) * 2 == 1`,
    (i: number) =>
      `flux_resource_info{ready="False",suspended="False",exported_namespace=~"team-${i}.*"} == 1`,
    (i: number) => `count by (kind) (flux_resource_info{ready!="True"}) > ${i}`,
    (i: number) =>
      `sum without (instance, pod) (gotk_reconcile_condition{status="Unknown"}) / ignoring(status) group_left sum without (instance, pod, status) (gotk_reconcile_condition) > 0.${i}`,
    (i: number) => `absent(gotk_reconcile_condition{job="flux-system/controller-${i}"})`,
  ];
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) out.push((shapes[i % shapes.length] as (i: number) => string)(i));
  return out;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Wall-clock ms; the process CPU ms (all threads, GC included) goes to `cpu` as a load-independent check. */
let lastCpuMs = 0;
function time<T>(f: () => T): [number, T] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000;
  return [wall, r];
}

function main(): void {
  const objects = Number(process.argv[2] ?? 25_000);
  const input = generateFluxSeries(objects);
  const gotk = input.filter((s) => s.labels.__name__ === 'gotk_reconcile_condition').length;
  console.log(`series: ${input.length} (${gotk} gotk_reconcile_condition, ${objects} objects)`);
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const [buildMs, store] = time(() => new SeriesStore(input));
  console.log(`store build: ${buildMs.toFixed(1)} ms (cpu ${lastCpuMs.toFixed(1)} ms)`);

  const runs = (expr: string): { ms: number; cpu: number; results: number } => {
    const times: number[] = [];
    const cpu: number[] = [];
    let results = 0;
    for (let i = 0; i < 5; i++) {
      const [ms, v] = time(() => evaluateInstant(expr, store, NOW));
      times.push(ms);
      cpu.push(lastCpuMs);
      results = v.type === 'vector' ? v.samples.length : 1;
    }
    return { ms: median(times), cpu: median(cpu), results };
  };
  const rf = runs(RECONCILIATION_FAILURE);
  console.log(
    `ReconciliationFailure eval: ${rf.ms.toFixed(1)} ms median of 5 (cpu ${rf.cpu.toFixed(1)} ms; ${rf.results} alerts)`,
  );
  const nr = runs(RESOURCE_NOT_READY);
  console.log(
    `flux_resource_info selector eval: ${nr.ms.toFixed(1)} ms median of 5 (cpu ${nr.cpu.toFixed(1)} ms; ${nr.results} samples)`,
  );

  const rules = ruleCorpus(1000);
  const parseTimes: number[] = [];
  const parseCpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    parseTimes.push(time(() => rules.forEach((r) => parseExpr(r)))[0]);
    parseCpu.push(lastCpuMs);
  }
  console.log(
    `1,000 rules parse+check: ${median(parseTimes).toFixed(1)} ms median of 5 (cpu ${median(parseCpu).toFixed(1)} ms)`,
  );
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

if (process.argv[1]?.endsWith('promql.ts')) main();
