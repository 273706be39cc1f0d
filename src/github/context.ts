/**
 * The run context of a GitHub Actions job, read from the environment the runner sets. Unlike
 * `@actions/github`'s `context`, which is built once at import time, this is read when asked and
 * from the environment given, so tests and the CLI can pass their own.
 */
import { readFileSync } from 'node:fs';

export interface Repository {
  owner: string;
  repo: string;
}

/** The parts of an event payload that publishing reads; the rest is kept untyped. */
export interface EventPayload {
  number?: number;
  pull_request?: {
    number?: number;
    head?: { sha?: string; repo?: { full_name?: string } };
    base?: { repo?: { full_name?: string } };
  };
  issue?: { number?: number; pull_request?: unknown };
  [key: string]: unknown;
}

export interface RunContext {
  /** `GITHUB_ACTIONS=true`: running inside a workflow job. */
  inActions: boolean;
  eventName: string;
  eventPath?: string;
  payload: EventPayload;
  repository?: Repository;
  apiUrl: string;
  graphqlUrl: string;
  serverUrl: string;
  runId?: string;
  runAttempt?: string;
  runNumber?: string;
  workflow?: string;
  job?: string;
  actor?: string;
  sha?: string;
  ref?: string;
  /** The pull request's head commit (on pull_request events `sha` is the merge commit). */
  headSha?: string;
  workspace?: string;
  stepSummaryPath?: string;
  outputPath?: string;
}

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseRepository(value: string | undefined): Repository | undefined {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(value?.trim() ?? '');
  return match ? { owner: match[1] as string, repo: match[2] as string } : undefined;
}

/** Reads the event payload; a missing or unreadable file is an empty payload, as in the toolkit. */
function readPayload(path: string | undefined): EventPayload {
  if (!path) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as EventPayload)
      : {};
  } catch {
    return {};
  }
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function readRunContext(env: Env = process.env): RunContext {
  const eventPath = nonEmpty(env['GITHUB_EVENT_PATH']);
  const payload = readPayload(eventPath);
  const apiUrl = stripTrailingSlash(nonEmpty(env['GITHUB_API_URL']) ?? 'https://api.github.com');
  const headSha = payload.pull_request?.head?.sha;
  return {
    inActions: env['GITHUB_ACTIONS'] === 'true',
    eventName: nonEmpty(env['GITHUB_EVENT_NAME']) ?? '',
    eventPath,
    payload,
    repository: parseRepository(env['GITHUB_REPOSITORY']),
    apiUrl,
    graphqlUrl: nonEmpty(env['GITHUB_GRAPHQL_URL']) ?? `${apiUrl}/graphql`,
    serverUrl: stripTrailingSlash(nonEmpty(env['GITHUB_SERVER_URL']) ?? 'https://github.com'),
    runId: nonEmpty(env['GITHUB_RUN_ID']),
    runAttempt: nonEmpty(env['GITHUB_RUN_ATTEMPT']),
    runNumber: nonEmpty(env['GITHUB_RUN_NUMBER']),
    workflow: nonEmpty(env['GITHUB_WORKFLOW']),
    job: nonEmpty(env['GITHUB_JOB']),
    actor: nonEmpty(env['GITHUB_ACTOR']),
    sha: nonEmpty(env['GITHUB_SHA']),
    ref: nonEmpty(env['GITHUB_REF']),
    headSha: typeof headSha === 'string' ? headSha : undefined,
    workspace: nonEmpty(env['GITHUB_WORKSPACE']),
    stepSummaryPath: nonEmpty(env['GITHUB_STEP_SUMMARY']),
    outputPath: nonEmpty(env['GITHUB_OUTPUT']),
  };
}

/** Events whose payload is a pull request and on which `comment: auto` comments. */
export const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * Parses an explicit pull-request number input. Empty means "not given"; anything else must be a
 * positive integer (an optional leading `#` is accepted), otherwise this throws, since a typo in
 * a workflow should be seen rather than silently comment nowhere.
 */
export function parsePullRequestInput(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim().replace(/^#/, '');
  if (text === '') return undefined;
  if (!/^[0-9]+$/.test(text) || positiveInteger(Number(text)) === undefined) {
    throw new Error(`Invalid pull request number: ${JSON.stringify(String(value))}`);
  }
  return Number(text);
}

/**
 * The pull request to comment on: an explicit number first, then the event's pull request, then
 * the event's issue when that issue is a pull request (issue_comment on a PR).
 */
export function resolvePullRequestNumber(
  context: RunContext,
  explicit?: string | number,
): number | undefined {
  const given = parsePullRequestInput(explicit);
  if (given !== undefined) return given;
  const fromPullRequest = positiveInteger(context.payload.pull_request?.number);
  if (fromPullRequest !== undefined) return fromPullRequest;
  const issue = context.payload.issue;
  if (issue && issue.pull_request !== undefined && issue.pull_request !== null)
    return positiveInteger(issue.number);
  return undefined;
}

/** Link to a run's artifact, as actions/upload-artifact builds it. */
export function artifactUrl(context: RunContext, artifactId: number): string | undefined {
  if (!context.repository || !context.runId) return undefined;
  const { owner, repo } = context.repository;
  return `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}/artifacts/${artifactId}`;
}

/** The workflow run's page, when the context names one. */
export function runUrl(ctx: RunContext): string | undefined {
  if (!ctx.repository || !ctx.runId) return undefined;
  return `${ctx.serverUrl}/${ctx.repository.owner}/${ctx.repository.repo}/actions/runs/${ctx.runId}`;
}
