import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideComment, parseCommentMode } from '../../src/github/comment-mode.js';
import {
  artifactUrl,
  parsePullRequestInput,
  readRunContext,
  resolvePullRequestNumber,
} from '../../src/github/context.js';

function eventFile(payload: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'flux-health-event-')), 'event.json');
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

const PR_EVENT = { action: 'synchronize', number: 42, pull_request: { number: 42, head: { sha: 'abc123' } } };

function contextFor(eventName: string, payload: unknown, extra: Record<string, string> = {}) {
  return readRunContext({
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventFile(payload),
    GITHUB_REPOSITORY: 'acme/fleet',
    GITHUB_RUN_ID: '987654321',
    ...extra,
  });
}

describe('readRunContext', () => {
  it('reads the runner environment and the event payload', () => {
    const context = contextFor('pull_request', PR_EVENT, {
      GITHUB_API_URL: 'http://127.0.0.1:9999/',
      GITHUB_GRAPHQL_URL: 'http://127.0.0.1:9999/graphql',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_SHA: 'merge0',
      GITHUB_STEP_SUMMARY: '/tmp/summary',
    });
    expect(context).toMatchObject({
      inActions: true,
      eventName: 'pull_request',
      repository: { owner: 'acme', repo: 'fleet' },
      apiUrl: 'http://127.0.0.1:9999',
      graphqlUrl: 'http://127.0.0.1:9999/graphql',
      serverUrl: 'https://github.com',
      runId: '987654321',
      sha: 'merge0',
      headSha: 'abc123',
      stepSummaryPath: '/tmp/summary',
    });
    expect(context.payload.pull_request?.number).toBe(42);
  });

  it('defaults to github.com and derives GraphQL from the API URL', () => {
    const context = readRunContext({});
    expect(context).toMatchObject({
      inActions: false,
      eventName: '',
      apiUrl: 'https://api.github.com',
      graphqlUrl: 'https://api.github.com/graphql',
      serverUrl: 'https://github.com',
      payload: {},
    });
    expect(context.repository).toBeUndefined();
    expect(readRunContext({ GITHUB_API_URL: 'https://ghe.example/api/v3' }).graphqlUrl).toBe(
      'https://ghe.example/api/v3/graphql',
    );
  });

  it('treats an unreadable or non-object event file as an empty payload', () => {
    expect(readRunContext({ GITHUB_EVENT_PATH: '/nonexistent/event.json' }).payload).toEqual({});
    expect(readRunContext({ GITHUB_EVENT_PATH: eventFile([1, 2]) }).payload).toEqual({});
  });

  it('builds the artifact link the way upload-artifact does', () => {
    expect(artifactUrl(contextFor('push', {}), 7)).toBe(
      'https://github.com/acme/fleet/actions/runs/987654321/artifacts/7',
    );
    expect(artifactUrl(readRunContext({}), 7)).toBeUndefined();
  });
});

describe('resolvePullRequestNumber', () => {
  it('prefers an explicit number, then the pull request, then an issue that is a pull request', () => {
    expect(resolvePullRequestNumber(contextFor('pull_request', PR_EVENT), '17')).toBe(17);
    expect(resolvePullRequestNumber(contextFor('pull_request', PR_EVENT), '')).toBe(42);
    expect(
      resolvePullRequestNumber(
        contextFor('issue_comment', { issue: { number: 5, pull_request: { url: 'x' } } }),
      ),
    ).toBe(5);
    expect(resolvePullRequestNumber(contextFor('issue_comment', { issue: { number: 5 } }))).toBeUndefined();
    expect(resolvePullRequestNumber(contextFor('push', { ref: 'refs/heads/main' }))).toBeUndefined();
  });

  it('rejects an explicit number that is not one', () => {
    expect(parsePullRequestInput('#12')).toBe(12);
    expect(parsePullRequestInput(' ')).toBeUndefined();
    expect(() => parsePullRequestInput('12abc')).toThrow(/Invalid pull request number/);
    expect(() => parsePullRequestInput('0')).toThrow(/Invalid pull request number/);
    expect(() => parsePullRequestInput('-3')).toThrow(/Invalid pull request number/);
  });
});

describe('comment mode', () => {
  it('parses the input', () => {
    expect(parseCommentMode('')).toBe('auto');
    expect(parseCommentMode('Always')).toBe('always');
    expect(() => parseCommentMode('sometimes')).toThrow(/auto, always, never/);
  });

  it('auto comments on pull_request and pull_request_target events or with an explicit number', () => {
    expect(decideComment('auto', contextFor('pull_request', PR_EVENT))).toEqual({
      comment: true,
      prNumber: 42,
    });
    expect(decideComment('auto', contextFor('pull_request_target', PR_EVENT))).toEqual({
      comment: true,
      prNumber: 42,
    });
    expect(decideComment('auto', contextFor('push', {}))).toMatchObject({ comment: false });
    expect(decideComment('auto', contextFor('push', {}), '9')).toEqual({ comment: true, prNumber: 9 });
    expect(
      decideComment('auto', contextFor('issue_comment', { issue: { number: 5, pull_request: {} } })),
    ).toMatchObject({
      comment: false,
    });
    expect(decideComment('auto', contextFor('push', {}))).not.toHaveProperty('warning');
  });

  it('always comments when a pull request is known and warns when none is', () => {
    expect(
      decideComment('always', contextFor('issue_comment', { issue: { number: 5, pull_request: {} } })),
    ).toEqual({
      comment: true,
      prNumber: 5,
    });
    const none = decideComment('always', contextFor('push', {}));
    expect(none).toMatchObject({ comment: false });
    expect(none.comment === false && none.warning).toMatch(/no pull request number/);
  });

  it('never comments when told not to', () => {
    expect(decideComment('never', contextFor('pull_request', PR_EVENT), '3')).toMatchObject({
      comment: false,
    });
  });
});
