/**
 * A cancelled job, or one that reached `timeout-minutes`, gets SIGINT from the runner, then
 * SIGTERM 7.5 s later, then SIGKILL. Without a last word the deployment would stay "in progress"
 * forever; so on the first signal the verdict on the commit becomes `error` ("cancelled"), and
 * the process ends the way a shell reports a signal (128 + its number).
 */
import * as core from '@actions/core';
import type { VerdictOnCommit } from '../github/status.js';
import { DEFAULT_FAIL_ON } from '../rules/gate.js';
import { decideVerdict } from '../verdict.js';

const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * How long the last word may take: the runner sends SIGTERM 7.5 s after SIGINT, and the client's
 * own retries and rate-limit waits could outlast that (a second signal then finds the same post).
 */
const LAST_WORD_MS = 5_000;

/** Installs the handlers; the returned function removes them (the run ended on its own). */
export function postVerdictOnCancel(onCommit: VerdictOnCommit): () => void {
  const handler = (signal: keyof typeof SIGNALS): void => {
    const code = SIGNALS[signal];
    const message = `the job was cancelled (${signal}) before Flux Health finished`;
    core.warning(message);
    const verdict = decideVerdict({ failOn: DEFAULT_FAIL_ON, error: { exitCode: code, message } });
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, LAST_WORD_MS).unref());
    void Promise.race([onCommit.finish(verdict), deadline]).finally(() => process.exit(code));
  };
  for (const signal of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) process.once(signal, handler);
  return () => {
    for (const signal of Object.keys(SIGNALS)) process.off(signal, handler);
  };
}
