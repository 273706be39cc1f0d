/**
 * The action's fleet mode, for the final job of a matrix: downloads this workflow run's artifacts
 * whose names match `fleet-artifacts` (each the output of one cluster's job), shows them side by
 * side as `flux-health fleet` does, and fails the job when a cluster failed its gate, a run could
 * not be read, or `expected-revision` is not live everywhere. No cluster is contacted.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { mapLimit } from '../cluster/map-limit.js';
import { ConfigError, describeFailure } from '../errors.js';
import { buildFleet, type Fleet } from '../fleet/model.js';
import { readFleet, type Problem } from '../fleet/read.js';
import { fleetLevel, renderFleetJson, renderFleetMarkdown } from '../fleet/render.js';
import { setOutputs } from '../github/outputs.js';
import { writeJobSummary } from '../github/summary.js';
import { writeOutputFiles } from '../output-files.js';
import { matchesName } from '../rules/glob.js';
import { plural } from '../text/plural.js';
import type { ActionInputs } from './inputs.js';
import { compareStrings } from '../go/strings.js';

/** Downloads at once: enough to hide each request's latency, few enough to be polite. */
const DOWNLOADS = 4;

/** A folder name for an artifact: names may hold characters a path should not. */
function folderName(name: string, id: number): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === name && !/^\.+$/.test(name) ? name : `${safe}-${id}`;
}

/** This run's artifacts matching the patterns, each downloaded into its own folder under `base`. */
async function download(
  patterns: readonly string[],
  base: string,
): Promise<{ folders: string[]; problems: Problem[] }> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const client = new DefaultArtifactClient();
  const { artifacts } = await client.listArtifacts({ latest: true });
  const wanted = artifacts
    .filter((a) => patterns.some((p) => matchesName(p, a.name)))
    .sort((a, b) => compareStrings(a.name, b.name));
  if (wanted.length === 0) {
    const seen = artifacts.map((a) => a.name).slice(0, 10);
    throw new ConfigError(
      `fleet: no artifact of this workflow run matches ${patterns.map((p) => `\`${p}\``).join(', ')} (input \`fleet-artifacts\`); ${
        seen.length > 0 ? `found: ${seen.join(', ')}` : 'the run has no artifact yet'
      }. Give each matrix job its own \`artifact-name\`, e.g. flux-health-\${{ matrix.cluster }}, and make the fleet job need them`,
    );
  }
  core.info(`fleet: ${plural(wanted.length, 'artifact')} match: ${wanted.map((a) => a.name).join(', ')}`);
  const problems: Problem[] = [];
  const folders = await mapLimit(wanted, DOWNLOADS, async (a) => {
    const path = join(base, folderName(a.name, a.id));
    try {
      const got = await client.downloadArtifact(a.id, {
        path,
        ...(a.digest ? { expectedHash: a.digest } : {}),
      });
      if (got.digestMismatch) throw new Error(`its content does not match its digest ${a.digest ?? ''}`);
      return path;
    } catch (err) {
      problems.push({ path: `artifact ${a.name}`, message: `download failed: ${(err as Error).message}` });
      return undefined;
    }
  });
  return { folders: folders.filter((f): f is string => f !== undefined), problems };
}

function outputs(fleet: Fleet | undefined, dir: string, written: readonly string[]) {
  const sum = (pick: (c: Fleet['clusters'][number]) => number | undefined): number =>
    (fleet?.clusters ?? []).reduce((n, c) => n + (pick(c) ?? 0), 0);
  const path = (f: string): string => (written.includes(f) ? join(dir, f) : '');
  const level = fleet ? fleetLevel(fleet) : 'error';
  return {
    verdict: level,
    ready: level === 'healthy',
    failing: sum((c) => c.failing),
    suspended: '',
    'alerts-firing': sum((c) => c.firing),
    alerts: '',
    'report-path': '',
    'metrics-path': '',
    'summary-path': path('fleet.md'),
    'wait-outcome': '',
    'comment-url': '',
    'fleet-path': path('fleet.json'),
    'fleet-failed': fleet ? [...fleet.failed, ...fleet.problems.map((p) => p.path)] : [],
    'revision-live': fleet?.revision ? fleet.revision.missing.length === 0 : '',
  };
}

export async function runFleetAction(inputs: ActionInputs): Promise<number> {
  const dir = resolve(inputs.outputDir);
  let fleet: Fleet;
  let written: string[] = [];
  try {
    const base = join(process.env['RUNNER_TEMP'] || tmpdir(), 'flux-health-fleet');
    const got = await core.group('Download the runs', () => download(inputs.fleetArtifacts, base));
    const read = await readFleet(got.folders);
    read.problems.unshift(...got.problems);
    for (const p of read.problems) core.warning(`${p.path}: ${p.message}`);
    fleet = buildFleet(read, inputs.expectedRevision ? { revision: inputs.expectedRevision } : {});
    const markdown = renderFleetMarkdown(fleet);
    const files = { 'fleet.md': markdown, 'fleet.json': renderFleetJson(fleet) };
    await writeOutputFiles(dir, files, 'output-dir');
    written = Object.keys(files);
    core.info(`wrote ${written.join(', ')} to ${dir}`);
    if (inputs.summary) await writeJobSummary(markdown);
  } catch (err) {
    const { exitCode, message } = describeFailure(err);
    setOutputs(outputs(undefined, dir, written));
    core.setFailed(message);
    return exitCode;
  }
  setOutputs(outputs(fleet, dir, written));
  if (fleet.exitCode === 0) {
    core.info(`Flux fleet: ${plural(fleet.clusters.length, 'cluster')}, every one passed its gate`);
    return 0;
  }
  const missing = fleet.revision?.missing.length ?? 0;
  const names = (list: readonly string[]): string =>
    list.slice(0, 12).join(', ') + (list.length > 12 ? ` and ${list.length - 12} more` : '');
  const why = [
    ...(fleet.failed.length > 0
      ? [`${plural(fleet.failed.length, 'cluster')} failed the gate: ${names(fleet.failed)}`]
      : []),
    ...(fleet.problems.length > 0 ? [`${plural(fleet.problems.length, 'run')} could not be read`] : []),
    ...(missing > 0 ? [`${fleet.revision?.expected} is not live on ${plural(missing, 'cluster')}`] : []),
  ];
  core.setFailed(`Flux fleet: ${why.join('; ')}`);
  return fleet.exitCode;
}
