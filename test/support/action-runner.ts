/**
 * Runs the built action (`node dist/index.js`) the way a GitHub runner does: every input of
 * action.yml as `INPUT_<NAME>` (defaults filled in from action.yml, `${{ github.token }}` replaced
 * by the job's token), the `GITHUB_*` environment, an event payload file, and fresh
 * `GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT` files, with the working directory as the workspace.
 *
 * The child is spawned asynchronously: the loopback GitHub and artifact fakes answer from the
 * test process's event loop, which a synchronous spawn would block.
 *
 * Every run is checked for leaked secrets: the runner only hides a value in lines printed after
 * `::add-mask::` announced it, so no token or kubeconfig secret may appear in any other line.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);

/** The bundle under test: `FLUX_HEALTH_BUNDLE`, else the committed `dist/index.js`. */
export function bundlePath(): string {
  return resolve(ROOT, process.env['FLUX_HEALTH_BUNDLE'] ?? 'dist/index.js');
}

export interface ActionEvent {
  name: string;
  payload: Record<string, unknown>;
}

export interface RunActionOptions {
  /** Inputs by their action.yml name; the rest get action.yml's defaults. */
  inputs: Record<string, string>;
  /** More environment (the fakes' `env`, overrides). */
  env?: Record<string, string>;
  event?: ActionEvent;
  /** What `${{ github.token }}` stands for; empty by default. */
  token?: string;
  bundle?: string;
  /** Called with every stdout line as it arrives (to follow the wait's progress). */
  onLine?: (line: string) => void;
  /** Kill the child after this long (default 150 s). */
  timeoutMs?: number;
  /** Values that must never appear unmasked, besides the token, runtime token and kubeconfig secrets. */
  secrets?: string[];
}

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The job summary file's content. */
  summary: string;
  /** Parsed from GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** `output-dir` resolved against the workspace. */
  outputDir: string;
  workspace: string;
  /** Workflow commands of a kind (`warning`, `error`, `add-mask`...) in order, unescaped. */
  commands: (kind: string) => string[];
}

export const DEFAULT_SHA = 'cafe0000cafe0000cafe0000cafe0000cafe0000';

interface ActionYmlInputs {
  inputs?: Record<string, { default?: unknown }>;
}

/** action.yml's inputs with their defaults as the runner evaluates them. */
export function actionDefaults(token: string): Record<string, string> {
  const doc = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYmlInputs;
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    const raw = spec.default === undefined || spec.default === null ? '' : String(spec.default);
    out[name] = raw.replace(/\$\{\{\s*github\.token\s*\}\}/g, token);
  }
  return out;
}

/** GitHub's convention: name uppercased, spaces to `_`, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Parses `name=value` lines and `name<<DELIM … DELIM` blocks, as the runner reads GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      let j = i + 1;
      while (j < lines.length && lines[j] !== delimiter) value.push(lines[j++] as string);
      if (j >= lines.length) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`);
      out[name] = value.join('\n');
      i = j;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`GITHUB_OUTPUT: unreadable line ${JSON.stringify(line)}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** `::kind props::message` lines, unescaped (%25, %0D, %0A). */
function workflowCommands(stdout: string, kind: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (m && m[1] === kind)
      out.push((m[2] as string).replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'));
  }
  return out;
}

/** The values in a kubeconfig that are secret or identify it: keys, certificates, tokens, passwords. */
export function kubeconfigSecrets(kubeconfig: string): string[] {
  const out: string[] = [];
  for (const line of kubeconfig.split('\n')) {
    const m =
      /^\s*(?:token|client-key-data|client-certificate-data|certificate-authority-data|password):\s*(\S+)\s*$/.exec(
        line,
      );
    if (!m?.[1] || m[1].length < 8) continue;
    out.push(m[1]);
    // The decoded PEM too, line by line: printing the key itself is as bad as its base64.
    if (/-data:/.test(line))
      out.push(
        ...Buffer.from(m[1], 'base64')
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length >= 40 && !l.startsWith('-----')),
      );
  }
  return out;
}

/** Lines (outside `::add-mask::`) that show one of `secrets`; a leak on a runner too. */
export function findLeaks(text: string, secrets: readonly string[]): string[] {
  // Long values (base64 keys and certificates) are also looked for by a piece from their middle:
  // their beginnings are the same for every PEM, their middles are not.
  const needles = secrets
    .filter((s) => s.length >= 8)
    .flatMap((s) => (s.length > 80 ? [s, s.slice(s.length / 2 - 20, s.length / 2 + 20)] : [s]));
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .filter((line) => needles.some((n) => line.includes(n)));
}

export interface StartedAction {
  result: Promise<ActionRun>;
  lines: string[];
  /** Resolves once a stdout line matches; rejects when the action ends first or after 60 s. */
  seen(pattern: RegExp): Promise<string>;
  /** Sends a signal, as the runner does when the job is cancelled (SIGINT, then SIGTERM). */
  kill(signal: NodeJS.Signals): void;
}

export function startAction(opts: RunActionOptions): StartedAction {
  const token = opts.token ?? '';
  const workspace = mkdtempSync(join(tmpdir(), 'flux-health-action-'));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'flux-health-runner-'));
  const summaryPath = join(runnerTemp, 'step_summary');
  const outputPath = join(runnerTemp, 'output');
  writeFileSync(summaryPath, '');
  writeFileSync(outputPath, '');
  const event = opts.event ?? { name: 'push', payload: {} };
  const eventPath = join(runnerTemp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event.payload));

  const inputs = { ...actionDefaults(token), ...opts.inputs };
  const env: Record<string, string> = {
    // Only what a runner provides: no proxies (they would swallow loopback requests), no
    // KUBECONFIG or home kube config of the machine running the tests.
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: runnerTemp,
    NO_PROXY: '127.0.0.1,localhost',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/fleet',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: DEFAULT_SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '4242424242',
    GITHUB_RUN_NUMBER: '17',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'flux-health',
    GITHUB_JOB: 'check',
    GITHUB_ACTOR: 'octo-dev',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...opts.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;

  const secrets = [
    token,
    ...(opts.secrets ?? []),
    ...(env['ACTIONS_RUNTIME_TOKEN'] ? [env['ACTIONS_RUNTIME_TOKEN']] : []),
    ...kubeconfigSecrets(inputs['kubeconfig'] ?? ''),
  ].filter((s) => s !== '');

  const child = spawn(process.execPath, [opts.bundle ?? bundlePath()], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  const lines: string[] = [];
  let ended = false;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      opts.onLine?.(line);
    }
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 150_000);

  const result = new Promise<ActionRun>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ended = true;
      if (partial !== '') lines.push(partial);
      const leaks = [...findLeaks(stdout, secrets), ...findLeaks(stderr, secrets)];
      if (leaks.length > 0) {
        // Not the lines themselves: the test log must not show the secret either.
        const at = leaks.map((l) => `${stdout.split('\n').indexOf(l) + 1}`).join(', ');
        reject(new Error(`the action printed a secret in ${leaks.length} line(s) (stdout lines ${at})`));
        return;
      }
      const outputs = parseOutputFile(readFileSync(outputPath, 'utf8'));
      // Without an output-dir input the files go under RUNNER_TEMP; the report-path output says where.
      const reported = outputs['report-path']
        ? dirname(outputs['report-path'])
        : join(runnerTemp, 'flux-health');
      const outputDir = inputs['output-dir'] ? resolve(workspace, inputs['output-dir']) : reported;
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        summary: existsSync(summaryPath) ? readFileSync(summaryPath, 'utf8') : '',
        outputs,
        outputDir,
        workspace,
        commands: (kind) => workflowCommands(stdout, kind),
      });
    });
  });

  const seen = async (pattern: RegExp): Promise<string> => {
    const until = Date.now() + 60_000;
    for (;;) {
      const hit = lines.find((l) => pattern.test(l));
      if (hit !== undefined) return hit;
      if (ended) throw new Error(`the action ended before a line matched ${pattern}:\n${lines.join('\n')}`);
      if (Date.now() > until) throw new Error(`no line matched ${pattern}:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { result, lines, seen, kill: (signal) => child.kill(signal) };
}

export function runAction(opts: RunActionOptions): Promise<ActionRun> {
  return startAction(opts).result;
}
