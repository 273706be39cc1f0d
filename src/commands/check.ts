/** `flux-health check`: the one run, printed to stdout, optionally written to a folder. */
import { readFile } from 'node:fs/promises';
import { acquireInventory } from '../acquire.js';
import { ConfigError } from '../errors.js';
import { jsonText } from '../json-text.js';
import { parseInstant } from '../options.js';
import { renderOutputFiles, writeOutputFiles } from '../output-files.js';
import { loadRules } from '../pipeline.js';
import { renderTerminalSummary } from '../render/terminal.js';
import { pushConfig, pushSeries } from '../push/index.js';
import { parseAlertsJson } from '../rules/alerts.js';
import { FailOnError, parseFailOn, type FailOn } from '../rules/gate.js';
import { run, type RunLog } from '../run.js';
import { TOOL_NAME } from '../version.js';
import {
  CONNECTION_FLAGS,
  CONNECTION_HELP,
  connectOptions,
  FLUX_NAMESPACE_FLAGS,
  fluxNamespaceFlag,
  HELP_HELP,
  helpText,
  NAMESPACE_HELP,
  outputFormat,
  parseCommand,
  SCOPE_FLAGS,
  SCOPE_HELP,
  scopeFlag,
  type CliIO,
} from './args.js';

export const CHECK_HELP = helpText({
  usage: 'check [--snapshot FILE | --kubeconfig FILE --context NAME] [options]',
  about: `Collects the Flux objects of a cluster (or reads a snapshot file), builds the FluxReport the Flux
Operator would write, computes Flux's Prometheus series, evaluates the alert rules over them, and
applies the gate. Prints the verdict and what is wrong to stdout (progress goes to stderr).`,
  options: [
    [
      '--snapshot FILE',
      "read this snapshot (YAML or JSON, as 'kubectl get -o yaml' prints) instead of a cluster",
    ],
    ...CONNECTION_HELP,
    ...SCOPE_HELP,
    NAMESPACE_HELP,
    ['-o, --output FORMAT', 'table (default), json (report.json) or yaml (report.yaml), to stdout'],
    [
      '--out DIR',
      'also write report.yaml, report.json, metrics.prom, alerts.json, summary.md\n(the job summary) and run.json (what fleet reads) into DIR',
    ],
    [
      '--now TIME',
      'evaluation instant, RFC 3339 or Unix seconds (default: when the cluster was\nread, or when the snapshot was taken)',
    ],
    ['--rules PATH', 'a Prometheus rule file or PrometheusRule manifest (globs allowed; repeatable)'],
    ['--no-builtin-rules', 'do not evaluate the built-in Flux rules'],
    [
      '--fail-on GATE',
      'firing (default: firing alerts of severity warning or above),\nseverity>=LEVEL (none, info, warning, critical), severity:VALUE[,VALUE],\nor never',
    ],
    ['--previous-alerts FILE', 'alerts.json of the previous run, to honour keep_firing_for'],
    [
      '--pushgateway-url URL',
      'also PUT every series (ALERTS too) to this Pushgateway, group\njob="flux-health", cluster=NAME',
    ],
    [
      '--remote-write-url URL',
      'also send every series to this Prometheus remote write endpoint\n(e.g. http://prometheus:9090/api/v1/write). In either URL user:password@ is\nbasic auth, else $FLUX_HEALTH_PUSH_TOKEN is sent as a bearer token',
    ],
    [
      '--cluster-name NAME',
      "the pushed series' cluster label (default: the kubeconfig context, or the\nsnapshot file's name)",
    ],
    ['--inventory', 'print the collected Inventory as JSON (for debugging) and stop'],
    HELP_HELP,
  ],
  exitCodes: '0 the gate passed, 1 the gate failed, 2 bad input, 3 cluster unreachable.',
});

function failOnOf(text: string | undefined): FailOn {
  try {
    return parseFailOn(text ?? 'firing');
  } catch (err) {
    if (err instanceof FailOnError) throw new ConfigError(err.message);
    throw err;
  }
}

async function readPreviousAlerts(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `--previous-alerts: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return parseAlertsJson(text, file);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

export async function checkCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      ...CONNECTION_FLAGS,
      ...FLUX_NAMESPACE_FLAGS,
      ...SCOPE_FLAGS,
      snapshot: { type: 'string' },
      output: { type: 'string', short: 'o' },
      out: { type: 'string' },
      now: { type: 'string' },
      rules: { type: 'string', multiple: true },
      'no-builtin-rules': { type: 'boolean' },
      'fail-on': { type: 'string' },
      'previous-alerts': { type: 'string' },
      'pushgateway-url': { type: 'string' },
      'remote-write-url': { type: 'string' },
      'cluster-name': { type: 'string' },
      json: { type: 'boolean' },
      inventory: { type: 'boolean' },
    },
    'check',
    CHECK_HELP,
    io,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  // Everything that can be wrong with the command line is found before touching the cluster.
  const format = values.json ? 'json' : outputFormat(values.output, 'check');
  if (values.snapshot !== undefined && (values.kubeconfig !== undefined || values.context !== undefined))
    throw new ConfigError('--snapshot reads a file instead of a cluster: drop --kubeconfig and --context');
  const namespaces = scopeFlag(values);
  if (namespaces && values.snapshot !== undefined)
    throw new ConfigError('-n/--namespaces limits what is read from a cluster: drop it with --snapshot');
  const fluxNamespace = fluxNamespaceFlag(values, io);
  const now = values.now === undefined ? undefined : parseInstant(values.now, '--now');
  const failOn = failOnOf(values['fail-on']);
  const rules = loadRules(values.rules ?? [], !values['no-builtin-rules']);
  const previousAlerts = values['previous-alerts']
    ? await readPreviousAlerts(values['previous-alerts'])
    : undefined;
  const push = pushConfig(
    {
      pushgatewayUrl: values['pushgateway-url'],
      remoteWriteUrl: values['remote-write-url'],
      bearerToken: io.env['FLUX_HEALTH_PUSH_TOKEN'],
    },
    { pushgatewayUrl: '--pushgateway-url', remoteWriteUrl: '--remote-write-url' },
  );
  const source =
    values.snapshot !== undefined
      ? { snapshot: values.snapshot }
      : { connect: connectOptions(values, io.env) };
  const err = (l: string): void => io.stderr(`${l}\n`);

  if (values.inventory) {
    const { inventory } = await acquireInventory({
      source,
      ...(fluxNamespace ? { namespace: fluxNamespace } : {}),
      ...(namespaces ? { namespaces } : {}),
      ...(now ? { now } : {}),
      onProgress: err,
    });
    io.stdout(jsonText(inventory));
    return 0;
  }
  const log: RunLog = {
    info: err,
    warning: (l) => err(`warning: ${l}`),
    error: (l) => err(`error: ${l}`),
    group: (_t, fn) => fn(),
  };
  const result = await run({
    source,
    ...(fluxNamespace ? { namespace: fluxNamespace } : {}),
    ...(namespaces ? { namespaces } : {}),
    ...(now ? { now } : {}),
    rules,
    failOn,
    ...(previousAlerts ? { previousAlerts } : {}),
    log,
  });
  if (values.out !== undefined && result.analysis) {
    const written = await writeOutputFiles(values.out, renderOutputFiles(result), '--out');
    err(`wrote ${written.join(', ')}`);
  }
  // An output like the files: a failed push is a warning line, and the exit code stays the gate's.
  await pushSeries(push, result, values['cluster-name'], log);
  const { verdict, analysis, view } = result;
  if (!analysis || !view) {
    err(`${TOOL_NAME}: ${verdict.gate.reason}`);
    return verdict.exitCode;
  }
  io.stdout(
    format === 'json'
      ? analysis.reportJson
      : format === 'yaml'
        ? analysis.reportYaml
        : renderTerminalSummary(view),
  );
  err(`gate: ${verdict.gate.failed ? 'FAILED' : 'passed'}: ${verdict.gate.reason}`);
  return verdict.exitCode;
}
