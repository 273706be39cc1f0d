/**
 * Every default the two entries share, decided here once, and the parsers both use for the values
 * they take in the same shape (times, the Flux namespace).
 */
import { ConfigError } from './errors.js';

export const DEFAULTS = {
  /** Where Flux runs when nothing says otherwise (see fluxNamespace). */
  namespace: 'flux-system',
  failOn: 'firing',
  waitTimeout: '5m',
  comment: 'auto',
  commentTag: 'flux-health',
  artifactName: 'flux-health',
  outputDir: 'flux-health',
} as const;

/**
 * The Flux namespace: the one asked for, else the one a snapshot recorded, else the only namespace
 * holding Flux's controllers (a `kubectl get -o yaml` snapshot records none), else flux-system.
 */
export function fluxNamespace(
  explicit: string | undefined,
  recorded?: string,
  controllerNamespaces: readonly string[] = [],
): string {
  if (explicit !== undefined && explicit.trim() !== '') return explicit.trim();
  if (recorded) return recorded;
  const found = [...new Set(controllerNamespaces)];
  return found.length === 1 ? (found[0] as string) : DEFAULTS.namespace;
}

/** A namespace name as Kubernetes accepts one (an RFC 1123 label). */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The namespaces a check is limited to (CLI `-n`, repeatable or comma-separated; the action's
 * `namespaces`, comma or newline separated): sorted, without duplicates; undefined when none is
 * given, which means every namespace.
 */
export function parseNamespaces(values: readonly string[], what: string): string[] | undefined {
  const names = values.flatMap((v) => v.split(/[\s,]+/)).filter((n) => n !== '');
  for (const n of names) {
    if (!NAMESPACE_NAME.test(n))
      throw new ConfigError(
        `${what}: "${n.slice(0, 70)}" is not a namespace name (lower-case letters, digits and '-', at most 63)`,
      );
  }
  return names.length === 0 ? undefined : [...new Set(names)].sort();
}

/**
 * An instant as `--now`, `--time` and the action take it: RFC 3339 (`2026-11-21T12:00:00Z`) or
 * Unix seconds (`1763726400`, fractions allowed), like Prometheus's API.
 */
export function parseInstant(value: string, what: string): Date {
  const t = value.trim();
  const ms = /^\d+(\.\d+)?$/.test(t)
    ? Number(t) * 1000
    : /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(t)
      ? Date.parse(t)
      : Number.NaN;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15)
    throw new ConfigError(
      `${what}: "${t.slice(0, 60)}" is neither an RFC 3339 time (2026-11-21T12:00:00Z) nor Unix seconds`,
    );
  return new Date(ms);
}
