import type { Condition, FluxObject } from '../inventory.js';
import { OPERATOR_GROUP } from '../inventory.js';
import { groupOf } from './crds.js';

/**
 * Per-object facts that several sections agree on. Each helper names the operator rule it follows,
 * because the operator itself is not consistent about which Ready condition wins.
 */

export function isOperatorObject(obj: FluxObject): boolean {
  return groupOf(obj.apiVersion) === OPERATOR_GROUP;
}

/**
 * Suspension as the report counts it: `spec.suspend` for Flux kinds, the
 * `fluxcd.controlplane.io/reconcile: disabled` label or annotation for the operator's kinds.
 */
export function isSuspended(obj: FluxObject): boolean {
  if (isOperatorObject(obj)) return obj.reconcileDisabled.inLabels || obj.reconcileDisabled.inAnnotations;
  return obj.spec.suspend;
}

/**
 * How many times the report counts this object as failing: once per `Ready=False` condition whose
 * reason is not `DependencyNotReady`, and never when suspended (suspension wins since v0.39).
 */
export function failingCount(obj: FluxObject): number {
  if (isSuspended(obj)) return 0;
  let n = 0;
  for (const c of obj.conditions) {
    if (c.type === 'Ready' && c.status === 'False' && c.reason !== 'DependencyNotReady') n++;
  }
  return n;
}

/** The first Ready condition, which is the one the metrics read. */
export function firstReady(obj: FluxObject): Condition | undefined {
  return obj.conditions.find((c) => c.type === 'Ready');
}

/** The time a metric's value began: the Ready transition, else the object's creation, else `fallback`. */
export function sinceOf(obj: FluxObject, fallback: number): number {
  const ready = firstReady(obj);
  const t = parseTime(ready?.lastTransitionTime) ?? parseTime(obj.creationTimestamp);
  return t ?? fallback;
}

export function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** The revision worth showing for an object: what it last tried, else what it holds or applied. */
export function revisionOf(obj: FluxObject): string {
  return (
    obj.status.lastAttemptedRevision ?? obj.status.artifact?.revision ?? obj.status.lastAppliedRevision ?? ''
  );
}
