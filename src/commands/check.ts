/** `flux-health check`: the one run, printed to stdout, optionally written to a folder. */
import { readFile } from 'node:fs/promises';
import { acquireInventory } from '../acquire.js';
import { ConfigError } from '../errors.js';
import { jsonText } from '../json-text.js';
import { parseInstant } from '../options.js';
import { renderOutputFiles, writeOutputFiles } from '../output-files.js';
import { loadRules } from '../pipeline.js';
import { renderTerminalSummary } from '../render/terminal.js';
import { parseAlertsJson } from '../rules/alerts.js';
import { FailOnError, parseFailOn, type FailOn } from '../rules/gate.js';
import { run, type RunLog } from '../run.js';
import { TOOL_NAME } from '../version.js';
import {
  CONNECTION_FLAGS,
  CONNECTION_HELP,
  connectOptions,
  HELP_HELP,
  helpText,
  NAMESPACE_HELP,
  outputFormat,
  parseCommand,
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
    NAMESPACE_HELP,
    ['-o, --output FORMAT', 'table (default), json (report.json) or yaml (report.yaml), to stdout'],
    [
      '--out DIR',
      'also write report.yaml, report.json, metrics.prom, alerts.json and summary.md\n(the job summary) into DIR',
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
      namespace: { type: 'string' },
      snapshot: { type: 'string' },
      output: { type: 'string', short: 'o' },
      out: { type: 'string' },
      now: { type: 'string' },
      rules: { type: 'string', multiple: true },
      'no-builtin-rules': { type: 'boolean' },
      'fail-on': { type: 'string' },
      'previous-alerts': { type: 'string' },
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
  const now = values.now === undefined ? undefined : parseInstant(values.now, '--now');
  const failOn = failOnOf(values['fail-on']);
  const rules = loadRules(values.rules ?? [], !values['no-builtin-rules']);
  const previousAlerts = values['previous-alerts']
    ? await readPreviousAlerts(values['previous-alerts'])
    : undefined;
  const source =
    values.snapshot !== undefined
      ? { snapshot: values.snapshot }
      : { connect: connectOptions(values, io.env) };
  const err = (l: string): void => io.stderr(`${l}\n`);

  if (values.inventory) {
    const { inventory } = await acquireInventory({
      source,
      ...(values.namespace ? { namespace: values.namespace } : {}),
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
    ...(values.namespace ? { namespace: values.namespace } : {}),
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
