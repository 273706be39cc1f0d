import { describe, expect, it } from 'vitest';
import { judge, overall, step, type Verdict, type WaitMemory } from '../../src/wait/judge.js';
import type { WaitObject } from '../../src/wait/objects.js';
import { planWait } from '../../src/wait/plan.js';
import {
  SHA_A,
  SHA_B,
  gitRepository,
  helmChart,
  helmRelease,
  kustomization,
  ociRepository,
  rev,
} from './builders.js';

function verdicts(objects: WaitObject[], expected = SHA_B, requestedAt?: string): Record<string, Verdict> {
  const plan = planWait(objects, {}, expected);
  const out: Record<string, Verdict> = {};
  for (const v of judge(plan, requestedAt ? { requestedAt } : {})) out[v.name] = v;
  return out;
}

const summary = (v: Record<string, Verdict>): Record<string, string> =>
  Object.fromEntries(Object.entries(v).map(([k, x]) => [k, `${x.state}: ${x.reason}`]));

describe('judge: a dependency chain advancing revision by revision', () => {
  const infra = (o: Parameters<typeof kustomization>[2] = {}) => kustomization('ns', 'infra', o);
  const apps = (o: Parameters<typeof kustomization>[2] = {}) =>
    kustomization('ns', 'apps', { dependsOn: [{ name: 'infra' }], ...o });

  it('1. nothing fetched yet: the source is behind, everything else waits for it', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_A)),
      infra({ applied: rev(SHA_A) }),
      apps({ applied: rev(SHA_A) }),
    ]);
    expect(summary(v)).toEqual({
      repo: `waiting: at ${rev(SHA_A)}, expected ${SHA_B}`,
      infra: `waiting: source GitRepository/ns/repo not converged: at ${rev(SHA_A)}, expected ${SHA_B}`,
      apps: `waiting: source GitRepository/ns/repo not converged: at ${rev(SHA_A)}, expected ${SHA_B}`,
    });
    expect(v.repo?.revision).toBe(rev(SHA_A));
  });

  it('2. source at B, infra still Ready at A: infra is stale, apps waits for infra', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      infra({ applied: rev(SHA_A) }),
      apps({ applied: rev(SHA_A) }),
    ]);
    expect(v.repo?.state).toBe('converged');
    expect(v.infra).toMatchObject({
      state: 'waiting',
      reason: `Ready=True at ${rev(SHA_A)}, not at ${SHA_B} (stale)`,
      revision: rev(SHA_A),
      required: true,
    });
    expect(v.apps).toMatchObject({
      state: 'waiting',
      reason: 'dependency Kustomization/ns/infra not converged',
    });
  });

  it('3. infra at B, apps still Ready at A: apps is a stale Ready, not converged', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      infra({ applied: rev(SHA_B) }),
      apps({ applied: rev(SHA_A) }),
    ]);
    expect(v.infra?.state).toBe('converged');
    expect(v.apps).toMatchObject({ state: 'waiting', reason: expect.stringContaining('(stale)') });
  });

  it('4. apps at B: everything converged', () => {
    const list = judge(
      planWait(
        [
          gitRepository('ns', 'repo', rev(SHA_B)),
          infra({ applied: rev(SHA_B) }),
          apps({ applied: rev(SHA_B) }),
        ],
        {},
        SHA_B,
      ),
    );
    expect(overall(list)).toBe('converged');
    expect(list.map((x) => x.reason)).toEqual([
      `Ready at ${rev(SHA_B)}`,
      `Ready at ${rev(SHA_B)}`,
      `Ready at ${rev(SHA_B)}`,
    ]);
  });

  it('a dependent Ready at B is not judged while its dependency is stale', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      infra({ applied: rev(SHA_A) }),
      apps({ applied: rev(SHA_B) }),
    ]);
    expect(v.apps?.state).toBe('waiting');
  });
});

describe('judge: failures', () => {
  it('Ready=False at the expected revision fails with the controller message', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      kustomization('ns', 'apps', {
        applied: rev(SHA_A),
        attempted: rev(SHA_B),
        ready: 'False',
        reason: 'BuildFailed',
        message: 'kustomize build failed:\n  accumulating resources',
      }),
    ]);
    expect(v.apps).toMatchObject({
      state: 'failed',
      reason: `failed at ${rev(SHA_B)}: Ready=False (BuildFailed): kustomize build failed: accumulating resources`,
    });
  });

  it('Ready=False at an older revision keeps waiting (the new one was not attempted yet)', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      kustomization('ns', 'apps', {
        applied: rev(SHA_A),
        ready: 'False',
        reason: 'HealthCheckFailed',
        message: 'timeout',
      }),
    ]);
    expect(v.apps).toMatchObject({ state: 'waiting', reason: 'Ready=False (HealthCheckFailed): timeout' });
  });

  it('DependencyNotReady at the expected revision is Flux waiting, not failing', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      kustomization('ns', 'apps', { attempted: rev(SHA_B), ready: 'False', reason: 'DependencyNotReady' }),
    ]);
    expect(v.apps?.state).toBe('waiting');
  });

  it('a failing source keeps the wait going with its message', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B), {
        ready: 'False',
        reason: 'GitOperationFailed',
        message: 'auth failed',
      }),
      kustomization('ns', 'apps', { applied: rev(SHA_B) }),
    ]);
    expect(v.repo).toMatchObject({
      state: 'waiting',
      reason: 'Ready=False (GitOperationFailed): auth failed',
    });
  });

  it('a dependsOn cycle fails every member', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      kustomization('ns', 'a', { applied: rev(SHA_B), dependsOn: [{ name: 'b' }] }),
      kustomization('ns', 'b', { applied: rev(SHA_B), dependsOn: [{ name: 'a' }] }),
    ]);
    expect(v.a).toMatchObject({
      state: 'failed',
      reason:
        'dependsOn cycle: Kustomization/ns/a → Kustomization/ns/b → Kustomization/ns/a; Flux will never apply these',
    });
    expect(v.b?.state).toBe('failed');
  });

  it('a suspended object behind the expected revision fails: Flux will not move it', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      kustomization('ns', 'apps', { applied: rev(SHA_A), suspend: true }),
    ]);
    expect(v.apps).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^suspended/) });
  });
});

describe('judge: generations, reconcile requests, missing objects', () => {
  it('Ready=True for an older generation waits', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      kustomization('ns', 'apps', { applied: rev(SHA_B), generation: 3, observedGeneration: 2 }),
    ]);
    expect(v.apps).toMatchObject({
      state: 'waiting',
      reason: 'Ready=True but observedGeneration 2 < generation 3',
    });
  });

  it('Ready=Unknown is reconciling', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      kustomization('ns', 'apps', {
        applied: rev(SHA_A),
        ready: 'Unknown',
        reason: 'Progressing',
        message: 'Reconciliation in progress',
      }),
    ]);
    expect(v.apps?.reason).toBe('reconciling: Ready=Unknown (Progressing): Reconciliation in progress');
  });

  it('names a pending request while waiting, but never lets it hold back a verdict at the expected revision', () => {
    // Measured with the real kustomize-controller: a push triggers a reconcile through the
    // source's artifact change before the wait's request lands; that run's verdict is the push's.
    const at = '2025-01-01T00:00:00.000Z';
    const objs = (applied: string, handled?: string) => [
      gitRepository('ns', 'repo', rev(SHA_B), { requestedAt: at, lastHandledReconcileAt: at }),
      kustomization('ns', 'apps', {
        applied,
        requestedAt: at,
        ...(handled ? { lastHandledReconcileAt: handled } : {}),
      }),
    ];
    expect(verdicts(objs(rev(SHA_A)), SHA_B, at).apps).toMatchObject({
      state: 'waiting',
      reason: `Ready=True at ${rev(SHA_A)}, not at ${SHA_B} (stale); reconciliation requested at ${at} not handled yet`,
    });
    expect(verdicts(objs(rev(SHA_A), at), SHA_B, at).apps?.reason).not.toContain('not handled');
    expect(verdicts(objs(rev(SHA_B)), SHA_B, at).apps?.state).toBe('converged');
    // Someone else's unhandled request is not this wait's business.
    expect(verdicts(objs(rev(SHA_A)), SHA_B).apps?.reason).not.toContain('not handled');
  });

  it('a failure reached before the request was handled stands while Flux runs the same spec again for it', () => {
    // Recorded with the real kustomize-controller: the source's new artifact started a run whose
    // health check failed after 30 s; the request that landed during it caused a second 30 s run.
    const at = '2025-01-01T00:00:00.000Z';
    const memory: WaitMemory = { reached: new Set(), firstDeployed: new Map(), requestedAt: at };
    const repo = gitRepository('ns', 'repo', rev(SHA_B), { requestedAt: at, lastHandledReconcileAt: at });
    const ks = (o: Parameters<typeof kustomization>[2]) =>
      kustomization('ns', 'apps', { requestedAt: at, applied: rev(SHA_A), ...o });
    const at1 = (objects: WaitObject[]) =>
      Object.fromEntries(step(planWait(objects, {}, SHA_B), memory).map((v) => [v.name, v]));
    const failed = ks({
      ready: 'False',
      reason: 'HealthCheckFailed',
      message: 'timeout',
      attempted: rev(SHA_B),
    });
    expect(at1([repo, failed]).apps?.state).toBe('failed');
    const again = at1([
      repo,
      ks({ ready: 'Unknown', reason: 'Progressing', message: 'Running health checks' }),
    ]);
    expect(again.apps).toMatchObject({ state: 'failed' });
    expect(again.apps?.reason).toMatch(/HealthCheckFailed.*running it again for this wait's request/);
    // A new spec (generation) is news, and so is the retry's own answer.
    expect(at1([repo, ks({ ready: 'Unknown', generation: 2, observedGeneration: 1 })]).apps?.state).toBe(
      'waiting',
    );
    expect(at1([repo, ks({ applied: rev(SHA_B), lastHandledReconcileAt: at })]).apps?.state).toBe(
      'converged',
    );
    // Without a request of this wait nothing is held.
    const fresh: WaitMemory = { reached: new Set(), firstDeployed: new Map() };
    step(planWait([repo, failed], {}, SHA_B), fresh);
    const later = step(planWait([repo, ks({ ready: 'Unknown' })], {}, SHA_B), fresh);
    expect(later.find((v) => v.name === 'apps')?.state).toBe('waiting');
  });

  it('a missing source or dependency waits', () => {
    const v = verdicts([
      kustomization('ns', 'apps', { applied: rev(SHA_B), dependsOn: [{ name: 'infra' }] }),
    ]);
    expect(v.repo).toMatchObject({ state: 'waiting', reason: 'GitRepository ns/repo not found' });
    expect(v.apps?.reason).toBe(
      'source GitRepository/ns/repo not converged: GitRepository ns/repo not found',
    );
  });

  it('objects of unrelated sources only need to be Ready', () => {
    const v = verdicts([
      gitRepository('ns', 'repo', rev(SHA_B)),
      gitRepository('ns', 'other', rev(SHA_A), { url: 'https://github.com/example/elsewhere' }),
      kustomization('ns', 'apps', { applied: rev(SHA_B) }),
      kustomization('ns', 'addons', { applied: rev(SHA_A), source: { name: 'other' } }),
    ]);
    expect(v.addons).toMatchObject({ state: 'converged', required: false, reason: `Ready at ${rev(SHA_A)}` });
    expect(v.other?.required).toBe(false);
  });
});

describe('judge: HelmReleases', () => {
  const digest = 'd'.repeat(12) + 'e'.repeat(52);
  it('an OCIRepository chart: converged when the release attempted the new digest', () => {
    const objs = (attempted: string, attemptedDigest?: string) => [
      ociRepository('ns', 'podinfo', `latest@sha256:${digest}`),
      helmRelease('ns', 'podinfo', {
        chartRef: { kind: 'OCIRepository', name: 'podinfo' },
        attempted,
        ...(attemptedDigest ? { attemptedDigest } : {}),
      }),
    ];
    expect(verdicts(objs(`6.5.0+${digest.slice(0, 12)}`), `sha256:${digest}`).podinfo?.state).toBe(
      'converged',
    );
    expect(verdicts(objs('6.5.0', `sha256:${digest}`), `sha256:${digest}`).podinfo?.state).toBe('converged');
    expect(verdicts(objs(`6.4.0+${'0'.repeat(12)}`), `sha256:${digest}`).podinfo).toMatchObject({
      state: 'waiting',
      reason: expect.stringContaining('(stale)'),
    });
  });

  it('a chart from the pushed GitRepository: the HelmChart built from B, the release at that chart', () => {
    const objs = (chartFrom: string, released: string) => [
      gitRepository('ns', 'repo', rev(SHA_B)),
      helmChart('ns', 'ns-web', { kind: 'GitRepository', name: 'repo' }, '1.0.0', {
        observedSourceArtifactRevision: chartFrom,
      }),
      helmRelease('ns', 'web', {
        chart: { chart: './charts/web', sourceRef: { kind: 'GitRepository', name: 'repo' } },
        attempted: released,
      }),
    ];
    const behind = verdicts(objs(rev(SHA_A), '1.0.0'));
    expect(behind['ns-web']?.state).toBe('waiting');
    expect(behind.web?.reason).toMatch(/^source HelmChart\/ns\/ns-web not converged/);
    const built = verdicts(objs(rev(SHA_B), '1.0.0'));
    expect(built['ns-web']?.state).toBe('converged');
    expect(built.web?.state).toBe('converged');
    expect(verdicts(objs(rev(SHA_B), '0.9.0')).web?.state).toBe('waiting');
  });

  it('a failed upgrade at the expected chart version fails', () => {
    const v = verdicts(
      [
        ociRepository('ns', 'podinfo', `6.5.0@sha256:${digest}`),
        helmRelease('ns', 'podinfo', {
          chartRef: { kind: 'OCIRepository', name: 'podinfo' },
          attempted: `6.5.0+${digest.slice(0, 12)}`,
          ready: 'False',
          reason: 'UpgradeFailed',
          message: 'Helm upgrade failed: timed out waiting for the condition',
        }),
      ],
      '6.5.0',
    );
    expect(v.podinfo).toMatchObject({ state: 'failed', reason: expect.stringContaining('UpgradeFailed') });
  });
});

describe('overall', () => {
  it('is converged for nothing selected, failed if any failed', () => {
    expect(overall([])).toBe('converged');
    const v = (state: Verdict['state']): Verdict => ({
      kind: 'K',
      namespace: 'n',
      name: 'x',
      role: 'selected',
      required: true,
      state,
      reason: '',
    });
    expect(overall([v('converged'), v('waiting')])).toBe('waiting');
    expect(overall([v('waiting'), v('failed')])).toBe('failed');
  });
});
