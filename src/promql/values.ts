import type { Span } from './ast.js';
import { PromQLError, positionAt } from './errors.js';
import type { Labels } from './labels.js';
import type { SeriesStore } from './store.js';

/** One element of an instant vector during evaluation. */
export interface Sample {
  labels: Labels;
  value: number;
  /** When the inputs this value depends on began to hold (ms); see evaluator.ts. */
  since: number;
  /** The source sample's timestamp (ms), only for samples straight from a selector (timestamp() needs it). */
  t?: number;
}

export type Value =
  | { type: 'vector'; samples: Sample[] }
  | { type: 'scalar'; value: number; since: number }
  | { type: 'string'; value: string };

/** Per-evaluation state shared by the evaluator's parts. */
export interface EvalContext {
  readonly store: SeriesStore;
  readonly timeMs: number;
  readonly text: string;
  readonly warnings: string[];
  readonly infos: string[];
}

export function evalError(ctx: EvalContext, span: Span, message: string): PromQLError {
  return new PromQLError('evaluation', message, positionAt(ctx.text, span.start));
}

/** Prometheus appends the position to annotation texts: `… (1:18)`. */
export function annotationPosition(ctx: EvalContext, span: Span): string {
  const p = positionAt(ctx.text, span.start);
  return `(${p.line}:${p.column})`;
}

/** Throws Prometheus's error when two samples of a vector have identical label sets. */
export function assertUniqueLabelSets(ctx: EvalContext, span: Span, samples: readonly Sample[]): void {
  if (samples.length < 2) return;
  const seen = new Set<string>();
  for (const s of samples) {
    const k = s.labels.key();
    if (seen.has(k)) throw evalError(ctx, span, 'vector cannot contain metrics with the same labelset');
    seen.add(k);
  }
}
