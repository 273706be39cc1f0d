/**
 * What every command shares: parsing with one-line errors, help text laid out from one option
 * table (so the columns line up), the connection flags, and `-o/--output`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ConnectOptions } from '../cluster/connect.js';
import { ConfigError } from '../errors.js';
import { parseNamespaces } from '../options.js';
import { TOOL_NAME } from '../version.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Reads all of standard input; `isTTY` says whether a person would have to type it. */
  stdin?: { read: () => Promise<string>; isTTY: boolean };
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(args: string[], options: O, command: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError(
      `${command}: ${(err as Error).message.replace(/\.$/, '')}; see '${TOOL_NAME} ${command} --help'`,
    );
  }
}

/**
 * A command's flags parsed with `-h/--help` added: undefined after printing the help (exit 0),
 * else the values. Commands that take no arguments refuse any with one line.
 */
export function parseCommand<O extends Options>(
  args: string[],
  options: O,
  command: string,
  help: string,
  io: CliIO,
  takesArguments = false,
) {
  const parsed = parse(args, { ...options, help: { type: 'boolean', short: 'h' } }, command);
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(help);
    return undefined;
  }
  if (!takesArguments) noPositionals(parsed.positionals, command);
  return parsed;
}

export interface Help {
  usage: string;
  about: string;
  /** [flags, description]; a description may hold several lines. */
  options: readonly (readonly [string, string])[];
  exitCodes: string;
}

/** The help text, option descriptions aligned in one column. */
export function helpText(h: Help): string {
  const width = Math.max(...h.options.map(([flags]) => flags.length)) + 2;
  const lines = h.options.flatMap(([flags, text]) =>
    text.split('\n').map((l, i) => `  ${(i === 0 ? flags : '').padEnd(width)}${l}`),
  );
  return `Usage: ${TOOL_NAME} ${h.usage}\n\n${h.about}\n\nOptions:\n${lines.join('\n')}\n\nExit codes: ${h.exitCodes}\n`;
}

export const CONNECTION_FLAGS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const satisfies Options;

export const CONNECTION_HELP = [
  ['--kubeconfig FILE', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)'],
  ['--context NAME', 'kubeconfig context (default: the current context)'],
] as const;

export const NAMESPACE_HELP = [
  '--flux-namespace NS',
  "where Flux runs (default: the snapshot's, the only namespace with Flux\ncontrollers, else flux-system); --namespace NS is its older spelling",
] as const;

export const FLUX_NAMESPACE_FLAGS = {
  'flux-namespace': { type: 'string' },
  namespace: { type: 'string' },
} as const satisfies Options;

/**
 * Where Flux runs: `--flux-namespace`, or `--namespace` as it was documented first. kubectl users
 * read `--namespace` as the namespaces to look at (`-n` here), so using it says which it is.
 */
export function fluxNamespaceFlag(
  values: { 'flux-namespace'?: string; namespace?: string },
  io: CliIO,
): string | undefined {
  const [explicit, old] = [values['flux-namespace'], values.namespace];
  if (explicit !== undefined && old !== undefined && explicit !== old)
    throw new ConfigError('--namespace is the older spelling of --flux-namespace: give one of them');
  if (old !== undefined && explicit === undefined)
    io.stderr(
      `note: --namespace ${old.slice(0, 63)} says where Flux runs (also --flux-namespace); -n/--namespaces limits the check to some namespaces\n`,
    );
  return explicit ?? old;
}

export const SCOPE_FLAGS = {
  namespaces: { type: 'string', short: 'n', multiple: true },
  'all-namespaces': { type: 'boolean', short: 'A' },
} as const satisfies Options;

export const SCOPE_HELP = [
  [
    '-n, --namespaces NS',
    'check only the Flux objects of these namespaces (repeatable, or comma-\nseparated), for an identity limited to them; what lies outside is out of\nscope, not forbidden (examples/rbac/tenant-role.yaml)',
  ],
  ['-A, --all-namespaces', 'check every namespace (the default)'],
] as const;

/** `-n`/`--namespaces` and `-A`: the namespaces to check, undefined for all of them. */
export function scopeFlag(values: {
  namespaces?: string[];
  'all-namespaces'?: boolean;
}): string[] | undefined {
  const namespaces = parseNamespaces(values.namespaces ?? [], '--namespaces');
  if (namespaces && values['all-namespaces'])
    throw new ConfigError('-A/--all-namespaces and -n/--namespaces contradict each other: give one');
  return namespaces;
}

export const HELP_HELP = ['-h, --help', 'show this help'] as const;

export function connectOptions(
  values: { kubeconfig?: string; context?: string },
  env: NodeJS.ProcessEnv,
): ConnectOptions {
  return {
    ...(values.kubeconfig !== undefined ? { kubeconfigPath: values.kubeconfig } : {}),
    ...(values.context !== undefined ? { context: values.context } : {}),
    env,
  };
}

export type OutputFormat = 'table' | 'json' | 'yaml';

/** `-o/--output`, as kubectl and flux take it; `text` is the table's older name. */
export function outputFormat(value: string | undefined, command: string): OutputFormat {
  const v = value ?? 'table';
  if (v === 'text') return 'table';
  if (v === 'table' || v === 'json' || v === 'yaml') return v;
  const hint = /[/\\]/.test(v) ? ` (write files with --out ${v})` : '';
  throw new ConfigError(`${command}: --output must be table, json or yaml, not "${v.slice(0, 60)}"${hint}`);
}

export function noPositionals(positionals: string[], command: string): void {
  if (positionals.length > 0)
    throw new ConfigError(
      `${command}: unexpected argument "${positionals[0]}"; see '${TOOL_NAME} ${command} --help'`,
    );
}
