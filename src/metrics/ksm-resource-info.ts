import { groupOf, firstReady, type FluxObject } from '../inventory/index.js';
import type { MetricFamily, Series, Subject } from './types.js';

type Getter = (obj: FluxObject) => string | undefined;

const artifactRevision: Getter = (o) => o.status.artifact?.revision;

/**
 * The per-kind labels of Flux's monitoring example (`kube-state-metrics-config.yaml`), keyed by
 * `group/kind`. Kinds absent here are not in that configuration and get no series.
 */
const KINDS: Record<string, Record<string, Getter>> = {
  'kustomize.toolkit.fluxcd.io/Kustomization': {
    revision: (o) => o.status.lastAppliedRevision,
    source_name: (o) => o.spec.sourceRef?.name,
  },
  'helm.toolkit.fluxcd.io/HelmRelease': {
    revision: (o) => o.status.latestRelease?.chartVersion,
    chart_name: (o) => o.status.latestRelease?.chartName,
    chart_app_version: (o) => o.status.latestRelease?.appVersion,
    chart_ref_name: (o) => o.spec.chartRef?.name,
    chart_source_name: (o) => o.spec.chart?.sourceRef?.name,
  },
  'source.toolkit.fluxcd.io/GitRepository': { revision: artifactRevision, url: (o) => o.spec.url },
  'source.toolkit.fluxcd.io/Bucket': {
    revision: artifactRevision,
    endpoint: (o) => o.spec.endpoint,
    bucket_name: (o) => o.spec.bucketName,
  },
  'source.toolkit.fluxcd.io/HelmRepository': { revision: artifactRevision, url: (o) => o.spec.url },
  'source.toolkit.fluxcd.io/HelmChart': {
    revision: artifactRevision,
    chart_name: (o) => o.spec.chartName,
    chart_version: (o) => o.spec.chartVersion,
  },
  'source.toolkit.fluxcd.io/OCIRepository': { revision: artifactRevision, url: (o) => o.spec.url },
  'notification.toolkit.fluxcd.io/Alert': {},
  'notification.toolkit.fluxcd.io/Provider': {},
  'notification.toolkit.fluxcd.io/Receiver': { webhook_path: (o) => o.status.webhookPath },
  'image.toolkit.fluxcd.io/ImageRepository': { image: (o) => o.spec.image },
  'image.toolkit.fluxcd.io/ImagePolicy': { source_name: (o) => o.spec.imageRepositoryRef?.name },
  'image.toolkit.fluxcd.io/ImageUpdateAutomation': { source_name: (o) => o.spec.sourceRef?.name },
};

/** The example configures no `ready` label for these two kinds. */
const NO_READY = new Set(['Alert', 'Provider']);

/** Per kind, every label with its getter, already in the alphabetical order of the output. */
const PLANS = new Map<string, [string, Getter][]>(
  Object.entries(KINDS).map(([key, extra]) => {
    const kind = key.slice(key.indexOf('/') + 1);
    const getters: Record<string, Getter> = {
      customresource_group: (o) => o.apiVersion.slice(0, o.apiVersion.indexOf('/')),
      customresource_kind: (o) => o.kind,
      customresource_version: (o) => o.apiVersion.slice(o.apiVersion.indexOf('/') + 1),
      exported_namespace: (o) => o.namespace,
      name: (o) => o.name,
      suspended: (o) => (o.spec.suspend ? 'true' : undefined),
      ...(NO_READY.has(kind) ? {} : { ready: (o: FluxObject) => firstReady(o)?.status }),
      ...extra,
    };
    const plan = Object.keys(getters)
      .sort()
      .map((name): [string, Getter] => [name, getters[name]!]);
    return [key, plan];
  }),
);

/**
 * kube-state-metrics' `gotk_resource_info`. KSM leaves out a label whose path is missing, and an
 * empty label is the same as a missing one to Prometheus, so empty values are dropped here.
 * `suspended` is KSM's lowercase rendering of `spec.suspend`; the Inventory cannot tell an unset
 * field from `false`, so it is present only when true (what dashboards query).
 */
export function ksmResourceLabels(obj: FluxObject): Record<string, string> | undefined {
  const plan = PLANS.get(`${groupOf(obj.apiVersion)}/${obj.kind}`);
  if (!plan) return undefined;
  const labels: Record<string, string> = {};
  for (const [name, get] of plan) {
    const v = get(obj);
    if (v) labels[name] = v;
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
