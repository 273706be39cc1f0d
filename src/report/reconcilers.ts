import { compareStrings } from '../go/strings.js';
import {
  OPERATOR_GROUP,
  OPERATOR_KINDS,
  groupOf,
  type FluxObject,
  type Inventory,
  type KindState,
  type Gvk,
} from '../inventory/index.js';
import { failingCount, isSuspended } from './objects.js';
import { formatSize } from './size.js';
import type { ReconcilerStatus } from './types.js';

/** What one kind's listing gave: the operator's counters plus how the listing went. */
export interface KindTally {
  apiVersion: string;
  kind: string;
  operator: boolean;
  state: KindState;
  error?: string;
  total: number;
  suspended: number;
  failing: number;
  /** Sum of `status.artifact.size`; the operator kinds never carry one. */
  size: number;
}

export interface KindTallies {
  flux: KindTally[];
  /** The three operator kinds, or none when their CRDs are absent (the operator is not installed). */
  operator: KindTally[];
}

/**
 * Count every discovered kind in one pass over the objects. Counting and the operator's decision
 * to drop the section are kept apart so that Flux Health can still show per-kind numbers when the
 * operator would show none.
 */
export function tallyKinds(inv: Inventory, gvks: Gvk[]): KindTallies {
  const byKey = new Map<string, FluxObject[]>();
  for (const obj of inv.objects) {
    const key = `${groupOf(obj.apiVersion)}/${obj.kind}`;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(obj);
  }
  const stateOf = (group: string, kind: string, operator: boolean): { state: KindState; error?: string } => {
    const k = inv.kinds.find((r) => r.group === group && r.kind === kind && r.operator === operator);
    if (k) return k.error === undefined ? { state: k.state } : { state: k.state, error: k.error };
    // No record: the kind was listed unless it is an operator kind nobody saw (its CRD is absent).
    return { state: operator && !byKey.has(`${group}/${kind}`) ? 'missing' : 'listed' };
  };
  const tally = (group: string, version: string, kind: string, operator: boolean): KindTally => {
    const t: KindTally = {
      apiVersion: `${group}/${version}`,
      kind,
      operator,
      ...stateOf(group, kind, operator),
      total: 0,
      suspended: 0,
      failing: 0,
      size: 0,
    };
    // A failed List contributes zeros, as in the operator.
    if (t.state !== 'listed') return t;
    for (const obj of byKey.get(`${group}/${kind}`) ?? []) {
      t.total++;
      if (isSuspended(obj)) t.suspended++;
      else t.failing += failingCount(obj);
      if (!operator && obj.status.artifact?.size !== undefined) t.size += obj.status.artifact.size;
    }
    return t;
  };
  const flux = gvks.map((g) => tally(g.group, g.version, g.kind, false));
  const operator = OPERATOR_KINDS.map((k) => tally(OPERATOR_GROUP, 'v1', k.kind, true));
  return { flux, operator: operator.some((t) => t.state === 'missing') ? [] : operator };
}

export function listError(t: KindTally): string {
  return `failed to list ${t.apiVersion} ${t.kind}: ${t.error ?? t.state}`;
}

export type ReconcilersResult =
  { reconcilers: ReconcilerStatus[] } | { error: string; reconcilers: ReconcilerStatus[] };

/**
 * The reconcilers section. Any kind that could not be listed makes the operator drop the whole
 * section (the aggregated List error); the entries are still returned so the caller can show them
 * elsewhere. The three operator kinds stand or fall together.
 */
export function reconcilersStatus(tallies: KindTallies): ReconcilersResult {
  const errors = tallies.flux.filter((t) => t.state !== 'listed').map(listError);
  const opErrors = tallies.operator.filter((t) => t.state !== 'listed').map(listError);
  const entries = [...tallies.flux, ...(opErrors.length ? [] : tallies.operator)].map(toStatus);
  entries.sort((a, b) => compareStrings(a.apiVersion + a.kind, b.apiVersion + b.kind));
  const all = [...errors, ...opErrors];
  return all.length ? { error: all.join('; '), reconcilers: entries } : { reconcilers: entries };
}

function toStatus(t: KindTally): ReconcilerStatus {
  const stats: ReconcilerStatus['stats'] = {
    running: t.total - t.suspended,
    failing: t.failing,
    suspended: t.suspended,
  };
  const size = formatSize(t.size);
  if (size) stats.totalSize = size;
  return { apiVersion: t.apiVersion, kind: t.kind, stats };
}
