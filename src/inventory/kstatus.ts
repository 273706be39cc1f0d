import type { Deployment } from './inventory.js';

export type KstatusStatus = 'InProgress' | 'Failed' | 'Current' | 'Terminating';

export interface KstatusResult {
  status: KstatusStatus;
  message: string;
}

/**
 * kstatus (`fluxcd/cli-utils`) for a Deployment: the generic checks (deletion, observed
 * generation, Reconciling/Stalled conditions) and then the Deployment rules, in kstatus's order,
 * with its exact messages.
 */
export function deploymentStatus(d: Deployment): KstatusResult {
  if (d.deletionTimestamp) return { status: 'Terminating', message: 'Resource scheduled for deletion' };
  const og = d.status.observedGeneration;
  if (d.generation !== undefined && og !== undefined && og !== d.generation) {
    return {
      status: 'InProgress',
      message: `Deployment generation is ${d.generation}, but latest observed generation is ${og}`,
    };
  }
  for (const c of d.conditions) {
    if (c.type === 'Reconciling' && c.status === 'True') return { status: 'InProgress', message: c.message };
    if (c.type === 'Stalled' && c.status === 'True') return { status: 'Failed', message: c.message };
  }

  // Without progressDeadlineSeconds the controller never sets Progressing, so kstatus assumes it.
  let progressing = d.progressDeadlineSeconds === undefined || d.progressDeadlineSeconds === 2147483647;
  let available = false;
  for (const c of d.conditions) {
    if (c.type === 'Progressing') {
      if (c.reason === 'ProgressDeadlineExceeded')
        return { status: 'Failed', message: 'Progress deadline exceeded' };
      if (c.status === 'True' && c.reason === 'NewReplicaSetAvailable') progressing = true;
    } else if (c.type === 'Available' && c.status === 'True') {
      available = true;
    }
  }

  const spec = d.replicas ?? 1;
  const replicas = d.status.replicas ?? 0;
  const updated = d.status.updatedReplicas ?? 0;
  const ready = d.status.readyReplicas ?? 0;
  const avail = d.status.availableReplicas ?? 0;
  if (spec > replicas) return inProgress(`Replicas: ${replicas}/${spec}`);
  if (spec > updated) return inProgress(`Updated: ${updated}/${spec}`);
  if (replicas > spec) return inProgress(`Pending termination: ${replicas - spec}`);
  if (updated > avail) return inProgress(`Available: ${avail}/${updated}`);
  if (spec > ready) return inProgress(`Ready: ${ready}/${spec}`);
  if (!progressing) return inProgress('ReplicaSet not Available');
  if (!available) return inProgress('Deployment not Available');
  return { status: 'Current', message: `Deployment is available. Replicas: ${replicas}` };
}

function inProgress(message: string): KstatusResult {
  return { status: 'InProgress', message };
}
