import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promtoolPath, PROMTOOL_SETUP_HINT } from '../support/promtool.js';
import { STEP_MS, type Case, type Dataset } from './generate.js';

/**
 * Prometheus as an oracle through `promtool test rules`: one test file per batch, one `promql_expr_test`
 * per expression with `exp_samples: []`. Every test whose result is not empty then fails, and promtool
 * prints what it got (labels and Go `%E` values, exact shortest round-trip digits) or the evaluation
 * error. A test that passes printed nothing, which means its result was the empty vector; that reading is
 * only sound when the whole output parsed cleanly, so anything unexpected discards the batch (and the
 * runner bisects it to find the case responsible).
 *
 * Output format (cmd/promtool/unittest.go, 3.16 as in 2.x): on stderr, `  FAILED:` and then per failing test
 *   `    expr: %q, time: %s, err: %s`                                         (evaluation/parse error)
 *   `    expr: %q, time: %s,\n        exp: %v\n        got: %v`               (result mismatch)
 * where a sample prints as `{a="x", b="y"} 2E+00` (labels.String, values strconv.Quote'd) and samples
 * are joined by `, ` in label order; a string-valued result is the error
 * `rule result is not a vector or scalar`. Scalars print as a sample with labels `{}`.
 */

export interface OracleSample {
  labels: Record<string, string>;
  value: number;
}

export type OracleOutcome =
  | { kind: 'samples'; samples: OracleSample[] }
  | { kind: 'error'; message: string }
  | { kind: 'discarded'; reason: string };

/** prometheus/common model.Duration String(): largest units first, zero units omitted, `0s` for zero. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const units: [string, number][] = [
    ['y', 365 * 24 * 3600_000],
    ['w', 7 * 24 * 3600_000],
    ['d', 24 * 3600_000],
    ['h', 3600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** A float as the promtool series notation reads it (Go ParseFloat of JS shortest digits is exact). */
function seriesValue(v: number | null): string {
  if (v === null) return '_';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

function goQuoteAscii(s: string): string {
  return JSON.stringify(s);
}

/** The series selector promtool loads: `name{l="v", …}`. */
export function seriesDescriptor(labels: Record<string, string>): string {
  const name = labels.__name__ ?? '';
  const rest = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${goQuoteAscii(labels[k] as string)}`);
  return `${name}{${rest.join(', ')}}`;
}

/**
 * The test file. Written as JSON (a subset of YAML) so no expression text can be misread by go-yaml's
 * YAML 1.1 rules (`n`, `on`, `y` …) or folded.
 */
export function renderTestFile(dataset: Dataset, cases: readonly Case[]): string {
  const file = {
    rule_files: [],
    evaluation_interval: formatDuration(STEP_MS),
    tests: [
      {
        interval: formatDuration(STEP_MS),
        input_series: dataset.series.map((s) => ({
          series: seriesDescriptor(s.labels),
          values: s.values.map(seriesValue).join(' '),
        })),
        promql_expr_test: cases.map((c) => ({
          expr: c.expr,
          eval_time: formatDuration(c.timeMs),
          exp_samples: [],
        })),
      },
    ],
  };
  return JSON.stringify(file, null, 1) + '\n';
}

// ---------------------------------------------------------------------------------------------------
// Output parsing

class OutputError extends Error {
  /** Set when the problem is not tied to one case (e.g. promtool rejected the input series). */
  wholeBatch = false;
}

/** Reads a Go strconv.Quote'd string starting at `pos` (at the opening quote). */
function readGoQuoted(text: string, pos: number): { value: string; end: number } {
  if (text[pos] !== '"') throw new OutputError(`expected '"' at ${pos}`);
  let out = '';
  let i = pos + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      '"': '"',
      "'": "'",
    };
    if (e !== undefined && simple[e] !== undefined) {
      out += simple[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new OutputError(`bad escape at ${i}`);
      // \x is a raw byte: only ASCII bytes can come from our ASCII inputs; others make the case ambiguous.
      const code = parseInt(hex, 16);
      if (e === 'x' && code > 0x7f) throw new OutputError(`non-ASCII byte escape at ${i}`);
      out += String.fromCodePoint(code);
      i += 2 + len;
    } else throw new OutputError(`unknown escape at ${i}`);
  }
  throw new OutputError(`unterminated string at ${pos}`);
}

function parseGoFloat(tok: string): number {
  if (tok === '+Inf') return Infinity;
  if (tok === '-Inf') return -Infinity;
  if (tok === 'NaN') return NaN;
  if (!/^[-+]?\d(\.\d+)?E[-+]\d{2,3}$/.test(tok)) throw new OutputError(`not a %E float: ${tok}`);
  return Number(tok);
}

/** Parses `{a="x", b="y"} 2E+00, {} 3E+00` (or `nil`). */
export function parseSamples(text: string): OracleSample[] {
  if (text === 'nil') return [];
  const samples: OracleSample[] = [];
  let i = 0;
  for (;;) {
    if (text[i] !== '{') throw new OutputError(`expected '{' at ${i} in ${text}`);
    i++;
    const labels: Record<string, string> = {};
    while (text[i] !== '}') {
      // 3.x quotes a name that is not a legacy one (`"a.b"="x"`), as strconv.Quote does values.
      let name: string;
      if (text[i] === '"') {
        const quoted = readGoQuoted(text, i);
        name = quoted.value;
        i = quoted.end;
      } else {
        const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
        if (!m) throw new OutputError(`expected a label name at ${i} in ${text}`);
        name = m[0];
        i += m[0].length;
      }
      if (text[i] !== '=') throw new OutputError(`expected '=' at ${i} in ${text}`);
      const q = readGoQuoted(text, i + 1);
      if (Object.hasOwn(labels, name)) throw new OutputError(`label ${name} twice`);
      labels[name] = q.value;
      i = q.end;
      if (text.startsWith(', ', i)) i += 2;
      else if (text[i] !== '}') throw new OutputError(`expected ', ' or '}' at ${i} in ${text}`);
    }
    i++;
    if (text[i] !== ' ') throw new OutputError(`expected ' ' at ${i}`);
    i++;
    const m = /^[^,\s]+/.exec(text.slice(i));
    if (!m) throw new OutputError(`expected a value at ${i}`);
    samples.push({ labels, value: parseGoFloat(m[0]) });
    i += m[0].length;
    if (i === text.length) return samples;
    if (!text.startsWith(', ', i)) throw new OutputError(`expected ', ' at ${i} in ${text}`);
    i += 2;
  }
}

const ENTRY = '    expr: ';

/**
 * Maps promtool's stderr back to the cases, in order. Throws OutputError when the output is not exactly
 * a sequence of entries for known, distinct cases.
 */
export function parsePromtoolOutput(stderr: string, cases: readonly Case[]): OracleOutcome[] {
  const index = new Map<string, number>();
  cases.forEach((c, i) => index.set(`${c.expr}\u0000${formatDuration(c.timeMs)}`, i));
  if (index.size !== cases.length) throw new OutputError('two cases share expression and time');
  const results: (OracleOutcome | undefined)[] = new Array<OracleOutcome | undefined>(cases.length);
  const text = stderr.replace(/\r\n/g, '\n');
  if (text.trim() !== '') {
    if (!text.startsWith('  FAILED:\n')) throw new OutputError(`unexpected output: ${text.slice(0, 300)}`);
    let pos = '  FAILED:\n'.length;
    while (pos < text.length) {
      if (text.slice(pos).trim() === '') break;
      if (!text.startsWith(ENTRY, pos)) {
        const err = new OutputError(`unexpected line: ${text.slice(pos, pos + 300)}`);
        err.wholeBatch = pos === '  FAILED:\n'.length;
        throw err;
      }
      const q = readGoQuoted(text, pos + ENTRY.length);
      const tm = /^, time: ([0-9a-z]+),/.exec(text.slice(q.end));
      if (!tm) throw new OutputError(`no time after expr at ${q.end}`);
      const key = `${q.value}\u0000${tm[1] as string}`;
      const at = index.get(key);
      if (at === undefined) throw new OutputError(`output for an expression not in the batch: ${q.value}`);
      if (results[at] !== undefined) throw new OutputError(`two outputs for ${q.value}`);
      let p = q.end + tm[0].length;
      if (text.startsWith(' err: ', p)) {
        // The message runs to the next entry; Go error texts can contain newlines in principle.
        p += ' err: '.length;
        const next = text.indexOf(`\n${ENTRY}"`, p);
        const end = next < 0 ? text.length : next;
        results[at] = { kind: 'error', message: text.slice(p, end).replace(/\n+$/, '') };
        pos = next < 0 ? text.length : next + 1;
        continue;
      }
      const body = /^\n {8}exp: nil\n {8}got: ([^\n]*)(\n|$)/.exec(text.slice(p));
      if (!body) throw new OutputError(`unexpected result block: ${text.slice(p, p + 300)}`);
      results[at] = { kind: 'samples', samples: parseSamples(body[1] as string) };
      pos = p + body[0].length;
    }
  }
  // A test that printed nothing passed against `exp_samples: []`: its result was the empty vector.
  return Array.from(results, (r): OracleOutcome => r ?? { kind: 'samples', samples: [] });
}

// ---------------------------------------------------------------------------------------------------
// Running promtool

export interface PromtoolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Fails (rejects) when the command cannot be started: the differential tests need the real oracle. */
export function runProcess(cmd: string, args: string[], cwd: string): Promise<PromtoolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) =>
      reject(new Error(`cannot run ${cmd} (${err.message}); ${PROMTOOL_SETUP_HINT}`)),
    );
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** One promtool process for a batch; throws OutputError when its output cannot be read back. */
async function runBatchOnce(dataset: Dataset, cases: readonly Case[]): Promise<OracleOutcome[]> {
  const dir = await mkdtemp(join(tmpdir(), 'flux-health-promtool-'));
  try {
    await writeFile(join(dir, 'test.yml'), renderTestFile(dataset, cases));
    const run = await runProcess(promtoolPath(), ['test', 'rules', 'test.yml'], dir);
    if (run.code !== 0 && run.code !== 1) {
      throw new OutputError(`promtool exited with ${run.code ?? run.signal}: ${run.stderr.slice(0, 500)}`);
    }
    const outcomes = parsePromtoolOutput(run.stderr, cases);
    const anyFailed = outcomes.some((o) => o.kind !== 'samples' || o.samples.length > 0);
    // Exit status and output must tell the same story.
    if ((run.code === 0) === anyFailed) throw new OutputError(`exit ${run.code} does not match the output`);
    if (run.code === 0 && !run.stdout.includes('SUCCESS')) throw new OutputError('exit 0 without SUCCESS');
    return outcomes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Evaluates a batch with promtool. If the output cannot be read back, the batch is split in halves and
 * retried, down to the single case responsible, which is then discarded with promtool's complaint.
 */
export async function evaluateWithPromtool(
  dataset: Dataset,
  cases: readonly Case[],
): Promise<OracleOutcome[]> {
  if (cases.length === 0) return [];
  try {
    return await runBatchOnce(dataset, cases);
  } catch (err) {
    if (!(err instanceof OutputError)) throw err;
    if (err.wholeBatch || cases.length === 1) {
      return cases.map(() => ({ kind: 'discarded', reason: `promtool output not readable: ${err.message}` }));
    }
    const mid = Math.ceil(cases.length / 2);
    const left = await evaluateWithPromtool(dataset, cases.slice(0, mid));
    const right = await evaluateWithPromtool(dataset, cases.slice(mid));
    return [...left, ...right];
  }
}

/** The first line of `promtool --version`, or a thrown error saying how to build it. */
export async function promtoolVersion(): Promise<string> {
  const run = await runProcess(promtoolPath(), ['--version'], process.cwd());
  const first = (run.stdout + run.stderr).split('\n')[0] ?? '';
  if (!first.startsWith('promtool')) throw new Error(`unexpected promtool --version output: ${first}`);
  return first;
}
