/**
 * The fleet job of a matrix, end to end through the BUILT action: matrix jobs (real runs of
 * `dist/index.js` on snapshots, each with its own runtime token) upload their artifacts to the
 * loopback artifact service; the fleet job lists this workflow run's artifacts, downloads the ones
 * matching `fleet-artifacts`, and shows the clusters side by side in its job summary, its files and
 * its outputs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadArtifacts } from '../../src/github/artifact.js';
import { startFakeArtifactService, type FakeArtifactService } from '../fakes/artifact-service.js';
import { runAction, type ActionRun } from '../support/action-runner.js';
import { rev, sha, writeClusterSnapshot, type ClusterSpec } from './cluster-snapshot.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const snapshots = mkdtempSync(join(tmpdir(), 'flux-health-fleet-snapshots-'));

const explain = (r: ActionRun): string =>
  `exit ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;

/** One matrix job: checks its cluster's snapshot and uploads `flux-health-<name>`. */
async function matrixJob(
  art: FakeArtifactService,
  name: string,
  spec: ClusterSpec,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction({
    inputs: {
      snapshot: writeClusterSnapshot(snapshots, name, spec),
      'artifact-name': `flux-health-${name}`,
      'cluster-name': name,
      comment: 'never',
      ...inputs,
    },
    env: art.jobEnv(`job-${name}`),
  });
}

const fleetJob = (art: FakeArtifactService, inputs: Record<string, string> = {}): Promise<ActionRun> =>
  runAction({ inputs: { fleet: 'true', comment: 'never', ...inputs }, env: art.env });

const fleetJson = (r: ActionRun) =>
  JSON.parse(readFileSync(r.outputs['fleet-path'] ?? '', 'utf8')) as {
    kind: string;
    level: string;
    failed: string[];
    clusters: { name: string; level: string; fluxVersion?: string; failing?: number; firing?: number }[];
    revision?: { expected: string; live: string[]; missing: { cluster: string; checked: boolean }[] };
    fluxVersions: { common?: string; differ: { cluster: string; version: string }[] };
    problems: { path: string; message: string }[];
  };

describe('the fleet job of a matrix, through the built action', () => {
  let art: FakeArtifactService;
  beforeAll(async () => {
    art = await startFakeArtifactService();
    // prod and staging are healthy at commit a; edge runs an older Flux, still has apps at commit b,
    // and apps is failing; lab could not be reached at all.
    const jobs = await Promise.all([
      matrixJob(art, 'prod', {
        fluxVersion: 'v2.7.5',
        revisions: { 'flux-system': rev('a'), apps: rev('a') },
      }),
      matrixJob(art, 'staging', {
        fluxVersion: 'v2.7.5',
        revisions: { 'flux-system': rev('a'), apps: rev('a') },
      }),
      matrixJob(art, 'edge', {
        fluxVersion: 'v2.6.4',
        revisions: { 'flux-system': rev('a'), apps: rev('b') },
        failing: ['apps'],
      }),
      runAction({
        inputs: {
          kubeconfig: readFileSync(join(ROOT, 'examples/kubeconfig-unreachable.yaml'), 'utf8'),
          'artifact-name': 'flux-health-lab',
          'cluster-name': 'lab',
          comment: 'never',
        },
        env: art.jobEnv('job-lab'),
      }),
    ]);
    expect(jobs.map((j) => j.code)).toEqual([0, 0, 1, 3]);
    // Another job's artifact that the pattern leaves out.
    await runAction({
      inputs: { snapshot: join(snapshots, 'prod.yaml'), 'artifact-name': 'coverage', comment: 'never' },
      env: art.jobEnv('job-other'),
    });
  }, 120_000);
  afterAll(() => art.close());

  it("every matrix job's artifact carries run.json, an unreachable cluster's too", () => {
    expect([...art.unzip('flux-health-prod').keys()]).toContain('run.json');
    expect([...art.unzip('flux-health-lab').keys()]).toEqual(['run.json']);
    const lab = JSON.parse(art.unzip('flux-health-lab').get('run.json')?.toString('utf8') ?? '');
    expect(lab).toMatchObject({
      kind: 'FluxHealthRun',
      cluster: 'lab',
      verdict: { level: 'error', gateFailed: true },
    });
    expect(lab.commit).toBe('cafe0000cafe0000cafe0000cafe0000cafe0000');
  });

  it('shows the clusters side by side, fails the job, and answers "is commit a live everywhere?"', async () => {
    const r = await fleetJob(art, { 'expected-revision': sha('a').slice(0, 7) });
    expect(r.code, explain(r)).toBe(1);
    expect(r.outputs['verdict']).toBe('error');
    expect(r.outputs['ready']).toBe('false');
    expect(JSON.parse(r.outputs['fleet-failed'] ?? '')).toEqual(['edge', 'lab']);
    expect(r.outputs['revision-live']).toBe('false');
    expect(r.outputs['failing']).toBe('1');
    expect(r.outputs['summary-path']).toBe(join(r.outputDir, 'fleet.md'));
    expect(r.commands('error')).toEqual([
      'Flux fleet: 2 clusters failed the gate: edge, lab; aaaaaaa is not live on 2 clusters',
    ]);

    const doc = fleetJson(r);
    expect(doc.clusters.map((c) => [c.name, c.level, c.fluxVersion, c.failing])).toEqual([
      ['edge', 'failing', 'v2.6.4', 1],
      ['lab', 'error', undefined, undefined],
      ['prod', 'healthy', 'v2.7.5', 0],
      ['staging', 'healthy', 'v2.7.5', 0],
    ]);
    expect(doc.revision?.live).toEqual(['prod', 'staging']);
    expect(doc.revision?.missing).toEqual([
      { cluster: 'edge', checked: true, at: [{ id: 'flux-system/apps', applied: rev('b') }] },
      { cluster: 'lab', checked: false, at: [] },
    ]);
    expect(doc.fluxVersions).toEqual({
      common: 'v2.7.5',
      on: 2,
      of: 3,
      differ: [{ cluster: 'edge', version: 'v2.6.4' }],
    });
    expect(doc.problems).toEqual([]);

    // The job summary is the fleet's Markdown, as written to fleet.md.
    const md = readFileSync(join(r.outputDir, 'fleet.md'), 'utf8');
    expect(r.summary.trim()).toBe(md.trim());
    expect(md).toContain('**2 clusters failed their gate:** edge, lab.');
    expect(md).toContain(
      'Commit `aaaaaaa` is live on 2 of 4 clusters; missing: edge (`flux-system/apps` at `main@sha1:bbbbbbbbbbbb…`), lab (not checked).',
    );
    expect(md).toContain('Flux `v2.7.5` on 2 of 3 clusters; different: edge (`v2.6.4`).');
    expect(md).toMatch(
      /^\| `flux-system\/apps` \| 3 \| `aaaaaaa` \(asked\) \| edge: `main@sha1:bbbbbbbbbbbb…` \(Failed\) \|$/m,
    );
    expect(md).toMatch(/^\| lab \| ⛔ Error \| – \| – \| – \| cannot reach the Kubernetes API at /m);
    // The other job's artifact was never downloaded.
    expect(r.stdout).toMatch(
      /fleet: 4 artifacts match: flux-health-edge, flux-health-lab, flux-health-prod, flux-health-staging/,
    );
    const downloads = art.state.requests.filter((q) => q.method === 'GET').map((q) => q.path);
    expect(downloads.filter((p) => p.includes('coverage'))).toEqual([]);
    expect(downloads).toHaveLength(4);
  });

  it('without expected-revision, the revisions are compared with the majority', async () => {
    const r = await fleetJob(art, { 'fleet-artifacts': 'flux-health-{prod,staging,edge}', summary: 'false' });
    expect(r.code, explain(r)).toBe(1);
    expect(r.summary).toBe('');
    expect(r.outputs['verdict']).toBe('failing');
    expect(r.outputs['revision-live']).toBe('');
    const md = readFileSync(join(r.outputDir, 'fleet.md'), 'utf8');
    expect(md).toMatch(
      /^\| `flux-system\/apps` \| 3 \| `main@sha1:aaaaaaaaaaaa…` \| edge: `main@sha1:bbbbbbbbbbbb…` \(Failed\) \|$/m,
    );
  });

  it('passes when every cluster it shows passed its gate', async () => {
    const r = await fleetJob(art, {
      'fleet-artifacts': 'flux-health-prod\nflux-health-staging',
      'expected-revision': rev('a'),
    });
    expect(r.code, explain(r)).toBe(0);
    expect(r.outputs['verdict']).toBe('healthy');
    expect(r.outputs['ready']).toBe('true');
    expect(r.outputs['revision-live']).toBe('true');
    expect(JSON.parse(r.outputs['fleet-failed'] ?? '')).toEqual([]);
    expect(r.summary).toContain('Commit `main@sha1:aaaaaaaaaaaa…` is live on both clusters.');
  });

  it('a run without a cluster-name is named by its artifact', async () => {
    const r = await fleetJob(art, { 'fleet-artifacts': 'flux-health-prod, coverage' });
    expect(r.code, explain(r)).toBe(0);
    expect(fleetJson(r).clusters.map((c) => c.name)).toEqual(['coverage', 'prod']);
  });

  it('no matching artifact is bad input: exit 2 and one line naming the pattern', async () => {
    const r = await fleetJob(art, { 'fleet-artifacts': 'nothing-*' });
    expect(r.code, explain(r)).toBe(2);
    const [error, ...more] = r.commands('error');
    expect(more).toEqual([]);
    expect(error).toMatch(
      /^fleet: no artifact of this workflow run matches `nothing-\*` \(input `fleet-artifacts`\); found: /,
    );
    expect(r.outputs['verdict']).toBe('error');
  });

  it('refuses fleet with a snapshot: the fleet job checks no cluster', async () => {
    const r = await fleetJob(art, { snapshot: join(snapshots, 'prod.yaml') });
    expect(r.code).toBe(2);
    expect(r.commands('error').join('\n')).toMatch(/input `fleet` shows the runs of other jobs/);
  });
});

describe('an artifact that is not a run', () => {
  it('is a problem naming the file: the fleet fails, and shows the other clusters', async () => {
    const art = await startFakeArtifactService();
    const saved = { ...process.env };
    try {
      const ok = await matrixJob(art, 'prod', {
        fluxVersion: 'v2.7.5',
        revisions: { 'flux-system': rev('a') },
      });
      expect(ok.code, explain(ok)).toBe(0);
      // Another job uploaded something else under a matching name: a report.json that is not ours.
      const bad = mkdtempSync(join(tmpdir(), 'flux-health-fleet-bad-'));
      writeFileSync(join(bad, 'report.json'), '{"kind": "Something"}');
      writeFileSync(join(bad, 'run.json'), readFileSync(join(ok.outputDir, 'run.json')));
      Object.assign(process.env, art.jobEnv('job-broken'));
      const up = await uploadArtifacts({
        name: 'flux-health-broken',
        files: ['report.json', 'run.json'],
        rootDir: bad,
      });
      expect(up.uploaded).toBe(true);

      const r = await fleetJob(art);
      expect(r.code, explain(r)).toBe(1);
      const doc = fleetJson(r);
      expect(doc.clusters.map((c) => c.name)).toEqual(['prod']);
      const report = join(r.outputDir, '..', 'flux-health-fleet', 'flux-health-broken', 'report.json');
      expect(doc.problems).toEqual([
        {
          path: report,
          message: 'not a flux-health report.json: not a FluxReport (fluxcd.controlplane.io/v1)',
        },
      ]);
      expect(r.commands('warning')).toContain(
        `${report}: not a flux-health report.json: not a FluxReport (fluxcd.controlplane.io/v1)`,
      );
      expect(JSON.parse(r.outputs['fleet-failed'] ?? '')).toEqual([report]);
      expect(r.outputs['verdict']).toBe('error');
      expect(r.commands('error')).toEqual(['Flux fleet: 1 run could not be read']);
      expect(r.summary).toContain('### Could not be read (1)');

      // An artifact whose content does not match the digest it was finalized with is not read.
      const prod = art.state.artifacts.get('flux-health-prod');
      if (prod) prod.hash = `sha256:${'0'.repeat(64)}`;
      const tampered = await fleetJob(art, { 'fleet-artifacts': 'flux-health-prod' });
      expect(tampered.code, explain(tampered)).toBe(1);
      expect(fleetJson(tampered).problems).toEqual([
        {
          path: 'artifact flux-health-prod',
          message: `download failed: its content does not match its digest sha256:${'0'.repeat(64)}`,
        },
      ]);
    } finally {
      process.env = saved;
      await art.close();
    }
  });
});
