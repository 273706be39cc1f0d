/**
 * The `flux-health` command line: the same pipeline as the action, with files and stdout instead of
 * GitHub. Every failure ends in one line on stderr and a documented exit code.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { acquireInventory, evaluationInstant, waitOnCluster, type InventorySource } from './acquire.js';
import type { ConnectOptions } from './cluster/connect.js';
import { ConfigError, describeFailure, EXIT_BAD_INPUT, EXIT_GATE_FAILED, EXIT_OK } from './errors.js';
import { analyse, loadRules, type Analysis } from './pipeline.js';
import { runQuery } from './promql/query.js';
import { jsonText } from './json-text.js';
import { renderSummary, type SummaryInput } from './render/summary.js';
import { renderTerminalSummary, renderTerminalWait } from './render/terminal.js';
import { parseAlertsJson } from './rules/alerts.js';
import { rulesCheckCommand } from './rules/check.js';
import { FailOnError, parseFailOn } from './rules/gate.js';
import { renderSnapshot } from './snapshot/write.js';
import { writeOutputFile, writeOutputFiles } from './output-files.js';
import { toolInfo } from './tool.js';
import { TOOL_NAME, VERSION } from './version.js';
import { checkWaitInputs } from './wait/inputs.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Reads all of standard input (for `query` without --metrics). */
  stdin?: () => Promise<string>;
}

const MAIN_HELP = `${TOOL_NAME} ${VERSION}: is Flux healthy on this cluster, and if not, what exactly is wrong?

Usage:
  ${TOOL_NAME} check        [connection | --snapshot FILE] [--out DIR] [--fail-on …]   report, metrics, alerts, gate
  ${TOOL_NAME} wait         [connection] --revision REV [--reconcile] [--timeout D]     wait until Flux applied REV
  ${TOOL_NAME} snapshot     [connection] --out FILE                                  save a cluster's Flux state
  ${TOOL_NAME} query        [--metrics FILE] [--time T] EXPR                         evaluate PromQL over metrics
  ${TOOL_NAME} rules check  FILE...                                                  validate rule files like promtool
  ${TOOL_NAME} --version | --help

Connection (live cluster): --kubeconfig FILE (else $KUBECONFIG, ~/.kube/config, or the in-cluster
service account) and --context NAME.

Exit codes: 0 healthy or no gate failed (wait: converged), 1 a gate failed (wait: failed or timed
out), 2 bad input or configuration, 3 cluster unreachable or unexpected error.

Run '${TOOL_NAME} COMMAND --help' for a command's options.
`;

const CONNECTION_HELP = `  --kubeconfig FILE   kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)
  --context NAME      kubeconfig context (default: the current context)
  --namespace NS      the Flux namespace (default: flux-system, or the snapshot's)`;

const CHECK_HELP = `Usage: ${TOOL_NAME} check [options]

Collects the Flux objects of a cluster (or reads a snapshot file), builds the FluxReport the Flux
Operator would write, computes Flux's Prometheus series, evaluates the alert rules over them, and
applies the gate. Prints a summary (verdict, kinds, alerts, failing objects); with --out, writes
report.yaml, report.json, metrics.prom, alerts.json and summary.md (the job summary) to DIR.

Options:
  --snapshot FILE       read this snapshot (YAML or JSON, as 'kubectl get -o yaml' prints) instead of a cluster
${CONNECTION_HELP}
  --out DIR             write report.yaml, report.json, metrics.prom, alerts.json and summary.md into DIR
  --now TIME            evaluation instant, RFC 3339 (default: now, or the time a snapshot was taken)
  --rules PATH          a Prometheus rule file or PrometheusRule manifest (globs allowed; repeatable)
  --no-builtin-rules    do not evaluate the built-in Flux rules
  --fail-on GATE        firing (default): any firing alert fails; severity:critical,page: only those
                        severities; never: report only
  --previous-alerts F   alerts.json of the previous run, to honour keep_firing_for
  --json                print report.json (the FluxReport and Flux Health's section) to stdout
  --inventory           print the collected Inventory as JSON (for debugging) and stop
  -h, --help            show this help

Exit codes: 0 healthy or the gate passed, 1 the gate failed, 2 bad input, 3 cluster unreachable.
`;

const QUERY_HELP = `Usage: ${TOOL_NAME} query [--metrics FILE] [--time T] EXPR

Evaluates a PromQL expression at one instant over a Prometheus text exposition (the metrics.prom
that 'check --out' writes, or any scrape) and prints the result in the Prometheus HTTP API's JSON
shape. Range selectors, subqueries, offset and @ need stored history and are rejected.

Options:
  --metrics FILE      exposition to read (default: stdin)
  --time T            evaluation instant, RFC 3339 or Unix seconds (default: now)
  -h, --help          show this help

Exit codes: 0 success, 2 a bad expression or exposition ({"status":"error","errorType":"bad_data",…}).
`;

const SNAPSHOT_HELP = `Usage: ${TOOL_NAME} snapshot --out FILE [options]

Saves the cluster's Flux state to a multi-document YAML file that 'check --snapshot' reads:
the Flux CRDs (without schemas), objects, controllers, nodes, Warning events, the FluxReport if any,
and a ClusterFacts document (server version, platform, node count). Secrets are never written, and
objects keep only what an audit reads: no Helm values, substitutions, patches, container env or
kubectl's last-applied copy, and URLs without credentials (see SECURITY.md).

Options:
  --out FILE          where to write the snapshot ('-' for stdout)
  --no-redact         keep whole objects (may contain credentials; prints a warning)
${CONNECTION_HELP}
  -h, --help          show this help
`;

const WAIT_HELP = `Usage: ${TOOL_NAME} wait --revision REV [options]

Waits until Flux has applied REV: the selected Kustomizations and HelmReleases, the objects they
depend on and their sources, Ready at REV (or, for what REV does not reach, Ready). Stops as soon
as a controller reports a failure at REV, with its reason and message. Progress goes to stderr.

  converged   every object Ready at REV, observed at its current generation
  failed      a controller failed at REV (build, dry-run, health check, Helm install/upgrade),
              a chart whose unchanged version keeps an earlier commit's chart, a dependsOn
              cycle, a suspended object, or REV superseded by a newer revision of its source
  timed out   --timeout passed first; each object says what it was waiting for

Options:
  --revision REV        commit SHA (full or short), tag, chart version, OCI digest or a Flux
                        revision such as main@sha1:… (required)
  --timeout DURATION    how long to wait, a Go duration such as 90s or 5m (default 5m)
  --reconcile           ask Flux to reconcile now, like 'flux reconcile --with-source': each
                        source first, each object once its source and dependencies handled it
                        (needs patch on the Flux kinds)
  --namespaces NS,...   the Kustomizations and HelmReleases of these namespaces (default: all)
  --object KIND/NS/NAME only this object and what it needs (repeatable, or comma-separated;
                        kinds: kustomization (ks), helmrelease (hr))
  --source KIND/NS/NAME the source that received the push (repeatable; default: every source
                        found at REV, and those fetching the same URL and ref)
  --poll                poll instead of watching (for API servers behind proxies that cut streams)
  --kubeconfig FILE     kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)
  --context NAME        kubeconfig context (default: the current context)
  -o, --output FORMAT   text (default) or json (the wait result: outcome, message, every object)
  -h, --help            show this help

Exit codes: 0 converged, 1 failed or timed out, 2 bad input, 3 cluster unreachable.
`;

const connectionOptions = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  command: string,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError(
      `${command}: ${(err as Error).message.replace(/\.$/, '')}; see '${TOOL_NAME} ${command} --help'`,
    );
  }
}

function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new ConfigError(`--now: "${value}" is not an RFC 3339 time such as 2026-11-21T12:00:00Z`);
  return new Date(t);
}

function sourceOf(
  values: { snapshot?: string; kubeconfig?: string; context?: string },
  env: NodeJS.ProcessEnv,
): InventorySource {
  if (values.snapshot !== undefined) {
    if (values.kubeconfig !== undefined || values.context !== undefined) {
      throw new ConfigError('--snapshot reads a file instead of a cluster: drop --kubeconfig and --context');
    }
    return { snapshot: values.snapshot };
  }
  return {
    connect: {
      ...(values.kubeconfig !== undefined ? { kubeconfigPath: values.kubeconfig } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
      env,
    },
  };
}

async function checkCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      ...connectionOptions,
      snapshot: { type: 'string' },
      out: { type: 'string', short: 'o' },
      now: { type: 'string' },
      rules: { type: 'string', multiple: true },
      'no-builtin-rules': { type: 'boolean' },
      'fail-on': { type: 'string' },
      'previous-alerts': { type: 'string' },
      json: { type: 'boolean' },
      inventory: { type: 'boolean' },
    },
    'check',
  );
  if (values.help) {
    io.stdout(CHECK_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new ConfigError(`check: unexpected argument "${positionals[0]}"`);
  const now = parseNow(values.now);
  let failOn;
  try {
    failOn = parseFailOn(values['fail-on'] ?? 'firing');
  } catch (err) {
    if (err instanceof FailOnError) throw new ConfigError(err.message);
    throw err;
  }
  // Everything that can be wrong with the command line is found before touching the cluster.
  const rules = loadRules(values.rules ?? [], !values['no-builtin-rules']);
  const previousAlerts = values['previous-alerts']
    ? await readPreviousAlerts(values['previous-alerts'])
    : undefined;

  const started = performance.now();
  const acquired = await acquireInventory({
    source: sourceOf(values, io.env),
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(now ? { now } : {}),
    onProgress: (line) => io.stderr(`${line}\n`),
  });
  if (values.inventory) {
    io.stdout(jsonText(acquired.inventory));
    return EXIT_OK;
  }
  const analysis = await analyse(acquired.inventory, {
    now: now ?? evaluationInstant(acquired.inventory),
    tool: toolInfo(),
    rules,
    failOn,
    durationMs: Math.round(performance.now() - started),
    ...(previousAlerts ? { previousAlerts } : {}),
  });
  const summaryInput: SummaryInput = {
    report: analysis.report,
    health: analysis.health,
    inventory: acquired.inventory,
    alerts: analysis.alerts,
    gate: analysis.gate,
    now: analysis.now,
  };
  if (values.out) await writeOutputs(values.out, analysis, renderSummary(summaryInput), io);
  io.stdout(values.json ? analysis.reportJson : renderTerminalSummary(summaryInput));
  io.stderr(`gate: ${analysis.gate.failed ? 'FAILED' : 'passed'}: ${analysis.gate.reason}\n`);
  return analysis.gate.failed ? EXIT_GATE_FAILED : EXIT_OK;
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

async function writeOutputs(dir: string, a: Analysis, summaryMd: string, io: CliIO): Promise<void> {
  const written = await writeOutputFiles(
    dir,
    {
      'report.yaml': a.reportYaml,
      'report.json': a.reportJson,
      'metrics.prom': a.metricsProm,
      'alerts.json': a.alertsJson,
      'summary.md': summaryMd,
    },
    '--out',
  );
  io.stderr(`wrote ${written.join(', ')}\n`);
}

async function queryCommand(args: string[], io: CliIO, stdin: () => Promise<string>): Promise<number> {
  const { values, positionals } = parse(
    args,
    { metrics: { type: 'string' }, time: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    'query',
  );
  if (values.help) {
    io.stdout(QUERY_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1)
    throw new ConfigError(
      `query: expected one PromQL expression, got ${positionals.length}; see '${TOOL_NAME} query --help'`,
    );
  let timeMs = Date.now();
  if (values.time !== undefined) {
    const t = /^\d+(\.\d+)?$/.test(values.time) ? Number(values.time) * 1000 : Date.parse(values.time);
    if (!Number.isFinite(t))
      throw new ConfigError(`--time: "${values.time}" is neither RFC 3339 nor Unix seconds`);
    timeMs = t;
  }
  let text: string;
  if (values.metrics !== undefined) {
    try {
      text = await readFile(values.metrics, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `--metrics: cannot read ${values.metrics} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  } else text = await stdin();
  const out = runQuery(text, positionals[0] as string, timeMs);
  io.stdout(out.json + '\n');
  return out.exitCode;
}

async function snapshotCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { ...connectionOptions, out: { type: 'string', short: 'o' }, 'no-redact': { type: 'boolean' } },
    'snapshot',
  );
  if (values.help) {
    io.stdout(SNAPSHOT_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new ConfigError(`snapshot: unexpected argument "${positionals[0]}"`);
  if (!values.out)
    throw new ConfigError(`snapshot: --out FILE is required; see '${TOOL_NAME} snapshot --help'`);
  const acquired = await acquireInventory({
    source: sourceOf(values, io.env),
    ...(values.namespace ? { namespace: values.namespace } : {}),
    keepRaw: true,
    onProgress: (line) => io.stderr(`${line}\n`),
  });
  if (!acquired.raw) throw new Error('collection kept no raw objects');
  const unredacted = values['no-redact'] === true;
  if (unredacted)
    io.stderr(
      `warning: --no-redact keeps whole objects: Helm values, post-build substitutions, patches and URLs with credentials may be in ${values.out}; do not share it\n`,
    );
  const text = renderSnapshot(acquired.raw, acquired.inventory, `${TOOL_NAME} ${VERSION}`, { unredacted });
  if (values.out === '-') io.stdout(text);
  else {
    await writeOutputFile(values.out, text, '--out');
    io.stderr(`wrote ${acquired.inventory.objects.length} Flux objects to ${values.out}\n`);
  }
  return EXIT_OK;
}

async function waitCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      revision: { type: 'string' },
      timeout: { type: 'string' },
      reconcile: { type: 'boolean' },
      namespaces: { type: 'string', multiple: true },
      object: { type: 'string', multiple: true },
      source: { type: 'string', multiple: true },
      poll: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
    },
    'wait',
  );
  if (values.help) {
    io.stdout(WAIT_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new ConfigError(`wait: unexpected argument "${positionals[0]}"`);
  if (!values.revision?.trim())
    throw new ConfigError(`wait: --revision REV is required; see '${TOOL_NAME} wait --help'`);
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json')
    throw new ConfigError(`wait: --output must be text or json, not "${output}"`);
  const checked = checkWaitInputs(
    {
      expectedRevision: values.revision,
      timeout: values.timeout ?? '5m',
      namespaces: (values.namespaces ?? []).join(','),
      names: (values.object ?? []).join(','),
      sources: (values.source ?? []).join(','),
    },
    { names: '--object', sources: '--source', timeout: '--timeout' },
  );
  const { connect } = sourceOf(values, io.env) as { connect: ConnectOptions };
  const result = await waitOnCluster({
    connect,
    expected: checked.expected,
    timeoutMs: checked.timeoutMs,
    reconcile: values.reconcile === true,
    selection: checked.selection,
    watch: values.poll !== true,
    onProgress: (line) => io.stderr(`${line}\n`),
  });
  io.stdout(output === 'json' ? jsonText(result) : renderTerminalWait(result));
  return result.outcome === 'converged' ? EXIT_OK : EXIT_GATE_FAILED;
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(MAIN_HELP);
        return command === undefined ? EXIT_BAD_INPUT : EXIT_OK;
      case '--version':
      case 'version':
        io.stdout(`${TOOL_NAME} ${VERSION}\n`);
        return EXIT_OK;
      case 'check':
        return await checkCommand(rest, io);
      case 'snapshot':
        return await snapshotCommand(rest, io);
      case 'wait':
        return await waitCommand(rest, io);
      case 'query':
        return await queryCommand(rest, io, io.stdin ?? (async () => ''));
      case 'rules': {
        const [sub, ...files] = rest;
        if (sub !== 'check') throw new ConfigError(`usage: ${TOOL_NAME} rules check FILE...`);
        const out = rulesCheckCommand(files);
        io.stdout(out.stdout);
        io.stderr(out.stderr);
        return out.exitCode;
      }
      default:
        throw new ConfigError(`unknown command "${command}"; run '${TOOL_NAME} --help'`);
    }
  } catch (err) {
    const { exitCode, message } = describeFailure(err);
    io.stderr(`${TOOL_NAME}: ${message}\n`);
    return exitCode;
  }
}
