import { sanitizeText } from './text/escape.js';

/**
 * The product's error classes, one per documented exit code. Every message is one line, safe to
 * print (no tokens, no kubeconfig content), and says what to do.
 */

export const EXIT_OK = 0;
export const EXIT_GATE_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_UNREACHABLE = 3;

/** Bad input or configuration: exit 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly exitCode = EXIT_BAD_INPUT;
}

/** Several bad inputs found at once: reported one line each. */
export class ConfigErrors extends ConfigError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** The cluster could not be reached (after retries), or something unexpected happened: exit 3. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
  readonly exitCode = EXIT_UNREACHABLE;
}

/** Maps any thrown value to an exit code and a single printable line. */
export function describeFailure(err: unknown): { exitCode: number; message: string } {
  if (err instanceof ConfigErrors) {
    return { exitCode: err.exitCode, message: err.problems.map(oneLine).join('\n') };
  }
  if (err instanceof Error && 'exitCode' in err && typeof err.exitCode === 'number') {
    return { exitCode: err.exitCode, message: oneLine(err.message) };
  }
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { exitCode: EXIT_UNREACHABLE, message: `unexpected error: ${oneLine(message)}` };
}

/**
 * One line, safe for a terminal or the Actions log: messages can quote the API server or a
 * condition, so control characters (ESC sequences), bidi overrides and invisible characters are
 * dropped or made visible, and the length is bounded.
 */
export function oneLine(s: string): string {
  return sanitizeText(s, { maxLength: 2000 })
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
