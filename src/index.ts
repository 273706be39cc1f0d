/**
 * The bundle's entry. GitHub runs `node dist/index.js` (the action); `bin/flux-health.js` sets a
 * marker first and imports the same bundle as the CLI, so one file serves both.
 */
import { runCli } from './cli.js';
import { runAction } from './main.js';

const CLI_MARKER = Symbol.for('flux-health.cli');

if ((globalThis as Record<symbol, unknown>)[CLI_MARKER] === true) {
  void runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
} else {
  void runAction().then((code) => {
    process.exitCode = code;
  });
}
