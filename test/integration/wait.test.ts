// The wait mode's API-server mechanics against the real control plane, where each test plays the
// Flux controllers' part by writing status itself. Every verdict a real controller can produce is
// tested with the real controllers instead (test/flux/); what stays here cannot be produced by them
// in this sandbox, or is about the API server, not about Flux:
// - watch connections the server ends, and the fallback to polling when `watch` is forbidden
//   (RBAC and connection handling; the states are incidental);
// - a HelmRelease of an OCI chart (OCIRepository, `chartRef`): there is no OCI registry here for
//   source-controller to pull from, so its digests are written by hand;
// - the refusal when a kind may not be listed (RBAC).
import { AuthorizationV1Api } from '@kubernetes/client-node';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { connect } from '../../src/cluster/connect.js';
import { KubeClient } from '../../src/cluster/kube-client.js';
import { ConfigError } from '../../src/errors.js';
import { waitForRevision, type WaitOptions, type WaitResult } from '../../src/wait/wait.js';
import {
  adminClients,
  condition,
  createFluxObject,
  getFluxObject,
  loadKubeConfig,
  mintKubeconfig,
  setFluxStatus,
  uniqueNamespace,
} from '../support/cluster.js';

const SHA_A = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SHA_B = '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const rev = (sha: string): string => `main@sha1:${sha}`;

const GIT = 'source.toolkit.fluxcd.io/v1';
const KS = 'kustomize.toolkit.fluxcd.io/v1';

function clientFor(kubeconfigPath: string): KubeClient {
  const conn = connect({ kubeconfigPath });
  return new KubeClient(conn.kc, conn.server);
}

interface Extra {
  ready?: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastHandledReconcileAt?: string;
}

function readyCondition(e: Extra): Record<string, unknown> {
  const ready = e.ready ?? 'True';
  return condition(
    'Ready',
    ready,
    e.reason ?? (ready === 'True' ? 'ReconciliationSucceeded' : 'Progressing'),
    e.message ?? (ready === 'True' ? 'Applied revision' : ''),
  );
}

/** Replaces the status through /status on top of the object as it is now (the wait may have annotated it). */
async function writeStatus(
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
  status: Record<string, unknown>,
): Promise<void> {
  await setFluxStatus(await getFluxObject(apiVersion, kind, namespace, name), status);
}

function sourceStatus(sha: string, e: Extra = {}): Record<string, unknown> {
  return {
    observedGeneration: 1,
    artifact: {
      revision: rev(sha),
      digest: 'sha256:' + sha.slice(0, 8).repeat(8),
      path: 'gitrepository/x.tar.gz',
      url: 'http://source-controller/x.tar.gz',
      lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    },
    conditions: [readyCondition(e)],
    ...(e.lastHandledReconcileAt ? { lastHandledReconcileAt: e.lastHandledReconcileAt } : {}),
  };
}

function ksStatus(applied: string, attempted = applied, e: Extra = {}): Record<string, unknown> {
  return {
    observedGeneration: 1,
    lastAppliedRevision: applied,
    lastAttemptedRevision: attempted,
    conditions: [readyCondition(e)],
    ...(e.lastHandledReconcileAt ? { lastHandledReconcileAt: e.lastHandledReconcileAt } : {}),
  };
}

const setSource = (ns: string, sha: string, e?: Extra) =>
  writeStatus(GIT, 'GitRepository', ns, 'repo', sourceStatus(sha, e));
const setKs = (ns: string, name: string, applied: string, attempted?: string, e?: Extra) =>
  writeStatus(KS, 'Kustomization', ns, name, ksStatus(applied, attempted, e));

/** A GitRepository and the chain infra ← apps (apps dependsOn infra), all Ready at SHA_A. */
async function chainAtA(prefix: string): Promise<string> {
  const ns = await uniqueNamespace(prefix);
  await createFluxObject({
    apiVersion: GIT,
    kind: 'GitRepository',
    metadata: { name: 'repo', namespace: ns },
    spec: { interval: '1m', url: 'https://github.com/example/fleet', ref: { branch: 'main' } },
    status: sourceStatus(SHA_A),
  });
  for (const [name, deps] of [
    ['infra', undefined],
    ['apps', [{ name: 'infra' }]],
  ] as const) {
    await createFluxObject({
      apiVersion: KS,
      kind: 'Kustomization',
      metadata: { name, namespace: ns },
      spec: {
        interval: '10m',
        path: `./${name}`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'repo' },
        ...(deps ? { dependsOn: deps } : {}),
      },
      status: ksStatus(rev(SHA_A)),
    });
  }
  return ns;
}

/** Starts a wait and records its progress lines; `seen` resolves when a line matches. */
function startWait(
  client: KubeClient,
  opts: WaitOptions,
): {
  result: Promise<WaitResult>;
  lines: string[];
  seen: (pattern: RegExp) => Promise<void>;
} {
  const lines: string[] = [];
  const result = waitForRevision(client, { ...opts, onProgress: (l) => lines.push(l) });
  let settled = false;
  let outcome = '';
  void result.then(
    (r) => {
      settled = true;
      outcome = `${r.outcome}: ${r.message}`;
    },
    (err: unknown) => {
      settled = true;
      outcome = `error: ${String(err)}`;
    },
  );
  const seen = async (pattern: RegExp): Promise<void> => {
    const until = Date.now() + 30_000;
    while (!lines.some((l) => pattern.test(l))) {
      if (settled)
        throw new Error(`the wait ended (${outcome}) before a line matched ${pattern}:\n${lines.join('\n')}`);
      if (Date.now() > until) throw new Error(`no progress line matched ${pattern}:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { result, lines, seen };
}

const byName = (r: WaitResult) => Object.fromEntries(r.objects.map((o) => [`${o.kind}/${o.name}`, o]));

describe('waiting for a revision in a real cluster', () => {
  let admin: KubeClient;
  beforeAll(() => {
    admin = clientFor(inject('kubeconfigAdmin'));
  });

  it('keeps watching across watch connections that the server ends', async () => {
    const ns = await chainAtA('wait-renew');
    const w = startWait(admin, {
      expected: SHA_B,
      timeoutMs: 60_000,
      selection: { namespaces: [ns] },
      watchTimeoutSeconds: 1,
    });
    await w.seen(/repo waiting: at /);
    // Let the server end the first connections; changes after that arrive on renewed watches.
    await new Promise((r) => setTimeout(r, 2500));
    await setSource(ns, SHA_B);
    await setKs(ns, 'infra', rev(SHA_B));
    await setKs(ns, 'apps', rev(SHA_B));
    const r = await w.result;
    expect(r.outcome).toBe('converged');
    expect(w.lines.filter((l) => /polling|broke/.test(l))).toEqual([]);
  });

  it('falls back to polling when the identity may list but not watch', async () => {
    const ns = await chainAtA('wait-poll');
    const user = `wait-no-watch-${ns}`;
    const { rbac } = adminClients();
    await rbac.createClusterRole({
      body: {
        metadata: { name: user },
        rules: [
          {
            apiGroups: ['source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io'],
            resources: ['gitrepositories', 'kustomizations', 'helmreleases'],
            verbs: ['get', 'list'],
          },
          {
            apiGroups: ['apiextensions.k8s.io'],
            resources: ['customresourcedefinitions'],
            verbs: ['get', 'list'],
          },
        ],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: user },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: user },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      },
    });
    const path = await mintKubeconfig(user);
    // RBAC reaches the authorizer through an informer: wait until it allows the list.
    const authz = loadKubeConfig(path).makeApiClient(AuthorizationV1Api);
    const allowed = async (verb: string): Promise<boolean> =>
      (
        await authz.createSelfSubjectAccessReview({
          body: {
            spec: {
              resourceAttributes: { group: 'kustomize.toolkit.fluxcd.io', resource: 'kustomizations', verb },
            },
          },
        })
      ).status?.allowed === true;
    for (let i = 0; !(await allowed('list')); i++) {
      if (i > 200) throw new Error(`RBAC for ${user} never took effect`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await allowed('watch')).toBe(false);

    const limited = clientFor(path);
    const w = startWait(limited, {
      expected: SHA_B,
      timeoutMs: 60_000,
      selection: { namespaces: [ns] },
      pollMinMs: 100,
      pollMaxMs: 400,
    });
    await w.seen(new RegExp(`cannot watch kustomizations in namespace ${ns} \\(403 Forbidden\\); polling`));
    await w.seen(/GitRepository\/.*\/repo waiting: at /);
    await setSource(ns, SHA_B);
    await w.seen(/infra waiting: .*\(stale\)/);
    await setKs(ns, 'infra', rev(SHA_B));
    await setKs(ns, 'apps', rev(SHA_B));
    const r = await w.result;
    limited.close();
    expect(r.outcome).toBe('converged');
    expect(w.lines.some((l) => /cannot watch gitrepositories in namespace .*; polling/.test(l))).toBe(true);
  });

  it('a HelmRelease of an OCI chart: waits for the pushed digest; an unrelated Kustomization only needs Ready', async () => {
    const ns = await chainAtA('wait-helm');
    const digestA = 'a'.repeat(64);
    const digestB = 'b'.repeat(12) + 'c'.repeat(52);
    const ociStatus = (digest: string) => ({
      observedGeneration: 1,
      artifact: {
        revision: `6.5.0@sha256:${digest}`,
        digest: `sha256:${digest}`,
        path: 'ocirepository/x.tar.gz',
        url: 'http://source-controller/x.tar.gz',
        lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      },
      conditions: [readyCondition({})],
    });
    const hrStatus = (digest: string, e: Extra = {}) => ({
      observedGeneration: 1,
      lastAttemptedRevision: `6.5.0+${digest.slice(0, 12)}`,
      lastAttemptedRevisionDigest: `sha256:${digest}`,
      conditions: [readyCondition(e)],
    });
    await createFluxObject({
      apiVersion: GIT,
      kind: 'OCIRepository',
      metadata: { name: 'podinfo', namespace: ns },
      spec: { interval: '5m', url: 'oci://ghcr.io/stefanprodan/charts/podinfo', ref: { tag: '6.5.0' } },
      status: ociStatus(digestA),
    });
    await createFluxObject({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'podinfo', namespace: ns },
      spec: { interval: '10m', chartRef: { kind: 'OCIRepository', name: 'podinfo' } },
      status: hrStatus(digestA),
    });
    const w = startWait(admin, {
      expected: `sha256:${digestB}`,
      timeoutMs: 60_000,
      selection: { namespaces: [ns] },
    });
    await w.seen(
      new RegExp(`OCIRepository/${ns}/podinfo waiting: at 6\\.5\\.0@sha256:a+, expected sha256:b+c+`),
    );
    await writeStatus(GIT, 'OCIRepository', ns, 'podinfo', ociStatus(digestB));
    await w.seen(
      new RegExp(`HelmRelease/${ns}/podinfo waiting: Ready=True at 6\\.5\\.0\\+a{12}, not at .*\\(stale\\)`),
    );
    await writeStatus('helm.toolkit.fluxcd.io/v2', 'HelmRelease', ns, 'podinfo', hrStatus(digestB));
    const r = await w.result;
    expect(r.outcome).toBe('converged');
    const objects = byName(r);
    expect(objects['HelmRelease/podinfo']).toMatchObject({
      required: true,
      revision: `6.5.0+${'b'.repeat(12)}`,
    });
    // The Git chain at A has nothing to do with the pushed chart: Ready is enough.
    expect(objects['Kustomization/apps']).toMatchObject({
      state: 'converged',
      required: false,
      revision: rev(SHA_A),
    });
    expect(objects['GitRepository/repo']).toMatchObject({ state: 'converged', required: false });
  });

  it('refuses with a ConfigError (exit 2) when the identity may not list a kind it must wait for', async () => {
    const ns = await chainAtA('wait-forbidden');
    // The limited identity reads every Flux kind except HelmReleases.
    const limited = clientFor(inject('kubeconfigLimited'));
    const err = await waitForRevision(limited, {
      expected: SHA_B,
      timeoutMs: 30_000,
      selection: { namespaces: [ns] },
    }).catch((e: unknown) => e);
    limited.close();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(2);
    expect((err as Error).message).toBe(
      `cannot list helmreleases in namespace ${ns} (403 Forbidden): grant get, list and watch on helmreleases.helm.toolkit.fluxcd.io to wait for them`,
    );
  });
});
