/**
 * The raw floor for bench/collect.ts: the requests `collect()` makes, in the same order (version,
 * labelled CRD list, operator CRDs, every kind's list page by page, nodes as metadata, Flux
 * controllers, Warning events of namespaces with an object not Ready, entitlement secret,
 * FluxReport), with the same page size, the same number of lists in flight and the same keep-alive
 * agent (8 sockets), through plain `https.request` and `JSON.parse` and nothing else. The parsed
 * items are kept until the end, as any collector that builds its result from whole lists must, so
 * the peak RSS is that design's floor too. See once-common.ts.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { MB, cpuMsSince, onceArgs, peakRssMB, report } from './once-common.js';
import { mapLimit } from '../src/cluster/map-limit.js';

interface KubeconfigDoc {
  'current-context'?: string;
  clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users?: { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
}

type Json = Record<string, unknown>;

report(async () => {
  const { kubeconfigPath, namespace, pageSize, concurrency } = onceArgs();
  const doc = parse(readFileSync(kubeconfigPath, 'utf8')) as KubeconfigDoc;
  const ctx = doc.contexts?.find((c) => c.name === doc['current-context'])?.context;
  const cluster = doc.clusters?.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = doc.users?.find((u) => u.name === ctx?.user)?.user;
  const b64 = (s: string | undefined): Buffer | undefined => (s ? Buffer.from(s, 'base64') : undefined);
  if (!cluster || !user?.['client-certificate-data'])
    throw new Error(`${kubeconfigPath}: the raw mode needs embedded *-data credentials`);
  const base = new URL(cluster.server);
  // The same agent settings as KubeClient: keep-alive, 8 sockets.
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 8,
    ca: b64(cluster['certificate-authority-data']),
    cert: b64(user['client-certificate-data']),
    key: b64(user['client-key-data']),
  });

  let requests = 0;
  let bytes = 0;
  const baseRssMB = process.memoryUsage().rss / MB;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();

  /** GET and JSON.parse; undefined on 404 (optional objects), an error on anything else. */
  const get = (
    path: string,
    query: Record<string, string> = {},
    accept?: string,
  ): Promise<Json | undefined> => {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    requests++;
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          agent,
          method: 'GET',
          headers: { accept: accept ?? 'application/json', 'user-agent': 'flux-health' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            bytes += body.length;
            if (res.statusCode === 404) return resolve(undefined);
            if (res.statusCode !== 200)
              return reject(
                new Error(`GET ${url.pathname}: HTTP ${res.statusCode} ${body.toString().slice(0, 200)}`),
              );
            resolve(JSON.parse(body.toString('utf8')) as Json);
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  };

  const list = async (path: string, query: Record<string, string> = {}, accept?: string): Promise<Json[]> => {
    const items: Json[] = [];
    let cont = '';
    do {
      const q: Record<string, string> = { ...query, limit: String(pageSize) };
      if (cont) q.continue = cont;
      const page = (await get(path, q, accept)) ?? {};
      for (const item of (page.items as Json[] | undefined) ?? []) items.push(item);
      cont = ((page.metadata as Json | undefined)?.continue as string | undefined) ?? '';
    } while (cont);
    return items;
  };

  const pool = <T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> =>
    mapLimit(items, concurrency, fn);

  const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const OP = 'fluxcd.controlplane.io';
  await get('/version');
  const crds = await list(CRDS, { labelSelector: 'app.kubernetes.io/part-of=flux' });
  const opPlurals = ['fluxinstances', 'resourcesets', 'resourcesetinputproviders'];
  const opCrds = await pool(opPlurals, (p) => get(`${CRDS}/${p}.${OP}`));
  const reportCrd = await get(`${CRDS}/fluxreports.${OP}`);
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
  const lists = await pool(paths, (p) => list(p));
  const objects = lists.reduce((n, l) => n + l.length, 0);
  await list(
    '/api/v1/nodes',
    {},
    'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
  );
  await list(`/apis/apps/v1/namespaces/${namespace}/deployments`, {
    labelSelector: 'app.kubernetes.io/part-of=flux',
  });
  // The events endpoints depend on which namespaces hold an object that is not Ready; finding them
  // is part of knowing what to fetch, so the floor does it too.
  const notReady = new Set<string>();
  for (const l of lists)
    for (const item of l) {
      const conditions = ((item.status as Json | undefined)?.conditions as Json[] | undefined) ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True'))
        notReady.add((item.metadata as { namespace: string }).namespace);
    }
  await pool([...notReady].sort(), (ns) =>
    list(`/api/v1/namespaces/${ns}/events`, { fieldSelector: 'type=Warning' }),
  );
  await get(`/api/v1/namespaces/${namespace}/secrets/flux-operator-entitlement`);
  if (reportCrd) await get(`/apis/${OP}/v1/namespaces/${namespace}/fluxreports/flux`);
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMsSince(cpu0);
  agent.destroy();
  return { mode: 'raw', objects, wallMs, cpuMs, requests, bytes, baseRssMB, maxRssMB: peakRssMB() };
});
