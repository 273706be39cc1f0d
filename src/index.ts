/**
 * The bundle's entry. GitHub runs `node dist/index.js` (the action); `bin/flux-health.js` sets a
 * marker first and imports the same bundle as the CLI, so one file serves both.
 */
import { runCli } from './cli.js';
import { runAction } from './main.js';

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

if ((globalThis as Record<symbol, unknown>)[CLI_MARKER] === true) {
  void runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
  }).then(finish);
} else {
  void runAction().then(finish);
}
