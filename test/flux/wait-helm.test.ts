// The wait against the real helm-controller and source-controller, for a HelmRelease whose chart
// lives in Git (spec.chart → a HelmChart helm-controller creates → the GitRepository). The
// HelmRelease itself is in Git too, applied by a Kustomization, as in a Flux repository.
import { beforeAll, describe, expect, it } from 'vitest';
import type { GitRepo } from '../envtest/git-server.js';
import {
  at,
  reconcileAndWait,
  seededRepository,
  chartFiles,
  create,
  getObject,
  kustomization,
} from '../support/real-flux.js';

const FAST_MS = 30_000;

function releaseYaml(values: Record<string, unknown>, strategy?: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: demo
spec:
  interval: 10m
  timeout: 30s
  chart:
    spec:
      chart: ./charts/demo
      interval: 10m
${strategy ? `      reconcileStrategy: ${strategy}\n` : ''}      sourceRef: { kind: GitRepository, name: repo }
  values: ${JSON.stringify(values)}
`;
}

async function setUp(prefix: string, strategy?: string): Promise<{ ns: string; repo: GitRepo; sha: string }> {
  const seeded = await seededRepository(prefix, {
    ...chartFiles('0.1.0'),
    'releases/demo.yaml': releaseYaml({ message: 'first' }, strategy),
  });
  await create(kustomization(seeded.ns, 'releases', './releases'));
  return seeded;
}

describe('wait with the real helm-controller: a chart from Git', () => {
  let ns: string;
  let repo: GitRepo;
  let first: string;
  const wait = (sha: string) => reconcileAndWait(ns, sha);

  beforeAll(async () => {
    ({ ns, repo, sha: first } = await setUp('helm'));
  });

  it('install: the HelmRelease created by the push converges at it', async () => {
    const run = await wait(first);
    expect(run.result.outcome, run.stderr).toBe('converged');
    expect(run.result.objects.map((o) => `${o.kind}/${o.name}:${o.state}`)).toEqual(
      expect.arrayContaining([
        'GitRepository/repo:converged',
        `HelmChart/${ns}-demo:converged`,
        'HelmRelease/demo:converged',
        'Kustomization/releases:converged',
      ]),
    );
    const hr = await getObject('helm.toolkit.fluxcd.io/v2', 'HelmRelease', ns, 'demo');
    expect(at(hr, 'status', 'history', 0, 'chartVersion')).toBe('0.1.0');
    expect(run.elapsedMs).toBeLessThan(FAST_MS);
  });

  it('upgrade: a version bump converges at the new chart', async () => {
    const sha = await repo.commit('main', chartFiles('0.2.0'), 'chart 0.2.0');
    const run = await reconcileAndWait(ns, sha, {
      name: 'helmrelease-upgrade',
      scenario: 'chart from Git, version bump, reconcile',
      truth: 'converged',
    });
    expect(run.result.outcome, run.stderr).toBe('converged');
    expect(run.result.objects.find((o) => o.kind === 'HelmRelease')?.revision).toBe('0.2.0');
    expect(run.elapsedMs).toBeLessThan(FAST_MS);
  });

  it('a template error fails the wait with helm-controller UpgradeFailed message', async () => {
    const sha = await repo.commit('main', chartFiles('0.3.0', { broken: true }), 'broken 0.3.0');
    const run = await reconcileAndWait(ns, sha, {
      name: 'helmrelease-template-error',
      scenario: 'chart from Git, template error, reconcile',
      truth: 'failed',
    });
    expect(run.result.outcome, run.stderr).toBe('failed');
    const hr = run.result.objects.find((o) => o.kind === 'HelmRelease');
    expect(hr?.state).toBe('failed');
    expect(hr?.reason).toMatch(/^failed at 0\.3\.0: Ready=False \(UpgradeFailed\).*nil pointer/);
    expect(run.elapsedMs).toBeLessThan(FAST_MS);
  });

  it('a values error (values.schema.json) fails the wait, the chart unchanged', async () => {
    await repo.commit('main', chartFiles('0.4.0'), 'good 0.4.0');
    const good = await repo.commit('main', { 'releases/note.txt': 'good\n' }, 'good');
    expect((await wait(good)).result.outcome).toBe('converged');
    const sha = await repo.commit(
      'main',
      { 'releases/demo.yaml': releaseYaml({ message: 'x', replicas: 'three' }) },
      'bad values',
    );
    const run = await wait(sha);
    expect(run.result.outcome, run.stderr).toBe('failed');
    const hr = run.result.objects.find((o) => o.kind === 'HelmRelease');
    expect(hr?.reason).toMatch(/failed at 0\.4\.0: Ready=False .*(schema|replicas)/);
    expect(run.elapsedMs).toBeLessThan(FAST_MS);

    const fixed = await repo.commit(
      'main',
      { 'releases/demo.yaml': releaseYaml({ message: 'fixed' }) },
      'fix',
    );
    const again = await reconcileAndWait(ns, fixed, {
      name: 'helmrelease-values-fixed',
      scenario: 'values fixed after a values error: the old failure restamped with the new generation',
      truth: 'converged',
    });
    expect(again.result.outcome, again.stderr).toBe('converged');
  });

  it('a template change without a version bump (ChartVersion strategy) is not called converged', async () => {
    const sha = await repo.commit('main', chartFiles('0.4.0', { note: 'changed without a bump' }), 'no bump');
    const run = await reconcileAndWait(ns, sha, {
      name: 'helmrelease-template-changed-without-version-bump',
      scenario: 'chart from Git, template changed, version not bumped, ChartVersion strategy',
      truth: 'failed',
    });
    expect(run.result.outcome, run.stderr).toBe('failed');
    const hr = run.result.objects.find((o) => o.kind === 'HelmRelease');
    expect(hr?.reason).toMatch(
      new RegExp(
        `^${sha} is not deployed: HelmChart .* kept chart 0\\.4\\.0 packaged from an earlier commit`,
      ),
    );
    expect(hr?.reason).toContain('reconcileStrategy: Revision');
    expect(run.elapsedMs).toBeLessThan(FAST_MS);
  });

  it('alternating good and broken pushes: every verdict right, 12 pairs in a row, twice', async () => {
    const wrong: string[] = [];
    let version = 10;
    for (let round = 0; round < 2; round++) {
      for (let pair = 0; pair < 12; pair++) {
        for (const broken of [false, true]) {
          const v = `0.${version++}.0`;
          const sha = await repo.commit(
            'main',
            chartFiles(v, { broken }),
            `${broken ? 'broken' : 'good'} ${v}`,
          );
          const run = await wait(sha);
          const want = broken ? 'failed' : 'converged';
          const hr = run.result.objects.find((o) => o.kind === 'HelmRelease');
          const right =
            run.result.outcome === want &&
            (broken ? hr?.reason.startsWith(`failed at ${v}:`) === true : hr?.revision === v);
          if (!right) wrong.push(`${v} (${want}): ${run.result.outcome}: ${run.result.message}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('wait with the real helm-controller: reconcileStrategy Revision', () => {
  it('a template change without a version bump converges at the pushed commit', async () => {
    const { ns, repo, sha: first } = await setUp('helmrev', 'Revision');
    const run0 = await reconcileAndWait(ns, first);
    expect(run0.result.outcome, run0.stderr).toBe('converged');
    const sha = await repo.commit('main', chartFiles('0.1.0', { note: 'no bump needed' }), 'no bump');
    const run = await reconcileAndWait(ns, sha);
    expect(run.result.outcome, run.stderr).toBe('converged');
    expect(run.result.objects.find((o) => o.kind === 'HelmRelease')?.revision).toBe(
      `0.1.0+${sha.slice(0, 12)}`,
    );
  });
});
