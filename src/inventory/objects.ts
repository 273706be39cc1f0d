import type { Condition, FluxObject } from './inventory.js';

/** The first Ready condition: the one the operator's metrics and the report's summaries read. */
export function firstReady(obj: FluxObject): Condition | undefined {
  return obj.conditions.find((c) => c.type === 'Ready');
}

/** The time a metric's value began: the Ready transition, else the object's creation, else `fallback`. */
export function sinceOf(obj: FluxObject, fallback: number): number {
  const ready = firstReady(obj);
  const t = parseTime(ready?.lastTransitionTime) ?? parseTime(obj.creationTimestamp);
  return t ?? fallback;
}

/** Milliseconds of an RFC 3339 time as the Inventory carries it; undefined when absent or unreadable. */
export function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
