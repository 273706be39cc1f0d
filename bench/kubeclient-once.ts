/**
 * One measured run of our HTTP client alone, for bench/collect.ts: exactly the requests
 * bench/raw-once.ts makes, in the same order, with the same page size and lists in flight, through
 * `KubeClient` (`get`, and `list` paginated with `limit` + `continue`, connected as the CLI connects)
 * with nothing of `collect()` on top: no compaction, no inventory. The parsed items are kept until
 * the end, as in the raw floor and client-node-once.ts, so the three differ only in the client.
 * See once-common.ts.
 */
import { connect } from '../src/cluster/connect.js';
import { ApiStatusError, KubeClient } from '../src/cluster/kube-client.js';
import { MB, cpuMsSince, onceArgs, peakRssMB, report } from './once-common.js';
import { mapLimit } from '../src/cluster/map-limit.js';

type Json = Record<string, unknown>;

report(async () => {
  const { kubeconfigPath, namespace, pageSize, concurrency } = onceArgs();
  const conn = connect({ kubeconfigPath });
  const client = new KubeClient(conn.kc, conn.server);
  const baseRssMB = process.memoryUsage().rss / MB;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();

  /** undefined on 404 (optional objects), the error on anything else. */
  const optional = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p;
    } catch (err) {
      if (err instanceof ApiStatusError && err.status === 404) return undefined;
      throw err;
    }
  };

  const pool = <T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> =>
    mapLimit(items, concurrency, fn);

  const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const OP = 'fluxcd.controlplane.io';
  await client.get('/version');
  const crds = await client.list<Json>(CRDS, { labelSelector: 'app.kubernetes.io/part-of=flux' }, pageSize);
  const opPlurals = ['fluxinstances', 'resourcesets', 'resourcesetinputproviders'];
  const opCrds = await pool(opPlurals, (p) => optional(client.get<Json>(`${CRDS}/${p}.${OP}`)));
  const reportCrd = await optional(client.get<Json>(`${CRDS}/fluxreports.${OP}`));
  const paths: string[] = [];
  for (const crd of crds) {
    const spec = crd.spec as { group: string; names: { plural: string } };
    const stored = (crd.status as { storedVersions?: string[] } | undefined)?.storedVersions ?? [];
    const version = stored[stored.length - 1];
    if (version) paths.push(`/apis/${spec.group}/${version}/${spec.names.plural}`);
  }
  opPlurals.forEach((p, i) => {
    if (opCrds[i]) paths.push(`/apis/${OP}/v1/${p}`);
  });
  const lists = await pool(paths, (p) => client.list<Json>(p, {}, pageSize));
  const objects = lists.reduce((n, l) => n + l.length, 0);
  await client.list(
    '/api/v1/nodes',
    {},
    pageSize,
    'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
  );
  await client.list(
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    { labelSelector: 'app.kubernetes.io/part-of=flux' },
    pageSize,
  );
  const notReady = new Set<string>();
  for (const l of lists)
    for (const item of l) {
      const conditions = ((item.status as Json | undefined)?.conditions as Json[] | undefined) ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True'))
        notReady.add((item.metadata as { namespace: string }).namespace);
    }
  await pool([...notReady].sort(), (ns) =>
    client.list(`/api/v1/namespaces/${ns}/events`, { fieldSelector: 'type=Warning' }, pageSize),
  );
  await optional(client.get(`/api/v1/namespaces/${namespace}/secrets/flux-operator-entitlement`));
  if (reportCrd) await optional(client.get(`/apis/${OP}/v1/namespaces/${namespace}/fluxreports/flux`));
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMsSince(cpu0);
  client.close();
  return {
    mode: 'kubeclient',
    objects,
    wallMs,
    cpuMs,
    requests: client.requests,
    baseRssMB,
    maxRssMB: peakRssMB(),
  };
});
