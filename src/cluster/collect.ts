/**
 * Live collection: the only code that reads Kubernetes. It discovers the Flux kinds from labelled
 * CRDs, lists each kind across all namespaces page by page with bounded concurrency, gathers the
 * cluster facts, and hands everything to `assembleInventory`. A 403 on one kind is recorded and
 * the rest is still collected; a cluster without Flux is a valid, empty result. Limited to some
 * namespaces, it lists each kind in each of them, and what it may not read outside them is out of
 * scope, not forbidden (see scope.ts).
 */
import {
  OPERATOR_GROUP,
  OUT_OF_SCOPE_ORDER,
  PART_OF_LABEL,
  PART_OF_VALUE,
  type ClusterFacts,
  type Entitlement,
  type FluxObject,
  type FluxCrd,
  type Inventory,
  type OutOfScope,
} from '../inventory/index.js';
import { ConfigError } from '../errors.js';
import {
  assembleInventory,
  kindsFromCrds,
  compactListed,
  operatorKinds,
  type KindToList,
  type ListedKind,
} from './assemble.js';
import { compactCrd, compactFluxObject } from './compact.js';
import { asObject, asString, metadataOf, type KubeObject } from './kube-object.js';
import { ApiStatusError, type KubeClient } from './kube-client.js';
import { discoverFluxCrds, outsideScope } from './scope.js';
import { mapLimit } from './map-limit.js';

export interface CollectOptions {
  /** The Flux namespace (default `flux-system`). */
  namespace: string;
  /** List Flux objects in these namespaces only (a tenant's); undefined: every namespace. */
  namespaces?: readonly string[];
  /** Objects per page (default 500, kubectl's chunk size). */
  pageSize?: number;
  /** Kinds listed at once (default 4). */
  concurrency?: number;
  /** Keep the whole objects (for `snapshot`); otherwise only the compact records survive. */
  keepRaw?: boolean;
  /** Progress lines for the log. */
  onProgress?: (line: string) => void;
  now?: () => Date;
}

export interface Collected {
  inventory: Inventory;
  /** Whole objects, when `keepRaw` was set: what a snapshot file is written from. */
  raw?: RawCollection;
}

export interface RawCollection {
  crds: KubeObject[];
  objects: KubeObject[];
  deployments: KubeObject[];
  nodes: KubeObject[];
  events: KubeObject[];
  fluxReport?: KubeObject;
  facts: ClusterFacts;
  entitlement?: Entitlement;
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

function resourcePath(group: string, version: string, plural: string, namespace?: string): string {
  const prefix = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  return namespace
    ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${plural}`
    : `${prefix}/${plural}`;
}

function statusLine(err: ApiStatusError): string {
  return `${err.status} ${err.reason}: ${err.message}`.replace(/\s+/g, ' ').slice(0, 300);
}

async function optional<T>(p: Promise<T>): Promise<{ value?: T; error?: ApiStatusError }> {
  try {
    return { value: await p };
  } catch (err) {
    if (err instanceof ApiStatusError) return { error: err };
    throw err;
  }
}

export async function collect(client: KubeClient, opts: CollectOptions): Promise<Collected> {
  const progress = opts.onProgress ?? (() => {});
  const pageSize = opts.pageSize ?? 500;
  const concurrency = opts.concurrency ?? 4;
  const ns = opts.namespace;
  const scope = opts.namespaces;
  const warnings: string[] = [];
  const outOfScope = new Set<OutOfScope>();

  // Cluster facts: the version endpoint is public to authenticated users; nodes may be forbidden.
  const facts: ClusterFacts = {};
  const version = await optional(client.get<{ gitVersion?: string; platform?: string }>('/version'));
  if (version.value) {
    if (version.value.gitVersion) facts.serverVersion = version.value.gitVersion;
    if (version.value.platform) facts.platform = version.value.platform;
  } else if (version.error) {
    warnings.push(`server version unknown: ${statusLine(version.error)}`);
  }

  // CRDs: the labelled ones are the Flux kinds; the operator's are looked up by name.
  const crdList = await optional(
    client.list<KubeObject>(CRD_PATH, { labelSelector: `${PART_OF_LABEL}=${PART_OF_VALUE}` }, pageSize),
  );
  // A tenant may not read CRDs (cluster-scoped): API discovery names the same kinds.
  let discovered: Map<string, KubeObject> | undefined;
  if (outsideScope(crdList.error, scope)) {
    const found = await discoverFluxCrds(client);
    discovered = new Map(found.map((o) => [metadataOf(o).name ?? '', o]));
    crdList.value = found.filter((o) => !(metadataOf(o).name ?? '').endsWith(`.${OPERATOR_GROUP}`));
    outOfScope.add('crds');
    progress('CustomResourceDefinitions are out of scope: Flux kinds found by API discovery');
  } else if (crdList.error) {
    if (crdList.error.status === 403) {
      throw new ConfigError(
        `cannot list CustomResourceDefinitions (403 Forbidden): grant get and list on customresourcedefinitions.apiextensions.k8s.io so the Flux kinds can be discovered (see examples/rbac/), or limit the check to your namespaces with -n`,
      );
    }
    throw crdList.error;
  }
  const getCrd = (name: string): Promise<{ value?: KubeObject; error?: ApiStatusError }> =>
    discovered
      ? Promise.resolve(discovered.has(name) ? { value: discovered.get(name) as KubeObject } : {})
      : optional(client.get<KubeObject>(`${CRD_PATH}/${name}`));
  const crdObjects = crdList.value ?? [];
  const crds = crdObjects.map(compactCrd).filter((c): c is FluxCrd => c !== undefined);
  const operatorCrds = await mapLimit(operatorKinds(), concurrency, async (k) => {
    const r = await getCrd(`${k.plural}.${OPERATOR_GROUP}`);
    return { kind: k, crd: r.value, error: r.error };
  });
  const fluxReportCrd = await getCrd(`fluxreports.${OPERATOR_GROUP}`);
  if (fluxReportCrd.error && fluxReportCrd.error.status !== 404)
    warnings.push(`cannot read CRD fluxreports.${OPERATOR_GROUP}: ${statusLine(fluxReportCrd.error)}`);

  const { kinds: fluxKinds, unusable } = kindsFromCrds(crds);
  for (const crd of unusable)
    warnings.push(`CRD ${crd.name} has no status.storedVersions; its kind cannot be listed`);
  const toList: KindToList[] = [...fluxKinds];
  for (const o of operatorCrds) {
    if (o.crd) toList.push(o.kind);
    else if (o.error && o.error.status !== 404)
      warnings.push(`cannot read CRD ${o.kind.plural}.${OPERATOR_GROUP}: ${statusLine(o.error)}`);
  }
  progress(
    crds.length === 0
      ? 'no CustomResourceDefinition is labelled app.kubernetes.io/part-of=flux: Flux is not installed'
      : `discovered ${toList.length} kinds from ${crds.length} Flux CRDs`,
  );

  // Flux objects, every kind across all namespaces (or in each namespace of the scope).
  let listedObjects = 0;
  const rawObjects: KubeObject[] = [];
  const listed: ListedKind[] = await mapLimit(toList, concurrency, async (k): Promise<ListedKind> => {
    const paths = scope
      ? scope.map((s) => resourcePath(k.group, k.version, k.plural, s))
      : [resourcePath(k.group, k.version, k.plural)];
    try {
      const records: FluxObject[] = [];
      for (const path of paths) {
        if (opts.keepRaw) {
          const items = await client.list<KubeObject>(path, {}, pageSize);
          // Raw API lists omit each item's kind; a snapshot needs it.
          for (const item of items) item.kind ??= k.kind;
          rawObjects.push(...items);
          records.push(...compactListed(k, items));
        } else {
          const apiVersion = `${k.group}/${k.version}`;
          records.push(
            ...(await client.listMapped<KubeObject, FluxObject>(
              path,
              (item) => compactFluxObject(item, apiVersion, k.kind),
              {},
              pageSize,
            )),
          );
        }
      }
      listedObjects += records.length;
      progress(`listed ${records.length} ${k.kind} (${k.group}/${k.version})`);
      return { ...k, state: 'listed', records };
    } catch (err) {
      if (!(err instanceof ApiStatusError)) throw err;
      const state = err.status === 403 ? 'forbidden' : err.status === 404 ? 'missing' : 'error';
      const line = `${k.kind} (${k.group}/${k.version}): ${statusLine(err)}`;
      warnings.push(`${state === 'forbidden' ? 'forbidden' : 'not listed'}: ${line}`);
      progress(`could not list ${line}`);
      return { ...k, state, error: statusLine(err), records: [] };
    }
  });

  // Nodes: a count is all the report needs, so ask for metadata only.
  const nodes = await optional(client.list<KubeObject>('/api/v1/nodes', {}, pageSize, METADATA_ONLY));
  if (nodes.value) facts.nodes = nodes.value.length;
  else if (outsideScope(nodes.error, scope)) outOfScope.add('nodes');
  else if (nodes.error) warnings.push(`node count unknown: ${statusLine(nodes.error)}`);

  const deployments = await optional(
    client.list<KubeObject>(resourcePath('apps', 'v1', 'deployments', ns), {
      labelSelector: `${PART_OF_LABEL}=${PART_OF_VALUE}`,
    }),
  );
  if (outsideScope(deployments.error, scope, ns)) outOfScope.add('controllers');
  else if (deployments.error) warnings.push(`Flux controllers unknown: ${statusLine(deployments.error)}`);
  for (const d of deployments.value ?? []) d.kind ??= 'Deployment';

  // Warning events only where an object is not ready: those are the ones a reader needs explained.
  const notReadyNamespaces = new Set<string>();
  for (const k of listed) {
    for (const r of k.records) {
      const ready = r.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
      if (!ready && r.namespace) notReadyNamespaces.add(r.namespace);
    }
  }
  const events: KubeObject[] = [];
  await mapLimit([...notReadyNamespaces].sort(), concurrency, async (eventNs) => {
    const r = await optional(
      client.list<KubeObject>(
        resourcePath('', 'v1', 'events', eventNs),
        { fieldSelector: 'type=Warning' },
        pageSize,
      ),
    );
    if (r.value) events.push(...r.value);
    else if (r.error && !warnings.some((w) => w.startsWith('events unknown'))) {
      warnings.push(`events unknown in some namespaces: ${statusLine(r.error)}`);
    }
  });

  // The entitlement secret: only whether it carries a token, and its vendor; the data is never kept.
  let entitlement: Entitlement | undefined;
  const secret = await optional(
    client.get<KubeObject>(`${resourcePath('', 'v1', 'secrets', ns)}/flux-operator-entitlement`),
  );
  if (secret.value) {
    const data = asObject(secret.value.data) ?? {};
    entitlement = { issued: 'token' in data };
    const vendor = asString(data.vendor);
    if (vendor !== undefined) entitlement.vendor = Buffer.from(vendor, 'base64').toString('utf8');
  } else if (secret.error?.status === 404) {
    entitlement = { issued: false };
  } else if (outsideScope(secret.error, scope, ns)) {
    outOfScope.add('entitlement');
  }
  secret.value = undefined;

  let fluxReport: KubeObject | undefined;
  if (fluxReportCrd.value) {
    const r = await optional(
      client.get<KubeObject>(`${resourcePath(OPERATOR_GROUP, 'v1', 'fluxreports', ns)}/flux`),
    );
    fluxReport = r.value;
    if (outsideScope(r.error, scope, ns)) outOfScope.add('existing-report');
    else if (r.error && r.error.status !== 404)
      warnings.push(`existing FluxReport unreadable: ${statusLine(r.error)}`);
  }
  // The sync is looked up in the Flux namespace, whose objects were not listed.
  if (scope && !scope.includes(ns)) outOfScope.add('sync');

  progress(`collected ${listedObjects} Flux objects with ${client.requests} API requests`);
  const inventory = assembleInventory({
    source: { type: 'cluster', server: client.server },
    collectedAt: (opts.now?.() ?? new Date()).toISOString(),
    namespace: ns,
    cluster: facts,
    crds,
    listed,
    deployments: deployments.value ?? [],
    events,
    ...(entitlement ? { entitlement } : {}),
    ...(fluxReport ? { existingReport: fluxReport } : {}),
    warnings,
    ...(scope
      ? { scope: { namespaces: [...scope], outOfScope: OUT_OF_SCOPE_ORDER.filter((o) => outOfScope.has(o)) } }
      : {}),
  });
  if (!opts.keepRaw) return { inventory };
  return {
    inventory,
    raw: {
      crds: [
        ...crdObjects,
        ...operatorCrds.flatMap((o) => (o.crd ? [o.crd] : [])),
        ...(fluxReportCrd.value ? [fluxReportCrd.value] : []),
      ],
      objects: rawObjects,
      deployments: deployments.value ?? [],
      nodes: nodes.value ?? [],
      events,
      ...(fluxReport ? { fluxReport } : {}),
      facts,
      ...(entitlement ? { entitlement } : {}),
    },
  };
}
