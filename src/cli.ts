/**
 * The `flux-health` command line: the same pipeline as the action, with files and stdout instead of
 * GitHub. Every failure ends in one line on stderr and a documented exit code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { acquireInventory, type InventorySource } from './acquire.js';
import { ConfigError, describeFailure, EXIT_BAD_INPUT, EXIT_OK } from './errors.js';
import { renderInventoryTable } from './render/inventory-table.js';
import { renderSnapshot } from './snapshot/write.js';
import { TOOL_NAME, VERSION } from './version.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

const MAIN_HELP = `${TOOL_NAME} ${VERSION}: is Flux healthy on this cluster, and if not, what exactly is wrong?

Usage:
  ${TOOL_NAME} check     [connection] [--snapshot FILE] [--namespace NS]   inspect a cluster or a snapshot
  ${TOOL_NAME} snapshot  [connection] --out FILE [--namespace NS]          save a cluster's Flux state to a file
  ${TOOL_NAME} --version | --help

Connection (live cluster): --kubeconfig FILE (else $KUBECONFIG, ~/.kube/config, or the in-cluster
service account) and --context NAME.

Exit codes: 0 healthy or no gate failed, 1 a gate failed, 2 bad input or configuration,
3 cluster unreachable or unexpected error.

Run '${TOOL_NAME} COMMAND --help' for a command's options.
`;

const CONNECTION_HELP = `  --kubeconfig FILE   kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)
  --context NAME      kubeconfig context (default: the current context)
  --namespace NS      the Flux namespace (default: flux-system, or the snapshot's)`;

const CHECK_HELP = `Usage: ${TOOL_NAME} check [options]

Collects the Flux objects of a cluster (or reads a snapshot file) and prints the inventory:
the cluster facts, the Flux controllers, a row per Flux kind, and every object that is not ready.

Options:
  --snapshot FILE     read this snapshot (YAML or JSON, as 'kubectl get -o yaml' prints) instead of a cluster
${CONNECTION_HELP}
  --now TIME          evaluation instant, RFC 3339 (default: now)
  --json              print the inventory as JSON instead of a table
  -h, --help          show this help
`;

const SNAPSHOT_HELP = `Usage: ${TOOL_NAME} snapshot --out FILE [options]

Saves the cluster's Flux state to a multi-document YAML file that 'check --snapshot' reads:
the Flux CRDs (without schemas), objects, controllers, nodes, Warning events, the FluxReport if any,
and a ClusterFacts document (server version, platform, node count). Secrets are never written.

Options:
  --out FILE          where to write the snapshot ('-' for stdout)
${CONNECTION_HELP}
  -h, --help          show this help
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
      now: { type: 'string' },
      json: { type: 'boolean' },
    },
    'check',
  );
  if (values.help) {
    io.stdout(CHECK_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new ConfigError(`check: unexpected argument "${positionals[0]}"`);
  const now = parseNow(values.now);
  const acquired = await acquireInventory({
    source: sourceOf(values, io.env),
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(now ? { now } : {}),
    onProgress: (line) => io.stderr(`${line}\n`),
  });
  io.stdout(
    values.json
      ? JSON.stringify(acquired.inventory, null, 2) + '\n'
      : renderInventoryTable(acquired.inventory),
  );
  return EXIT_OK;
}

async function snapshotCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    args,
    { ...connectionOptions, out: { type: 'string', short: 'o' } },
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
  const text = renderSnapshot(acquired.raw, acquired.inventory, `${TOOL_NAME} ${VERSION}`);
  if (values.out === '-') io.stdout(text);
  else {
    await mkdir(dirname(values.out), { recursive: true });
    await writeFile(values.out, text);
    io.stderr(`wrote ${acquired.inventory.objects.length} Flux objects to ${values.out}\n`);
  }
  return EXIT_OK;
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
      default:
        throw new ConfigError(`unknown command "${command}"; run '${TOOL_NAME} --help'`);
    }
  } catch (err) {
    const { exitCode, message } = describeFailure(err);
    io.stderr(`${TOOL_NAME}: ${message}\n`);
    return exitCode;
  }
}
