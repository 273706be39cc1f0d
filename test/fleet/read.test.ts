/**
 * Reading run folders: which folders are runs, and one clear line per file that is not what the
 * fleet needs, while the other runs are read all the same. The valid files are a real check's.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { findRunFolders, readFleet, readRun } from '../../src/fleet/read.js';
import { rev, writeClusterSnapshot } from './cluster-snapshot.js';

let base: string;
/** A complete run folder written by `check --out`. */
let good: string;

const quiet = { stdout: () => {}, stderr: () => {}, env: {} };

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'flux-health-fleet-read-'));
  const snap = writeClusterSnapshot(base, 'snap', {
    fluxVersion: 'v2.7.5',
    revisions: { 'flux-system': rev('a'), apps: rev('b') },
    failing: ['apps'],
  });
  good = join(base, 'good');
  expect(await runCli(['check', '--snapshot', snap, '--out', good], quiet)).toBe(1);
});

/** A file's new text, null to delete it, or a function giving the text (once the good run exists). */
type Change = string | null | (() => string);

/** A copy of the good run with `changes` applied. */
function variant(name: string, changes: Record<string, Change>): string {
  const dir = join(base, 'variants', name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(good, dir, { recursive: true });
  for (const [file, text] of Object.entries(changes)) {
    if (text === null) rmSync(join(dir, file));
    else writeFileSync(join(dir, file), typeof text === 'function' ? text() : text);
  }
  return dir;
}

const record = (patch: Record<string, unknown>): string =>
  JSON.stringify({ ...JSON.parse(readFileSync(join(good, 'run.json'), 'utf8')), ...patch });

describe('a complete run folder', () => {
  it('gives the verdict, Flux version, failing objects, alerts and applied revisions', async () => {
    const run = await readRun(good);
    expect(run).toMatchObject({
      name: 'good',
      folder: good,
      record: { kind: 'FluxHealthRun', verdict: { level: 'failing', gateFailed: true } },
      report: { installed: true, fluxVersion: 'v2.7.5', failing: 1 },
      alerts: { firing: 2, firingByName: { FluxResourceNotReady: 1, ReconciliationFailure: 1 } },
    });
    expect('record' in run && run.record.kustomizations).toEqual([
      { namespace: 'flux-system', name: 'apps', applied: rev('b'), state: 'Failed' },
      { namespace: 'flux-system', name: 'flux-system', applied: rev('a'), state: 'Ready' },
    ]);
  });

  it('is named by its run.json cluster name when it has one', async () => {
    const run = await readRun(variant('named', { 'run.json': record({ cluster: 'prod-eu' }) }));
    expect('record' in run && run.name).toBe('prod-eu');
  });

  it('with only run.json is a run that stopped before judging: fine when its verdict is error', async () => {
    const error = record({
      verdict: {
        level: 'error',
        ready: false,
        exitCode: 3,
        gateFailed: true,
        gate: 'x',
        headline: 'Error: x',
        reasons: ['x'],
      },
      kustomizations: [],
    });
    const run = await readRun(
      variant('error', { 'run.json': error, 'report.json': null, 'alerts.json': null }),
    );
    expect(run).toMatchObject({ name: 'error', record: { verdict: { level: 'error' } } });
    expect('report' in run).toBe(false);
  });
});

describe('a run that cannot be read is one line naming the file', () => {
  const cases: [string, Record<string, Change>, string, string][] = [
    [
      'run.json missing beside report.json',
      { 'run.json': null },
      'run.json',
      "missing beside report.json: the fleet reads the verdict from it (written by 'flux-health check --out' and the action); check the cluster again with this version",
    ],
    ['run.json not JSON', { 'run.json': '{"kind": ' }, 'run.json', 'not a flux-health run.json: not JSON: '],
    [
      'run.json of another kind',
      { 'run.json': '{"kind": "FluxReport"}' },
      'run.json',
      'not a flux-health run.json: kind is not FluxHealthRun',
    ],
    [
      'run.json of another version',
      { 'run.json': () => record({ version: 2 }) },
      'run.json',
      'not a flux-health run.json: version 2 is not 1',
    ],
    [
      'run.json without a verdict level',
      { 'run.json': () => record({ verdict: { level: 'fine' } }) },
      'run.json',
      'not a flux-health run.json: verdict lacks level, ready, exitCode, gateFailed, gate, headline or reasons',
    ],
    [
      'run.json with a bad Kustomization',
      { 'run.json': () => record({ kustomizations: [{ name: 'x' }] }) },
      'run.json',
      'not a flux-health run.json: kustomization 1 lacks namespace, name, applied or state',
    ],
    [
      'run.json with a cluster that is not text',
      { 'run.json': () => record({ cluster: 7 }) },
      'run.json',
      'not a flux-health run.json: cluster is not a string',
    ],
    [
      'report.json missing for a judged run',
      { 'report.json': null },
      'report.json',
      'missing, though run.json says failing',
    ],
    [
      'report.json not JSON',
      { 'report.json': 'nope' },
      'report.json',
      'not a flux-health report.json: not JSON: ',
    ],
    [
      'report.json of another kind',
      { 'report.json': '{"kind": "Something"}' },
      'report.json',
      'not a flux-health report.json: not a FluxReport (fluxcd.controlplane.io/v1)',
    ],
    [
      'report.json the operator wrote (no fluxHealth)',
      {
        'report.json': JSON.stringify({
          apiVersion: 'fluxcd.controlplane.io/v1',
          kind: 'FluxReport',
          spec: { distribution: { status: 'Installed', entitlement: 'Unknown' } },
        }),
      },
      'report.json',
      'not a flux-health report.json: no fluxHealth.failing list (not written by flux-health)',
    ],
    ['alerts.json missing', { 'alerts.json': null }, 'alerts.json', 'missing beside report.json'],
    [
      'alerts.json without a list',
      { 'alerts.json': '{}' },
      'alerts.json',
      'no "alerts" list: not an alerts.json written by flux-health',
    ],
    [
      'alerts.json with a bad alert',
      { 'alerts.json': '{"alerts": [{"name": "A"}]}' },
      'alerts.json',
      'alert 1 lacks name, state or activeAt',
    ],
  ];
  it.each(cases)('%s', async (name, changes, file, message) => {
    const dir = variant(name.replace(/\W+/g, '-'), changes);
    const problem = await readRun(dir);
    expect(problem).toMatchObject({ path: join(dir, file) });
    expect('message' in problem && problem.message.startsWith(message), JSON.stringify(problem)).toBe(true);
  });
});

describe('finding run folders', () => {
  it('takes a run folder itself, or the run folders inside a folder, sorted', async () => {
    const root = join(base, 'download');
    for (const n of ['b', 'a', 'c']) cpSync(good, join(root, n), { recursive: true });
    mkdirSync(join(root, 'not-a-run'), { recursive: true });
    writeFileSync(join(root, 'README.txt'), 'artifacts');
    const found = await findRunFolders([root, good]);
    expect(found).toEqual({ folders: ['a', 'b', 'c'].map((n) => join(root, n)).concat(good), problems: [] });
  });

  it.each([
    ['missing', 'nowhere', 'cannot read (ENOENT)'],
    ['a file', 'good/report.json', 'not a folder (name the folder that holds run.json and report.json)'],
    ['empty', 'empty', 'holds no run.json or report.json, nor do its subfolders'],
  ])('a path that is %s is a problem', async (_what, rel, message) => {
    mkdirSync(join(base, 'empty'), { recursive: true });
    expect(await findRunFolders([join(base, rel)])).toEqual({
      folders: [],
      problems: [{ path: join(base, rel), message }],
    });
  });
});

describe('readFleet', () => {
  it('reads the good runs past the bad ones, and tells clusters of the same name apart by folder', async () => {
    const root = join(base, 'fleet');
    cpSync(good, join(root, 'one'), { recursive: true });
    cpSync(good, join(root, 'two'), { recursive: true });
    writeFileSync(join(root, 'one', 'run.json'), record({ cluster: 'prod' }));
    writeFileSync(join(root, 'two', 'run.json'), record({ cluster: 'prod' }));
    cpSync(good, join(root, 'three'), { recursive: true });
    writeFileSync(join(root, 'three', 'alerts.json'), '[]');
    const read = await readFleet([root]);
    expect(read.runs.map((r) => r.name)).toEqual([
      `prod (${join(root, 'one')})`,
      `prod (${join(root, 'two')})`,
    ]);
    expect(read.problems).toEqual([
      {
        path: join(root, 'three', 'alerts.json'),
        message: 'no "alerts" list: not an alerts.json written by flux-health',
      },
    ]);
  });
});
