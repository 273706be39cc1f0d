// Helpers for the `flux` test project: a cluster where the real Flux controllers write every
// status (test/setup/flux.ts). Tests only create namespaces, Git content and Flux objects, then
// run the built bundle (CLI or action) and look at what it says.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { openRepository, type GitRepo } from '../envtest/git-server.js';
import { kubeRequest } from '../envtest/http.js';
import { runCli, type CliRun } from './cli-runner.js';

let kc: KubeConfig | undefined;
export function fluxAdmin(): KubeConfig {
  if (!kc) {
    kc = new KubeConfig();
    kc.loadFromFile(inject('fluxKubeconfigAdmin'));
  }
  return kc;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
}

const PLURALS: Record<string, string> = {
  GitRepository: 'gitrepositories',
  HelmChart: 'helmcharts',
  Kustomization: 'kustomizations',
  HelmRelease: 'helmreleases',
  Namespace: 'namespaces',
  ConfigMap: 'configmaps',
};

function collectionPath(apiVersion: string, kind: string, namespace?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const plural = PLURALS[kind];
  if (!plural) throw new Error(`no plural known for ${kind}`);
  return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${plural}`;
}

export async function create(m: Manifest): Promise<void> {
  const res = await kubeRequest(fluxAdmin(), collectionPath(m.apiVersion, m.kind, m.metadata.namespace), {
    method: 'POST',
    body: m,
  });
  if (res.status !== 201)
    throw new Error(`create ${m.kind} ${m.metadata.name}: HTTP ${res.status} ${res.body}`);
}

export async function getObject(
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<Record<string, unknown> | undefined> {
  const res = await kubeRequest(fluxAdmin(), `${collectionPath(apiVersion, kind, namespace)}/${name}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`get ${kind} ${namespace}/${name}: HTTP ${res.status}`);
  return JSON.parse(res.body) as Record<string, unknown>;
}

/** A nested field of parsed JSON, or undefined: `at(o, 'status', 'history', 0, 'chartVersion')`. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** A fresh namespace for one test. */
export async function namespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

/** A repository of its own on the loopback Git server. */
export function repository(name: string): Promise<GitRepo> {
  return openRepository(inject('fluxGitRoot'), inject('fluxGitUrl'), name);
}

/**
 * A fresh namespace with a repository of its own holding `files` on main, and a GitRepository
 * `repo` in that namespace following it; returns the first commit.
 */
export async function seededRepository(
  prefix: string,
  files: Record<string, string>,
): Promise<{ ns: string; repo: GitRepo; sha: string }> {
  const ns = await namespace(prefix);
  const repo = await repository(ns);
  const sha = await repo.commit('main', files, 'first');
  await create(gitRepository(ns, 'repo', repo.url));
  return { ns, repo, sha };
}

export function gitRepository(ns: string, name: string, url: string, interval = '10m'): Manifest {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name, namespace: ns },
    spec: { url, interval, ref: { branch: 'main' }, timeout: '20s' },
  };
}

export function kustomization(
  ns: string,
  name: string,
  path: string,
  extra: Record<string, unknown> = {},
): Manifest {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: ns },
    spec: {
      interval: '10m',
      retryInterval: '10m',
      path,
      prune: true,
      targetNamespace: ns,
      timeout: '20s',
      sourceRef: { kind: 'GitRepository', name: 'repo' },
      ...extra,
    },
  };
}

export function helmRelease(
  ns: string,
  name: string,
  extra: Record<string, unknown> = {},
  chart = {},
): Manifest {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace: ns },
    spec: {
      interval: '10m',
      timeout: '30s',
      chart: {
        spec: {
          chart: './charts/demo',
          sourceRef: { kind: 'GitRepository', name: 'repo' },
          interval: '10m',
          ...chart,
        },
      },
      ...extra,
    },
  };
}

/** A ConfigMap manifest in plain YAML, for the repository. */
export function configMapYaml(name: string, data: Record<string, string>): string {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${lines.join('\n')}\n`;
}

/** The files of a tiny Helm chart at charts/demo; `broken` gives it a template error. */
export function chartFiles(
  version: string,
  opts: { broken?: boolean; note?: string } = {},
): Record<string, string> {
  const value = opts.broken ? '{{ .Values.missing.field }}' : '{{ .Values.message | quote }}';
  return {
    'charts/demo/Chart.yaml': `apiVersion: v2\nname: demo\nversion: ${version}\n`,
    'charts/demo/values.yaml': 'message: hello\nreplicas: 1\n',
    'charts/demo/values.schema.json': JSON.stringify({
      $schema: 'https://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { replicas: { type: 'integer' }, message: { type: 'string' } },
    }),
    'charts/demo/templates/configmap.yaml':
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-demo\n` +
      `data:\n  message: ${value}\n  note: ${JSON.stringify(opts.note ?? version)}\n`,
  };
}

export interface WaitJson {
  outcome: 'converged' | 'failed' | 'timeout';
  expected: string;
  elapsedMs: number;
  message: string;
  objects: {
    kind: string;
    namespace: string;
    name: string;
    state: string;
    reason: string;
    revision?: string;
  }[];
}

/** `flux-health wait -o json` against the real-Flux cluster; returns the parsed result too. */
export async function waitCli(revision: string, flags: string[]): Promise<CliRun & { result: WaitJson }> {
  const run = await runCli([
    'wait',
    '--kubeconfig',
    inject('fluxKubeconfigAdmin'),
    '--revision',
    revision,
    '-o',
    'json',
    ...flags,
  ]);
  let result: WaitJson;
  try {
    result = JSON.parse(run.stdout) as WaitJson;
  } catch {
    throw new Error(`wait printed no JSON (exit ${String(run.code)}):\n${run.stdout}\n${run.stderr}`);
  }
  return { ...run, result };
}

/** One recorded state of one object, in the order the watches delivered them. */
export interface RecordedEvent {
  type: string;
  object: Record<string, unknown>;
}

export interface StreamRecording {
  /** What the scenario pushed and what the truth is, for the judge's replay tests. */
  scenario: string;
  expected: string;
  truth: 'converged' | 'failed';
  events: RecordedEvent[];
}

const RECORDED_KINDS = [
  '/apis/source.toolkit.fluxcd.io/v1/namespaces/NS/gitrepositories',
  '/apis/source.toolkit.fluxcd.io/v1/namespaces/NS/helmcharts',
  '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/NS/kustomizations',
  '/apis/helm.toolkit.fluxcd.io/v2/namespaces/NS/helmreleases',
];

function trimmed(obj: Record<string, unknown>): Record<string, unknown> {
  const { managedFields: _m, ...metadata } = (obj['metadata'] ?? {}) as Record<string, unknown>;
  return { ...obj, metadata };
}

/**
 * Watches every Flux object of a namespace and keeps each state the API server sent, to record
 * the real controllers' status writes (conditions first, the rest of status second) as fixtures.
 */
export async function recordStreams(ns: string): Promise<{ stop(): Promise<RecordedEvent[]> }> {
  const events: RecordedEvent[] = [];
  const watch = new Watch(fluxAdmin());
  const controllers = await Promise.all(
    RECORDED_KINDS.map((path) =>
      watch.watch(
        path.replace('NS', ns),
        { allowWatchBookmarks: false },
        (type: string, obj: Record<string, unknown>) => {
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')
            events.push({ type, object: trimmed(obj) });
        },
        () => undefined,
      ),
    ),
  );
  return {
    async stop(): Promise<RecordedEvent[]> {
      await sleep(200);
      for (const c of controllers) c.abort();
      return events;
    },
  };
}

/** With FLUX_HEALTH_RECORD=DIR set, writes a recording there (how test/wait/streams/ was made). */
export async function saveRecording(name: string, recording: StreamRecording): Promise<void> {
  const dir = process.env.FLUX_HEALTH_RECORD;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await writeFile(resolve(dir, `${name}.json`), JSON.stringify(recording, null, 1) + '\n');
}

export interface RecordAs {
  /** File name under FLUX_HEALTH_RECORD, without `.json`. */
  name: string;
  scenario: string;
  truth: StreamRecording['truth'];
}

/**
 * `flux-health wait --reconcile` for a push, limited to one namespace; with FLUX_HEALTH_RECORD
 * set, the namespace's watch streams during the wait are saved as `record.name`.
 */
export async function reconcileAndWait(
  ns: string,
  sha: string,
  record?: RecordAs,
  timeout = '90s',
): Promise<CliRun & { result: WaitJson }> {
  const rec = record && process.env.FLUX_HEALTH_RECORD ? await recordStreams(ns) : undefined;
  const run = await waitCli(sha, ['--reconcile', '--timeout', timeout, '--namespaces', ns]);
  if (rec && record)
    await saveRecording(record.name, {
      scenario: record.scenario,
      expected: sha,
      truth: record.truth,
      events: await rec.stop(),
    });
  return run;
}
