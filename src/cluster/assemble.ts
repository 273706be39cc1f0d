/**
 * Builds an Inventory from objects already in hand. The live collector and the snapshot reader
 * both end here, which is what makes `check --snapshot` print the same inventory as a live check.
 */
import { compareStrings } from '../go/strings.js';
import {
  OPERATOR_GROUP,
  OPERATOR_KINDS,
  PART_OF_LABEL,
  PART_OF_VALUE,
  type ClusterFacts,
  type Entitlement,
  type ExistingFluxReport,
  type FluxCrd,
  type FluxObject,
  type Inventory,
  type KindResult,
  type KindState,
  type Scope,
  type WarningEvent,
} from '../inventory/index.js';
import { compactConditions, compactDeployment, compactFluxObject, compactWarningEvent } from './compact.js';
import { asObject, field, metadataOf, type KubeObject } from './kube-object.js';

/** A kind to list: a labelled Flux CRD, or one of the operator's hard-coded kinds. */
export interface KindToList {
  group: string;
  version: string;
  kind: string;
  plural: string;
  operator: boolean;
}

export interface ListedKind extends KindToList {
  state: KindState;
  error?: string;
  /** The kind's objects as compact records (see `compactListed`). */
  records: FluxObject[];
}

/** Compact records of one kind's raw objects, at the kind's listed apiVersion. */
export function compactListed(k: KindToList, items: readonly KubeObject[]): FluxObject[] {
  const apiVersion = `${k.group}/${k.version}`;
  return items.map((item) => compactFluxObject(item, apiVersion, k.kind));
}

/** Events kept per object: enough to explain a failure without flooding a summary. */
export const EVENTS_PER_OBJECT = 5;

export function isFluxCrd(crd: FluxCrd): boolean {
  return crd.labels[PART_OF_LABEL] === PART_OF_VALUE;
}

/**
 * The operator's discovery rule: one kind per labelled CRD, at the **last** entry of
 * `status.storedVersions` (not the storage version in `spec.versions`). CRDs without stored versions
 * cannot be listed; they are returned separately so the caller can say so.
 */
export function kindsFromCrds(crds: FluxCrd[]): { kinds: KindToList[]; unusable: FluxCrd[] } {
  const kinds: KindToList[] = [];
  const unusable: FluxCrd[] = [];
  for (const crd of crds) {
    const version = crd.storedVersions[crd.storedVersions.length - 1];
    if (version === undefined) {
      unusable.push(crd);
      continue;
    }
    kinds.push({ group: crd.group, version, kind: crd.kind, plural: crd.plural, operator: false });
  }
  return { kinds, unusable };
}

export function operatorKinds(): KindToList[] {
  return OPERATOR_KINDS.map((k) => ({
    group: OPERATOR_GROUP,
    version: 'v1',
    kind: k.kind,
    plural: k.plural,
    operator: true,
  }));
}

function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

function isReady(obj: FluxObject): boolean {
  return obj.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Newest Warning events, per object, of the Flux objects that are not Ready=True. */
export function selectWarningEvents(rawEvents: KubeObject[], objects: FluxObject[]): WarningEvent[] {
  const notReady = new Set(
    objects.filter((o) => !isReady(o)).map((o) => objectKey(o.kind, o.namespace, o.name)),
  );
  const byObject = new Map<string, WarningEvent[]>();
  for (const raw of rawEvents) {
    const ev = compactWarningEvent(raw);
    if (!ev) continue;
    const key = objectKey(ev.involvedKind, ev.namespace, ev.name);
    if (!notReady.has(key)) continue;
    const list = byObject.get(key) ?? [];
    list.push(ev);
    byObject.set(key, list);
  }
  const out: WarningEvent[] = [];
  for (const list of byObject.values()) {
    list.sort((a, b) => Date.parse(b.timestamp ?? '') - Date.parse(a.timestamp ?? '') || 0);
    out.push(...list.slice(0, EVENTS_PER_OBJECT));
  }
  return out.sort(
    (a, b) =>
      compareStrings(a.namespace, b.namespace) ||
      compareStrings(a.involvedKind, b.involvedKind) ||
      compareStrings(a.name, b.name) ||
      Date.parse(b.timestamp ?? '') - Date.parse(a.timestamp ?? ''),
  );
}

export function compactExistingReport(raw: KubeObject): ExistingFluxReport {
  const meta = metadataOf(raw);
  return {
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    spec: asObject(raw.spec) ?? {},
    conditions: compactConditions(field(raw.status, 'conditions')),
  };
}

export interface AssembleInput {
  source: Inventory['source'];
  collectedAt: string;
  namespace: string;
  cluster: ClusterFacts;
  crds: FluxCrd[];
  listed: ListedKind[];
  /** Deployments already filtered to the Flux namespace and the part-of label. */
  deployments: KubeObject[];
  events: KubeObject[];
  entitlement?: Entitlement;
  existingReport?: KubeObject;
  warnings: string[];
  /** The namespaces the collection was limited to, and what lay outside them. */
  scope?: Scope;
}

export function assembleInventory(input: AssembleInput): Inventory {
  const kinds: KindResult[] = [];
  const objects: FluxObject[] = [];
  for (const k of input.listed) {
    const result: KindResult = {
      group: k.group,
      version: k.version,
      kind: k.kind,
      plural: k.plural,
      operator: k.operator,
      state: k.state,
      count: k.records.length,
    };
    if (k.error !== undefined) result.error = k.error;
    kinds.push(result);
    for (const r of k.records) objects.push(r);
  }
  objects.sort(
    (a, b) =>
      compareStrings(a.kind, b.kind) ||
      compareStrings(a.namespace, b.namespace) ||
      compareStrings(a.name, b.name),
  );
  const deployments = input.deployments.map(compactDeployment).sort((a, b) => compareStrings(a.name, b.name));
  const inv: Inventory = {
    source: input.source,
    collectedAt: input.collectedAt,
    namespace: input.namespace,
    cluster: input.cluster,
    crds: [...input.crds].sort((a, b) => compareStrings(a.name, b.name)),
    kinds,
    objects,
    deployments,
    events: selectWarningEvents(input.events, objects),
    warnings: input.warnings,
  };
  if (input.entitlement) inv.entitlement = input.entitlement;
  if (input.existingReport) inv.existingReport = compactExistingReport(input.existingReport);
  if (input.scope) inv.scope = input.scope;
  return inv;
}
