import { Gauge, Registry, type MetricType } from 'prom-client';
import type { MetricFamily } from './types.js';

/** Shared so prom-client's per-object cache of flattened shared labels hits instead of growing. */
const NO_SHARED_LABELS = {};

/**
 * A prom-client Gauge whose values are the family's precomputed series. `Gauge.set` hashes and
 * validates every label set, which at 50,000 objects (350,000 series) costs seconds; the series
 * are already unique and valid by construction, so the gauge hands them to the registry as they are.
 */
class SeriesGauge extends Gauge<string> {
  constructor(private readonly family: MetricFamily) {
    const names = new Set<string>();
    for (const s of family.series) for (const k in s.labels) names.add(k);
    super({ name: family.name, help: family.help, labelNames: [...names], registers: [] });
  }

  override async get(): ReturnType<Gauge<string>['get']> {
    const values = this.family.series.map((s) => ({
      labels: s.labels,
      value: s.value,
      sharedLabels: NO_SHARED_LABELS,
    }));
    return {
      name: this.family.name,
      help: this.family.help,
      // prom-client's typings declare a numeric enum that its runtime does not export; the registry
      // prints this field verbatim after `# TYPE`, so it must be the string.
      type: 'gauge' as unknown as MetricType,
      aggregator: 'sum',
      collect: () => undefined,
      values,
    };
  }
}

/**
 * The Prometheus text exposition of the families, formatted by prom-client from a registry of our
 * own (never the global one, which would leak series between checks). A series without some of
 * its family's labels simply omits them.
 */
export async function renderExposition(families: MetricFamily[]): Promise<string> {
  const registry = new Registry();
  for (const fam of families) registry.registerMetric(new SeriesGauge(fam));
  return registry.metrics();
}
