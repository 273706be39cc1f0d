import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandRulePaths, rulesCheckCommand } from '../../src/rules/check.js';
import { globPaths } from '../../src/rules/glob.js';
import { countRules, loadRuleFile } from '../../src/rules/load.js';
import { promtoolPath } from '../support/promtool.js';

const dir = fileURLToPath(new URL('./cases/check/', import.meta.url));
const cases = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
/** PrometheusRule manifests: promtool cannot read them (it needs the bare rule file). */
const promtoolReadable = cases.filter((f) => !f.startsWith('crd-'));

function ours(file: string): { stdout: string; stderr: string; exitCode: number } {
  const r = rulesCheckCommand([join(dir, file)]);
  return { ...r, stdout: r.stdout.replaceAll(dir, ''), stderr: r.stderr.replaceAll(dir, '') };
}

function expected(file: string): string {
  return readFileSync(join(dir, file.replace(/\.ya?ml$/, '.expected.txt')), 'utf8');
}

describe('rules check: cases with expected messages', () => {
  it.each(cases)('%s', (file) => {
    const r = ours(file);
    const want = expected(file);
    expect(r.stderr).toBe(want);
    expect(r.exitCode).toBe(want === '' ? 0 : 1);
    expect(r.stdout.startsWith(`Checking ${file}\n`)).toBe(true);
    if (want === '') expect(r.stdout).toMatch(/ {2}SUCCESS: \d+ rules found\n\n$/);
  });
});

function promtool(args: string[]): { status: number | null; stdout: string; stderr: string; error?: Error } {
  const r = spawnSync(promtoolPath(), args, { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ...(r.error ? { error: r.error } : {}) };
}

describe('rules check agrees with promtool check rules', () => {
  it.each(promtoolReadable)('%s', (file) => {
    const p = promtool(['check', 'rules', file]);
    expect(p.error).toBeUndefined();
    const r = ours(file);
    expect(r.exitCode).toBe(p.status);
    // Rule-level messages: the same texts once positions are stripped (we point at the error itself).
    const strip = (l: string): string => l.replace(/^[^:]+:( ?\d+:\d+:)* /, '');
    const theirs = p.stderr
      .split('\n')
      .map(strip)
      .filter((l) => l.startsWith('group '));
    const mine = r.stderr.split('\n').map(strip);
    for (const line of theirs) expect(mine).toContain(line);
    if (p.status === 0) expect(r.stdout).toBe(p.stdout);
  });
});

describe('rules check command', () => {
  it('checks several files in order and fails when one fails', () => {
    const r = rulesCheckCommand([join(dir, 'flux-rules.yml'), join(dir, 'bad-rules.yml')]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.replaceAll(dir, '')).toBe(
      'Checking flux-rules.yml\n  SUCCESS: 1 rules found\n\nChecking bad-rules.yml\n\n',
    );
  });

  it('exits 2 for bad usage: no files, unknown flag, missing path, glob without match', () => {
    expect(rulesCheckCommand([]).exitCode).toBe(2);
    expect(rulesCheckCommand(['--lint=none', 'x.yml']).exitCode).toBe(2);
    const missing = rulesCheckCommand([join(dir, 'nope.yml')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe(`flux-health rules check: path '${join(dir, 'nope.yml')}' does not exist\n`);
    expect(rulesCheckCommand([join(dir, 'zz-*.yml')]).stderr).toContain('matches no file');
  });

  it('expands globs (*, **, ?, {a,b}) into sorted files', () => {
    const root = mkdtempSync(join(tmpdir(), 'rules-glob-'));
    mkdirSync(join(root, 'a/b'), { recursive: true });
    for (const f of ['x.yml', 'y.yaml', 'a/z.yml', 'a/b/w.yml', 'a/b/.hidden.yml', 'a/q1.yml']) {
      writeFileSync(join(root, f), 'groups: []\n');
    }
    const rel = (ps: string[]): string[] => ps.map((p) => p.slice(root.length + 1));
    expect(rel(globPaths(`${root}/*.yml`))).toEqual(['x.yml']);
    expect(rel(globPaths(`${root}/**/*.yml`))).toEqual(['a/b/w.yml', 'a/q1.yml', 'a/z.yml', 'x.yml']);
    expect(rel(globPaths(`${root}/*.{yml,yaml}`))).toEqual(['x.yml', 'y.yaml']);
    expect(rel(globPaths(`${root}/a/q?.yml`))).toEqual(['a/q1.yml']);
    const { files, errors } = expandRulePaths([`${root}/**/*.yml`]);
    expect(errors).toEqual([]);
    expect(files.map(loadRuleFile).map((r) => [r.errors, countRules(r.groups)])).toEqual(
      Array.from({ length: 4 }, () => [[], 0]),
    );
  });

  it('counts rules of PrometheusRule manifests and skips other kinds', () => {
    const r = loadRuleFile(join(dir, 'crd-multi.yaml'));
    expect(countRules(r.groups)).toBe(2);
    expect(r.groups.map((g) => g.name)).toEqual(['flux', 'plain']);
  });
});
