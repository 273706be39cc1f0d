/**
 * The one pipeline both entries run, between acquiring an Inventory and publishing: the FluxReport,
 * Flux Health's own section, the metrics, and the alert rules evaluated over exactly those series.
 * The verdict is verdict.ts's. Pure apart from reading rule files (`loadRules`), which callers do first.
 */
import { ConfigError } from './errors.js';
import type { Inventory } from './inventory/index.js';
import { familiesToPromSeries, renderExposition, buildSeries, type MetricFamily } from './metrics/index.js';
import { SeriesStore } from './promql/index.js';
import {
  buildHealthSection,
  computeSpec,
  renderReportJson,
  renderReportYaml,
  reportFrom,
  type FluxReport,
  type HealthSection,
} from './report/index.js';
import type { ToolInfo } from './report/types.js';
import {
  alertsSeries,
  evaluateAlerts,
  renderAlertsJson,
  type AlertsResult,
  type PreviousAlert,
} from './rules/alerts.js';
import { builtinRuleGroups } from './rules/builtin.js';
import { expandRulePaths } from './rules/check.js';
import { countRules, formatRuleError, loadRuleFile, type LoadedGroup } from './rules/load.js';

export interface RuleSet {
  groups: LoadedGroup[];
  /** Files the groups came from, for logs (`builtin:…` for the built-in rules). */
  files: string[];
  count: number;
}

/**
 * Loads the built-in rules and the user's rule files (paths or globs). Any invalid file is a
 * ConfigError naming file:line:column, as `flux-health rules check` would report it.
 */
export function loadRules(paths: readonly string[], builtin: boolean): RuleSet {
  const groups: LoadedGroup[] = builtin ? [...builtinRuleGroups('namespace')] : [];
  const files: string[] = builtin ? ['builtin:flux-health.yml'] : [];
  const { files: found, errors } = expandRulePaths(paths);
  if (errors.length > 0) throw new ConfigError(`rules: ${errors[0]}`);
  for (const file of found) {
    const r = loadRuleFile(file);
    const first = r.errors[0];
    if (first) {
      const more =
        r.errors.length > 1
          ? ` (and ${r.errors.length - 1} more; run 'flux-health rules check ${file}')`
          : '';
      throw new ConfigError(`${formatRuleError(first)}${more}`);
    }
    groups.push(...r.groups);
    files.push(file);
  }
  return { groups, files, count: countRules(groups) };
}

export interface AnalyseOptions {
  /** The evaluation instant (`--now`), also the report's time. */
  now: Date;
  tool: ToolInfo;
  rules: RuleSet;
  /** A previous run's alerts.json, so keep_firing_for can be honoured. */
  previousAlerts?: PreviousAlert[];
  /** How long collection took, reported in the FluxReport's Ready message and our own gauge. */
  durationMs?: number;
}

export interface Analysis {
  /** The evaluation instant everything was computed at. */
  now: Date;
  report: FluxReport;
  health: HealthSection;
  /** Every metric family, including ALERTS and ALERTS_FOR_STATE. */
  families: MetricFamily[];
  alerts: AlertsResult;
  reportYaml: string;
  reportJson: string;
  alertsJson: string;
  metricsProm: string;
}

/** The series of ALERTS and ALERTS_FOR_STATE as metric families, so metrics.prom carries them. */
function alertFamilies(result: AlertsResult): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const s of alertsSeries(result)) {
    const { __name__: name = 'ALERTS', ...labels } = s.labels;
    let family = byName.get(name);
    if (!family) {
      family = {
        name,
        help:
          name === 'ALERTS'
            ? 'Pending and firing alerts, as Prometheus writes them (1 per alert).'
            : 'When each pending or firing alert became active, in Unix seconds.',
        type: 'gauge',
        series: [],
      };
      byName.set(name, family);
    }
    family.series.push({ labels, value: s.value, since: s.since });
  }
  return [...byName.values()];
}

export async function analyse(inv: Inventory, opts: AnalyseOptions): Promise<Analysis> {
  const base = {
    now: opts.now,
    operator: opts.tool,
    ...(opts.durationMs === undefined ? {} : { durationMs: opts.durationMs }),
  };
  const computed = computeSpec(inv);
  const report = reportFrom(inv, computed, base);
  const health = buildHealthSection(inv, report, { now: opts.now, operator: opts.tool, computed });
  const families = buildSeries(inv, {
    now: opts.now,
    tool: opts.tool,
    ...(opts.durationMs === undefined ? {} : { durationMs: opts.durationMs }),
  });

  // The rules read exactly the series that metrics.prom will contain.
  const nowMs = opts.now.getTime();
  const store = new SeriesStore(familiesToPromSeries(families, nowMs));
  const alerts = evaluateAlerts(opts.rules.groups, store, {
    nowMs,
    ...(opts.previousAlerts ? { previous: opts.previousAlerts } : {}),
  });
  const allFamilies = [...families, ...alertFamilies(alerts)];
  return {
    now: opts.now,
    report,
    health,
    families: allFamilies,
    alerts,
    reportYaml: renderReportYaml(report),
    reportJson: renderReportJson(report, health),
    alertsJson: renderAlertsJson(alerts, nowMs),
    metricsProm: await renderExposition(allFamilies),
  };
}
