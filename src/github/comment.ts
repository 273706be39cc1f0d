/**
 * The sticky pull-request comment: one comment per `comment-tag`, created once and then edited in
 * place on every run.
 *
 * Our comment is recognised by two things together: its first line is our hidden marker for the
 * tag, and its author is the identity of the token we hold. The marker alone is not enough:
 * anyone can post a comment that starts with it, and a token that can write comments can edit
 * other people's comments too. Requiring the marker on the first line also means text quoted
 * further down (a cluster message that happens to contain a marker, for instance) never counts.
 *
 * Every failure is reported as a warning result, never thrown: a pull request from a fork gets a
 * read-only token (403), a number may not name a pull request (404), and GitHub may be down —
 * none of which says anything about whether Flux is healthy.
 */
import * as core from '@actions/core';
import { truncateMarkdown } from '../render/markdown.js';
import type { GitHubClient } from './octokit.js';
import { httpErrorOf } from './http-error.js';

/** GitHub rejects comment bodies longer than this many characters. */
export const COMMENT_MAX_CHARACTERS = 65_536;

/** What we allow ourselves, leaving room for GitHub counting differently than we do. */
export const COMMENT_BUDGET = COMMENT_MAX_CHARACTERS - 1_024;

export interface UpsertCommentOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  prNumber: number;
  /** Keeps one comment per tag, e.g. one per cluster in a matrix. */
  tag: string;
  /**
   * The Markdown to show (the marker is added here), or a function of our comment's current body
   * (undefined when there is none yet), so a run can read what the previous one left.
   */
  body: string | ((previousBody: string | undefined) => string);
  /** A last line kept whatever the truncation (the digest for the next run). */
  trailer?: string;
  /** `GITHUB_GRAPHQL_URL`; defaults to `<baseUrl>/graphql`. */
  graphqlUrl?: string;
  /** Named in the truncation notice when the body is too long. */
  artifactName?: string;
  /** Character budget for the whole comment, marker included. Default {@link COMMENT_BUDGET}. */
  maxCharacters?: number;
}

export type UpsertAction = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface UpsertCommentResult {
  action: UpsertAction;
  commentId?: number;
  url?: string;
  /** Set when the body had to be cut to fit. */
  truncated?: boolean;
  /** Why nothing was written; already emitted with `core.warning`. */
  warning?: string;
}

function percentEncode(char: string): string {
  return Array.from(
    Buffer.from(char, 'utf8'),
    (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
}

/** The tag as it appears inside the marker: nothing that could end or confuse an HTML comment. */
export function encodeTag(tag: string): string {
  const trimmed = tag.trim() || 'default';
  return Array.from(trimmed)
    .map((char) => (/^[A-Za-z0-9._~-]$/.test(char) ? char : percentEncode(char)))
    .join('')
    .replace(/--/g, '-%2D');
}

/** The hidden first line that names our comment for `tag`. */
export function commentMarker(tag: string): string {
  return `<!-- flux-health:comment-tag=${encodeTag(tag)} -->`;
}

/** True when `body` is one of ours for the marker: the marker is its first line. */
export function hasMarker(body: string | null | undefined, marker: string): boolean {
  if (!body) return false;
  const newline = body.indexOf('\n');
  const first = newline === -1 ? body : body.slice(0, newline);
  return first.replace(/\r$/, '').trim() === marker;
}

export interface CommentAuthor {
  login: string;
  type?: string;
}

/**
 * True when a comment's author is the identity we act as. GraphQL's `viewer.login` names a
 * GitHub App's bot user either with or without the `[bot]` suffix that REST shows
 * (`github-actions` vs `github-actions[bot]`); the suffix-less form only matches an author that
 * REST marks as a Bot, so a human account can never be mistaken for us.
 */
export function isOwnComment(author: CommentAuthor | null | undefined, viewerLogin: string): boolean {
  if (!author?.login || !viewerLogin) return false;
  const login = author.login.toLowerCase();
  const viewer = viewerLogin.toLowerCase();
  if (login === viewer) return true;
  return author.type === 'Bot' && !viewer.endsWith('[bot]') && login === `${viewer}[bot]`;
}

/** Prefixes the marker, keeps the whole comment within the character budget, then the trailer. */
export function buildCommentBody(
  tag: string,
  body: string,
  options: { maxCharacters?: number; artifactName?: string; trailer?: string } = {},
): { body: string; truncated: boolean } {
  const marker = commentMarker(tag);
  const trailer = options.trailer ? `\n${options.trailer}` : '';
  const budget = (options.maxCharacters ?? COMMENT_BUDGET) - marker.length - 1 - trailer.length;
  const cut = truncateMarkdown(body, budget, { unit: 'characters', artifactName: options.artifactName });
  return { body: `${marker}\n${cut.text}${trailer}`, truncated: cut.truncated };
}

interface ViewerResponse {
  viewer?: { login?: string };
}

/**
 * The login of the token's own identity. GraphQL `viewer` works with GITHUB_TOKEN and App
 * tokens, where REST `GET /user` answers 403; `GET /user` is the fallback for a GraphQL endpoint
 * that is unavailable.
 */
export async function viewerLogin(octokit: GitHubClient, graphqlUrl?: string): Promise<string> {
  try {
    const request = graphqlUrl
      ? { query: 'query { viewer { login } }', url: graphqlUrl }
      : { query: 'query { viewer { login } }' };
    const data = await octokit.graphql<ViewerResponse>(request);
    const login = data.viewer?.login;
    if (login) return login;
    throw new Error('GraphQL viewer has no login');
  } catch (graphqlError) {
    try {
      const { data } = await octokit.rest.users.getAuthenticated();
      if (data.login) return data.login;
    } catch {
      // The GraphQL error says more about what is wrong than the fallback's.
    }
    throw graphqlError;
  }
}

interface IssueComment {
  id: number;
  body?: string | null;
  html_url: string;
  user: CommentAuthor | null;
}

async function findOwnComment(
  octokit: GitHubClient,
  where: { owner: string; repo: string; prNumber: number },
  marker: string,
  login: string,
): Promise<IssueComment | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: where.owner,
    repo: where.repo,
    issue_number: where.prNumber,
    per_page: 100,
  });
  // Oldest first: if a race ever left two, the first one keeps being the one we edit.
  for await (const page of pages) {
    const found = page.data.find(
      (comment) => isOwnComment(comment.user, login) && hasMarker(comment.body, marker),
    );
    if (found) return found;
  }
  return undefined;
}

function commentFailureWarning(
  error: unknown,
  where: { owner: string; repo: string; prNumber: number },
): string {
  const { status, message: detail } = httpErrorOf(error);
  const target = `${where.owner}/${where.repo}#${where.prNumber}`;
  if (status === 403) {
    return (
      `Could not write the pull request comment on ${target} (403: ${detail}). ` +
      'Pull requests from forks get a read-only token; otherwise grant the job `pull-requests: write`.'
    );
  }
  if (status === 404) return `Could not comment on ${target}: pull request not found (404: ${detail}).`;
  return `Could not write the pull request comment on ${target}${status ? ` (${status})` : ''}: ${detail}`;
}

/** Creates our comment for `tag`, or edits it in place when it already exists. */
export async function upsertStickyComment(options: UpsertCommentOptions): Promise<UpsertCommentResult> {
  const { octokit, owner, repo, prNumber } = options;
  const where = { owner, repo, prNumber };
  const marker = commentMarker(options.tag);
  let truncated = false;
  try {
    const login = await viewerLogin(octokit, options.graphqlUrl);
    const existing = await findOwnComment(octokit, where, marker, login);
    const markdown =
      typeof options.body === 'string' ? options.body : options.body(existing?.body ?? undefined);
    const built = buildCommentBody(options.tag, markdown, options);
    const body = built.body;
    truncated = built.truncated;
    if (existing) {
      if (existing.body === body) {
        return { action: 'unchanged', commentId: existing.id, url: existing.html_url, truncated };
      }
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing.id,
        body,
      });
      core.info(`Updated pull request comment ${data.html_url}`);
      return { action: 'updated', commentId: data.id, url: data.html_url, truncated };
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: prNumber, body });
    core.info(`Created pull request comment ${data.html_url}`);
    return { action: 'created', commentId: data.id, url: data.html_url, truncated };
  } catch (error) {
    const warning = commentFailureWarning(error, where);
    core.warning(warning);
    return { action: 'skipped', warning, truncated };
  }
}
