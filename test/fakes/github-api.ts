/**
 * A loopback stand-in for the parts of GitHub's REST and GraphQL APIs that the action calls, with
 * GitHub's request and response shapes: token authentication, issue comments (list with
 * `per_page`/`page` and `Link` pagination, create, update), GraphQL `viewer { login }`,
 * `GET /user`, rate-limit headers, GitHub's error bodies, forks whose token is read-only, missing
 * pull requests, and injected transient failures (5xx, secondary and primary rate limits).
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
}

export interface FakeGitHubState {
  comments: FakeComment[];
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
  const state: FakeGitHubState = { comments: [], requests: [], faults: [...(options.faults ?? [])] };
  const repoIds = new Map<string, number>();
  const repoId = (owner: string, repo: string): number => {
    const key = `${owner}/${repo}`.toLowerCase();
    if (!repoIds.has(key)) repoIds.set(key, 100_000 + repoIds.size);
    return repoIds.get(key) as number;
  };
  for (const pr of pullRequests) repoId(pr.owner, pr.repo);
  let nextCommentId = 1_000_001;
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

  const authenticate = (exchange: Exchange): FakeUser | undefined => {
    const header = exchange.recorded.headers['authorization'] ?? '';
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
    return match ? tokens[match[1] as string] : undefined;
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
