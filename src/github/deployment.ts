/**
 * The GitHub deployment that carries Flux's answer to an environment page. A deployment already
 * made for the commit and environment (by the workflow's `environment:` or a deploy step) is
 * reused, so a re-run or an earlier step's deployment gets the answer instead of a duplicate.
 */
import type { GitHubClient } from './octokit.js';

export interface DeploymentTarget {
  owner: string;
  repo: string;
  /** The deployed commit, full SHA. */
  sha: string;
  environment: string;
}

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

/** The newest deployment of `sha` to the environment, else a new one; its id. */
export async function findOrCreateDeployment(
  octokit: GitHubClient,
  target: DeploymentTarget,
  description: string,
): Promise<number> {
  const { owner, repo, sha, environment } = target;
  // GitHub lists deployments newest first.
  const { data } = await octokit.rest.repos.listDeployments({ owner, repo, sha, environment, per_page: 1 });
  const found = data[0];
  if (found) return Number(found.id);
  const created = await octokit.rest.repos.createDeployment({
    owner,
    repo,
    ref: sha,
    environment,
    description,
    // The commit is what Flux applied: never merge the default branch into it, and never hold the
    // deployment back on other checks (ours among them).
    auto_merge: false,
    required_contexts: [],
  });
  if (!('id' in created.data)) {
    throw new Error(`GitHub made no deployment (${created.status}): ${created.data.message ?? 'no message'}`);
  }
  return Number(created.data.id);
}

export async function createDeploymentStatus(
  octokit: GitHubClient,
  target: DeploymentTarget,
  deploymentId: number,
  status: { state: DeploymentState; description: string; logUrl?: string },
): Promise<void> {
  await octokit.rest.repos.createDeploymentStatus({
    owner: target.owner,
    repo: target.repo,
    deployment_id: deploymentId,
    state: status.state,
    description: status.description,
    ...(status.logUrl ? { log_url: status.logUrl } : {}),
  });
}
