import { PromQLError, SeriesStore, evaluateInstant } from '../../src/promql/index.js';
import { STEP_MS, type Dataset } from './generate.js';

/** What our evaluator made of one case, in the shape the comparison needs. */
export type OurOutcome =
  | {
      kind: 'samples';
      type: 'vector' | 'scalar';
      samples: { labels: Record<string, string>; value: number }[];
    }
  | { kind: 'string'; value: string }
  | { kind: 'error'; message: string }
  /** Anything thrown that is not a PromQLError: always a bug, whatever promtool says. */
  | { kind: 'crash'; message: string };

/** The same samples promtool loads: one per minute, `null` steps left out. */
export function buildStore(dataset: Dataset): SeriesStore {
  return SeriesStore.from(
    dataset.series.map((s) => ({
      labels: s.labels,
      samples: s.values.flatMap((v, i) => (v === null ? [] : [{ t: i * STEP_MS, v }])),
    })),
  );
}

export function describeThrown(err: unknown): string {
  if (err instanceof Error)
    return `${err.name}: ${err.message}${err.stack ? `\n${err.stack.split('\n').slice(1, 4).join('\n')}` : ''}`;
  return String(err);
}

export function evaluateOurs(store: SeriesStore, expr: string, timeMs: number): OurOutcome {
  try {
    const v = evaluateInstant(expr, store, timeMs);
    switch (v.type) {
      case 'vector':
        return {
          kind: 'samples',
          type: 'vector',
          samples: v.samples.map((s) => ({ labels: s.labels, value: s.value })),
        };
      case 'scalar':
        return { kind: 'samples', type: 'scalar', samples: [{ labels: {}, value: v.value }] };
      case 'string':
        return { kind: 'string', value: v.value };
    }
  } catch (err) {
    if (err instanceof PromQLError) return { kind: 'error', message: err.message };
    return { kind: 'crash', message: describeThrown(err) };
  }
}
