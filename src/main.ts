/**
 * The action's entry, an adapter over the one run: inputs → run options, then the run's result →
 * files, job summary, comment, artifact and step outputs. Every output is set on every run.
 */
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { readInputs, type ActionInputs } from './action/inputs.js';
import { runOptionsOf } from './action/run-options.js';
import { actionOutputs } from './action/outputs.js';
import { describeFailure } from './errors.js';
import { readRunContext } from './github/context.js';
import { setOutputs } from './github/outputs.js';
import { publish } from './github/publish.js';
import { verdictOnCommit, type VerdictOnCommit } from './github/status.js';
import { renderOutputFiles, writeOutputFiles } from './output-files.js';
import { pushConfigured, pushSeries } from './push/index.js';
import { commentDigest, renderComment } from './render/comment.js';
import { digestLine, readDigest } from './render/digest.js';
import { reportFailing } from './action/annotations.js';
import { postVerdictOnCancel } from './action/cancel.js';
import { DEFAULT_FAIL_ON } from './rules/gate.js';
import { run, type RunResult } from './run.js';
import { decideVerdict } from './verdict.js';

function failed(err: unknown): RunResult {
  return { verdict: decideVerdict({ failOn: DEFAULT_FAIL_ON, error: describeFailure(err) }) };
}

export async function runAction(): Promise<number> {
  let inputs: ActionInputs;
  let result: RunResult;
  try {
    inputs = readInputs();
  } catch (err) {
    return finish(failed(err), '', []);
  }
  // The final job of a matrix: the other jobs' runs side by side, no cluster of its own.
  if (inputs.fleet) return (await import('./action/fleet.js')).runFleetAction(inputs);
  const ctx = readRunContext();
  // The deployment shows "in progress" for as long as the run (and its wait) works.
  const onCommit = verdictOnCommit(inputs, ctx);
  const stopWatchingCancel = onCommit ? postVerdictOnCancel(onCommit) : undefined;
  await onCommit?.start();
  try {
    result = await run(runOptionsOf(inputs, ctx));
  } catch (err) {
    return finish(failed(err), '', [], undefined, onCommit, stopWatchingCancel);
  }
  const dir = resolve(inputs.outputDir);
  const files = renderOutputFiles(result);
  try {
    await writeOutputFiles(dir, files, 'output-dir');
    core.info(`wrote ${Object.keys(files).join(', ')} to ${dir}`);
  } catch (err) {
    const failure = { ...failed(err), ...(result.analysis ? { analysis: result.analysis } : {}) };
    return finish(failure, dir, [], undefined, onCommit, stopWatchingCancel);
  }
  const view = result.view;
  if (view) reportFailing(view);
  const published = await core.group('Publish', () =>
    publish(inputs, ctx, {
      ...(files['summary.md'] !== undefined ? { summaryMd: files['summary.md'] } : {}),
      ...(view
        ? {
            comment: {
              render: (previousBody) => renderComment(view, readDigest(previousBody)),
              trailer: digestLine(commentDigest(view)),
            },
          }
        : {}),
      dir,
      files: Object.keys(files),
    }),
  );
  // Best-effort like the comment: a failed push is a warning line, and the verdict stands.
  if (pushConfigured(inputs.push))
    await core.group('Push to Prometheus', () => pushSeries(inputs.push, result, inputs.clusterName, core));
  return finish(result, dir, Object.keys(files), published.commentUrl, onCommit, stopWatchingCancel);
}

async function finish(
  result: RunResult,
  dir: string,
  files: string[],
  commentUrl?: string,
  onCommit?: VerdictOnCommit,
  stopCancel?: () => void,
): Promise<number> {
  await onCommit?.finish(result.verdict);
  stopCancel?.();
  setOutputs({ ...actionOutputs(result, dir, files), 'comment-url': commentUrl ?? '' });
  const { verdict } = result;
  if (verdict.exitCode === 0)
    core.info(`Flux Health: ${verdict.headline}; gate passed: ${verdict.gate.reason}`);
  else if (verdict.level === 'error' || verdict.exitCode !== 1) core.setFailed(verdict.gate.reason);
  else core.setFailed(`Flux Health gate failed: ${verdict.gate.reason}`);
  return verdict.exitCode;
}
