/**
 * Report and metrics from an in-memory Inventory at 10,000 to 50,000 objects:
 * `npm run bench:report-metrics`. Prints the median of several runs per stage, the per-object cost
 * and the ratio between sizes (linear growth keeps µs/object flat).
 *
 * Stages: report = the FluxReport (`computeSpec` + `reportFrom`); series = `buildSeries`;
 * health+json+yaml = Flux Health's section and both report texts; exposition = prom-client text;
 * rules input = `familiesToPromSeries`; analyse = `analyse()` from src/pipeline.ts, the whole stage
 * exactly as the run calls it (report, health, series, built-in rules, every rendered text), so the
 * figure cannot drift from the wiring the product uses.
 *
 * Besides wall time it prints the process CPU time of the whole run per size: on a shared machine
 * (other builds running) wall time inflates with contention while CPU time stays close to the work done.
 */
import { buildSeries, familiesToPromSeries, renderExposition } from '../src/metrics/index.js';
import {
  buildHealthSection,
  computeSpec,
  renderReportJson,
  renderReportYaml,
  reportFrom,
} from '../src/report/index.js';
import { analyse, loadRules } from '../src/pipeline.js';
import { syntheticInventory } from '../test/metrics/synthetic.js';

const SIZES = (process.env.BENCH_SIZES ?? '10000,20000,30000,40000,50000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const now = new Date('2026-11-21T12:00:00Z');
const tool = { version: '0.1.0', platform: 'linux/amd64' };
const rules = loadRules([], true);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function measure(n: number): Promise<Record<string, number>> {
  const inv = syntheticInventory(n);
  const times: Record<string, number[]> = {};
  const add = (k: string, ms: number) => (times[k] ??= []).push(ms);
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < RUNS; r++) {
    let t = performance.now();
    const computed = computeSpec(inv);
    const report = reportFrom(inv, computed, { now, operator: tool, durationMs: 0 });
    add('report', performance.now() - t);
    t = performance.now();
    const families = buildSeries(inv, { now, tool });
    add('series', performance.now() - t);
    t = performance.now();
    const health = buildHealthSection(inv, report, { now, operator: tool, computed });
    renderReportJson(report, health);
    renderReportYaml(report);
    add('health+json+yaml', performance.now() - t);
    t = performance.now();
    await renderExposition(families);
    add('exposition', performance.now() - t);
    t = performance.now();
    familiesToPromSeries(families, now.getTime());
    add('rules input', performance.now() - t);
    t = performance.now();
    await analyse(inv, { now, tool: { name: 'flux-health', ...tool }, rules, durationMs: 0 });
    add('analyse', performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(times)) out[k] = median(v);
  out['cpu per run'] = (cpu.user + cpu.system) / 1000 / RUNS;
  out['report+series'] = out.report! + out.series!;
  out['all'] = Object.entries(out)
    .filter(([k]) => k !== 'report+series' && k !== 'cpu per run' && k !== 'analyse')
    .reduce((a, [, v]) => a + v, 0);
  return out;
}

// Warm the JIT so the first size is not penalised.
await measure(2000);
const rows: { n: number; r: Record<string, number> }[] = [];
for (const n of SIZES) rows.push({ n, r: await measure(n) });

const stages = Object.keys(rows[0]!.r);
console.log(
  `node ${process.version}, ${RUNS} runs, median wall ms (µs/object); cpu per run = process CPU ms / runs`,
);
console.log(['objects', ...stages].join(' | '));
for (const { n, r } of rows) {
  console.log(
    [n, ...stages.map((s) => `${r[s]!.toFixed(1)} (${((r[s]! * 1000) / n).toFixed(2)})`)].join(' | '),
  );
}
const first = rows[0]!;
const last = rows[rows.length - 1]!;
console.log(
  `growth ${first.n} -> ${last.n} (x${last.n / first.n}): report+series x${(last.r['report+series']! / first.r['report+series']!).toFixed(2)}, all x${(last.r.all! / first.r.all!).toFixed(2)}`,
);
