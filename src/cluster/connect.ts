/**
 * Turns the user's connection inputs into a loaded KubeConfig: kubeconfig content (the action's
 * input), a file (`--kubeconfig`, `KUBECONFIG`, the default path), a context name, or the
 * in-cluster service account. Every failure is a one-line ConfigError that names the source but
 * never echoes its content.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ConfigError } from '../errors.js';

export interface ConnectOptions {
  /** Kubeconfig YAML given inline (the action's `kubeconfig` input). */
  kubeconfigContent?: string;
  /**
   * Let `kubeconfigContent` name a credential program (the action's `allow-exec` input). Files
   * run theirs as kubectl does: a step of the same job wrote them.
   */
  allowExec?: boolean;
  /** A kubeconfig file (`--kubeconfig`). */
  kubeconfigPath?: string;
  /** Context to use instead of the kubeconfig's current context. */
  context?: string;
  /** Environment to read `KUBECONFIG` and the in-cluster variables from. */
  env?: NodeJS.ProcessEnv;
  /** Home directory for the default `~/.kube/config`. */
  home?: string;
  /** Root prefix of the pod's service-account directory (tests point it at a temp dir). */
  inClusterRoot?: string;
}

export interface Connection {
  kc: KubeConfig;
  /** The API server URL of the chosen context. */
  server: string;
  context: string;
  /** Where the configuration came from, for logs: never the content itself. */
  origin: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Validates the shape client-node would otherwise reject with a less helpful message. */
function checkShape(text: string, origin: string): void {
  const doc = parseKubeconfig(text, origin);
  if (Object.keys(doc).length === 0) {
    throw new ConfigError(
      `${origin} is not a kubeconfig: expected a YAML mapping with clusters, users and contexts`,
    );
  }
  const o = doc as Record<string, unknown>;
  for (const key of ['clusters', 'contexts'] as const) {
    if (!Array.isArray(o[key]) || (o[key] as unknown[]).length === 0) {
      throw new ConfigError(`${origin} is not a usable kubeconfig: it has no ${key}`);
    }
  }
}

function loadText(kc: KubeConfig, text: string, origin: string): void {
  checkShape(text, origin);
  try {
    kc.loadFromString(text);
  } catch (err) {
    // client-node's messages name fields (e.g. "clusters[0].name is missing"), never values.
    throw new ConfigError(`${origin} is not a usable kubeconfig: ${(err as Error).message}`);
  }
}

function readFile(path: string, origin: string): string {
  if (!existsSync(path)) throw new ConfigError(`${origin} ${path} does not exist`);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `${origin} ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

/**
 * Several files (a KUBECONFIG list) merge as kubectl merges them: for each cluster, user and context
 * name the first file that defines it wins, and so does the first current-context. client-node's
 * own merge refuses a repeated name instead.
 */
function loadFiles(kc: KubeConfig, paths: string[], origin: string): void {
  if (paths.length === 1) {
    const p = paths[0] as string;
    loadText(kc, readFile(p, origin), `${origin} ${p}`);
    return;
  }
  const merged: Record<string, unknown> & { [k in (typeof MERGED_LISTS)[number]]: unknown[] } = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [],
    users: [],
    contexts: [],
  };
  const seen = new Set<string>();
  for (const p of paths) {
    const doc = parseKubeconfig(readFile(p, origin), `${origin} ${p}`);
    if (
      merged['current-context'] === undefined &&
      typeof doc['current-context'] === 'string' &&
      doc['current-context'] !== ''
    )
      merged['current-context'] = doc['current-context'];
    for (const list of MERGED_LISTS) {
      for (const entry of Array.isArray(doc[list]) ? (doc[list] as unknown[]) : []) {
        const name = (entry as { name?: unknown } | null)?.name;
        const key = `${list}\u0000${String(name)}`;
        if (typeof name !== 'string' || seen.has(key)) continue;
        seen.add(key);
        merged[list].push(entry);
      }
    }
  }
  loadText(kc, stringifyYaml(merged), `${origin}s ${paths.join(':')}`);
}

const MERGED_LISTS = ['clusters', 'users', 'contexts'] as const;

function parseKubeconfig(text: string, origin: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    throw new ConfigError(
      `${origin} is not valid YAML${where}; expected a kubeconfig (apiVersion: v1, kind: Config)`,
    );
  }
  // An empty file in the list is allowed, as kubectl allows it.
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError(
      `${origin} is not a kubeconfig: expected a YAML mapping with clusters, users and contexts`,
    );
  return doc as Record<string, unknown>;
}

function loadInCluster(kc: KubeConfig, env: NodeJS.ProcessEnv, root: string): boolean {
  if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) return false;
  if (!existsSync(join(root, SERVICE_ACCOUNT_DIR, 'token'))) return false;
  // client-node reads the host and port from process.env; pass ours through for the call.
  const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  process.env.KUBERNETES_SERVICE_HOST = env.KUBERNETES_SERVICE_HOST;
  process.env.KUBERNETES_SERVICE_PORT = env.KUBERNETES_SERVICE_PORT;
  try {
    kc.loadFromCluster(root === '' ? undefined : root);
  } finally {
    if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
    else process.env.KUBERNETES_SERVICE_HOST = saved.host;
    if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    else process.env.KUBERNETES_SERVICE_PORT = saved.port;
  }
  return true;
}

const INPUT_ORIGIN = 'the kubeconfig input';

/**
 * The program a kubeconfig user runs for its credentials, named without its arguments: an `exec`
 * plugin, an auth-provider's `exec`, or an auth-provider's `cmd-path` (gcp, azure), which
 * client-node runs through a shell. Undefined when the user runs none.
 */
function credentialProgramOf(user: User | null): string | undefined {
  if (!user) return undefined;
  if (user.exec)
    return `exec command ${JSON.stringify(String((user.exec as { command?: unknown }).command ?? '').slice(0, 120))}`;
  const provider = user.authProvider as { name?: string; config?: Record<string, unknown> } | undefined;
  if (provider?.name === 'exec' || provider?.config?.['exec'])
    return `auth-provider "${provider.name ?? ''}" exec`;
  if (provider?.config?.['cmd-path'] !== undefined) return `auth-provider "${provider.name ?? ''}" cmd-path`;
  return undefined;
}

export function connect(opts: ConnectOptions = {}): Connection {
  const env = opts.env ?? process.env;
  const kc = new KubeConfig();
  let origin: string;
  if (opts.kubeconfigContent !== undefined && opts.kubeconfigContent.trim() !== '') {
    origin = INPUT_ORIGIN;
    loadText(kc, opts.kubeconfigContent, origin);
  } else if (opts.kubeconfigPath) {
    origin = `kubeconfig file ${opts.kubeconfigPath}`;
    loadFiles(kc, [opts.kubeconfigPath], 'kubeconfig file');
  } else if (env.KUBECONFIG && env.KUBECONFIG.trim() !== '') {
    const paths = env.KUBECONFIG.split(delimiter).filter((p) => p !== '');
    origin = `KUBECONFIG (${paths.join(delimiter)})`;
    loadFiles(kc, paths, 'KUBECONFIG file');
  } else {
    const defaultPath = join(opts.home ?? homedir(), '.kube', 'config');
    if (existsSync(defaultPath)) {
      origin = `kubeconfig file ${defaultPath}`;
      loadFiles(kc, [defaultPath], 'kubeconfig file');
    } else if (loadInCluster(kc, env, opts.inClusterRoot ?? '')) {
      origin = 'the in-cluster service account';
    } else {
      throw new ConfigError(
        'no kubeconfig found: pass --kubeconfig FILE (action input `kubeconfig`), set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account',
      );
    }
  }

  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new ConfigError(
        `unknown context "${opts.context}" in ${origin}; available: ${known.length > 0 ? known.join(', ') : 'none'}`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  const context = kc.getCurrentContext();
  if (!context || !kc.getContextObject(context)) {
    throw new ConfigError(`${origin} has no current context; pass --context NAME (input \`context\`)`);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new ConfigError(`context "${context}" in ${origin} refers to a cluster that is not defined`);
  }
  if (!cluster.server) throw new ConfigError(`cluster "${cluster.name}" in ${origin} has no server address`);
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    throw new ConfigError(`cluster "${cluster.name}" in ${origin} has an invalid server address`);
  }
  if (server.protocol !== 'https:' && server.protocol !== 'http:') {
    throw new ConfigError(`cluster "${cluster.name}" in ${origin}: server must be an https:// URL`);
  }
  const ctxObj = kc.getContextObject(context);
  if (ctxObj?.user && !kc.getUser(ctxObj.user)) {
    throw new ConfigError(
      `context "${context}" in ${origin} refers to user "${ctxObj.user}", which is not defined`,
    );
  }
  const program = credentialProgramOf(kc.getCurrentUser());
  if (program && origin === INPUT_ORIGIN && opts.allowExec !== true) {
    throw new ConfigError(
      `user "${kc.getCurrentUser()?.name}" in ${origin} runs a program for its credentials (${program}), which this job would run with its own environment and token: set input \`allow-exec: true\` if you trust this kubeconfig as you trust the workflow, or give a token or client certificate instead`,
    );
  }
  return { kc, server: cluster.server.replace(/\/+$/, ''), context, origin };
}

/** Every credential string in the chosen context, so the action can mask them in logs. */
export function credentialsOf(kc: KubeConfig): string[] {
  const user = kc.getCurrentUser();
  const out: string[] = [];
  if (!user) return out;
  for (const v of [user.token, user.password, user.keyData, user.certData]) if (v) out.push(v);
  return out;
}
