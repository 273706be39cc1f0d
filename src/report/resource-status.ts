import { firstReady, parseTime, type FluxObject } from '../inventory/index.js';
import { rfc3339 } from './time.js';

export type ObjectState = 'Ready' | 'Failed' | 'Progressing' | 'Suspended' | 'Unknown';

export interface ResourceStatus {
  state: ObjectState;
  message: string;
  /** The Ready transition, else the creation time (RFC 3339); absent when neither is known. */
  lastReconciled?: string;
}

/** Kinds that carry no Ready condition in current APIs and are fine as long as they exist. */
function alwaysValid(obj: FluxObject): boolean {
  return (
    obj.kind === 'Alert' ||
    obj.kind === 'Provider' ||
    (obj.kind === 'HelmRepository' && obj.spec.type === 'oci')
  );
}

/**
 * One word per object, mapped the way the operator's web UI maps it (`resource_status.go`):
 * suspension first, then the Ready condition, with `DependencyNotReady` read as progressing.
 */
export function resourceStatus(obj: FluxObject): ResourceStatus {
  const since = parseTime(firstReady(obj)?.lastTransitionTime) ?? parseTime(obj.creationTimestamp);
  const out = (state: ObjectState, message: string): ResourceStatus =>
    since === undefined ? { state, message } : { state, message, lastReconciled: rfc3339(since) };
  if (obj.spec.suspend || obj.reconcileDisabled.inLabels || obj.reconcileDisabled.inAnnotations) {
    return out('Suspended', 'Reconciliation suspended');
  }
  const ready = firstReady(obj);
  let state: ObjectState = 'Unknown';
  let message = 'No status information available';
  if (ready?.status === 'True') {
    state = 'Ready';
    message = ready.message;
  } else if (ready?.status === 'False') {
    state = ready.reason === 'DependencyNotReady' ? 'Progressing' : 'Failed';
    message = ready.message;
  } else if (ready?.status === 'Unknown') {
    state = ['Progressing', 'Reconciling', ''].includes(ready.reason) ? 'Progressing' : 'Unknown';
    message = ready.message;
  }
  if (state === 'Unknown' && alwaysValid(obj)) return out('Ready', 'Valid configuration');
  return out(state, message);
}
