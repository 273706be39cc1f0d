/**
 * The bundle's entry. GitHub runs `node dist/index.js` (the action); `bin/flux-health.js` sets a
 * marker first and imports the same bundle as the CLI, so one file serves both. Each side loads
 * only its own modules.
 */
const CLI_MARKER = Symbol.for('flux-health.cli');

/**
 * Sets the exit code, and makes sure the process does end: a kubeconfig's credential helper
 * that never exits (abandoned after its deadline) would otherwise keep it alive. The timer does
 * not hold the process open by itself, so a normal run ends as soon as its output is flushed.
 */
function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2_000).unref();
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  if ((globalThis as Record<symbol, unknown>)[CLI_MARKER] === true) {
    const { runCli } = await import('./cli.js');
    return runCli(process.argv.slice(2), {
      stdout: (s) => process.stdout.write(s),
      stderr: (s) => process.stderr.write(s),
      env: process.env,
      stdin: { read: readStdin, isTTY: process.stdin.isTTY === true },
    });
  }
  const { runAction } = await import('./main.js');
  return runAction();
}

void main().then(finish);
