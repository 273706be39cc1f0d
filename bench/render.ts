/**
 * Summary and comment rendering for large clusters (`npm run bench -- render`), beside the
 * analysis of the same Inventory in the same process: 1,000 to 10,000 objects. Median of
 * BENCH_RUNS (default 5). Target (issue "What people read"): the summary of a 10,000-object
 * cluster renders in under 1 s and stays under GitHub's 1 MiB.
 */
import { analyse, loadRules } from '../src/pipeline.js';
import { renderComment } from '../src/render/comment.js';
import { renderSummary, SUMMARY_BUDGET_BYTES } from '../src/render/summary.js';
import { DEFAULT_FAIL_ON } from '../src/rules/gate.js';
import { viewOf } from '../src/run.js';
import { decideVerdict } from '../src/verdict.js';
import { syntheticInventory } from '../test/metrics/synthetic.js';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const now = new Date('2026-11-21T12:00:00Z');
const tool = { name: 'flux-health', version: '0.1.0', platform: 'linux/amd64' };
const rules = loadRules([], true);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const time = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
};

console.log(`[bench:render] node ${process.version}, ${RUNS} runs, median ms`);
console.log('| objects | failing | analyse | summary | comment | summary bytes |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
let missed = false;
for (const n of SIZES) {
  const inv = syntheticInventory(n);
  const a: number[] = [];
  const s: number[] = [];
  const c: number[] = [];
  let bytes = 0;
  let failing = 0;
  for (let r = 0; r < RUNS + 1; r++) {
    const [analysis, ta] = await time(() => analyse(inv, { now, tool, rules, durationMs: 0 }));
    const verdict = decideVerdict({ ...analysis, failOn: DEFAULT_FAIL_ON });
    const view = viewOf(analysis, inv, verdict, now, { artifactName: 'flux-health' });
    const [summary, ts] = await time(() => renderSummary(view));
    const [, tc] = await time(() => renderComment(view));
    if (r === 0) continue; // warm-up
    a.push(ta);
    s.push(ts);
    c.push(tc);
    bytes = Buffer.byteLength(summary);
    failing = analysis.health.failing.length;
  }
  console.log(
    `| ${n} | ${failing} | ${median(a).toFixed(0)} | ${median(s).toFixed(0)} | ${median(c).toFixed(0)} | ${bytes} |`,
  );
  if (n >= 10_000 && (median(s) > 1000 || bytes > SUMMARY_BUDGET_BYTES)) missed = true;
}
console.log(`[bench:render] 10,000 objects: summary under 1 s and 1 MiB${missed ? ' TARGET MISSED' : ''}`);
