/**
 * The fleet matrix: one row per cluster (its own verdict, Flux version, failing objects, firing
 * alerts), the revision each Kustomization found on several clusters applied there, and the two
 * questions a fleet asks: is this commit live everywhere, and which clusters run another Flux
 * version. Pure: the same runs always give the same fleet. Each verdict is the run's own (decided
 * by its verdict.ts with its gate); the fleet only counts them.
 */
import { compareStrings } from '../go/strings.js';
import type { ObjectState } from '../report/resource-status.js';
import type { VerdictLevel } from '../verdict.js';
import { matchesRevision } from '../wait/revision.js';
import type { ClusterRun, FleetRead, Problem } from './read.js';

export interface ClusterRow {
  name: string;
  folder: string;
  level: VerdictLevel;
  headline: string;
  gateFailed: boolean;
  /** Absent when the run had no report (it stopped first). */
  installed?: boolean;
  fluxVersion?: string;
  failing?: number;
  firing?: number;
  pending?: number;
  firingByName?: Record<string, number>;
  commit?: string;
  checkedAt?: string;
}

export interface RevisionCell {
  cluster: string;
  applied: string;
  state: ObjectState;
}

/** A Kustomization (same namespace and name) found on two clusters or more. */
export interface SharedKustomization {
  id: string;
  /** What the clusters are compared against: the asked revision when some cluster applied it, else the majority's. */
  baseline: string;
  baselineIs: 'revision' | 'majority';
  /** Every cluster that has it, by cluster name. */
  clusters: RevisionCell[];
  /** Those not on the baseline. */
  differ: RevisionCell[];
}

export interface RevisionAnswer {
  expected: string;
  /** The Kustomizations that applied it on some cluster: the ones that must carry it everywhere. */
  kustomizations: string[];
  live: string[];
  /** Clusters where it is not live, with the Kustomizations holding another revision there. */
  missing: { cluster: string; checked: boolean; at: { id: string; applied: string }[] }[];
}

export interface FluxVersions {
  /** The version most clusters run; absent when none reports one. */
  common?: string;
  on: number;
  /** Clusters with a report (those without one have no version to compare). */
  of: number;
  /** `version` is `not installed` when Flux's CRDs are absent, `unknown` when the report has no version. */
  differ: { cluster: string; version: string }[];
}

export interface Fleet {
  clusters: ClusterRow[];
  counts: Record<VerdictLevel, number>;
  /** Clusters whose gate failed (a run that could not finish included), by name. */
  failed: string[];
  fluxVersions: FluxVersions;
  shared: SharedKustomization[];
  revision?: RevisionAnswer;
  problems: Problem[];
  /**
   * 1 when a cluster failed its gate, a run could not be read, or the asked revision is not live
   * everywhere; else 0.
   */
  exitCode: number;
}

export interface FleetOptions {
  /** A commit SHA, tag, digest or Flux revision that should be live everywhere. */
  revision?: string;
}

const byName = <T extends { name: string }>(a: T, b: T): number => compareStrings(a.name, b.name);

function rowOf(run: ClusterRun): ClusterRow {
  const { record, report, alerts } = run;
  return {
    name: run.name,
    folder: run.folder,
    level: record.verdict.level,
    headline: record.verdict.headline,
    gateFailed: record.verdict.gateFailed,
    ...(report
      ? {
          installed: report.installed,
          ...(report.fluxVersion ? { fluxVersion: report.fluxVersion } : {}),
          failing: report.failing,
        }
      : {}),
    ...(alerts ? { firing: alerts.firing, pending: alerts.pending, firingByName: alerts.firingByName } : {}),
    ...(record.commit ? { commit: record.commit } : {}),
    ...(record.checkedAt ? { checkedAt: record.checkedAt } : {}),
  };
}

/** The value most items have; ties go to the one sorting first, so the answer never depends on order. */
function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [v, n] of counts) {
    if (n > bestCount || (n === bestCount && best !== undefined && compareStrings(v, best) < 0)) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}

function versionOf(row: ClusterRow): string {
  if (row.installed === false) return 'not installed';
  return row.fluxVersion ?? 'unknown';
}

function fluxVersions(rows: readonly ClusterRow[]): FluxVersions {
  const reported = rows.filter((r) => r.installed !== undefined);
  const common = mostCommon(
    reported.filter((r) => r.installed && r.fluxVersion).map((r) => r.fluxVersion as string),
  );
  const differ = reported
    .filter((r) => versionOf(r) !== common)
    .map((r) => ({ cluster: r.name, version: versionOf(r) }));
  return {
    ...(common !== undefined ? { common } : {}),
    on: reported.length - differ.length,
    of: reported.length,
    differ,
  };
}

export function buildFleet(read: FleetRead, options: FleetOptions = {}): Fleet {
  const runs = [...read.runs].sort(byName);
  const clusters = runs.map(rowOf);
  const counts: Record<VerdictLevel, number> = { healthy: 0, degraded: 0, failing: 0, error: 0 };
  for (const c of clusters) counts[c.level]++;
  const failed = clusters.filter((c) => c.gateFailed).map((c) => c.name);

  // Every Kustomization, with the clusters that have it.
  const byId = new Map<string, RevisionCell[]>();
  for (const run of runs) {
    for (const k of run.record.kustomizations) {
      const id = `${k.namespace}/${k.name}`;
      const cells = byId.get(id) ?? [];
      byId.set(id, cells);
      cells.push({ cluster: run.name, applied: k.applied, state: k.state });
    }
  }
  const expected = options.revision?.trim() || undefined;
  const carriers = new Set<string>();
  if (expected)
    for (const [id, cells] of byId)
      if (cells.some((c) => matchesRevision(c.applied, expected))) carriers.add(id);

  const shared: SharedKustomization[] = [];
  for (const [id, cells] of byId) {
    if (cells.length < 2) continue;
    const onRevision = expected !== undefined && carriers.has(id);
    const baseline = onRevision ? expected : (mostCommon(cells.map((c) => c.applied)) as string);
    const differ = cells.filter((c) =>
      onRevision ? !matchesRevision(c.applied, baseline) : c.applied !== baseline,
    );
    shared.push({ id, baseline, baselineIs: onRevision ? 'revision' : 'majority', clusters: cells, differ });
  }
  // The ones that differ first: they are what a reader looks for.
  shared.sort(
    (a, b) => Number(b.differ.length > 0) - Number(a.differ.length > 0) || compareStrings(a.id, b.id),
  );

  let revision: RevisionAnswer | undefined;
  if (expected) {
    const live: string[] = [];
    const missing: RevisionAnswer['missing'] = [];
    for (const run of runs) {
      const held = run.record.kustomizations.filter((k) => carriers.has(`${k.namespace}/${k.name}`));
      const behind = held.filter((k) => !matchesRevision(k.applied, expected));
      if (held.length > 0 && behind.length === 0) live.push(run.name);
      else
        missing.push({
          cluster: run.name,
          checked: run.record.verdict.level !== 'error',
          at: behind.map((k) => ({ id: `${k.namespace}/${k.name}`, applied: k.applied })),
        });
    }
    revision = { expected, kustomizations: [...carriers].sort(compareStrings), live, missing };
  }

  const problems = [...read.problems];
  return {
    clusters,
    counts,
    failed,
    fluxVersions: fluxVersions(clusters),
    shared,
    ...(revision ? { revision } : {}),
    problems,
    exitCode: failed.length > 0 || problems.length > 0 || (revision?.missing.length ?? 0) > 0 ? 1 : 0,
  };
}
