import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FluxObject } from '../../src/inventory/index.js';
import { readSnapshotText } from '../../src/snapshot/read.js';
import {
  DEMO_BROKEN_CONTROLLER,
  DEMO_COLLECTED_AT,
  DEMO_FILE,
  DEMO_NAMESPACES,
  HOSTILE_MESSAGE,
  demoSnapshotText,
} from '../../scripts/gen-demo.js';
import { FLUX_KINDS, FLUX_RELEASES, type ObjectState } from '../support/flux-objects.js';

const text = readFileSync(DEMO_FILE, 'utf8');
const inv = readSnapshotText(text, { file: 'examples/demo-cluster.yaml' });
const now = Date.parse(DEMO_COLLECTED_AT);
const TEN_MINUTES = 10 * 60 * 1000;

/** The state an object is in, read the way the operator's report reads it. */
function stateOf(o: FluxObject): ObjectState | 'static' {
  if (o.spec.suspend || o.reconcileDisabled.inAnnotations || o.reconcileDisabled.inLabels) return 'suspended';
  const ready = o.conditions.find((c) => c.type === 'Ready');
  if (!ready) return 'static';
  if (ready.status === 'True') return 'ready';
  if (ready.status === 'Unknown') {
    expect(ready.reason).toBe('Progressing');
    expect(o.conditions.find((c) => c.type === 'Reconciling')?.status).toBe('True');
    return 'progressing';
  }
  return ready.reason === 'DependencyNotReady' ? 'dependencyNotReady' : 'failing';
}

const readyAge = (o: FluxObject): number =>
  now - Date.parse(o.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');

describe('examples/demo-cluster.yaml', () => {
  it('is exactly what `npm run demo:generate` writes', () => {
    // Compare lengths first so a stale file fails with a short message, then the text itself.
    const generated = demoSnapshotText();
    expect(text.length).toBe(generated.length);
    expect(text === generated).toBe(true);
  });

  it('reads without warnings, with the collection time and cluster facts', () => {
    expect(inv.warnings).toEqual([]);
    expect(inv.collectedAt).toBe('2026-11-21T12:00:00Z');
    expect(inv.namespace).toBe('flux-system');
    expect(inv.cluster.serverVersion).toMatch(/^v1\.33\.\d+$/);
    expect(inv.cluster.platform).toBe('linux/amd64');
    expect(inv.cluster.nodes).toBe(2);
    expect(text.match(/^ {2}"kind": "Node",$/gm)).toHaveLength(2);
  });

  it('lists every Flux 2.7 kind from labelled CRDs, each with at least 40 objects', () => {
    const listed = inv.kinds.filter((k) => !k.operator);
    expect(listed.map((k) => `${k.group}/${k.version}/${k.kind}`).sort()).toEqual(
      FLUX_KINDS.map((k) => `${k.group}/${k.version}/${k.kind}`).sort(),
    );
    for (const k of listed) {
      expect(k.state, k.kind).toBe('listed');
      expect(k.count, k.kind).toBeGreaterThanOrEqual(40);
    }
    for (const crd of inv.crds) {
      expect(crd.labels['app.kubernetes.io/part-of']).toBe('flux');
      expect(crd.labels['app.kubernetes.io/version']).toBe('v2.7.5');
      expect(crd.labels['app.kubernetes.io/component']).toMatch(/-controller$/);
    }
  });

  it('has the operator kinds: one FluxInstance named flux, at least 40 ResourceSets and input providers', () => {
    const op = Object.fromEntries(inv.kinds.filter((k) => k.operator).map((k) => [k.kind, k.count]));
    expect(op).toEqual({
      FluxInstance: 1,
      ResourceSet: expect.any(Number),
      ResourceSetInputProvider: expect.any(Number),
    });
    expect(op.ResourceSet).toBeGreaterThanOrEqual(40);
    expect(op.ResourceSetInputProvider).toBeGreaterThanOrEqual(40);
    const instance = inv.objects.find((o) => o.kind === 'FluxInstance');
    expect(instance).toMatchObject({ namespace: 'flux-system', name: 'flux' });
    expect(instance?.spec.distribution?.version).toBe('2.7.x');
    expect(instance?.spec.sync).toMatchObject({ kind: 'GitRepository', path: './clusters/production' });
  });

  it('spreads objects over several namespaces', () => {
    const namespaces = new Set(inv.objects.map((o) => o.namespace));
    expect([...namespaces].sort()).toEqual([...DEMO_NAMESPACES].sort());
  });

  it('has every state among the reconcilable kinds, and each kind in every state it can take', () => {
    const byKind = new Map<string, Set<string>>();
    for (const o of inv.objects) {
      const set = byKind.get(o.kind) ?? new Set();
      set.add(stateOf(o));
      byKind.set(o.kind, set);
    }
    const all = new Set([...byKind.values()].flatMap((s) => [...s]));
    for (const s of ['ready', 'failing', 'suspended', 'progressing', 'dependencyNotReady'])
      expect(all).toContain(s);
    for (const kind of ['Kustomization', 'HelmRelease', 'ResourceSet'])
      expect([...(byKind.get(kind) ?? [])].sort(), kind).toEqual([
        'dependencyNotReady',
        'failing',
        'progressing',
        'ready',
        'suspended',
      ]);
    for (const kind of [
      'GitRepository',
      'OCIRepository',
      'HelmChart',
      'Bucket',
      'Receiver',
      'ImageRepository',
      'ImagePolicy',
      'ImageUpdateAutomation',
      'ResourceSetInputProvider',
    ])
      expect([...(byKind.get(kind) ?? [])].sort(), kind).toEqual([
        'failing',
        'progressing',
        'ready',
        'suspended',
      ]);
    // Alert and Provider have no status; some OCI HelmRepositories have no conditions either.
    expect([...(byKind.get('Alert') ?? [])].sort()).toEqual(['static', 'suspended']);
    expect(byKind.get('HelmRepository')).toContain('static');
  });

  it('has DependencyNotReady objects that name their dependencies', () => {
    const blocked = inv.objects.filter((o) => stateOf(o) === 'dependencyNotReady');
    expect(blocked.length).toBeGreaterThan(0);
    for (const o of blocked)
      expect(o.spec.dependsOn?.length, `${o.kind}/${o.namespace}/${o.name}`).toBeGreaterThan(0);
  });

  it('has failing objects whose Ready transition is older, and others newer, than ten minutes', () => {
    const failing = inv.objects.filter((o) => stateOf(o) === 'failing');
    expect(failing.some((o) => readyAge(o) > TEN_MINUTES)).toBe(true);
    expect(failing.some((o) => readyAge(o) < TEN_MINUTES)).toBe(true);
    // Every Ready transition is in the past.
    for (const o of inv.objects.filter((x) => x.conditions.length > 0))
      expect(readyAge(o)).toBeGreaterThan(0);
  });

  it('has the six controllers at the Flux 2.7.5 images, one of them unavailable', () => {
    const release = FLUX_RELEASES['v2.7.5'] ?? {};
    expect(inv.deployments.map((d) => d.image)).toEqual(
      Object.entries(release)
        .map(([name, version]) => `ghcr.io/fluxcd/${name}:${version}`)
        .sort(),
    );
    const unavailable = inv.deployments.filter((d) => (d.status.availableReplicas ?? 0) < (d.replicas ?? 1));
    expect(unavailable.map((d) => d.name)).toEqual([DEMO_BROKEN_CONTROLLER]);
  });

  it('has the bootstrap sync: Kustomization and GitRepository flux-system, both Ready', () => {
    const ks = inv.objects.find(
      (o) => o.kind === 'Kustomization' && o.namespace === 'flux-system' && o.name === 'flux-system',
    );
    const repo = inv.objects.find(
      (o) => o.kind === 'GitRepository' && o.namespace === 'flux-system' && o.name === 'flux-system',
    );
    expect(ks?.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'flux-system' });
    expect(ks && stateOf(ks)).toBe('ready');
    expect(repo && stateOf(repo)).toBe('ready');
    expect(ks?.status.lastAppliedRevision).toBe(repo?.status.artifact?.revision);
    expect(repo?.status.artifact?.revision).toMatch(/^refs\/heads\/main@sha1:[0-9a-f]{40}$/);
  });

  it('keeps an existing FluxReport that disagrees with the cluster now (stale)', () => {
    const report = inv.existingReport;
    expect(report).toBeDefined();
    const components = report?.spec.components as { name: string; ready: boolean }[];
    expect(components.find((c) => c.name === DEMO_BROKEN_CONTROLLER)?.ready).toBe(true);
    const sync = report?.spec.sync as { status: string };
    const ks = inv.objects.find((o) => o.kind === 'Kustomization' && o.name === 'flux-system');
    expect(sync.status).toMatch(/^Applied revision: refs\/heads\/main@sha1:/);
    expect(sync.status).not.toContain(ks?.status.lastAppliedRevision ?? '-');
  });

  it('has Warning events for failing objects, including one hostile message', () => {
    expect(inv.events.length).toBeGreaterThan(40);
    const failing = new Set(
      inv.objects.filter((o) => stateOf(o) === 'failing').map((o) => `${o.kind}/${o.namespace}/${o.name}`),
    );
    for (const e of inv.events) expect(failing).toContain(`${e.involvedKind}/${e.namespace}/${e.name}`);
    expect(inv.events.map((e) => e.message)).toContain(HOSTILE_MESSAGE);
    expect(HOSTILE_MESSAGE).toMatch(/<!--/);
    expect(HOSTILE_MESSAGE).toMatch(/@octocat/);
  });
});
