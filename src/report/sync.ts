import { compareStrings } from '../go/strings.js';
import {
  OPERATOR_GROUP,
  groupOf,
  gvkFor,
  type FluxObject,
  type Inventory,
  type ObjectRef,
  type Gvk,
} from '../inventory/index.js';
import type { SyncStatus } from './types.js';

export type SyncResult = { sync?: SyncStatus } | { error: string };

/**
 * The name the operator looks the sync up by: the report namespace, unless the first FluxInstance
 * listed there (by name) sets `spec.sync.name`.
 */
export function syncName(inv: Inventory): string {
  const instances = inv.objects
    .filter((o) => o.kind === 'FluxInstance' && groupOf(o.apiVersion) === OPERATOR_GROUP)
    .filter((o) => o.namespace === inv.namespace)
    .sort((a, b) => compareStrings(a.name, b.name));
  return instances[0]?.spec.sync?.name || inv.namespace;
}

function find(inv: Inventory, gvk: Gvk, namespace: string, name: string): FluxObject | undefined {
  return inv.objects.find(
    (o) =>
      o.kind === gvk.kind &&
      o.namespace === namespace &&
      o.name === name &&
      groupOf(o.apiVersion) === gvk.group,
  );
}

/**
 * The sync section, by the operator's rules: the Kustomization named `syncName` in the report
 * namespace, and a source of the kind it references **also looked up by `syncName`** (the operator
 * ignores `sourceRef.name`; see `betterSync` for the lookup Flux Health trusts).
 */
export function syncStatus(inv: Inventory, gvks: Gvk[]): SyncResult {
  const name = syncName(inv);
  return describeSync(inv, gvks, name, () => ({ namespace: inv.namespace, name }));
}

/**
 * Flux Health's own answer: the same Kustomization, but the source the Kustomization really
 * references (`sourceRef.name`, `sourceRef.namespace`). It differs from the operator's when the
 * source is not named after the Kustomization.
 */
export function betterSync(inv: Inventory, gvks: Gvk[]): SyncResult {
  return describeSync(inv, gvks, syncName(inv), (ks, ref) => ({
    namespace: ref.namespace ?? ks.namespace,
    name: ref.name,
  }));
}

function describeSync(
  inv: Inventory,
  gvks: Gvk[],
  name: string,
  locateSource: (ks: FluxObject, ref: ObjectRef) => { namespace: string; name: string },
): SyncResult {
  const ksGvk = gvkFor('Kustomization', gvks);
  if (!ksGvk) return { error: 'source kind Kustomization not found' };
  const ks = find(inv, ksGvk, inv.namespace, name);
  if (!ks) return {};
  const sync: SyncStatus = { id: `kustomization/${name}`, ready: false, status: 'not initialized' };
  if (ks.spec.path !== undefined) sync.path = ks.spec.path;
  for (const c of ks.conditions) {
    if (c.type !== 'Ready') continue;
    // Only False is not ready: a Kustomization still progressing (Unknown) counts as ready.
    sync.ready = c.status !== 'False';
    sync.status = c.message;
  }
  const ref = ks.spec.sourceRef;
  if (ref?.kind !== undefined) {
    const srcGvk = gvkFor(ref.kind, gvks);
    if (!srcGvk) return { error: `source kind ${ref.kind} not found` };
    const at = locateSource(ks, ref);
    const src = find(inv, srcGvk, at.namespace, at.name);
    if (src) {
      if (ref.kind === 'Bucket') {
        if (src.spec.endpoint !== undefined)
          sync.source = `${src.spec.endpoint}/${src.spec.bucketName ?? ''}`;
      } else if (src.spec.url !== undefined) {
        sync.source = src.spec.url;
      }
      for (const c of src.conditions) {
        if (c.type === 'Ready' && c.status === 'False') {
          sync.ready = false;
          sync.status += '\n' + c.message;
        }
      }
    }
  }
  if (ks.spec.suspend) sync.status = 'Suspended ' + sync.status;
  // Key order of the Go struct: id, path, ready, status, source.
  const { id, path, ready, status, source } = sync;
  return {
    sync: {
      id,
      ...(path !== undefined ? { path } : {}),
      ready,
      status,
      ...(source !== undefined ? { source } : {}),
    },
  };
}
