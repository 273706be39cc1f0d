/**
 * One measured run of the same collection work through `@kubernetes/client-node` 1.4.0's own API,
 * for bench/collect.ts: exactly the requests bench/raw-once.ts makes, in the same order, with the
 * same page size and the same number of lists in flight, each through the generated API client
 * that covers it (VersionApi, ApiextensionsV1Api, CustomObjectsApi, CoreV1Api, AppsV1Api).
 * client-node has no list-all-pages helper (its ListWatch/informer lists without `limit`), so each
 * list is paginated by hand with `limit` and `_continue`, the way its documentation shows. Typed
 * answers (CRDs, nodes, deployments, events, the secret) go through its ObjectSerializer; custom
 * objects come back as plain parsed JSON (`any`). The parsed items are kept until the end, as in
 * the raw floor.
 *
 * Two variants (see once-common.ts):
 *   default       the API clients as `KubeConfig.makeApiClient` builds them: client-node creates a
 *                 new https.Agent for every request (KubeConfig.applySecurityAuthentication), so
 *                 every request opens a new TLS connection.
 *   --keep-alive  the same, plus a middleware that hands every request one shared keep-alive
 *                 agent with 8 sockets, as KubeClient and the raw floor have: what tuning
 *                 client-node would give if we switched.
 */
import https from 'node:https';
import {
  ApiException,
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  ServerConfiguration,
  VersionApi,
  createConfiguration,
  type Middleware,
} from '@kubernetes/client-node';
import { MB, cpuMsSince, onceArgs, peakRssMB, report } from './once-common.js';
import { mapLimit } from '../src/cluster/map-limit.js';

type Json = Record<string, unknown>;

/** What every list answer has: items and list metadata (`_continue` when typed, `continue` when not). */
interface AnyList<T> {
  items: T[];
  metadata?: { _continue?: string; continue?: string };
}

report(async () => {
  const { kubeconfigPath, namespace, pageSize, concurrency, keepAlive, identity } = onceArgs();
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`${kubeconfigPath} has no current cluster`);

  let requests = 0;
  let agent: https.Agent | undefined;
  if (keepAlive) {
    const o: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(o);
    agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: o.ca, cert: o.cert, key: o.key });
  }
  const middleware: Middleware = {
    pre: async (ctx) => {
      requests++;
      if (agent) ctx.setAgent(agent);
      if (identity) ctx.setHeaderParam('Accept-Encoding', 'identity');
      return ctx;
    },
    post: async (rsp) => rsp,
  };
  // What kc.makeApiClient(Api) builds, with the middleware added.
  const config = createConfiguration({
    baseServer: new ServerConfiguration<Record<string, string>>(cluster.server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [middleware],
  });
  const version = new VersionApi(config);
  const ext = new ApiextensionsV1Api(config);
  const custom = new CustomObjectsApi(config);
  const core = new CoreV1Api(config);
  const apps = new AppsV1Api(config);

  const baseRssMB = process.memoryUsage().rss / MB;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();

  /** Every page of a list, `limit` objects at a time, through `_continue`. */
  const paginate = async <T>(page: (cont: string | undefined) => Promise<AnyList<T>>): Promise<T[]> => {
    const items: T[] = [];
    let cont: string | undefined;
    do {
      const p = await page(cont);
      for (const item of p.items ?? []) items.push(item);
      cont = p.metadata?._continue || p.metadata?.continue || undefined;
    } while (cont);
    return items;
  };

  /** undefined on 404 (optional objects), the error on anything else. */
  const optional = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p;
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return undefined;
      throw err;
    }
  };

  const pool = <T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> =>
    mapLimit(items, concurrency, fn);

  const OP = 'fluxcd.controlplane.io';
  await version.getCode();
  const crds = await paginate((_continue) =>
    ext.listCustomResourceDefinition({
      labelSelector: 'app.kubernetes.io/part-of=flux',
      limit: pageSize,
      _continue,
    }),
  );
  const opPlurals = ['fluxinstances', 'resourcesets', 'resourcesetinputproviders'];
  const opCrds = await pool(opPlurals, (p) =>
    optional(ext.readCustomResourceDefinition({ name: `${p}.${OP}` })),
  );
  const reportCrd = await optional(ext.readCustomResourceDefinition({ name: `fluxreports.${OP}` }));
  const kinds: { group: string; version: string; plural: string }[] = [];
  for (const crd of crds) {
    const stored = crd.status?.storedVersions ?? [];
    const v = stored[stored.length - 1];
    if (v) kinds.push({ group: crd.spec.group, version: v, plural: crd.spec.names.plural });
  }
  opPlurals.forEach((p, i) => {
    if (opCrds[i]) kinds.push({ group: OP, version: 'v1', plural: p });
  });
  const lists = await pool(kinds, (k) =>
    paginate<Json>(
      (_continue) =>
        custom.listClusterCustomObject({ ...k, limit: pageSize, _continue }) as Promise<AnyList<Json>>,
    ),
  );
  const objects = lists.reduce((n, l) => n + l.length, 0);
  // Full nodes: client-node cannot ask for PartialObjectMetadataList (the envtest has no nodes).
  await paginate((_continue) => core.listNode({ limit: pageSize, _continue }));
  await paginate((_continue) =>
    apps.listNamespacedDeployment({
      namespace,
      labelSelector: 'app.kubernetes.io/part-of=flux',
      limit: pageSize,
      _continue,
    }),
  );
  const notReady = new Set<string>();
  for (const l of lists)
    for (const item of l) {
      const conditions = ((item.status as Json | undefined)?.conditions as Json[] | undefined) ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True'))
        notReady.add((item.metadata as { namespace: string }).namespace);
    }
  await pool([...notReady].sort(), (ns) =>
    paginate((_continue) =>
      core.listNamespacedEvent({ namespace: ns, fieldSelector: 'type=Warning', limit: pageSize, _continue }),
    ),
  );
  await optional(core.readNamespacedSecret({ name: 'flux-operator-entitlement', namespace }));
  if (reportCrd)
    await optional(
      custom.getNamespacedCustomObject({
        group: OP,
        version: 'v1',
        namespace,
        plural: 'fluxreports',
        name: 'flux',
      }),
    );
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMsSince(cpu0);
  agent?.destroy();
  return {
    mode: keepAlive ? 'client-node-ka' : 'client-node',
    objects,
    wallMs,
    cpuMs,
    requests,
    baseRssMB,
    maxRssMB: peakRssMB(),
  };
});
