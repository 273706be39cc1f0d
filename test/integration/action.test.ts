// The built action end to end: `node <bundle>` with the runner's environment, against a real
// kube-apiserver, with GitHub's REST/GraphQL API and the artifact service replaced by the loopback
// fakes in test/fakes.
//
// The action reads the whole cluster (every namespace) and its wait covers every Kustomization and
// HelmRelease, so its exit code and outputs depend on everything in the cluster. The shared control
// plane holds other test files' failing and half-advanced objects, so this file starts a control
// plane of its own and removes each test's Flux objects afterwards: every verdict asserted here is
// about objects this file wrote.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotText } from '../../src/snapshot/read.js';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startControlPlane, type ControlPlane } from '../envtest/control-plane.js';
import { BOT, BOT_TOKEN, MALLORY, startFakeGitHub, type FakeGitHub } from '../fakes/github-api.js';
import { startFakeArtifactService, type FakeArtifactService } from '../fakes/artifact-service.js';
import { assertNoLiveMarkdown } from '../render/fixtures/hostile.js';
import { clientsFor, condition, type Clients } from '../support/cluster.js';
import { controllerDeployments, fluxCrdStubs } from '../support/flux-objects.js';
import {
  findLeaks,
  kubeconfigSecrets,
  runAction,
  type ActionRun,
  type RunActionOptions,
} from '../support/action-runner.js';

const GIT = 'source.toolkit.fluxcd.io/v1';
const KS = 'kustomize.toolkit.fluxcd.io/v1';
const HR = 'helm.toolkit.fluxcd.io/v2';
const PLURALS: Record<string, string> = {
  GitRepository: 'gitrepositories',
  Kustomization: 'kustomizations',
  HelmRelease: 'helmreleases',
};
const SHA_A = 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1';
const SHA_B = 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2';
const rev = (sha: string): string => `main@sha1:${sha}`;
const MARKER = '<!-- flux-health:comment-tag=flux-health -->';
const FILES = ['report.yaml', 'report.json', 'metrics.prom', 'alerts.json', 'summary.md', 'run.json'];
const MINUTE = 60_000;

let cp: ControlPlane;
let kube: Clients;
let kubeconfig: string;
let gh: FakeGitHub;
let art: FakeArtifactService;
/** Flux objects written by the running test, deleted after it. */
let created: { apiVersion: string; kind: string; namespace: string; name: string }[] = [];

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function api(apiVersion: string, kind: string): { group: string; version: string; plural: string } {
  const [group, version] = apiVersion.split('/') as [string, string];
  return { group, version, plural: PLURALS[kind] as string };
}

/** Creates the object and writes its status through /status, as a Flux controller would. */
async function put(obj: Obj): Promise<void> {
  const { group, version, plural } = api(obj.apiVersion, obj.kind);
  const { status, ...rest } = obj;
  const stored = (await kube.custom.createNamespacedCustomObject({
    group,
    version,
    plural,
    namespace: obj.metadata.namespace,
    body: rest,
  })) as Record<string, unknown>;
  created.push({ apiVersion: obj.apiVersion, kind: obj.kind, ...obj.metadata });
  if (status)
    await kube.custom.replaceNamespacedCustomObjectStatus({
      group,
      version,
      plural,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      body: { ...stored, status },
    });
}

/** Replaces the status of a stored object (re-reading it, so a concurrent annotation survives). */
async function setStatus(
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
  status: Record<string, unknown>,
): Promise<void> {
  const { group, version, plural } = api(apiVersion, kind);
  const current = (await kube.custom.getNamespacedCustomObject({
    group,
    version,
    plural,
    namespace,
    name,
  })) as {
    metadata: Record<string, unknown>;
  };
  await kube.custom.replaceNamespacedCustomObjectStatus({
    group,
    version,
    plural,
    namespace,
    name,
    body: { apiVersion, kind, metadata: current.metadata, status },
  });
}

let nsCount = 0;
async function namespace(prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${++nsCount}`;
  await kube.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

const ready = (message = 'Applied revision', reason = 'ReconciliationSucceeded', at = new Date()) =>
  condition('Ready', 'True', reason, message, at);
const failed = (message: string, reason = 'ReconciliationFailed', at = new Date(Date.now() - 15 * MINUTE)) =>
  condition('Ready', 'False', reason, message, at);

function gitRepository(
  ns: string,
  name: string,
  sha: string,
  cond = ready('stored artifact', 'Succeeded'),
): Obj {
  return {
    apiVersion: GIT,
    kind: 'GitRepository',
    metadata: { name, namespace: ns },
    spec: { interval: '1m', url: `https://github.com/acme/${name}`, ref: { branch: 'main' } },
    status: {
      observedGeneration: 1,
      artifact: {
        revision: rev(sha),
        digest: `sha256:${sha.slice(0, 8).repeat(8)}`,
        size: 2048,
        path: `gitrepository/${ns}/${name}/${sha}.tar.gz`,
        url: `http://source-controller/${name}.tar.gz`,
        lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      },
      conditions: [cond],
    },
  };
}

function ksStatus(sha: string, cond = ready(`Applied revision: ${rev(sha)}`)): Record<string, unknown> {
  return {
    observedGeneration: 1,
    lastAppliedRevision: rev(sha),
    lastAttemptedRevision: rev(sha),
    conditions: [cond],
  };
}

function kustomization(ns: string, name: string, sha: string, cond?: Record<string, unknown>): Obj {
  return {
    apiVersion: KS,
    kind: 'Kustomization',
    metadata: { name, namespace: ns },
    spec: {
      interval: '10m',
      path: `./${name}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'repo' },
    },
    status: ksStatus(sha, cond),
  };
}

function helmRelease(ns: string, name: string): Obj {
  return {
    apiVersion: HR,
    kind: 'HelmRelease',
    metadata: { name, namespace: ns },
    spec: { interval: '5m', chartRef: { kind: 'OCIRepository', name } },
    status: {
      observedGeneration: 1,
      conditions: [ready('Helm install succeeded for release podinfo', 'InstallSucceeded')],
    },
  };
}

/** A Git source, two Kustomizations and a HelmRelease, all Ready. */
async function healthyApps(prefix: string): Promise<string> {
  const ns = await namespace(prefix);
  await put(gitRepository(ns, 'repo', SHA_A));
  await put(kustomization(ns, 'infra', SHA_A));
  await put(kustomization(ns, 'apps', SHA_A));
  await put(helmRelease(ns, 'podinfo'));
  return ns;
}

function pullRequestEvent(number: number, opts: { fork?: boolean; headSha?: string } = {}) {
  const repo = { full_name: 'acme/fleet', name: 'fleet', owner: { login: 'acme' } };
  const head = opts.fork ? { full_name: 'mallory/fleet', name: 'fleet', owner: { login: 'mallory' } } : repo;
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number,
      pull_request: {
        number,
        state: 'open',
        head: { sha: opts.headSha ?? SHA_B, ref: 'feature', repo: head },
        base: { sha: SHA_A, ref: 'main', repo },
      },
      repository: repo,
      sender: { login: opts.fork ? 'mallory' : 'octo-dev' },
    },
  };
}

/** Runs the action as the bot with the fakes and the admin kubeconfig; `inputs` override. */
function run(inputs: Record<string, string>, more: Partial<RunActionOptions> = {}): Promise<ActionRun> {
  return runAction(options(inputs, more));
}

function options(inputs: Record<string, string>, more: Partial<RunActionOptions> = {}): RunActionOptions {
  return {
    token: BOT_TOKEN,
    ...more,
    inputs: { kubeconfig, 'artifact-name': '', ...inputs },
    env: { ...gh.env, ...art.env, ...more.env },
    bundle: more.bundle,
  };
}

/** One line for a failure message: the exit code and what the action said. */
function explain(r: ActionRun): string {
  const shown = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  return `exit ${r.code}\n${shown.slice(-4000)}\n${r.stderr.slice(-2000)}`;
}

function outputFile(r: ActionRun, name: string): string {
  return readFileSync(join(r.outputDir, name), 'utf8');
}

/** The bot's comments on a pull request, and everyone else's. */
function comments(number: number) {
  const all = gh.commentsOn('acme', 'fleet', number);
  return { all, bot: all.filter((c) => c.user.login === BOT.login) };
}

beforeAll(async () => {
  cp = await startControlPlane({ log: (m) => console.log(`[action control plane] ${m}`) });
  kube = clientsFor(cp.adminKubeconfigPath);
  kubeconfig = readFileSync(cp.adminKubeconfigPath, 'utf8');
  // The Flux controllers, running: without them the report says Flux is not fully there.
  await kube.core.createNamespace({ body: { metadata: { name: 'flux-system' } } });
  for (const d of controllerDeployments({ now: new Date() })) {
    const { status, ...body } = d;
    // What a client sends on create: the server fills these in.
    const {
      resourceVersion: _rv,
      uid: _uid,
      creationTimestamp: _ct,
      generation: _gen,
      ...metadata
    } = d.metadata;
    body.metadata = metadata as typeof d.metadata;
    const stored = await kube.apps.createNamespacedDeployment({
      namespace: 'flux-system',
      body: body as never,
    });
    await kube.apps.replaceNamespacedDeploymentStatus({
      namespace: 'flux-system',
      name: d.metadata.name,
      // The deployment controller has seen the generation the server assigned.
      body: { ...stored, status: { ...status, observedGeneration: stored.metadata?.generation } as never },
    });
  }
  gh = await startFakeGitHub();
  art = await startFakeArtifactService();
});

afterEach(async () => {
  for (const o of created.reverse()) {
    const { group, version, plural } = api(o.apiVersion, o.kind);
    await kube.custom
      .deleteNamespacedCustomObject({ group, version, plural, namespace: o.namespace, name: o.name })
      .catch(() => undefined);
  }
  created = [];
});

afterAll(async () => {
  await gh?.close();
  await art?.close();
  await cp?.stop();
});

describe('the action on a pull request: summary, sticky comment, outputs, gate', () => {
  it('creates the comment when healthy, updates that same comment when failing, and gates on firing alerts', async () => {
    const ns = await healthyApps('action-cycle');
    const first = await run({}, { event: pullRequestEvent(7) });
    expect(first.code, explain(first)).toBe(0);
    expect(first.outputs).toMatchObject({
      verdict: 'healthy',
      ready: 'true',
      failing: '0',
      suspended: '0',
      'alerts-firing': '0',
      'report-path': join(first.outputDir, 'report.json'),
      'metrics-path': join(first.outputDir, 'metrics.prom'),
      'summary-path': join(first.outputDir, 'summary.md'),
    });
    expect(JSON.parse(first.outputs['alerts'] ?? 'null')).toEqual([]);
    expect(first.summary.split('\n')[0]).toMatch(/healthy/i);
    expect(first.summary).toContain('4 ready');
    expect(outputFile(first, 'summary.md').trimEnd()).toBe(first.summary.trimEnd());
    const report = JSON.parse(outputFile(first, 'report.json')) as { kind?: string };
    expect(report.kind).toBe('FluxReport');

    const created1 = comments(7);
    expect(created1.all).toHaveLength(1);
    expect(created1.bot).toHaveLength(1);
    const comment = created1.bot[0];
    expect(comment?.body.split('\n')[0]).toBe(MARKER);
    expect(comment?.body).toMatch(/healthy/i);
    const firstBody = comment?.body;
    expect(first.stdout).toMatch(/pull request #7: comment created/);

    // One object fails, and has for 15 minutes: both built-in alerts on it are firing.
    await setStatus(
      KS,
      'Kustomization',
      ns,
      'apps',
      ksStatus(SHA_A, failed('kustomize build failed: accumulating resources from ./apps: no such file')),
    );
    const second = await run({}, { event: pullRequestEvent(7) });
    expect(second.code, explain(second)).toBe(1);
    expect(second.commands('error').join('\n')).toMatch(/gate failed/i);
    expect(second.outputs['ready']).toBe('false');
    expect(second.outputs['verdict']).toBe('failing');
    expect(second.outputs['failing']).toBe('1');
    expect(Number(second.outputs['alerts-firing'])).toBeGreaterThanOrEqual(2);
    const alerts = JSON.parse(second.outputs['alerts'] ?? '[]') as {
      name: string;
      state: string;
      labels: Record<string, string>;
    }[];
    const firing = alerts.filter((a) => a.state === 'firing');
    expect(firing.map((a) => a.name).sort()).toEqual(['FluxResourceNotReady', 'ReconciliationFailure']);
    expect(firing.every((a) => a.labels['name'] === 'apps')).toBe(true);
    expect(second.summary.split('\n')[0]).toMatch(/failing/i);
    expect(second.summary).toContain('no such file');
    expect(second.outputs['report-path']).toBe(join(second.outputDir, 'report.json'));

    const updated = comments(7);
    expect(updated.all).toHaveLength(1);
    expect(updated.bot[0]?.id).toBe(comment?.id);
    expect(updated.bot[0]?.body).not.toBe(firstBody);
    expect(updated.bot[0]?.body.split('\n')[0]).toBe(MARKER);
    expect(updated.bot[0]?.body).toContain('no such file');
    expect(second.stdout).toMatch(/pull request #7: comment updated/);
    const patches = gh.state.requests.filter((r) => r.method === 'PATCH');
    expect(patches.at(-1)?.path).toBe(`/repos/acme/fleet/issues/comments/${comment?.id}`);

    // The gate turned off: the verdict still says failing, the job passes.
    const third = await run({ 'fail-on': 'never' }, { event: pullRequestEvent(7) });
    expect(third.code, explain(third)).toBe(0);
    expect(third.outputs['ready']).toBe('false');
    expect(third.outputs['verdict']).toBe('failing');
    expect(third.summary.split('\n')[0]).toMatch(/failing/i);
    expect(comments(7).all).toHaveLength(1);
  });

  it('says what changed since the previous run, across three runs: new, still failing, resolved', async () => {
    const ns = await healthyApps('action-changes');
    const pr = 11;
    const broken = failed('kustomize build failed: no such file');
    await setStatus(KS, 'Kustomization', ns, 'apps', ksStatus(SHA_A, broken));
    const first = await run({ 'fail-on': 'never' }, { event: pullRequestEvent(pr, { headSha: SHA_A }) });
    expect(first.code, explain(first)).toBe(0);
    const url = first.outputs['comment-url'];
    expect(url, explain(first)).toMatch(/^https?:\/\/\S+$/);
    // The first run has nothing to compare with.
    expect(comments(pr).bot[0]?.body).not.toContain('Since the previous run');
    expect(comments(pr).bot[0]?.body).toContain(`**Commit** \`${SHA_A}\``);

    // Second run: `infra` fails too; `apps` still does.
    await setStatus(KS, 'Kustomization', ns, 'infra', ksStatus(SHA_B, broken));
    const second = await run({ 'fail-on': 'never' }, { event: pullRequestEvent(pr, { headSha: SHA_B }) });
    expect(second.outputs['comment-url']).toBe(url);
    const body2 = comments(pr).bot[0]?.body ?? '';
    expect(body2).toContain(`Previous run: commit \`${SHA_A}\``);
    expect(body2).toContain('🆕 1 new failure · ✅ 0 resolved · 1 still failing');
    expect(body2).toContain(`**New:** **Kustomization** \`${ns}/infra\``);

    // Third run: both fixed.
    await setStatus(KS, 'Kustomization', ns, 'apps', ksStatus(SHA_B));
    await setStatus(KS, 'Kustomization', ns, 'infra', ksStatus(SHA_B));
    const third = await run({ 'fail-on': 'never' }, { event: pullRequestEvent(pr, { headSha: SHA_B }) });
    expect(third.outputs['verdict']).toBe('healthy');
    const body3 = comments(pr).bot[0]?.body ?? '';
    expect(body3).toContain('🆕 0 new failures · ✅ 2 resolved · 0 still failing');
    expect(body3).toMatch(new RegExp(`\\*\\*Resolved:\\*\\* .*\`${ns}/apps\``));
    expect(comments(pr).all).toHaveLength(1);
  });

  it('trusts no digest in a comment someone else wrote', async () => {
    await healthyApps('action-forged-digest');
    const pr = 12;
    // A planted comment with our marker and a well-formed digest claiming an object failed before.
    const forged = { v: 1, at: new Date().toISOString(), failing: ['000000000000'] };
    gh.addComment({
      owner: 'acme',
      repo: 'fleet',
      issueNumber: pr,
      user: MALLORY,
      body: `${MARKER}\nforged\n<!-- flux-health:digest ${Buffer.from(JSON.stringify(forged)).toString('base64')} -->`,
    });
    const r = await run({}, { event: pullRequestEvent(pr) });
    expect(r.code, explain(r)).toBe(0);
    const ours = comments(pr).bot[0]?.body ?? '';
    expect(ours).not.toContain('Since the previous run');
  });

  it('leaves a comment with our marker planted by another user alone and writes its own', async () => {
    await healthyApps('action-planted');
    const planted = gh.addComment({
      owner: 'acme',
      repo: 'fleet',
      issueNumber: 8,
      body: `${MARKER}\nFlux is healthy, merge away (planted)`,
      user: MALLORY,
    });
    const before = { body: planted.body, updatedAt: planted.updatedAt };

    const first = await run({}, { event: pullRequestEvent(8) });
    expect(first.code, explain(first)).toBe(0);
    const afterFirst = comments(8);
    expect(afterFirst.all).toHaveLength(2);
    expect(afterFirst.bot).toHaveLength(1);
    expect(afterFirst.bot[0]?.body.split('\n')[0]).toBe(MARKER);

    const second = await run({ 'cluster-name': 'staging' }, { event: pullRequestEvent(8) });
    expect(second.code, explain(second)).toBe(0);
    const afterSecond = comments(8);
    expect(afterSecond.all).toHaveLength(2);
    expect(afterSecond.bot[0]?.id).toBe(afterFirst.bot[0]?.id);
    expect(afterSecond.bot[0]?.body).toContain('staging');
    const mallory = afterSecond.all.find((c) => c.id === planted.id);
    expect(mallory).toMatchObject({ body: before.body, updatedAt: before.updatedAt, user: MALLORY });
    expect(
      gh.state.requests.some((r) => r.method === 'PATCH' && r.path.endsWith(`/comments/${planted.id}`)),
    ).toBe(false);
  });

  it('on a pull request from a fork (403) warns and keeps the exit code', async () => {
    await healthyApps('action-fork');
    const r = await run({}, { event: pullRequestEvent(9, { fork: true }) });
    expect(r.code, explain(r)).toBe(0);
    expect(r.outputs['ready']).toBe('true');
    const warnings = r.commands('warning').join('\n');
    expect(warnings).toMatch(/acme\/fleet#9 \(403/);
    expect(warnings).toMatch(/fork/);
    expect(r.commands('error')).toEqual([]);
    expect(comments(9).all).toEqual([]);
    expect(r.summary.split('\n')[0]).toMatch(/healthy/i);
  });
});

describe('the artifact', () => {
  it('uploads report.yaml, report.json, metrics.prom, alerts.json, summary.md and the snapshot as written to output-dir', async () => {
    const ns = await healthyApps('action-artifact');
    await put(
      kustomization(
        ns,
        'broken',
        SHA_A,
        failed('health check failed after 5m0s: timeout waiting for Deployment/broken'),
      ),
    );
    const r = await run(
      { 'artifact-name': 'flux-health-e2e', 'output-dir': 'out/flux', 'retention-days': '3' },
      { event: { name: 'push', payload: {} } },
    );
    expect(r.code, explain(r)).toBe(1);
    expect(r.outputDir).toBe(join(r.workspace, 'out/flux'));
    const stored = art.state.artifacts.get('flux-health-e2e');
    expect(stored?.finalized).toBe(true);
    expect(stored?.expiresAt).toBeDefined();
    const zip = art.unzip('flux-health-e2e');
    const live = [...FILES, 'snapshot.yaml'];
    expect([...zip.keys()].sort()).toEqual([...live].sort());
    for (const name of live) expect(zip.get(name)?.toString('utf8'), name).toBe(outputFile(r, name));
    // The snapshot of the live cluster reads back, with the broken object and never a Secret.
    const snap = readSnapshotText(zip.get('snapshot.yaml')?.toString('utf8') ?? '', {
      file: 'snapshot.yaml',
    });
    expect(snap.objects.some((o) => o.namespace === ns && o.name === 'broken')).toBe(true);
    expect(zip.get('snapshot.yaml')?.toString('utf8')).not.toMatch(/^kind: Secret$/m);
    expect(zip.get('metrics.prom')?.toString('utf8')).toMatch(
      new RegExp(`gotk_reconcile_condition\\{[^}]*name="broken"[^}]*\\} 1`),
    );
    expect(JSON.parse(zip.get('alerts.json')?.toString('utf8') ?? '')).toBeTruthy();
    expect(parseYaml(zip.get('report.yaml')?.toString('utf8') ?? '')).toMatchObject({ kind: 'FluxReport' });
    expect(r.stdout).toMatch(/uploaded artifact flux-health-e2e/i);
    // No pull request: no comment.
    expect(r.stdout).toMatch(/no pull-request comment/);
  });

  it('credentials planted in Flux objects reach no output: files, artifact, log, summary or comment', async () => {
    const ns = await namespace('action-planted');
    const planted = {
      gitPassword: 'PLANTED-GIT-PASSWORD',
      queryToken: 'PLANTED-QUERY-TOKEN',
      helmValue: 'PLANTED-HELM-VALUE',
      substitute: 'PLANTED-SUBSTITUTE',
      applied: 'PLANTED-LAST-APPLIED',
    };
    const url = `https://bot:${planted.gitPassword}@git.example.com/fleet.git?token=${planted.queryToken}`;
    const git = gitRepository(
      ns,
      'repo',
      SHA_A,
      failed(`failed to checkout '${url}': authentication required`),
    );
    await put({ ...git, spec: { ...git.spec, url } });
    const ks = kustomization(ns, 'apps', SHA_A);
    await put({
      ...ks,
      metadata: {
        ...ks.metadata,
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': `{"password":"${planted.applied}"}`,
        },
      },
      spec: { ...ks.spec, postBuild: { substitute: { DB_PASSWORD: planted.substitute } } },
    });
    const hr = helmRelease(ns, 'db');
    await put({ ...hr, spec: { ...hr.spec, values: { auth: { password: planted.helmValue } } } });
    const r = await run(
      { 'artifact-name': 'flux-health-planted', comment: 'always' },
      { event: pullRequestEvent(77) },
    );
    expect(r.code, explain(r)).toBe(1);
    const zip = art.unzip('flux-health-planted');
    expect([...zip.keys()]).toContain('snapshot.yaml');
    const places: [string, string][] = [
      ['stdout', r.stdout],
      ['stderr', r.stderr],
      ['job summary', r.summary],
      ...comments(77).bot.map((c): [string, string] => ['comment', c.body]),
      ...[...FILES, 'snapshot.yaml'].map((f): [string, string] => [`output-dir/${f}`, outputFile(r, f)]),
      ...[...zip.entries()].map(([f, b]): [string, string] => [`artifact/${f}`, b.toString('utf8')]),
    ];
    expect(places.length).toBeGreaterThan(10);
    for (const [where, text] of places)
      for (const secret of Object.values(planted))
        expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
    // What an audit needs is still there: the object, its failure and its URL without credentials.
    expect(outputFile(r, 'snapshot.yaml')).toContain(
      '"url": "https://git.example.com/fleet.git?token=REDACTED"',
    );
    expect(outputFile(r, 'metrics.prom')).toContain('url="https://git.example.com/fleet.git?token=REDACTED"');
    expect(r.summary).toContain('git.example.com/fleet.git');
  });

  it('a failing artifact service is a warning, not a failure', async () => {
    await healthyApps('action-artifact-down');
    const down = await startFakeArtifactService({
      failCreate: { status: 403, code: 'permission_denied', msg: 'artifact storage quota has been hit' },
    });
    try {
      const r = await run({ 'artifact-name': 'flux-health-e2e-down' }, { env: { ...down.env } });
      expect(r.code, explain(r)).toBe(0);
      expect(r.commands('warning').join('\n')).toMatch(/Artifact flux-health-e2e-down not uploaded/);
      expect(r.commands('error')).toEqual([]);
      expect(r.outputs['ready']).toBe('true');
      for (const name of FILES) expect(outputFile(r, name).length, name).toBeGreaterThan(0);
    } finally {
      await down.close();
    }
  });
});

/**
 * Our own links to the workflow run, built from GITHUB_* (not from the cluster), as plain text:
 * the strict reader accepts no link at all.
 */
function withoutRunLinks(markdown: string): string {
  return markdown.replace(
    /\[([a-z ]+)\]\(https:\/\/github\.com\/acme\/fleet\/actions\/runs\/4242424242\)/g,
    '$1',
  );
}

describe('hostile strings from the cluster', () => {
  const TAG = 'hostile';
  const OUR_MARKER = `<!-- flux-health:comment-tag=${TAG} -->`;
  const HOSTILE = [
    `${OUR_MARKER} **bold** [click](https://evil.example/x)`,
    '@octocat @acme/platform-team fixes #7',
    '</details></summary><details open><img src=x onerror=alert(1)>',
    '```\n| a | b |\n|---|---|\n`tick` ${{ secrets.GITHUB_TOKEN }}',
    '# heading\n- list\n> quote',
  ].join('\n');

  it('wait progress lines carry no escape sequences, bidi overrides or 30 KB lines from a condition message', async () => {
    const ns = await namespace('action-spoof');
    const spoof = `\u001b[2J\u001b]0;pwned\u0007 ::error::forged \u202Egnp.exe ${'x'.repeat(30_000)}`;
    await put(gitRepository(ns, 'repo', SHA_A));
    await put(kustomization(ns, 'apps', SHA_A, failed(spoof)));
    const r = await run({
      wait: 'true',
      'expected-revision': SHA_B,
      'wait-timeout': '3s',
      'wait-namespaces': ns,
      'fail-on': 'never',
    });
    expect(r.code, explain(r)).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.some((l) => l.includes(`Kustomization/${ns}/apps`))).toBe(true);
    // One connection serves the wait and then the collection.
    expect(lines.filter((l) => l.startsWith('connecting to '))).toHaveLength(1);
    for (const line of lines) {
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      expect(line).not.toMatch(/[\u001b\u0007\u202e]/);
      expect(line.startsWith('::error::forged')).toBe(false);
      expect(line.length).toBeLessThan(4_000);
    }
  });

  it('renders them as text in the summary and the comment, and cannot forge the sticky marker', async () => {
    const ns = await healthyApps('action-hostile');
    await put(kustomization(ns, 'evil', SHA_A, failed(HOSTILE, 'HealthCheckFailed')));
    await kube.core.createNamespacedEvent({
      namespace: ns,
      body: {
        metadata: { name: `evil.${Date.now().toString(16)}`, namespace: ns },
        involvedObject: { apiVersion: KS, kind: 'Kustomization', name: 'evil', namespace: ns },
        type: 'Warning',
        reason: OUR_MARKER,
        message: HOSTILE,
        source: { component: 'kustomize-controller' },
        reportingComponent: 'kustomize-controller',
        count: 1,
        firstTimestamp: new Date(),
        lastTimestamp: new Date(),
      },
    });
    const inputs = {
      'cluster-name': `@octocat </details> ${OUR_MARKER}`,
      'fail-on': 'never',
      'comment-tag': TAG,
    };
    const r = await run(inputs, { event: pullRequestEvent(8) });
    expect(r.code, explain(r)).toBe(0);

    // The strings are there, as text: the words survive, the structure does not.
    expect(r.summary).toContain('onerror');
    expect(r.summary).toContain('@\u200Doctocat &lt;/details&gt;');
    expect(r.summary).toContain('\\*\\*bold\\*\\* \\[click\\]');
    assertNoLiveMarkdown(withoutRunLinks(r.summary));
    expect(r.summary).not.toContain('<!--');
    expect(r.summary).not.toMatch(/<\/details><\/summary>|<img|<details open><img/);

    const ours = () => comments(8).all.filter((c) => c.body.includes(`comment-tag=${TAG}`));
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.user).toEqual(BOT);
    const body = ours()[0]?.body ?? '';
    expect(body).toContain('@\u200Doctocat &lt;/details&gt;');
    const [first, ...rest] = body.split('\n');
    expect(first).toBe(OUR_MARKER);
    // Our marker once, on the first line, and our digest for the next run on the last; no other
    // HTML comment, not even as a look-alike.
    const digest = rest.pop() ?? '';
    expect(digest).toMatch(/^<!-- flux-health:digest [A-Za-z0-9+/]+={0,2} -->$/);
    expect(rest.join('\n')).not.toContain('<!--');
    assertNoLiveMarkdown(withoutRunLinks(rest.join('\n')));

    // A second run finds that same comment and edits it: texts quoting the marker neither made
    // another comment "ours" nor hid ours.
    const id = ours()[0]?.id;
    await setStatus(
      KS,
      'Kustomization',
      ns,
      'evil',
      ksStatus(SHA_A, failed(`second run ${HOSTILE}`, 'HealthCheckFailed')),
    );
    const again = await run(inputs, { event: pullRequestEvent(8) });
    expect(again.code, explain(again)).toBe(0);
    expect(again.stdout).toMatch(/pull request #8: comment updated/);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.id).toBe(id);
    expect(ours()[0]?.body).toContain('second run');
  });
});

describe('a huge report', () => {
  it('cuts the summary under 1 MiB and the comment under 65,536 characters, pointing at the artifact', async () => {
    // A snapshot (no cluster writes): 1,500 failing Kustomizations with 10 KB messages full of
    // characters that escaping makes longer.
    const dir = mkdtempSync(join(tmpdir(), 'flux-health-huge-'));
    const now = Date.now();
    const at = new Date(now - 60 * MINUTE).toISOString().replace(/\.\d+Z$/, 'Z');
    const items: unknown[] = [...fluxCrdStubs()];
    for (let i = 0; i < 1500; i++) {
      const ns = `team-${i % 30}`;
      items.push({
        apiVersion: KS,
        kind: 'Kustomization',
        metadata: {
          name: `app-${String(i).padStart(4, '0')}-${'x'.repeat(40)}`,
          namespace: ns,
          uid: `uid-${i}`,
        },
        spec: { interval: '10m', path: './apps', sourceRef: { kind: 'GitRepository', name: 'repo' } },
        status: {
          observedGeneration: 1,
          lastAttemptedRevision: rev(SHA_B),
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'ReconciliationFailed',
              message: `<&>"'`.repeat(2000) + `${i}`,
              lastTransitionTime: at,
            },
          ],
        },
      });
    }
    const snapshot = join(dir, 'snapshot.json');
    writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const r = await run(
      { kubeconfig: '', snapshot, 'artifact-name': 'flux-health-huge', 'comment-tag': 'huge' },
      { event: pullRequestEvent(8) },
    );
    expect(r.code, explain(r)).toBe(1);
    expect(r.outputs['failing']).toBe('1500');

    const bytes = Buffer.byteLength(r.summary, 'utf8');
    expect(bytes).toBeLessThan(1024 * 1024);
    expect(bytes).toBeGreaterThan(512 * 1024);
    expect(r.summary).toMatch(/Failing objects: 1500/);
    expect(r.summary.trimEnd()).toMatch(
      /\n… truncated: \d+ more bytes; full report in the artifact `flux-health-huge`$/,
    );

    const comment = gh
      .commentsOn('acme', 'fleet', 8)
      .find((c) => c.body.startsWith('<!-- flux-health:comment-tag=huge -->'));
    expect(comment).toBeDefined();
    expect(comment?.body.length).toBeLessThanOrEqual(65_536);
    // The comment is the compact view: the top rows, and where the rest is.
    expect(comment?.body).toMatch(/Failing objects: 15 of 1500/);
    expect(comment?.body).toMatch(/full report in the artifact `flux-health-huge`/);
    expect(r.commands('warning').join('\n')).not.toMatch(/comment/i);

    // The full data is in the artifact.
    const zip = art.unzip('flux-health-huge');
    const report = JSON.parse(zip.get('report.json')?.toString('utf8') ?? '{}') as Record<string, unknown>;
    expect(JSON.stringify(report)).toContain('app-1499');
  });
});

describe('the gate', () => {
  it('fail-on severity:critical passes when only warning alerts fire, severity:warning fails', async () => {
    await healthyApps('action-gate');
    // The limited identity cannot list HelmReleases: FluxHealthKindsForbidden (warning) fires at once.
    const limited = readFileSync(cp.limitedKubeconfigPath, 'utf8');
    const critical = await run({ kubeconfig: limited, 'fail-on': 'severity:critical' });
    expect(critical.code, explain(critical)).toBe(0);
    const alerts = JSON.parse(critical.outputs['alerts'] ?? '[]') as {
      name: string;
      state: string;
      labels: Record<string, string>;
    }[];
    expect(alerts.filter((a) => a.state === 'firing').map((a) => [a.name, a.labels['severity']])).toEqual([
      ['FluxHealthKindsForbidden', 'warning'],
    ]);
    expect(critical.outputs['alerts-firing']).toBe('1');
    expect(critical.summary.split('\n')[0]).toMatch(/failing/i);

    const warning = await run({ kubeconfig: limited, 'fail-on': 'severity:warning' });
    expect(warning.code, explain(warning)).toBe(1);
    expect(warning.outputs['alerts-firing']).toBe('1');
  });
});

describe('bad input and an unreachable cluster', () => {
  it('a kubeconfig given as base64, as secrets often hold it: decoded, and masked in both forms', async () => {
    await healthyApps('action-base64');
    const encoded = Buffer.from(kubeconfig).toString('base64');
    const r = await run({ kubeconfig: encoded }, { secrets: [encoded, ...kubeconfigSecrets(kubeconfig)] });
    expect(r.code, explain(r)).toBe(0);
    expect(r.outputs['verdict']).toBe('healthy');
    // The base64 form is announced; the run's leak check (secrets above) proves nothing else got out.
    expect(r.commands('add-mask')).toContain(encoded);
  });

  it('invalid kubeconfig content: exit 2, one line, nothing of the content echoed', async () => {
    const secret = 'sekrit-kubeconfig-9f8e7d6c5b4a';
    const bad = `apiVersion: v1\nkind: Config\nclusters: [[[ ${secret}\nusers:\n- name: x\n  user:\n    token: ${secret}\n`;
    const r = await run({ kubeconfig: bad }, { secrets: [secret] });
    expect(r.code, explain(r)).toBe(2);
    const errors = r.commands('error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toContain('\n');
    expect(errors[0]).toMatch(/kubeconfig/i);
    expect(r.outputs['ready']).toBe('false');
  });

  it('the runner would notice a secret printed outside ::add-mask:: (the check the other runs rely on)', () => {
    const key = kubeconfigSecrets(kubeconfig);
    expect(key.length).toBeGreaterThanOrEqual(3);
    const masked = `::add-mask::${BOT_TOKEN}\n::add-mask::${key[0]}\nconnecting`;
    expect(findLeaks(masked, [BOT_TOKEN, ...key])).toEqual([]);
    expect(findLeaks(`${masked}\nAuthorization: token ${BOT_TOKEN}`, [BOT_TOKEN])).toHaveLength(1);
    // A piece from the middle of a base64 key is enough to count.
    const long = key.find((k) => k.length > 200) as string;
    const piece = long.slice(long.length / 2 - 50, long.length / 2 + 50);
    expect(findLeaks(`${masked}\nkey: ${piece}`, key)).toHaveLength(1);
    // And a line of the decoded PEM.
    const pem = Buffer.from(long, 'base64').toString('utf8').split('\n')[2] as string;
    expect(findLeaks(`${masked}\n${pem}`, key)).toHaveLength(1);
  });

  it('wait with an identity that may not list HelmReleases: exit 2, and every output still written', async () => {
    await healthyApps('action-wait-forbidden');
    const limited = readFileSync(cp.limitedKubeconfigPath, 'utf8');
    const r = await run({
      kubeconfig: limited,
      wait: 'true',
      'expected-revision': SHA_A,
      'wait-timeout': '30s',
    });
    expect(r.code, explain(r)).toBe(2);
    expect(r.commands('error').join('\n')).toMatch(/cannot list helmreleases .*403 Forbidden/);
    expect(r.outputs['wait-outcome']).toBe('failed');
    expect(r.outputs['ready']).toBe('false');
    for (const f of FILES) expect(outputFile(r, f).length, f).toBeGreaterThan(0);
    expect(r.summary).toMatch(/Wait refused: cannot list helmreleases/);
  });

  it('fail-on bogus: exit 2 naming the input, before touching anything', async () => {
    const r = await run({ 'fail-on': 'bogus' });
    expect(r.code, explain(r)).toBe(2);
    const errors = r.commands('error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/fail-on/);
    expect(errors[0]).not.toContain('\n');
    expect(r.outputs).toMatchObject({ verdict: 'error', ready: 'false', failing: '0', 'report-path': '' });
    expect(r.summary).toBe('');
  });

  it('a server that does not answer: exit 3 after retries', async () => {
    // A port that was free a moment ago and has nothing listening on it.
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const addr = s.address();
        s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 1));
      });
    });
    const doc = parseYaml(kubeconfig) as { clusters: { cluster: { server: string } }[] };
    for (const c of doc.clusters) c.cluster.server = `https://127.0.0.1:${port}`;
    const r = await run({ kubeconfig: stringifyYaml(doc) });
    expect(r.code, explain(r)).toBe(3);
    const errors = r.commands('error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}|ECONNREFUSED|reach`, 'i'));
    expect(r.outputs['ready']).toBe('false');
  });
});
