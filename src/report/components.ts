import { compareStrings } from '../go/strings.js';
import { deploymentStatus, type Inventory } from '../inventory/index.js';
import type { ComponentStatus } from './types.js';

/** One entry per Flux Deployment in the report namespace, sorted by name in byte order. */
export function componentsStatus(inv: Inventory): ComponentStatus[] {
  return inv.deployments
    .filter((d) => d.namespace === inv.namespace)
    .map((d) => {
      const res = deploymentStatus(d);
      return {
        name: d.name,
        ready: res.status === 'Current',
        status: `${res.status} ${res.message}`,
        image: d.image,
      };
    })
    .sort((a, b) => compareStrings(a.name, b.name));
}
