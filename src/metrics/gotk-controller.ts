import { firstReady, parseTime } from '../inventory/index.js';
import type { MetricFamily, Series, Subject } from './types.js';

const STATUSES = ['True', 'False', 'Unknown', 'Deleted'] as const;

/**
 * The controllers' classic `gotk_reconcile_condition` (Flux up to 2.0, including the `Deleted`
 * status): four series per object, 1 on the current Ready status and 0 on the others; an object
 * being deleted has only `Deleted` at 1. A missing Ready condition counts as `Unknown`.
 *
 * Both `namespace` and `exported_namespace` carry the object's namespace, so rules written for
 * either scrape configuration (the seeds have both) group each object by its own namespace.
 */
export function reconcileCondition(subjects: Subject[]): MetricFamily {
  const series: Series[] = [];
  for (const { obj, since: readySince } of subjects) {
    const current = obj.deletionTimestamp ? 'Deleted' : (firstReady(obj)?.status ?? 'Unknown');
    const since = obj.deletionTimestamp ? (parseTime(obj.deletionTimestamp) ?? readySince) : readySince;
    for (const status of STATUSES) {
      series.push({
        labels: {
          exported_namespace: obj.namespace,
          kind: obj.kind,
          name: obj.name,
          namespace: obj.namespace,
          status,
          type: 'Ready',
        },
        value: status === current ? 1 : 0,
        since,
      });
    }
  }
  return {
    name: 'gotk_reconcile_condition',
    help: 'The current condition status of a GitOps Toolkit resource reconciliation.',
    type: 'gauge',
    series,
  };
}

/** `gotk_suspend_status`: 1 when `spec.suspend` is true, else 0. */
export function suspendStatus(subjects: Subject[]): MetricFamily {
  return {
    name: 'gotk_suspend_status',
    help: 'The current suspend status of a GitOps Toolkit resource.',
    type: 'gauge',
    series: subjects.map(({ obj, since }) => ({
      labels: { exported_namespace: obj.namespace, kind: obj.kind, name: obj.name, namespace: obj.namespace },
      value: obj.spec.suspend ? 1 : 0,
      since,
    })),
  };
}
