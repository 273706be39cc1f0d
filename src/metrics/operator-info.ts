import type { FluxObject } from '../inventory.js';
import { byteCompare } from '../report/crds.js';
import { sinceOf } from '../report/objects.js';
import { annotationSuspended, readyAndReason } from './common-labels.js';
import type { MetricFamily } from './types.js';

/**
 * The operator's per-kind families for its own objects. Objects being deleted have no series (the
 * operator deletes them in the deleting reconcile).
 */

function family(name: string, help: string): MetricFamily {
  return { name, help, type: 'gauge', series: [] };
}

/**
 * `flux_instance_info`: the operator resets the vector before each write, so at most one series
 * exists. The instance in the Flux namespace is the one it reconciles; otherwise the first by name.
 */
export function fluxInstanceInfo(instances: FluxObject[], namespace: string, fallback: number): MetricFamily {
  const fam = family('flux_instance_info', 'The current status of a Flux instance.');
  const live = instances
    .filter((o) => !o.deletionTimestamp)
    .sort(
      (a, b) =>
        Number(b.namespace === namespace) - Number(a.namespace === namespace) ||
        byteCompare(a.namespace, b.namespace) ||
        byteCompare(a.name, b.name),
    );
  const obj = live[0];
  if (!obj) return fam;
  const { ready, reason } = readyAndReason(obj);
  fam.series.push({
    labels: {
      exported_namespace: obj.namespace,
      kind: obj.kind,
      name: obj.name,
      ready,
      reason,
      registry: obj.spec.distribution?.registry ?? '',
      revision: obj.status.lastAppliedRevision ?? '',
      suspended: annotationSuspended(obj),
      uid: obj.uid,
    },
    value: 1,
    since: sinceOf(obj, fallback),
  });
  return fam;
}

export function resourceSetInfo(sets: FluxObject[], fallback: number): MetricFamily {
  const fam = family('flux_resourceset_info', 'The current status of a Flux Operator ResourceSet.');
  for (const obj of sets) {
    if (obj.deletionTimestamp) continue;
    const { ready, reason } = readyAndReason(obj);
    fam.series.push({
      labels: {
        exported_namespace: obj.namespace,
        kind: obj.kind,
        name: obj.name,
        ready,
        reason,
        resources: String(obj.status.inventoryEntries ?? 0),
        revision: obj.status.lastAppliedRevision ?? '',
        suspended: annotationSuspended(obj),
        uid: obj.uid,
      },
      value: 1,
      since: sinceOf(obj, fallback),
    });
  }
  return fam;
}

export function resourceSetInputProviderInfo(providers: FluxObject[], fallback: number): MetricFamily {
  const fam = family(
    'flux_resourcesetinputprovider_info',
    'The current status of a Flux Operator ResourceSetInputProvider.',
  );
  for (const obj of providers) {
    if (obj.deletionTimestamp) continue;
    const { ready, reason } = readyAndReason(obj);
    fam.series.push({
      labels: {
        exported_namespace: obj.namespace,
        kind: obj.kind,
        name: obj.name,
        ready,
        reason,
        suspended: annotationSuspended(obj),
        uid: obj.uid,
        url: obj.spec.url ?? '',
      },
      value: 1,
      since: sinceOf(obj, fallback),
    });
  }
  return fam;
}
