// Our FluxReport and flux_*_info series against the real Flux Operator's, on the same cluster at
// the same moment: once on a cluster filled with the generator's objects (every kind and state,
// operator kinds included, so the operator's own reconcilers run too), once on the cluster the
// real Flux controllers reconcile. `check` runs from the built CLI; the operator's report is its
// FluxReport object, its series its /metrics endpoint.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../envtest/control-plane.js';
import { startFlux, type RunningFlux } from '../envtest/flux.js';
import { kubeRequest } from '../envtest/http.js';
import { applyObjects, ensureNamespaces } from '../support/apply-objects.js';
import { runCli } from '../support/cli-runner.js';
import { loadKubeConfig } from '../support/cluster.js';
import {
  controllerDeployments,
  generateFluxObjects,
  nodes,
  type KubeObject,
} from '../support/flux-objects.js';
import {
  at,
  configMapYaml,
  create,
  fluxAdmin,
  kustomization,
  repository,
  sleep,
  reconcileAndWait,
  seededRepository,
} from '../support/real-flux.js';

const REPORT = '/apis/fluxcd.controlplane.io/v1/namespaces/flux-system/fluxreports/flux';
const INFO_FAMILIES =
  /^(flux_resource_info|flux_instance_info|flux_resourceset_info|flux_resourcesetinputprovider_info)\{/;

type Spec = Record<string, unknown>;

/**
 * Asks the operator for a fresh report and returns its spec. The FluxReport has no
 * lastHandledReconcileAt, and the operator writes nothing when the new report equals the stored
 * one (its Ready condition keeps its transition time), so the answer is the operator's next write
 * after the request, or, when none comes within 5 s (it reports in ~50 ms), the stored spec.
 */
async function operatorReport(kc: KubeConfig): Promise<Spec> {
  for (let i = 0; i < 300 && (await kubeRequest(kc, REPORT)).status === 404; i++) await sleep(100);
  const patched = await kubeRequest(kc, REPORT, {
    method: 'PATCH',
    contentType: 'application/merge-patch+json',
    body: { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date().toISOString() } } },
  });
  if (patched.status !== 200) throw new Error(`annotating the FluxReport: HTTP ${patched.status}`);
  const patchedVersion = Number(at(JSON.parse(patched.body), 'metadata', 'resourceVersion'));
  let report: Record<string, unknown> = {};
  for (let i = 0; i < 50; i++) {
    report = JSON.parse((await kubeRequest(kc, REPORT)).body) as Record<string, unknown>;
    if (Number(at(report, 'metadata', 'resourceVersion')) > patchedVersion) break;
    await sleep(100);
  }
  return at(report, 'spec') as Spec;
}

/** The flux_*_info samples of an exposition, label order normalised, one string each. */
function infoSeries(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => INFO_FAMILIES.test(l))
    .map((l) => {
      const m = /^(\w+)\{(.*)\}\s+(\S+)/.exec(l);
      if (!m) return l;
      const labels = (m[2] as string).match(/\w+="(?:[^"\\]|\\.)*"/g) ?? [];
      return `${m[1]}{${labels.sort().join(',')}} ${Number(m[3])}`;
    })
    .sort();
}

interface Ours {
  spec: Spec;
  series: string[];
  json: Record<string, unknown>;
}

async function ours(kubeconfig: string): Promise<Ours> {
  const out = await mkdtemp(join(tmpdir(), 'flux-health-operator-'));
  const run = await runCli([
    'check',
    '--kubeconfig',
    kubeconfig,
    '--fail-on',
    'never',
    '-o',
    'json',
    '--out',
    out,
  ]);
  if (run.code !== 0) throw new Error(`check exited ${String(run.code)}: ${run.stderr}`);
  const json = JSON.parse(run.stdout) as Record<string, unknown>;
  return {
    spec: json['spec'] as Spec,
    series: infoSeries(await readFile(join(out, 'metrics.prom'), 'utf8')),
    json,
  };
}

/**
 * The operator's report and series, then ours, then the operator's again. Controllers (the
 * operator's own included) keep writing status, and the operator reports from its informer cache
 * while we read the API server, so a comparison counts once the operator saw the same thing both
 * times and ours agrees; otherwise it is retried (up to 8 times), and the last one is returned.
 */
async function compareAtRest(
  kc: KubeConfig,
  kubeconfig: string,
  metricsUrl: string,
): Promise<{ op: Spec; opSeries: string[]; ours: Ours }> {
  const strip = (spec: Spec): string => JSON.stringify({ ...spec, operator: null });
  for (let attempt = 1; ; attempt++) {
    const before = await operatorReport(kc);
    const beforeSeries = infoSeries(await (await fetch(metricsUrl)).text());
    const mine = await ours(kubeconfig);
    const after = await operatorReport(kc);
    const afterSeries = infoSeries(await (await fetch(metricsUrl)).text());
    const still =
      strip(before) === strip(after) && JSON.stringify(beforeSeries) === JSON.stringify(afterSeries);
    const agree =
      strip(mine.spec) === strip(after) && JSON.stringify(mine.series) === JSON.stringify(afterSeries);
    if ((still && agree) || attempt >= 8) return { op: after, opSeries: afterSeries, ours: mine };
    await sleep(2_000);
  }
}

function expectSameSections(op: Spec, mine: Spec): void {
  const sections = new Set([...Object.keys(op), ...Object.keys(mine)]);
  sections.delete('operator');
  for (const required of ['distribution', 'cluster', 'reconcilers']) expect(sections).toContain(required);
  for (const section of sections) expect(mine[section], `spec.${section}`).toEqual(op[section]);
}

describe('the FluxReport and series of the real Flux Operator, on a generated cluster', () => {
  let cp: ControlPlane;
  let flux: RunningFlux;
  let kc: KubeConfig;

  beforeAll(async () => {
    cp = await startControlPlane();
    kc = loadKubeConfig(cp.adminKubeconfigPath);
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const namespaces = ['flux-system', 'apps', 'infra'];
    const generated = generateFluxObjects({
      seed: 'operator',
      now,
      namespaces,
      perKind: 4,
      fluxVersion: cp.versions.flux,
    }).filter((o: KubeObject) => o.kind !== 'FluxReport' && o.kind !== 'ImagePolicy');
    await ensureNamespaces(kc, namespaces);
    await applyObjects(kc, [
      ...nodes(2, { now, kubeletVersion: cp.versions.kubernetes, prefix: 'op' }),
      ...controllerDeployments({ now, fluxVersion: cp.versions.flux, notReady: [] }),
      ...generated,
    ]);
    flux = await startFlux(cp, { components: ['flux-operator'] });
  });

  afterAll(async () => {
    await flux?.stop();
    await cp?.stop();
  });

  it('our spec equals the operator spec section by section, and our flux_*_info series equal its /metrics', async () => {
    const {
      op,
      opSeries,
      ours: mine,
    } = await compareAtRest(kc, cp.adminKubeconfigPath, flux.component('flux-operator').metricsUrl);
    expect(Object.keys(at(op, 'reconcilers') as object).length).toBeGreaterThan(5);
    expectSameSections(op, mine.spec);
    expect(opSeries.length).toBeGreaterThan(20);
    expect(mine.series).toEqual(opSeries);
  });
});

/** `check` on the real-controller cluster, asserted equal to the operator's report and series. */
async function checkedAgainstOperator(): Promise<Ours> {
  const {
    op,
    opSeries,
    ours: mine,
  } = await compareAtRest(
    fluxAdmin(),
    inject('fluxKubeconfigAdmin'),
    inject('fluxMetricsUrls')['flux-operator'],
  );
  expectSameSections(op, mine.spec);
  expect(mine.series).toEqual(opSeries);
  return mine;
}

describe('the FluxReport and series of the real Flux Operator, on the cluster the real controllers reconcile', () => {
  let ns: string;

  beforeAll(async () => {
    let sha: string;
    ({ ns, sha } = await seededRepository('report', { 'apps/cm.yaml': configMapYaml('app', { v: '1' }) }));
    await create(kustomization(ns, 'app', './apps'));
    const run = await reconcileAndWait(ns, sha, undefined, '60s');
    expect(run.result.outcome, run.stderr).toBe('converged');
  });

  it('check: healthy at first, with the same report and series as the operator', async () => {
    const mine = await checkedAgainstOperator();
    const failing = at(mine.json, 'fluxHealth', 'failing') as { namespace: string }[];
    expect(failing.filter((f) => f.namespace === ns)).toEqual([]);
  });

  it('check: degraded after a broken push, naming the object and Flux message, and still the operator report', async () => {
    const repo = await repository(ns);
    const sha = await repo.commit(
      'main',
      { 'apps/kustomization.yaml': 'resources: [gone.yaml]\n' },
      'broken',
    );
    const run = await reconcileAndWait(ns, sha, undefined, '60s');
    expect(run.result.outcome).toBe('failed');
    const mine = await checkedAgainstOperator();
    const failing = at(mine.json, 'fluxHealth', 'failing') as {
      kind: string;
      namespace: string;
      name: string;
      reason: string;
      message: string;
    }[];
    expect(failing.filter((f) => f.namespace === ns)).toEqual([
      expect.objectContaining({
        kind: 'Kustomization',
        name: 'app',
        reason: 'BuildFailed',
        message: expect.stringContaining('gone.yaml'),
      }),
    ]);
    const table = await runCli([
      'check',
      '--kubeconfig',
      inject('fluxKubeconfigAdmin'),
      '--fail-on',
      'never',
    ]);
    expect(table.stdout).toMatch(/FLUX HEALTH: (DEGRADED|FAILING)/);
    expect(table.stdout).toContain(`${ns}/app`);
  });
});
