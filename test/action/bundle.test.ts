/**
 * The built action (`node dist/index.js`, as a runner starts it) on snapshot files: the one verdict
 * reaches every output, and the defaults are the CLI's. No cluster or GitHub is involved: comments
 * and the artifact are off.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../support/action-runner.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const DEMO = join(ROOT, 'examples/demo-cluster.yaml');

interface Doc {
  kind: string;
  metadata?: { namespace?: string };
  spec?: { suspend?: boolean };
  status?: { conditions?: { type: string; status: string }[] };
}

/** The demo's documents, filtered, written as a snapshot in the action's workspace. */
function demoWith(keep: (d: Doc) => boolean, edit: (text: string) => string = (t) => t): string {
  const docs = readFileSync(DEMO, 'utf8')
    .split(/^---$/m)
    .map((d) => d.replace(/^#.*$/gm, '').trim())
    .filter((d) => d.startsWith('{'))
    .map((d) => JSON.parse(d) as Doc)
    .filter(keep);
  const file = join(mkdtempSync(join(tmpdir(), 'flux-health-snapshot-')), 'snapshot.yaml');
  writeFileSync(file, edit(docs.map((d) => `---\n${JSON.stringify(d, null, 2)}\n`).join('')));
  return file;
}

const run = (inputs: Record<string, string>) =>
  runAction({ inputs: { comment: 'never', 'artifact-name': '', ...inputs } });

describe('the action bundle on snapshots', () => {
  it('the demo cluster: failing, not ready, exit 1, and the summary opens with the same verdict', async () => {
    const r = await run({ snapshot: DEMO });
    expect(r.code, r.stderr).toBe(1);
    expect(r.outputs).toMatchObject({ verdict: 'failing', ready: 'false', failing: '96' });
    expect(r.summary.split('\n')[0]).toBe('## ❌ Flux Health: Failing');
  });

  it('a cluster whose only alerts are info (suspended objects): healthy, ready, exit 0', async () => {
    const ready = (d: Doc): boolean =>
      d.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    const file = demoWith(
      (d) =>
        ['ClusterFacts', 'CustomResourceDefinition', 'Node'].includes(d.kind) ||
        (d.kind === 'Deployment' && !JSON.stringify(d).includes('image-automation')) ||
        (d.spec?.suspend === true && ready(d)),
    );
    const r = await run({ snapshot: file });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({ verdict: 'healthy', ready: 'true', failing: '0' });
    expect(Number(r.outputs['alerts-firing'])).toBeGreaterThan(0);
    expect(r.summary).toMatch(/Note: \d+ objects with info alerts firing/);
  });

  it('a failing object without firing alerts: degraded, not ready, and the job passes', async () => {
    // Every object recent enough that no `for:` has elapsed yet: one Kustomization failing just now.
    const facts = (d: Doc): boolean => ['ClusterFacts', 'CustomResourceDefinition', 'Node'].includes(d.kind);
    const file = demoWith(
      (d) => facts(d) || (d.kind === 'Deployment' && !JSON.stringify(d).includes('image-automation')),
    );
    const text = readFileSync(file, 'utf8');
    const ks = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system', generation: 1 },
      spec: { interval: '10m', path: './apps', sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
      status: {
        observedGeneration: 1,
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'BuildFailed',
            message: 'kustomize build failed',
            lastTransitionTime: '2026-11-21T11:59:00Z',
          },
        ],
      },
    };
    writeFileSync(file, `${text}---\n${JSON.stringify(ks)}\n`);
    const r = await run({ snapshot: file });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatchObject({
      verdict: 'degraded',
      ready: 'false',
      failing: '1',
      'alerts-firing': '0',
    });
    expect(r.summary.split('\n')[0]).toBe('## ⚠️ Flux Health: Degraded');
  });

  it('finds Flux in its own namespace when the snapshot does not say (namespace input left empty)', async () => {
    const file = demoWith(
      (d) => d.kind !== 'ClusterFacts',
      (t) => t.replaceAll('"namespace": "flux-system"', '"namespace": "flux"'),
    );
    const r = await run({ snapshot: file });
    const report = JSON.parse(readFileSync(join(r.outputDir, 'report.json'), 'utf8')) as {
      spec: { components: unknown[] };
      fluxHealth: { namespace: string };
    };
    expect(report.fluxHealth.namespace).toBe('flux');
    expect(report.spec.components).toHaveLength(6);
  });
});
