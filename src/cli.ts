/**
 * The `flux-health` command line, an adapter over the same run as the action: arguments in,
 * stdout/stderr and an exit code out. Commands load on demand, so `--version` and `--help` start
 * without the Kubernetes client or the PromQL engine.
 */
import type { CliIO } from './commands/args.js';
import { ConfigError, describeFailure, EXIT_BAD_INPUT, EXIT_OK } from './errors.js';
import { TOOL_NAME, VERSION } from './version.js';

export type { CliIO };

const MAIN_HELP = `${TOOL_NAME} ${VERSION}: is Flux healthy on this cluster, and if not, what exactly is wrong?

Usage:
  ${TOOL_NAME} check        [--snapshot FILE | connection] [-o table|json|yaml] [--out DIR]
                            report, metrics, alerts, verdict and gate
  ${TOOL_NAME} wait         --revision REV [--reconcile] [--timeout D] [connection]
                            wait until Flux has applied REV
  ${TOOL_NAME} snapshot     --out FILE [-n NS]... [connection]
                            save a cluster's Flux state to audit later
  ${TOOL_NAME} query        [--metrics FILE] [--time T] [-o table|json|yaml] EXPR
                            evaluate PromQL over an exposition (default: stdin)
  ${TOOL_NAME} rules check  FILE...
                            validate rule files like 'promtool check rules'
  ${TOOL_NAME} fleet        DIR... [--revision REV] [-o markdown|json]
                            many clusters' runs side by side: verdicts, Flux versions, revisions
  ${TOOL_NAME} --version | --help | help COMMAND

Connection (live cluster): --kubeconfig FILE (else $KUBECONFIG, ~/.kube/config, or the in-cluster
service account) and --context NAME; --flux-namespace NS says where Flux runs. -n NS (check and
snapshot; repeatable) reads only the namespaces given, for an identity limited to them.

Exit codes: 0 success (check: the gate passed; wait: converged), 1 the gate failed (wait: failed or
timed out; rules check: a file has errors; fleet: a cluster failed its gate), 2 bad input or
configuration, 3 cluster unreachable or unexpected error.

Run '${TOOL_NAME} COMMAND --help' for a command's options.
`;

type Command = (args: string[], io: CliIO) => Promise<number> | number;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  check: async () => (await import('./commands/check.js')).checkCommand,
  wait: async () => (await import('./commands/wait.js')).waitCommand,
  snapshot: async () => (await import('./commands/snapshot.js')).snapshotCommand,
  query: async () => (await import('./commands/query.js')).queryCommand,
  rules: async () => (await import('./commands/rules.js')).rulesCommand,
  fleet: async () => (await import('./commands/fleet.js')).fleetCommand,
};

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr(MAIN_HELP);
      return EXIT_BAD_INPUT;
    }
    if (command === '-h' || command === '--help') {
      io.stdout(MAIN_HELP);
      return EXIT_OK;
    }
    if (command === '--version' || command === 'version') {
      io.stdout(`${TOOL_NAME} ${VERSION}\n`);
      return EXIT_OK;
    }
    if (command === 'help') {
      const [topic] = rest;
      if (topic === undefined) io.stdout(MAIN_HELP);
      else if (COMMANDS[topic])
        return await (
          await (COMMANDS[topic] as () => Promise<Command>)()
        )(['--help'], io);
      else throw new ConfigError(`help: unknown command "${topic}"; run '${TOOL_NAME} --help'`);
      return EXIT_OK;
    }
    const load = COMMANDS[command];
    if (!load) throw new ConfigError(`unknown command "${command}"; run '${TOOL_NAME} --help'`);
    return await (
      await load()
    )(rest, io);
  } catch (err) {
    const { exitCode, message } = describeFailure(err);
    io.stderr(`${TOOL_NAME}: ${message}\n`);
    return exitCode;
  }
}
