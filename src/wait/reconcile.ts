/**
 * `reconcile: true`: ask Flux to reconcile now instead of at its next interval, the way
 * `flux reconcile --with-source` does, by setting `reconcile.fluxcd.io/requestedAt`. A node is
 * asked only once everything upstream of it (its source, its `dependsOn`, the Kustomization that
 * applied it) has handled the same
 * request (`status.lastHandledReconcileAt`): a GitRepository first, its HelmChart once the
 * GitRepository has the new artifact, the HelmRelease once the chart is rebuilt. Asked in one
 * burst, the HelmChart handles its request against the old Git artifact.
 */
import { ConfigError } from '../errors.js';
import { ApiStatusError, type KubeClient } from '../cluster/kube-client.js';
import type { KubeObject } from '../cluster/kube-object.js';
import { objectPath, waitKind, type WaitKind } from './objects.js';
import type { PlanNode, WaitPlan } from './plan.js';

export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

function requestable(node: PlanNode | undefined): boolean {
  return node?.object !== undefined && !node.object.spec.suspend;
}

/**
 * The nodes to ask now, in plan order: not asked yet, and every requestable node upstream of them
 * has handled `requestedAt`. Suspended and missing objects are never asked and hold nothing up.
 */
export function dueForReconcile(plan: WaitPlan, requestedAt: string, asked: ReadonlySet<string>): PlanNode[] {
  const handled = (key: string): boolean => {
    const up = plan.byKey.get(key);
    return !requestable(up) || up?.object?.status.lastHandledReconcileAt === requestedAt;
  };
  return plan.nodes.filter(
    (n) =>
      requestable(n) &&
      !asked.has(n.key) &&
      (n.source === undefined || handled(n.source)) &&
      (n.parent === undefined || handled(n.parent)) &&
      n.dependsOn.every(handled),
  );
}

export function requestedAtPatch(requestedAt: string): { metadata: { annotations: Record<string, string> } } {
  return { metadata: { annotations: { [REQUESTED_AT]: requestedAt } } };
}

/**
 * Patches each node, one at a time; returns the stored objects (with their new annotation) for
 * the caller's copy. A vanished object is skipped.
 */
export async function requestReconciliation(
  client: KubeClient,
  nodes: readonly PlanNode[],
  requestedAt: string,
  kinds: readonly WaitKind[],
): Promise<{ node: PlanNode; stored: KubeObject }[]> {
  const out: { node: PlanNode; stored: KubeObject }[] = [];
  for (const node of nodes) {
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
