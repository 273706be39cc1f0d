import { describe, expect, it } from 'vitest';
import type { FluxObject, Inventory, KindResult } from '../../src/inventory/index.js';
import { buildSeries } from '../../src/metrics/index.js';
import { buildFluxReport, buildHealthSection, computeSpec } from '../../src/report/index.js';
import { fluxCrds } from '../metrics/synthetic.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const TOOL = { version: '0.1.0', platform: 'linux/amd64' };

function object(kind: string, apiVersion: string, name: string, extra: Partial<FluxObject> = {}): FluxObject {
  return {
    kind,
    apiVersion,
    namespace: 'flux-system',
    name,
    uid: `uid-${name}`,
    reconcileDisabled: { inLabels: false, inAnnotations: false },
    spec: { suspend: false },
    status: {},
    conditions: [],
    ...extra,
  };
}

const OPERATOR = (state: KindResult['state']): KindResult[] =>
  ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider'].map((kind) => ({
    group: 'fluxcd.controlplane.io',
    version: 'v1',
    kind,
    plural: `${kind.toLowerCase()}s`,
    operator: true,
    state,
    count: 0,
  }));

function inventory(kinds: KindResult[], objects: FluxObject[] = []): Inventory {
  return {
    source: { type: 'snapshot', file: 'test' },
    collectedAt: NOW.toISOString(),
    namespace: 'flux-system',
    cluster: { serverVersion: 'v1.33.0', platform: 'linux/amd64', nodes: 1 },
    crds: fluxCrds().filter((c) => ['Kustomization', 'GitRepository'].includes(c.kind)),
    kinds,
    objects,
    deployments: [],
    events: [],
    warnings: [],
  };
}

const LISTED: KindResult[] = [
  {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'Kustomization',
    plural: 'kustomizations',
    operator: false,
    state: 'listed',
    count: 0,
  },
  {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'GitRepository',
    plural: 'gitrepositories',
    operator: false,
    state: 'listed',
    count: 0,
  },
];

describe("the operator's early returns", () => {
  it.each([
    {
      name: 'operator CRDs absent (operator not installed): their entries are left out, nothing else changes',
      kinds: [...LISTED, ...OPERATOR('missing')],
      reconcilers: [
        'kustomize.toolkit.fluxcd.io/v1 Kustomization',
        'source.toolkit.fluxcd.io/v1 GitRepository',
      ],
      stop: undefined,
    },
    {
      name: 'operator kinds listed: all three entries, first in byte order',
      kinds: [...LISTED, ...OPERATOR('listed')],
      reconcilers: [
        'fluxcd.controlplane.io/v1 FluxInstance',
        'fluxcd.controlplane.io/v1 ResourceSet',
        'fluxcd.controlplane.io/v1 ResourceSetInputProvider',
        'kustomize.toolkit.fluxcd.io/v1 Kustomization',
        'source.toolkit.fluxcd.io/v1 GitRepository',
      ],
      stop: undefined,
    },
    {
      name: 'an operator kind forbidden: the aggregated List error drops every reconciler',
      kinds: [...LISTED, ...OPERATOR('forbidden')],
      reconcilers: undefined,
      stop: 'reconcilers',
    },
    {
      name: 'a Flux kind whose chosen version is no longer served (missing): reconcilers dropped',
      kinds: [
        {
          ...LISTED[0]!,
          state: 'missing' as const,
          error: 'the server could not find the requested resource',
        },
        LISTED[1]!,
      ],
      reconcilers: undefined,
      stop: 'reconcilers',
    },
  ])('$name', ({ kinds, reconcilers, stop }) => {
    const computed = computeSpec(inventory(kinds));
    expect(computed.spec.reconcilers?.map((r) => `${r.apiVersion} ${r.kind}`)).toEqual(reconcilers);
    expect(computed.stop?.step).toBe(stop);
    if (stop) expect(computed.spec.sync).toBeUndefined();
  });
});

describe('failing counts', () => {
  it('counts each Ready=False condition, like the Go loop, and the Flux Health section lists the object once', () => {
    const ready = { type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'boom' };
    const inv = inventory(LISTED, [
      object('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'twice', { conditions: [ready, ready] }),
    ]);
    const report = buildFluxReport(inv, { now: NOW, operator: TOOL });
    expect(report.spec.reconcilers?.find((r) => r.kind === 'Kustomization')?.stats.failing).toBe(2);
    expect(buildHealthSection(inv, report, { now: NOW, operator: TOOL }).failing.map((f) => f.name)).toEqual([
      'twice',
    ]);
  });
});

describe('flux_instance_info', () => {
  const instance = (namespace: string, name: string, extra: Partial<FluxObject> = {}) =>
    object('FluxInstance', 'fluxcd.controlplane.io/v1', name, { namespace, ...extra });
  it.each([
    {
      name: 'the instance in the Flux namespace wins',
      objects: [instance('aaa', 'flux'), instance('flux-system', 'flux')],
      want: ['flux-system/flux'],
    },
    {
      name: 'else the first by namespace and name',
      objects: [instance('zzz', 'flux'), instance('bbb', 'flux')],
      want: ['bbb/flux'],
    },
    {
      name: 'an instance being deleted has no series',
      objects: [instance('flux-system', 'flux', { deletionTimestamp: '2026-11-21T11:00:00Z' })],
      want: [],
    },
  ])('$name', ({ objects, want }) => {
    const fam = buildSeries(inventory([...LISTED, ...OPERATOR('listed')], objects), {
      now: NOW,
      tool: TOOL,
    }).find((f) => f.name === 'flux_instance_info');
    expect(fam?.series.map((s) => `${s.labels.exported_namespace}/${s.labels.name}`)).toEqual(want);
  });
});

describe('since', () => {
  it('is the Ready transition, else the creation time, else the collection time', () => {
    const objects = [
      object('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'a', {
        creationTimestamp: '2026-01-01T00:00:00Z',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'ok',
            message: '',
            lastTransitionTime: '2026-11-20T08:00:00Z',
          },
        ],
      }),
      object('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'b', {
        creationTimestamp: '2026-01-01T00:00:00Z',
      }),
      object('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'c'),
    ];
    const fam = buildSeries(inventory(LISTED, objects), { now: NOW, tool: TOOL }).find(
      (f) => f.name === 'flux_resource_info',
    );
    expect(fam?.series.map((s) => new Date(s.since).toISOString())).toEqual([
      '2026-11-20T08:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      NOW.toISOString(),
    ]);
  });
});
