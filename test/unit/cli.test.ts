import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { VERSION } from '../../src/version.js';

async function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
    stdin: { read: async () => stdin, isTTY: false },
  });
  return { code, stdout, stderr };
}

describe('flux-health CLI', () => {
  it('keeps its version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });

  it.each([
    [['check', '--help'], 'check'],
    [['snapshot', '-h'], 'snapshot'],
    [['query', '--help'], 'query'],
    [['wait', '--help'], 'wait'],
    [['rules', '--help'], 'rules check'],
    [['rules', 'check', '--help'], 'rules check'],
    [['help', 'check'], 'check'],
  ])('%j documents the command and exits 0', async (args, usage) => {
    const res = await run(args);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^Usage: flux-health ${usage} `));
    // Every option's description starts in one column.
    const options = res.stdout.split('Options:\n')[1]!.split('\n\n')[0]!.split('\n');
    const starts = new Set(
      options.map((l) => /^ {2}\S.*?\s{2,}(?=\S)/.exec(l)?.[0].length).filter((n) => n !== undefined),
    );
    expect(starts.size).toBe(1);
  });

  it('prints the overview for --help, and exits 2 without a command', async () => {
    expect((await run(['--help'])).code).toBe(0);
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Exit codes: 0 success');
  });

  it.each([
    [['bogus'], /^flux-health: unknown command "bogus"; run 'flux-health --help'$/],
    [['check', '--bogus'], /^flux-health: check: Unknown option '--bogus'/],
    [['check', '--fail-on', 'sometimes', '--snapshot', 'x'], /^flux-health: invalid --fail-on "sometimes"/],
    [
      ['check', '--now', 'yesterday', '--snapshot', 'x'],
      /^flux-health: --now: "yesterday" is neither an RFC 3339 time/,
    ],
    [
      ['check', '--snapshot', 'x', '--context', 'c'],
      /^flux-health: --snapshot reads a file instead of a cluster/,
    ],
    [
      ['check', '--rules', '/nonexistent/*.yml', '--snapshot', 'x'],
      /^flux-health: rules: pattern '\/nonexistent\/\*\.yml' matches no file$/,
    ],
    [['snapshot'], /^flux-health: snapshot: --out FILE is required/],
    [['query'], /^flux-health: query: expected one PromQL expression, got 0/],
    [['wait'], /^flux-health: wait: --revision REV is required; see 'flux-health wait --help'$/],
    [['wait', '--revision', 'abc1234', '--timeout', 'soon'], /^flux-health: --timeout/],
    [['wait', '--revision', 'abc1234', '--timeout', '0s'], /^flux-health: --timeout must be positive/],
    [
      ['wait', '--revision', 'abc1234', '--object', 'pod/a/b'],
      /^flux-health: --object: "pod\/a\/b" names an unknown kind/,
    ],
    [
      ['wait', '--revision', 'abc1234', '--source', 'ks/a/b'],
      /^flux-health: --source: "ks\/a\/b" names an unknown kind/,
    ],
    [
      ['wait', '--revision', 'abc1234', '-o', 'xml'],
      /^flux-health: wait: --output must be table, json or yaml, not "xml"$/,
    ],
    [
      ['wait', '--revision', 'abc1234', 'extra'],
      /^flux-health: wait: unexpected argument "extra"; see 'flux-health wait --help'$/,
    ],
    [
      ['wait', '--revision', 'abc1234', '--kubeconfig', '/nonexistent/kubeconfig'],
      /^flux-health: .*\/nonexistent\/kubeconfig/,
    ],
  ])('rejects bad usage %j with one line and exit 2', async (args, re) => {
    const res = await run(args);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr.trim()).toMatch(re);
  });

  it('rules check: a template nested 20,000 deep is a rule error at its position, not a crash', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flux-health-deep-')), 'deep.yml');
    const depth = 20_000;
    writeFileSync(
      file,
      `groups: [{name: g, rules: [{alert: A, expr: vector(1), annotations: {s: "${'{{if true}}'.repeat(depth)}x${'{{end}}'.repeat(depth)}"}}]}]\n`,
    );
    const res = await run(['rules', 'check', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /deep\.yml:1:\d+: group "g", rule 1, "A": annotation "s": template: __alert_A: nesting too deep/,
    );
  });

  it('query answers in the Prometheus HTTP API shape, and bad_data with exit 2', async () => {
    const metrics = '# TYPE up gauge\nup{job="a"} 1\nup{job="b"} 0\n';
    const ok = await run(['query', '-o', 'json', '--time', '1700000000', 'sum(up)'], metrics);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1700000000, '1'] }] },
    });
    const bad = await run(['query', '-o', 'json', 'sum(up'], metrics);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ status: 'error', errorType: 'bad_data' });
  });

  it('check on the demo snapshot writes every output and fails the gate', async () => {
    const out = `${process.env.TMPDIR ?? '/tmp'}/flux-health-cli-${process.pid}`;
    const res = await run(['check', '--snapshot', 'examples/demo-cluster.yaml', '--out', out]);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(/^FLUX HEALTH: FAILING/);
    for (const f of ['report.yaml', 'report.json', 'metrics.prom', 'alerts.json', 'summary.md']) {
      expect(readFileSync(`${out}/${f}`, 'utf8').length).toBeGreaterThan(100);
    }
    const never = await run(['check', '--snapshot', 'examples/demo-cluster.yaml', '--fail-on', 'never']);
    expect(never.code).toBe(0);
  });
});
