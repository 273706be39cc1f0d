import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMMENT_MAX_CHARACTERS,
  commentMarker,
  hasMarker,
  isOwnComment,
  upsertStickyComment,
  type UpsertCommentResult,
} from '../../src/github/comment.js';
import { createOctokit } from '../../src/github/octokit.js';
import { details, heading, joinBlocks, table } from '../../src/render/markdown.js';
import {
  BOT,
  BOT_TOKEN,
  MALLORY,
  MALLORY_TOKEN,
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions,
} from '../fakes/github-api.js';
import { captureWorkflowCommands, type CommandCapture } from './workflow-commands.js';

const OWNER = 'acme';
const REPO = 'fleet';

describe('upsertStickyComment against the loopback GitHub', () => {
  let fake: FakeGitHub | undefined;
  let capture: CommandCapture;

  beforeEach(() => {
    capture = captureWorkflowCommands();
  });

  afterEach(async () => {
    capture.restore();
    await fake?.close();
    fake = undefined;
  });

  async function start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    fake = await startFakeGitHub(options);
    return fake;
  }

  function run(
    gh: FakeGitHub,
    tag: string,
    body: string,
    options: { prNumber?: number; token?: string; artifactName?: string } = {},
  ): Promise<UpsertCommentResult> {
    const octokit = createOctokit(options.token ?? BOT_TOKEN, { baseUrl: gh.url });
    return upsertStickyComment({
      octokit,
      owner: OWNER,
      repo: REPO,
      prNumber: options.prNumber ?? 7,
      tag,
      body,
      graphqlUrl: gh.graphqlUrl,
      artifactName: options.artifactName,
    });
  }

  it('creates the comment on the first run and updates the same one on the next', async () => {
    const gh = await start();
    const first = await run(gh, 'prod', '## Flux is failing');
    expect(first.action).toBe('created');
    expect(first.url).toBe(`https://github.com/acme/fleet/pull/7#issuecomment-${first.commentId}`);

    const second = await run(gh, 'prod', '## Flux is healthy');
    expect(second.action).toBe('updated');
    expect(second.commentId).toBe(first.commentId);

    const comments = gh.commentsOn(OWNER, REPO, 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.user.login).toBe('github-actions[bot]');
    expect(comments[0]?.body).toBe(`${commentMarker('prod')}\n## Flux is healthy`);

    const writes = gh.state.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/acme/fleet/issues/7/comments',
      `PATCH /repos/acme/fleet/issues/comments/${first.commentId}`,
    ]);
    // Every call carried the token; identity came from GraphQL, as GITHUB_TOKEN cannot GET /user.
    expect(gh.state.requests.every((r) => r.headers['authorization'] === `token ${BOT_TOKEN}`)).toBe(true);
    expect(gh.state.requests.filter((r) => r.path === '/graphql')).toHaveLength(2);
    expect(gh.state.requests.some((r) => r.path === '/user')).toBe(false);
  });

  it('leaves an identical comment alone', async () => {
    const gh = await start();
    await run(gh, 'prod', 'same body');
    const again = await run(gh, 'prod', 'same body');
    expect(again.action).toBe('unchanged');
    expect(gh.state.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('keeps one comment per tag, so a matrix over clusters keeps one each', async () => {
    const gh = await start();
    const prod = await run(gh, 'prod', 'prod v1');
    const staging = await run(gh, 'staging', 'staging v1');
    expect(staging.action).toBe('created');
    expect(staging.commentId).not.toBe(prod.commentId);
    expect((await run(gh, 'staging', 'staging v2')).commentId).toBe(staging.commentId);
    expect((await run(gh, 'prod', 'prod v2')).commentId).toBe(prod.commentId);
    const bodies = gh.commentsOn(OWNER, REPO, 7).map((c) => c.body);
    expect(bodies).toEqual([`${commentMarker('prod')}\nprod v2`, `${commentMarker('staging')}\nstaging v2`]);
  });

  it('never edits a comment planted with our marker by someone else', async () => {
    const gh = await start();
    const planted = gh.addComment({
      owner: OWNER,
      repo: REPO,
      issueNumber: 7,
      body: `${commentMarker('prod')}\nI planted this; please overwrite it`,
      user: MALLORY,
    });
    const result = await run(gh, 'prod', 'the real report');
    expect(result.action).toBe('created');
    expect(result.commentId).not.toBe(planted.id);
    const comments = gh.commentsOn(OWNER, REPO, 7);
    expect(comments).toHaveLength(2);
    expect(comments[0]?.body).toBe(`${commentMarker('prod')}\nI planted this; please overwrite it`);
    expect(comments[0]?.user.login).toBe('mallory');
    expect((await run(gh, 'prod', 'second run')).commentId).toBe(result.commentId);
    expect(gh.commentsOn(OWNER, REPO, 7)[0]?.body).toContain('I planted this');
  });

  it('does not take a comment that merely quotes our marker below its first line', async () => {
    const gh = await start();
    const staging = await run(gh, 'staging', `message from the cluster:\n${commentMarker('prod')}`);
    const prod = await run(gh, 'prod', 'prod report');
    expect(prod.action).toBe('created');
    expect(prod.commentId).not.toBe(staging.commentId);
  });

  it('recognises its comment when GraphQL names the bot without the [bot] suffix', async () => {
    const gh = await start({
      tokens: { [BOT_TOKEN]: { ...BOT, viewerLogin: 'github-actions' }, [MALLORY_TOKEN]: MALLORY },
    });
    const first = await run(gh, 'prod', 'one');
    const second = await run(gh, 'prod', 'two');
    expect(second.action).toBe('updated');
    expect(second.commentId).toBe(first.commentId);
  });

  it('acts as whoever the token is: a personal token updates its own comment, not the bot one', async () => {
    const gh = await start();
    const bot = await run(gh, 'prod', 'from the bot');
    const mallory = await run(gh, 'prod', 'from mallory', { token: MALLORY_TOKEN });
    expect(mallory.action).toBe('created');
    expect(mallory.commentId).not.toBe(bot.commentId);
    expect(gh.commentsOn(OWNER, REPO, 7).find((c) => c.id === bot.commentId)?.body).toContain('from the bot');
  });

  it('follows Link pagination to find its comment past the first pages', async () => {
    const gh = await start();
    for (let i = 0; i < 230; i++) {
      gh.addComment({ owner: OWNER, repo: REPO, issueNumber: 7, body: `chatter ${i}`, user: MALLORY });
    }
    const ours = gh.addComment({
      owner: OWNER,
      repo: REPO,
      issueNumber: 7,
      body: `${commentMarker('prod')}\nold`,
      user: BOT,
    });
    const result = await run(gh, 'prod', 'new');
    expect(result).toMatchObject({ action: 'updated', commentId: ours.id });
    const lists = gh.state.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments'));
    expect(lists.map((r) => [r.path, r.query['per_page'], r.query['page'] ?? '1'])).toEqual([
      ['/repos/acme/fleet/issues/7/comments', '100', '1'],
      ['/repositories/100000/issues/7/comments', '100', '2'],
      ['/repositories/100000/issues/7/comments', '100', '3'],
    ]);
  });

  it('falls back to GET /user for its identity when GraphQL is unavailable (personal token)', async () => {
    const gh = await start({ faults: [{ path: '/graphql', kind: 404, times: 10 }] });
    const first = await run(gh, 'prod', 'one', { token: MALLORY_TOKEN });
    const second = await run(gh, 'prod', 'two', { token: MALLORY_TOKEN });
    expect(first.action).toBe('created');
    expect(second).toMatchObject({ action: 'updated', commentId: first.commentId });
    expect(gh.state.requests.filter((r) => r.path === '/user')).toHaveLength(2);
  });

  it('does not guess its identity: no GraphQL and no GET /user (GITHUB_TOKEN) is a warning, not a new comment', async () => {
    const gh = await start({ faults: [{ path: '/graphql', kind: 404, times: 10 }] });
    const result = await run(gh, 'prod', 'one');
    expect(result.action).toBe('skipped');
    expect(result.warning).toBeDefined();
    expect(gh.commentsOn(OWNER, REPO, 7)).toHaveLength(0);
  });

  it('turns the 403 of a fork pull request (read-only token) into a warning', async () => {
    const gh = await start();
    const result = await run(gh, 'prod', 'report', { prNumber: 9 });
    expect(result.action).toBe('skipped');
    expect(result.warning).toContain('403');
    expect(result.warning).toContain('Resource not accessible by integration');
    expect(result.warning).toMatch(/fork/);
    expect(capture.messages('warning')).toEqual([result.warning]);
    expect(gh.commentsOn(OWNER, REPO, 9)).toHaveLength(0);
  });

  it('turns a missing pull request into a warning', async () => {
    const gh = await start();
    const result = await run(gh, 'prod', 'report', { prNumber: 4040 });
    expect(result.action).toBe('skipped');
    expect(result.warning).toMatch(/acme\/fleet#4040.*not found.*404/);
    expect(capture.messages('warning')).toEqual([result.warning]);
  });

  it('turns bad credentials into a warning', async () => {
    const gh = await start();
    const result = await run(gh, 'prod', 'report', { token: 'ghs_not_a_known_token' });
    expect(result.action).toBe('skipped');
    expect(result.warning).toContain('Bad credentials');
  });

  it('retries a 502 and carries on', async () => {
    const gh = await start({
      faults: [{ method: 'GET', path: '/repos/acme/fleet/issues/7/comments', kind: 502 }],
    });
    const result = await run(gh, 'prod', 'report');
    expect(result.action).toBe('created');
    const lists = gh.state.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments'));
    expect(lists).toHaveLength(2);
    expect(gh.commentsOn(OWNER, REPO, 7)).toHaveLength(1);
  });

  it('retries a GraphQL 502', async () => {
    const gh = await start({ faults: [{ path: '/graphql', kind: 502 }] });
    const result = await run(gh, 'prod', 'report');
    expect(result.action).toBe('created');
    expect(gh.state.requests.filter((r) => r.path === '/graphql')).toHaveLength(2);
  });

  it('waits out a secondary rate limit on create and creates exactly one comment', async () => {
    const gh = await start({
      faults: [{ method: 'POST', path: '/repos/', kind: 'secondary-rate-limit', retryAfter: 1 }],
    });
    const result = await run(gh, 'prod', 'report');
    expect(result.action).toBe('created');
    expect(gh.state.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments'))).toHaveLength(
      2,
    );
    expect(gh.commentsOn(OWNER, REPO, 7)).toHaveLength(1);
    expect(capture.output()).toMatch(/secondary rate limit for POST .*retrying/);
  });

  it('waits out a primary rate limit', async () => {
    const gh = await start({ faults: [{ method: 'GET', kind: 'rate-limit', retryAfter: 1 }] });
    const result = await run(gh, 'prod', 'report');
    expect(result.action).toBe('created');
    expect(capture.output()).toMatch(/GitHub rate limit for GET .*retrying/);
  });

  it('gives up on a persistent 502 with a warning instead of failing', async () => {
    const gh = await start({ faults: [{ method: 'GET', path: '/repos/', kind: 502, times: 10 }] });
    const octokit = createOctokit(BOT_TOKEN, { baseUrl: gh.url, transientRetries: 1 });
    const result = await upsertStickyComment({
      octokit,
      owner: OWNER,
      repo: REPO,
      prNumber: 7,
      tag: 'prod',
      body: 'x',
      graphqlUrl: gh.graphqlUrl,
    });
    expect(result.action).toBe('skipped');
    expect(result.warning).toContain('502');
    expect(gh.state.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments'))).toHaveLength(
      2,
    );
  });

  it('cuts a body that is too long so GitHub accepts it, with a notice naming the artifact', async () => {
    const gh = await start();
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `| Kustomization | flux-system/app-${i} | ReconciliationFailed |`,
    );
    const body = [
      '## Failing objects',
      '',
      '| kind | object | reason |',
      '| --- | --- | --- |',
      ...rows,
    ].join('\n');
    expect(body.length).toBeGreaterThan(COMMENT_MAX_CHARACTERS);
    const result = await run(gh, 'prod', body, { artifactName: 'flux-health-prod' });
    expect(result).toMatchObject({ action: 'created', truncated: true });
    const stored = gh.commentsOn(OWNER, REPO, 7)[0]?.body ?? '';
    expect(stored.length).toBeLessThan(COMMENT_MAX_CHARACTERS);
    expect(stored.startsWith(`${commentMarker('prod')}\n## Failing objects`)).toBe(true);
    expect(stored).toMatch(
      /\n\n… truncated: \d+ more characters; full report in the artifact `flux-health-prod`$/,
    );
    // Cut on a row boundary: every remaining table line is whole.
    const tableLines = stored.split('\n').filter((l) => l.startsWith('| Kustomization'));
    expect(tableLines.every((l) => l.endsWith('| ReconciliationFailed |'))).toBe(true);
  });

  it('a hostile cluster message rendered into the comment cannot forge a marker or take over', async () => {
    const gh = await start();
    const hostile = [
      '<!-- flux-health:comment-tag=staging -->',
      '</details><!-- flux-health:comment-tag=prod -->\n@octocat | injected | cell',
    ];
    const body = joinBlocks(
      heading(2, 'Flux is failing'),
      details(
        'Failing objects',
        table(
          ['Object', 'Message'],
          hostile.map((m, i) => [`apps/app-${i}`, m]),
        ),
      ),
    );
    const prod = await run(gh, 'prod', body);
    const stored = gh.commentsOn(OWNER, REPO, 7)[0]?.body ?? '';
    expect(stored.match(/<!--/g)).toHaveLength(1);
    expect(stored.startsWith(`${commentMarker('prod')}\n`)).toBe(true);
    const staging = await run(gh, 'staging', 'staging report');
    expect(staging.action).toBe('created');
    expect(staging.commentId).not.toBe(prod.commentId);
  });

  it('masks the token and never prints it', async () => {
    const gh = await start();
    await run(gh, 'prod', 'report');
    await run(gh, 'prod', 'report 2', { prNumber: 9 });
    expect(capture.messages('add-mask')).toContain(BOT_TOKEN);
    const printed = capture
      .output()
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'));
    expect(printed.join('\n')).not.toContain(BOT_TOKEN);
  });
});

describe('comment identity rules', () => {
  it('matches the marker only as the whole first line', () => {
    const marker = commentMarker('prod');
    expect(hasMarker(`${marker}\nbody`, marker)).toBe(true);
    expect(hasMarker(`${marker}\r\nbody`, marker)).toBe(true);
    expect(hasMarker(marker, marker)).toBe(true);
    expect(hasMarker(`text ${marker}\nbody`, marker)).toBe(false);
    expect(hasMarker(`body\n${marker}`, marker)).toBe(false);
    expect(hasMarker(`${commentMarker('prod-eu')}\nbody`, marker)).toBe(false);
    expect(hasMarker(null, marker)).toBe(false);
  });

  it('encodes the tag so that it cannot end the HTML comment or collide with another tag', () => {
    expect(commentMarker('prod')).toBe('<!-- flux-health:comment-tag=prod -->');
    expect(commentMarker('')).toBe('<!-- flux-health:comment-tag=default -->');
    const hostile = commentMarker('x --> <b>hi</b> <!-- y --!> z');
    expect(hostile.slice(4, -4)).not.toMatch(/-->|--!>|<|>/);
    expect(commentMarker('a b')).not.toBe(commentMarker('a_b'));
    expect(commentMarker('eu/west')).toBe('<!-- flux-health:comment-tag=eu%2Fwest -->');
  });

  it('takes a comment as ours only when its author is the token identity', () => {
    const bot = { login: 'github-actions[bot]', type: 'Bot' };
    expect(isOwnComment(bot, 'github-actions[bot]')).toBe(true);
    expect(isOwnComment(bot, 'github-actions')).toBe(true);
    expect(isOwnComment(bot, 'GitHub-Actions')).toBe(true);
    expect(isOwnComment({ login: 'mallory', type: 'User' }, 'github-actions[bot]')).toBe(false);
    expect(isOwnComment({ login: 'mallory', type: 'User' }, 'github-actions')).toBe(false);
    // A human whose login is the bot's name plus [bot] cannot exist, and a User never matches by suffix.
    expect(isOwnComment({ login: 'renovate[bot]', type: 'User' }, 'renovate')).toBe(false);
    expect(isOwnComment({ login: 'alice', type: 'User' }, 'alice')).toBe(true);
    expect(isOwnComment({ login: 'other[bot]', type: 'Bot' }, 'github-actions')).toBe(false);
    expect(isOwnComment(null, 'github-actions')).toBe(false);
    expect(isOwnComment(bot, '')).toBe(false);
  });
});
