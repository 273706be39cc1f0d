/**
 * The sticky pull-request comment: the job summary's compact sibling. A reviewer sees the verdict,
 * the counts, one bar for the whole cluster, the firing alerts and the failing objects that matter
 * most, and a link to the run for everything else. Same verdict and escaping as the summary.
 */
import type { Alert } from '../rules/alerts.js';
import type { FailingObject } from '../report/health.js';
import { escapeCell, escapeInline } from '../text/escape.js';
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
} from './markdown.js';
import { chartLegend, countByKind, describeCounts, EMOJI_GLYPHS, kindKey, stateBar } from './chart.js';
import {
  cellText,
  formatDuration,
  labelSummary,
  notReady,
  safeRunUrl,
  sinceCell,
  sortAlerts,
  sortFailing,
  VERDICT_MARKERS,
  whereFull,
  type SummaryInput,
} from './summary.js';
import { fluxInstalledIn, VERDICT_WORDS } from '../verdict.js';
import { severityRank } from '../rules/gate.js';

/** Well under GitHub's 65,536 characters, leaving room for the publish layer's marker. */
export const COMMENT_BUDGET_CHARACTERS = 60_000;

/** Rows per list: a comment is read in a review, not searched. */
export const COMMENT_LIMITS = {
  firingAlerts: 15,
  failingObjects: 15,
  waitObjects: 15,
  /** Code points of a message. */
  message: 160,
} as const;

/** Firing alerts by severity, then newest first (what just broke), then name and labels. */
export function topFiring(alerts: readonly Alert[]): Alert[] {
  const { firing } = sortAlerts(alerts);
  // sortAlerts gives a total order; a stable sort on top of it keeps that as the last tie-break.
  return firing.sort((a, b) => severityRank(b) - severityRank(a) || b.activeAtMs - a.activeAtMs);
}

/** Failing objects newest first (a pull request is about what changed), then by kind and name. */
export function topFailing(failing: readonly FailingObject[]): FailingObject[] {
  const time = (o: FailingObject): number => {
    const t = o.since === undefined ? Number.NaN : Date.parse(o.since);
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  return sortFailing(failing).sort((a, b) => time(b) - time(a));
}

function objectName(o: { namespace: string; name: string }): string {
  return o.namespace === '' ? o.name : `${o.namespace}/${o.name}`;
}

function shownOf(total: number, shown: number): string {
  return shown < total ? `: ${shown} of ${total}` : `: ${total}`;
}

function headBlock(input: SummaryInput): string {
  const verdict = input.verdict;
  const title = `${VERDICT_MARKERS[verdict.level]} Flux Health: ${VERDICT_WORDS[verdict.level]}`;
  const cluster = input.clusterName
    ? ` · ${escapeInline(input.clusterName, { newline: 'space', maxLength: 200 })}`
    : '';
  return joinBlocks(
    heading(2, md(title + cluster)),
    bulletList(
      [...verdict.reasons, ...verdict.notes.map((n) => `Note: ${n}`)].map((r) =>
        md(escapeInline(r, { newline: 'space', maxLength: 400 })),
      ),
    ),
  );
}

function factsLine(input: SummaryInput): string {
  const { report } = input;
  const parts: Inline[] = [];
  const cluster = report.spec.cluster;
  parts.push(md('**Kubernetes** '), cluster ? cluster.serverVersion : 'unknown');
  parts.push(md(' · **Flux** '));
  parts.push(
    fluxInstalledIn(report) ? (report.spec.distribution.version ?? 'version unknown') : 'not installed',
  );
  const sync = input.health.sync.sync;
  if (sync) parts.push(md(' · **Sync** '), sync.ready ? md('ready') : md('**not ready**'));
  return paragraph(...parts);
}

function kindsBlock(input: SummaryInput): string {
  const { health } = input;
  if (health.objects.length === 0 && health.kinds.length === 0) return '';
  const { byKind, all } = countByKind(health.objects);
  const overall = paragraph(
    md(`${stateBar(all, EMOJI_GLYPHS, 20)} `),
    md(`${health.objects.length} objects: ${describeCounts(all)}.`),
  );
  const rows = health.kinds.map((k) => {
    const counts = byKind.get(kindKey(k.apiVersion, k.kind));
    return [
      k.kind,
      k.state === 'listed'
        ? md(counts ? stateBar(counts, EMOJI_GLYPHS) : '')
        : md(`**${escapeCell(k.state)}**`),
      md(String(k.failing)),
      md(String(k.suspended)),
      md(String(k.total)),
    ];
  });
  return joinBlocks(
    overall,
    rows.length > 0
      ? details(
          md('Objects by kind'),
          joinBlocks(
            table(['Kind', 'Health', 'Failing', 'Suspended', 'Total'], rows, [
              'left',
              'left',
              'right',
              'right',
              'right',
            ]),
            paragraph(md(`<sub>${chartLegend(EMOJI_GLYPHS)}</sub>`)),
          ),
        )
      : '',
  );
}

function waitBlock(input: SummaryInput): string {
  const wait = input.wait;
  if (!wait) return '';
  const left = notReady(wait);
  const shown = left.slice(0, COMMENT_LIMITS.waitObjects);
  const line =
    wait.outcome === 'converged'
      ? 'Converged: every watched object is ready.'
      : `${wait.outcome === 'timeout' ? 'Timed out' : 'Failed'} after ${formatDuration(wait.elapsedMs)}: ` +
        `${left.length} not ready${shown.length < left.length ? `, the first ${shown.length} below` : ''}.`;
  return joinBlocks(
    heading(3, md('Wait')),
    paragraph(md(line)),
    shown.length > 0
      ? table(
          ['Kind', 'Namespace/Name', 'State', 'Why'],
          shown.map((o) => [o.kind, objectName(o), o.state, cellText(o.reason, COMMENT_LIMITS.message)]),
        )
      : '',
  );
}

function alertsBlock(input: SummaryInput): string {
  const alerts = input.alerts?.alerts ?? [];
  const firing = topFiring(alerts);
  if (firing.length === 0) return '';
  const shown = firing.slice(0, COMMENT_LIMITS.firingAlerts);
  return joinBlocks(
    heading(3, md(`Firing alerts${shownOf(firing.length, shown.length)}`)),
    table(
      ['Alert', 'Severity', 'Active since', 'Labels'],
      shown.map((a) => [
        a.name,
        a.labels['severity'] ?? '',
        sinceCell(a.activeAt, input.now),
        cellText(labelSummary(a.labels), 200),
      ]),
    ),
  );
}

function failingBlock(input: SummaryInput): string {
  const failing = topFailing(input.health.failing);
  if (failing.length === 0) return '';
  const shown = failing.slice(0, COMMENT_LIMITS.failingObjects);
  return joinBlocks(
    heading(3, md(`Failing objects${shownOf(failing.length, shown.length)}, newest first`)),
    table(
      ['Kind', 'Namespace/Name', 'Reason', 'Failing since', 'Message'],
      shown.map((o) => [
        o.kind,
        objectName(o),
        o.reason,
        sinceCell(o.since, input.now),
        cellText(o.message, COMMENT_LIMITS.message),
      ]),
    ),
  );
}

function footerBlock(input: SummaryInput): string {
  const parts: Inline[] = [];
  const url = safeRunUrl(input.runUrl);
  if (url) parts.push(md(`Details in the [job summary](${url})`));
  if (input.artifactName) {
    parts.push(text(md(url ? '; full report ' : 'Full report '), whereFull(undefined, input.artifactName)));
  }
  if (parts.length === 0) return '';
  return paragraph(md('<sub>'), ...parts, md('.</sub>'));
}

export function renderComment(input: SummaryInput): string {
  const doc = joinBlocks(
    headBlock(input),
    factsLine(input),
    kindsBlock(input),
    waitBlock(input),
    alertsBlock(input),
    failingBlock(input),
    footerBlock(input),
  );
  const cut = truncateMarkdown(doc, COMMENT_BUDGET_CHARACTERS - 1, {
    unit: 'characters',
    artifactName: input.artifactName,
  });
  return cut.text + '\n';
}
