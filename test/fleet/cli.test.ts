/**
 * `flux-health fleet` as people run it: the built CLI (`node bin/flux-health.js`) in a child
 * process, over run folders that the built CLI's own `check --out` wrote from cluster snapshots.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-runner.js';
import { rev, sha, writeClusterSnapshot, type ClusterSpec } from './cluster-snapshot.js';

let base: string;
let runs: string;

/** `check --snapshot` of a made-up cluster, written to runs/<name> by the built CLI. */
async function check(name: string, spec: ClusterSpec, expected: number, into = runs): Promise<void> {
  const snap = writeClusterSnapshot(base, name, spec);
  const r = await runCli(['check', '--snapshot', snap, '--out', join(into, name)]);
  expect(r.code, r.stderr).toBe(expected);
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'flux-health-fleet-cli-'));
  runs = join(base, 'runs');
  await check('prod', { fluxVersion: 'v2.7.5', revisions: { 'flux-system': rev('a'), apps: rev('a') } }, 0);
  await check(
    'staging',
    { fluxVersion: 'v2.7.5', revisions: { 'flux-system': rev('a'), apps: rev('a') } },
    0,
  );
  await check(
    'edge',
    { fluxVersion: 'v2.6.4', revisions: { 'flux-system': rev('a'), apps: rev('b') }, failing: ['apps'] },
    1,
  );
}, 60_000);

describe('flux-health fleet DIR', () => {
  it('prints the fleet as Markdown and exits 1 when a cluster failed its gate', async () => {
    const r = await runCli(['fleet', runs]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      '## ❌ Flux fleet: 3 clusters\n\n**1 cluster failed its gate:** edge. 3 clusters: 1 failing, 2 healthy.',
    );
    expect(r.stdout).toContain('Flux `v2.7.5` on 2 of 3 clusters; different: edge (`v2.6.4`).');
    expect(r.stdout).toMatch(
      /^\| edge \| ❌ Failing \| `v2\.6\.4` \| 1 \| 2 \| Gate failed: 1 object with firing alerts/m,
    );
    expect(r.stdout).toMatch(
      /^\| `flux-system\/apps` \| 3 \| `main@sha1:aaaaaaaaaaaa…` \| edge: `main@sha1:bbbbbbbbbbbb…` \(Failed\) \|$/m,
    );
  });

  it('answers "is commit X live everywhere?" with --revision', async () => {
    const r = await runCli(['fleet', runs, '--revision', sha('a')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'Commit `aaaaaaaaaaaa…` is live on 2 of 3 clusters; missing: edge (`flux-system/apps` at `main@sha1:bbbbbbbbbbbb…`).',
    );
    const ok = await runCli(['fleet', join(runs, 'prod'), join(runs, 'staging'), '--revision', 'aaaaaaa']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Commit `aaaaaaa` is live on both clusters.');
  });

  it('-o json gives every cluster and the answers as data', async () => {
    const r = await runCli(['fleet', runs, '-o', 'json', '--revision', 'aaaaaaa']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      kind: 'FluxHealthFleet',
      version: 1,
      level: 'failing',
      exitCode: 1,
      counts: { healthy: 2, degraded: 0, failing: 1, error: 0 },
      failed: ['edge'],
      revision: {
        expected: 'aaaaaaa',
        live: ['prod', 'staging'],
        missing: [{ cluster: 'edge', checked: true }],
      },
      fluxVersions: { common: 'v2.7.5', on: 2, of: 3, differ: [{ cluster: 'edge', version: 'v2.6.4' }] },
      problems: [],
    });
    expect(doc.clusters.map((c: { name: string; firing: number }) => [c.name, c.firing])).toEqual([
      ['edge', 2],
      ['prod', 0],
      ['staging', 0],
    ]);
  });

  it('shows the readable runs past the unreadable ones, names each bad file on stderr, and exits 1', async () => {
    const mixed = join(base, 'mixed');
    cpSync(join(runs, 'prod'), join(mixed, 'prod'), { recursive: true });
    cpSync(join(runs, 'prod'), join(mixed, 'broken'), { recursive: true });
    writeFileSync(join(mixed, 'broken', 'run.json'), '{"kind": "FluxHealthRun", "version": 1');
    mkdirSync(join(mixed, 'old'));
    writeFileSync(join(mixed, 'old', 'report.json'), '{}');
    const r = await runCli(['fleet', mixed]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^flux-health: ${join(mixed, 'broken', 'run.json')}: not a flux-health run.json: not JSON: `,
        ),
      ),
      `flux-health: ${join(mixed, 'old', 'run.json')}: missing beside report.json: the fleet reads the verdict from it (written by 'flux-health check --out' and the action); check the cluster again with this version`,
    ]);
    expect(r.stdout).toMatch(/^\| prod \| ✅ Healthy /m);
    expect(r.stdout).toContain('### Could not be read (2)');
  });

  it.each([
    [['fleet'], "flux-health: fleet: name at least one folder of runs; see 'flux-health fleet --help'"],
    [['fleet', 'RUNS', '-o', 'yaml'], 'flux-health: fleet: --output must be markdown or json, not "yaml"'],
    [
      ['fleet', 'RUNS', '--revision', ' '],
      'flux-health: fleet: --revision is empty; give a commit SHA, tag or digest, or leave it out',
    ],
    [['fleet', 'RUNS', '--since', '1h'], "flux-health: fleet: Unknown option '--since'"],
  ])('bad usage %j exits 2 with one line', async (args, start) => {
    const r = await runCli(args.map((a) => (a === 'RUNS' ? runs : a)));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^flux-health: fleet: /)]);
    expect(r.stderr.startsWith(start), r.stderr).toBe(true);
  });

  it('a folder with no run in it exits 2', async () => {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    const r = await runCli(['fleet', empty]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      `flux-health: ${empty}: holds no run.json or report.json, nor do its subfolders`,
      `flux-health: fleet: no run could be read from ${empty}`,
    ]);
  });

  it('--help and help fleet describe it; the main help lists it', async () => {
    const help = await runCli(['fleet', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: flux-health fleet DIR\.\.\. \[--revision REV\] \[-o markdown\|json\]/,
    );
    expect(help.stdout).toContain('Exit codes: 0 every cluster passed its gate');
    expect((await runCli(['help', 'fleet'])).stdout).toBe(help.stdout);
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}flux-health fleet {8}DIR\.\.\./m);
  });
});
