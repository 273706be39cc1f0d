/**
 * The job summary: what a person opening the workflow run reads first. Pure: the same input
 * always gives the same Markdown (times are relative to `input.now`, never to the clock).
 *
 * The verdict itself is decided once, in `verdict.ts`; this file only shows it.
 *
 * Every string that comes from the cluster (names, reasons, messages, revisions, event notes,
 * alert labels and annotations, which are templated from cluster labels) and every string a user
 * chose (cluster name, gate reason, rule names) goes through `escape.ts`/`markdown.ts`; only
 * Markdown written here is passed as trusted `md()`.
 */
import { compareStrings } from '../go/strings.js';
import type { Alert, AlertsResult } from '../rules/alerts.js';
import { alertSubject, objectSubject } from '../rules/gate.js';
import { labelsKey } from '../rules/alerts.js';
import type { Inventory, WarningEvent } from '../inventory/index.js';
import type { FailingObject, HealthSection, KindSummary } from '../report/health.js';
import type { FluxReport } from '../report/types.js';
import type { Verdict as WaitVerdict } from '../wait/judge.js';
import {
  fluxInstalledIn,
  unlistedKinds,
  VERDICT_WORDS,
  type Verdict,
  type VerdictLevel,
} from '../verdict.js';
import type { WaitResult } from '../wait/wait.js';
import { codeSpan, escapeCell, escapeInline } from '../text/escape.js';
import {
  bulletList,
  details,
  heading,
  joinBlocks,
  md,
  paragraph,
  table,
  text,
  truncateMarkdown,
  type Inline,
  type Markdown,
} from './markdown.js';
import {
  chartLegend,
  countByKind,
  describeCounts,
  EMOJI_GLYPHS,
  kindKey,
  stateBar,
  type StateCounts,
} from './chart.js';
import { plural } from '../text/plural.js';

// ---------------------------------------------------------------------------------------------
// Input

export type { WaitResult };

export interface SummaryInput {
  /** A name the user gave the cluster (action input); untrusted like everything else. */
  clusterName?: string;
  /** The commit this run is about (the PR head, `expected-revision` or the workflow's SHA). */
  commit?: string;
  report: FluxReport;
  health: HealthSection;
  /** For Warning events and controller Deployments. */
  inventory: Inventory;
  alerts?: AlertsResult;
  /** The run's one verdict (verdict.ts): the first line, the reasons, the gate. */
  verdict: Verdict;
  wait?: WaitResult;
  /** Named wherever the summary points at the full data. */
  artifactName?: string;
  /** Link to the workflow run; used only when it is a plain https URL. */
  runUrl?: string;
  /** The instant relative times are measured from. */
  now: Date;
  /** Byte budget; default {@link SUMMARY_BUDGET_BYTES}. */
  maxBytes?: number;
}

// ---------------------------------------------------------------------------------------------
// Limits

/**
 * GitHub's 1 MiB per step, less room for what else the step writes (the publish layer cuts
 * again against the file's actual size) and for GitHub counting differently than we do.
 */
export const SUMMARY_BUDGET_BYTES = 1024 * 1024 - 32 * 1024;

/**
 * Rows per section, so that one huge section cannot push the later ones past the byte budget:
 * every section appears, each with a pointer to the full list.
 */
export const SUMMARY_LIMITS = {
  alertsPerState: 300,
  failingObjects: 1000,
  eventObjects: 150,
  eventsPerObject: 5,
  waitObjects: 500,
  differences: 200,
  /** Code points of a message in a table cell. */
  message: 300,
  /** Code points of a message in an event table. */
  eventMessage: 500,
} as const;

// ---------------------------------------------------------------------------------------------
// Verdict (decided in verdict.ts; shown here)

export const VERDICT_MARKERS: Readonly<Record<VerdictLevel, string>> = {
  healthy: '✅',
  degraded: '⚠️',
  failing: '❌',
  error: '⛔',
};

// ---------------------------------------------------------------------------------------------
// Shared helpers (the comment and the terminal summary use them too)

/** `45s`, `12m`, `3h 5m`, `41d 15h`: two units at most, enough to read at a glance. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}

/** `3h 5m ago` relative to `now`; undefined when `iso` is not a time. */
export function formatAge(iso: string | undefined, now: Date): string | undefined {
  const t = iso === undefined ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  const ms = now.getTime() - t;
  return ms >= 0 ? `${formatDuration(ms)} ago` : `${formatDuration(ms)} from now`;
}

/** `2026-11-21 12:00:00 UTC`; undefined when `iso` is not a time. */
export function formatInstant(iso: string | undefined): string | undefined {
  const t = iso === undefined ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  return new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

/** Long hex digests cut to 12 digits: enough to recognise, short enough for a table. */
export function shortRevision(revision: string): string {
  return revision.replace(/\b(sha1|sha256|sha384|sha512):([0-9a-f]{12})[0-9a-f]{4,}/g, '$1:$2…');
}

/** Firing and pending alerts, each sorted by name, then labels (the order of alerts.json). */
export function sortAlerts(alerts: readonly Alert[]): { firing: Alert[]; pending: Alert[] } {
  const key = (a: Alert): string => `${a.name}\u0000${labelsKey(a.labels)}`;
  const sorted = [...alerts].sort((a, b) => compareStrings(key(a), key(b)));
  return {
    firing: sorted.filter((a) => a.state === 'firing'),
    pending: sorted.filter((a) => a.state === 'pending'),
  };
}

/** `kind=Bucket, name=cart, namespace=apps`: labels other than alertname and severity, by key. */
export function labelSummary(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .filter((k) => k !== 'alertname' && k !== 'severity')
    .sort(compareStrings)
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join(', ');
}

/** Failing objects by kind, namespace and name. */
export function sortFailing(failing: readonly FailingObject[]): FailingObject[] {
  const key = (o: FailingObject): string =>
    `${o.kind}\u0000${o.namespace}\u0000${o.name}\u0000${o.apiVersion}`;
  return [...failing].sort((a, b) => compareStrings(key(a), key(b)));
}

/** The object's Warning events, newest first as the Inventory holds them. */
export function eventsOf(
  events: readonly WarningEvent[],
  object: Pick<FailingObject, 'kind' | 'namespace' | 'name'>,
): WarningEvent[] {
  return events.filter(
    (e) => e.involvedKind === object.kind && e.namespace === object.namespace && e.name === object.name,
  );
}

/** The objects a wait left not converged, sorted by kind, namespace and name. */
export function notReady(wait: WaitResult): WaitVerdict[] {
  const key = (o: WaitVerdict): string => `${o.kind}\u0000${o.namespace}\u0000${o.name}`;
  return wait.objects.filter((o) => o.state !== 'converged').sort((a, b) => compareStrings(key(a), key(b)));
}

/** The run link, only when it is a plain https URL (it goes into a Markdown link target). */
export function safeRunUrl(url: string | undefined): string | undefined {
  return url !== undefined && /^https:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9._~\-/%]*)?$/.test(url)
    ? url
    : undefined;
}

/** Where the full data is: `in alerts.json of the artifact `flux-health``. */
export function whereFull(file: string | undefined, artifactName: string | undefined): Markdown {
  const inFile = file ? `in ${codeSpan(file)} ` : '';
  return artifactName
    ? md(`${inFile}${file ? 'of' : 'in'} the artifact ${codeSpan(artifactName)}`)
    : md(`${inFile}in the output directory`);
}

/** `… and 12 more; all of them in report.json of the artifact x.` */
export function moreLine(
  omitted: number,
  what: string,
  file: string | undefined,
  artifactName: string | undefined,
): string {
  return paragraph(md(`… and ${omitted} more ${what}; all of them `), whereFull(file, artifactName), md('.'));
}

// ---------------------------------------------------------------------------------------------
// Cells

/** Untrusted text cut to `maxLength` code points, escaped for a table cell. */
export function cellText(value: string, maxLength: number): Markdown {
  return md(escapeCell(value, { maxLength }));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NBSP = '\u00A0';

/**
 * `10 Oct 2026 20:03:59 UTC` with no-break spaces inside the date and the time, and no hyphens:
 * browsers squeeze a narrow table column down to its longest unbreakable run, and an ISO date
 * would break at every hyphen.
 */
export function formatInstantForCell(iso: string | undefined): string | undefined {
  const t = iso === undefined ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  const time = d.toISOString().slice(11, 19);
  return [d.getUTCDate(), MONTHS[d.getUTCMonth()], d.getUTCFullYear()].join(NBSP) + ` ${time}${NBSP}UTC`;
}

/** `3h 5m ago` over a small absolute time; `unknown` without one. */
export function sinceCell(iso: string | undefined, now: Date): Markdown {
  const age = formatAge(iso, now);
  const at = formatInstantForCell(iso);
  if (age === undefined || at === undefined) return md(iso ? escapeCell(iso) : 'unknown');
  return md(`${escapeCell(age.replace(/ /g, NBSP))}<br><sub>${escapeCell(at)}</sub>`);
}

export function revisionCell(revision: string): Markdown {
  return revision === '' ? md('') : md(codeSpan(shortRevision(revision), { inTable: true, maxLength: 200 }));
}

function objectName(o: { namespace: string; name: string }): string {
  return o.namespace === '' ? o.name : `${o.namespace}/${o.name}`;
}

// ---------------------------------------------------------------------------------------------
// Sections

function verdictBlock(input: SummaryInput, verdict: Verdict): string {
  const cluster = input.clusterName
    ? ` · ${escapeInline(input.clusterName, { newline: 'space', maxLength: 200 })}`
    : '';
  const [first, ...rest] = verdict.reasons;
  return joinBlocks(
    heading(
      2,
      md(`${VERDICT_MARKERS[verdict.level]} Flux Health: ${VERDICT_WORDS[verdict.level]}${cluster}`),
    ),
    // The one-line reason, then the others: what a reader needs before anything else.
    paragraph(
      md(`**${escapeInline(first ?? verdict.headline.replace(/^[A-Za-z]+: /, ''), { newline: 'space' })}**`),
    ),
    bulletList(
      [...rest, ...verdict.notes.map((n) => `Note: ${n}`)].map((r) =>
        md(escapeInline(r, { newline: 'space' })),
      ),
    ),
  );
}

/** Kubernetes, Flux, namespace, source and check time, on one line that wraps at any width. */
function factsBlock(input: SummaryInput): string {
  const { report, health } = input;
  const cluster = report.spec.cluster;
  const kube = cluster
    ? text(
        cluster.serverVersion,
        md(' '),
        cluster.platform,
        md(cluster.nodes === undefined ? '' : `, ${plural(cluster.nodes, 'node')}`),
      )
    : md('unknown');
  const dist = report.spec.distribution;
  const flux = fluxInstalledIn(report)
    ? text(
        dist.version ?? 'version unknown',
        md(dist.managedBy ? ' managed by ' : ''),
        dist.managedBy ?? '',
        md(', entitlement '),
        dist.entitlement,
      )
    : text(md('**not installed**: no CRD labelled '), code('app.kubernetes.io/part-of=flux'));
  const source =
    health.source.type === 'cluster'
      ? text(md('API server '), code(health.source.server))
      : text(md('snapshot '), code(health.source.file));
  const names = health.scope.namespaces;
  const scope =
    names === 'all'
      ? md('all namespaces')
      : text(
          md(names.length === 1 ? 'namespace ' : 'namespaces '),
          ...names.flatMap((n, i) => [md(i === 0 ? '' : ', '), code(n)]),
        );
  return paragraph(
    md('**Kubernetes** '),
    kube,
    md(' · **Flux** '),
    flux,
    md(' in '),
    code(health.namespace),
    md(' · '),
    source,
    md(' · **Scope** '),
    scope,
    md(' · checked '),
    formatInstant(health.checkedAt) ?? health.checkedAt,
    md(` by ${escapeInline(`${health.tool.name} ${health.tool.version}`)}`),
  );
}

function code(value: string): Markdown {
  return md(codeSpan(value, { maxLength: 300 }));
}

function waitBlock(input: SummaryInput): string {
  const wait = input.wait;
  if (!wait) return '';
  const left = notReady(wait);
  const outcome =
    wait.outcome === 'converged'
      ? `Converged after ${formatDuration(wait.elapsedMs)}: every watched object is ready.`
      : wait.outcome === 'timeout'
        ? `Timed out after ${formatDuration(wait.elapsedMs)}: ${plural(left.length, 'object')} still not ready.`
        : `Failed after ${formatDuration(wait.elapsedMs)}: ${plural(left.length, 'object')} not ready.`;
  const shown = left.slice(0, SUMMARY_LIMITS.waitObjects);
  const rows = shown.map((o) => [
    o.kind,
    objectName(o),
    o.state,
    o.role,
    revisionCell(o.revision ?? ''),
    cellText(o.reason, SUMMARY_LIMITS.message),
  ]);
  return joinBlocks(
    heading(3, md('Wait for convergence')),
    paragraph(md(`**${outcome}**`)),
    paragraph(md('Expected revision '), md(codeSpan(wait.expected, { maxLength: 200 })), md('.')),
    wait.message ? paragraph(wait.message) : '',
    rows.length > 0 ? table(['Kind', 'Namespace/Name', 'State', 'Role', 'Revision', 'Why'], rows) : '',
    left.length > shown.length
      ? moreLine(left.length - shown.length, 'objects not ready', undefined, input.artifactName)
      : '',
  );
}

/**
 * One row per kind in five narrow columns, so the table fits the job summary's ~950 px without
 * wrapping; API versions and artifact sizes, read less often, are folded below it.
 */
function kindsBlock(input: SummaryInput): string {
  const { health } = input;
  if (health.kinds.length === 0) {
    return joinBlocks(heading(3, md('Objects by kind')), paragraph(md('No Flux kinds were found.')));
  }
  const { byKind, all } = countByKind(health.objects);
  const rows: Inline[][] = health.kinds.map((k) => {
    const listed = k.state === 'listed';
    return [
      k.kind,
      listed ? md(barCell(byKind.get(kindKey(k.apiVersion, k.kind)))) : md(`**${escapeCell(k.state)}**`),
      md(listed ? String(k.total) : '–'),
      md(listed ? String(k.failing) : '–'),
      md(listed ? String(k.suspended) : '–'),
    ];
  });
  const sum = (f: (k: KindSummary) => number): string => String(health.kinds.reduce((n, k) => n + f(k), 0));
  rows.push([
    md('**All kinds**'),
    md(barCell(all)),
    md(`**${sum((k) => k.total)}**`),
    md(`**${sum((k) => k.failing)}**`),
    md(`**${sum((k) => k.suspended)}**`),
  ]);
  const more = health.kinds.map((k) => [
    k.kind,
    md(codeSpan(k.apiVersion, { inTable: true })),
    md(k.state === 'listed' ? String(k.running) : '–'),
    k.totalSize ?? '',
    k.error ? cellText(k.error, 300) : '',
  ]);
  return joinBlocks(
    heading(3, md('Objects by kind')),
    paragraph(md(`${describeCounts(all)}.`)),
    table(['Kind', 'Health', 'Total', 'Failing', 'Suspended'], rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
    ]),
    paragraph(md(`<sub>${chartLegend(EMOJI_GLYPHS)}.</sub>`)),
    details(
      md('API versions, running objects and artifact sizes'),
      joinBlocks(
        table(['Kind', 'API version', 'Running', 'Size', 'Listing error'], more, [
          'left',
          'left',
          'right',
          'right',
          'left',
        ]),
        paragraph(md('<sub>Running counts every object that is not suspended, failing ones included.</sub>')),
      ),
    ),
  );
}

function barCell(counts: StateCounts | undefined): string {
  if (!counts) return '';
  return stateBar(counts, EMOJI_GLYPHS);
}

/** The object an alert is about, as `Kind namespace/name`, or its labels when it names none. */
function alertObject(a: Alert): string {
  const l = a.labels;
  const ns = l['exported_namespace'] ?? l['namespace'] ?? '';
  return l['name'] !== undefined
    ? `${l['kind'] ?? ''} ${ns === '' ? l['name'] : `${ns}/${l['name']}`}`.trim()
    : labelSummary(l);
}

function alertRows(alerts: readonly Alert[], now: Date): Inline[][] {
  return alerts.map((a) => [
    a.name,
    a.labels['severity'] ?? '',
    cellText(alertObject(a), 200),
    sinceCell(a.activeAt, now),
  ]);
}

/** Alerts grouped by rule name and severity: the overview before the per-alert lists. */
export function alertGroups(
  alerts: readonly Alert[],
): { name: string; severity: string; firing: number; pending: number }[] {
  const groups = new Map<string, { name: string; severity: string; firing: number; pending: number }>();
  for (const a of alerts) {
    const severity = a.labels['severity'] ?? '';
    const key = `${a.name}\u0000${severity}`;
    const g = groups.get(key) ?? { name: a.name, severity, firing: 0, pending: 0 };
    g[a.state]++;
    groups.set(key, g);
  }
  return [...groups.values()].sort(
    (a, b) => b.firing - a.firing || compareStrings(a.name, b.name) || compareStrings(a.severity, b.severity),
  );
}

function alertsBlock(input: SummaryInput): string {
  const result = input.alerts;
  if (!result) return '';
  const { firing, pending } = sortAlerts(result.alerts);
  if (firing.length + pending.length === 0) {
    return joinBlocks(heading(3, md('Alerts')), paragraph(md('No alert is firing or pending.')));
  }
  const overview = table(
    ['Alert', 'Severity', 'Firing', 'Pending'],
    alertGroups(result.alerts).map((g) => [g.name, g.severity, md(String(g.firing)), md(String(g.pending))]),
    ['left', 'left', 'right', 'right'],
  );
  // Every alert, folded: the failing objects above already show the alerts about them.
  const list = (alerts: Alert[], state: string): string => {
    if (alerts.length === 0) return '';
    const shown = alerts.slice(0, SUMMARY_LIMITS.alertsPerState);
    return details(
      md(`${alerts.length} ${state}: alert, severity, object, active since`),
      joinBlocks(
        table(['Alert', 'Severity', 'Object', 'Active since'], alertRows(shown, input.now)),
        alerts.length > shown.length
          ? moreLine(alerts.length - shown.length, `${state} alerts`, 'alerts.json', input.artifactName)
          : '',
      ),
    );
  };
  return joinBlocks(
    heading(3, md(`Alerts: ${firing.length} firing, ${pending.length} pending`)),
    overview,
    list(firing, 'firing'),
    list(pending, 'pending'),
  );
}

/** Alerts by the object they are about (gate.ts's subject key). */
export function alertsByObject(alerts: readonly Alert[]): Map<string, Alert[]> {
  const by = new Map<string, Alert[]>();
  for (const a of alerts) {
    const key = alertSubject(a);
    const list = by.get(key);
    if (list) list.push(a);
    else by.set(key, [a]);
  }
  return by;
}

/**
 * One entry per failing object: kind, name, reason, since and revision on the first line, the
 * message on its own line (it wraps, however long its URLs), the object's alerts, and its recent
 * Warning events folded below. A list rather than a table: free text in a table cell would widen
 * the table past the page.
 */
export function failingEntry(
  o: FailingObject,
  alerts: readonly Alert[],
  events: readonly WarningEvent[],
  now: Date,
  limits: { message: number; events: number; eventMessage: number },
): string {
  const t = o.since === undefined ? Number.NaN : Date.parse(o.since);
  const since = Number.isNaN(t) ? undefined : formatDuration(now.getTime() - t);
  const head = [
    `**${escapeInline(o.kind)}** ${codeSpan(objectName(o), { maxLength: 300 })}`,
    escapeInline(o.reason || 'no reason', { maxLength: 200 }),
    since ? `failing for ${escapeInline(since)}` : 'failing since an unknown time',
    ...(o.revision ? [codeSpan(shortRevision(o.revision), { maxLength: 200 })] : []),
  ].join(' · ');
  const lines = [head];
  if (o.message) lines.push(escapeInline(o.message, { newline: 'space', maxLength: limits.message }));
  if (alerts.length > 0) {
    const names = [...new Map(alerts.map((a) => [`${a.name}\u0000${a.state}`, a])).values()].map(
      (a) => `${a.name} (${a.labels['severity'] ?? 'no severity'}, ${a.state})`,
    );
    lines.push(`🔔 ${escapeInline(names.join(' · '))}`);
  }
  let item = `- ${lines.join('<br>\n  ')}`;
  if (events.length > 0) {
    const shown = events.slice(0, limits.events);
    const list = shown.map((e) => {
      const age = formatAge(e.timestamp, now) ?? 'unknown';
      const count = e.count > 1 ? ` ×${e.count}` : '';
      // The event usually repeats the condition's message: say so rather than print it twice.
      const message =
        e.message === o.message
          ? 'the message above'
          : escapeInline(e.message, { newline: 'space', maxLength: limits.eventMessage });
      return `  - ${escapeInline(age)} · **${escapeInline(e.reason)}**${count}: ${message}`;
    });
    const older = events.length - shown.length;
    item += `\n\n  <details><summary>${plural(events.length, 'recent Warning event')}</summary>\n\n${list.join('\n')}${older > 0 ? `\n  - … and ${older} older` : ''}\n\n  </details>`;
  }
  return item;
}

function failingBlock(input: SummaryInput): string {
  const failing = sortFailing(input.health.failing);
  if (failing.length === 0) return '';
  const shown = failing.slice(0, SUMMARY_LIMITS.failingObjects);
  const byObject = alertsByObject(input.alerts?.alerts ?? []);
  const entries = shown.map((o) =>
    failingEntry(o, byObject.get(objectSubject(o)) ?? [], eventsOf(input.inventory.events, o), input.now, {
      message: SUMMARY_LIMITS.message,
      events: SUMMARY_LIMITS.eventsPerObject,
      eventMessage: SUMMARY_LIMITS.eventMessage,
    }),
  );
  return joinBlocks(
    heading(3, md(`Failing objects: ${failing.length}`)),
    entries.join('\n'),
    failing.length > shown.length
      ? moreLine(failing.length - shown.length, 'failing objects', 'report.json', input.artifactName)
      : '',
  );
}

function syncBlock(input: SummaryInput): string {
  const answer = input.health.sync;
  const sync = answer.sync;
  let body: string;
  if (input.health.scope.outOfScope.includes('sync')) {
    body = paragraph(md('Out of scope: the sync is looked up in '), code(input.health.namespace), md('.'));
  } else if (answer.error) {
    body = paragraph(md('Unknown: '), answer.error);
  } else if (!sync) {
    body = paragraph(
      md('No sync configured: no FluxInstance sync and no Kustomization named after the namespace.'),
    );
  } else {
    body = bulletList([
      text(md('**'), sync.ready ? md('Ready') : md('Not ready'), md('** '), code(sync.id)),
      text(md('Status: '), cellText(sync.status, 500)),
      ...(sync.source ? [text(md('Source: '), code(sync.source))] : []),
      ...(sync.path ? [text(md('Path: '), code(sync.path))] : []),
    ]);
  }
  return joinBlocks(
    heading(3, md('Sync')),
    body,
    answer.differsFromReport
      ? paragraph(
          md(
            "<sub>Differs from the FluxReport's <code>spec.sync</code>: Flux Health finds the sync's source by its <code>sourceRef</code>.</sub>",
          ),
        )
      : '',
  );
}

function controllersBlock(input: SummaryInput): string {
  const components = input.report.spec.components;
  const deployments = new Map(input.inventory.deployments.map((d) => [d.name, d]));
  if (input.health.scope.outOfScope.includes('controllers')) {
    return joinBlocks(
      heading(3, md('Controllers')),
      paragraph(md('Out of scope: they run in '), code(input.health.namespace), md('.')),
    );
  }
  if (!components || components.length === 0) {
    return joinBlocks(
      heading(3, md('Controllers')),
      paragraph(
        md(
          components
            ? 'No Flux controller Deployments found.'
            : 'Unknown: the report stops before components.',
        ),
      ),
    );
  }
  const rows = [...components]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((c) => {
      const d = deployments.get(c.name);
      return [
        c.name,
        md(c.ready ? 'yes' : '**no**'),
        md(d ? `${d.status.readyReplicas ?? 0}/${d.replicas ?? 1}` : '–'),
        cellText(c.status, 300),
        md(c.image === '' ? '' : codeSpan(c.image, { inTable: true, maxLength: 200 })),
      ];
    });
  return joinBlocks(
    heading(3, md('Controllers')),
    table(['Controller', 'Ready', 'Replicas', 'Status', 'Image'], rows),
  );
}

function valueText(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

function existingReportBlock(input: SummaryInput): string {
  const existing = input.health.existingReport;
  if (!existing) return '';
  const ready = existing.ready;
  const state = ready
    ? text(
        md('The FluxReport in '),
        code(existing.namespace),
        md(' says Ready='),
        ready.status,
        md(', reason '),
        ready.reason,
        md(
          ready.lastTransitionTime
            ? ` since ${escapeInline(formatAge(ready.lastTransitionTime, input.now) ?? ready.lastTransitionTime)}`
            : '',
        ),
        md('.'),
      )
    : text(md('The FluxReport in '), code(existing.namespace), md(' has no Ready condition.'));
  const diffs = existing.differences;
  if (diffs.length === 0) {
    return joinBlocks(
      heading(3, md('Existing FluxReport')),
      paragraph(state, md(' It agrees with this check.')),
    );
  }
  const shown = diffs.slice(0, SUMMARY_LIMITS.differences);
  // A list, not a table: field paths and values are long unbreakable code that would widen a
  // table past the page.
  const items = shown.map((d) =>
    md(
      `${codeSpan(d.path, { maxLength: 200 })}: this check ${codeSpan(valueText(d.computed), { maxLength: 200 })}, the existing report ${codeSpan(valueText(d.existing), { maxLength: 200 })}`,
    ),
  );
  return joinBlocks(
    heading(3, md('Existing FluxReport')),
    paragraph(state, md(` It differs from this check in ${plural(diffs.length, 'field')}.`)),
    details(
      md('Differences'),
      joinBlocks(
        bulletList(items),
        diffs.length > shown.length ? paragraph(md(`… and ${diffs.length - shown.length} more.`)) : '',
      ),
    ),
  );
}

function notesBlock(input: SummaryInput): string {
  const items: Inline[] = [...input.health.notes];
  for (const k of unlistedKinds(input.health)) {
    items.push(`${k.kind} (${k.apiVersion}) ${k.state}${k.error ? `: ${k.error}` : ''}`);
  }
  for (const e of input.alerts?.errors ?? []) {
    items.push(`Alert rule ${e.rule} (group ${e.group}, ${e.file}) not evaluated: ${e.message}`);
  }
  if (items.length === 0) return '';
  return joinBlocks(heading(3, md('Notes')), bulletList(items));
}

function footerBlock(input: SummaryInput): string {
  const parts: string[] = [];
  if (input.artifactName) {
    parts.push(`Full report, metrics and alerts in the artifact ${codeSpan(input.artifactName)}`);
  }
  const url = safeRunUrl(input.runUrl);
  if (url) parts.push(`[workflow run](${url})`);
  return parts.length > 0 ? paragraph(md(`<sub>${parts.join(' · ')}.</sub>`)) : '';
}

// ---------------------------------------------------------------------------------------------

export function renderSummary(input: SummaryInput): string {
  const verdict = input.verdict;
  const doc = joinBlocks(
    verdictBlock(input, verdict),
    factsBlock(input),
    waitBlock(input),
    kindsBlock(input),
    failingBlock(input),
    alertsBlock(input),
    syncBlock(input),
    controllersBlock(input),
    existingReportBlock(input),
    notesBlock(input),
    footerBlock(input),
  );
  // One byte for the final line break.
  const budget = (input.maxBytes ?? SUMMARY_BUDGET_BYTES) - 1;
  const cut = truncateMarkdown(doc, budget, { unit: 'bytes', artifactName: input.artifactName });
  return cut.text + '\n';
}
