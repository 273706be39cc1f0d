import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { normalizeUrl, planWait, sourceKeyOf } from '../../src/wait/plan.js';
import { parseSelector, parseSelectors } from '../../src/wait/selection.js';
import {
  SHA_A,
  SHA_B,
  gitRepository,
  helmChart,
  helmRelease,
  helmRepository,
  kustomization,
  ociRepository,
  rev,
} from './builders.js';

const keys = (plan: ReturnType<typeof planWait>): string[] => plan.nodes.map((n) => n.key);

describe('selectors', () => {
  it('parses kind/namespace/name and kind/name with aliases', () => {
    expect(parseSelector('kustomization/flux-system/apps')).toEqual({
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
    });
    expect(parseSelector('hr/podinfo')).toEqual({ kind: 'HelmRelease', name: 'podinfo' });
    expect(parseSelector('GitRepository/flux-system/flux-system', 'source').kind).toBe('GitRepository');
    expect(parseSelectors('ks/a/b, hr/c/d\nks/e')).toHaveLength(3);
  });

  it.each(['apps', 'kustomization/', 'gitrepository/a/b', 'deployment/a/b', 'ks/a/b/c'])(
    'rejects %j with a one-line ConfigError',
    (text) => {
      expect(() => parseSelector(text)).toThrow(ConfigError);
    },
  );
});

describe('planWait', () => {
  it('selects every Kustomization and HelmRelease by default, with sources before their consumers', () => {
    const plan = planWait(
      [
        gitRepository('flux-system', 'repo', rev(SHA_A)),
        kustomization('flux-system', 'apps', { applied: rev(SHA_A), dependsOn: [{ name: 'infra' }] }),
        kustomization('flux-system', 'infra', { applied: rev(SHA_A) }),
      ],
      {},
      SHA_B,
    );
    expect(keys(plan)).toEqual([
      'GitRepository/flux-system/repo',
      'Kustomization/flux-system/infra',
      'Kustomization/flux-system/apps',
    ]);
    expect(plan.nodes.map((n) => n.role)).toEqual(['source', 'selected', 'selected']);
  });

  it('narrows by namespace, and pulls in dependencies and sources from elsewhere', () => {
    const plan = planWait(
      [
        gitRepository('shared', 'repo', rev(SHA_A)),
        kustomization('infra', 'base', { source: { name: 'repo', namespace: 'shared' } }),
        kustomization('team', 'app', {
          source: { name: 'repo', namespace: 'shared' },
          dependsOn: [{ name: 'base', namespace: 'infra' }],
        }),
        kustomization('other', 'unrelated', { source: { name: 'repo', namespace: 'shared' } }),
      ],
      { namespaces: ['team'] },
      SHA_B,
    );
    expect(plan.nodes.map((n) => [n.key, n.role])).toEqual([
      ['GitRepository/shared/repo', 'source'],
      ['Kustomization/infra/base', 'dependency'],
      ['Kustomization/team/app', 'selected'],
    ]);
  });

  it('keeps a named object that does not exist yet', () => {
    const plan = planWait([], { names: [parseSelector('ks/apps/web')] }, SHA_B);
    expect(keys(plan)).toEqual(['Kustomization/apps/web']);
    expect(plan.nodes[0]?.object).toBeUndefined();
  });

  it('follows HelmRelease chartRef and spec.chart to the HelmChart and its source', () => {
    const viaRef = helmRelease('apps', 'oci', { chartRef: { kind: 'OCIRepository', name: 'podinfo' } });
    expect(sourceKeyOf(viaRef)).toBe('OCIRepository/apps/podinfo');
    const viaChart = helmRelease('apps', 'web', {
      chart: {
        chart: 'web',
        sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' },
      },
    });
    expect(sourceKeyOf(viaChart)).toBe('HelmChart/flux-system/apps-web');
    const chart = helmChart('flux-system', 'apps-web', { kind: 'HelmRepository', name: 'charts' }, '1.0.0');
    const plan = planWait(
      [viaChart, chart, helmRepository('flux-system', 'charts', 'sha256:' + '1'.repeat(64))],
      {},
      '1.0.0',
    );
    expect(keys(plan)).toEqual([
      'HelmRepository/flux-system/charts',
      'HelmChart/flux-system/apps-web',
      'HelmRelease/apps/web',
    ]);
  });

  it('reports dependsOn cycles with their path', () => {
    const plan = planWait(
      [
        gitRepository('ns', 'repo', rev(SHA_A)),
        kustomization('ns', 'a', { dependsOn: [{ name: 'b' }] }),
        kustomization('ns', 'b', { dependsOn: [{ name: 'c' }] }),
        kustomization('ns', 'c', { dependsOn: [{ name: 'a' }] }),
      ],
      {},
      SHA_B,
    );
    expect(plan.cycles).toEqual([
      ['Kustomization/ns/a', 'Kustomization/ns/b', 'Kustomization/ns/c', 'Kustomization/ns/a'],
    ]);
  });

  describe('which nodes must reach the expected revision', () => {
    const objects = [
      gitRepository('flux-system', 'flux-system', rev(SHA_B), { url: 'ssh://git@github.com/org/fleet.git' }),
      gitRepository('flux-system', 'twin', rev(SHA_A), { url: 'https://github.com/org/fleet' }),
      gitRepository('flux-system', 'release', rev(SHA_A, 'release'), {
        url: 'https://github.com/org/fleet',
        branch: 'release',
      }),
      gitRepository('flux-system', 'other', rev(SHA_A), { url: 'https://github.com/org/other' }),
      kustomization('flux-system', 'apps', { source: { name: 'flux-system' } }),
      kustomization('flux-system', 'twin-apps', { source: { name: 'twin' } }),
      kustomization('flux-system', 'release-apps', { source: { name: 'release' } }),
      kustomization('flux-system', 'other-apps', { source: { name: 'other' } }),
    ];

    it('the source at the expected revision, sources of the same URL and ref, and what consumes them', () => {
      const plan = planWait(objects, {}, SHA_B);
      expect(plan.pushSeen).toBe(true);
      expect(plan.pushed.sort()).toEqual([
        'GitRepository/flux-system/flux-system',
        'GitRepository/flux-system/twin',
      ]);
      const required = Object.fromEntries(plan.nodes.map((n) => [n.name, n.required]));
      expect(required).toEqual({
        'flux-system': true,
        twin: true,
        release: false,
        other: false,
        apps: true,
        'twin-apps': true,
        'release-apps': false,
        'other-apps': false,
      });
    });

    it('every source while none has fetched the expected revision', () => {
      const plan = planWait(objects, {}, 'c0ffee0');
      expect(plan.pushSeen).toBe(false);
      expect(plan.nodes.every((n) => n.required)).toBe(true);
    });

    it('only the named sources when the selection names them', () => {
      const plan = planWait(
        objects,
        { sources: [parseSelector('gitrepository/flux-system/other', 'source')] },
        SHA_B,
      );
      expect(plan.nodes.filter((n) => n.required).map((n) => n.name)).toEqual(['other', 'other-apps']);
    });

    it('a HelmRelease through its HelmChart from the pushed GitRepository', () => {
      const plan = planWait(
        [
          gitRepository('ns', 'repo', rev(SHA_B)),
          helmChart('ns', 'ns-web', { kind: 'GitRepository', name: 'repo' }, '1.0.0'),
          helmRelease('ns', 'web', {
            chart: { chart: './charts/web', sourceRef: { kind: 'GitRepository', name: 'repo' } },
          }),
          ociRepository('ns', 'podinfo', 'latest@sha256:' + 'c'.repeat(64)),
          helmRelease('ns', 'podinfo', { chartRef: { kind: 'OCIRepository', name: 'podinfo' } }),
        ],
        {},
        SHA_B,
      );
      expect(Object.fromEntries(plan.nodes.map((n) => [n.key, n.required]))).toEqual({
        'GitRepository/ns/repo': true,
        'HelmChart/ns/ns-web': true,
        'HelmRelease/ns/web': true,
        'OCIRepository/ns/podinfo': false,
        'HelmRelease/ns/podinfo': false,
      });
    });
  });

  it('normalizes Git URLs to host and path', () => {
    expect(normalizeUrl('git@github.com:Org/Repo.git')).toBe('github.com/org/repo');
    expect(normalizeUrl('ssh://git@github.com/org/repo')).toBe('github.com/org/repo');
    expect(normalizeUrl('https://github.com/org/repo/')).toBe('github.com/org/repo');
    expect(normalizeUrl('ssh://git@example.com:2222/org/repo')).toBe('example.com:2222/org/repo');
  });
});
