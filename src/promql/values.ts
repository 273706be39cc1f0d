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

/**
 * histogram_quantile's forced-monotonicity info, merged over every histogram that needed fixing in one
 * evaluation, as Prometheus merges annotations that have the same text.
 */
export interface ForcedMonotonicity {
  position: string;
  minBucket: number;
  maxBucket: number;
  maxDiff: number;
  /** How many histograms needed it. */
  count: number;
}

/** Per-evaluation state shared by the evaluator's parts. */
export interface EvalContext {
  readonly store: SeriesStore;
  readonly timeMs: number;
  readonly text: string;
  /** This evaluation is one step of a range query over more than one step. */
  readonly rangeQuery: boolean;
  readonly warnings: string[];
  readonly infos: string[];
  forcedMonotonicity?: ForcedMonotonicity;
}

/** Adds an annotation once: Prometheus keeps annotations in a set keyed by their text. */
export function addAnnotation(list: string[], text: string): void {
  if (!list.includes(text)) list.push(text);
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
