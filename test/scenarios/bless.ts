/**
 * Writes `expected-report.yaml` for scenarios that lack one, from the current implementation:
 * `npx tsx test/scenarios/bless.ts [name…]`. A blessed file is a claim to review line by line
 * against the reference before committing, never a substitute for that review.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFluxReport, renderReportYaml } from '../../src/report/index.js';
import { DURATION_MS, TOOL, loadScenario, scenarioNames } from './load.js';

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : scenarioNames()) {
  const s = loadScenario(name);
  const out = join(s.dir, 'expected-report.yaml');
  if (existsSync(out) && !wanted.length) continue;
  const report = buildFluxReport(s.inventory, { now: s.now, operator: TOOL, durationMs: DURATION_MS });
  writeFileSync(out, renderReportYaml(report));
  console.log(`wrote ${out}`);
}
