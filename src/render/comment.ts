/**
 * The sticky pull-request comment: the job summary's compact sibling, read in a review. It answers
 * "is it mine?": which cluster, which commit, which revision Flux applied, what is failing (one
 * entry per object, newest first), and what changed since the previous run on this pull request.
 * Same verdict and escaping as the summary; everything else is one link away.
 */
import type { FailingObject } from '../report/health.js';
import { codeSpan, escapeInline } from '../text/escape.js';
import { plural } from '../text/plural.js';
import { countSubjects, objectSubject, SEVERITY_LEVELS, severityRank } from '../rules/gate.js';
import { fluxInstalledIn, VERDICT_WORDS } from '../verdict.js';
import { countByKind, describeCounts, EMOJI_GLYPHS, stateBar } from './chart.js';
import { DIGEST_MAX_OBJECTS, objectHash, type Digest } from './digest.js';
import {
  bulletList,
  heading,
  joinBlocks,
  md,
  paragraph,
  text,
  truncateMarkdown,
  type Inline,
} from './markdown.js';
import {
  alertsByObject,
  failingEntry,
  formatAge,
  formatDuration,
  notReady,
  safeRunUrl,
  shortRevision,
  sortFailing,
  VERDICT_MARKERS,
  whereFull,
  type SummaryInput,
} from './summary.js';

/** Well under GitHub's 65,536 characters, leaving room for the marker and the digest. */
export const COMMENT_BUDGET_CHARACTERS = 56_000;

/** Entries per list: a comment is read in a review, not searched. */
export const COMMENT_LIMITS = {
  failingObjects: 15,
  changes: 10,
  waitObjects: 15,
  reasons: 4,
  /** Code points of a message. */
  message: 200,
} as const;

/** Failing objects newest first (a pull request is about what changed), then by kind and name. */
export function topFailing(failing: readonly FailingObject[]): FailingObject[] {
  const time = (o: FailingObject): number => {
    const t = o.since === undefined ? Number.NaN : Date.parse(o.since);
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  return sortFailing(failing).sort((a, b) => time(b) - time(a));
}

function objectLabel(o: { kind: string; namespace: string; name: string }): string {
  return `**${escapeInline(o.kind)}** ${codeSpan(o.namespace === '' ? o.name : `${o.namespace}/${o.name}`, { maxLength: 200 })}`;
}

/** What this run remembers for the next one (render/digest.ts). */
export function commentDigest(input: SummaryInput): Digest {
  const failing = sortFailing(input.health.failing);
  return {
    v: 1,
    at: input.now.toISOString(),
    ...(input.commit ? { commit: input.commit } : {}),
    failing: failing.slice(0, DIGEST_MAX_OBJECTS).map(objectHash),
    ...(failing.length > DIGEST_MAX_OBJECTS ? { capped: true } : {}),
  };
}

interface Changes {
  previous: Digest;
  added: FailingObject[];
  still: FailingObject[];
  /** Objects that failed before and do not now, named when they still exist. */
  resolved: { kind: string; namespace: string; name: string }[];
  /** Resolved objects that are gone from the cluster, so only counted. */
  resolvedGone: number;
}

export function changesSince(input: SummaryInput, previous: Digest): Changes {
  const before = new Set(previous.failing);
  const failing = sortFailing(input.health.failing);
  const now = new Set(failing.map(objectHash));
  const named = new Map(input.health.objects.map((o) => [objectHash(o), o]));
  const resolvedHashes = [...before].filter((h) => !now.has(h));
  const resolved = resolvedHashes.flatMap((h) => {
    const o = named.get(h);
    return o ? [{ kind: o.kind, namespace: o.namespace, name: o.name }] : [];
  });
  return {
    previous,
    added: failing.filter((o) => !before.has(objectHash(o))),
    still: failing.filter((o) => before.has(objectHash(o))),
    resolved,
    resolvedGone: resolvedHashes.length - resolved.length,
  };
}

function headBlock(input: SummaryInput): string {
  const { verdict } = input;
  const cluster = input.clusterName
    ? ` · ${escapeInline(input.clusterName, { newline: 'space', maxLength: 200 })}`
    : '';
  const [first, ...rest] = verdict.reasons;
  const others = [...rest.slice(0, COMMENT_LIMITS.reasons), ...verdict.notes.map((n) => `Note: ${n}`)];
  return joinBlocks(
    heading(
      3,
      md(`${VERDICT_MARKERS[verdict.level]} Flux Health: ${VERDICT_WORDS[verdict.level]}${cluster}`),
    ),
    paragraph(
      md(
        `**${escapeInline(first ?? verdict.headline.replace(/^[A-Za-z]+: /, ''), { newline: 'space', maxLength: 400 })}**`,
      ),
    ),
    bulletList(others.map((r) => md(escapeInline(r, { newline: 'space', maxLength: 300 })))),
  );
}

/** Which commit, which revision Flux applied, which Kubernetes and Flux: "is it mine?". */
function subjectLine(input: SummaryInput): string {
  const parts: Inline[] = [];
  if (input.commit)
    parts.push(md('**Commit** '), md(codeSpan(shortRevision(input.commit).slice(0, 40))), md(' · '));
  const sync = input.health.sync.sync;
  const applied = sync ? /revision:?\s+(\S+)/i.exec(sync.status)?.[1] : undefined;
  if (sync) {
    parts.push(
      md('**Flux applied** '),
      md(applied ? codeSpan(shortRevision(applied), { maxLength: 120 }) : 'unknown'),
      md(
        ` \\(sync ${codeSpan(sync.id, { maxLength: 120 })}, ${sync.ready ? 'ready' : '**not ready**'}\\) · `,
      ),
    );
  }
  const { report } = input;
  parts.push(
    md('**Flux** '),
    fluxInstalledIn(report) ? (report.spec.distribution.version ?? 'version unknown') : 'not installed',
  );
  if (report.spec.cluster) parts.push(md(' · **Kubernetes** '), report.spec.cluster.serverVersion);
  return paragraph(...parts);
}

function countsLine(input: SummaryInput): string {
  const { all } = countByKind(input.health.objects);
  const firing = (input.alerts?.alerts ?? []).filter((a) => a.state === 'firing');
  // Counted as the verdict counts them: per object, warning and above apart from info.
  const serious = countSubjects(firing.filter((a) => severityRank(a) > SEVERITY_LEVELS.indexOf('info')));
  const info = countSubjects(firing.filter((a) => severityRank(a) <= SEVERITY_LEVELS.indexOf('info')));
  const alerts =
    firing.length === 0
      ? ' · no alert firing'
      : ` · firing alerts on ${plural(serious, 'object')} at warning or above` +
        (info > 0 ? `, info alerts on ${info}` : '');
  return paragraph(
    md(`${stateBar(all, EMOJI_GLYPHS, 20)}<br>`),
    md(`${plural(input.health.objects.length, 'object')}: ${describeCounts(all)}${alerts}`),
  );
}

function changesBlock(input: SummaryInput, previous: Digest | undefined): string {
  if (!previous) return '';
  const c = changesSince(input, previous);
  const when = formatAge(previous.at, input.now);
  const prev = [
    previous.commit ? `commit ${codeSpan(shortRevision(previous.commit).slice(0, 40))}` : '',
    when ? escapeInline(when) : '',
  ].filter((x) => x !== '');
  const resolvedCount = c.resolved.length + c.resolvedGone;
  const summary =
    c.added.length + resolvedCount === 0
      ? `No change: ${plural(c.still.length, 'object')} still failing.`
      : `🆕 ${plural(c.added.length, 'new failure')} · ✅ ${resolvedCount} resolved · ${c.still.length} still failing`;
  const names = (list: { kind: string; namespace: string; name: string }[], more: number): string[] => [
    ...list.slice(0, COMMENT_LIMITS.changes).map(objectLabel),
    ...(more > 0 ? [`… and ${more} more`] : []),
  ];
  const resolvedNames = names(c.resolved, c.resolved.length - COMMENT_LIMITS.changes);
  if (c.resolvedGone > 0) resolvedNames.push(`${plural(c.resolvedGone, 'object')} no longer in the cluster`);
  return joinBlocks(
    heading(4, md('Since the previous run')),
    paragraph(md(`${prev.length > 0 ? `Previous run: ${prev.join(', ')}. ` : ''}${summary}`)),
    c.added.length > 0
      ? paragraph(md(`**New:** ${names(c.added, c.added.length - COMMENT_LIMITS.changes).join(' · ')}`))
      : '',
    resolvedNames.length > 0 ? paragraph(md(`**Resolved:** ${resolvedNames.join(' · ')}`)) : '',
    previous.capped
      ? paragraph(md('<sub>The previous run had more failing objects than are tracked.</sub>'))
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
      ? `Converged after ${formatDuration(wait.elapsedMs)}: every watched object is ready.`
      : `${wait.outcome === 'timeout' ? 'Timed out' : 'Failed'} after ${formatDuration(wait.elapsedMs)}: ` +
        `${plural(left.length, 'object')} not ready${shown.length < left.length ? `, the first ${shown.length} below` : ''}.`;
  return joinBlocks(
    heading(4, md('Wait')),
    paragraph(md(escapeInline(line))),
    bulletList(
      shown.map((o) =>
        md(
          `${objectLabel(o)} · ${escapeInline(o.state)}: ${escapeInline(o.reason, { newline: 'space', maxLength: COMMENT_LIMITS.message })}`,
        ),
      ),
    ),
  );
}

function failingBlock(input: SummaryInput, previous: Digest | undefined): string {
  const failing = topFailing(input.health.failing);
  if (failing.length === 0) return '';
  const shown = failing.slice(0, COMMENT_LIMITS.failingObjects);
  const before = previous ? new Set(previous.failing) : undefined;
  const byObject = alertsByObject(input.alerts?.alerts ?? []);
  const entries = shown.map((o) => {
    const entry = failingEntry(o, byObject.get(objectSubject(o)) ?? [], [], input.now, {
      message: COMMENT_LIMITS.message,
      events: 0,
      eventMessage: 0,
    });
    return before && !before.has(objectHash(o)) ? entry.replace(/^- /, '- 🆕 ') : entry;
  });
  const title = `Failing objects${shown.length < failing.length ? `: ${shown.length} of ${failing.length}` : `: ${failing.length}`}, newest first`;
  return joinBlocks(heading(4, md(title)), entries.join('\n'));
}

function footerBlock(input: SummaryInput): string {
  const parts: Inline[] = [];
  const url = safeRunUrl(input.runUrl);
  if (url) parts.push(md(`Every object, alert and event in the [job summary](${url})`));
  if (input.artifactName) {
    parts.push(
      text(md(url ? '; the full report ' : 'The full report '), whereFull(undefined, input.artifactName)),
    );
  }
  if (parts.length === 0) return '';
  return paragraph(md('<sub>'), ...parts, md('.</sub>'));
}

/** The comment's Markdown; `previous` is the digest of this pull request's last run, if any. */
export function renderComment(input: SummaryInput, previous?: Digest): string {
  const doc = joinBlocks(
    headBlock(input),
    subjectLine(input),
    countsLine(input),
    changesBlock(input, previous),
    waitBlock(input),
    failingBlock(input, previous),
    footerBlock(input),
  );
  const cut = truncateMarkdown(doc, COMMENT_BUDGET_CHARACTERS - 1, {
    unit: 'characters',
    artifactName: input.artifactName,
  });
  return cut.text + '\n';
}
