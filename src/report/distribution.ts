import type { Inventory } from '../inventory/index.js';
import type { DistributionStatus } from './types.js';

/** The CRD the operator GETs to decide whether Flux is installed and which version it is. */
export const GITREPOSITORY_CRD = 'gitrepositories.source.toolkit.fluxcd.io';

/**
 * The distribution section. The operator reads only the GitRepository CRD's labels and whether the
 * entitlement Secret has a `token`; an Inventory that could not see the Secret leaves the
 * entitlement `Unknown`, as the operator's own default does.
 */
export function distributionStatus(inv: Inventory): DistributionStatus {
  const out: DistributionStatus = { entitlement: 'Unknown', status: 'Not Installed' };
  if (inv.entitlement?.issued) {
    out.entitlement = inv.entitlement.vendor === undefined ? 'Issued' : `Issued by ${inv.entitlement.vendor}`;
  }
  const crd = inv.crds.find((c) => c.name === GITREPOSITORY_CRD);
  if (!crd) return out;
  out.status = 'Installed';
  const version = crd.labels['app.kubernetes.io/version'];
  if (version) out.version = version;
  const managedBy = crd.labels['app.kubernetes.io/managed-by'];
  if (managedBy !== undefined) {
    if (managedBy) out.managedBy = managedBy;
  } else if (crd.labels['kustomize.toolkit.fluxcd.io/name'] !== undefined) {
    out.managedBy = 'flux bootstrap';
  }
  return out;
}
