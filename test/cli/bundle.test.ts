/**
 * The CLI as people run it: the committed bundle (`node bin/flux-health.js`) in a child process,
 * stdin, stdout, stderr and the exit code. Each case is a behaviour the CLI promises in its help
 * and the README.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { splitRow } from '../fakes/markdown-reader.js';
import { runCli } from '../support/cli-runner.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
/** Relative, as typed in the repository, where the CLI runs unless a test says otherwise. */
const DEMO = 'examples/demo-cluster.yaml';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'flux-health-bundle-'));

/** The README's exit-code table: each row's code and the commands in its example column. */
function exitCodeRows(): [number, string][] {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === '## Exit codes');
  const rows: [number, string][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break;
    const cells = splitRow(line.trim())
      .slice(1, -1)
      .map((c) => c.trim());
    const code = Number(cells[0]);
    if (!line.startsWith('|') || !Number.isInteger(code) || cells[0] === '') continue;
    for (const m of (cells[2] ?? '').matchAll(/`(flux-health[^`]*)`/g)) rows.push([code, m[1] as string]);
  }
  return rows;
}

describe('the README exit-code table', () => {
  const rows = exitCodeRows();
  it('has an example for every documented code', () => {
    expect([...new Set(rows.map(([code]) => code))].sort()).toEqual([0, 1, 2, 3]);
  });
  it.each(rows)('exit %i: %s', async (code, command) => {
    const res = await runCli(command.split(' ').slice(1));
    expect(res.code, res.stderr).toBe(code);
    // A failure says why on stderr and prints nothing a script could mistake for a result.
    if (code >= 2) {
      expect(res.stdout).toBe('');
      expect(res.stderr.trim()).not.toBe('');
    }
  });
});

describe('-o/--output prints to stdout; --out writes files', () => {
  it('-o json prints report.json and creates no folder called json', async () => {
    const cwd = tmp();
    const res = await runCli(['check', '--snapshot', join(ROOT, DEMO), '-o', 'json'], { cwd });
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { kind: string; fluxHealth: { failing: unknown[] } };
    expect(report.kind).toBe('FluxReport');
    expect(report.fluxHealth.failing.length).toBe(96);
    expect(existsSync(join(cwd, 'json'))).toBe(false);
  });

  it('-o yaml prints report.yaml; table is the default and starts with the verdict', async () => {
    const yaml = await runCli(['check', '--snapshot', DEMO, '--output', 'yaml']);
    expect((parseYaml(yaml.stdout) as { kind: string }).kind).toBe('FluxReport');
    const table = await runCli(['check', '--snapshot', DEMO]);
    expect(table.stdout).toMatch(/^FLUX HEALTH: FAILING\n {2}- Gate failed: 99 objects with firing alerts/);
  });

  it('--out DIR writes every output file, and -o still chooses stdout', async () => {
    const dir = join(tmp(), 'out');
    const res = await runCli(['check', '--snapshot', DEMO, '--out', dir, '-o', 'json']);
    expect(JSON.parse(res.stdout)).toMatchObject({ kind: 'FluxReport' });
    for (const f of ['report.yaml', 'report.json', 'metrics.prom', 'alerts.json', 'summary.md'])
      expect(readFileSync(join(dir, f), 'utf8').length, f).toBeGreaterThan(100);
  });

  it('a path given to -o says to use --out', async () => {
    const res = await runCli(['check', '--snapshot', DEMO, '-o', 'out/']);
    expect(res.code).toBe(2);
    expect(res.stderr.trim()).toBe(
      'flux-health: check: --output must be table, json or yaml, not "out/" (write files with --out out/)',
    );
  });
});

describe('query reads standard input', () => {
  const metrics = '# TYPE up gauge\nup{job="a",instance="x"} 1\nup{job="b",instance="y"} 0\n';
  it('answers a table by default, and the API shape with -o json', async () => {
    const table = await runCli(['query', '--time', '1700000000', 'up == 0'], { stdin: metrics });
    expect(table.code).toBe(0);
    expect(table.stdout).toBe('up{instance="y", job="b"}  0\n');
    const json = await runCli(['query', '-o', 'json', '--time', '1700000000', 'sum(up)'], { stdin: metrics });
    expect(JSON.parse(json.stdout)).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1700000000, '1'] }] },
    });
  });

  it('says so when the result is empty, exit 0; an empty stdin is bad input, exit 2', async () => {
    const empty = await runCli(['query', 'up{job="none"}'], { stdin: metrics });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toBe('empty result: no series matched\n');
    const none = await runCli(['query', 'up'], { stdin: '' });
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toMatch(/^flux-health: query: standard input was empty/);
  });

  it('a bad expression: one line and exit 2 (the error object with -o json)', async () => {
    const bad = await runCli(['query', 'sum(up'], { stdin: metrics });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const json = await runCli(['query', '-o', 'json', 'sum(up'], { stdin: metrics });
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', errorType: 'bad_data' });
  });
});

describe('help', () => {
  it.each([
    ['--help'],
    ['help'],
    ['help', 'wait'],
    ['check', '--help'],
    ['wait', '-h'],
    ['snapshot', '--help'],
    ['query', '--help'],
    ['rules', '--help'],
    ['rules', 'check', '--help'],
  ])('%s exits 0 with the help on stdout', async (...args) => {
    const res = await runCli(args);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Usage:/);
    expect(res.stderr).toBe('');
  });
});

describe('bad snapshots are bad input (exit 2, one line)', () => {
  it.each([
    ['malformed YAML', 'a: [1\n', /^flux-health: \S+\.yaml:\d+:\d+: invalid YAML/],
    ['an empty file', '', /^flux-health: \S+\.yaml: no Kubernetes objects in it/],
    ['a comment only', '# nothing\n', /^flux-health: \S+\.yaml: no Kubernetes objects in it/],
  ])('%s', async (_name, text, re) => {
    const file = join(tmp(), 'snap.yaml');
    writeFileSync(file, text);
    const res = await runCli(['check', '--snapshot', file]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n').at(-1)).toMatch(re);
  });
});

describe('kubeconfig', () => {
  it('a KUBECONFIG list repeating a name: the first file wins, as with kubectl', async () => {
    const dir = tmp();
    const config = (port: number, current: boolean): string =>
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}"}}]`,
        'users: [{name: u, user: {}}]',
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        current ? 'current-context: x' : '',
      ].join('\n');
    writeFileSync(join(dir, 'a'), config(1, true));
    writeFileSync(join(dir, 'b'), config(2, false));
    const res = await runCli(['check'], { env: { KUBECONFIG: `${join(dir, 'a')}:${join(dir, 'b')}` } });
    expect(res.stderr).toMatch(/connecting to https:\/\/127\.0\.0\.1:1 \(context x/);
    expect(res.code).toBe(3);
  });
});

describe('the default gate', () => {
  /** The demo cluster with only its suspended objects: every alert that fires is FluxResourceSuspended (info). */
  function suspendedOnly(): string {
    const docs = readFileSync(join(ROOT, DEMO), 'utf8')
      .split(/^---$/m)
      .map((d) => d.replace(/^#.*$/gm, '').trim())
      .filter((d) => d.startsWith('{'))
      .map(
        (d) =>
          JSON.parse(d) as {
            kind: string;
            spec?: { suspend?: boolean };
            status?: { conditions?: { type: string; status: string }[] };
          },
      );
    const ready = (d: (typeof docs)[number]): boolean =>
      d.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    const kept = docs.filter(
      (d) =>
        d.kind === 'ClusterFacts' ||
        d.kind === 'CustomResourceDefinition' ||
        (d.spec?.suspend === true && ready(d)),
    );
    const file = join(tmp(), 'suspended.yaml');
    writeFileSync(file, kept.map((d) => `---\n${JSON.stringify(d)}\n`).join(''));
    return file;
  }

  it('an info alert (an object suspended for a day) never fails it; severity>=info does', async () => {
    const file = suspendedOnly();
    const res = await runCli(['check', '--snapshot', file, '-o', 'json']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(
      /gate: passed: no firing alerts at severity warning or above; \d+ other alerts? firing/,
    );
    const strict = await runCli(['check', '--snapshot', file, '--fail-on', 'severity>=info']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(
      /Gate failed: \d+ objects with firing alerts \(FluxResourceSuspended\) at severity info or above/,
    );
  });
});
