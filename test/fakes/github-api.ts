/**
 * A loopback stand-in for the parts of GitHub's REST and GraphQL APIs that the action calls, with
 * GitHub's request and response shapes: token authentication, issue comments (list with
 * `per_page`/`page` and `Link` pagination, create, update), GraphQL `viewer { login }`,
 * `GET /user`, rate-limit headers, GitHub's error bodies, forks whose token is read-only, missing
 * pull requests, and injected transient failures (5xx, secondary and primary rate limits); commit
 * statuses and deployments with their statuses, and a token's fine-grained permissions (a
 * missing one answers 403 with `x-accepted-github-permissions`, as GitHub does).
 *
 * Point `@actions/github`'s Octokit at it with `baseUrl: fake.url`, and GraphQL at
 * `fake.graphqlUrl` (what `GITHUB_API_URL` and `GITHUB_GRAPHQL_URL` would hold).
 */
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sendJson, sendText, startLoopback, type Exchange, type RecordedRequest } from './http.js';

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
  /** What GraphQL `viewer { login }` answers; defaults to `login`. */
  viewerLogin?: string;
}

/** The GITHUB_TOKEN identity: REST shows `github-actions[bot]`, a Bot. */
export const BOT: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
export const BOT_TOKEN = 'ghs_fakeBotToken000000000000000000000000';
/** Another user who can write comments (and plant markers). */
export const MALLORY: FakeUser = { login: 'mallory', id: 666, type: 'User' };
export const MALLORY_TOKEN = 'ghp_fakeMalloryToken0000000000000000000000';

export interface FakePullRequest {
  owner: string;
  repo: string;
  number: number;
  /** Opened from a fork: the token is read-only, so writes answer 403. */
  fork?: boolean;
}

export interface FakeComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
}

export interface FakeCommitStatus {
  id: number;
  owner: string;
  repo: string;
  sha: string;
  state: string;
  description: string | null;
  targetUrl: string | null;
  context: string;
  creator: FakeUser;
  createdAt: string;
}

export interface FakeDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  creator: FakeUser;
  createdAt: string;
}

export interface FakeDeployment {
  id: number;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  creator: FakeUser;
  createdAt: string;
  statuses: FakeDeploymentStatus[];
}

/** The fine-grained permissions this fake checks (what a workflow's `permissions:` grants). */
export type FakePermission = 'statuses' | 'deployments';
export type FakeAccess = 'none' | 'read' | 'write';

export type FaultKind = number | 'secondary-rate-limit' | 'rate-limit';

export interface Fault {
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Path to match: a prefix string or a pattern; any when absent. */
  path?: string | RegExp;
  /** A status to answer with (e.g. 502), or a rate limit with GitHub's headers and body. */
  kind: FaultKind;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** Seconds in `retry-after` (secondary) or until reset (primary); default 1. */
  retryAfter?: number;
}

export interface FakeGitHubOptions {
  /** Token → identity; default the bot and mallory. */
  tokens?: Record<string, FakeUser>;
  pullRequests?: FakePullRequest[];
  /** Server URL used in `html_url`s. */
  serverUrl?: string;
  faults?: Fault[];
  /**
   * Per token, what its `permissions:` grant; a permission not listed is `write`, as with the
   * permissive default GITHUB_TOKEN.
   */
  permissions?: Record<string, Partial<Record<FakePermission, FakeAccess>>>;
}

export interface FakeGitHubState {
  comments: FakeComment[];
  statuses: FakeCommitStatus[];
  /** Oldest first. */
  deployments: FakeDeployment[];
  requests: RecordedRequest[];
  faults: Fault[];
}

export interface FakeGitHub {
  /** REST base URL (`GITHUB_API_URL`). */
  url: string;
  /** GraphQL endpoint (`GITHUB_GRAPHQL_URL`). */
  graphqlUrl: string;
  /**
   * The `GITHUB_*` URLs that send the action here. `GITHUB_SERVER_URL` stays github.com: it only
   * builds links, and `@actions/artifact` refuses any other host as GitHub Enterprise Server.
   */
  env: Record<string, string>;
  state: FakeGitHubState;
  /** Seeds a comment as if `user` had posted it. */
  addComment(comment: {
    owner: string;
    repo: string;
    issueNumber: number;
    body: string;
    user: FakeUser;
  }): FakeComment;
  /** The comments on one issue or pull request, oldest first. */
  commentsOn(owner: string, repo: string, issueNumber: number): FakeComment[];
  /** Makes the next matching request(s) fail. */
  failNext(fault: Fault): void;
  close(): Promise<void>;
}

export const DEFAULT_PULL_REQUESTS: FakePullRequest[] = [
  { owner: 'acme', repo: 'fleet', number: 7 },
  { owner: 'acme', repo: 'fleet', number: 8 },
  { owner: 'acme', repo: 'fleet', number: 9, fork: true },
  { owner: 'acme', repo: 'fleet', number: 11 },
  { owner: 'acme', repo: 'fleet', number: 12 },
];

const DOCS = 'https://docs.github.com/rest';

function githubError(
  response: ServerResponse,
  status: number,
  message: string,
  documentationUrl = DOCS,
  extra = {},
): void {
  sendJson(response, status, {
    message,
    documentation_url: documentationUrl,
    status: String(status),
    ...extra,
  });
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const tokens = options.tokens ?? { [BOT_TOKEN]: BOT, [MALLORY_TOKEN]: MALLORY };
  const pullRequests = options.pullRequests ?? DEFAULT_PULL_REQUESTS;
  const serverUrl = options.serverUrl ?? 'https://github.com';
  const state: FakeGitHubState = {
    comments: [],
    statuses: [],
    deployments: [],
    requests: [],
    faults: [...(options.faults ?? [])],
  };
  const repoIds = new Map<string, number>();
  const repoId = (owner: string, repo: string): number => {
    const key = `${owner}/${repo}`.toLowerCase();
    if (!repoIds.has(key)) repoIds.set(key, 100_000 + repoIds.size);
    return repoIds.get(key) as number;
  };
  for (const pr of pullRequests) repoId(pr.owner, pr.repo);
  let nextCommentId = 1_000_001;
  let nextStatusId = 30_000_001;
  let nextDeploymentId = 2_000_000_001;
  let nextDeploymentStatusId = 4_000_000_001;
  let baseUrl = '';

  const findPull = (owner: string, repo: string, number: number): FakePullRequest | undefined =>
    pullRequests.find(
      (pr) =>
        pr.owner.toLowerCase() === owner.toLowerCase() &&
        pr.repo.toLowerCase() === repo.toLowerCase() &&
        pr.number === number,
    );

  const userJson = (user: FakeUser): Record<string, unknown> => ({
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    url: `${baseUrl}/users/${encodeURIComponent(user.login)}`,
    html_url:
      user.type === 'Bot'
        ? `${serverUrl}/apps/${user.login.replace(/\[bot\]$/, '')}`
        : `${serverUrl}/${user.login}`,
    type: user.type,
    site_admin: false,
  });

  const commentJson = (comment: FakeComment): Record<string, unknown> => ({
    url: `${baseUrl}/repos/${comment.owner}/${comment.repo}/issues/comments/${comment.id}`,
    html_url: `${serverUrl}/${comment.owner}/${comment.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${baseUrl}/repos/${comment.owner}/${comment.repo}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: `IC_${comment.id}`,
    user: userJson(comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
    body: comment.body,
    performed_via_github_app: null,
  });

  const addComment: FakeGitHub['addComment'] = ({ owner, repo, issueNumber, body, user }) => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const comment: FakeComment = {
      id: nextCommentId++,
      owner,
      repo,
      issueNumber,
      body,
      user,
      createdAt: now,
      updatedAt: now,
    };
    state.comments.push(comment);
    return comment;
  };

  const commentsOn: FakeGitHub['commentsOn'] = (owner, repo, issueNumber) =>
    state.comments.filter(
      (c) =>
        c.owner.toLowerCase() === owner.toLowerCase() &&
        c.repo.toLowerCase() === repo.toLowerCase() &&
        c.issueNumber === issueNumber,
    );

  const rateHeaders = (remaining = 4999): Record<string, string> => ({
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-used': String(5000 - remaining),
    'x-ratelimit-resource': 'core',
    'x-github-request-id': randomUUID().toUpperCase(),
    'x-github-media-type': 'github.v3; format=json',
  });

  /** Answers with an injected fault if one matches; true when it did. */
  const injectFault = (exchange: Exchange): boolean => {
    const index = state.faults.findIndex((fault) => {
      if (fault.method && fault.method.toUpperCase() !== exchange.recorded.method) return false;
      if (fault.path === undefined) return true;
      return typeof fault.path === 'string'
        ? exchange.recorded.path.startsWith(fault.path)
        : fault.path.test(exchange.recorded.path);
    });
    if (index === -1) return false;
    const fault = state.faults[index] as Fault;
    const remaining = (fault.times ?? 1) - 1;
    if (remaining <= 0) state.faults.splice(index, 1);
    else state.faults[index] = { ...fault, times: remaining };
    const after = fault.retryAfter ?? 1;
    const { response } = exchange;
    if (fault.kind === 'secondary-rate-limit') {
      sendJson(
        response,
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
            `If you reach out to GitHub Support for help, please include the request ID ${randomUUID().toUpperCase()}.`,
          documentation_url:
            'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: '403',
        },
        { ...rateHeaders(), 'retry-after': String(after) },
      );
      return true;
    }
    if (fault.kind === 'rate-limit') {
      const reset = Math.floor(Date.now() / 1000) + after;
      sendJson(
        response,
        403,
        {
          message: 'API rate limit exceeded for installation ID 1234567.',
          documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
          status: '403',
        },
        { ...rateHeaders(0), 'x-ratelimit-reset': String(reset) },
      );
      return true;
    }
    if (fault.kind >= 500) {
      sendText(response, fault.kind, '<html><body><h1>502 Bad Gateway</h1></body></html>', {
        'content-type': 'text/html',
      });
    } else {
      githubError(response, fault.kind, 'Injected failure');
    }
    return true;
  };

  const tokenOf = (exchange: Exchange): string | undefined => {
    const header = exchange.recorded.headers['authorization'] ?? '';
    return /^(?:token|bearer)\s+(\S+)$/i.exec(header)?.[1];
  };

  const authenticate = (exchange: Exchange): FakeUser | undefined => {
    const token = tokenOf(exchange);
    return token ? tokens[token] : undefined;
  };

  const handleGraphql = (exchange: Exchange, user: FakeUser): void => {
    const query = (exchange.recorded.json as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string') {
      sendJson(exchange.response, 400, {
        message: 'Problems parsing JSON',
        documentation_url: 'https://docs.github.com/graphql',
      });
      return;
    }
    if (/\bviewer\s*\{\s*login\s*\}/.test(query)) {
      sendJson(
        exchange.response,
        200,
        { data: { viewer: { login: user.viewerLogin ?? user.login } } },
        rateHeaders(),
      );
      return;
    }
    sendJson(exchange.response, 200, {
      errors: [
        {
          path: ['query'],
          extensions: { code: 'undefinedField' },
          message: 'This fake answers only viewer { login }',
        },
      ],
    });
  };

  const listComments = (exchange: Exchange, owner: string, repo: string, number: number): void => {
    const { url, response } = exchange;
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? '30') || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
    const all = commentsOn(owner, repo, number);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const slice = all.slice((page - 1) * perPage, page * perPage);
    // Like GitHub, pagination links use the repository id form of the path.
    const link = (p: number): string =>
      `<${baseUrl}/repositories/${repoId(owner, repo)}/issues/${number}/comments?per_page=${perPage}&page=${p}>`;
    const links: string[] = [];
    if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) links.push(`${link(1)}; rel="first"`);
    sendJson(response, 200, slice.map(commentJson), {
      ...rateHeaders(),
      ...(links.length ? { link: links.join(', ') } : {}),
    });
  };

  const readCommentBody = (exchange: Exchange): string | undefined => {
    const body = (exchange.recorded.json as { body?: unknown } | undefined)?.body;
    if (typeof body !== 'string') {
      githubError(
        exchange.response,
        422,
        'Invalid request.\n\n"body" wasn\'t supplied.',
        `${DOCS}/issues/comments`,
      );
      return undefined;
    }
    // GitHub counts characters; counting UTF-16 units here is the stricter reading.
    if (body.length > 65_536) {
      githubError(
        exchange.response,
        422,
        'Validation Failed',
        `${DOCS}/issues/comments#create-an-issue-comment`,
        {
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
        },
      );
      return undefined;
    }
    return body;
  };

  const forbidden = (response: ServerResponse, anchor: string): void =>
    githubError(response, 403, 'Resource not accessible by integration', `${DOCS}/issues/comments#${anchor}`);

  const timestamp = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const sameRepo = (a: { owner: string; repo: string }, owner: string, repo: string): boolean =>
    a.owner.toLowerCase() === owner.toLowerCase() && a.repo.toLowerCase() === repo.toLowerCase();
  const codePoints = (text: string): number => Array.from(text).length;

  /** GitHub's 403 for a token whose permissions lack `access`; true when it answered. */
  const denied = (
    exchange: Exchange,
    permission: FakePermission,
    access: 'read' | 'write',
    documentationUrl: string,
  ): boolean => {
    const granted = options.permissions?.[tokenOf(exchange) ?? '']?.[permission] ?? 'write';
    if (granted === 'write' || (access === 'read' && granted === 'read')) return false;
    sendJson(
      exchange.response,
      403,
      {
        message: 'Resource not accessible by integration',
        documentation_url: documentationUrl,
        status: '403',
      },
      { ...rateHeaders(), 'x-accepted-github-permissions': `${permission}=${access}` },
    );
    return true;
  };

  const validationFailed = (
    response: ServerResponse,
    documentationUrl: string,
    error: { resource: string; field: string; message: string },
  ): void =>
    githubError(response, 422, 'Validation Failed', documentationUrl, {
      errors: [{ resource: error.resource, code: 'custom', field: error.field, message: error.message }],
    });

  /** GitHub's schema check of one enum property; true when it answered 422. */
  const badEnum = (
    response: ServerResponse,
    documentationUrl: string,
    name: string,
    value: unknown,
    allowed: readonly string[],
  ): boolean => {
    if (typeof value === 'string' && allowed.includes(value)) return false;
    const list = allowed.map((a) => JSON.stringify(a)).join(', ');
    githubError(
      response,
      422,
      value === undefined
        ? `Invalid request.\n\n"${name}" wasn't supplied.`
        : `Invalid request.\n\nFor 'properties/${name}', ${JSON.stringify(value)} is not a member of [${list}].`,
      documentationUrl,
    );
    return true;
  };

  /** GitHub counts a description's characters and refuses more than 140. */
  const descriptionTooLong = (
    response: ServerResponse,
    documentationUrl: string,
    resource: string,
    description: unknown,
  ): boolean => {
    if (typeof description !== 'string' || codePoints(description) <= 140) return false;
    validationFailed(response, documentationUrl, {
      resource,
      field: 'description',
      message: 'description is too long (maximum is 140 characters)',
    });
    return true;
  };

  const optionalString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

  const statusJson = (status: FakeCommitStatus): Record<string, unknown> => ({
    url: `${baseUrl}/repos/${status.owner}/${status.repo}/statuses/${status.sha}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${status.creator.id}?v=4`,
    id: status.id,
    node_id: `SC_${status.id}`,
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    creator: userJson(status.creator),
  });

  const COMMIT_STATES = ['error', 'failure', 'pending', 'success'] as const;

  const createStatus = (
    exchange: Exchange,
    user: FakeUser,
    owner: string,
    repo: string,
    sha: string,
  ): void => {
    const doc = `${DOCS}/commits/statuses#create-a-commit-status`;
    const { response } = exchange;
    if (denied(exchange, 'statuses', 'write', doc)) return;
    // This fake knows commits only by their full SHA; GitHub resolves nothing shorter here either.
    if (!/^[0-9a-f]{40}$/i.test(sha))
      return githubError(response, 422, `No commit found for SHA: ${sha}`, doc);
    const body = (exchange.recorded.json ?? {}) as Record<string, unknown>;
    if (badEnum(response, doc, 'state', body['state'], COMMIT_STATES)) return;
    if (descriptionTooLong(response, doc, 'Status', body['description'])) return;
    const status: FakeCommitStatus = {
      id: nextStatusId++,
      owner,
      repo,
      sha: sha.toLowerCase(),
      state: body['state'] as string,
      description: optionalString(body['description']),
      targetUrl: optionalString(body['target_url']),
      context: typeof body['context'] === 'string' ? body['context'] : 'default',
      creator: user,
      createdAt: timestamp(),
    };
    state.statuses.push(status);
    const json = statusJson(status);
    sendJson(response, 201, json, { ...rateHeaders(), location: json['url'] as string });
  };

  const deploymentUrl = (d: FakeDeployment): string =>
    `${baseUrl}/repos/${d.owner}/${d.repo}/deployments/${d.id}`;

  const deploymentJson = (d: FakeDeployment): Record<string, unknown> => ({
    url: deploymentUrl(d),
    id: d.id,
    node_id: `DE_${d.id}`,
    task: d.task,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
    statuses_url: `${deploymentUrl(d)}/statuses`,
    repository_url: `${baseUrl}/repos/${d.owner}/${d.repo}`,
    creator: userJson(d.creator),
    sha: d.sha,
    ref: d.ref,
    payload: d.payload,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
    performed_via_github_app: null,
  });

  const deploymentStatusJson = (d: FakeDeployment, s: FakeDeploymentStatus): Record<string, unknown> => ({
    url: `${deploymentUrl(d)}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: userJson(s.creator),
    description: s.description,
    environment: s.environment,
    target_url: s.logUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: deploymentUrl(d),
    repository_url: `${baseUrl}/repos/${d.owner}/${d.repo}`,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
    performed_via_github_app: null,
  });

  /** One page of `items`, with GitHub's `Link` header built on the request's own URL. */
  const sendPage = (exchange: Exchange, items: Record<string, unknown>[]): void => {
    const { url } = exchange;
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? '30') || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number): string => {
      const next = new URL(`${baseUrl}${url.pathname}${url.search}`);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(p));
      return `<${next.toString()}>`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) links.push(`${link(1)}; rel="first"`);
    sendJson(exchange.response, 200, items.slice((page - 1) * perPage, page * perPage), {
      ...rateHeaders(),
      ...(links.length ? { link: links.join(', ') } : {}),
    });
  };

  const listDeployments = (exchange: Exchange, owner: string, repo: string): void => {
    if (denied(exchange, 'deployments', 'read', `${DOCS}/deployments/deployments#list-deployments`)) return;
    const q = exchange.url.searchParams;
    const matches = (value: string, param: string): boolean => !q.has(param) || q.get(param) === value;
    const found = state.deployments
      .filter(
        (d) =>
          sameRepo(d, owner, repo) &&
          matches(d.sha, 'sha') &&
          matches(d.ref, 'ref') &&
          matches(d.task, 'task') &&
          matches(d.environment, 'environment'),
      )
      .reverse();
    sendPage(exchange, found.map(deploymentJson));
  };

  /** The newest state of each context on a commit. */
  const latestStatuses = (owner: string, repo: string, sha: string): Map<string, string> => {
    const latest = new Map<string, string>();
    for (const s of state.statuses)
      if (sameRepo(s, owner, repo) && s.sha === sha) latest.set(s.context.toLowerCase(), s.state);
    return latest;
  };

  const createDeployment = (exchange: Exchange, user: FakeUser, owner: string, repo: string): void => {
    const doc = `${DOCS}/deployments/deployments#create-a-deployment`;
    const { response } = exchange;
    if (denied(exchange, 'deployments', 'write', doc)) return;
    const body = (exchange.recorded.json ?? {}) as Record<string, unknown>;
    const ref = body['ref'];
    if (typeof ref !== 'string')
      return githubError(response, 422, 'Invalid request.\n\n"ref" wasn\'t supplied.', doc);
    if (!/^[0-9a-f]{40}$/i.test(ref)) return githubError(response, 422, `No ref found for: ${ref}`, doc);
    const sha = ref.toLowerCase();
    // Without `required_contexts`, every context on the commit must be success first.
    const latest = latestStatuses(owner, repo, sha);
    const required = Array.isArray(body['required_contexts'])
      ? (body['required_contexts'] as unknown[]).map(String)
      : [...latest.keys()];
    const unmet = required.filter((c) => latest.get(c.toLowerCase()) !== 'success');
    if (unmet.length > 0) {
      return githubError(response, 409, `Conflict: Commit status checks failed for ${ref}.`, doc, {
        errors: [
          {
            contexts: unmet.map((c) => ({ context: c, state: latest.get(c.toLowerCase()) ?? 'missing' })),
            resource: 'Deployment',
            field: 'required_contexts',
          },
        ],
      });
    }
    const environment = typeof body['environment'] === 'string' ? body['environment'] : 'production';
    const deployment: FakeDeployment = {
      id: nextDeploymentId++,
      owner,
      repo,
      sha,
      ref,
      task: typeof body['task'] === 'string' ? body['task'] : 'deploy',
      payload: body['payload'] ?? {},
      environment,
      description: optionalString(body['description']),
      transientEnvironment: body['transient_environment'] === true,
      productionEnvironment:
        typeof body['production_environment'] === 'boolean'
          ? body['production_environment']
          : environment === 'production',
      creator: user,
      createdAt: timestamp(),
      statuses: [],
    };
    state.deployments.push(deployment);
    const json = deploymentJson(deployment);
    sendJson(response, 201, json, { ...rateHeaders(), location: json['url'] as string });
  };

  const DEPLOYMENT_STATES = [
    'error',
    'failure',
    'inactive',
    'in_progress',
    'queued',
    'pending',
    'success',
  ] as const;

  const deploymentStatuses = (exchange: Exchange, user: FakeUser, deployment: FakeDeployment): void => {
    const doc = `${DOCS}/deployments/statuses#create-a-deployment-status`;
    const { response, recorded } = exchange;
    if (recorded.method === 'GET') {
      if (denied(exchange, 'deployments', 'read', `${DOCS}/deployments/statuses#list-deployment-statuses`))
        return;
      return sendPage(
        exchange,
        [...deployment.statuses].reverse().map((s) => deploymentStatusJson(deployment, s)),
      );
    }
    if (denied(exchange, 'deployments', 'write', doc)) return;
    const body = (recorded.json ?? {}) as Record<string, unknown>;
    if (badEnum(response, doc, 'state', body['state'], DEPLOYMENT_STATES)) return;
    if (descriptionTooLong(response, doc, 'DeploymentStatus', body['description'])) return;
    const status: FakeDeploymentStatus = {
      id: nextDeploymentStatusId++,
      state: body['state'] as string,
      description: optionalString(body['description']) ?? '',
      environment:
        optionalString(body['environment']) ??
        deployment.statuses.at(-1)?.environment ??
        deployment.environment,
      // `log_url` replaces `target_url`, and sets it too.
      logUrl: optionalString(body['log_url']) ?? optionalString(body['target_url']) ?? '',
      environmentUrl: optionalString(body['environment_url']) ?? '',
      creator: user,
      createdAt: timestamp(),
    };
    // A success makes earlier successful deployments to the same (non-production, non-transient)
    // environment inactive, unless `auto_inactive: false`.
    if (status.state === 'success' && body['auto_inactive'] !== false) {
      for (const d of state.deployments) {
        const last = d.statuses.at(-1);
        if (d === deployment || !sameRepo(d, deployment.owner, deployment.repo) || last?.state !== 'success')
          continue;
        if (last.environment !== status.environment || d.transientEnvironment || d.productionEnvironment)
          continue;
        d.statuses.push({
          ...last,
          id: nextDeploymentStatusId++,
          state: 'inactive',
          createdAt: status.createdAt,
        });
      }
    }
    deployment.statuses.push(status);
    const json = deploymentStatusJson(deployment, status);
    sendJson(response, 201, json, { ...rateHeaders(), location: json['url'] as string });
  };

  const resolveRepo = (
    segment: string,
    ownerOrId: string,
    repo?: string,
  ): { owner: string; repo: string } | undefined => {
    if (segment === 'repos' && repo !== undefined) return { owner: ownerOrId, repo };
    for (const [key, id] of repoIds) {
      if (String(id) === ownerOrId) {
        const [owner, name] = key.split('/') as [string, string];
        return { owner, repo: name };
      }
    }
    return undefined;
  };

  const route = (exchange: Exchange): void => {
    const { recorded, response } = exchange;
    if (injectFault(exchange)) return;
    if (!recorded.headers['user-agent']) {
      // GitHub refuses requests without a User-Agent.
      return sendText(
        response,
        403,
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n',
        { 'content-type': 'text/plain; charset=utf-8' },
      );
    }
    const user = authenticate(exchange);
    if (!user) {
      githubError(
        response,
        401,
        'Bad credentials',
        recorded.path === '/graphql' ? 'https://docs.github.com/graphql' : DOCS,
      );
      return;
    }
    const { method, path } = recorded;
    if (path === '/graphql' && method === 'POST') return handleGraphql(exchange, user);
    if (path === '/user' && method === 'GET') {
      if (user.type === 'Bot')
        return githubError(
          response,
          403,
          'Resource not accessible by integration',
          `${DOCS}/users/users#get-the-authenticated-user`,
        );
      return sendJson(response, 200, userJson(user), rateHeaders());
    }
    const list =
      /^\/(repos)\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path) ??
      /^\/(repositories)\/(\d+)\/issues\/(\d+)\/comments$/.exec(path);
    if (list) {
      const byId = list[1] === 'repositories';
      const where = byId
        ? resolveRepo('repositories', list[2] as string)
        : resolveRepo('repos', list[2] as string, list[3] as string);
      const number = Number(byId ? list[3] : list[4]);
      const pr = where ? findPull(where.owner, where.repo, number) : undefined;
      if (!where || !pr)
        return githubError(response, 404, 'Not Found', `${DOCS}/issues/comments#list-issue-comments`);
      if (method === 'GET') return listComments(exchange, pr.owner, pr.repo, number);
      if (method === 'POST') {
        if (pr.fork) return forbidden(response, 'create-an-issue-comment');
        const body = readCommentBody(exchange);
        if (body === undefined) return;
        const comment = addComment({ owner: pr.owner, repo: pr.repo, issueNumber: number, body, user });
        return sendJson(response, 201, commentJson(comment), {
          ...rateHeaders(),
          location: commentJson(comment)['url'] as string,
        });
      }
      return githubError(response, 404, 'Not Found');
    }
    const single = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (single) {
      const comment = state.comments.find(
        (c) =>
          c.id === Number(single[3]) &&
          c.owner.toLowerCase() === (single[1] as string).toLowerCase() &&
          c.repo.toLowerCase() === (single[2] as string).toLowerCase(),
      );
      if (!comment)
        return githubError(response, 404, 'Not Found', `${DOCS}/issues/comments#update-an-issue-comment`);
      if (method === 'GET') return sendJson(response, 200, commentJson(comment), rateHeaders());
      if (method === 'PATCH') {
        if (findPull(comment.owner, comment.repo, comment.issueNumber)?.fork)
          return forbidden(response, 'update-an-issue-comment');
        const body = readCommentBody(exchange);
        if (body === undefined) return;
        // Like GitHub, a token with write access may edit anyone's comment: telling ours apart
        // is the client's job, which is what the tests check.
        comment.body = body;
        comment.updatedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        return sendJson(response, 200, commentJson(comment), rateHeaders());
      }
    }
    const status = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([^/]+)$/.exec(path);
    if (status && method === 'POST')
      return createStatus(exchange, user, status[1] as string, status[2] as string, status[3] as string);
    const deployments = /^\/repos\/([^/]+)\/([^/]+)\/deployments$/.exec(path);
    if (deployments && method === 'GET')
      return listDeployments(exchange, deployments[1] as string, deployments[2] as string);
    if (deployments && method === 'POST')
      return createDeployment(exchange, user, deployments[1] as string, deployments[2] as string);
    const statuses = /^\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)\/statuses$/.exec(path);
    if (statuses && (method === 'GET' || method === 'POST')) {
      const deployment = state.deployments.find(
        (d) => d.id === Number(statuses[3]) && sameRepo(d, statuses[1] as string, statuses[2] as string),
      );
      if (!deployment)
        return githubError(
          response,
          404,
          'Not Found',
          `${DOCS}/deployments/statuses#create-a-deployment-status`,
        );
      return deploymentStatuses(exchange, user, deployment);
    }
    githubError(response, 404, 'Not Found');
  };

  const server = await startLoopback(state.requests, route);
  baseUrl = server.url;
  return {
    url: server.url,
    graphqlUrl: `${server.url}/graphql`,
    env: {
      GITHUB_API_URL: server.url,
      GITHUB_GRAPHQL_URL: `${server.url}/graphql`,
      GITHUB_SERVER_URL: serverUrl,
    },
    state,
    addComment,
    commentsOn,
    failNext: (fault) => state.faults.push(fault),
    close: server.close,
  };
}
