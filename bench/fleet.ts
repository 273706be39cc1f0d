/**
 * Fleet benchmark (`npm run bench -- fleet`): `flux-health fleet` over 50 and 500 cluster folders,
 * through the built CLI, beside a floor in the same run: a bare Node process that only reads and
 * JSON.parses the same files (what any reader of these runs must do at least). Each case in its
 * own process, the cases interleaved, wall time and CPU (user + system, read by the process itself
 * through bench/rusage.mjs) and peak RSS, median of BENCH_RUNS (default 5).
 *
 * The folders are real run output: the built CLI's `check --out` on the demo snapshot (673
 * objects, 96 failing, 208 alerts firing: a large, broken cluster), copied per cluster and varied:
 * every 10th cluster runs another Flux version, every 7th has flux-system at another commit, every
 * 5th passed its gate. Target: 500 clusters in under 3 s of wall time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PRELOAD = join(ROOT, 'bench/rusage.mjs');
/** The CLI under test; BENCH_CLI points at another build's bin/flux-health.js (one not being rebuilt). */
const CLI = resolve(process.env.BENCH_CLI ?? join(ROOT, 'bin/flux-health.js'));
const TARGET_MS = 3000;
const work = mkdtempSync(join(tmpdir(), 'flux-health-fleet-bench-'));

const FILES = ['run.json', 'report.json', 'alerts.json'];
const SYNC_REVISION = 'refs/heads/main@sha1:339c7c488258abf6011d7fc589bd328ffcb1fc95';

// One real run of the demo snapshot.
const demo = join(work, 'demo');
const checked = spawnSync(
  process.execPath,
  [CLI, 'check', '--snapshot', join(ROOT, 'examples/demo-cluster.yaml'), '--out', demo],
  {
    encoding: 'utf8',
  },
);
if (checked.status !== 1) throw new Error(`check on the demo: exit ${checked.status}: ${checked.stderr}`);
const base = Object.fromEntries(FILES.map((f) => [f, readFileSync(join(demo, f), 'utf8')]));
if (!base['report.json']?.includes('"version": "v2.7.5"') || !base['run.json']?.includes(SYNC_REVISION))
  throw new Error('the demo run no longer has the strings this benchmark varies');

/** `n` cluster folders under a fresh folder; returns it and the bytes written. */
function fleetOf(n: number): { dir: string; bytes: number } {
  const dir = join(work, `fleet-${n}`);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const name = `cluster-${String(i).padStart(3, '0')}`;
    const run = JSON.parse(base['run.json'] as string);
    run.cluster = name;
    if (i % 5 === 0) Object.assign(run.verdict, { gateFailed: false, exitCode: 0 });
    let record = JSON.stringify(run, null, 2);
    if (i % 7 === 0)
      record = record.replace(SYNC_REVISION, `refs/heads/main@sha1:${(i % 16).toString(16).repeat(40)}`);
    const report =
      i % 10 === 0
        ? (base['report.json'] as string).replace('"version": "v2.7.5"', '"version": "v2.6.4"')
        : base['report.json'];
    const texts: Record<string, string> = {
      'run.json': record,
      'report.json': report as string,
      'alerts.json': base['alerts.json'] as string,
    };
    mkdirSync(join(dir, name), { recursive: true });
    for (const [f, t] of Object.entries(texts)) {
      writeFileSync(join(dir, name, f), t);
      bytes += Buffer.byteLength(t);
    }
  }
  return { dir, bytes };
}

// The floor: read and parse every file the fleet reads, nothing else.
const floorScript = join(work, 'floor.mjs');
writeFileSync(
  floorScript,
  `import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.argv[2];
let n = 0;
for (const c of readdirSync(dir)) for (const f of ${JSON.stringify(FILES)}) { JSON.parse(readFileSync(join(dir, c, f), 'utf8')); n++; }
if (n === 0) process.exit(1);
`,
);

interface Sample {
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
}

function once(args: string[], ok: number[]): Sample {
  const file = join(work, 'rusage.json');
  rmSync(file, { force: true });
  const started = performance.now();
  const res = spawnSync(process.execPath, ['--import', PRELOAD, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: work, BENCH_RUSAGE_FILE: file },
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  const wallMs = performance.now() - started;
  if (!ok.includes(res.status ?? -1))
    throw new Error(`${args.join(' ')}: exit ${res.status}: ${res.stderr.trim().split('\n').at(-1)}`);
  return { wallMs, ...(JSON.parse(readFileSync(file, 'utf8')) as { cpuMs: number; maxRssKb: number }) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

console.log(
  `[bench:fleet] node ${process.version}, ${RUNS} runs each, median wall, CPU (user+sys) and peak RSS`,
);
console.log('| clusters | input MB | case | wall ms | CPU ms | peak RSS MB |');
console.log('| ---: | ---: | --- | ---: | ---: | ---: |');
let fleet500 = Infinity;
for (const n of [50, 500]) {
  const { dir, bytes } = fleetOf(n);
  const cases: { name: string; args: string[]; ok: number[] }[] = [
    { name: '`--version` (start-up)', args: [CLI, '--version'], ok: [0] },
    { name: 'read + JSON.parse (floor)', args: [floorScript, dir], ok: [0] },
    { name: '`fleet DIR` (Markdown)', args: [CLI, 'fleet', dir], ok: [1] },
    {
      name: '`fleet DIR -o json --revision`',
      args: [CLI, 'fleet', dir, '-o', 'json', '--revision', '339c7c4'],
      ok: [1],
    },
  ];
  const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
  once(cases[1]!.args, [0]); // warm the file cache
  for (let r = 0; r < RUNS; r++)
    for (const c of r % 2 ? [...cases].reverse() : cases) samples.get(c.name)?.push(once(c.args, c.ok));
  for (const c of cases) {
    const s = samples.get(c.name) ?? [];
    const wall = median(s.map((x) => x.wallMs));
    if (n === 500 && c.name.startsWith('`fleet DIR`')) fleet500 = wall;
    console.log(
      `| ${n} | ${(bytes / 2 ** 20).toFixed(0)} | ${c.name} | ${wall.toFixed(0)} | ${median(s.map((x) => x.cpuMs)).toFixed(0)} | ${(median(s.map((x) => x.maxRssKb)) / 1024).toFixed(0)} |`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `[bench:fleet] 500 clusters: ${fleet500.toFixed(0)} ms wall (target < ${TARGET_MS} ms)${fleet500 > TARGET_MS ? ' TARGET MISSED' : ''}`,
);
rmSync(work, { recursive: true, force: true });
