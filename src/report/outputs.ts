import type { Inventory } from '../inventory/index.js';
import { buildSeries } from '../metrics/series.js';
import { renderExposition } from '../metrics/exposition.js';
import type { MetricFamily } from '../metrics/types.js';
import { buildHealthSection, type HealthSection } from './health.js';
import { computeSpec, reportFrom } from './report.js';
import { renderReportJson, renderReportYaml } from './render.js';
import type { FluxReport, ToolInfo } from './types.js';

/** Everything `check --out DIR` writes, as values and as the texts of its three files. */
export interface CheckOutputs {
  report: FluxReport;
  health: HealthSection;
  families: MetricFamily[];
  /** `report.yaml` */
  reportYaml: string;
  /** `report.json` */
  reportJson: string;
  /** `metrics.prom` */
  metricsProm: string;
}

export interface CheckOutputOptions {
  now: Date;
  tool: ToolInfo;
  durationMs?: number;
}

/** The report, Flux Health's section and the metrics from one pass over the Inventory. */
export async function buildCheckOutputs(inv: Inventory, opts: CheckOutputOptions): Promise<CheckOutputs> {
  const computed = computeSpec(inv);
  const base = { now: opts.now, operator: opts.tool };
  const report = reportFrom(
    inv,
    computed,
    opts.durationMs === undefined ? base : { ...base, durationMs: opts.durationMs },
  );
  const health = buildHealthSection(inv, report, { ...base, computed });
  const families = buildSeries(inv, {
    now: opts.now,
    tool: opts.tool,
    ...(opts.durationMs === undefined ? {} : { durationMs: opts.durationMs }),
  });
  return {
    report,
    health,
    families,
    reportYaml: renderReportYaml(report),
    reportJson: renderReportJson(report, health),
    metricsProm: await renderExposition(families),
  };
}
