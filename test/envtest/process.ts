// A child process of the control plane (etcd, kube-apiserver): output kept to a file and a short
// in-memory tail for error messages, early exit detected, and killed when the test process exits
// so a crashed run does not leave servers holding ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

const TAIL_LINES = 40;

export interface ManagedProcess {
  name: string;
  pid: number;
  logPath: string;
  /** Last lines of stdout+stderr, for error messages. */
  tail(): string;
  /** Set once the process has exited (code or signal). */
  exited(): string | undefined;
  /** Resolves when the process has exited. */
  readonly done: Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a plain kill is all that can run here.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export function startProcess(
  name: string,
  bin: string,
  args: readonly string[],
  logPath: string,
  env?: NodeJS.ProcessEnv,
): ManagedProcess {
  installExitHook();
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${bin}`);
  live.add(child);
  const log = createWriteStream(logPath);
  const lines: string[] = [];
  let partial = '';
  const onData = (chunk: Buffer): void => {
    log.write(chunk);
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  let exitState: string | undefined;
  const done = new Promise<void>((resolve) => {
    child.on('error', (err) => {
      exitState ??= `failed to run: ${err.message}`;
      live.delete(child);
      resolve();
    });
    child.on('exit', (code, signal) => {
      exitState = signal ? `killed by ${signal}` : `exited with code ${String(code)}`;
      live.delete(child);
      log.end();
      resolve();
    });
  });

  return {
    name,
    pid: child.pid,
    logPath,
    tail: () => [...lines, partial].filter((l) => l !== '').join('\n'),
    exited: () => exitState,
    done,
    async stop(graceMs = 10_000) {
      if (exitState !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    },
  };
}
