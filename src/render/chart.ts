/**
 * The picture in the job summary, the pull-request comment and the terminal: one stacked bar per
 * kind showing how its objects split into ready, failing, progressing-or-unknown and suspended.
 *
 * Why coloured squares (🟩🟥🟨⬜) and not Mermaid or an image: they are plain Unicode text, so the
 * same bar renders in job summaries, PR comments, Markdown files and e-mail notifications, needs
 * no script, no data URI (GitHub strips those) and nothing to escape. Mermaid renders in comments
 * but GitHub does not document it for job summaries. The terminal gets ASCII glyphs instead,
 * because emoji widths vary between terminals and break column alignment.
 */
import type { ObjectSummary } from '../report/health.js';

/** How the objects of one kind split up. Every object is in exactly one bucket. */
export interface StateCounts {
  ready: number;
  failing: number;
  /** Progressing, waiting for a dependency, or without a Ready condition. */
  other: number;
  suspended: number;
}

export type StateName = keyof StateCounts;

/** Bar order: good news first, so bars line up on their green part. */
export const STATE_ORDER: readonly StateName[] = ['ready', 'failing', 'other', 'suspended'];

export type Glyphs = Readonly<Record<StateName, string>>;

/** For Markdown (job summary, PR comment). */
export const EMOJI_GLYPHS: Glyphs = { ready: '🟩', failing: '🟥', other: '🟨', suspended: '⬜' };

/** For terminals: one column per glyph everywhere. */
export const TEXT_GLYPHS: Glyphs = { ready: '#', failing: 'X', other: '~', suspended: '.' };

export const STATE_LABELS: Readonly<Record<StateName, string>> = {
  ready: 'ready',
  failing: 'failing',
  other: 'progressing or unknown',
  suspended: 'suspended',
};

/** Ten cells: each square reads as about 10 %. */
export const DEFAULT_BAR_WIDTH = 10;

export function emptyCounts(): StateCounts {
  return { ready: 0, failing: 0, other: 0, suspended: 0 };
}

export function totalOf(counts: StateCounts): number {
  return counts.ready + counts.failing + counts.other + counts.suspended;
}

/** The bucket of one object, from the operator's one-word status. */
export function stateOf(object: Pick<ObjectSummary, 'state'>): StateName {
  switch (object.state) {
    case 'Ready':
      return 'ready';
    case 'Failed':
      return 'failing';
    case 'Suspended':
      return 'suspended';
    default:
      return 'other';
  }
}

/** Counts per `apiVersion` + `kind` (joined by a space), and over all objects. */
export function countByKind(objects: readonly Pick<ObjectSummary, 'apiVersion' | 'kind' | 'state'>[]): {
  byKind: Map<string, StateCounts>;
  all: StateCounts;
} {
  const byKind = new Map<string, StateCounts>();
  const all = emptyCounts();
  for (const o of objects) {
    const key = kindKey(o.apiVersion, o.kind);
    let counts = byKind.get(key);
    if (!counts) {
      counts = emptyCounts();
      byKind.set(key, counts);
    }
    const state = stateOf(o);
    counts[state]++;
    all[state]++;
  }
  return { byKind, all };
}

export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

/**
 * Splits `width` cells among `values` in proportion (largest remainder, ties to the earlier
 * value), then gives every non-zero value that got no cell one, taken from the largest share, so
 * that one failing object among a thousand still shows. With more non-zero values than cells,
 * the earlier values keep theirs.
 */
export function allocateCells(values: readonly number[], width: number): number[] {
  const positive = values.map((v) => Math.max(0, v));
  const total = positive.reduce((sum, v) => sum + v, 0);
  if (total === 0 || width <= 0) return positive.map(() => 0);
  const exact = positive.map((v) => (v * width) / total);
  const cells = exact.map(Math.floor);
  let remaining = width - cells.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((e, i) => ({ i, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (remaining === 0) break;
    cells[i] = (cells[i] ?? 0) + 1;
    remaining--;
  }
  positive.forEach((v, i) => {
    if (v === 0 || cells[i] !== 0) return;
    let donor = -1;
    cells.forEach((c, j) => {
      if (c > 1 && (donor < 0 || c > (cells[donor] ?? 0))) donor = j;
    });
    if (donor < 0) return;
    cells[donor] = (cells[donor] ?? 0) - 1;
    cells[i] = 1;
  });
  return cells;
}

/** One bar; empty when there are no objects. */
export function stateBar(counts: StateCounts, glyphs: Glyphs, width: number = DEFAULT_BAR_WIDTH): string {
  const cells = allocateCells(
    STATE_ORDER.map((s) => counts[s]),
    width,
  );
  return STATE_ORDER.map((s, i) => glyphs[s].repeat(cells[i] ?? 0)).join('');
}

/** `🟩 ready · 🟥 failing · …`, the key under the bars. */
export function chartLegend(glyphs: Glyphs, separator = ' · '): string {
  return STATE_ORDER.map((s) => `${glyphs[s]} ${STATE_LABELS[s]}`).join(separator);
}

/** `480 ready, 92 failing, 40 progressing or unknown, 50 suspended` (zero buckets left out). */
export function describeCounts(counts: StateCounts): string {
  const parts = STATE_ORDER.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${STATE_LABELS[s]}`);
  return parts.length === 0 ? 'no objects' : parts.join(', ');
}
