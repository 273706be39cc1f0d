import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readSnapshotText } from '../../src/snapshot/read.js';
import {
  GENERATED_KINDS,
  OBJECT_STATES,
  controllerDeployments,
  fluxCrdStubs,
  forApiServer,
  generateFluxObjects,
  nodes,
  stateOf,
  stateQuotas,
  warningEvents,
  type Condition,
  type Json,
  type KubeObject,
} from './flux-objects.js';

const NOW = '2026-11-21T12:00:00Z';
const nowMs = Date.parse(NOW);
const objects = generateFluxObjects({
  seed: 7,
  now: NOW,
  perKind: 30,
  namespaces: ['flux-system', 'apps', 'infra'],
});
const ofKind = (kind: string): KubeObject[] => objects.filter((o) => o.kind === kind);
const ready = (o: KubeObject): Condition | undefined =>
  ((o.status?.conditions as Condition[] | undefined) ?? []).find((c) => c.type === 'Ready');
const artifact = (o: KubeObject): Json | undefined => o.status?.artifact as Json | undefined;

describe('generateFluxObjects', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const opts = { seed: 7, now: NOW, perKind: 30, namespaces: ['flux-system', 'apps', 'infra'] };
    expect(generateFluxObjects(opts)).toEqual(objects);
    const other = generateFluxObjects({ ...opts, seed: 8 });
    expect(other.map((o) => o.metadata.uid)).not.toEqual(objects.map((o) => o.metadata.uid));
  });

  it('makes the requested count per kind, FluxInstance a singleton named flux', () => {
    for (const kind of GENERATED_KINDS)
      expect(ofKind(kind).length, kind).toBe(kind === 'FluxInstance' ? 1 : 30);
    expect(ofKind('FluxInstance')[0]?.metadata).toMatchObject({ name: 'flux', namespace: 'flux-system' });
  });

  it('gives every object identity metadata the API server would have set', () => {
    for (const o of objects) {
      expect(o.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Date.parse(o.metadata.creationTimestamp ?? '')).toBeLessThan(nowMs);
      expect(o.metadata.generation).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(objects.map((o) => o.metadata.uid)).size).toBe(objects.length);
  });

  it('writes observedGeneration and a Ready condition where Flux does, none on static kinds', () => {
    for (const o of objects) {
      const hasConditions = ready(o) !== undefined;
      if (o.kind === 'Alert' || o.kind === 'Provider') {
        expect(o.status).toBeUndefined();
        continue;
      }
      if (o.kind === 'HelmRepository' && o.spec?.type === 'oci') {
        expect(hasConditions).toBe(false);
        continue;
      }
      expect(hasConditions, `${o.kind}/${o.metadata.name}`).toBe(true);
      const operatorOrExternal =
        o.apiVersion.startsWith('fluxcd.controlplane.io/') || o.kind === 'ExternalArtifact';
      if (!operatorOrExternal) expect(o.status?.observedGeneration, o.kind).toBeGreaterThanOrEqual(1);
      expect(Date.parse(ready(o)?.lastTransitionTime ?? '')).toBeLessThan(nowMs);
    }
    expect(ofKind('HelmRepository').some((o) => o.spec?.type === 'oci')).toBe(true);
  });

  it('writes revisions in the formats Flux uses', () => {
    for (const o of ofKind('GitRepository'))
      if (artifact(o)) expect(artifact(o)?.revision).toMatch(/^[^@]+@sha1:[0-9a-f]{40}$/);
    for (const o of ofKind('OCIRepository'))
      if (artifact(o)) expect(artifact(o)?.revision).toMatch(/^([^@]+@)?sha256:[0-9a-f]{64}$/);
    for (const kind of ['Bucket', 'HelmRepository'])
      for (const o of ofKind(kind))
        if (artifact(o)) expect(artifact(o)?.revision).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const o of ofKind('HelmChart'))
      if (artifact(o)) expect(artifact(o)?.revision).toMatch(/^v?\d+\.\d+\.\d+$/);
    for (const o of objects.filter((x) => artifact(x))) {
      expect(artifact(o)?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(artifact(o)?.size).toBeGreaterThan(0);
      expect(Date.parse(String(artifact(o)?.lastUpdateTime))).toBeLessThanOrEqual(nowMs);
    }
    const instance = ofKind('FluxInstance')[0];
    expect(instance?.status?.lastAppliedRevision).toMatch(/^v2\.7\.5@sha256:[0-9a-f]{64}$/);
  });

  it('shapes each state as the controllers do', () => {
    for (const o of objects) {
      const r = ready(o);
      switch (stateOf(o)) {
        case 'failing':
          expect(r?.status).toBe('False');
          expect(r?.reason).not.toBe('DependencyNotReady');
          expect(r?.message.length).toBeGreaterThan(10);
          break;
        case 'progressing': {
          expect(r).toMatchObject({ status: 'Unknown', reason: 'Progressing' });
          const rec = (o.status?.conditions as Condition[]).find((c) => c.type === 'Reconciling');
          expect(rec?.status).toBe('True');
          break;
        }
        case 'suspended':
          if (o.apiVersion.startsWith('fluxcd.controlplane.io/'))
            expect(o.metadata.annotations?.['fluxcd.controlplane.io/reconcile']).toBe('disabled');
          else expect(o.spec?.suspend).toBe(true);
          break;
        case 'dependencyNotReady':
          expect(r).toMatchObject({ status: 'False', reason: 'DependencyNotReady' });
          expect((o.spec?.dependsOn as unknown[]).length).toBeGreaterThan(0);
          break;
        case 'ready':
          break;
      }
    }
    const failingReasons = new Set(
      objects.filter((o) => stateOf(o) === 'failing').map((o) => ready(o)?.reason),
    );
    for (const reason of [
      'BuildFailed',
      'HealthCheckFailed',
      'GitOperationFailed',
      'InstallFailed',
      'UpgradeFailed',
    ])
      expect(failingReasons).toContain(reason);
  });

  it('deals states out exactly by the mix', () => {
    const quotas = stateQuotas(42, OBJECT_STATES, {
      ready: 0.6,
      failing: 0.15,
      suspended: 0.08,
      progressing: 0.09,
      dependencyNotReady: 0.08,
    });
    expect(Object.values(quotas).reduce((a, b) => a + b, 0)).toBe(42);
    for (const s of OBJECT_STATES) expect(quotas[s], s).toBeGreaterThan(0);
    expect(stateQuotas(5, ['ready', 'suspended'], { failing: 1, suspended: 1 })).toMatchObject({
      suspended: 5,
      failing: 0,
    });
    const counts = new Map<string, number>();
    for (const o of ofKind('Kustomization')) counts.set(stateOf(o), (counts.get(stateOf(o)) ?? 0) + 1);
    const expected = stateQuotas(30, OBJECT_STATES, {
      ready: 0.6,
      failing: 0.15,
      suspended: 0.08,
      progressing: 0.09,
      dependencyNotReady: 0.08,
    });
    for (const s of OBJECT_STATES) expect(counts.get(s) ?? 0, s).toBe(expected[s]);
  });

  it('keeps references coherent: a Ready Kustomization applied its Ready source revision', () => {
    const git = new Map(
      ofKind('GitRepository').map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]),
    );
    let checked = 0;
    for (const ks of ofKind('Kustomization')) {
      const ref = ks.spec?.sourceRef as { kind: string; name: string; namespace?: string };
      if (ref.kind !== 'GitRepository' || stateOf(ks) !== 'ready') continue;
      const src = git.get(`${ref.namespace ?? ks.metadata.namespace}/${ref.name}`);
      if (!src || stateOf(src) !== 'ready') continue;
      expect(ks.status?.lastAppliedRevision).toBe(artifact(src)?.revision);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('writes HelmReleases with a chart template or chartRef and a release history', () => {
    const hrs = ofKind('HelmRelease');
    expect(hrs.some((o) => o.spec?.chartRef)).toBe(true);
    expect(hrs.some((o) => (o.spec?.chart as Json | undefined)?.spec)).toBe(true);
    for (const hr of hrs) {
      const history = (hr.status?.history as Json[] | undefined) ?? [];
      if (history.length === 0) continue;
      expect(history[0]).toMatchObject({ chartName: expect.any(String), appVersion: expect.any(String) });
      expect(hr.status?.lastAttemptedRevision).toBe(history[0]?.chartVersion);
    }
  });

  it('gives Ready Receivers a webhook path', () => {
    for (const r of ofKind('Receiver').filter((o) => stateOf(o) === 'ready'))
      expect(r.status?.webhookPath).toMatch(/^\/hook\/[0-9a-f]{64}$/);
  });

  it('includes the bootstrap sync pair in the Flux namespace, Ready', () => {
    const ks = ofKind('Kustomization').find((o) => o.metadata.name === 'flux-system');
    const repo = ofKind('GitRepository').find((o) => o.metadata.name === 'flux-system');
    expect(ks && stateOf(ks)).toBe('ready');
    expect(repo && stateOf(repo)).toBe('ready');
    expect(ks?.spec?.sourceRef).toEqual({ kind: 'GitRepository', name: 'flux-system' });
    expect(
      generateFluxObjects({ seed: 7, now: NOW, perKind: 5, sync: false }).some(
        (o) => o.metadata.name === 'flux-system',
      ),
    ).toBe(false);
  });

  it('splits Ready transitions around the ten-minute mark', () => {
    const ages = objects
      .filter((o) => stateOf(o) !== 'suspended' && ready(o))
      .map((o) => nowMs - Date.parse(ready(o)?.lastTransitionTime ?? ''));
    expect(ages.some((a) => a < 10 * 60_000)).toBe(true);
    expect(ages.some((a) => a > 10 * 60_000)).toBe(true);
    // Never near the edge, so a `for: 10m` test is not decided by a second.
    expect(ages.every((a) => Math.abs(a - 10 * 60_000) >= 10_000)).toBe(true);
  });

  it('scales to 50,000 objects with unique names per kind and namespace', () => {
    const ns = Array.from({ length: 20 }, (_, i) => `ns-${i}`);
    const big = generateFluxObjects({ seed: 'bench', now: NOW, perKind: 3200, namespaces: ns });
    expect(big.length).toBeGreaterThanOrEqual(50_000);
    const keys = new Set(big.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`));
    expect(keys.size).toBe(big.length);
  });
});

describe('forApiServer', () => {
  it('drops server-owned metadata and returns status separately', () => {
    const ks = ofKind('Kustomization')[0] as KubeObject;
    const { object, status } = forApiServer(ks);
    expect(object.metadata).not.toHaveProperty('uid');
    expect(object.metadata).not.toHaveProperty('creationTimestamp');
    expect(object.metadata).not.toHaveProperty('resourceVersion');
    expect(object.metadata).not.toHaveProperty('generation');
    expect(object).not.toHaveProperty('status');
    expect(object.metadata.name).toBe(ks.metadata.name);
    expect(object.spec).toEqual(ks.spec);
    expect(status).toEqual(ks.status);
    // The input is left as it was.
    expect(ks.metadata.uid).toBeDefined();
    expect(forApiServer(ofKind('Alert')[0] as KubeObject).status).toBeUndefined();
  });
});

describe('fluxCrdStubs', () => {
  const crds = fluxCrdStubs('v2.7.5', { legacyStoredVersions: true });

  it('labels the Flux CRDs as an install does, without schemas, and leaves the operator CRDs unlabelled', () => {
    expect(JSON.stringify(crds)).not.toContain('openAPIV3Schema');
    const flux = crds.filter((c) => c.metadata.labels?.['app.kubernetes.io/part-of'] === 'flux');
    expect(flux).toHaveLength(14);
    for (const c of flux) {
      expect(c.metadata.labels).toMatchObject({
        'app.kubernetes.io/instance': 'flux-system',
        'app.kubernetes.io/version': 'v2.7.5',
        'app.kubernetes.io/component': expect.stringMatching(/-controller$/),
      });
      expect(c.spec?.scope).toBe('Namespaced');
    }
    const operator = crds.filter((c) => c.spec?.group === 'fluxcd.controlplane.io');
    expect(operator.map((c) => c.metadata.name).sort()).toEqual([
      'fluxinstances.fluxcd.controlplane.io',
      'fluxreports.fluxcd.controlplane.io',
      'resourcesetinputproviders.fluxcd.controlplane.io',
      'resourcesets.fluxcd.controlplane.io',
    ]);
    for (const c of operator) expect(c.metadata.labels?.['app.kubernetes.io/part-of']).toBeUndefined();
  });

  it('lists the current version last in storedVersions on an upgraded cluster', () => {
    const hr = crds.find((c) => c.metadata.name === 'helmreleases.helm.toolkit.fluxcd.io');
    expect(hr?.status?.storedVersions).toEqual(['v2beta2', 'v2']);
    const alert = crds.find((c) => c.metadata.name === 'alerts.notification.toolkit.fluxcd.io');
    expect(alert?.status?.storedVersions).toEqual(['v1beta2', 'v1beta3']);
  });

  it('rejects a Flux release it has no controller versions for', () => {
    expect(() => fluxCrdStubs('v9.9.9')).toThrow(/unknown Flux release/);
  });
});

describe('a whole generated cluster through the snapshot reader', () => {
  const deployments = controllerDeployments({ now: NOW, notReady: ['helm-controller'] });
  const events = warningEvents(objects, { now: NOW });
  const text = [...fluxCrdStubs(), ...nodes(3, { now: NOW }), ...deployments, ...objects, ...events]
    .map((o) => stringify(o, { lineWidth: 0 }))
    .join('---\n');
  const inv = readSnapshotText(text, { file: 'generated.yaml', now: new Date(NOW) });

  it('discovers every kind and reads every object', () => {
    expect(inv.kinds.every((k) => k.state === 'listed')).toBe(true);
    expect(inv.kinds).toHaveLength(17);
    expect(inv.objects).toHaveLength(objects.length);
    expect(inv.cluster.nodes).toBe(3);
    expect(inv.warnings).toEqual(['server version unknown: the snapshot has no ClusterFacts document']);
  });

  it('reads the six controllers, the not-ready one as unavailable', () => {
    expect(inv.deployments.map((d) => d.name)).toEqual([
      'helm-controller',
      'image-automation-controller',
      'image-reflector-controller',
      'kustomize-controller',
      'notification-controller',
      'source-controller',
    ]);
    for (const d of inv.deployments) {
      expect(d.image).toMatch(new RegExp(`^ghcr\\.io/fluxcd/${d.name}:v1\\.\\d+\\.\\d+$`));
      const available = d.conditions.find((c) => c.type === 'Available')?.status;
      expect(available, d.name).toBe(d.name === 'helm-controller' ? 'False' : 'True');
    }
  });

  it('has one Warning event per failing object, about that object', () => {
    const failing = objects.filter((o) => stateOf(o) === 'failing');
    expect(events).toHaveLength(failing.length);
    expect(inv.events).toHaveLength(failing.length);
    for (const e of events) {
      const target = failing.find(
        (o) =>
          o.metadata.name === (e.involvedObject as Json).name &&
          o.metadata.namespace === (e.involvedObject as Json).namespace &&
          o.kind === (e.involvedObject as Json).kind,
      );
      expect(e.type).toBe('Warning');
      expect(e.reason).toBe(target && ready(target)?.reason);
      expect(Date.parse(String(e.lastTimestamp))).toBeLessThanOrEqual(nowMs);
    }
  });
});
