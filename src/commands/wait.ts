/** `flux-health wait`: until Flux has applied a revision, or says why it cannot. */
import { stringify } from 'yaml';
import { ConfigError } from '../errors.js';
import { jsonText } from '../json-text.js';
import { DEFAULTS } from '../options.js';
import { renderTerminalWait } from '../render/terminal.js';
import { TOOL_NAME } from '../version.js';
import { checkWaitInputs } from '../wait/inputs.js';
import {
  CONNECTION_FLAGS,
  CONNECTION_HELP,
  connectOptions,
  HELP_HELP,
  helpText,
  outputFormat,
  parseCommand,
  type CliIO,
} from './args.js';

export const WAIT_HELP = helpText({
  usage: 'wait --revision REV [options]',
  about: `Waits until Flux has applied REV: the selected Kustomizations and HelmReleases, the objects they
depend on and their sources, Ready at REV (or, for what REV does not reach, Ready). Stops as soon
as a controller reports a failure at REV, with its reason and message. Progress goes to stderr.

  converged   every object Ready at REV, observed at its current generation
  failed      a controller failed at REV (build, dry-run, health check, Helm install/upgrade),
              a chart whose unchanged version keeps an earlier commit's chart, a dependsOn
              cycle, a suspended object, or REV superseded by a newer revision of its source
  timeout     --timeout passed first; each object says what it was waiting for`,
  options: [
    [
      '--revision REV',
      'commit SHA (full or short), tag, chart version, OCI digest or a Flux\nrevision such as main@sha1:… (required)',
    ],
    [
      '--timeout DURATION',
      `how long to wait, a Go duration such as 90s or 5m (default ${DEFAULTS.waitTimeout})`,
    ],
    [
      '--reconcile',
      "ask Flux to reconcile now, like 'flux reconcile --with-source': each\nsource first, each object once its source and dependencies handled it\n(needs patch on the Flux kinds)",
    ],
    [
      '-n, --namespaces NS,...',
      'the Kustomizations and HelmReleases of these namespaces (repeatable;\ndefault: all)',
    ],
    [
      '--object KIND/NS/NAME',
      'only this object and what it needs (repeatable, or comma-separated;\nkinds: kustomization (ks), helmrelease (hr))',
    ],
    [
      '--source KIND/NS/NAME',
      'the source that received the push (repeatable; default: every source\nfound at REV, and those fetching the same URL and ref)',
    ],
    ['--poll', 'poll instead of watching (for API servers behind proxies that cut streams)'],
    ...CONNECTION_HELP,
    ['-o, --output FORMAT', 'table (default), json or yaml (the wait result: outcome, message, objects)'],
    HELP_HELP,
  ],
  exitCodes: '0 converged, 1 failed or timed out, 2 bad input, 3 cluster unreachable.',
});

export async function waitCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      ...CONNECTION_FLAGS,
      revision: { type: 'string' },
      timeout: { type: 'string' },
      reconcile: { type: 'boolean' },
      namespaces: { type: 'string', short: 'n', multiple: true },
      object: { type: 'string', multiple: true },
      source: { type: 'string', multiple: true },
      poll: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
    },
    'wait',
    WAIT_HELP,
    io,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  if (!values.revision?.trim())
    throw new ConfigError(`wait: --revision REV is required; see '${TOOL_NAME} wait --help'`);
  const format = outputFormat(values.output, 'wait');
  const checked = checkWaitInputs(
    {
      expectedRevision: values.revision,
      timeout: values.timeout ?? DEFAULTS.waitTimeout,
      namespaces: (values.namespaces ?? []).join(','),
      names: (values.object ?? []).join(','),
      sources: (values.source ?? []).join(','),
    },
    { names: '--object', sources: '--source', timeout: '--timeout' },
  );
  const { waitOnCluster } = await import('../live.js');
  const result = await waitOnCluster({
    connect: connectOptions(values, io.env),
    expected: checked.expected,
    timeoutMs: checked.timeoutMs,
    reconcile: values.reconcile === true,
    selection: checked.selection,
    watch: values.poll !== true,
    onProgress: (line) => io.stderr(`${line}\n`),
  });
  io.stdout(
    format === 'json'
      ? jsonText(result)
      : format === 'yaml'
        ? stringify(JSON.parse(jsonText(result)))
        : renderTerminalWait(result),
  );
  return result.outcome === 'converged' ? 0 : 1;
}
