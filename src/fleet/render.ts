/**
 * The fleet as Markdown (stdout, the job summary) and as JSON (`-o json`, fleet.json). Every
 * string a cluster or a pipeline chose (cluster names, folders, Kustomization names, revisions,
 * versions, headlines) goes through the escaping builders of render/markdown.ts; only the
 * sentences written here are trusted.
 */
import { jsonText } from '../json-text.js';
import {
  code,
  details,
  heading,
  joinBlocks,
  md,
  paragraph,
  table,
  text,
  type Inline,
  type Markdown,
} from '../render/markdown.js';
import { VERDICT_MARKERS } from '../render/summary.js';
import { escapeInline } from '../text/escape.js';
import { plural } from '../text/plural.js';
import { VERDICT_WORDS, type VerdictLevel } from '../verdict.js';
import { parseRevision } from '../wait/revision.js';
import type { ClusterRow, Fleet, SharedKustomization } from './model.js';

/** Names listed in one sentence or cell before `and N more`; the JSON has them all. */
const LIST_CAP = 12;
/** How much of a run's headline a table cell shows. */
const HEADLINE_CHARS = 160;

const SEVERITY: readonly VerdictLevel[] = ['error', 'failing', 'degraded', 'healthy'];

/** The fleet's worst verdict; a run that could not be read counts as an error. */
export function fleetLevel(fleet: Fleet): VerdictLevel {
  if (fleet.problems.length > 0) return 'error';
  return SEVERITY.find((l) => fleet.counts[l] > 0) ?? 'healthy';
}

/** `a, b and 3 more`, each item already Markdown. */
function capped(items: readonly Markdown[], cap = LIST_CAP): Markdown {
  const shown = items.slice(0, cap).map((i) => i.markdown);
  const more = items.length - shown.length;
  return md(shown.join(', ') + (more > 0 ? ` and ${more} more` : ''));
}

const name = (s: string): Markdown => text(s);

/** `the cluster`, `both clusters`, `all 5 clusters`. */
function every(n: number): string {
  return n === 1 ? 'the cluster' : n === 2 ? 'both clusters' : `all ${n} clusters`;
}

/** Long hex runs (SHAs, digests) cut to 12 characters: enough to recognise, short enough to read. */
export function shortRevision(revision: string): string {
  return revision.replace(/([0-9a-f]{12})[0-9a-f]{8,}/g, '$1…');
}

const revisionCode = (revision: string): Markdown =>
  revision === '' ? md('*none applied*') : code(shortRevision(revision));

function gateLine(fleet: Fleet): string {
  const n = fleet.clusters.length;
  const counts = SEVERITY.filter((l) => fleet.counts[l] > 0).map((l) => `${fleet.counts[l]} ${l}`);
  const tally = md(`${plural(n, 'cluster')}: ${counts.join(', ') || 'none read'}.`);
  if (fleet.failed.length === 0) {
    const all = every(n);
    const passed =
      n === 0
        ? 'No cluster to judge.'
        : `${all[0]?.toUpperCase()}${all.slice(1)} passed ${n === 1 ? 'its' : 'their'} gate.`;
    return paragraph(md(`**${passed}**`), md(' '), tally);
  }
  return paragraph(
    md(
      `**${plural(fleet.failed.length, 'cluster')} failed ${fleet.failed.length === 1 ? 'its' : 'their'} gate:** `,
    ),
    capped(fleet.failed.map(name)),
    md('. '),
    tally,
  );
}

function revisionLine(fleet: Fleet): string | undefined {
  const r = fleet.revision;
  if (!r) return undefined;
  // A Git SHA is a commit; a tag, a chart version or an OCI digest is a revision.
  const digest = parseRevision(r.expected).digest;
  const word = md(digest && (digest.algorithm ?? 'sha1') === 'sha1' ? 'Commit ' : 'Revision ');
  const what = code(shortRevision(r.expected));
  const n = fleet.clusters.length;
  if (r.missing.length === 0) return paragraph(word, what, md(` is live on ${every(n)}.`));
  const why = r.missing.map((m) => {
    if (!m.checked) return text(m.cluster, md(' (not checked)'));
    if (m.at.length === 0) return text(m.cluster, md(' (no Kustomization applied it)'));
    const first = m.at[0] as { id: string; applied: string };
    return text(
      m.cluster,
      md(' ('),
      code(first.id),
      md(' at '),
      revisionCode(first.applied),
      md(m.at.length > 1 ? ` and ${m.at.length - 1} more)` : ')'),
    );
  });
  return paragraph(
    word,
    what,
    md(` is live on ${r.live.length} of ${n} clusters; missing: `),
    capped(why),
    md('.'),
  );
}

function versionLine(fleet: Fleet): string | undefined {
  const v = fleet.fluxVersions;
  if (v.of === 0) return undefined;
  const others = capped(
    v.differ.map((d) =>
      text(
        d.cluster,
        md(' ('),
        d.version === 'not installed' || d.version === 'unknown' ? md(d.version) : code(d.version),
        md(')'),
      ),
    ),
  );
  if (v.common === undefined) return paragraph(md('No cluster reports a Flux version: '), others, md('.'));
  if (v.differ.length === 0) return paragraph(md('Flux '), code(v.common), md(` on ${every(v.of)}.`));
  return paragraph(
    md('Flux '),
    code(v.common),
    md(` on ${v.on} of ${v.of} clusters; different: `),
    others,
    md('.'),
  );
}

const count = (n: number | undefined): string => (n === undefined ? '–' : String(n));

function clusterTable(rows: readonly ClusterRow[]): string {
  const order = (r: ClusterRow): number => SEVERITY.indexOf(r.level);
  const sorted = [...rows].sort((a, b) => order(a) - order(b));
  return table(
    ['Cluster', 'Verdict', 'Flux', 'Failing objects', 'Firing alerts', 'Why'],
    sorted.map((r): Inline[] => [
      r.name,
      md(`${VERDICT_MARKERS[r.level]} ${VERDICT_WORDS[r.level]}`),
      r.installed === false ? md('not installed') : r.fluxVersion ? code(r.fluxVersion) : md('–'),
      md(count(r.failing)),
      md(count(r.firing)),
      r.level === 'healthy'
        ? md('')
        : md(
            escapeInline(r.headline.replace(/^[A-Za-z]+: /, ''), {
              maxLength: HEADLINE_CHARS,
              newline: 'space',
            }),
          ),
    ]),
    ['left', 'left', 'left', 'right', 'right', 'left'],
  );
}

function revisionTables(fleet: Fleet): string | undefined {
  const { shared } = fleet;
  if (shared.length === 0) return undefined;
  const differing = shared.filter((k) => k.differ.length > 0);
  const same = shared.filter((k) => k.differ.length === 0);
  const baseline = (k: SharedKustomization): Markdown =>
    text(revisionCode(k.baseline), md(k.baselineIs === 'revision' ? ' (asked)' : ''));
  const intro = paragraph(
    md(
      `${plural(shared.length, 'Kustomization')} ${shared.length === 1 ? 'is' : 'are'} on more than one cluster; ${
        differing.length === 0
          ? 'every one applied the same revision everywhere'
          : `${differing.length} applied different revisions`
      }.`,
    ),
  );
  const differTable =
    differing.length > 0
      ? table(
          ['Kustomization', 'Clusters', 'Revision', 'Differs on'],
          differing.map((k): Inline[] => [
            code(k.id),
            md(String(k.clusters.length)),
            baseline(k),
            capped(
              k.differ.map((d) =>
                text(
                  d.cluster,
                  md(': '),
                  revisionCode(d.applied),
                  md(d.state === 'Ready' ? '' : ` (${d.state})`),
                ),
              ),
              LIST_CAP,
            ),
          ]),
          ['left', 'right', 'left', 'left'],
        )
      : undefined;
  const sameTable =
    same.length > 0
      ? details(
          md(`${plural(same.length, 'Kustomization')} on the same revision everywhere`),
          table(
            ['Kustomization', 'Clusters', 'Revision'],
            same.map((k): Inline[] => [code(k.id), md(String(k.clusters.length)), baseline(k)]),
            ['left', 'right', 'left'],
          ),
          { open: differing.length === 0 && same.length <= 10 },
        )
      : undefined;
  return joinBlocks(heading(3, 'Revisions'), intro, differTable, sameTable);
}

function problemList(fleet: Fleet): string | undefined {
  if (fleet.problems.length === 0) return undefined;
  return joinBlocks(
    heading(3, md(`Could not be read (${fleet.problems.length})`)),
    fleet.problems.map((p) => `- ${text(code(p.path), md(': '), p.message).markdown}`).join('\n'),
  );
}

export function renderFleetMarkdown(fleet: Fleet): string {
  const level = fleetLevel(fleet);
  return (
    joinBlocks(
      heading(2, md(`${VERDICT_MARKERS[level]} Flux fleet: ${plural(fleet.clusters.length, 'cluster')}`)),
      gateLine(fleet),
      revisionLine(fleet),
      versionLine(fleet),
      fleet.clusters.length > 0 ? clusterTable(fleet.clusters) : undefined,
      revisionTables(fleet),
      problemList(fleet),
    ) + '\n'
  );
}

export const FLEET_KIND = 'FluxHealthFleet';

/** The fleet as data: everything the Markdown shows, uncut. */
export function renderFleetJson(fleet: Fleet): string {
  return jsonText({
    kind: FLEET_KIND,
    version: 1,
    level: fleetLevel(fleet),
    exitCode: fleet.exitCode,
    counts: fleet.counts,
    failed: fleet.failed,
    ...(fleet.revision ? { revision: fleet.revision } : {}),
    fluxVersions: fleet.fluxVersions,
    clusters: fleet.clusters,
    kustomizations: fleet.shared,
    problems: fleet.problems,
  });
}
