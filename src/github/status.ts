/**
 * The verdict on the commit: a commit status per cluster (`flux-health/<cluster>`) on the deployed
 * commit, and for an `environment` a GitHub deployment that is in progress while the run works,
 * then carries Flux's answer. Both read the one verdict and decide nothing of their own: the state
 * follows the job (the gate of `fail-on`), the description is the verdict's headline, the link is
 * the run, whose page shows the job summary.
 *
 * Best-effort like the rest of publishing: a token without `statuses: write` or
 * `deployments: write` is one warning line naming the permission, never a failed job and never a
 * different verdict. The Octokit client loads only when something is posted, once for both.
 */
import * as core from '@actions/core';
import { oneLine } from '../errors.js';
import { truncateText } from '../text/escape.js';
import type { Verdict } from '../verdict.js';
import { parseRevision } from '../wait/revision.js';
import { runUrl, type RunContext } from './context.js';
import { createDeploymentStatus, findOrCreateDeployment, type DeploymentTarget } from './deployment.js';
import type { GitHubClient } from './octokit.js';
import { httpErrorOf } from './http-error.js';

/** GitHub refuses longer descriptions of commit and deployment statuses (422). */
const DESCRIPTION_MAX_CHARACTERS = 140;

export type VerdictState = 'success' | 'failure' | 'error';

/** The job's outcome as a status: the gate passed, failed, or the run could not finish. */
export function verdictState(verdict: Verdict): VerdictState {
  if (verdict.level === 'error') return 'error';
  return verdict.exitCode === 0 ? 'success' : 'failure';
}

/** One line of at most 140 characters, ending in `…` when cut. */
export function statusDescription(text: string): string {
  return truncateText(oneLine(text), DESCRIPTION_MAX_CHARACTERS);
}

/** `flux-health/<name>`: one context per cluster, so a matrix keeps one status each. */
export function statusContext(clusterName: string): string {
  return `flux-health/${truncateText(oneLine(clusterName), 100) || 'default'}`;
}

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * The commit Flux was asked to apply: `expected-revision` when it holds a full commit SHA, else
 * the workflow's commit (a pull request's head), which is what a tag or an OCI artifact was made
 * from. A short SHA that is not the start of the workflow's commit names a commit we cannot
 * resolve: undefined then, rather than a status on the wrong commit.
 */
export function deployedCommit(expectedRevision: string, ctx: RunContext): string | undefined {
  const digest = parseRevision(expectedRevision).digest;
  const gitDigest = digest && digest.algorithm !== 'sha256' && digest.hex.length <= 40 ? digest : undefined;
  if (gitDigest && FULL_SHA.test(gitDigest.hex)) return gitDigest.hex;
  const workflow = (ctx.headSha ?? ctx.sha)?.toLowerCase();
  if (!workflow || !FULL_SHA.test(workflow)) return undefined;
  return gitDigest && !workflow.startsWith(gitDigest.hex) ? undefined : workflow;
}

function isForkPullRequest(ctx: RunContext): boolean {
  const pr = ctx.payload.pull_request;
  const head = pr?.head?.repo?.full_name;
  return head !== undefined && head !== pr?.base?.repo?.full_name;
}

/** One line: what failed and, for a refusal, the permission the job's `permissions:` must grant. */
function postFailureWarning(what: string, permission: string, error: unknown, ctx: RunContext): string {
  const { status, message } = httpErrorOf(error);
  const detail = oneLine(message);
  // GitHub answers 404 for a repository the token cannot see; a 403 is a refusal unless rate-limited.
  if (status === 404 || (status === 403 && !/rate limit/i.test(detail))) {
    const fork = isForkPullRequest(ctx) ? ' (a pull request from a fork only gets a read-only token)' : '';
    return (
      `Could not ${what} (${status}: ${detail}): the token needs \`${permission}\`; ` +
      `add it to the job's \`permissions:\`${fork}.`
    );
  }
  return `Could not ${what}${status ? ` (${status})` : ''}: ${detail}`;
}

/** What the verdict on the commit reads from the action's inputs. */
export interface VerdictOnCommitInputs {
  commitStatus: boolean;
  environment: string;
  githubToken: string;
  clusterName: string;
  /** The kubeconfig context: names the cluster in the status context when `clusterName` is empty. */
  context: string;
  expectedRevision: string;
  wait: boolean;
}

export interface VerdictOnCommit {
  /** The deployment (when there is an environment) is in progress from now; call before the run. */
  start(): Promise<void>;
  /** Posts the verdict: the commit status, then the deployment's final status. */
  finish(verdict: Verdict): Promise<void>;
}

/** Undefined when neither is asked for, or when there is nowhere to post (with a warning). */
export function verdictOnCommit(inputs: VerdictOnCommitInputs, ctx: RunContext): VerdictOnCommit | undefined {
  if (!inputs.commitStatus && !inputs.environment) return undefined;
  const sha = deployedCommit(inputs.expectedRevision, ctx);
  const missing = !ctx.repository
    ? 'GITHUB_REPOSITORY is not set'
    : !inputs.githubToken
      ? 'input `github-token` is empty'
      : !sha
        ? inputs.expectedRevision
          ? `\`expected-revision\` ${JSON.stringify(inputs.expectedRevision)} is not a full commit SHA`
          : 'GITHUB_SHA is not set'
        : undefined;
  if (missing || !ctx.repository || !sha) {
    core.warning(`Cannot post the verdict on the commit: ${missing ?? 'no commit'}`);
    return undefined;
  }
  const { owner, repo } = ctx.repository;
  const target: DeploymentTarget = { owner, repo, sha, environment: inputs.environment };
  const link = runUrl(ctx);
  const context = statusContext(inputs.clusterName || inputs.context);
  const short = sha.slice(0, 7);
  let client: Promise<GitHubClient> | undefined;
  const github = (): Promise<GitHubClient> =>
    (client ??= import('./octokit.js').then(({ createOctokit }) =>
      createOctokit(inputs.githubToken, { baseUrl: ctx.apiUrl }),
    ));
  const deploymentWhat = `mark the ${JSON.stringify(inputs.environment)} deployment of ${short}`;

  /** The deployment's id, in progress; undefined after the one warning when GitHub refused. */
  const begin = async (): Promise<number | undefined> => {
    try {
      const octokit = await github();
      const id = await findOrCreateDeployment(octokit, target, statusDescription(`Checked by ${context}`));
      const description = inputs.wait ? `Waiting for Flux to apply ${short}` : 'Checking Flux';
      await createDeploymentStatus(octokit, target, id, {
        state: 'in_progress',
        description,
        ...(link ? { logUrl: link } : {}),
      });
      core.info(`deployment ${id} to ${inputs.environment}: in_progress (${description})`);
      return id;
    } catch (err) {
      core.warning(postFailureWarning(deploymentWhat, 'deployments: write', err, ctx));
      return undefined;
    }
  };
  let deployment: Promise<number | undefined> | undefined;
  let finished: Promise<void> | undefined;

  /** Posts the verdict: the commit status, then the deployment's final status. */
  const post = async (verdict: Verdict): Promise<void> => {
    const state = verdictState(verdict);
    const description = statusDescription(verdict.headline);
    if (inputs.commitStatus) {
      try {
        const octokit = await github();
        await octokit.rest.repos.createCommitStatus({
          owner,
          repo,
          sha,
          state,
          context,
          description,
          ...(link ? { target_url: link } : {}),
        });
        core.info(`commit status ${context} on ${short}: ${state}`);
      } catch (err) {
        const what = `set the commit status ${context} on ${short}`;
        core.warning(postFailureWarning(what, 'statuses: write', err, ctx));
      }
    }
    if (!inputs.environment) return;
    const id = await (deployment ??= begin());
    if (id === undefined) return;
    try {
      await createDeploymentStatus(await github(), target, id, {
        state,
        description,
        ...(link ? { logUrl: link } : {}),
      });
      core.info(`deployment ${id} to ${inputs.environment}: ${state}`);
    } catch (err) {
      core.warning(postFailureWarning(deploymentWhat, 'deployments: write', err, ctx));
    }
  };

  return {
    async start() {
      if (inputs.environment) await (deployment ??= begin());
    },
    finish(verdict) {
      // The first verdict wins: a cancellation arriving while the real one posts waits for it.
      return (finished ??= post(verdict));
    },
  };
}
