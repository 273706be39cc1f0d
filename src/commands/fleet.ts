/** `flux-health fleet`: the runs of many clusters side by side, from folders of their output files. */
import { ConfigError, oneLine } from '../errors.js';
import { buildFleet } from '../fleet/model.js';
import { readFleet } from '../fleet/read.js';
import { renderFleetJson, renderFleetMarkdown } from '../fleet/render.js';
import { TOOL_NAME } from '../version.js';
import { HELP_HELP, helpText, parseCommand, type CliIO } from './args.js';

export const FLEET_HELP = helpText({
  usage: 'fleet DIR... [--revision REV] [-o markdown|json]',
  about: `Puts the runs of many clusters side by side: each cluster's verdict (as its own gate decided it),
Flux version, failing objects and firing alerts, and the revision each Kustomization found on several
clusters applied there. Answers "is commit REV live everywhere?" and "which clusters run another Flux
version?". Each DIR is a run's output folder (what 'check --out' or the action writes: run.json,
report.json, alerts.json) or a folder of them, one per subfolder, as 'gh run download' lays out
artifacts. A cluster is named by its run's cluster-name, else by its folder. Runs that cannot be
read are listed with what is wrong, and the others are shown all the same.`,
  options: [
    [
      '--revision REV',
      'the commit SHA (short or full), tag, digest or Flux revision that should be\nlive: on every cluster, each Kustomization that applied it somewhere must have it',
    ],
    ['-o, --output FORMAT', 'markdown (default) or json, to stdout'],
    HELP_HELP,
  ],
  exitCodes:
    '0 every cluster passed its gate, 1 a cluster failed its gate (or its run could not\nfinish), a run could not be read, or REV is not live everywhere, 2 bad usage or no run found.',
});

export async function fleetCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCommand(
    args,
    { revision: { type: 'string' }, output: { type: 'string', short: 'o' } },
    'fleet',
    FLEET_HELP,
    io,
    true,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = values.output ?? 'markdown';
  if (format !== 'markdown' && format !== 'json')
    throw new ConfigError(`fleet: --output must be markdown or json, not "${format.slice(0, 60)}"`);
  if (positionals.length === 0)
    throw new ConfigError(`fleet: name at least one folder of runs; see '${TOOL_NAME} fleet --help'`);
  if (values.revision !== undefined && values.revision.trim() === '')
    throw new ConfigError('fleet: --revision is empty; give a commit SHA, tag or digest, or leave it out');

  const read = await readFleet(positionals);
  for (const p of read.problems) io.stderr(`${TOOL_NAME}: ${oneLine(`${p.path}: ${p.message}`)}\n`);
  if (read.runs.length === 0)
    throw new ConfigError(`fleet: no run could be read from ${positionals.join(', ')}`);
  const fleet = buildFleet(read, values.revision !== undefined ? { revision: values.revision } : {});
  io.stdout(format === 'json' ? renderFleetJson(fleet) : renderFleetMarkdown(fleet));
  return fleet.exitCode;
}
