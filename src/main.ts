/**
 * The action's entry, an adapter over the one run: inputs → run options, then the run's result →
 * files, job summary, comment, artifact and step outputs. Every output is set on every run.
 */
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { readInputs, type ActionInputs } from './action/inputs.js';
import { actionOutputs } from './action/outputs.js';
import { credentialsOf } from './cluster/connect.js';
import { ConfigError, describeFailure } from './errors.js';
import { readRunContext, runUrl, type RunContext } from './github/context.js';
import { setOutputs } from './github/outputs.js';
import { publish } from './github/publish.js';
import { renderOutputFiles, writeOutputFiles } from './output-files.js';
import { loadRules } from './pipeline.js';
import { renderComment } from './render/comment.js';
import { DEFAULT_FAIL_ON } from './rules/gate.js';
import { run, type RunOptions, type RunResult } from './run.js';
import { decideVerdict } from './verdict.js';

const log: RunOptions['log'] = {
  info: (l) => core.info(l),
  warning: (l) => core.warning(l),
  error: (l) => core.error(l),
  group: (title, fn) => core.group(title, fn),
};

function runOptions(inputs: ActionInputs, ctx: RunContext): RunOptions {
  const rules = loadRules(inputs.rules, inputs.builtinRules);
  core.info(`${rules.count} alerting rules from ${rules.files.join(', ') || 'no file'}`);
  // The revision to wait for: the input, else the pull request's head commit, else the workflow's.
  const expected = inputs.expectedRevision || ctx.headSha || ctx.sha || '';
  if (inputs.wait && expected === '')
    throw new ConfigError('input `wait` needs `expected-revision` (GITHUB_SHA is not set either)');
  const url = runUrl(ctx);
  return {
    source: inputs.snapshot
      ? { snapshot: inputs.snapshot }
      : {
          connect: {
            ...(inputs.kubeconfig.trim() ? { kubeconfigContent: inputs.kubeconfig } : {}),
            ...(inputs.context ? { context: inputs.context } : {}),
          },
        },
    ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
    rules,
    failOn: inputs.failOn,
    ...(inputs.wait
      ? {
          wait: {
            expected,
            timeoutMs: inputs.waitTimeoutMs,
            reconcile: inputs.reconcile,
            selection: inputs.waitSelection,
          },
        }
      : {}),
    keepRaw: true,
    display: {
      ...(inputs.clusterName ? { clusterName: inputs.clusterName } : {}),
      ...(inputs.artifactName ? { artifactName: inputs.artifactName } : {}),
      ...(url ? { runUrl: url } : {}),
    },
    log,
    onConnected: (conn) => credentialsOf(conn.kc).forEach((c) => core.setSecret(c)),
  };
}

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
  const ctx = readRunContext();
  try {
    result = await run(runOptions(inputs, ctx));
  } catch (err) {
    return finish(failed(err), '', []);
  }
  const dir = resolve(inputs.outputDir);
  const files = renderOutputFiles(result);
  try {
    await writeOutputFiles(dir, files, 'output-dir');
    core.info(`wrote ${Object.keys(files).join(', ')} to ${dir}`);
  } catch (err) {
    return finish({ ...failed(err), ...(result.analysis ? { analysis: result.analysis } : {}) }, dir, []);
  }
  await core.group('Publish', () =>
    publish(inputs, ctx, {
      ...(files['summary.md'] !== undefined ? { summaryMd: files['summary.md'] } : {}),
      ...(result.view ? { commentMd: renderComment(result.view) } : {}),
      dir,
      files: Object.keys(files),
    }),
  );
  return finish(result, dir, Object.keys(files));
}

function finish(result: RunResult, dir: string, files: string[]): number {
  setOutputs(actionOutputs(result, dir, files));
  const { verdict } = result;
  if (verdict.exitCode === 0)
    core.info(`Flux Health: ${verdict.headline}; gate passed: ${verdict.gate.reason}`);
  else if (verdict.level === 'error' || verdict.exitCode !== 1) core.setFailed(verdict.gate.reason);
  else core.setFailed(`Flux Health gate failed: ${verdict.gate.reason}`);
  return verdict.exitCode;
}
