/**
 * The loopback GitHub answers like GitHub does, so that what the publish layer does against it
 * carries over. These tests talk to it with plain fetch.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT_TOKEN, MALLORY_TOKEN, startFakeGitHub, type FakeGitHub } from '../fakes/github-api.js';
import { readRunContext } from '../../src/github/context.js';
import { createOctokit } from '../../src/github/octokit.js';
import { upsertStickyComment } from '../../src/github/comment.js';
import { captureWorkflowCommands, type CommandCapture } from './workflow-commands.js';

describe('fake GitHub API', () => {
  let gh: FakeGitHub;
  let capture: CommandCapture;

  beforeEach(async () => {
    gh = await startFakeGitHub();
    capture = captureWorkflowCommands();
  });

  afterEach(async () => {
    capture.restore();
    await gh.close();
  });

  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${gh.url}${path}`, {
      ...init,
      headers: {
        'user-agent': 'test',
        ...(init.token ? { authorization: `token ${init.token}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });

  it('answers GitHub error bodies for bad credentials, missing pull requests and fork writes', async () => {
    const unauthenticated = await call('/repos/acme/fleet/issues/7/comments', { token: 'nope' });
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ message: 'Bad credentials', status: '401' });

    const missing = await call('/repos/acme/fleet/issues/404/comments', { token: BOT_TOKEN });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: 'Not Found', status: '404' });

    const fork = await call('/repos/acme/fleet/issues/9/comments', {
      token: BOT_TOKEN,
      method: 'POST',
      body: '{"body":"x"}',
    });
    expect(fork.status).toBe(403);
    expect(await fork.json()).toEqual({
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '403',
    });
  });

  it('creates comments as the token identity and refuses bodies over 65536 characters', async () => {
    const created = await call('/repos/acme/fleet/issues/7/comments', {
      token: MALLORY_TOKEN,
      method: 'POST',
      body: '{"body":"hi"}',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ body: 'hi', user: { login: 'mallory', type: 'User' } });
    const tooLong = await call('/repos/acme/fleet/issues/7/comments', {
      token: BOT_TOKEN,
      method: 'POST',
      body: JSON.stringify({ body: 'x'.repeat(65_537) }),
    });
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(await tooLong.json())).toContain('maximum is 65536 characters');
  });

  it('paginates with Link headers in the repositories/<id> form', async () => {
    for (let i = 0; i < 5; i++)
      gh.addComment({
        owner: 'acme',
        repo: 'fleet',
        issueNumber: 8,
        body: `c${i}`,
        user: { login: 'a', id: 1, type: 'User' },
      });
    const first = await call('/repos/acme/fleet/issues/8/comments?per_page=2', { token: BOT_TOKEN });
    expect(((await first.json()) as unknown[]).length).toBe(2);
    const link = first.headers.get('link') ?? '';
    expect(link).toContain(`<${gh.url}/repositories/100000/issues/8/comments?per_page=2&page=2>; rel="next"`);
    expect(link).toContain('page=3>; rel="last"');
    const last = await call('/repositories/100000/issues/8/comments?per_page=2&page=3', { token: BOT_TOKEN });
    expect(((await last.json()) as { body: string }[]).map((c) => c.body)).toEqual(['c4']);
    expect(last.headers.get('link')).not.toContain('rel="next"');
  });

  it('refuses a request without a User-Agent, as GitHub does', async () => {
    const response = await fetch(`${gh.url}/user`, { headers: { 'user-agent': '' } });
    expect(response.status).toBe(403);
  });

  it('is reached through the GITHUB_* environment it hands out', async () => {
    const context = readRunContext({ ...gh.env, GITHUB_REPOSITORY: 'acme/fleet' });
    const octokit = createOctokit(BOT_TOKEN, { baseUrl: context.apiUrl });
    const result = await upsertStickyComment({
      octokit,
      owner: context.repository?.owner ?? '',
      repo: context.repository?.repo ?? '',
      prNumber: 8,
      tag: 'prod',
      body: 'via env',
      graphqlUrl: context.graphqlUrl,
    });
    expect(result.action).toBe('created');
    expect(gh.state.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /graphql',
      'GET /repos/acme/fleet/issues/8/comments',
      'POST /repos/acme/fleet/issues/8/comments',
    ]);
  });
});
