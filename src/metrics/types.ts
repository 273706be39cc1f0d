import type { FluxObject } from '../inventory/index.js';

/** One gauge series: its labels, its value, and when that value began (ms since the epoch). */
export interface Series {
  labels: Record<string, string>;
  value: number;
  since: number;
}

/** A Flux object with the time its Ready status began, computed once for all families. */
export interface Subject {
  obj: FluxObject;
  since: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge';
  series: Series[];
}

export interface MetricsOptions {
  /** The check's instant; the `since` of series about the check itself. */
  now: Date;
  tool: { name?: string; version: string; platform: string };
  durationMs?: number;
}
