// The same Flux objects, three ways: collected live from a real API server, read back from the
// snapshot `flux-health snapshot` wrote of that server, and read from a dump assembled straight from
// the generator's output. The live and snapshot results must be identical in every output; the dump
// must give the same report sections, which shows that collection keeps everything the report needs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { acquireInventory } from '../../src/acquire.js';
import { runCli } from '../../src/cli.js';
import type { Inventory } from '../../src/inventory/index.js';
import type { MetricFamily } from '../../src/metrics/index.js';
import { analyse, loadRules, type Analysis } from '../../src/pipeline.js';
import type { FluxReportSpec } from '../../src/report/types.js';
import { readSnapshotText } from '../../src/snapshot/read.js';
import { toolInfo } from '../../src/tool.js';
import { kubeRequest } from '../envtest/http.js';
import { startControlPlane, type ControlPlane } from '../envtest/control-plane.js';
import { applyObjects, ensureNamespaces } from '../support/apply-objects.js';
import { loadKubeConfig } from '../support/cluster.js';
import {
  DEFAULT_OPERATOR_VERSION,
  FLUX_RELEASES,
  GENERATED_KINDS,
  controllerDeployments,
  fluxCrdStubs,
  generateFluxObjects,
  kindInfo,
  nodes,
  rfc3339,
  stateOf,
  warningEvents,
  type KubeObject,
} from '../support/flux-objects.js';

const FLUX_NAMESPACE = 'flux-system';
const NAMESPACES = [FLUX_NAMESPACE, 'apps', 'infra', 'monitoring'];
const SEED = 'report-live';
/** Eight per kind: the smallest count at which the default mix deals every state a kind can be in. */
const PER_KIND = 8;
const NODE_COUNT = 3;
/** One controller down, so the components section has an InProgress entry with a kstatus message. */
const BROKEN_CONTROLLER = 'image-automation-controller';

const log = (line: string): void => console.log(`[report-live] ${line}`);

/**
 * The one place the generator and the real Flux 2.7 CRDs disagree: ImagePolicy's CEL rule accepts
 * `spec.interval` only with `digestReflectionPolicy: Always`. Both the cluster and the independent
 * dump get the fitted object, so they describe the same thing.
 */
function fitForCrds(o: KubeObject): KubeObject {
  const spec = o.spec;
  if (o.kind !== 'ImagePolicy' || !spec || !('interval' in spec) || spec.digestReflectionPolicy === 'Always')
    return o;
  const { interval: _interval, ...rest } = spec;
  return { ...o, spec: rest };
}

interface ClusterFactsDoc {
  serverVersion: string;
  platform: string;
  nodes: number;
}

/** A `kubectl get -o yaml`-like dump: a ClusterFacts document, then one `List` of everything. */
function dump(items: readonly KubeObject[], collectedAt: Date, facts: ClusterFactsDoc): string {
  const factsDoc = {
    apiVersion: 'flux-health.dev/v1',
    kind: 'ClusterFacts',
    collectedAt: collectedAt.toISOString(),
    namespace: FLUX_NAMESPACE,
    ...facts,
  };
  const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
  return [factsDoc, list].map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

/**
 * The FluxReport the operator would have written some minutes earlier: one controller image from
 * the previous release, one more failure in the first reconciler, an older sync message. Its
 * differences from the computed report are part of what live and snapshot must agree on.
 */
function staleReport(spec: FluxReportSpec, at: Date): KubeObject {
  const previous = FLUX_RELEASES['v2.7.3'];
  const components = (spec.components ?? []).map((c) =>
    c.name === 'helm-controller' && previous
      ? { ...c, image: `ghcr.io/fluxcd/helm-controller:${previous['helm-controller']}` }
      : c,
  );
  const reconcilers = (spec.reconcilers ?? []).map((r, i) =>
    i === 0 ? { ...r, stats: { ...r.stats, failing: r.stats.failing + 1 } } : r,
  );
  const { operator: _ours, ...rest } = spec;
  return {
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'FluxReport',
    metadata: { name: 'flux', namespace: FLUX_NAMESPACE },
    spec: {
      ...rest,
      operator: {
        apiVersion: 'fluxcd.controlplane.io/v1',
        version: DEFAULT_OPERATOR_VERSION,
        platform: 'linux/amd64',
      },
      components,
      reconcilers,
      ...(spec.sync
        ? { sync: { ...spec.sync, status: 'Applied revision: refs/heads/main@sha1:0000000' } }
        : {}),
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Succeeded',
          message: 'Reporting finished in 212ms',
          lastTransitionTime: rfc3339(at.getTime() - 10 * 60_000),
          observedGeneration: 1,
        },
      ],
    },
  };
}

/** Families sorted by name, each series list sorted by its labels, so order alone never differs. */
function normalised(
  families: readonly MetricFamily[],
  series: (family: string, s: MetricFamily['series'][number]) => MetricFamily['series'][number] = (_f, s) =>
    s,
): MetricFamily[] {
  return [...families]
    .map((f) => ({
      ...f,
      series: f.series
        .map((s) => series(f.name, s))
        .sort((a, b) => {
          const ka = JSON.stringify(Object.entries(a.labels).sort());
          const kb = JSON.stringify(Object.entries(b.labels).sort());
          return ka < kb ? -1 : ka > kb ? 1 : 0;
        }),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const rules = loadRules([], true);
const tool = toolInfo();

async function run(inv: Inventory, now: Date): Promise<Analysis> {
  return analyse(inv, { now, tool, rules });
}

describe('the live report equals the snapshot report (isolated control plane)', () => {
  let cp: ControlPlane;
  let dir: string;
  let generated: KubeObject[];
  let evalNow: Date;
  let liveInv: Inventory;
  let snapInv: Inventory;
  let genInv: Inventory;
  let live: Analysis;
  let snap: Analysis;
  let gen: Analysis;
  let facts: ClusterFactsDoc;

  beforeAll(async () => {
    const t0 = performance.now();
    const lap = (what: string, since: number): number => {
      const now = performance.now();
      log(`${what} in ${Math.round(now - since)} ms`);
      return now;
    };
    cp = await startControlPlane();
    let t = lap(`control plane ${cp.versions.kubernetes} with Flux ${cp.versions.flux} CRDs started`, t0);
    dir = await mkdtemp(join(tmpdir(), 'flux-health-report-live-'));
    const kc = loadKubeConfig(cp.adminKubeconfigPath);

    // Second precision, as the API server stores times, so the dump and the cluster hold the same instants.
    const genNow = new Date(Math.floor(Date.now() / 1000) * 1000);
    generated = generateFluxObjects({
      seed: SEED,
      now: genNow,
      namespaces: NAMESPACES,
      perKind: PER_KIND,
      fluxVersion: cp.versions.flux,
    }).map(fitForCrds);
    const deployments = controllerDeployments({
      now: genNow,
      fluxVersion: cp.versions.flux,
      notReady: [BROKEN_CONTROLLER],
    });
    const nodeObjects = nodes(NODE_COUNT, {
      now: genNow,
      kubeletVersion: cp.versions.kubernetes,
      prefix: 'live',
    });

    await ensureNamespaces(kc, NAMESPACES);
    const stored = await applyObjects(kc, [...nodeObjects, ...deployments, ...generated]);
    const storedFlux = stored.slice(nodeObjects.length + deployments.length);
    // Events name the objects the server stored (their uid), as a controller's recorder does.
    await applyObjects(kc, warningEvents(storedFlux, { now: genNow, seed: SEED }));
    t = lap(`created ${stored.length} objects with status`, t);

    const version = await kubeRequest(kc, '/version');
    const v = JSON.parse(version.body) as { gitVersion: string; platform: string };
    facts = { serverVersion: v.gitVersion, platform: v.platform, nodes: nodeObjects.length };

    // The independent side: the generator's objects as a dump, with the generator's own CRD stubs.
    const crds = fluxCrdStubs(cp.versions.flux);
    const genEvents = warningEvents(generated, { now: genNow, seed: SEED });
    const genItems = [...crds, ...deployments, ...nodeObjects, ...generated, ...genEvents];
    const first = await run(
      readSnapshotText(dump(genItems, genNow, facts), { file: 'generated.yaml' }),
      genNow,
    );
    const report = staleReport(first.report.spec, genNow);
    await applyObjects(kc, [report]);

    evalNow = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
    genInv = readSnapshotText(dump([...genItems, report], evalNow, facts), { file: 'generated.yaml' });
    gen = await run(genInv, evalNow);

    liveInv = (await acquireInventory({ source: { connect: { kubeconfigPath: cp.adminKubeconfigPath } } }))
      .inventory;
    live = await run(liveInv, evalNow);
    t = lap(`collected ${liveInv.objects.length} Flux objects live and analysed`, t);

    const file = join(dir, 'snapshot.yaml');
    let stderr = '';
    const code = await runCli(['snapshot', '--kubeconfig', cp.adminKubeconfigPath, '--out', file], {
      stdout: () => undefined,
      stderr: (s) => (stderr += s),
      env: {},
    });
    if (code !== 0) throw new Error(`flux-health snapshot exited ${code}: ${stderr}`);
    snapInv = readSnapshotText(await readFile(file, 'utf8'), { file });
    snap = await run(snapInv, evalNow);
    lap('wrote the snapshot, read it back and analysed', t);
    log(`total ${Math.round(performance.now() - t0)} ms`);
  });

  afterAll(async () => {
    await cp?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('holds every kind and every state the generator built, the sync pair, the FluxInstance and the FluxReport', () => {
    expect(liveInv.warnings).toEqual([]);
    expect(liveInv.objects).toHaveLength(generated.length);
    expect(liveInv.kinds.every((k) => k.state === 'listed')).toBe(true);
    for (const kind of GENERATED_KINDS) {
      const built = generated.filter((o) => o.kind === kind);
      // Every state the kind can be in (FluxInstance is a single Ready object).
      if (kind !== 'FluxInstance')
        expect(new Set(built.map(stateOf)), kind).toEqual(new Set(kindInfo(kind).states));
      expect(
        liveInv.objects.filter((o) => o.kind === kind),
        kind,
      ).toHaveLength(built.length);
    }
    for (const kind of ['GitRepository', 'Kustomization'])
      expect(
        liveInv.objects.some(
          (o) => o.kind === kind && o.namespace === FLUX_NAMESPACE && o.name === FLUX_NAMESPACE,
        ),
      ).toBe(true);
    expect(liveInv.objects.some((o) => o.kind === 'FluxInstance' && o.name === 'flux')).toBe(true);
    expect(liveInv.existingReport?.name).toBe('flux');
    expect(liveInv.deployments).toHaveLength(6);
    expect(liveInv.events.length).toBeGreaterThan(0);
    expect(liveInv.cluster).toEqual({
      serverVersion: cp.versions.kubernetes,
      platform: facts.platform,
      nodes: NODE_COUNT,
    });
    expect(snapInv.warnings).toEqual([]);
    expect(genInv.warnings).toEqual([]);
  });

  it('FluxReport: the same spec in every section and the same Ready condition', () => {
    const spec = live.report.spec;
    expect(spec.cluster).toEqual({
      serverVersion: cp.versions.kubernetes,
      platform: facts.platform,
      nodes: NODE_COUNT,
    });
    expect(spec.distribution).toMatchObject({ status: 'Installed', version: cp.versions.flux });
    const broken = spec.components?.find((c) => c.name === BROKEN_CONTROLLER);
    expect(broken).toMatchObject({ ready: false });
    expect(broken?.status).toMatch(/^InProgress /);
    expect(spec.components?.filter((c) => c.ready)).toHaveLength(5);
    expect(spec.reconcilers?.length).toBe(GENERATED_KINDS.length);
    expect(spec.reconcilers?.some((r) => r.stats.totalSize !== undefined)).toBe(true);
    expect(spec.reconcilers?.reduce((n, r) => n + r.stats.failing, 0)).toBeGreaterThan(0);
    expect(spec.reconcilers?.reduce((n, r) => n + r.stats.suspended, 0)).toBeGreaterThan(0);
    expect(spec.sync?.id).toBe(`kustomization/${FLUX_NAMESPACE}`);

    expect(snap.report.spec).toEqual(spec);
    const ready = (a: Analysis) => a.report.status.conditions.find((c) => c.type === 'Ready');
    expect(ready(live)).toBeDefined();
    expect(ready(snap)).toEqual(ready(live));
    expect(snap.report).toEqual(live.report);
    expect(snap.reportYaml).toBe(live.reportYaml);
  });

  it("Flux Health's own section is the same apart from where it came from and when", () => {
    const strip = (a: Analysis) => {
      const { source: _source, checkedAt: _checkedAt, ...rest } = a.health;
      return rest;
    };
    expect(live.health.source.type).toBe('cluster');
    expect(snap.health.source.type).toBe('snapshot');
    expect(live.health.failing.length).toBeGreaterThan(0);
    // The stale FluxReport differs in a component image, a reconciler's failing count and the sync status.
    expect(live.health.existingReport?.differences.length).toBeGreaterThanOrEqual(3);
    expect(strip(snap)).toEqual(strip(live));
  });

  it('the metric series are the same: families, label sets, values and since', () => {
    expect(live.families.length).toBeGreaterThan(0);
    expect(normalised(snap.families)).toEqual(normalised(live.families));
    expect(snap.metricsProm).toBe(live.metricsProm);
  });

  it('the alerts are the same', () => {
    expect(live.alerts.errors).toEqual([]);
    expect(live.alerts.alerts.length).toBeGreaterThan(0);
    expect(snap.alerts).toEqual(live.alerts);
    expect(snap.alertsJson).toBe(live.alertsJson);
  });

  it("the generator's own objects, dumped directly, give the live report's sections and series: collection loses nothing", () => {
    expect(gen.report.spec.distribution).toEqual(live.report.spec.distribution);
    expect(gen.report.spec.cluster).toEqual(live.report.spec.cluster);
    expect(gen.report.spec.components).toEqual(live.report.spec.components);
    expect(gen.report.spec.reconcilers).toEqual(live.report.spec.reconcilers);
    expect(gen.report.spec.sync).toEqual(live.report.spec.sync);
    expect(gen.report.status).toEqual(live.report.status);

    // Modulo what the API server sets: `uid` (a label of the info series) and, for the objects that
    // have no Ready condition (Alert, Provider, OCI HelmRepository), `creationTimestamp`, which is
    // then when their status began: the `since` of their series, the active-at value of their
    // ALERTS_FOR_STATE and the state of their `for:` alerts.
    const readyLess = new Set(
      generated
        .filter(
          (o) =>
            !((o.status?.conditions as { type: string }[] | undefined) ?? []).some((c) => c.type === 'Ready'),
        )
        .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
    );
    expect([...readyLess].map((k) => k.split('/')[0])).not.toContain('Kustomization');
    expect(readyLess.size).toBeGreaterThan(0);
    const modulo = (family: string, x: MetricFamily['series'][number]): MetricFamily['series'][number] => {
      const { uid: _uid, ...labels } = x.labels;
      const kind = labels.kind ?? labels.customresource_kind ?? '';
      const key = `${kind}/${labels.exported_namespace ?? labels.namespace ?? ''}/${labels.name ?? ''}`;
      if (!readyLess.has(key)) return { ...x, labels };
      // Created seconds ago on the server, long ago in the generator: a `for:` alert about such an
      // object (FluxResourceSuspended) is pending live and firing from the dump.
      const { alertstate: _state, ...rest } = labels;
      return { labels: rest, value: family === 'ALERTS_FOR_STATE' ? 0 : x.value, since: 0 };
    };
    expect(normalised(gen.families, modulo)).toEqual(normalised(live.families, modulo));
  });
});
