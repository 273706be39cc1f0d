// The real Flux controllers and the Flux Operator as local processes against a test control
// plane, the way they run in a cluster minus the Pods: each with its own client-certificate
// identity (bound to cluster-admin, as `flux install` binds kustomize- and helm-controller), its
// own loopback ports, readiness through /readyz, and events sent to the real
// notification-controller. scripts/setup/flux.sh builds the binaries; nothing here builds.
import { access, constants, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { cacheDir } from './assets.js';
import { freePorts } from './control-plane.js';
import { kubeRequest } from './http.js';
import { startProcess, type ManagedProcess } from './process.js';

export const FLUX_SETUP_HINT =
  'run `scripts/setup/flux.sh` (builds the Flux controllers and flux-operator into the cache)';
export const FLUX_NAMESPACE = 'flux-system';
export const CONTROLLER_GROUP = 'flux-health:flux-controllers';

export type ComponentName =
  | 'source-controller'
  | 'kustomize-controller'
  | 'helm-controller'
  | 'notification-controller'
  | 'flux-operator';

const STAMP_KEYS: Record<ComponentName, string> = {
  'source-controller': 'sourceController',
  'kustomize-controller': 'kustomizeController',
  'helm-controller': 'helmController',
  'notification-controller': 'notificationController',
  'flux-operator': 'fluxOperator',
};

export interface FluxAssets {
  components: Record<ComponentName, { version: string; bin: string }>;
  git: string;
}

export async function loadFluxAssets(
  cache: string = cacheDir(),
  wanted: readonly ComponentName[] = Object.keys(STAMP_KEYS) as ComponentName[],
): Promise<FluxAssets> {
  const stampPath = join(cache, 'flux.json');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(stampPath, 'utf8')) as Record<string, unknown>;
  } catch {
    throw new Error(`the real Flux controllers are missing (${stampPath} not found): ${FLUX_SETUP_HINT}`);
  }
  const components = {} as FluxAssets['components'];
  for (const [name, key] of Object.entries(STAMP_KEYS) as [ComponentName, string][]) {
    if (!wanted.includes(name)) continue;
    const entry = raw[key] as { version?: unknown; bin?: unknown } | undefined;
    if (typeof entry?.version !== 'string' || typeof entry.bin !== 'string')
      throw new Error(`${stampPath} has no ${key}: ${FLUX_SETUP_HINT}`);
    try {
      await access(entry.bin, constants.X_OK);
    } catch {
      throw new Error(`${entry.bin} is missing or not executable: ${FLUX_SETUP_HINT}`);
    }
    components[name] = { version: entry.version, bin: entry.bin };
  }
  return { components, git: typeof raw.git === 'string' ? raw.git : 'unknown' };
}

/** What the harness needs of a running control plane. */
export interface ControlPlaneAccess {
  adminKubeconfigPath: string;
  dir: string;
  mintKubeconfig(user: string, groups: readonly string[]): Promise<string>;
}

export interface RunningComponent {
  name: ComponentName;
  version: string;
  pid: number;
  logPath: string;
  /** http://127.0.0.1:<port>/metrics */
  metricsUrl: string;
  /** Kubeconfig of the component's own identity. */
  kubeconfigPath: string;
}

export interface RunningFlux {
  components: RunningComponent[];
  /** source-controller's artifact server, http://127.0.0.1:<port> */
  storageUrl: string;
  versions: Record<ComponentName, string>;
  /** Milliseconds until every component answered /readyz. */
  readyMs: number;
  component(name: ComponentName): RunningComponent;
  /** Stops every component (SIGTERM, then SIGKILL). Safe to call twice. */
  stop(): Promise<void>;
}

export const ALL_COMPONENTS: readonly ComponentName[] = [
  'notification-controller',
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'flux-operator',
];

export interface StartFluxOptions {
  /** Which components to start (default all). */
  components?: readonly ComponentName[];
  cache?: string;
  log?: (message: string) => void;
  readyTimeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function ensureObject(
  kc: KubeConfig,
  collection: string,
  body: Record<string, unknown>,
): Promise<void> {
  const res = await kubeRequest(kc, collection, { method: 'POST', body });
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`creating ${collection}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
}

/** flux-system and the binding of the controllers' group to cluster-admin. */
async function installFluxAccess(adminKubeconfigPath: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfigPath);
  await ensureObject(kc, '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: FLUX_NAMESPACE },
  });
  await ensureObject(kc, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'flux-health-flux-controllers' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: CONTROLLER_GROUP }],
  });
}

async function waitReady(proc: ManagedProcess, healthUrl: string, deadline: number): Promise<void> {
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (proc.exited())
      throw new Error(`${proc.name} ${proc.exited() ?? ''} before becoming ready\n${proc.tail()}`);
    try {
      const res = await fetch(`${healthUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(100);
  }
  throw new Error(`${proc.name} not ready (last /readyz: ${last})\n--- ${proc.logPath} ---\n${proc.tail()}`);
}

export async function startFlux(cp: ControlPlaneAccess, opts: StartFluxOptions = {}): Promise<RunningFlux> {
  const log = opts.log ?? ((): void => undefined);
  const names = [...(opts.components ?? ALL_COMPONENTS)];
  const assets = await loadFluxAssets(opts.cache, names);
  const started = Date.now();
  await installFluxAccess(cp.adminKubeconfigPath);
  const dir = join(cp.dir, 'flux');
  await mkdir(join(dir, 'storage'), { recursive: true });
  const ports = await freePorts(names.length * 2 + 3);
  const take = (): number => ports.shift() as number;
  const storagePort = take();
  const eventsPort = take();
  const receiverPort = take();
  const storageUrl = `http://127.0.0.1:${storagePort}`;
  const eventsUrl = `http://127.0.0.1:${eventsPort}/`;

  const procs: { proc: ManagedProcess; component: RunningComponent; healthUrl: string }[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(procs.map((p) => p.proc.stop(15_000)));
  };

  try {
    for (const name of names) {
      const metricsPort = take();
      const healthPort = take();
      const kubeconfigPath = await cp.mintKubeconfig(`flux-${name}`, [CONTROLLER_GROUP]);
      const common = [
        '--enable-leader-election=false',
        `--metrics-addr=127.0.0.1:${metricsPort}`,
        `--health-addr=127.0.0.1:${healthPort}`,
        '--log-encoding=json',
      ];
      let args: string[];
      switch (name) {
        case 'source-controller':
          args = [
            ...common,
            '--watch-all-namespaces=true',
            `--events-addr=${eventsUrl}`,
            `--storage-path=${join(dir, 'storage')}`,
            `--storage-addr=127.0.0.1:${storagePort}`,
            `--storage-adv-addr=127.0.0.1:${storagePort}`,
          ];
          break;
        case 'kustomize-controller':
          args = [
            ...common,
            '--watch-all-namespaces=true',
            `--events-addr=${eventsUrl}`,
            '--requeue-dependency=5s',
          ];
          break;
        case 'helm-controller':
          args = [
            ...common,
            '--watch-all-namespaces=true',
            `--events-addr=${eventsUrl}`,
            '--requeue-dependency=5s',
            '--graceful-shutdown-timeout=5s',
          ];
          break;
        case 'notification-controller':
          args = [
            ...common,
            '--watch-all-namespaces=true',
            `--events-addr=127.0.0.1:${eventsPort}`,
            `--receiverAddr=127.0.0.1:${receiverPort}`,
          ];
          break;
        case 'flux-operator':
          args = [...common, '--web-server-port=0'];
          break;
      }
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: dir,
        TMPDIR: process.env.TMPDIR ?? '/tmp',
        KUBECONFIG: kubeconfigPath,
        RUNTIME_NAMESPACE: FLUX_NAMESPACE,
        ...(name === 'flux-operator' ? { GODEBUG: 'fips140=on', NOTIFICATIONS_DISABLED: '1' } : {}),
      };
      const { bin, version } = assets.components[name];
      const proc = startProcess(name, bin, args, join(dir, `${name}.log`), env);
      procs.push({
        proc,
        healthUrl: `http://127.0.0.1:${healthPort}`,
        component: {
          name,
          version,
          pid: proc.pid,
          logPath: proc.logPath,
          metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
          kubeconfigPath,
        },
      });
    }
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
    await Promise.all(procs.map((p) => waitReady(p.proc, p.healthUrl, deadline)));
    const readyMs = Date.now() - started;
    log(
      `ready after ${readyMs} ms: ${procs.map((p) => `${p.component.name} ${p.component.version}`).join(', ')}`,
    );
    const versions = Object.fromEntries(procs.map((p) => [p.component.name, p.component.version])) as Record<
      ComponentName,
      string
    >;
    return {
      components: procs.map((p) => p.component),
      storageUrl,
      versions,
      readyMs,
      component(n: ComponentName): RunningComponent {
        const c = procs.find((p) => p.component.name === n);
        if (!c) throw new Error(`${n} was not started`);
        return c.component;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
