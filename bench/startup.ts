/**
 * Start-up benchmark (`npm run bench -- startup`): the CPU time and peak RSS of the built bundle's
 * short runs, beside a bare `node -e 0` measured in the same run, each in its own process, the
 * cases interleaved so a busy machine slows them alike. Median of BENCH_RUNS (default 9).
 *
 * Targets (issue "One run, one verdict"): `--version` ≤ 2× bare node's CPU; `check` on the demo
 * snapshot ≤ 0.5 s of CPU. A miss prints TARGET MISSED (the run does not fail).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const PRELOAD = join(ROOT, 'bench/rusage.mjs');
const work = mkdtempSync(join(tmpdir(), 'flux-health-startup-'));
const DEMO = join(ROOT, 'examples/demo-cluster.yaml');

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** Exit codes that mean the case ran as intended. */
  ok: number[];
}

const actionEnv = {
  INPUT_SNAPSHOT: DEMO,
  INPUT_COMMENT: 'never',
  'INPUT_ARTIFACT-NAME': '',
  INPUT_SUMMARY: 'false',
  'INPUT_OUTPUT-DIR': join(work, 'action-out'),
  'INPUT_FAIL-ON': 'firing',
  'INPUT_BUILTIN-RULES': 'true',
  GITHUB_OUTPUT: join(work, 'github-output'),
};

const CASES: Case[] = [
  { name: 'node -e 0 (floor)', args: ['-e', '0'], ok: [0] },
  { name: 'flux-health --version', args: ['bin/flux-health.js', '--version'], ok: [0] },
  { name: 'flux-health check --help', args: ['bin/flux-health.js', 'check', '--help'], ok: [0] },
  { name: 'check on the demo snapshot', args: ['bin/flux-health.js', 'check', '--snapshot', DEMO], ok: [1] },
  { name: 'the action bundle on the demo snapshot', args: ['dist/index.js'], env: actionEnv, ok: [1] },
];

function once(c: Case): { cpuMs: number; maxRssKb: number } {
  const file = join(work, 'rusage.json');
  rmSync(file, { force: true });
  const res = spawnSync(process.execPath, ['--import', PRELOAD, ...c.args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: work, BENCH_RUSAGE_FILE: file, ...c.env },
    encoding: 'utf8',
  });
  if (!c.ok.includes(res.status ?? -1))
    throw new Error(`${c.name}: exit ${res.status}: ${(res.stderr ?? '').trim().split('\n').at(-1)}`);
  return JSON.parse(readFileSync(file, 'utf8')) as { cpuMs: number; maxRssKb: number };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const samples = new Map<string, { cpuMs: number; maxRssKb: number }[]>(CASES.map((c) => [c.name, []]));
once(CASES[0] as Case); // warm the file cache
for (let r = 0; r < RUNS; r++)
  for (const c of r % 2 ? [...CASES].reverse() : CASES) samples.get(c.name)?.push(once(c));

const dirSize = (dir: string): number =>
  readdirSync(dir, { recursive: true })
    .map((f) => statSync(join(dir, String(f))))
    .filter((s) => s.isFile())
    .reduce((n, s) => n + s.size, 0);

const floor = median((samples.get(CASES[0]!.name) ?? []).map((s) => s.cpuMs));
console.log(`[bench:startup] node ${process.version}, ${RUNS} runs each, median CPU (user+sys) and peak RSS`);
console.log(
  `[bench:startup] dist/: ${(dirSize(join(ROOT, 'dist')) / 2 ** 20).toFixed(1)} MiB, entry ${(statSync(join(ROOT, 'dist/index.js')).size / 1024).toFixed(1)} KiB`,
);
console.log('| case | CPU ms | × bare node | peak RSS MB |');
console.log('| --- | ---: | ---: | ---: |');
const result: Record<string, number> = {};
for (const c of CASES) {
  const s = samples.get(c.name) ?? [];
  const cpu = median(s.map((x) => x.cpuMs));
  result[c.name] = cpu;
  const rss = median(s.map((x) => x.maxRssKb)) / 1024;
  console.log(`| ${c.name} | ${cpu.toFixed(0)} | ${(cpu / floor).toFixed(2)} | ${rss.toFixed(0)} |`);
}
const version = result['flux-health --version'] ?? Infinity;
const demo = result['check on the demo snapshot'] ?? Infinity;
console.log(
  `[bench:startup] --version: ${(version / floor).toFixed(2)}× bare node (target ≤ 2×)${version > 2 * floor ? ' TARGET MISSED' : ''}`,
);
console.log(
  `[bench:startup] demo check: ${demo.toFixed(0)} ms CPU (target ≤ 500 ms)${demo > 500 ? ' TARGET MISSED' : ''}`,
);
rmSync(work, { recursive: true, force: true });
