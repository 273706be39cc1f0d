/**
 * The gate: which firing alerts fail the job. `fail-on` / `--fail-on` takes
 *
 *   firing                  firing alerts of severity warning or above (the default)
 *   severity>=LEVEL         firing alerts at LEVEL or above: none < info < warning < critical = page
 *   severity:VALUE[,VALUE]  firing alerts whose `severity` label is exactly one of the values
 *   never                   nothing fails the gate (`none` is accepted too)
 *
 * An `info` alert (an object suspended on purpose for a day) says something worth knowing, not
 * something broken, so the default gate leaves it out. An alert without a `severity` label, or
 * with a value outside the scale, ranks as `warning`: unknown rules fail the default gate rather
 * than slipping through. Pending alerts never fail the gate: they have not held for their `for`.
 *
 * Alerts are counted per object: one failing Kustomization that fires ReconciliationFailure and
 * FluxResourceNotReady is one object with two alerts, not two problems.
 */
import type { Alert } from './alerts.js';
import { labelsKey } from './alerts.js';
import { plural } from '../text/plural.js';

export const SEVERITY_LEVELS = ['none', 'info', 'warning', 'critical'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

const LEVEL_OF: Readonly<Record<string, SeverityLevel>> = {
  none: 'none',
  info: 'info',
  warning: 'warning',
  critical: 'critical',
  page: 'critical',
};

/** The alert's place on the scale (0 = none … 3 = critical/page). */
export function severityRank(alert: Pick<Alert, 'labels'>): number {
  const level = LEVEL_OF[alert.labels['severity'] ?? ''] ?? 'warning';
  return SEVERITY_LEVELS.indexOf(level);
}

export type FailOn =
  | { kind: 'threshold'; min: SeverityLevel; text: string }
  | { kind: 'severity'; severities: string[]; text: string }
  | { kind: 'never'; text: string };

export class FailOnError extends Error {}

export const DEFAULT_FAIL_ON: FailOn = { kind: 'threshold', min: 'warning', text: 'firing' };

/** Parses a `fail-on` value; throws FailOnError, one line naming what is accepted. */
export function parseFailOn(text: string): FailOn {
  const t = text.trim();
  if (t === '' || t === 'firing') return DEFAULT_FAIL_ON;
  if (t === 'never' || t === 'none') return { kind: 'never', text: t };
  const threshold = /^severity\s*>=\s*([a-z]+)$/.exec(t);
  if (threshold) {
    const level = LEVEL_OF[threshold[1] as string];
    if (level) return { kind: 'threshold', min: level, text: t };
  }
  const list = /^severity:(.*)$/.exec(t);
  if (list) {
    const severities = (list[1] as string).split(',').map((s) => s.trim());
    if (severities.every((s) => /^[A-Za-z0-9_.-]+$/.test(s)))
      return { kind: 'severity', severities, text: t };
  }
  throw new FailOnError(
    `invalid --fail-on ${JSON.stringify(text)}: use "firing" (warning and above), "severity>=LEVEL" (none, info, warning, critical, page), "severity:VALUE[,VALUE…]" or "never"`,
  );
}

/**
 * What an alert is about: its object (kind, namespace, name) when the labels name one, else the
 * alert itself. Flux's series carry the object's namespace as `namespace` or, once scraped without
 * honor_labels, `exported_namespace`.
 */
export function alertSubject(alert: Pick<Alert, 'name' | 'labels'>): string {
  const l = alert.labels;
  const name = l['name'];
  if (name === undefined) return `alert\u0000${alert.name}\u0000${labelsKey(l)}`;
  return objectSubject({
    kind: l['kind'] ?? '',
    namespace: l['exported_namespace'] ?? l['namespace'] ?? '',
    name,
  });
}

/** The subject key of the alerts about one Flux object. */
export function objectSubject(o: { kind: string; namespace: string; name: string }): string {
  return `object\u0000${o.kind}\u0000${o.namespace}\u0000${o.name}`;
}

/** How many distinct subjects the alerts are about. */
export function countSubjects(alerts: readonly Alert[]): number {
  return new Set(alerts.map(alertSubject)).size;
}

export interface GateResult {
  failed: boolean;
  reason: string;
  /** The firing alerts that failed the gate. */
  failing: Alert[];
}

/** `2 objects with firing alerts (FluxResourceNotReady, ReconciliationFailure)`. */
export function describeFiring(alerts: readonly Alert[]): string {
  const names = [...new Set(alerts.map((a) => a.name))].sort();
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, … (${names.length - 5} more)` : '');
  return `${plural(countSubjects(alerts), 'object')} with firing alerts (${shown})`;
}

function wording(failOn: FailOn): string {
  switch (failOn.kind) {
    case 'threshold':
      return failOn.min === 'none' ? 'any severity' : `severity ${failOn.min} or above`;
    case 'severity':
      return `severity ${failOn.severities.join(', ')}`;
    case 'never':
      return '';
  }
}

export function evaluateGate(alerts: readonly Alert[], failOn: FailOn): GateResult {
  const firing = alerts.filter((a) => a.state === 'firing');
  if (failOn.kind === 'never') {
    return {
      failed: false,
      reason: `gate disabled (fail-on never); ${plural(firing.length, 'alert')} firing`,
      failing: [],
    };
  }
  const failing =
    failOn.kind === 'threshold'
      ? firing.filter((a) => severityRank(a) >= SEVERITY_LEVELS.indexOf(failOn.min))
      : firing.filter((a) => failOn.severities.includes(a.labels['severity'] ?? ''));
  if (failing.length > 0)
    return { failed: true, reason: `${describeFiring(failing)} at ${wording(failOn)}`, failing };
  const others = firing.length > 0 ? `; ${plural(firing.length, 'other alert')} firing` : '';
  return { failed: false, reason: `no firing alerts at ${wording(failOn)}${others}`, failing: [] };
}
