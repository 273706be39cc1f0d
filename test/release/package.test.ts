/**
 * The npm package is the CLI (`npx flux-health`): the committed bundle and the documents, nothing
 * else. These tests pack the repository as `npm publish` would, check the exact list of shipped
 * files, then install the tarball into an empty project with the network off and run the installed
 * command. The bundle carries every runtime dependency, so the package declares none: an install
 * must not need the registry.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  files: string[];
  engines: { node: string };
  private?: boolean;
  dependencies?: Record<string, string>;
};

/** Documents shipped besides dist/ and bin/. */
const DOCUMENTS = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'SECURITY.md', 'action.yml'];

interface PackResult {
  name: string;
  version: string;
  filename: string;
  files: { path: string; mode: number }[];
}

/** Runs npm with a cache of its own, so the tests neither read nor fill the user's cache. */
function npm(args: string[], cwd: string, cache: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      npm_config_cache: cache,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [relative(ROOT, path)];
  });
}

const temp = (prefix: string): string => mkdtempSync(join(tmpdir(), `flux-health-${prefix}-`));

describe('package.json is publishable as the flux-health CLI', () => {
  it.each([
    ['the name is the command', () => expect(PKG.name).toBe('flux-health')],
    ['it is not private', () => expect(PKG.private).toBeUndefined()],
    [
      'the command is bin/flux-health.js',
      () => expect(PKG.bin).toEqual({ 'flux-health': 'bin/flux-health.js' }),
    ],
    ['the engines say Node 20.19 or newer', () => expect(PKG.engines).toEqual({ node: '>=20.19' })],
    ['no runtime dependencies: the bundle holds them all', () => expect(PKG.dependencies ?? {}).toEqual({})],
  ])('%s', (_name, check) => check());
});

describe('npm pack', () => {
  const cache = temp('npm-cache');
  let packed: PackResult;

  beforeAll(() => {
    packed = (
      JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT, cache)) as PackResult[]
    )[0] as PackResult;
  });

  it('ships exactly the bundle, the command and the documents', () => {
    const expected = [...DOCUMENTS, 'bin/flux-health.js', ...walk(join(ROOT, 'dist'))].sort();
    const shipped = packed.files.map((f) => f.path).sort();
    expect(shipped).toEqual(expected);
    expect(
      shipped.filter((p) => /^(src|test|scripts|bench|docs|examples|node_modules|\.\w+)\//.test(p)),
    ).toEqual([]);
    expect(`${packed.name}@${packed.version}`).toBe(`flux-health@${PKG.version}`);
  });

  it('the command file is executable and starts with a node shebang', () => {
    const bin = packed.files.find((f) => f.path === 'bin/flux-health.js');
    expect((bin?.mode ?? 0) & 0o111).not.toBe(0);
    expect(readFileSync(join(ROOT, 'bin/flux-health.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});

describe('the packed tarball, installed offline into an empty project', () => {
  const cache = temp('npm-cache');
  const project = temp('npx-project');
  let bin: string;

  beforeAll(() => {
    const out = temp('pack');
    const [result] = JSON.parse(
      npm(['pack', '--json', '--ignore-scripts', '--pack-destination', out], ROOT, cache),
    ) as PackResult[];
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    // --offline: any request to the registry fails the install, so a runtime dependency would show.
    npm(
      ['install', '--offline', '--no-audit', '--ignore-scripts', join(out, (result as PackResult).filename)],
      project,
      cache,
    );
    bin = join(project, 'node_modules/.bin/flux-health');
  }, 120_000);

  const run = (cmd: string, args: string[]) =>
    spawnSync(cmd, args, {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, npm_config_cache: cache },
    });

  it('`npx flux-health --version` prints the package version', () => {
    const r = run('npx', ['--offline', 'flux-health', '--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`flux-health ${PKG.version}\n`);
  });

  it('`flux-health --help` prints the usage and exits 0', () => {
    const r = run(bin, ['--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^flux-health \d+\.\d+\.\d+: is Flux healthy on this cluster/);
    expect(r.stdout).toContain('flux-health check');
  });

  it('a check of a snapshot runs from the installed package (its chunks are all there)', () => {
    const r = run(bin, ['check', '--snapshot', join(ROOT, 'examples/demo-cluster.yaml')]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('FLUX HEALTH: FAILING');
  });
});
