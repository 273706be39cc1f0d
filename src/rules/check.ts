/**
 * `flux-health rules check FILE...`: validates rule files and PrometheusRule manifests the way
 * `promtool check rules` does, with the same output shape:
 *
 *   stdout  Checking FILE            stderr    FAILED:
 *             SUCCESS: N rules found           FILE:LINE:COL: group "g", rule 1, "Name": …
 *           (blank line)
 *
 * Exit 0 when every file is valid, 1 when any has errors (as promtool), 2 for bad usage (no arguments,
 * an unknown flag, a path or glob that matches nothing: promtool refuses those before checking, too).
 */
import { globPaths, hasGlobMagic } from './glob.js';
import { countRules, formatRuleError, loadRuleFile } from './load.js';

export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ExpandedPaths {
  files: string[];
  /** One line each: a path that does not exist or a glob without matches. */
  errors: string[];
}

/** Expands globs; plain paths must exist. */
export function expandRulePaths(args: readonly string[]): ExpandedPaths {
  const files: string[] = [];
  const errors: string[] = [];
  for (const a of args) {
    const matches = globPaths(a);
    if (matches.length === 0) {
      errors.push(hasGlobMagic(a) ? `pattern '${a}' matches no file` : `path '${a}' does not exist`);
    }
    for (const m of matches) if (!files.includes(m)) files.push(m);
  }
  return { files, errors };
}

const USAGE =
  'usage: flux-health rules check FILE... (rule files or PrometheusRule manifests; globs allowed)';

/** The CLI command, ready to be wired: returns what to print and the exit code. */
export function rulesCheckCommand(args: readonly string[]): CommandOutput {
  const flags = args.filter((a) => a.startsWith('-') && a !== '-');
  if (flags.length > 0) {
    return {
      stdout: '',
      stderr: `flux-health rules check: unknown flag ${flags[0]}\n${USAGE}\n`,
      exitCode: 2,
    };
  }
  if (args.length === 0)
    return { stdout: '', stderr: `flux-health rules check: no files given\n${USAGE}\n`, exitCode: 2 };
  const { files, errors } = expandRulePaths(args);
  if (errors.length > 0) {
    return { stdout: '', stderr: errors.map((e) => `flux-health rules check: ${e}\n`).join(''), exitCode: 2 };
  }
  let stdout = '';
  let stderr = '';
  let failed = false;
  for (const f of files) {
    stdout += `Checking ${f}\n`;
    const r = loadRuleFile(f);
    if (r.errors.length === 0) stdout += `  SUCCESS: ${countRules(r.groups)} rules found\n`;
    else {
      failed = true;
      stderr += '  FAILED:\n' + r.errors.map((e) => formatRuleError(e) + '\n').join('');
    }
    stdout += '\n';
  }
  return { stdout, stderr, exitCode: failed ? 1 : 0 };
}
