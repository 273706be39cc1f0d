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
