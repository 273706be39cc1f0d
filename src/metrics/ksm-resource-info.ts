import type { FluxObject } from '../inventory.js';
import { groupOf } from '../report/crds.js';
import { firstReady } from '../report/objects.js';
import type { MetricFamily, Series, Subject } from './types.js';

type Extra = (obj: FluxObject) => Record<string, string | undefined>;

const sourceRevision: Extra = (o) => ({ revision: o.status.artifact?.revision });

/**
 * The per-kind labels of Flux's monitoring example (`kube-state-metrics-config.yaml`), keyed by
 * `group/kind`. Kinds absent here are not in that configuration and get no series.
 */
const KINDS: Record<string, Extra> = {
  'kustomize.toolkit.fluxcd.io/Kustomization': (o) => ({
    revision: o.status.lastAppliedRevision,
    source_name: o.spec.sourceRef?.name,
  }),
  'helm.toolkit.fluxcd.io/HelmRelease': (o) => ({
    revision: o.status.latestRelease?.chartVersion,
    chart_name: o.status.latestRelease?.chartName,
    chart_app_version: o.status.latestRelease?.appVersion,
    chart_ref_name: o.spec.chartRef?.name,
    chart_source_name: o.spec.chart?.sourceRef?.name,
  }),
  'source.toolkit.fluxcd.io/GitRepository': (o) => ({ ...sourceRevision(o), url: o.spec.url }),
  'source.toolkit.fluxcd.io/Bucket': (o) => ({
    ...sourceRevision(o),
    endpoint: o.spec.endpoint,
    bucket_name: o.spec.bucketName,
  }),
  'source.toolkit.fluxcd.io/HelmRepository': (o) => ({ ...sourceRevision(o), url: o.spec.url }),
  'source.toolkit.fluxcd.io/HelmChart': (o) => ({
    ...sourceRevision(o),
    chart_name: o.spec.chartName,
    chart_version: o.spec.chartVersion,
  }),
  'source.toolkit.fluxcd.io/OCIRepository': (o) => ({ ...sourceRevision(o), url: o.spec.url }),
  'notification.toolkit.fluxcd.io/Alert': () => ({}),
  'notification.toolkit.fluxcd.io/Provider': () => ({}),
  'notification.toolkit.fluxcd.io/Receiver': (o) => ({ webhook_path: o.status.webhookPath }),
  'image.toolkit.fluxcd.io/ImageRepository': (o) => ({ image: o.spec.image }),
  'image.toolkit.fluxcd.io/ImagePolicy': (o) => ({ source_name: o.spec.imageRepositoryRef?.name }),
  'image.toolkit.fluxcd.io/ImageUpdateAutomation': (o) => ({ source_name: o.spec.sourceRef?.name }),
};

/** The example configures no `ready` label for these two kinds. */
const NO_READY = new Set(['Alert', 'Provider']);

/**
 * kube-state-metrics' `gotk_resource_info`. KSM leaves out a label whose path is missing, and an
 * empty label is the same as a missing one to Prometheus, so empty values are dropped here.
 * `suspended` is KSM's lowercase rendering of `spec.suspend`; the Inventory cannot tell an unset
 * field from `false`, so it is present only when true (what dashboards query).
 */
export function ksmResourceLabels(obj: FluxObject): Record<string, string> | undefined {
  const group = groupOf(obj.apiVersion);
  const extra = KINDS[`${group}/${obj.kind}`];
  if (!extra) return undefined;
  const raw: Record<string, string | undefined> = {
    customresource_group: group,
    customresource_kind: obj.kind,
    customresource_version: obj.apiVersion.slice(group.length + 1),
    exported_namespace: obj.namespace,
    name: obj.name,
    ready: NO_READY.has(obj.kind) ? undefined : firstReady(obj)?.status,
    suspended: obj.spec.suspend ? 'true' : undefined,
    ...extra(obj),
  };
  const labels: Record<string, string> = {};
  for (const key of Object.keys(raw).sort()) {
    const v = raw[key];
    if (v) labels[key] = v;
  }
  return labels;
}

export function ksmResourceInfo(subjects: Subject[]): MetricFamily {
  const series: Series[] = [];
  for (const { obj, since } of subjects) {
    const labels = ksmResourceLabels(obj);
    if (labels) series.push({ labels, value: 1, since });
  }
  return {
    name: 'gotk_resource_info',
    help: 'The current state of a Flux resource.',
    type: 'gauge',
    series,
  };
}
