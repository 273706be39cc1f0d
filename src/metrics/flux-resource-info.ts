import type { FluxObject } from '../inventory/index.js';
import { readyAndReason } from './common-labels.js';
import type { MetricFamily, Series, Subject } from './types.js';

export const FLUX_RESOURCE_INFO = 'flux_resource_info';

/**
 * The operator's labels for one Flux object, all 12 present. Rules apply in the operator's order,
 * so a later rule overrides an earlier one (e.g. `lastAttemptedRevision` over the artifact
 * revision, GitRepository `ref.name` over `semver` over `tag` over `branch`).
 */
export function fluxResourceLabels(obj: FluxObject): Record<string, string> {
  const common = readyAndReason(obj);
  let ready = common.ready;
  const reason = common.reason;
  const spec = obj.spec;
  let sourceName = spec.sourceRef?.name ?? '';
  let revision = obj.status.artifact?.revision ?? '';
  if (obj.status.lastAttemptedRevision !== undefined) revision = obj.status.lastAttemptedRevision;
  let url = spec.url ?? '';
  let ref = '';
  let path = '';
  switch (obj.kind) {
    case 'Kustomization':
      path = spec.path ?? '';
      break;
    case 'GitRepository':
      // Commit is deliberately not read: a commit-only ref gives ref="".
      ref = spec.ref?.name ?? spec.ref?.semver ?? spec.ref?.tag ?? spec.ref?.branch ?? '';
      break;
    case 'OCIRepository':
      ref = spec.ref?.semver ?? spec.ref?.tag ?? '';
      break;
    case 'Bucket':
      if (spec.endpoint !== undefined) url = spec.endpoint;
      if (spec.bucketName !== undefined) ref = spec.bucketName;
      break;
    case 'HelmRelease':
      if (spec.chartRef?.name !== undefined) sourceName = spec.chartRef.name;
      if (spec.chart?.sourceRef?.name !== undefined) sourceName = spec.chart.sourceRef.name;
      break;
    case 'HelmRepository':
      if (spec.type === 'oci') ready = 'True';
      break;
    case 'Alert':
    case 'Provider':
      // These kinds have no Ready condition in current APIs; the operator calls them ready.
      ready = 'True';
      break;
    case 'Receiver':
      if (obj.status.webhookPath !== undefined) url = obj.status.webhookPath;
      break;
    case 'ImageRepository':
      if (spec.image !== undefined) url = spec.image;
      break;
    case 'ImagePolicy':
      if (spec.imageRepositoryRef?.name !== undefined) sourceName = spec.imageRepositoryRef.name;
      break;
  }
  // Keys in the alphabetical order Go's client writes them.
  return {
    exported_namespace: obj.namespace,
    kind: obj.kind,
    name: obj.name,
    path,
    ready,
    reason,
    ref,
    revision,
    source_name: sourceName,
    suspended: obj.spec.suspend ? 'True' : 'False',
    uid: obj.uid,
    url,
  };
}

export function fluxResourceInfo(subjects: Subject[]): MetricFamily {
  const series: Series[] = subjects.map(({ obj, since }) => ({
    labels: fluxResourceLabels(obj),
    value: 1,
    since,
  }));
  return {
    name: FLUX_RESOURCE_INFO,
    help: 'The current status of a Flux resource reconciliation.',
    type: 'gauge',
    series,
  };
}
