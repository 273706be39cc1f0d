/**
 * The requests the loopback GitHub (test/fakes/github-api.ts) received, in the form tests compare,
 * and the requests of one verdict on a commit: the tests of src/github/status.ts and of the built
 * action expect the same exchange, so it is written once.
 */
import type { RecordedRequest } from '../fakes/http.js';

export interface SeenRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  json?: unknown;
}

/** Method, path, and the query and JSON body where there is one, of each request in order. */
export function received(requests: readonly RecordedRequest[]): SeenRequest[] {
  return requests.map((r) => ({
    method: r.method,
    path: r.path,
    ...(Object.keys(r.query).length ? { query: r.query } : {}),
    ...(r.json !== undefined ? { json: r.json } : {}),
  }));
}

export interface VerdictExchange {
  /** owner/name; `acme/fleet` by default, as the action runner and the unit tests set it. */
  repo?: string;
  sha: string;
  environment: string;
  /** The commit status context, `flux-health/<cluster>`. */
  context: string;
  /** The id of the deployment the loopback GitHub created. */
  deployment: number | undefined;
  /** What the deployment says while the run goes on (`Checking Flux`, `Waiting for Flux to apply …`). */
  inProgress: string;
  state: string;
  description: string;
  /** The run's URL, which every status links to. */
  runUrl: string;
}

/**
 * A verdict with both a commit status and an environment, where the commit has no deployment yet:
 * the lookup, the new deployment, its in-progress status, then the commit status and the
 * deployment's final status.
 */
export function verdictRequests(v: VerdictExchange): SeenRequest[] {
  const repo = `/repos/${v.repo ?? 'acme/fleet'}`;
  const deployment = `${repo}/deployments/${String(v.deployment)}/statuses`;
  return [
    {
      method: 'GET',
      path: `${repo}/deployments`,
      query: { sha: v.sha, environment: v.environment, per_page: '1' },
    },
    {
      method: 'POST',
      path: `${repo}/deployments`,
      json: {
        ref: v.sha,
        environment: v.environment,
        description: `Checked by ${v.context}`,
        auto_merge: false,
        required_contexts: [],
      },
    },
    {
      method: 'POST',
      path: deployment,
      json: { state: 'in_progress', description: v.inProgress, log_url: v.runUrl },
    },
    {
      method: 'POST',
      path: `${repo}/statuses/${v.sha}`,
      json: { state: v.state, context: v.context, description: v.description, target_url: v.runUrl },
    },
    {
      method: 'POST',
      path: deployment,
      json: { state: v.state, description: v.description, log_url: v.runUrl },
    },
  ];
}
