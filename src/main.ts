/**
 * The action's entry: inputs → (wait) → the same pipeline as the CLI → render → publish → gate.
 * Every output is set even when the gate fails or a step errs, with what could still be produced.
 */
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { acquireInventory, evaluationInstant, waitOnCluster } from './acquire.js';
import { readInputs, type ActionInputs } from './action/inputs.js';
import { credentialsOf, type ConnectOptions } from './cluster/connect.js';
import { ConfigError, describeFailure, EXIT_BAD_INPUT, EXIT_GATE_FAILED, EXIT_OK } from './errors.js';
import { uploadArtifacts } from './github/artifact.js';
import { upsertStickyComment } from './github/comment.js';
import { decideComment } from './github/comment-mode.js';
import { readRunContext, type RunContext } from './github/context.js';
import { createOctokit } from './github/octokit.js';
import { setOutputs } from './github/outputs.js';
import { writeJobSummary } from './github/summary.js';
import { analyse, loadRules, type Analysis } from './pipeline.js';
import { renderComment } from './render/comment.js';
import { renderSummary, type SummaryInput } from './render/summary.js';
import { renderSnapshot } from './snapshot/write.js';
import { writeOutputFiles } from './output-files.js';
import { toolInfo } from './tool.js';
import { TOOL_NAME, VERSION } from './version.js';
import type { WaitResult } from './wait/wait.js';
import type { Inventory } from './inventory/index.js';

/** The outputs in action.yml, all set on every run. */
type ActionOutputs = {
  ready: boolean;
  failing: number;
  suspended: number;
  'alerts-firing': number;
  alerts: unknown[];
  'report-path': string;
  'metrics-path': string;
  'summary-path': string;
  'wait-outcome': string;
};

function connectOptions(inputs: ActionInputs): ConnectOptions {
  return {
    ...(inputs.kubeconfig.trim() !== '' ? { kubeconfigContent: inputs.kubeconfig } : {}),
    ...(inputs.context ? { context: inputs.context } : {}),
  };
}

/** The revision to wait for: the input, else the pull request's head commit, else the workflow's commit. */
function expectedRevision(inputs: ActionInputs, ctx: RunContext): string {
  return inputs.expectedRevision || ctx.headSha || ctx.sha || '';
}

async function runWait(inputs: ActionInputs, ctx: RunContext): Promise<WaitResult> {
  const expected = expectedRevision(inputs, ctx);
  if (expected === '') {
    throw new ConfigError('input `wait` needs `expected-revision` (GITHUB_SHA is not set either)');
  }
  return waitOnCluster({
    connect: connectOptions(inputs),
    expected,
    timeoutMs: inputs.waitTimeoutMs,
    reconcile: inputs.reconcile,
    selection: inputs.waitSelection,
    onConnected: (conn) => credentialsOf(conn.kc).forEach((c) => core.setSecret(c)),
    onProgress: (line) => core.info(line),
  });
}

function runUrl(ctx: RunContext): string | undefined {
  if (!ctx.repository || !ctx.runId) return undefined;
  return `${ctx.serverUrl}/${ctx.repository.owner}/${ctx.repository.repo}/actions/runs/${ctx.runId}`;
}

async function publish(
  inputs: ActionInputs,
  ctx: RunContext,
  summaryMd: string,
  commentMd: string,
  dir: string,
  files: string[],
): Promise<void> {
  if (inputs.summary) {
    const res = await writeJobSummary(summaryMd, {
      ...(inputs.artifactName ? { artifactName: inputs.artifactName } : {}),
    });
    if (res.warning) core.warning(res.warning);
  }
  const decision = decideComment(inputs.comment, ctx);
  if (!decision.comment) {
    if (decision.warning) core.warning(decision.warning);
    core.info(`no pull-request comment: ${decision.reason}`);
  } else {
    if (!ctx.repository) core.warning('cannot comment: GITHUB_REPOSITORY is not set');
    else if (!inputs.githubToken) core.warning('cannot comment: input `github-token` is empty');
    else {
      const octokit = createOctokit(inputs.githubToken, { baseUrl: ctx.apiUrl });
      const res = await upsertStickyComment({
        octokit,
        owner: ctx.repository.owner,
        repo: ctx.repository.repo,
        prNumber: decision.prNumber,
        tag: inputs.commentTag,
        body: commentMd,
        graphqlUrl: ctx.graphqlUrl,
        ...(inputs.artifactName ? { artifactName: inputs.artifactName } : {}),
      });
      if (res.warning) core.warning(res.warning);
      else
        core.info(
          `pull request #${decision.prNumber}: comment ${res.action}${res.url ? ` (${res.url})` : ''}`,
        );
    }
  }
  if (inputs.artifactName) {
    const res = await uploadArtifacts({
      name: inputs.artifactName,
      files: files.map((f) => join(dir, f)),
      rootDir: dir,
      ...(inputs.retentionDays > 0 ? { retentionDays: inputs.retentionDays } : {}),
    });
    if (res.warning) core.warning(res.warning);
    else if (res.uploaded) core.info(`uploaded artifact ${inputs.artifactName} (${res.size ?? 0} bytes)`);
  }
}

function outputsFrom(
  inv: Inventory | undefined,
  a: Analysis | undefined,
  wait: WaitResult | undefined,
  dir: string,
  waitRefused = false,
): ActionOutputs {
  const failing = a?.health.failing.length ?? 0;
  const suspended = a ? a.health.kinds.reduce((n, k) => n + k.suspended, 0) : 0;
  const firing = a ? a.alerts.alerts.filter((x) => x.state === 'firing') : [];
  const waitOk = !waitRefused && (wait === undefined || wait.outcome === 'converged');
  // Compact alert records keep the output well under GitHub's limits even for large clusters.
  const alerts = (a?.alerts.alerts ?? []).slice(0, 200).map((x) => ({
    name: x.name,
    state: x.state,
    labels: x.labels,
    activeAt: x.activeAt,
    summary: x.annotations['summary'] ?? '',
  }));
  return {
    ready: inv !== undefined && a !== undefined && failing === 0 && !a.gate.failed && waitOk,
    failing,
    suspended,
    'alerts-firing': firing.length,
    alerts,
    'report-path': a ? join(dir, 'report.json') : '',
    'metrics-path': a ? join(dir, 'metrics.prom') : '',
    'summary-path': a ? join(dir, 'summary.md') : '',
    'wait-outcome': waitRefused ? 'failed' : (wait?.outcome ?? ''),
  };
}

export async function runAction(): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readInputs();
  } catch (err) {
    const { message } = describeFailure(err);
    setOutputs(outputsFrom(undefined, undefined, undefined, ''));
    core.setFailed(message);
    return EXIT_BAD_INPUT;
  }
  const ctx = readRunContext();
  const dir = resolve(inputs.outputDir);
  let inventory: Inventory | undefined;
  let analysis: Analysis | undefined;
  let wait: WaitResult | undefined;
  // A wait that cannot run (a kind it must watch is forbidden, a bad selection) is bad input,
  // but the report, summary, comment and artifact are still produced before exiting 2.
  let waitRefused: string | undefined;
  try {
    const rules = loadRules(inputs.rules, inputs.builtinRules);
    core.info(`${rules.count} alerting rules from ${rules.files.join(', ') || 'no file'}`);

    if (inputs.wait) {
      try {
        wait = await core.group(`Wait for revision ${expectedRevision(inputs, ctx)}`, () =>
          runWait(inputs, ctx),
        );
        (wait.outcome === 'converged' ? core.info : core.error)(`wait: ${wait.message}`);
      } catch (err) {
        const failure = describeFailure(err);
        if (failure.exitCode !== EXIT_BAD_INPUT) throw err;
        waitRefused = failure.message;
        core.error(`wait: ${waitRefused}`);
      }
    }

    const started = performance.now();
    const acquired = await core.group('Collect Flux objects', () =>
      acquireInventory({
        source: inputs.snapshot ? { snapshot: inputs.snapshot } : { connect: connectOptions(inputs) },
        namespace: inputs.namespace,
        // A live cluster's state goes into the artifact as a snapshot, to re-audit it later.
        keepRaw: inputs.snapshot === '',
        onProgress: (line) => core.info(line),
        onConnected: (conn) => credentialsOf(conn.kc).forEach((c) => core.setSecret(c)),
      }),
    );
    inventory = acquired.inventory;
    const inv = inventory;
    const now = evaluationInstant(inv);
    analysis = await core.group('Report, metrics and alerts', async () => {
      const a = await analyse(inv, {
        now,
        tool: toolInfo(),
        rules,
        failOn: inputs.failOn,
        durationMs: Math.round(performance.now() - started),
      });
      const firing = a.alerts.alerts.filter((x) => x.state === 'firing').length;
      core.info(
        `${inv.objects.length} Flux objects, ${a.health.failing.length} failing; ${firing} alerts firing, ${a.alerts.alerts.length - firing} pending`,
      );
      for (const e of a.alerts.errors) core.warning(`rule ${e.group}/${e.rule} (${e.file}): ${e.message}`);
      return a;
    });

    const gate = {
      failed:
        waitRefused !== undefined ||
        analysis.gate.failed ||
        (wait !== undefined && wait.outcome !== 'converged'),
      reason:
        waitRefused !== undefined
          ? `wait refused: ${waitRefused}`
          : wait && wait.outcome !== 'converged'
            ? `wait ${wait.outcome}: ${wait.message}`
            : analysis.gate.reason,
    };
    const summaryInput: SummaryInput = {
      ...(inputs.clusterName ? { clusterName: inputs.clusterName } : {}),
      report: analysis.report,
      health: analysis.health,
      inventory: inv,
      alerts: analysis.alerts,
      gate,
      ...(wait ? { wait } : {}),
      ...(inputs.artifactName ? { artifactName: inputs.artifactName } : {}),
      ...(runUrl(ctx) ? { runUrl: runUrl(ctx) as string } : {}),
      now,
    };
    const summaryMd = renderSummary(summaryInput);
    const commentMd = renderComment(summaryInput);
    const files: Record<string, string> = {
      'report.yaml': analysis.reportYaml,
      'report.json': analysis.reportJson,
      'metrics.prom': analysis.metricsProm,
      'alerts.json': analysis.alertsJson,
      'summary.md': summaryMd,
    };
    if (acquired.raw) files['snapshot.yaml'] = renderSnapshot(acquired.raw, inv, `${TOOL_NAME} ${VERSION}`);
    await writeOutputFiles(dir, files, 'output-dir');
    core.info(`wrote ${Object.keys(files).join(', ')} to ${dir}`);
    await core.group('Publish', () => publish(inputs, ctx, summaryMd, commentMd, dir, Object.keys(files)));

    setOutputs(outputsFrom(inventory, analysis, wait, dir, waitRefused !== undefined));
    if (waitRefused !== undefined) {
      core.setFailed(waitRefused);
      return EXIT_BAD_INPUT;
    }
    if (gate.failed) {
      core.setFailed(`Flux Health gate failed: ${gate.reason}`);
      return EXIT_GATE_FAILED;
    }
    core.info(`Flux Health gate passed: ${gate.reason}`);
    return EXIT_OK;
  } catch (err) {
    setOutputs(outputsFrom(inventory, analysis, wait, dir, waitRefused !== undefined));
    const { exitCode, message } = describeFailure(err);
    core.setFailed(message);
    return exitCode;
  }
}
