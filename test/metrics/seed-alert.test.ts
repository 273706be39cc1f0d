import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildSeries, familiesToPromSeries } from '../../src/metrics/index.js';
import { TOOL, loadScenario } from '../scenarios/load.js';
import { promtoolPath } from '../support/promtool.js';

/** The two ReconciliationFailure variants of the seeds, verbatim: grouped by namespace, and by exported_namespace. */
const VARIANTS = [
  {
    label: 'namespace',
    expr: 'max(gotk_reconcile_condition{status="False",type="Ready"}) by (namespace, name, kind) + on(namespace, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (namespace, name, kind)) * 2 == 1',
  },
  {
    label: 'exported_namespace',
    expr: 'max(gotk_reconcile_condition{status="False",type="Ready"}) by (exported_namespace, name, kind) + on(exported_namespace, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (exported_namespace, name, kind)) * 2 == 1',
  },
];

function selector(labels: Record<string, string>): string {
  const { __name__: name, ...rest } = labels;
  return `${name}{${Object.entries(rest)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}

/**
 * Runs `promtool test rules` with our gotk_reconcile_condition series held for 15 minutes and the
 * seed rule (`for: 10m`), expecting exactly the given objects to alert. promtool is the oracle.
 */
function promtoolAlerts(
  scenario: string,
  variant: (typeof VARIANTS)[number],
  expected: [string, string, string][],
) {
  const s = loadScenario(scenario);
  const families = buildSeries(s.inventory, { now: s.now, tool: TOOL }).filter(
    (f) => f.name === 'gotk_reconcile_condition',
  );
  const series = familiesToPromSeries(families, s.now.getTime());
  const dir = mkdtempSync(join(tmpdir(), 'seed-alert-'));
  writeFileSync(
    join(dir, 'rules.yml'),
    stringify({
      groups: [
        {
          name: 'GitOpsToolkit',
          rules: [
            { alert: 'ReconciliationFailure', expr: variant.expr, for: '10m', labels: { severity: 'page' } },
          ],
        },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'test.yml'),
    stringify({
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: series.map((p) => ({ series: selector(p.labels), values: `${p.samples[0]!.v}x15` })),
          alert_rule_test: [
            {
              eval_time: '15m',
              alertname: 'ReconciliationFailure',
              exp_alerts: expected.map(([kind, namespace, name]) => ({
                exp_labels: { severity: 'page', kind, name, [variant.label]: namespace },
              })),
            },
          ],
        },
      ],
    }),
  );
  return execFileSync(promtoolPath(), ['test', 'rules', join(dir, 'test.yml')], {
    encoding: 'utf8',
    stdio: 'pipe',
  });
}

describe('the seed ReconciliationFailure rule over our gotk_reconcile_condition', () => {
  const cases: { scenario: string; alerts: [string, string, string][] }[] = [
    // Deleting objects are silenced by the Deleted series; the other failing one alerts.
    { scenario: 'metrics-deleted-object', alerts: [['Kustomization', 'apps', 'staying']] },
    // The controllers' metric knows nothing of DependencyNotReady: a Ready=False object alerts.
    {
      scenario: 'reconcilers-not-failing-states',
      alerts: [
        ['Kustomization', 'apps', 'broken'],
        ['Kustomization', 'apps', 'waiting'],
      ],
    },
    {
      scenario: 'reconcilers-suspended-wins',
      alerts: [
        ['Kustomization', 'apps', 'failing'],
        ['Kustomization', 'apps', 'failing-suspended'],
      ],
    },
    { scenario: 'distribution-flux-install', alerts: [] },
  ];
  for (const variant of VARIANTS) {
    it.each(cases)(`by ${variant.label}: $scenario`, ({ scenario, alerts }) => {
      expect(promtoolAlerts(scenario, variant, alerts)).toContain('SUCCESS');
    });
  }
});
