import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { familiesToPromSeries } from '../../src/metrics/index.js';
import { analyse, loadRules } from '../../src/pipeline.js';
import { TOOL, loadScenario } from '../scenarios/load.js';

describe('analyse', () => {
  it.each(['forbidden-kind', 'sync-ignores-sourceref-name', 'existing-report-stale'])(
    '%s: the three texts agree with each other and with the values',
    async (name) => {
      const s = loadScenario(name);
      const out = await analyse(s.inventory, {
        now: s.now,
        tool: TOOL,
        durationMs: 1_500,
        rules: loadRules([], true),
      });
      const yaml = parse(out.reportYaml) as typeof out.report;
      const json = JSON.parse(out.reportJson) as typeof out.report & { fluxHealth: unknown };
      expect(yaml).toEqual(out.report);
      const { fluxHealth, ...jsonReport } = json;
      expect(jsonReport).toEqual(out.report);
      expect(fluxHealth).toEqual(JSON.parse(JSON.stringify(out.health)));
      expect(out.report.status.conditions[0]?.message).toBe('Reporting finished in 2s');
      expect(out.metricsProm).toContain('flux_health_check_duration_seconds 1.5\n');
      // Every series the rules see, and every alert they raise, is a line of metrics.prom.
      const lines = out.metricsProm.split('\n').filter((l) => l && !l.startsWith('#'));
      expect(familiesToPromSeries(out.families, s.now.getTime())).toHaveLength(lines.length);
    },
  );
});
