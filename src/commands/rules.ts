/** `flux-health rules check`: rule files validated as promtool validates them. */
import { ConfigError } from '../errors.js';
import { rulesCheckCommand } from '../rules/check.js';
import { TOOL_NAME } from '../version.js';
import { HELP_HELP, helpText, type CliIO } from './args.js';

export const RULES_HELP = helpText({
  usage: 'rules check FILE...',
  about: `Validates Prometheus rule files and PrometheusRule manifests the way 'promtool check rules'
does, with the same output: 'Checking FILE' and 'SUCCESS: N rules found' on stdout, each problem
as FILE:LINE:COLUMN on stderr. Globs are expanded.`,
  options: [HELP_HELP],
  exitCodes: '0 every file valid, 1 a file has errors, 2 bad usage (no file, a path that matches nothing).',
});

export function rulesCommand(args: string[], io: CliIO): number {
  const [sub, ...rest] = args;
  if (sub === undefined) {
    io.stderr(RULES_HELP);
    return 2;
  }
  if (sub === '-h' || sub === '--help' || sub === 'help' || rest.includes('-h') || rest.includes('--help')) {
    io.stdout(RULES_HELP);
    return 0;
  }
  if (sub !== 'check')
    throw new ConfigError(`rules: unknown subcommand "${sub}"; usage: ${TOOL_NAME} rules check FILE...`);
  const out = rulesCheckCommand(rest);
  io.stdout(out.stdout);
  io.stderr(out.stderr);
  return out.exitCode;
}
