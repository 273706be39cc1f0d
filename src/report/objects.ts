import { OPERATOR_GROUP, groupOf, type FluxObject } from '../inventory/index.js';

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

/** The revision worth showing for an object: what it last tried, else what it holds or applied. */
export function displayRevisionOf(obj: FluxObject): string {
  return (
    obj.status.lastAttemptedRevision ?? obj.status.artifact?.revision ?? obj.status.lastAppliedRevision ?? ''
  );
}
