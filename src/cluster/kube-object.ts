/**
 * Typed reading of untyped Kubernetes objects (from the API server's JSON or from a snapshot's YAML).
 * Objects are `unknown` until a field is read through one of these accessors, so a malformed field
 * (a number where a string belongs, a missing map) is treated as absent instead of crashing a stage.
 */

export interface KubeMetadata {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeMetadata;
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
}

export type Json = Record<string, unknown>;

export function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Timestamps may arrive as strings (JSON) or as Dates when a YAML parser decoded them. */
export function asTimestamp(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().replace('.000Z', 'Z');
  return undefined;
}

export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

export function asStringMap(v: unknown): Record<string, string> {
  const o = asObject(v);
  const out: Record<string, string> = {};
  if (!o) return out;
  for (const [k, val] of Object.entries(o)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Reads a nested field: `field(obj, 'spec', 'ref', 'branch')`. */
export function field(v: unknown, ...path: string[]): unknown {
  let cur: unknown = v;
  for (const key of path) {
    const o = asObject(cur);
    if (!o) return undefined;
    cur = o[key];
  }
  return cur;
}

export function metadataOf(obj: KubeObject): KubeMetadata {
  const m = asObject(obj.metadata) ?? {};
  return {
    name: asString(m.name),
    namespace: asString(m.namespace),
    uid: asString(m.uid),
    generation: asNumber(m.generation),
    creationTimestamp: asTimestamp(m.creationTimestamp),
    deletionTimestamp: asTimestamp(m.deletionTimestamp),
    labels: asStringMap(m.labels),
    annotations: asStringMap(m.annotations),
    resourceVersion: asString(m.resourceVersion),
  };
}

/** `group/version` → `{group, version}`; the core group has no slash (`v1`). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
