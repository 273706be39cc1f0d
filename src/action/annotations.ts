/**
 * What the Actions UI shows besides the summary: a folded list of every failing object in the log,
 * and annotations for the worst few on the run's page. GitHub shows at most 10 annotations of a
 * kind per step, and the verdict's own failure is one of them, so at most 8 objects get one and
 * the last says how many more there are.
 *
 * Every line is ours from its first character (a cluster string never starts a line, so it can
 * never be read as a workflow command), and every cluster string is made one safe line first;
 * annotation text goes through @actions/core, which escapes `%`, CR and LF.
 */
import * as core from '@actions/core';
import type { FailingObject } from '../report/health.js';
import { terminalText } from '../render/terminal.js';
import { alertsByObject, formatAge, type SummaryInput } from '../render/summary.js';
import { objectSubject, SEVERITY_LEVELS, severityRank } from '../rules/gate.js';

/** Annotations for objects; GitHub keeps 10 per kind per step and setFailed takes one. */
export const MAX_OBJECT_ANNOTATIONS = 8;

function name(o: FailingObject): string {
  return terminalText(`${o.kind} ${o.namespace === '' ? o.name : `${o.namespace}/${o.name}`}`, 300);
}

export function reportFailing(view: SummaryInput): void {
  const failing = view.health.failing;
  if (failing.length === 0) return;
  const byObject = alertsByObject(view.alerts?.alerts ?? []);
  // The worst first: the highest severity of a firing alert on the object, then the newest failure.
  const rank = (o: FailingObject): number =>
    Math.max(
      -1,
      ...(byObject.get(objectSubject(o)) ?? [])
        .filter((a) => a.state === 'firing')
        .map((a) => severityRank(a)),
    );
  const time = (o: FailingObject): number => (o.since ? Date.parse(o.since) || 0 : 0);
  const ordered = [...failing].sort((a, b) => rank(b) - rank(a) || time(b) - time(a));

  core.startGroup(`Failing objects: ${failing.length}, worst first`);
  for (const o of ordered) {
    const since = formatAge(o.since, view.now);
    core.info(`✗ ${name(o)}: ${terminalText(o.reason, 100)}${since ? ` (since ${since})` : ''}`);
    if (o.message) core.info(`    ${terminalText(o.message, 1000)}`);
  }
  core.endGroup();

  const warningLevel = SEVERITY_LEVELS.indexOf('warning');
  ordered.slice(0, MAX_OBJECT_ANNOTATIONS).forEach((o, i) => {
    const last = i === MAX_OBJECT_ANNOTATIONS - 1 && ordered.length > MAX_OBJECT_ANNOTATIONS;
    const more = last
      ? ` (and ${ordered.length - MAX_OBJECT_ANNOTATIONS} more failing objects: see the job summary)`
      : '';
    const props = { title: `${name(o)}: ${terminalText(o.reason, 100)}` };
    const message = `${terminalText(o.message || o.reason, 2000)}${more}`;
    (rank(o) >= warningLevel ? core.error : core.warning)(message, props);
  });
}
