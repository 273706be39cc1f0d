import { compareStrings } from '../go/strings.js';
import { sinceOf, type FluxObject } from '../inventory/index.js';
import { annotationSuspended, readyAndReason } from './common-labels.js';
import type { MetricFamily, Series } from './types.js';

/**
 * The operator's per-kind families for its own objects. Objects being deleted have no series (the
 * operator deletes them in the deleting reconcile).
 */

function family(name: string, help: string): MetricFamily {
  return { name, help, type: 'gauge', series: [] };
}

/**
 * One series of an operator family: the labels all three share (the operator's
 * `commonLabelsToValues` with the annotation-only `suspended`) plus the family's own, in the
 * alphabetical order the exposition prints them.
 */
function operatorSeries(obj: FluxObject, own: Record<string, string>, fallback: number): Series {
  const { ready, reason } = readyAndReason(obj);
  const all: Record<string, string> = {
    exported_namespace: obj.namespace,
    kind: obj.kind,
    name: obj.name,
    ready,
    reason,
    suspended: annotationSuspended(obj),
    uid: obj.uid,
    ...own,
  };
  const labels: Record<string, string> = {};
  for (const k of Object.keys(all).sort()) labels[k] = all[k] as string;
  return { labels, value: 1, since: sinceOf(obj, fallback) };
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
        compareStrings(a.namespace, b.namespace) ||
        compareStrings(a.name, b.name),
    );
  const obj = live[0];
  if (!obj) return fam;
  fam.series.push(
    operatorSeries(
      obj,
      { registry: obj.spec.distribution?.registry ?? '', revision: obj.status.lastAppliedRevision ?? '' },
      fallback,
    ),
  );
  return fam;
}

export function resourceSetInfo(sets: FluxObject[], fallback: number): MetricFamily {
  const fam = family('flux_resourceset_info', 'The current status of a Flux Operator ResourceSet.');
  for (const obj of sets) {
    if (obj.deletionTimestamp) continue;
    fam.series.push(
      operatorSeries(
        obj,
        {
          resources: String(obj.status.inventoryEntries ?? 0),
          revision: obj.status.lastAppliedRevision ?? '',
        },
        fallback,
      ),
    );
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
    fam.series.push(operatorSeries(obj, { url: obj.spec.url ?? '' }, fallback));
  }
  return fam;
}
