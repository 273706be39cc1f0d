import type { ClusterFacts } from '../inventory/index.js';
import type { ClusterInfo } from './types.js';

/**
 * The cluster section. The operator always knows the server version; an Inventory may not (a plain
 * snapshot), and then the section is left out rather than invented.
 */
export function clusterInfo(facts: ClusterFacts): ClusterInfo | undefined {
  if (facts.serverVersion === undefined || facts.platform === undefined) return undefined;
  const out: ClusterInfo = { serverVersion: facts.serverVersion, platform: facts.platform };
  // Go's omitempty drops a zero node count.
  if (facts.nodes) out.nodes = facts.nodes;
  return out;
}
