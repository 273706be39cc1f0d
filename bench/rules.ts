/**
 * Rules benchmark (`node --import tsx bench/rules.ts`).
 *
 * 1. The built-in rules (namespace variant) evaluated over 100,000 series: gotk_reconcile_condition for
 *    16,000 objects × 4 statuses, flux_resource_info for 36,000 objects, plus controller readiness.
 *    Target < 250 ms. The series store is built once, outside the timing (it belongs to the metrics stage).
 * 2. 1,000 alerting rules (text of one rule file) parsed, validated, expressions parsed and type-checked,
 *    templates parsed. Target < 100 ms.
 *
 * Median and min of BENCH_RUNS runs (default 7) after 2 warm-up runs. Prints a Markdown table for
 * BENCHMARKS.md, and JSON with BENCH_JSON=FILE.
 */
import { writeFileSync } from 'node:fs';
import { SeriesStore, type SeriesInput } from '../src/promql/index.js';
import { evaluateAlerts } from '../src/rules/alerts.js';
import { builtinRuleGroups } from '../src/rules/builtin.js';
import { parseRuleText } from '../src/rules/load.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const NOW = Date.parse('2026-11-20T12:00:00Z');
const KINDS = ['Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket'];

function makeSeries(): SeriesInput[] {
  const out: SeriesInput[] = [];
  const sample = (v: number) => [{ t: NOW, v }];
  // 16,000 objects × 4 statuses of gotk_reconcile_condition = 64,000 series; 1 in 50 failing.
  for (let i = 0; i < 16_000; i++) {
    const failing = i % 50 === 0;
    const base = {
      kind: KINDS[i % KINDS.length] as string,
      name: `obj-${i}`,
      namespace: `ns-${i % 200}`,
      type: 'Ready',
    };
    const since = NOW - (i % 30) * 60_000;
    for (const status of ['True', 'False', 'Unknown', 'Deleted']) {
      const v = status === 'Deleted' ? 0 : (status === 'False') === failing && status !== 'Unknown' ? 1 : 0;
      out.push({
        labels: { __name__: 'gotk_reconcile_condition', ...base, status },
        samples: sample(v),
        since,
      });
    }
  }
  // 35,990 flux_resource_info series; 1 in 40 not ready, 1 in 100 suspended.
  for (let i = 0; i < 35_990; i++) {
    const notReady = i % 40 === 0;
    out.push({
      labels: {
        __name__: 'flux_resource_info',
        uid: `uid-${i}`,
        kind: KINDS[i % KINDS.length] as string,
        name: `res-${i}`,
        exported_namespace: `ns-${i % 200}`,
        ready: notReady ? 'False' : 'True',
        reason: notReady ? (i % 80 === 0 ? 'DependencyNotReady' : 'BuildFailed') : 'Succeeded',
        suspended: i % 100 === 0 ? 'True' : 'False',
        revision: `main@sha1:${i.toString(16).padStart(40, '0')}`,
      },
      samples: sample(1),
      since: NOW - (i % 60) * 60_000,
    });
  }
  for (let i = 0; i < 10; i++) {
    out.push({
      labels: { __name__: 'flux_health_component_ready', name: `controller-${i}`, namespace: 'flux-system' },
      samples: sample(i === 3 ? 0 : 1),
      since: NOW - 20 * 60_000,
    });
  }
  return out;
}

function makeRuleFile(n: number): string {
  const exprs = [
    (i: number) =>
      `max(gotk_reconcile_condition{status="False",type="Ready",kind="K${i}"}) by (namespace, name, kind) + on(namespace, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (namespace, name, kind)) * 2 == 1`,
    (i: number) => `flux_resource_info{ready="False",suspended="False",reason!~"Dep.*|X${i}"} == 1`,
    (i: number) =>
      `sum by (kind) (flux_resource_info{ready!="True"}) / count by (kind) (flux_resource_info) > 0.${(i % 9) + 1}`,
    (i: number) => `absent(flux_health_component_ready{name="c${i}"}) or flux_health_component_ready == 0`,
  ];
  let text = 'groups:\n';
  for (let g = 0; g < n / 50; g++) {
    text += `  - name: group-${g}\n    interval: 1m\n    rules:\n`;
    for (let r = 0; r < 50; r++) {
      const i = g * 50 + r;
      text +=
        `      - alert: Rule${i}\n` +
        `        expr: ${(exprs[i % exprs.length] as (i: number) => string)(i)}\n` +
        `        for: ${i % 15}m\n` +
        `        labels:\n          severity: ${i % 2 ? 'warning' : 'critical'}\n          team: '{{ $labels.namespace }}'\n` +
        `        annotations:\n          summary: '{{ $labels.kind }} {{ $labels.namespace }}/{{ $labels.name }} is failing ({{ $value | humanize }})'\n` +
        `          description: '{{ if gt $value 1.0 }}many{{ else }}one{{ end }} {{ printf "%.2f" $value }}'\n`;
    }
  }
  return text;
}

interface Figure {
  name: string;
  medianMs: number;
  minMs: number;
  targetMs: number;
  detail: string;
}

function measure(name: string, targetMs: number, fn: () => string): Figure {
  let detail = '';
  for (let i = 0; i < 2; i++) detail = fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    detail = fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return {
    name,
    medianMs: times[Math.floor(times.length / 2)] as number,
    minMs: times[0] as number,
    targetMs,
    detail,
  };
}

const series = makeSeries();
const store = new SeriesStore(series);
const groups = builtinRuleGroups('namespace');
const text = makeRuleFile(1000);

const figures = [
  measure(`built-in rules over ${series.length.toLocaleString('en')} series`, 250, () => {
    const r = evaluateAlerts(groups, store, { nowMs: NOW });
    if (r.errors.length > 0) throw new Error(r.errors[0]?.message);
    const firing = r.alerts.filter((a) => a.state === 'firing').length;
    return `${r.alerts.length} alerts (${firing} firing)`;
  }),
  measure('1,000 rules parsed and checked', 100, () => {
    const r = parseRuleText(text, 'bench.yml');
    if (r.errors.length > 0) throw new Error(r.errors[0]?.message);
    return `${r.groups.reduce((n, g) => n + g.rules.length, 0)} rules, ${(text.length / 1024).toFixed(0)} KiB`;
  }),
];

console.log(`Node ${process.version}, ${RUNS} runs after 2 warm-ups\n`);
console.log('| benchmark | median | min | target | result |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const f of figures) {
  console.log(
    `| ${f.name} | ${f.medianMs.toFixed(1)} ms | ${f.minMs.toFixed(1)} ms | < ${f.targetMs} ms | ${f.detail} |`,
  );
}
const jsonPath = process.env['BENCH_JSON'];
if (jsonPath)
  writeFileSync(jsonPath, JSON.stringify({ node: process.version, runs: RUNS, figures }, null, 2) + '\n');
