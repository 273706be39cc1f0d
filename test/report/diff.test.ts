import { describe, expect, it } from 'vitest';
import type { ExistingFluxReport } from '../../src/inventory/index.js';
import { diffReports, type FluxReport } from '../../src/report/index.js';

const computed: FluxReport = {
  apiVersion: 'fluxcd.controlplane.io/v1',
  kind: 'FluxReport',
  metadata: { name: 'flux', namespace: 'flux-system' },
  spec: {
    distribution: { entitlement: 'Unknown', status: 'Installed', version: 'v2.7.5' },
    operator: {
      apiVersion: 'fluxcd.controlplane.io/v1',
      name: 'flux-health',
      version: '0.1.0',
      platform: 'linux/amd64',
    },
    components: [{ name: 'source-controller', ready: true, status: 'Current ok', image: 'sc:v1.7.4' }],
    reconcilers: [
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        stats: { running: 1, failing: 0, suspended: 0, totalSize: '1.2 KiB' },
      },
    ],
    sync: { id: 'kustomization/flux-system', ready: true, status: 'Applied' },
  },
  status: { conditions: [] },
};

function existing(spec: Record<string, unknown>): ExistingFluxReport {
  return { namespace: 'flux-system', name: 'flux', spec, conditions: [] };
}

describe('diffReports', () => {
  it.each([
    {
      name: 'identical apart from the operator that wrote it',
      spec: {
        ...computed.spec,
        operator: { apiVersion: 'fluxcd.controlplane.io/v1', version: 'v0.58.1', platform: 'linux/arm64' },
      },
      want: [],
    },
    {
      name: 'a component entry keyed by name, a reconciler entry keyed by apiVersion and kind',
      spec: {
        ...computed.spec,
        components: [{ name: 'source-controller', ready: false, status: 'Current ok', image: 'sc:v1.7.4' }],
        reconcilers: [
          {
            apiVersion: 'source.toolkit.fluxcd.io/v1',
            kind: 'GitRepository',
            stats: { running: 1, failing: 0, suspended: 0 },
          },
        ],
      },
      want: [
        { path: 'spec.components[source-controller].ready', computed: true, existing: false },
        {
          path: 'spec.reconcilers[source.toolkit.fluxcd.io/v1 GitRepository].stats.totalSize',
          computed: '1.2 KiB',
          existing: null,
        },
      ],
    },
    {
      name: 'a section only the existing report has, and one only the computed has',
      spec: {
        distribution: computed.spec.distribution,
        cluster: { serverVersion: 'v1.33.0', platform: 'linux/amd64' },
        components: computed.spec.components,
        reconcilers: computed.spec.reconcilers,
      },
      want: [
        { path: 'spec.sync.id', computed: 'kustomization/flux-system', existing: null },
        { path: 'spec.sync.ready', computed: true, existing: null },
        { path: 'spec.sync.status', computed: 'Applied', existing: null },
        { path: 'spec.cluster.serverVersion', computed: null, existing: 'v1.33.0' },
        { path: 'spec.cluster.platform', computed: null, existing: 'linux/amd64' },
      ],
    },
  ])('$name', ({ spec, want }) => {
    expect(diffReports(computed, existing(spec))).toEqual(want);
  });
});
