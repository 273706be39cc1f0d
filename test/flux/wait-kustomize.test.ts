// The wait against the real kustomize-controller and source-controller, driven through the
// built CLI (`flux-health wait`) and the action bundle: every verdict, its reason, and how long it
// took. The controllers write every status here; no test writes Flux status by hand.
import { readFileSync } from 'node:fs';
import { inject, beforeAll, describe, expect, it } from 'vitest';
import type { GitRepo } from '../envtest/git-server.js';
import { kubeRequest } from '../envtest/http.js';
import { runAction } from '../support/action-runner.js';
import {
  at,
  reconcileAndWait,
  seededRepository,
  configMapYaml,
  create,
  fluxAdmin,
  getObject,
  gitRepository,
  kustomization,
  namespace,
  repository,
  sleep,
  waitCli,
} from '../support/real-flux.js';

const TIMEOUT = '90s';
/** A verdict that needs the controllers only, not the timeout, comes well before it. */
const FAST_MS = 30_000;

const deploymentYaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: never-ready
spec:
  replicas: 1
  selector:
    matchLabels: { app: never-ready }
  template:
    metadata:
      labels: { app: never-ready }
    spec:
      containers:
        - name: app
          image: registry.invalid/never:1
`;

async function annotate(ns: string, plural: string, group: string, name: string): Promise<void> {
  const res = await kubeRequest(fluxAdmin(), `/apis/${group}/v1/namespaces/${ns}/${plural}/${name}`, {
    method: 'PATCH',
    contentType: 'application/merge-patch+json',
    body: { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } } },
  });
  if (res.status !== 200) throw new Error(`annotate ${name}: ${res.status}`);
}

// One file of the repository changes per test; `apps` is replaced whole so each push says exactly
// what the Kustomization builds.
describe('wait with the real kustomize-controller', () => {
  let ns: string;
  let repo: GitRepo;
  const push = (files: Record<string, string | null>, message: string): Promise<string> =>
    repo.commit('main', { apps: null, ...files }, message);

  beforeAll(async () => {
    ns = await namespace('ks');
    repo = await repository(ns);
  });

  it('a new GitRepository and Kustomization converge at the first commit', async () => {
    const sha = await push({ 'apps/app.yaml': configMapYaml('app', { rev: '0' }) }, 'first');
    await create(gitRepository(ns, 'repo', repo.url));
    await create(kustomization(ns, 'app', './apps', { wait: true, timeout: '8s' }));
    const run = await reconcileAndWait(ns, sha);
    expect(run.result.outcome, run.stderr).toBe('converged');
    expect(run.code).toBe(0);
    expect(run.result.objects.map((o) => `${o.kind}/${o.name}:${o.state}`)).toEqual([
      'GitRepository/repo:converged',
      'Kustomization/app:converged',
    ]);
    expect(run.elapsedMs).toBeLessThan(FAST_MS);
  });

  it('a good push converges in seconds with --reconcile, and the action says so too', async () => {
    const sha = await push({ 'apps/app.yaml': configMapYaml('app', { rev: '1' }) }, 'good');
    const run = await reconcileAndWait(ns, sha, {
      name: 'kustomization-good-push',
      scenario: 'good push with reconcile',
      truth: 'converged',
    });
    expect(run.result.outcome, run.stderr).toBe('converged');
    expect(run.result.message).toMatch(/^2 objects converged after/);
    expect(run.elapsedMs).toBeLessThan(15_000);
    const ks = await getObject('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', ns, 'app');
    expect(at(ks, 'status', 'lastAppliedRevision')).toBe(`main@sha1:${sha}`);

    const action = await runAction({
      inputs: {
        kubeconfig: readFileSync(inject('fluxKubeconfigAdmin'), 'utf8'),
        wait: 'true',
        reconcile: 'true',
        'expected-revision': sha,
        'wait-namespaces': ns,
        'wait-timeout': TIMEOUT,
        'artifact-name': '',
        comment: 'never',
        'fail-on': 'never',
      },
      timeoutMs: 120_000,
    });
    expect(action.outputs['wait-outcome'], action.stdout).toBe('converged');
    expect(action.code).toBe(0);
    // `ready` is about the whole cluster, which other tests' broken objects share.
    expect(action.outputs['ready']).toBe(action.outputs['failing'] === '0' ? 'true' : 'false');
    expect(action.stdout).toMatch(new RegExp(`wait: 2 objects converged .*: 2 at ${sha}`));
    expect(action.summary).toMatch(/Converged after/);
    expect(action.summary).toContain(`Expected revision \`${sha}\``);
    for (const row of [`GitRepository | ${ns}/repo`, `Kustomization | ${ns}/app`])
      expect(action.summary).toMatch(new RegExp(`\\| ${row} \\| ready \\|`));
  });

  // kustomize-controller's health checks last at least 30 s (spec.timeout, floored at 30 s).
  const failures: { name: string; files: Record<string, string>; reason: RegExp; fastMs?: number }[] = [
    {
      name: 'a kustomize build error',
      files: {
        'apps/app.yaml': configMapYaml('app', { rev: '2' }),
        'apps/kustomization.yaml': 'resources:\n  - app.yaml\n  - missing.yaml\n',
      },
      reason: /BuildFailed.*missing\.yaml/,
    },
    {
      name: 'a server-side dry-run error',
      files: {
        'apps/app.yaml': configMapYaml('app', { rev: '3' }),
        'apps/bad.yaml':
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  type: NotAType\n  ports:\n    - port: 80\n',
      },
      reason: /ReconciliationFailed.*(NotAType|dry-run)/,
    },
  ];
  // Last: the controller may keep checking health for another 30 s after the verdict (the wait's
  // own request arrives while the push's run is under way), which would slow the next test.
  const healthCheck = {
    name: 'a failing health check',
    files: { 'apps/app.yaml': configMapYaml('app', { rev: '4' }), 'apps/deploy.yaml': deploymentYaml },
    reason: /HealthCheckFailed/,
    fastMs: 45_000,
  };

  it('a push that removes the path fails with "kustomization path not found"', async () => {
    const sha = await repo.commit('main', { apps: null, 'other/readme.txt': 'moved away\n' }, 'remove apps');
    const run = await reconcileAndWait(ns, sha);
    expect(run.result.outcome, run.stderr).toBe('failed');
    const ks = run.result.objects.find((o) => o.kind === 'Kustomization');
    expect(ks?.reason).toMatch(/ArtifactFailed.*kustomization path not found/);
    expect(ks?.reason).toContain(sha);
    expect(run.elapsedMs, run.stderr).toBeLessThan(FAST_MS);
  });

  it('the action reports a failed wait as wait-outcome=failed, ready=false and exit 1', async () => {
    const sha = await push(
      {
        'apps/app.yaml': configMapYaml('app', { rev: '5' }),
        'apps/kustomization.yaml': 'resources: [nope.yaml]\n',
      },
      'broken again',
    );
    const action = await runAction({
      inputs: {
        kubeconfig: readFileSync(inject('fluxKubeconfigAdmin'), 'utf8'),
        wait: 'true',
        reconcile: 'true',
        'expected-revision': sha,
        'wait-objects': `ks/${ns}/app`,
        'wait-timeout': TIMEOUT,
        'artifact-name': '',
        comment: 'never',
        'fail-on': 'never',
      },
      timeoutMs: 120_000,
    });
    expect(action.outputs['wait-outcome'], action.stdout).toBe('failed');
    expect(action.outputs['ready']).toBe('false');
    expect(action.code).toBe(1);
    expect(action.summary).toMatch(/nope\.yaml/);
  });

  for (const f of [...failures, healthCheck]) {
    it(`${f.name} fails at the pushed revision with Flux's reason, long before the timeout`, async () => {
      const sha = await push(f.files, f.name);
      const run = await reconcileAndWait(ns, sha, {
        name: `kustomization-${f.name.replace(/^an? /, '').replace(/\W+/g, '-')}`,
        scenario: f.name,
        truth: 'failed',
      });
      expect(run.result.outcome, run.stderr).toBe('failed');
      expect(run.code).toBe(1);
      const ks = run.result.objects.find((o) => o.kind === 'Kustomization');
      expect(ks?.state).toBe('failed');
      expect(ks?.reason).toContain(`failed at main@sha1:${sha}`);
      expect(ks?.reason).toMatch(f.reason);
      expect(run.result.message).toContain(`Kustomization/${ns}/app`);
      expect(run.elapsedMs, run.stderr).toBeLessThan(f.fastMs ?? FAST_MS);
    });
  }
});

describe('wait with the real controllers: objects created and changed by a push', () => {
  let ns: string;
  let repo: GitRepo;
  const child = (path: string): string =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: child
spec:
  interval: 10m
  retryInterval: 10m
  path: ${path}
  targetNamespace: ${ns}
  prune: true
  timeout: 20s
  sourceRef: { kind: GitRepository, name: repo }
`;

  beforeAll(async () => {
    let sha: string;
    ({ ns, repo, sha } = await seededRepository('nested', {
      'root/cm.yaml': configMapYaml('root', { rev: '0' }),
      'good/cm.yaml': configMapYaml('good', { rev: '0' }),
      'broken/kustomization.yaml': 'resources: [absent.yaml]\n',
    }));
    await create(kustomization(ns, 'root', './root'));
    const run = await reconcileAndWait(ns, sha);
    expect(run.result.outcome, run.stderr).toBe('converged');
  });

  it('a new Kustomization that fails at the pushed revision fails the wait (observedGeneration stays -1)', async () => {
    const sha = await repo.commit('main', { 'root/child.yaml': child('./broken') }, 'add a broken child');
    const run = await reconcileAndWait(ns, sha, {
      name: 'kustomization-new-object-fails',
      scenario: 'a new Kustomization failing at the pushed revision',
      truth: 'failed',
    });
    expect(run.result.outcome, run.stderr).toBe('failed');
    const failed = run.result.objects.find((o) => o.state === 'failed');
    expect(failed?.name).toBe('child');
    expect(failed?.reason).toMatch(/BuildFailed.*absent\.yaml/);
    expect(run.elapsedMs).toBeLessThan(FAST_MS);
  });

  it('a good spec change converges, then a spec change that breaks the build fails', async () => {
    const good = await repo.commit('main', { 'root/child.yaml': child('./good') }, 'fix the child');
    const ok = await reconcileAndWait(ns, good);
    expect(ok.result.outcome, ok.stderr).toBe('converged');
    expect(ok.result.objects.map((o) => o.name).sort()).toEqual(['child', 'repo', 'root']);

    const bad = await repo.commit('main', { 'root/child.yaml': child('./broken') }, 'break the child');
    const run = await reconcileAndWait(ns, bad);
    expect(run.result.outcome, run.stderr).toBe('failed');
    expect(run.result.objects.find((o) => o.name === 'child')?.reason).toMatch(/BuildFailed/);
    expect(run.elapsedMs).toBeLessThan(FAST_MS);
  });
});

describe('wait with the real controllers: order, timeouts and superseded pushes', () => {
  let ns: string;
  let repo: GitRepo;

  beforeAll(async () => {
    let sha: string;
    ({ ns, repo, sha } = await seededRepository('order', {
      'infra/cm.yaml': configMapYaml('infra', { rev: '0' }),
      'apps/cm.yaml': configMapYaml('apps', { rev: '0' }),
    }));
    await create(kustomization(ns, 'infra', './infra'));
    await create(
      kustomization(ns, 'apps', './apps', { dependsOn: [{ name: 'infra' }], wait: true, timeout: '60s' }),
    );
    const run = await reconcileAndWait(ns, sha);
    expect(run.result.outcome, run.stderr).toBe('converged');
  });

  it('--reconcile asks the source first, then each Kustomization once what it needs handled the request', async () => {
    const sha = await repo.commit('main', { 'apps/cm.yaml': configMapYaml('apps', { rev: '1' }) }, 'apps 1');
    const run = await reconcileAndWait(ns, sha);
    expect(run.result.outcome, run.stderr).toBe('converged');
    const asked = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('requested reconciliation'))
      .map((l) => l.replace(/^requested reconciliation at \S+ of /, ''));
    expect(asked).toEqual([
      `GitRepository/${ns}/repo`,
      `Kustomization/${ns}/infra`,
      `Kustomization/${ns}/apps`,
    ]);
    const requestedAt = /requested reconciliation at (\S+) of/.exec(run.stderr)?.[1];
    for (const [kind, plural, name] of [
      ['GitRepository', 'source.toolkit.fluxcd.io/v1', 'repo'],
      ['Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'infra'],
      ['Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'apps'],
    ] as const) {
      const o = await getObject(plural, kind, ns, name);
      expect(at(o, 'status', 'lastHandledReconcileAt'), `${kind}/${name}`).toBe(requestedAt);
    }
    expect(run.elapsedMs).toBeLessThan(15_000);
  });

  it('without --reconcile and a timeout shorter than the interval: timed out, saying what each object waits for', async () => {
    const sha = await repo.commit('main', { 'apps/cm.yaml': configMapYaml('apps', { rev: '2' }) }, 'apps 2');
    const run = await waitCli(sha, ['--timeout', '4s', '--namespaces', ns]);
    expect(run.result.outcome).toBe('timeout');
    expect(run.code).toBe(1);
    const by = Object.fromEntries(run.result.objects.map((o) => [o.name, o]));
    expect(by['repo']?.reason).toMatch(new RegExp(`^at main@sha1:[0-9a-f]{40}, expected ${sha}$`));
    expect(by['infra']?.reason).toMatch(/^source GitRepository\/.*\/repo not converged/);
    expect(run.result.message).toMatch(/^timed out after 4s waiting for/);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(4_000);
    expect(run.elapsedMs).toBeLessThan(15_000);
  });

  it('the action times out the same way, its summary listing what was not ready and why', async () => {
    const sha = await repo.commit(
      'main',
      { 'apps/cm.yaml': configMapYaml('apps', { rev: '2b' }) },
      'apps 2b',
    );
    const action = await runAction({
      inputs: {
        kubeconfig: readFileSync(inject('fluxKubeconfigAdmin'), 'utf8'),
        wait: 'true',
        'expected-revision': sha.slice(0, 7),
        'wait-namespaces': ns,
        'wait-timeout': '4s',
        'artifact-name': '',
        comment: 'never',
        'fail-on': 'never',
      },
      timeoutMs: 120_000,
    });
    expect(action.code).toBe(1);
    expect(action.outputs['wait-outcome']).toBe('timeout');
    expect(action.outputs['ready']).toBe('false');
    expect(action.commands('error').join('\n')).toMatch(/timed out/);
    expect(action.summary.split('\n')[0]).toMatch(/failing/i);
    expect(action.summary).toMatch(/Timed out after 4s: 3 objects still not ready/);
    expect(action.summary).toMatch(
      new RegExp(
        `\\| GitRepository \\| ${ns}/repo \\| waiting \\|.*\\| at main@sha1:[0-9a-f]{40}, expected ${sha.slice(0, 7)} \\|`,
      ),
    );
    expect(action.summary).toMatch(
      new RegExp(
        `\\| Kustomization \\| ${ns}/apps \\| waiting \\|.*\\| source GitRepository/${ns}/repo not converged`,
      ),
    );
  });

  it('a push superseded by a newer commit while waiting fails as superseded', async () => {
    // The first push adds a Deployment that never becomes ready, so `apps` is still checking its
    // health (Ready=Unknown for up to 60 s) when the second push lands.
    const first = await repo.commit(
      'main',
      { 'apps/deploy.yaml': deploymentYaml, 'apps/cm.yaml': configMapYaml('apps', { rev: '3' }) },
      'slow',
    );
    const waiting = waitCli(first, ['--timeout', TIMEOUT, '--namespaces', ns]);
    await annotate(ns, 'gitrepositories', 'source.toolkit.fluxcd.io', 'repo');
    for (let i = 0; i < 100; i++) {
      const src = await getObject('source.toolkit.fluxcd.io/v1', 'GitRepository', ns, 'repo');
      if (at(src, 'status', 'artifact', 'revision') === `main@sha1:${first}`) break;
      await sleep(200);
    }
    await sleep(1500);
    const second = await repo.commit('main', { 'apps/deploy.yaml': null }, 'fast again');
    await annotate(ns, 'gitrepositories', 'source.toolkit.fluxcd.io', 'repo');
    const run = await waiting;
    expect(run.result.outcome, run.stderr).toBe('failed');
    const repoVerdict = run.result.objects.find((o) => o.name === 'repo');
    expect(repoVerdict?.reason).toMatch(/^superseded: moved on from/);
    expect(repoVerdict?.reason).toContain(second);
    expect(run.elapsedMs).toBeLessThan(FAST_MS);
  });
});
