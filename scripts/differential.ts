/**
 * The long differential run: random series and expressions (seeded), evaluated by our PromQL evaluator
 * and by promtool, compared case by case. `npm test` runs a fixed 500+ case subset; this is for longer or
 * differently seeded runs.
 *
 *   npm run differential -- [--seed N] [--cases N] [--batch N] [--depth N] [--minimize] [--json]
 *
 * Prints each unexplained disagreement (expression, time, promtool's answer, ours, and the series; with
 * --minimize the series are shrunk first, with --json also as a regressions.json entry), a count per
 * allow-listed difference and per discard reason, and closes with `N agreed, M disagreed, K discarded`.
 * Exit status 1 when anything disagreed.
 */
import { describeOurs, describeTheirs } from '../test/differential/compare.js';
import { formatDuration, promtoolVersion } from '../test/differential/promtool-oracle.js';
import { minimizeDataset } from '../test/differential/minimize.js';
import { seriesNotation, type RegressionEntry } from '../test/differential/regressions.js';
import { runDifferential, type CaseResult } from '../test/differential/run.js';

interface Args {
  seed: number;
  cases: number;
  batch: number;
  depth: number;
  minimize: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    seed: Date.now() % 1_000_000,
    cases: 5000,
    batch: 250,
    depth: 4,
    minimize: false,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${a} needs a non-negative integer`);
      return v;
    };
    if (a === '--seed') args.seed = num();
    else if (a === '--cases') args.cases = num();
    else if (a === '--batch') args.batch = Math.max(1, num());
    else if (a === '--depth') args.depth = num();
    else if (a === '--minimize') args.minimize = true;
    else if (a === '--json') args.json = true;
    else throw new Error(`unknown argument ${a} (known: --seed --cases --batch --depth --minimize --json)`);
  }
  return args;
}

async function report(r: CaseResult, args: Args): Promise<void> {
  const dataset = args.minimize ? await minimizeDataset(r.dataset, r.case, r) : r.dataset;
  const reason = r.verdict.status === 'disagree' ? r.verdict.reason : '';
  console.log(`\nDISAGREE  ${r.case.expr}`);
  console.log(`  at:       ${formatDuration(r.case.timeMs)} (batch ${r.batch})`);
  console.log(`  why:      ${reason}`);
  console.log(`  promtool: ${describeTheirs(r.theirs)}`);
  console.log(`  ours:     ${describeOurs(r.ours)}`);
  console.log(`  series${args.minimize ? ' (minimised)' : ''}:`);
  for (const s of seriesNotation(dataset)) console.log(`    ${s.series}  ${s.values}`);
  if (args.json) {
    const entry: RegressionEntry = {
      id: 'TODO',
      expr: r.case.expr,
      timeMs: r.case.timeMs,
      series: seriesNotation(dataset),
      promtool: describeTheirs(r.theirs),
      oursWhenFound: describeOurs(r.ours),
      finding: reason,
    };
    console.log(JSON.stringify(entry, null, 2));
  }
}

function countBy(items: readonly CaseResult[], key: (r: CaseResult) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of items) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  console.log(`${await promtoolVersion()}`);
  console.log(`seed ${args.seed}, ${args.cases} cases, ${args.batch} per promtool run, depth ${args.depth}`);
  const started = Date.now();
  const s = await runDifferential({
    seed: args.seed,
    cases: args.cases,
    batchSize: args.batch,
    maxDepth: args.depth,
  });
  for (const r of s.disagreed) await report(r, args);
  if (s.allowed.length > 0) {
    console.log('\nAllow-listed differences (test/differential/known-differences.ts):');
    for (const [id, n] of countBy(s.allowed, (r) => r.known?.id ?? '?')) console.log(`  ${n}  ${id}`);
  }
  if (s.discarded.length > 0) {
    console.log('\nDiscarded:');
    for (const [why, n] of countBy(s.discarded, (r) =>
      r.verdict.status === 'discarded' ? r.verdict.reason : '?',
    )) {
      console.log(`  ${n}  ${why}`);
    }
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(
    `${s.agreed} agreed, ${s.disagreed.length} disagreed, ${s.discarded.length} discarded` +
      (s.allowed.length > 0 ? `, ${s.allowed.length} allowed (known differences)` : ''),
  );
  return s.disagreed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  },
);
