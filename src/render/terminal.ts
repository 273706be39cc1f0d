/**
 * The plain-text summary that `flux-health check` prints when no output directory is given:
 * verdict first, then the same sections as the job summary, shorter. No Markdown. Every string
 * from the cluster is passed through `sanitizeText` (escape.ts), which drops control and invisible
 * characters (so no ANSI escape can recolour or move the cursor) and shows bidi overrides as
 * U+FFFD (so no text is reordered); line breaks become spaces so one object stays on its lines.
 */
import type { Alert } from '../rules/alerts.js';
import type { WaitResult } from '../wait/wait.js';
import { sanitizeText } from '../text/escape.js';
import {
  countByKind,
  describeCounts,
  kindKey,
  stateBar,
  chartLegend,
  TEXT_GLYPHS,
  type StateCounts,
} from './chart.js';
import { topFailing } from './comment.js';
import {
  eventsOf,
  formatAge,
  formatDuration,
  formatInstant,
  labelSummary,
  notReady,
  shortRevision,
  sortAlerts,
  type SummaryInput,
} from './summary.js';
import { fluxInstalledIn, unlistedKinds, VERDICT_WORDS } from '../verdict.js';
import { severityRank } from '../rules/gate.js';

export const TERMINAL_LIMITS = {
  alerts: 20,
  failingObjects: 25,
  waitObjects: 25,
  /** Code points of a message line. */
  message: 200,
} as const;

/** Firing alerts by severity, then newest first (what just broke), then name and labels. */
function topFiring(alerts: readonly Alert[]): Alert[] {
  const { firing } = sortAlerts(alerts);
  // sortAlerts gives a total order; a stable sort on top of it keeps that as the last tie-break.
  return firing.sort((a, b) => severityRank(b) - severityRank(a) || b.activeAtMs - a.activeAtMs);
}

/** One line of untrusted text, safe to print, cut to `max` code points. */
export function terminalText(value: string, max = 200): string {
  return sanitizeText(value, { maxLength: max }).replace(/\n/g, ' ');
}

/** Columns padded by code points (emoji-free text, so one code point is one column). */
function columns(header: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string[] {
  const width = (s: string): number => Array.from(s).length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    indent +
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function name(o: { namespace: string; name: string }): string {
  return terminalText(o.namespace === '' ? o.name : `${o.namespace}/${o.name}`, 120);
}

function more(total: number, shown: number, what: string): string[] {
  return total > shown ? [`  … and ${total - shown} more ${what}`] : [];
}

function verdictLines(input: SummaryInput): string[] {
  const verdict = input.verdict;
  const subject = input.clusterName ? ` (${terminalText(input.clusterName, 100)})` : '';
  return [
    `FLUX HEALTH: ${VERDICT_WORDS[verdict.level].toUpperCase()}${subject}`,
    ...verdict.reasons.map((r) => `  - ${terminalText(r, 400)}`),
    ...verdict.notes.map((n) => `  - note: ${terminalText(n, 400)}`),
  ];
}

function factLines(input: SummaryInput): string[] {
  const { report, health } = input;
  const c = report.spec.cluster;
  const kube = c
    ? `${terminalText(c.serverVersion, 60)} ${terminalText(c.platform, 60)}` +
      (c.nodes === undefined ? '' : `, ${c.nodes} node${c.nodes === 1 ? '' : 's'}`)
    : 'unknown';
  const d = report.spec.distribution;
  const flux = fluxInstalledIn(report)
    ? `${terminalText(d.version ?? 'version unknown', 60)}` +
      (d.managedBy ? ` managed by ${terminalText(d.managedBy, 60)}` : '') +
      ` in ${terminalText(health.namespace, 100)}`
    : 'not installed';
  const source =
    health.source.type === 'cluster'
      ? `API server ${terminalText(health.source.server, 200)}`
      : `snapshot ${terminalText(health.source.file, 200)}`;
  return [
    `Kubernetes: ${kube}`,
    `Flux:       ${flux}`,
    `Source:     ${source}`,
    `Scope:      ${health.scope.namespaces === 'all' ? 'all namespaces' : terminalText(`${health.scope.namespaces.length === 1 ? 'namespace' : 'namespaces'} ${health.scope.namespaces.join(', ')}`, 400)}`,
    `Checked:    ${formatInstant(health.checkedAt) ?? terminalText(health.checkedAt, 40)}`,
  ];
}

function waitLines(wait: WaitResult | undefined): string[] {
  if (!wait) return [];
  const left = notReady(wait);
  const head =
    wait.outcome === 'converged'
      ? `Wait: converged after ${formatDuration(wait.elapsedMs)}`
      : `Wait: ${wait.outcome === 'timeout' ? 'timed out' : 'failed'} after ${formatDuration(wait.elapsedMs)}, ` +
        `${left.length} not ready`;
  const out = [head, `  expected revision ${terminalText(wait.expected, 120)}`];
  if (wait.message) out.push(`  ${terminalText(wait.message, 400)}`);
  for (const o of left.slice(0, TERMINAL_LIMITS.waitObjects)) {
    const revision = o.revision ? ` @ ${terminalText(shortRevision(o.revision), 80)}` : '';
    out.push(`  ${terminalText(o.kind, 60)} ${name(o)}: ${o.state}${revision}`);
    out.push(`      ${terminalText(o.reason, TERMINAL_LIMITS.message)}`);
  }
  out.push(...more(left.length, TERMINAL_LIMITS.waitObjects, 'not ready'));
  return out;
}

function kindLines(input: SummaryInput): string[] {
  const { health } = input;
  if (health.kinds.length === 0) return ['Kinds: none found'];
  const { byKind, all } = countByKind(health.objects);
  const bar = (c: StateCounts | undefined): string =>
    c ? `[${stateBar(c, TEXT_GLYPHS, 20).padEnd(20)}]` : '';
  const rows = health.kinds.map((k) => [
    terminalText(k.kind, 60),
    k.state === 'listed' ? bar(byKind.get(kindKey(k.apiVersion, k.kind))) : terminalText(k.state, 20),
    String(k.total),
    String(k.failing),
    String(k.suspended),
  ]);
  return [
    `Objects: ${health.objects.length} (${describeCounts(all)})`,
    ...columns(['KIND', 'HEALTH', 'TOTAL', 'FAILING', 'SUSPENDED'], rows),
    `  ${chartLegend(TEXT_GLYPHS, '  ')}`,
  ];
}

function alertLines(input: SummaryInput): string[] {
  const alerts = input.alerts?.alerts ?? [];
  const { pending } = sortAlerts(alerts);
  const firing = topFiring(alerts);
  const out = [`Alerts: ${firing.length} firing, ${pending.length} pending`];
  const row = (a: Alert): string[] => [
    a.state.toUpperCase(),
    terminalText(a.name, 80),
    terminalText(a.labels['severity'] ?? '', 20),
    formatAge(a.activeAt, input.now) ?? '',
    terminalText(labelSummary(a.labels), 160),
  ];
  const shown = [...firing, ...pending].slice(0, TERMINAL_LIMITS.alerts);
  if (shown.length > 0)
    out.push(...columns(['STATE', 'ALERT', 'SEVERITY', 'ACTIVE SINCE', 'LABELS'], shown.map(row)));
  out.push(...more(firing.length + pending.length, shown.length, 'alerts'));
  for (const e of input.alerts?.errors ?? []) {
    out.push(`  rule ${terminalText(e.rule, 80)} not evaluated: ${terminalText(e.message, 200)}`);
  }
  return out;
}

function failingLines(input: SummaryInput): string[] {
  const failing = topFailing(input.health.failing);
  if (failing.length === 0) return ['Failing objects: none'];
  const out = [`Failing objects: ${failing.length}, newest first`];
  for (const o of failing.slice(0, TERMINAL_LIMITS.failingObjects)) {
    const since = formatAge(o.since, input.now);
    const revision = o.revision ? ` @ ${terminalText(shortRevision(o.revision), 80)}` : '';
    out.push(
      `  ${terminalText(o.kind, 60)} ${name(o)}: ${terminalText(o.reason, 80)}${since ? ` (${since})` : ''}${revision}`,
    );
    if (o.message) out.push(`      ${terminalText(o.message, TERMINAL_LIMITS.message)}`);
    const event = eventsOf(input.inventory.events, o)[0];
    if (event && event.message !== o.message) {
      out.push(
        `      event ${terminalText(event.reason, 80)} x${event.count}: ${terminalText(event.message, TERMINAL_LIMITS.message)}`,
      );
    }
  }
  out.push(...more(failing.length, TERMINAL_LIMITS.failingObjects, 'failing objects'));
  return out;
}

function syncLines(input: SummaryInput): string[] {
  const answer = input.health.sync;
  if (input.health.scope.outOfScope.includes('sync')) return ['Sync: out of scope'];
  if (answer.error) return [`Sync: unknown (${terminalText(answer.error, 200)})`];
  const s = answer.sync;
  if (!s) return ['Sync: none configured'];
  return [
    `Sync: ${s.ready ? 'ready' : 'NOT READY'} ${terminalText(s.id, 120)}` +
      (s.source ? ` from ${terminalText(s.source, 200)}` : '') +
      (s.path ? ` path ${terminalText(s.path, 120)}` : ''),
    `  ${terminalText(s.status, 300)}`,
  ];
}

function controllerLines(input: SummaryInput): string[] {
  const components = input.report.spec.components;
  if (input.health.scope.outOfScope.includes('controllers')) return ['Controllers: out of scope'];
  if (!components) return ['Controllers: unknown'];
  if (components.length === 0) return ['Controllers: none found'];
  return [
    'Controllers:',
    ...columns(
      ['NAME', 'READY', 'STATUS'],
      components.map((c) => [terminalText(c.name, 80), c.ready ? 'yes' : 'NO', terminalText(c.status, 160)]),
    ),
  ];
}

function noteLines(input: SummaryInput): string[] {
  const notes = [
    ...input.health.notes,
    ...unlistedKinds(input.health).map((k) => `${k.kind} ${k.state}${k.error ? `: ${k.error}` : ''}`),
  ];
  const diffs = input.health.existingReport?.differences.length ?? 0;
  if (diffs > 0)
    notes.push(`The existing FluxReport differs from this check in ${diffs} field${diffs === 1 ? '' : 's'}.`);
  return notes.length === 0 ? [] : ['Notes:', ...notes.map((n) => `  - ${terminalText(n, 300)}`)];
}

/** The result of `flux-health wait`: the outcome, then every object not converged and why. */
export function renderTerminalWait(wait: WaitResult): string {
  return waitLines(wait).join('\n') + '\n';
}

export function renderTerminalSummary(input: SummaryInput): string {
  const sections = [
    verdictLines(input),
    factLines(input),
    waitLines(input.wait),
    kindLines(input),
    alertLines(input),
    failingLines(input),
    syncLines(input),
    controllerLines(input),
    noteLines(input),
  ].filter((lines) => lines.length > 0);
  return sections.map((lines) => lines.join('\n')).join('\n\n') + '\n';
}
