import { firstReady, type FluxObject } from '../inventory/index.js';

/**
 * `ready` and `reason` as the operator derives them for every `flux_*_info` family: the first Ready
 * condition, verbatim, else `Unknown` and `""`.
 */
export function readyAndReason(obj: FluxObject): { ready: string; reason: string } {
  const c = firstReady(obj);
  return c ? { ready: c.status, reason: c.reason ?? '' } : { ready: 'Unknown', reason: '' };
}

/** The `flux_instance_info`/`flux_resourceset*_info` suspension: only the annotation counts there. */
export function annotationSuspended(obj: FluxObject): string {
  return obj.reconcileDisabled.inAnnotations ? 'True' : 'False';
}
