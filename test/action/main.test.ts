/**
 * The action's logic, fast: `runAction()` with a fake `@actions/core` (inputs from a map, outputs
 * recorded) on snapshot files, so no cluster, runner or GitHub is involved. The built bundle with a
 * real runner environment, cluster and GitHub fakes is test/integration/action.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { coreModule, fake, resetFake } from '../fakes/actions-core.js';

vi.mock('@actions/core', () => coreModule);
const { runAction } = await import('../../src/main.js');

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const DEMO = join(ROOT, 'examples/demo-cluster.yaml');

/** action.yml's defaults, as the runner passes them, overridden by `inputs`. */
function withDefaults(inputs: Record<string, string>): Record<string, string> {
  const doc = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc.inputs)) out[name] = String(spec.default ?? '');
  return { ...out, 'github-token': '', comment: 'never', 'artifact-name': '', summary: 'false', ...inputs };
}

let outputDir: string;
beforeEach(() => {
  outputDir = mkdtempSync(join(tmpdir(), 'flux-health-action-'));
});

async function action(inputs: Record<string, string>): Promise<number> {
  resetFake(withDefaults({ 'output-dir': outputDir, ...inputs }));
  return runAction();
}

describe('runAction', () => {
  it('on the demo cluster: the gate fails, and every output agrees with the one verdict', async () => {
    expect(await action({ snapshot: DEMO })).toBe(1);
    expect(fake.outputs).toMatchObject({ verdict: 'failing', ready: 'false', failing: '96' });
    expect(fake.failed).toEqual([
      'Flux Health gate failed: 99 objects with firing alerts (FluxResourceNotReady, FluxResourceReconciling, ReconciliationFailure) at severity warning or above',
    ]);
    expect(fake.outputs['report-path']).toBe(join(outputDir, 'report.json'));
    expect(readFileSync(join(outputDir, 'summary.md'), 'utf8')).toMatch(/^## ❌ Flux Health: Failing/);
  });

  it('lists every failing object in a log group and annotates the worst eight, saying how many more', async () => {
    await action({ snapshot: DEMO });
    expect(fake.log.find((l) => l.level === 'group')?.line).toBe('Failing objects: 96, worst first');
    const listed = fake.log.filter((l) => l.level === 'info' && l.line.startsWith('✗ '));
    expect(listed).toHaveLength(96);
    const annotations = fake.log.filter((l) => l.title !== undefined);
    expect(annotations).toHaveLength(8);
    // Objects with a firing page alert come first, as errors.
    expect(annotations[0]!.level).toBe('error');
    expect(annotations[0]!.title).toMatch(/^\w+ [\w-]+\/[\w-]+: \w+$/);
    expect(annotations[7]!.line).toMatch(/\(and 88 more failing objects: see the job summary\)$/);
    // No logged line can start a workflow command: each starts with our own text.
    for (const l of fake.log) expect(l.line.startsWith('::')).toBe(false);
  });

  it('fail-on never: exit 0, yet the verdict still says failing and ready stays false', async () => {
    expect(await action({ snapshot: DEMO, 'fail-on': 'never' })).toBe(0);
    expect(fake.outputs).toMatchObject({ verdict: 'failing', ready: 'false' });
    expect(fake.failed).toEqual([]);
  });

  it.each([
    [{ 'fail-on': 'sometimes' }, /^input `fail-on`: invalid fail-on "sometimes"/],
    [{ wait: 'yes' }, /^input `wait` must be true or false/],
    [{ wait: 'true' }, /^inputs `wait` and `reconcile` need a live cluster/],
    [{ snapshot: '/nonexistent/snap.yaml' }, /^snapshot file \/nonexistent\/snap\.yaml does not exist$/],
  ])('bad input %j: exit 2, one line, every output set', async (inputs, re) => {
    expect(await action({ snapshot: DEMO, ...inputs })).toBe(2);
    expect(fake.failed).toHaveLength(1);
    expect(fake.failed[0]).toMatch(re);
    expect(fake.outputs).toMatchObject({ verdict: 'error', ready: 'false', 'report-path': '' });
  });

  it('every bad input at once: one line each, in input order, before anything runs', async () => {
    const code = await action({
      snapshot: DEMO,
      'fail-on': 'sometimes',
      wait: 'maybe',
      'wait-timeout': 'soon',
      'retention-days': '-3',
      reconcile: 'true',
      context: 'prod',
    });
    expect(code).toBe(2);
    expect(fake.failed).toHaveLength(1);
    const lines = fake.failed[0]!.split('\n');
    expect(lines.map((l) => /^inputs? `([\w-]+)`/.exec(l)?.[1])).toEqual([
      'fail-on',
      'wait-timeout',
      'retention-days',
      'wait',
      'wait',
      'snapshot',
      'reconcile',
    ]);
    expect(lines[1]).toMatch(/^input `wait-timeout`: .*"soon"/);
    expect(fake.outputs).toMatchObject({ verdict: 'error', ready: 'false', 'report-path': '' });
  });

  it('without output-dir, writes under RUNNER_TEMP, never into the workspace', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'flux-health-runner-temp-'));
    vi.stubEnv('RUNNER_TEMP', temp);
    try {
      resetFake(withDefaults({ snapshot: DEMO }));
      await runAction();
    } finally {
      vi.unstubAllEnvs();
    }
    expect(fake.outputs['report-path']).toBe(join(temp, 'flux-health', 'report.json'));
    expect(readFileSync(join(temp, 'flux-health', 'report.json'), 'utf8')).toMatch(/"kind": ?"FluxReport"/);
  });

  it('finds Flux in its own namespace in a snapshot that does not say where (as the CLI does)', async () => {
    const text = readFileSync(DEMO, 'utf8')
      .split(/^---$/m)
      .filter((d) => !d.includes('"kind": "ClusterFacts"'))
      .join('---')
      .replaceAll('"namespace": "flux-system"', '"namespace": "flux"');
    const file = join(outputDir, 'in-flux.yaml');
    writeFileSync(file, text);
    await action({ snapshot: file, 'output-dir': join(outputDir, 'out') });
    const report = JSON.parse(readFileSync(join(outputDir, 'out', 'report.json'), 'utf8')) as {
      spec: { components: unknown[] };
      fluxHealth: { namespace: string };
    };
    expect(report.fluxHealth.namespace).toBe('flux');
    expect(report.spec.components).toHaveLength(6);
  });

  it('an output-dir that cannot be written: exit 2 naming it', async () => {
    expect(await action({ snapshot: DEMO, 'output-dir': '/proc/flux-health' })).toBe(2);
    expect(fake.failed[0]).toMatch(/^output-dir \/proc\/flux-health is on a kernel file system/);
    expect(fake.outputs).toMatchObject({ verdict: 'error', ready: 'false' });
  });
});

describe('defaults', () => {
  it('action.yml shows the defaults the code applies (options.ts), so the two never drift', async () => {
    const { DEFAULTS } = await import('../../src/options.js');
    const doc = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
    };
    const yml = (name: string): string | undefined => doc.inputs[name]?.default;
    expect([
      yml('fail-on'),
      yml('wait-timeout'),
      yml('comment'),
      yml('comment-tag'),
      yml('artifact-name'),
      yml('output-dir'),
      yml('namespace'),
    ]).toEqual([
      DEFAULTS.failOn,
      DEFAULTS.waitTimeout,
      DEFAULTS.comment,
      DEFAULTS.commentTag,
      DEFAULTS.artifactName,
      // Empty: under RUNNER_TEMP (defaultOutputDir).
      '',
      // Empty: decided by fluxNamespace, as for the CLI.
      '',
    ]);
  });
});
