/**
 * The action's inputs as the one run's options: the live cluster or snapshot, the rules, the gate,
 * the wait, and how the summary names things. The log is the Actions log, grouped.
 */
import * as core from '@actions/core';
import { credentialsOf } from '../cluster/connect.js';
import { ConfigError } from '../errors.js';
import { runUrl, type RunContext } from '../github/context.js';
import { loadRules } from '../pipeline.js';
import type { RunOptions } from '../run.js';
import type { ActionInputs } from './inputs.js';

const log: RunOptions['log'] = {
  info: (l) => core.info(l),
  warning: (l) => core.warning(l),
  error: (l) => core.error(l),
  group: (title, fn) => core.group(title, fn),
};

export function runOptionsOf(inputs: ActionInputs, ctx: RunContext): RunOptions {
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
            ...(inputs.allowExec ? { allowExec: true } : {}),
            ...(inputs.context ? { context: inputs.context } : {}),
          },
        },
    ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
    ...(inputs.namespaces.length > 0 ? { namespaces: inputs.namespaces } : {}),
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
      ...(expected ? { commit: expected } : {}),
    },
    log,
    onConnected: (conn) => credentialsOf(conn.kc).forEach((c) => core.setSecret(c)),
  };
}
