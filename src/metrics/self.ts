import { deploymentStatus, type Inventory } from '../inventory/index.js';
import type { MetricFamily, MetricsOptions } from './types.js';

/** Flux Health's gauges about the check itself; their values began at the check. */
export function selfFamilies(inv: Inventory, opts: MetricsOptions): MetricFamily[] {
  const since = opts.now.getTime();
  const gauge = (name: string, help: string, series: MetricFamily['series']): MetricFamily => ({
    name,
    help,
    type: 'gauge',
    series,
  });
  const counts = new Map<string, number>();
  for (const o of inv.objects) {
    const key = `${o.apiVersion}\u0000${o.kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [
    gauge('flux_health_info', 'Flux Health version and platform, always 1.', [
      { labels: { platform: opts.tool.platform, version: opts.tool.version }, value: 1, since },
    ]),
    gauge(
      'flux_health_check_duration_seconds',
      'How long the check took to collect and compute, in seconds.',
      [{ labels: {}, value: (opts.durationMs ?? 0) / 1000, since }],
    ),
    gauge(
      'flux_health_objects',
      'Flux objects seen by the check, per kind.',
      [...counts].map(([key, value]) => {
        const [apiVersion = '', kind = ''] = key.split('\u0000');
        return { labels: { api_version: apiVersion, kind }, value, since };
      }),
    ),
    gauge(
      'flux_health_component_ready',
      'Whether each Flux controller Deployment is ready by kstatus rules (1) or not (0).',
      inv.deployments.map((d) => {
        // The value began when the Deployment's Available condition last changed, if it says.
        const available = d.conditions.find((c) => c.type === 'Available')?.lastTransitionTime;
        const t = available === undefined ? Number.NaN : Date.parse(available);
        return {
          labels: { namespace: d.namespace, name: d.name },
          value: deploymentStatus(d).status === 'Current' ? 1 : 0,
          since: Number.isFinite(t) ? Math.min(t, since) : since,
        };
      }),
    ),
    gauge('flux_health_kinds_forbidden', 'Flux kinds the check was not allowed to list.', [
      { labels: {}, value: inv.kinds.filter((k) => k.state === 'forbidden').length, since },
    ]),
    gauge(
      'flux_health_kind_listed',
      'Whether each Flux kind could be listed (1) or not (0); state says why not.',
      inv.kinds.map((k) => ({
        labels: { api_version: `${k.group}/${k.version}`, kind: k.kind, state: k.state },
        value: k.state === 'listed' ? 1 : 0,
        since,
      })),
    ),
  ];
}
