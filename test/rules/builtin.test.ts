import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinRuleGroups, builtinRuleText, type BuiltinVariant } from '../../src/rules/builtin.js';
import { promtoolPath } from '../support/promtool.js';
import { loadUnitTestFile, replayAlertTests } from '../support/unit-test-file.js';

const examples = fileURLToPath(new URL('../../examples/rules/', import.meta.url));
const files: Array<[BuiltinVariant, string]> = [
  ['namespace', 'flux-health.yml'],
  ['exported_namespace', 'flux-health-exported-namespace.yml'],
];

describe('built-in rules', () => {
  it.each(files)('%s variant: examples/rules/%s is the embedded text', (variant, file) => {
    expect(readFileSync(examples + file, 'utf8')).toBe(builtinRuleText(variant));
  });

  it('pass promtool check rules', () => {
    const r = spawnSync(promtoolPath(), ['check', 'rules', ...files.map(([, f]) => f)], {
      cwd: examples,
      encoding: 'utf8',
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe(files.map(([, f]) => `Checking ${f}\n  SUCCESS: 6 rules found\n\n`).join(''));
    expect(r.status).toBe(0);
  });

  it('every alert has a severity label and summary and description annotations', () => {
    for (const [variant] of files) {
      const rules = builtinRuleGroups(variant).flatMap((g) => g.rules);
      expect(rules).toHaveLength(6);
      for (const r of rules) {
        expect(r.kind).toBe('alert');
        expect(r.labels['severity']).toMatch(/^(critical|page|warning|info)$/);
        expect(r.annotations['summary']).toBeTruthy();
        expect(r.annotations['description']).toBeTruthy();
      }
    }
  });

  it('keeps the seed rule verbatim for each variant', () => {
    const seedExpr = (ns: string): string =>
      `max(gotk_reconcile_condition{status="False",type="Ready"}) by (${ns}, name, kind) + on(${ns}, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (${ns}, name, kind)) * 2 == 1`;
    for (const [variant] of files) {
      const rf = builtinRuleGroups(variant)
        .flatMap((g) => g.rules)
        .find((r) => r.name === 'ReconciliationFailure');
      expect(rf?.expr).toBe(seedExpr(variant));
      expect(rf?.forMs).toBe(600_000);
      expect(rf?.labels).toEqual({ severity: 'page' });
    }
  });

  it('promtool test rules passes on the built-in rules’ unit test, and our replay agrees', () => {
    const r = spawnSync(promtoolPath(), ['test', 'rules', 'flux-health-test.yml'], {
      cwd: examples,
      encoding: 'utf8',
    });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    const outcomes = replayAlertTests(loadUnitTestFile(examples + 'flux-health-test.yml'));
    expect(outcomes).toHaveLength(7);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  });
});
