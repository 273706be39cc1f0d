import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSeries, renderExposition } from '../../src/metrics/index.js';
import {
  buildFluxReport,
  buildHealthSection,
  renderReportJson,
  renderReportYaml,
} from '../../src/report/index.js';
import { DURATION_MS, TOOL, loadScenario, readOptional, scenarioNames } from '../scenarios/load.js';
import { promtoolPath } from '../support/promtool.js';

/** `promtool check metrics` on the text; returns its exit code and output. A missing promtool throws. */
function promtoolCheck(text: string): { code: number; output: string } {
  const promtool = promtoolPath();
  try {
    const output = execFileSync(promtool, ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { code: 0, output };
  } catch (err) {
    const e = err as { status?: number | null; stdout?: string; stderr?: string; code?: string };
    if (e.code === 'ENOENT') throw new Error(`cannot run ${promtool}`, { cause: err });
    return { code: e.status ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const names = scenarioNames();

describe('scenario corpus', () => {
  it('has at least 30 cases, each naming the reference rules it exercises', () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
    for (const name of names) expect(loadScenario(name).meta.rules.length, name).toBeGreaterThan(0);
  });

  describe.each(names)('%s', (name) => {
    const s = loadScenario(name);
    const report = buildFluxReport(s.inventory, { now: s.now, operator: TOOL, durationMs: DURATION_MS });

    it('computes the FluxReport the operator would write', () => {
      const expected = parse(readOptional(s.dir, 'expected-report.yaml') ?? 'missing: true') as unknown;
      expect(report).toEqual(expected);
      // The YAML text round-trips to the same object.
      expect(parse(renderReportYaml(report))).toEqual(report);
    });

    it("fills Flux Health's own section as expected", () => {
      const health = buildHealthSection(s.inventory, report, { now: s.now, operator: TOOL });
      const json = JSON.parse(renderReportJson(report, health)) as { fluxHealth: unknown; spec: unknown };
      expect(json.spec).toEqual(report.spec);
      const expected = readOptional(s.dir, 'expected-health.yaml');
      if (expected !== undefined) expect(json.fluxHealth).toMatchObject(parse(expected) as object);
    });

    it('exports the expected series, valid under promtool', async () => {
      const families = buildSeries(s.inventory, { now: s.now, tool: TOOL, durationMs: DURATION_MS });
      const text = await renderExposition(families);
      const lines = new Set(text.split('\n'));
      const expected = (readOptional(s.dir, 'expected-metrics.prom') ?? '')
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.startsWith('#'));
      expect(expected.length, 'expected-metrics.prom lists series').toBeGreaterThan(0);
      for (const line of expected) {
        if (line.startsWith('!')) {
          // `!prefix`: no exposition line starts with it.
          const prefix = line.slice(1);
          expect(
            [...lines].filter((l) => l.startsWith(prefix)),
            line,
          ).toEqual([]);
        } else {
          expect(lines.has(line), line).toBe(true);
        }
      }
      const check = promtoolCheck(text);
      expect(check, check.output).toMatchObject({ code: 0 });
    });
  });
});
