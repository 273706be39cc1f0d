/**
 * Regular-expression benchmark (`node --import tsx bench/regex.ts`).
 *
 * 1. Cost of one label matcher on one series (ns/match) for matchers Flux rules write, over 100,000 label
 *    values shaped like a Flux cluster's: the JavaScript RegExp the old RE2-to-JavaScript translation
 *    built, re2js (`compileAnchoredRe2`), and what `compileAnchored` picks (the fast path where one
 *    applies). Every engine must count the same matches, or the run fails.
 * 2. The catastrophic `(a|aa)+b` over n characters: n a's (no match) for the old RegExp up to n = 40 (its
 *    time grows by the golden ratio per character; one run each past 25), and for re2js up to 100,000 as a
 *    label matcher, as label_replace runs it (with submatches, on a…ab, which matches) and as the
 *    template function `match`.
 *
 * Median of BENCH_RUNS runs (default 7) after 2 warm-up runs, except where a table says otherwise.
 * Prints Markdown tables for BENCHMARKS.md.
 */
import { cpus, loadavg } from 'node:os';
import {
  type AnchoredRegexp,
  compileAnchored,
  compileAnchoredRe2,
  compileGoRegexp,
} from '../src/go/regexp.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function timeMs(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** A small deterministic generator so runs compare (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNT = 100_000;
const rand = rng(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const KINDS = ['Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket'];
const REASONS = ['ReconciliationSucceeded', 'DependencyNotReady', 'BuildFailed', 'HealthCheckFailed'];
const NAMES = ['podinfo', 'flux-system', 'infra-controllers', 'apps', 'cert-manager', 'ingress-nginx'];
const values = {
  name: Array.from({ length: COUNT }, (_, i) => (i % 3 === 0 ? pick(NAMES) : `app-${i}-frontend`)),
  kind: Array.from({ length: COUNT }, () => pick(KINDS)),
  reason: Array.from({ length: COUNT }, () => pick(REASONS)),
  path: Array.from({ length: COUNT }, (_, i) => `./clusters/prod/${i % 7 === 0 ? 'foo' : 'bar'}/app-${i}`),
};

// The old translation's output for each pattern (it wrapped the translated body in ^(?:…)$ with the u
// flag and wrote `(?s)`'s `.` as [^]); printed by the translator before it was removed.
const MATCHERS: { label: keyof typeof values; op: '=~' | '!~'; pattern: string; old: RegExp }[] = [
  { label: 'name', op: '=~', pattern: 'podinfo|flux-system', old: /^(?:podinfo|flux-system)$/u },
  { label: 'kind', op: '=~', pattern: 'Kustomization|HelmRelease', old: /^(?:Kustomization|HelmRelease)$/u },
  { label: 'reason', op: '!~', pattern: 'DependencyNotReady', old: /^(?:DependencyNotReady)$/u },
  { label: 'path', op: '=~', pattern: '.*foo.*', old: /^(?:[^]*foo[^]*)$/u },
  { label: 'reason', op: '=~', pattern: 'Dependency.*|.*Failed', old: /^(?:Dependency[^]*|[^]*Failed)$/u },
  // No fast path for these two: re2js answers whatever compileAnchored is asked.
  {
    label: 'kind',
    op: '=~',
    pattern: '(?i)helmrelease|kustomization',
    old: /^(?:[hH][eE][lL][mM][rR][eE][lL][eE][aA][sS][eE]|[kK][uU][sS][tT][oO][mM][iI][zZ][aA][tT][iI][oO][nN])$/u,
  },
  { label: 'name', op: '=~', pattern: 'app-[0-9]+-.*', old: /^(?:app-[0-9]+-[^]*)$/u },
];

type Tester = { test(v: string): boolean };

/** ns per match over all values, median of RUNS; also the number of values matched. */
function perMatch(re: Tester, vals: readonly string[], negate: boolean): { ns: number; hits: number } {
  let hits = 0;
  const once = (): void => {
    hits = 0;
    for (const v of vals) if (re.test(v) !== negate) hits++;
  };
  for (let i = 0; i < 2; i++) once();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(timeMs(once));
  return { ns: (median(times) * 1e6) / vals.length, hits };
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `bench regex: ${cpus().length} CPUs, ${cpus()[0]?.model ?? '?'}, node ${process.version}, load ${load()}, ${RUNS} runs after 2 warm-ups\n`,
);

console.log(
  `### Label matcher cost per series (${COUNT.toLocaleString('en')} values per run, load ${load()})\n`,
);
console.log('| matcher | old JS RegExp | re2js | `compileAnchored` (engine) | matched |');
console.log('| --- | ---: | ---: | ---: | ---: |');
// One untimed pass first, so that the first row does not pay for the JIT warming up the loop itself.
for (const m of MATCHERS)
  for (const re of [m.old, compileAnchoredRe2(m.pattern)]) perMatch(re, values[m.label], false);
for (const m of MATCHERS) {
  const vals = values[m.label];
  const negate = m.op === '!~';
  const chosen: AnchoredRegexp = compileAnchored(m.pattern);
  const old = perMatch(m.old, vals, negate);
  const re2 = perMatch(compileAnchoredRe2(m.pattern), vals, negate);
  const ours = perMatch(chosen, vals, negate);
  if (old.hits !== re2.hits || re2.hits !== ours.hits)
    throw new Error(`engines disagree on ${m.pattern}: ${old.hits} ${re2.hits} ${ours.hits}`);
  console.log(
    `| \`${m.label}${m.op}"${m.pattern}"\` | ${old.ns.toFixed(0)} ns | ${re2.ns.toFixed(0)} ns | ${ours.ns.toFixed(0)} ns (${chosen.engine}) | ${ours.hits.toLocaleString('en')} |`,
  );
}

console.log(`\n### \`(a|aa)+b\` over n characters, load ${load()}\n`);
console.log(
  '| n | old JS RegExp, a…a | re2js matcher, a…a | re2js matcher, a…ab (matches) | re2js label_replace, a…ab (submatches) | re2js `match`, a…a (unanchored) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
const OLD = /^(?:(a|aa)+b)$/u;
const matcher = compileAnchored('(a|aa)+b');
const replace = compileGoRegexp('^(?s:(a|aa)+b)$');
const search = compileGoRegexp('(a|aa)+b');
if (matcher.engine !== 're2') throw new Error('(a|aa)+b should be answered by re2js');
const fmt = (ms: number): string => (ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toPrecision(3)} ms`);
function cell(want: boolean, fn: () => boolean, runs = RUNS, warmups = 2): string {
  const check = (): void => {
    if (fn() !== want) throw new Error(`expected ${want}`);
  };
  for (let i = 0; i < warmups; i++) check();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) t.push(timeMs(check));
  return fmt(median(t)) + (runs === 1 ? ' (1 run)' : '');
}
// Warm re2js's code paths up first, so the first rows do not pay for compilation by the JIT.
for (let i = 0; i < 20; i++) {
  matcher.test('a'.repeat(1_000));
  replace.exec('a'.repeat(999) + 'b');
  search.test('a'.repeat(1_000));
}
for (const n of [20, 25, 30, 34, 40, 1_000, 10_000, 100_000]) {
  const miss = 'a'.repeat(n);
  const hit = 'a'.repeat(n - 1) + 'b';
  // The old engine's time grows by the golden ratio per character: one run each past 25, none past 40.
  const old = n > 40 ? 'not run' : cell(false, () => OLD.test(miss), n <= 25 ? RUNS : 1, n <= 25 ? 2 : 0);
  console.log(
    `| ${n.toLocaleString('en')} | ${old} | ${cell(false, () => matcher.test(miss))} | ${cell(true, () => matcher.test(hit))} | ${cell(true, () => replace.exec(hit)?.groups[1] === 'a')} | ${cell(false, () => search.test(miss))} |`,
  );
}
