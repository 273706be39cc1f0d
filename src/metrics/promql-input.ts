import type { MetricFamily } from './types.js';

/** The input series shape of the PromQL evaluator (`src/promql/`). */
export interface PromInputSeries {
  /** Includes `__name__`. */
  labels: Record<string, string>;
  samples: { t: number; v: number }[];
  since?: number;
}

/**
 * The families as the evaluator sees them: one sample per series at the evaluation time. Labels with
 * empty values are dropped, because Prometheus stores `ref=""` from a scrape as no `ref` label at
 * all; the rules therefore see exactly what a Prometheus scraping `metrics.prom` would see.
 */
export function familiesToPromSeries(families: MetricFamily[], evalTimeMs: number): PromInputSeries[] {
  const out: PromInputSeries[] = [];
  for (const fam of families) {
    for (const s of fam.series) {
      const labels: Record<string, string> = { __name__: fam.name };
      for (const key in s.labels) {
        const v = s.labels[key];
        if (v) labels[key] = v;
      }
      out.push({ labels, samples: [{ t: evalTimeMs, v: s.value }], since: s.since });
    }
  }
  return out;
}
