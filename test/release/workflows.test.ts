/**
 * The workflows as files: every third-party action pinned to a commit with its version beside it
 * (a tag can be moved, a commit cannot), the release workflow doing its steps in an order that
 * cannot publish an untested commit, and the e2e gate step really failing. actionlint checks the
 * syntax (scripts/test.sh); this checks the intent.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const DIR = resolve(new URL('../../.github/workflows', import.meta.url).pathname);
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>;
}

const read = (file: string): Workflow => parse(readFileSync(join(DIR, file), 'utf8')) as Workflow;

describe('every workflow pins third-party actions to a commit, with the version as a comment', () => {
  it('finds the workflows', () => {
    expect(FILES).toEqual(expect.arrayContaining(['ci.yml', 'check-dist.yml', 'e2e.yml', 'release.yml']));
  });

  it.each(FILES)('%s', (file) => {
    const unpinned = readFileSync(join(DIR, file), 'utf8')
      .split('\n')
      .map((line, i) => ({ line: line.trim(), at: i + 1 }))
      .filter(({ line }) => /^(?:-\s+)?uses:/.test(line))
      .filter(
        ({ line }) =>
          !/^(?:-\s+)?uses:\s+\.\/\S*$/.test(line) &&
          !/^(?:-\s+)?uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line),
      )
      .map(({ line, at }) => `${file}:${at}: ${line}`);
    expect(unpinned, 'each `uses:` is ./local or owner/repo@<40-hex SHA> # vX.Y.Z').toEqual([]);
  });
});

describe('release.yml', () => {
  const wf = read('release.yml');
  const job = Object.values(wf.jobs)[0] as Workflow['jobs'][string];
  const steps = job.steps;
  const index = (pred: (s: Step) => boolean, what: string): number => {
    const i = steps.findIndex(pred);
    expect(i, what).toBeGreaterThanOrEqual(0);
    return i;
  };

  it('runs on version tags only, and may write contents in its one job only', () => {
    expect(wf.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(job.permissions?.['contents']).toBe('write');
  });

  it('checks the tag, then dist/, then runs the suite, and only then publishes', () => {
    const checkout = index((s) => s.uses?.startsWith('actions/checkout@') === true, 'checkout');
    expect(steps[checkout]?.with?.['fetch-depth'], 'every tag, to compare releases').toBe(0);
    const dry = index(
      (s) => s.run === 'node scripts/release.mjs --dry-run "$GITHUB_REF_NAME"',
      'the dry run',
    );
    const dist = index((s) => s.run === 'npm run check-dist', 'the dist check');
    const tests = index((s) => s.run === '.ci/run', 'the whole suite');
    const publish = index((s) => s.run === 'node scripts/release.mjs "$GITHUB_REF_NAME"', 'the release');
    expect(checkout).toBeLessThan(dry);
    expect(dry).toBeLessThan(dist);
    expect(dist).toBeLessThan(tests);
    expect(tests).toBeLessThan(publish);
    expect(steps[publish]?.env?.['GH_TOKEN']).toBe('${{ github.token }}');
    // Nothing that publishes may run before the tests.
    for (const s of steps.slice(0, tests))
      expect(`${s.run ?? ''}`).not.toMatch(/release\.mjs "\$GITHUB_REF_NAME"|npm publish|gh release/);
  });
});

describe('e2e.yml', () => {
  const steps = Object.values(read('e2e.yml').jobs).flatMap((j) => j.steps);

  it('installs a pinned Flux CLI version', () => {
    const flux = steps.find((s) => s.uses?.startsWith('fluxcd/flux2/action@'));
    expect(flux?.with?.['version']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('the gate step uses a gate that can fail, may fail, and a later step asserts that it did', () => {
    const i = steps.findIndex((s) => s.id === 'audit');
    const audit = steps[i] as Step;
    expect(audit.uses).toBe('./');
    expect(audit['continue-on-error']).toBe(true);
    expect(String(audit.with?.['fail-on'] ?? 'firing')).not.toMatch(/^(never|none)$/);
    const after = steps.slice(i + 1);
    const check = after.find((s) => Object.values(s.env ?? {}).includes('${{ steps.audit.outcome }}'));
    expect(check?.run, 'a step tests the outcome').toMatch(/test "\$OUTCOME" = failure/);
  });
});
