/**
 * `reconcile: true`: ask Flux to reconcile now instead of at its next interval, the way
 * `flux reconcile --with-source` does, by setting `reconcile.fluxcd.io/requestedAt`. Sources go
 * first (a HelmRepository before the HelmChart built from it), then Kustomizations and
 * HelmReleases with dependencies before their dependents, so each controller already finds the
 * new artifact when it gets to the object.
 */
import { ConfigError } from '../errors.js';
import { ApiStatusError, type KubeClient } from '../cluster/kube-client.js';
import type { KubeObject } from '../cluster/kube-object.js';
import { objectPath, waitKind, type WaitKind } from './objects.js';
import type { PlanNode, WaitPlan } from './plan.js';

export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

/** Nodes to annotate, in order: sources, then the rest; suspended and missing objects skipped. */
export function reconcileOrder(plan: WaitPlan): PlanNode[] {
  const live = plan.nodes.filter((n) => n.object !== undefined && !n.object.spec.suspend);
  return [...live.filter((n) => n.role === 'source'), ...live.filter((n) => n.role !== 'source')];
}

export function requestedAtPatch(requestedAt: string): { metadata: { annotations: Record<string, string> } } {
  return { metadata: { annotations: { [REQUESTED_AT]: requestedAt } } };
}

/**
 * Patches every node of `reconcileOrder`, one at a time so the order holds; returns the stored
 * objects (with their new annotation) for the caller's copy. A vanished object is skipped.
 */
export async function requestReconciliation(
  client: KubeClient,
  plan: WaitPlan,
  requestedAt: string,
  kinds: readonly WaitKind[],
): Promise<{ node: PlanNode; stored: KubeObject }[]> {
  const out: { node: PlanNode; stored: KubeObject }[] = [];
  for (const node of reconcileOrder(plan)) {
    const kind = waitKind(node.kind, kinds);
    if (!kind) continue;
    try {
      const stored = await client.patch<KubeObject>(
        objectPath(kind, node.namespace, node.name),
        requestedAtPatch(requestedAt),
      );
      out.push({ node, stored });
    } catch (err) {
      if (err instanceof ApiStatusError && err.status === 404) continue;
      if (err instanceof ApiStatusError && err.status === 403) {
        throw new ConfigError(
          `cannot request reconciliation of ${node.key} (403 Forbidden): grant patch on ${kind.plural}.${kind.group}, or set reconcile: false`,
        );
      }
      throw err;
    }
  }
  return out;
}
