import {
  OPERATOR_GROUP,
  discoverKinds,
  groupOf,
  parseTime,
  sinceOf,
  type FluxObject,
  type Inventory,
} from '../inventory/index.js';
import { fluxResourceInfo } from './flux-resource-info.js';
import { reconcileCondition, suspendStatus } from './gotk-controller.js';
import { ksmResourceInfo } from './ksm-resource-info.js';
import { fluxInstanceInfo, resourceSetInfo, resourceSetInputProviderInfo } from './operator-info.js';
import { selfFamilies } from './self.js';
import type { MetricFamily, MetricsOptions, Subject } from './types.js';

/**
 * Every family Flux Health exports, in a fixed order. Flux objects are those of the kinds declared by
 * the labelled CRDs; the operator's own kinds feed only their `flux_*_info` families.
 */
export function buildSeries(inv: Inventory, opts: MetricsOptions): MetricFamily[] {
  const fallback = parseTime(inv.collectedAt) ?? opts.now.getTime();
  const fluxKinds = new Set(
    inv.crds.filter((c) => c.group !== OPERATOR_GROUP).map((c) => `${c.group}/${c.kind}`),
  );
  const flux: Subject[] = [];
  const instances: FluxObject[] = [];
  const sets: FluxObject[] = [];
  const providers: FluxObject[] = [];
  for (const obj of inv.objects) {
    const group = groupOf(obj.apiVersion);
    if (group === OPERATOR_GROUP) {
      if (obj.kind === 'FluxInstance') instances.push(obj);
      else if (obj.kind === 'ResourceSet') sets.push(obj);
      else if (obj.kind === 'ResourceSetInputProvider') providers.push(obj);
    } else if (fluxKinds.has(`${group}/${obj.kind}`)) {
      flux.push({ obj, since: sinceOf(obj, fallback) });
    }
  }
  // The operator refreshes flux_resource_info only once it has discovered the kinds; when it
  // cannot, it writes nothing new, and a fresh check has nothing old to show.
  const discovered = !('error' in discoverKinds(inv.crds));
  return [
    fluxResourceInfo(discovered ? flux : []),
    fluxInstanceInfo(instances, inv.namespace, fallback),
    resourceSetInfo(sets, fallback),
    resourceSetInputProviderInfo(providers, fallback),
    reconcileCondition(flux),
    suspendStatus(flux),
    ksmResourceInfo(flux),
    ...selfFamilies(inv, opts),
  ];
}
