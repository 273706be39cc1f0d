import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { limitedRules } from './install.js';

function crd(group: string, plural: string, kind: string): V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, kind },
      versions: [{ name: 'v1', served: true, storage: true }],
    },
  };
}

describe('limitedRules', () => {
  const rules = limitedRules([
    crd('kustomize.toolkit.fluxcd.io', 'kustomizations', 'Kustomization'),
    crd('helm.toolkit.fluxcd.io', 'helmreleases', 'HelmRelease'),
    crd('source.toolkit.fluxcd.io', 'ocirepositories', 'OCIRepository'),
    crd('source.toolkit.fluxcd.io', 'gitrepositories', 'GitRepository'),
    crd('fluxcd.controlplane.io', 'fluxinstances', 'FluxInstance'),
  ]);

  it('grants read on every given kind except HelmRelease, and nothing else in their groups', () => {
    expect(rules.filter((r) => r.apiGroups?.some((g) => g.includes('fluxcd')))).toEqual([
      {
        apiGroups: ['fluxcd.controlplane.io'],
        resources: ['fluxinstances'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['kustomize.toolkit.fluxcd.io'],
        resources: ['kustomizations'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['source.toolkit.fluxcd.io'],
        resources: ['gitrepositories', 'ocirepositories'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);
    expect(JSON.stringify(rules)).not.toContain('helmreleases');
  });

  it('grants the cluster facts the Action reads, read-only', () => {
    const resources = rules.flatMap((r) =>
      (r.resources ?? []).map((res) => `${r.apiGroups?.[0] ?? ''}/${res}`),
    );
    expect(resources).toEqual(
      expect.arrayContaining([
        'apiextensions.k8s.io/customresourcedefinitions',
        '/nodes',
        '/namespaces',
        '/events',
        'apps/deployments',
        'events.k8s.io/events',
      ]),
    );
    expect(rules).toContainEqual({ nonResourceURLs: ['/version'], verbs: ['get'] });
    expect(new Set(rules.flatMap((r) => r.verbs))).toEqual(new Set(['get', 'list', 'watch']));
  });
});
