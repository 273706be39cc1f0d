/**
 * Builds an Inventory from a snapshot file: multi-document YAML or a `List` (JSON or YAML), exactly
 * as `kubectl get … -o yaml` prints objects, in any order, plus the optional ClusterFacts document.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import {
  assembleInventory,
  isFluxCrd,
  compactListed,
  kindsFromCrds,
  operatorKinds,
  type ListedKind,
} from '../cluster/assemble.js';
import { compactCrd } from '../cluster/compact.js';
import {
  asArray,
  asNumber,
  asObject,
  asString,
  metadataOf,
  splitApiVersion,
  type KubeObject,
} from '../cluster/kube-object.js';
import {
  OPERATOR_GROUP,
  OUT_OF_SCOPE_ORDER,
  PART_OF_LABEL,
  PART_OF_VALUE,
  type ClusterFacts,
  type FluxCrd,
  type Inventory,
} from '../inventory/index.js';
import { FACTS_API_VERSION, FACTS_KIND, type SnapshotFacts } from './facts.js';
import { ConfigError } from '../errors.js';
import { fluxNamespace, parseNamespaces } from '../options.js';

/** A snapshot that cannot be read is bad input: exit 2, one line with file:line:column. */
export class SnapshotError extends ConfigError {
  override name = 'SnapshotError';
}

/** Groups whose objects are Flux objects even when the snapshot lacks their CRDs. */
function isFluxGroup(group: string): boolean {
  return (
    group.endsWith('.toolkit.fluxcd.io') ||
    group.endsWith('.extensions.fluxcd.io') ||
    group === OPERATOR_GROUP
  );
}

/**
 * Snapshots written here are JSON documents between `---` lines (JSON is YAML, so kubectl and any
 * YAML tool read them too). JSON.parse reads them about ten times faster than a YAML parser; any
 * other text, or a document that is not plain JSON, takes the YAML path and its error positions.
 */
function jsonDocuments(text: string): unknown[] | undefined {
  const docs: unknown[] = [];
  for (const chunk of text.split(/^---[ \t]*$/m)) {
    const body = chunk.replace(/^(?:[ \t]*(?:#[^\n]*)?\r?\n)*/, '');
    if (body.trim() === '') continue;
    if (body[0] !== '{') return undefined;
    try {
      docs.push(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  return docs;
}

/** Parses the text into plain objects, unwrapping `List` documents. Errors carry file:line:column. */
export function parseSnapshotDocuments(text: string, file: string): KubeObject[] {
  const trimmed = text.trimStart();
  let docs: unknown[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      docs = [JSON.parse(text)];
    } catch (err) {
      throw new SnapshotError(`${file}: invalid JSON: ${(err as Error).message}`);
    }
  } else if ((docs = jsonDocuments(text) ?? []).length === 0) {
    const lines = new LineCounter();
    let parsedDocs: ReturnType<typeof parseAllDocuments>;
    try {
      parsedDocs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, lineCounter: lines });
    } catch (err) {
      // A nesting deep enough to exhaust the parser's stack is not a snapshot either.
      throw new SnapshotError(`${file}: invalid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    for (const doc of Array.isArray(parsedDocs) ? parsedDocs : [parsedDocs]) {
      const err = doc.errors[0];
      if (err) {
        const pos = lines.linePos(err.pos[0]);
        const where = `${file}:${pos.line}:${pos.col}`;
        throw new SnapshotError(`${where}: invalid YAML: ${err.message.split('\n')[0]}`);
      }
      try {
        docs.push(doc.toJS({ maxAliasCount: 100 }));
      } catch (err) {
        throw new SnapshotError(`${file}: invalid YAML: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  }
  const out: KubeObject[] = [];
  const push = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(push);
      return;
    }
    const o = asObject(v);
    if (!o) return;
    const kind = asString(o.kind);
    const items = o.items;
    if (kind !== undefined && kind.endsWith('List') && Array.isArray(items)) {
      // Raw API lists (`KustomizationList`) omit each item's apiVersion and kind; kubectl's `List` keeps them.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      for (const item of items) {
        const io = asObject(item);
        if (!io) continue;
        push({ ...io, apiVersion: io.apiVersion ?? o.apiVersion, kind: io.kind ?? itemKind });
      }
      return;
    }
    out.push(o as KubeObject);
  };
  docs.forEach(push);
  return out;
}

function readFacts(o: KubeObject): SnapshotFacts {
  const facts: SnapshotFacts = { apiVersion: FACTS_API_VERSION, kind: FACTS_KIND };
  const str = (k: string): string | undefined => asString(o[k]);
  facts.collectedAt = str('collectedAt');
  facts.namespace = str('namespace');
  facts.serverVersion = str('serverVersion');
  facts.platform = str('platform');
  facts.nodes = asNumber(o.nodes);
  facts.generator = str('generator');
  const ent = asObject(o.entitlement);
  if (ent)
    facts.entitlement = {
      issued: ent.issued === true,
      ...(asString(ent.vendor) ? { vendor: asString(ent.vendor) } : {}),
    };
  const kinds = asArray(o.kinds)
    .map(asObject)
    .filter((k): k is Record<string, unknown> => k !== undefined)
    .map((k) => ({
      group: asString(k.group) ?? '',
      version: asString(k.version) ?? '',
      kind: asString(k.kind) ?? '',
      state: (asString(k.state) ?? 'error') as NonNullable<SnapshotFacts['kinds']>[number]['state'],
      ...(asString(k.error) ? { error: asString(k.error) } : {}),
    }));
  if (kinds.length > 0) facts.kinds = kinds;
  const scope = asObject(o.scope);
  const namespaces = asArray(scope?.namespaces).filter((n): n is string => typeof n === 'string');
  const scoped = namespaces.length > 0 ? parseNamespaces(namespaces, 'ClusterFacts scope') : undefined;
  if (scoped) {
    const outside = new Set(asArray(scope?.outOfScope));
    facts.scope = { namespaces: scoped, outOfScope: OUT_OF_SCOPE_ORDER.filter((s) => outside.has(s)) };
  }
  return facts;
}

export interface ReadSnapshotOptions {
  /** Shown in messages and recorded as the Inventory's source. */
  file: string;
  /** The Flux namespace; undefined: decided by fluxNamespace (options.ts). */
  namespace?: string;
  /** Used as the collection time when the snapshot does not record one. */
  now?: Date;
}

/** `apiVersion/kind/namespace/name`: two documents with one key are one object written twice. */
function identity(o: KubeObject): string {
  const meta = metadataOf(o);
  return `${asString(o.apiVersion) ?? ''}/${asString(o.kind) ?? ''}/${meta.namespace ?? ''}/${meta.name ?? ''}`;
}

export function readSnapshotText(text: string, opts: ReadSnapshotOptions): Inventory {
  const parsed = parseSnapshotDocuments(text, opts.file);
  if (parsed.length === 0)
    throw new SnapshotError(
      `${opts.file}: no Kubernetes objects in it; write one with 'flux-health snapshot --out FILE' or 'kubectl get … -o yaml'`,
    );
  const warnings: string[] = [];
  // The same object twice would give duplicate series, which Prometheus rejects: the last copy wins.
  const unique = new Map<string, KubeObject>();
  for (const o of parsed) {
    const key = identity(o);
    unique.delete(key);
    unique.set(key, o);
  }
  const objects = [...unique.values()];
  if (objects.length < parsed.length)
    warnings.push(
      `${parsed.length - objects.length} duplicate object(s) in the snapshot: the last copy of each was read`,
    );
  let facts: SnapshotFacts | undefined;
  const crdObjects: KubeObject[] = [];
  const rest: KubeObject[] = [];
  for (const o of objects) {
    if (o.kind === FACTS_KIND && o.apiVersion === FACTS_API_VERSION) facts = readFacts(o);
    else if (o.kind === 'CustomResourceDefinition') crdObjects.push(o);
    else rest.push(o);
  }
  const controllerNamespaces = rest
    .filter((o) => o.kind === 'Deployment' && metadataOf(o).labels?.[PART_OF_LABEL] === PART_OF_VALUE)
    .map((o) => metadataOf(o).namespace ?? '');
  const namespace = fluxNamespace(opts.namespace, facts?.namespace, controllerNamespaces);

  const allCrds = crdObjects.map(compactCrd).filter((c): c is FluxCrd => c !== undefined);
  const fluxCrds = allCrds.filter(isFluxCrd);
  const operatorPlurals = new Set(allCrds.filter((c) => c.group === OPERATOR_GROUP).map((c) => c.plural));

  // Group the remaining objects by API group and kind.
  const byKind = new Map<string, KubeObject[]>();
  const deployments: KubeObject[] = [];
  const events: KubeObject[] = [];
  let nodes = 0;
  let secrets = 0;
  let existingReport: KubeObject | undefined;
  for (const o of rest) {
    const kind = asString(o.kind) ?? '';
    const { group } = splitApiVersion(asString(o.apiVersion) ?? '');
    const meta = metadataOf(o);
    if (group === '' && kind === 'Node') nodes++;
    else if (group === '' && kind === 'Secret') secrets++;
    else if (kind === 'Event' && (group === '' || group === 'events.k8s.io')) events.push(o);
    else if (group === 'apps' && kind === 'Deployment') {
      if (meta.namespace === namespace && meta.labels?.[PART_OF_LABEL] === PART_OF_VALUE) deployments.push(o);
    } else if (group === OPERATOR_GROUP && kind === 'FluxReport') {
      if (meta.namespace === namespace && meta.name === 'flux') existingReport = o;
    } else if (isFluxGroup(group)) {
      const key = `${group}/${kind}`;
      const list = byKind.get(key) ?? [];
      list.push(o);
      byKind.set(key, list);
    }
  }
  if (secrets > 0) warnings.push(`ignored ${secrets} Secret object(s): snapshots never carry secrets`);

  const { kinds: discovered, unusable } = kindsFromCrds(fluxCrds);
  for (const crd of unusable)
    warnings.push(`CRD ${crd.name} has no status.storedVersions; its objects were not read`);
  // A dump without CRDs still names its objects' kinds: infer them, and say so, rather than drop data.
  const crds = [...fluxCrds];
  if (fluxCrds.length === 0 && [...byKind.keys()].some((k) => !k.startsWith(`${OPERATOR_GROUP}/`))) {
    for (const [key, items] of byKind) {
      const [group = '', kind = ''] = key.split('/');
      if (group === OPERATOR_GROUP) continue;
      const version = splitApiVersion(asString(items[0]?.apiVersion) ?? '').version;
      const plural = `${kind.toLowerCase()}s`;
      discovered.push({ group, version, kind, plural, operator: false });
      crds.push({
        name: `${plural}.${group}`,
        group,
        kind,
        plural,
        storedVersions: [version],
        servedVersions: [version],
        labels: {},
      });
    }
    warnings.push(
      'the snapshot has no Flux CRDs; kinds were inferred from the objects and CRD labels are unknown',
    );
  }
  const operator = operatorKinds().filter(
    (k) => operatorPlurals.has(k.plural) || byKind.has(`${k.group}/${k.kind}`),
  );

  const factKinds = new Map((facts?.kinds ?? []).map((k) => [`${k.group}/${k.kind}`, k]));
  const listed: ListedKind[] = [...discovered, ...operator].map((k) => {
    const key = `${k.group}/${k.kind}`;
    const fact = factKinds.get(key);
    const items = byKind.get(key) ?? [];
    byKind.delete(key);
    const records = compactListed(k, items);
    if (fact && fact.state !== 'listed') {
      return { ...k, state: fact.state, ...(fact.error ? { error: fact.error } : {}), records };
    }
    return { ...k, state: 'listed' as const, records };
  });
  for (const [key, items] of byKind) {
    warnings.push(`ignored ${items.length} ${key} object(s): no CRD in the snapshot declares that kind`);
  }

  const cluster: ClusterFacts = {};
  if (facts?.serverVersion) cluster.serverVersion = facts.serverVersion;
  if (facts?.platform) cluster.platform = facts.platform;
  if (facts?.nodes !== undefined) cluster.nodes = facts.nodes;
  else if (nodes > 0) cluster.nodes = nodes;
  if (!facts?.serverVersion)
    warnings.push('server version unknown: the snapshot has no ClusterFacts document');

  if (facts?.collectedAt !== undefined && Number.isNaN(Date.parse(facts.collectedAt)))
    throw new SnapshotError(
      `${opts.file}: ClusterFacts collectedAt "${facts.collectedAt}" is not an RFC 3339 time such as 2026-11-21T12:00:00Z`,
    );
  const collectedAt = facts?.collectedAt ?? (opts.now ?? new Date()).toISOString();
  return assembleInventory({
    source: { type: 'snapshot', file: opts.file },
    collectedAt,
    namespace,
    cluster,
    crds,
    listed,
    deployments,
    events,
    ...(facts?.entitlement ? { entitlement: facts.entitlement } : {}),
    ...(existingReport ? { existingReport } : {}),
    warnings,
    ...(facts?.scope ? { scope: facts.scope } : {}),
  });
}
