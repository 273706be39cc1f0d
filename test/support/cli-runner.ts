/**
 * The CLI as people run it: the committed bundle (`node bin/flux-health.js`) in a child process,
 * with its stdin, stdout, stderr, exit code and run time. Every test of the built CLI runs it from
 * here (test/release/package.test.ts runs the npm-installed command instead).
 *
 * The child gets a minimal environment, not the test process's: PATH, a HOME without a kube config,
 * NO_PROXY for loopback, and what the test adds. A KUBECONFIG, token or proxy of the machine
 * running the tests cannot change what the CLI does.
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);

/** The demo snapshot, the input of most CLI tests. */
export const DEMO = join(ROOT, 'examples/demo-cluster.yaml');
/** The demo snapshot's own instant: what a check of it evaluates at, and stamps pushed samples with. */
export const DEMO_AT = Date.parse('2026-11-21T12:00:00Z');

export interface CliOptions {
  /** Written to standard input, which is then closed; empty by default. */
  stdin?: string;
  /** The working directory; the repository by default. */
  cwd?: string;
  /** Environment on top of the minimal one; a name given here replaces the minimal one's. */
  env?: Record<string, string>;
  /**
   * Kill the child (SIGKILL) after this long. The default is just under the slowest project's test
   * timeout (flux, 180 s): a hung child ends with its test instead of outliving it.
   */
  timeoutMs?: number;
}

export interface CliRun {
  /** The exit code; null when a signal (the timeout) ended the child. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/flux-health.js'), ...args], {
      cwd: opts.cwd ?? ROOT,
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: tmpdir(),
        NO_PROXY: '127.0.0.1,localhost',
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Bytes, decoded once at the end: a chunk may end inside a multi-byte character (✅, ❌).
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 170_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        elapsedMs: Date.now() - started,
      });
    });
    // A child that exits without reading its input closes the pipe early (EPIPE): not the test's concern.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
  });
}
