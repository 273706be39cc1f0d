import { Gauge, Registry } from 'prom-client';
import type { MetricFamily } from './types.js';

/**
 * The Prometheus text exposition of the families, written by prom-client from a registry of our
 * own (never the global one, which would leak series between checks). Each family becomes one
 * Gauge declared with the union of its label names; a series without some label simply omits it.
 */
export async function renderExposition(families: MetricFamily[]): Promise<string> {
  const registry = new Registry();
  for (const fam of families) {
    const names = new Set<string>();
    for (const s of fam.series) for (const k in s.labels) names.add(k);
    const gauge = new Gauge({
      name: fam.name,
      help: fam.help,
      labelNames: [...names],
      registers: [registry],
    });
    for (const s of fam.series) gauge.set(s.labels, s.value);
  }
  return registry.metrics();
}
