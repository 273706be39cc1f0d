import { describe, expect, it } from 'vitest';
import type { FluxObject } from '../../src/inventory/index.js';
import { resourceStatus } from '../../src/report/resource-status.js';

function obj(kind: string, ready?: [string, string], extra: Partial<FluxObject> = {}): FluxObject {
  return {
    kind,
    apiVersion: 'x/v1',
    namespace: 'ns',
    name: 'n',
    uid: 'u',
    creationTimestamp: '2026-01-01T00:00:00Z',
    reconcileDisabled: { inLabels: false, inAnnotations: false },
    spec: { suspend: false },
    status: {},
    conditions: ready
      ? [
          {
            type: 'Ready',
            status: ready[0],
            reason: ready[1],
            message: 'm',
            lastTransitionTime: '2026-11-21T10:00:00Z',
          },
        ]
      : [],
    ...extra,
  };
}

// The operator web UI's mapping (resource_status.go), which Flux Health uses for per-object state.
describe('resourceStatus', () => {
  it.each([
    {
      name: 'Ready=True',
      o: obj('Kustomization', ['True', 'ReconciliationSucceeded']),
      want: ['Ready', 'm'],
    },
    { name: 'Ready=False', o: obj('Kustomization', ['False', 'BuildFailed']), want: ['Failed', 'm'] },
    {
      name: 'DependencyNotReady',
      o: obj('Kustomization', ['False', 'DependencyNotReady']),
      want: ['Progressing', 'm'],
    },
    {
      name: 'Unknown/Progressing',
      o: obj('Kustomization', ['Unknown', 'Progressing']),
      want: ['Progressing', 'm'],
    },
    {
      name: 'Unknown/Reconciling',
      o: obj('Kustomization', ['Unknown', 'Reconciling']),
      want: ['Progressing', 'm'],
    },
    { name: 'Unknown without reason', o: obj('Kustomization', ['Unknown', '']), want: ['Progressing', 'm'] },
    {
      name: 'Unknown with another reason',
      o: obj('Kustomization', ['Unknown', 'Timeout']),
      want: ['Unknown', 'm'],
    },
    {
      name: 'odd status value',
      o: obj('Kustomization', ['Maybe', 'x']),
      want: ['Unknown', 'No status information available'],
    },
    {
      name: 'no Ready condition',
      o: obj('Kustomization'),
      want: ['Unknown', 'No status information available'],
    },
    { name: 'Alert without status', o: obj('Alert'), want: ['Ready', 'Valid configuration'] },
    {
      name: 'Provider Unknown',
      o: obj('Provider', ['Unknown', 'Other']),
      want: ['Ready', 'Valid configuration'],
    },
    {
      name: 'OCI HelmRepository',
      o: obj('HelmRepository', undefined, { spec: { suspend: false, type: 'oci' } }),
      want: ['Ready', 'Valid configuration'],
    },
    {
      name: 'default HelmRepository',
      o: obj('HelmRepository'),
      want: ['Unknown', 'No status information available'],
    },
    {
      name: 'spec.suspend over Ready=False',
      o: obj('Kustomization', ['False', 'BuildFailed'], { spec: { suspend: true } }),
      want: ['Suspended', 'Reconciliation suspended'],
    },
    {
      name: 'reconcile=disabled label',
      o: obj('ResourceSet', ['True', 'ok'], { reconcileDisabled: { inLabels: true, inAnnotations: false } }),
      want: ['Suspended', 'Reconciliation suspended'],
    },
  ])('$name', ({ o, want }) => {
    const s = resourceStatus(o);
    expect([s.state, s.message]).toEqual(want);
    expect(s.lastReconciled).toBe(o.conditions.length ? '2026-11-21T10:00:00Z' : '2026-01-01T00:00:00Z');
  });
});
