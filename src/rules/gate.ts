/**
 * The gate: which alerts fail the job (exit code 1). `--fail-on` takes
 *
 *   firing                  any firing alert (the default)
 *   severity:critical,page  firing alerts whose `severity` label is one of the listed values
 *   never                   nothing fails the gate (`none` is accepted too)
 *
 * Pending alerts never fail the gate: they have not held for their `for` yet.
 */
import type { Alert } from './alerts.js';

export type FailOn = { kind: 'firing' } | { kind: 'severity'; severities: string[] } | { kind: 'never' };

export class FailOnError extends Error {}

export const DEFAULT_FAIL_ON: FailOn = { kind: 'firing' };

/** Parses a `--fail-on` value; throws FailOnError (one line, exit code 2 for the CLI). */
export function parseFailOn(text: string): FailOn {
  const t = text.trim();
  if (t === '' || t === 'firing') return { kind: 'firing' };
  if (t === 'never' || t === 'none') return { kind: 'never' };
  const m = /^severity:(.*)$/.exec(t);
  if (m) {
    const severities = (m[1] as string).split(',').map((s) => s.trim());
    if (severities.length > 0 && severities.every((s) => /^[A-Za-z0-9_.-]+$/.test(s))) {
      return { kind: 'severity', severities };
    }
  }
  throw new FailOnError(
    `invalid --fail-on ${JSON.stringify(text)}: use "firing", "never" or "severity:VALUE[,VALUE…]" (e.g. severity:critical,page)`,
  );
}

export interface GateResult {
  failed: boolean;
  reason: string;
  /** The firing alerts that failed the gate. */
  failing: Alert[];
}

function describe(alerts: readonly Alert[]): string {
  const names = [...new Set(alerts.map((a) => a.name))].sort();
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, … (${names.length - 5} more)` : '');
  return `${alerts.length} firing alert${alerts.length === 1 ? '' : 's'} (${shown})`;
}

export function evaluateGate(alerts: readonly Alert[], failOn: FailOn): GateResult {
  const firing = alerts.filter((a) => a.state === 'firing');
  switch (failOn.kind) {
    case 'never':
      return {
        failed: false,
        reason: `gate disabled (--fail-on never); ${firing.length} firing`,
        failing: [],
      };
    case 'firing':
      return firing.length > 0
        ? { failed: true, reason: describe(firing), failing: firing }
        : { failed: false, reason: 'no firing alerts', failing: [] };
    case 'severity': {
      const wanted = new Set(failOn.severities);
      const failing = firing.filter((a) => wanted.has(a.labels['severity'] ?? ''));
      const list = failOn.severities.join(', ');
      return failing.length > 0
        ? { failed: true, reason: `${describe(failing)} with severity ${list}`, failing }
        : {
            failed: false,
            reason: `no firing alerts with severity ${list} (${firing.length} firing in total)`,
            failing: [],
          };
    }
  }
}
