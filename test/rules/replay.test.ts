import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { promtoolPath } from '../support/promtool.js';
import { loadUnitTestFile, replayAlertTests, seriesAt } from '../support/unit-test-file.js';

// Copies of the promtool oracle files (shared/reference/promtool-oracle): each is run by promtool itself
// and replayed with our evaluator; the firing alerts must be the same.
const dir = fileURLToPath(new URL('./oracle/', import.meta.url));
const oracleFiles = ['flux-rules-test.yml', 'flux-rules-exported-test.yml', 'kff-test.yml'];

describe('promtool test rules passes on the oracle files', () => {
  it.each(oracleFiles)('%s', (file) => {
    const r = spawnSync(promtoolPath(), ['test', 'rules', file], { cwd: dir, encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

describe('replaying promtool alert tests with our evaluator', () => {
  it.each(['flux-rules-test.yml', 'flux-rules-exported-test.yml'])(
    '%s: same firing alerts, labels and annotations, in single stateless runs',
    (file) => {
      const outcomes = replayAlertTests(loadUnitTestFile(join(dir, file)));
      expect(outcomes.length).toBeGreaterThan(0);
      for (const o of outcomes) {
        expect(o.errors).toEqual([]);
        expect({ at: o.evalTimeMs, got: o.got }).toEqual({
          at: o.evalTimeMs,
          got: expect.arrayContaining(o.expected),
        });
        expect(o.got).toHaveLength(o.expected.length);
        expect(o.ok).toBe(true);
      }
    },
  );

  it('keeps the flaky GitRepository pending at 10m and firing at 16m (its since restarts at 6m)', () => {
    const outcomes = replayAlertTests(loadUnitTestFile(join(dir, 'flux-rules-test.yml')));
    const at = (m: number): string[] =>
      (outcomes.find((o) => o.evalTimeMs === m * 60_000)?.got ?? []).map((a) => a.labels['name'] ?? '');
    expect(at(10)).toEqual(['apps']);
    expect(at(16).sort()).toEqual(['apps', 'flaky']);
  });

  it('honours keep_firing_for when each run gets the previous run’s alerts (chained)', () => {
    const outcomes = replayAlertTests(loadUnitTestFile(join(dir, 'kff-test.yml')), { chain: true });
    expect(outcomes.map((o) => [o.evalTimeMs / 60_000, o.ok])).toEqual([
      [1, true],
      [2, true],
      [8, true],
      [9, true],
    ]);
  });

  it('cannot know keep_firing_for from series alone: a single run at 8m sees no alert', () => {
    const outcomes = replayAlertTests(loadUnitTestFile(join(dir, 'kff-test.yml')));
    const at8 = outcomes.find((o) => o.evalTimeMs === 8 * 60_000);
    expect(at8?.got).toEqual([]);
    expect(at8?.ok).toBe(false);
  });

  it('derives since from the expanding notation: the start of the current run of equal values', () => {
    const file = loadUnitTestFile(join(dir, 'flux-rules-test.yml'));
    const group = file.groups[0]!;
    const flaky = (t: number): number | undefined =>
      seriesAt(group, t).find((s) => s.labels['name'] === 'flaky' && s.labels['status'] === 'False')?.since;
    expect(flaky(4 * 60_000)).toBe(0);
    expect(flaky(5 * 60_000)).toBe(5 * 60_000);
    expect(flaky(7 * 60_000)).toBe(6 * 60_000);
  });
});
