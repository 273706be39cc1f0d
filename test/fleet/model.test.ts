/**
 * The fleet matrix and its Markdown, from runs described in a line each: which baseline each
 * shared Kustomization is compared with, when a commit counts as live on a cluster, which Flux
 * version is the odd one out, the exit code, and that every cluster string is escaped.
 */
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/fleet/run-record.js';
import type { ClusterRun, FleetRead } from '../../src/fleet/read.js';
import { buildFleet } from '../../src/fleet/model.js';
import { renderFleetJson, renderFleetMarkdown, shortRevision } from '../../src/fleet/render.js';
import { splitRow } from '../fakes/markdown-reader.js';
import { rev } from './cluster-snapshot.js';

interface RunSpec {
  name: string;
  level?: RunRecord['verdict']['level'];
  /** Default: the gate failed exactly when the level is failing or error. */
  gateFailed?: boolean;
  version?: string | null;
  /** `namespace/name` → applied revision. */
  ks?: Record<string, string>;
  failing?: number;
  firing?: number;
}

function run(spec: RunSpec): ClusterRun {
  const level = spec.level ?? 'healthy';
  const judged = level !== 'error';
  return {
    name: spec.name,
    folder: `runs/${spec.name}`,
    record: {
      kind: 'FluxHealthRun',
      version: 1,
      tool: { name: 'flux-health', version: '0.1.0' },
      verdict: {
        level,
        ready: level === 'healthy',
        exitCode: level === 'error' ? 3 : 0,
        gateFailed: spec.gateFailed ?? (level === 'failing' || level === 'error'),
        gate: 'g',
        headline: `${level}: because`,
        reasons: [],
      },
      kustomizations: Object.entries(spec.ks ?? {}).map(([id, applied]) => {
        const [namespace, name] = id.split('/') as [string, string];
        return { namespace, name, applied, state: 'Ready' as const };
      }),
    },
    ...(judged
      ? {
          report: {
            installed: spec.version !== null,
            ...(spec.version ? { fluxVersion: spec.version } : {}),
            failing: spec.failing ?? 0,
          },
          alerts: { firing: spec.firing ?? 0, pending: 0, firingByName: {} },
        }
      : {}),
  };
}

const fleetOf = (specs: RunSpec[], revision?: string, problems: FleetRead['problems'] = []) =>
  buildFleet({ runs: specs.map(run), problems }, revision ? { revision } : {});

const FS = 'flux-system/flux-system';
const APPS = 'flux-system/apps';

describe('shared Kustomizations', () => {
  it('are those on two clusters or more, compared with the majority, the differing ones first', () => {
    const fleet = fleetOf([
      { name: 'a', ks: { [FS]: rev('1'), [APPS]: rev('1'), 'x/only-here': rev('1') } },
      { name: 'b', ks: { [FS]: rev('1'), [APPS]: rev('1') } },
      { name: 'c', ks: { [FS]: rev('1'), [APPS]: rev('2') } },
    ]);
    expect(fleet.shared.map((k) => [k.id, k.baseline, k.baselineIs, k.differ.map((d) => d.cluster)])).toEqual(
      [
        [APPS, rev('1'), 'majority', ['c']],
        [FS, rev('1'), 'majority', []],
      ],
    );
    expect(fleet.exitCode).toBe(0);
  });

  it('a tie goes to the revision sorting first, whatever the order of the runs', () => {
    const runs: RunSpec[] = [
      { name: 'a', ks: { [FS]: rev('2') } },
      { name: 'b', ks: { [FS]: rev('1') } },
    ];
    expect(fleetOf(runs).shared[0]?.baseline).toBe(rev('1'));
    expect(fleetOf([...runs].reverse()).shared[0]?.baseline).toBe(rev('1'));
  });

  it('with a revision asked, the Kustomizations that applied it somewhere are compared with it', () => {
    const fleet = fleetOf(
      [
        { name: 'a', ks: { [FS]: rev('1'), [APPS]: rev('9') } },
        { name: 'b', ks: { [FS]: rev('2'), [APPS]: rev('9') } },
        { name: 'c', ks: { [FS]: rev('2'), [APPS]: rev('9') } },
      ],
      '1111111',
    );
    expect(fleet.shared.map((k) => [k.id, k.baseline, k.baselineIs, k.differ.map((d) => d.cluster)])).toEqual(
      [
        [FS, '1111111', 'revision', ['b', 'c']],
        [APPS, rev('9'), 'majority', []],
      ],
    );
  });
});

describe('is the commit live everywhere?', () => {
  const cases: [string, RunSpec[], string, string[], [string, boolean, string[]][]][] = [
    [
      'a short SHA matches the full revision everywhere',
      [
        { name: 'a', ks: { [FS]: rev('1') } },
        { name: 'b', ks: { [FS]: rev('1') } },
      ],
      '1111111',
      ['a', 'b'],
      [],
    ],
    [
      'a partial rollout: one Kustomization of the cluster still on the old commit',
      [
        { name: 'a', ks: { [FS]: rev('1'), [APPS]: rev('1') } },
        { name: 'b', ks: { [FS]: rev('1'), [APPS]: rev('0') } },
      ],
      rev('1'),
      ['a'],
      [['b', true, [APPS]]],
    ],
    [
      'a cluster with none of the Kustomizations that carry it',
      [
        { name: 'a', ks: { [FS]: rev('1') } },
        { name: 'b', ks: { 'other/ks': rev('1') } },
        { name: 'c', ks: {} },
      ],
      rev('1'),
      ['a', 'b'],
      [['c', true, []]],
    ],
    [
      'a run that could not finish is not checked',
      [
        { name: 'a', ks: { [FS]: rev('1') } },
        { name: 'b', level: 'error' },
      ],
      rev('1'),
      ['a'],
      [['b', false, []]],
    ],
    [
      'a commit no cluster applied is live nowhere',
      [{ name: 'a', ks: { [FS]: rev('1') } }],
      '2222222',
      [],
      [['a', true, []]],
    ],
  ];
  it.each(cases)('%s', (_name, specs, revision, live, missing) => {
    const r = fleetOf(specs, revision).revision;
    expect(r?.live).toEqual(live);
    expect(r?.missing.map((m) => [m.cluster, m.checked, m.at.map((a) => a.id)])).toEqual(missing);
  });
});

describe('Flux versions', () => {
  it('names the clusters that differ from the most common one; runs without a report are left out', () => {
    const v = fleetOf([
      { name: 'a', version: 'v2.7.5' },
      { name: 'b', version: 'v2.7.5' },
      { name: 'c', version: 'v2.6.4' },
      { name: 'd', version: null },
      { name: 'e', version: undefined },
      { name: 'f', level: 'error' },
    ]).fluxVersions;
    expect(v).toEqual({
      common: 'v2.7.5',
      on: 2,
      of: 5,
      differ: [
        { cluster: 'c', version: 'v2.6.4' },
        { cluster: 'd', version: 'not installed' },
        { cluster: 'e', version: 'unknown' },
      ],
    });
  });
});

describe('the Flux version line', () => {
  it.each([
    [
      [
        { name: 'a', version: 'v2.7.5' },
        { name: 'b', version: 'v2.7.5' },
      ],
      'Flux `v2.7.5` on both clusters.',
    ],
    [
      [
        { name: 'a', version: 'v2.7.5' },
        { name: 'b', version: null },
        { name: 'c', version: 'v2.7.5' },
      ],
      'Flux `v2.7.5` on 2 of 3 clusters; different: b (not installed).',
    ],
    [
      [
        { name: 'a', version: undefined },
        { name: 'b', version: null },
      ],
      'No cluster reports a Flux version: a (unknown), b (not installed).',
    ],
  ] as [RunSpec[], string][])('%#: %s', (specs, line) => {
    expect(renderFleetMarkdown(fleetOf(specs)).split('\n\n')).toContain(line);
  });
  it('is left out when no run has a report', () => {
    expect(renderFleetMarkdown(fleetOf([{ name: 'a', level: 'error' }]))).not.toMatch(/Flux `|Flux version/);
  });
});

describe('the exit code', () => {
  const cases: [string, RunSpec[], string | undefined, number, number][] = [
    ['every gate passed', [{ name: 'a' }, { name: 'b', level: 'degraded' }], undefined, 0, 0],
    [
      'failing with the gate disabled still passes',
      [{ name: 'a', level: 'failing', gateFailed: false }],
      undefined,
      0,
      0,
    ],
    ['a gate failed', [{ name: 'a' }, { name: 'b', level: 'failing' }], undefined, 0, 1],
    ['a run could not finish', [{ name: 'a' }, { name: 'b', level: 'error' }], undefined, 0, 1],
    ['a run could not be read', [{ name: 'a' }], undefined, 1, 1],
    [
      'the commit is not live everywhere',
      [
        { name: 'a', ks: { [FS]: rev('1') } },
        { name: 'b', ks: { [FS]: rev('2') } },
      ],
      rev('1'),
      0,
      1,
    ],
    [
      'the commit is live everywhere',
      [
        { name: 'a', ks: { [FS]: rev('1') } },
        { name: 'b', ks: { [FS]: rev('1') } },
      ],
      rev('1'),
      0,
      0,
    ],
  ];
  it.each(cases)('%s', (_name, specs, revision, problems, code) => {
    const p = Array.from({ length: problems }, () => ({ path: 'x/run.json', message: 'bad' }));
    expect(fleetOf(specs, revision, p).exitCode).toBe(code);
  });
});

/** The Markdown table rows as trimmed cells, without the header and rule. */
function rows(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${header} |`));
  const out: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    out.push(
      splitRow(line)
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return out;
}

describe('the Markdown', () => {
  it('lists the clusters worst first, with what each run said', () => {
    const md = renderFleetMarkdown(
      fleetOf([
        { name: 'ok', version: 'v2.7.5' },
        { name: 'bad', level: 'failing', version: 'v2.7.5', failing: 3, firing: 4 },
        { name: 'down', level: 'error' },
      ]),
    );
    expect(md.split('\n')[0]).toBe('## ⛔ Flux fleet: 3 clusters');
    expect(md).toContain(
      '**2 clusters failed their gate:** bad, down. 3 clusters: 1 error, 1 failing, 1 healthy.',
    );
    expect(rows(md, 'Cluster')).toEqual([
      ['down', '⛔ Error', '–', '–', '–', 'because'],
      ['bad', '❌ Failing', '`v2.7.5`', '3', '4', 'because'],
      ['ok', '✅ Healthy', '`v2.7.5`', '0', '0', ''],
    ]);
  });

  it('escapes every cluster string: names, Kustomizations, revisions, versions and headlines', () => {
    const hostile = '<img src=x onerror=alert(1)> @org/team #12 [x](http://evil) | cell';
    const fleet = fleetOf([
      { name: hostile, version: 'v2`</details>', ks: { 'ns/a|b': 'rev`<b>`' } },
      { name: 'b', version: 'v2.7.5', ks: { 'ns/a|b': rev('1') } },
      { name: 'c', version: 'v2.7.5', ks: { 'ns/a|b': rev('1') } },
    ]);
    fleet.clusters[0]!.level = 'failing';
    fleet.clusters[0]!.headline = `Failing: ${hostile}`;
    const md = renderFleetMarkdown(fleet);
    // Outside code spans (where GitHub shows text as it is) no HTML, link, mention or reference.
    const prose = md.replace(/(`+)[^`](?:.*?[^`])?\1(?!`)/g, '');
    expect(prose).not.toMatch(/<img|<\/details>|<b>|\]\(http/);
    expect(prose).not.toMatch(/@org|#12/);
    expect(md).toContain('``v2`</details>``');
    // Each table row keeps its column count: no `|` got through unescaped.
    for (const row of rows(md, 'Cluster')) expect(row).toHaveLength(6);
    for (const row of rows(md, 'Kustomization')) expect(row).toHaveLength(4);
  });

  it('caps long lists of clusters; the JSON keeps them all', () => {
    const specs: RunSpec[] = Array.from({ length: 30 }, (_, i) => ({
      name: `c${String(i).padStart(2, '0')}`,
      level: 'failing',
      ks: { [FS]: i < 16 ? rev('1') : rev('2') },
    }));
    const fleet = fleetOf(specs);
    const md = renderFleetMarkdown(fleet);
    expect(md).toContain(
      '**30 clusters failed their gate:** c00, c01, c02, c03, c04, c05, c06, c07, c08, c09, c10, c11 and 18 more.',
    );
    const doc = JSON.parse(renderFleetJson(fleet));
    expect(doc.failed).toHaveLength(30);
    expect(doc.kustomizations[0].differ).toHaveLength(14);
    const cell = rows(md, 'Kustomization')[0]?.[3] ?? '';
    expect(cell.startsWith('c16: `main@sha1:222222222222…`, c17: ')).toBe(true);
    expect(cell.endsWith('c27: `main@sha1:222222222222…` and 2 more')).toBe(true);
  });

  it.each([
    ['1111111', 'Commit `1111111`'],
    [`v1.2.3@sha1:${'1'.repeat(40)}`, 'Commit `v1.2.3@sha1:111111111111…`'],
    ['v1.2.3', 'Revision `v1.2.3`'],
    [`sha256:${'1'.repeat(64)}`, 'Revision `sha256:111111111111…`'],
  ])('says whether %s is live everywhere, naming a Git SHA a commit', (asked, words) => {
    const specs: RunSpec[] = [
      {
        name: 'a',
        ks: { [FS]: `v1.2.3@sha1:${'1'.repeat(40)}`, 'x/oci': `v1.2.3@sha256:${'1'.repeat(64)}` },
      },
      {
        name: 'b',
        ks: { [FS]: `v1.2.3@sha1:${'1'.repeat(40)}`, 'x/oci': `v1.2.3@sha256:${'1'.repeat(64)}` },
      },
    ];
    expect(renderFleetMarkdown(fleetOf(specs, asked))).toContain(`${words} is live on both clusters.`);
  });

  it('cuts long SHAs and digests to 12 characters', () => {
    expect(shortRevision(rev('a'))).toBe('main@sha1:aaaaaaaaaaaa…');
    expect(shortRevision(`v1@sha256:${'f'.repeat(64)}`)).toBe('v1@sha256:ffffffffffff…');
    expect(shortRevision('1.2.3+abcdef012345')).toBe('1.2.3+abcdef012345');
  });
});
