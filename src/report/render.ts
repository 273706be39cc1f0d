import { stringify } from 'yaml';
import type { HealthSection } from './health.js';
import type { FluxReport } from './types.js';
import { jsonText } from '../json-text.js';

/** `report.yaml`: the FluxReport alone, as `kubectl get fluxreport flux -o yaml` would show it. */
export function renderReportYaml(report: FluxReport): string {
  // lineWidth 0: never fold long status messages. YAML 1.1 rules quote what a 1.1 reader (kubectl,
  // PyYAML) would otherwise turn into a timestamp or a boolean, as kubectl's own output does.
  return stringify(report, { lineWidth: 0, version: '1.1' });
}

/** `report.json`: the FluxReport plus Flux Health's own section under `fluxHealth`. */
export function renderReportJson(report: FluxReport, health: HealthSection): string {
  return jsonText({ ...report, fluxHealth: health });
}
