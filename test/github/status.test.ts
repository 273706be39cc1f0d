/**
 * The verdict on the commit (src/github/status.ts): the state, description and context read from
 * the one verdict, the deployed commit, and the REST requests against the loopback GitHub,
 * including the 403 of a token without the permission, which is one warning and nothing more.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coreModule, fake, resetFake } from '../fakes/actions-core.js';
import { BOT_TOKEN, startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../fakes/github-api.js';
import type { Alert, AlertsResult } from '../../src/rules/alerts.js';
import { parseFailOn } from '../../src/rules/gate.js';
import { decideVerdict, type Verdict, type VerdictFacts } from '../../src/verdict.js';
import { readRunContext, type RunContext } from '../../src/github/context.js';
import { received, verdictRequests } from '../support/github-requests.js';

vi.mock('@actions/core', () => coreModule);
const { deployedCommit, statusContext, statusDescription, verdictOnCommit, verdictState } =
  await import('../../src/github/status.js');
type StatusInputs = Parameters<typeof verdictOnCommit>[0];

const SHA = '0123456789abcdef0123456789abcdef01234567';
const HEAD = 'fedcba9876543210fedcba9876543210fedcba98';
const RUN = 'https://github.com/acme/fleet/actions/runs/4242';

function alert(state: 'firing' | 'pending', severity: string): Alert {
  return {
    name: 'A',
    group: 'g',
    file: 'f.yaml',
    state,
    labels: { alertname: 'A', severity, kind: 'Kustomization', namespace: 'apps', name: 'podinfo' },
    annotations: {},
    activeAt: '2026-11-21T11:00:00.000Z',
    activeAtMs: Date.parse('2026-11-21T11:00:00Z'),
    stateSinceMs: Date.parse('2026-11-21T11:00:00Z'),
    value: 1,
  };
}

const alerts = (...list: Alert[]): AlertsResult => ({ evaluatedAtMs: 0, alerts: list, errors: [] });
const firing = parseFailOn('firing');

// The verdict's level, the state every status shows (the job's outcome), and the facts.
const STATES: [string, Verdict['level'], 'success' | 'failure' | 'error', VerdictFacts][] = [
  ['nothing wrong', 'healthy', 'success', { failOn: firing }],
  [
    'a pending alert: degraded, the gate passes',
    'degraded',
    'success',
    { failOn: firing, alerts: alerts(alert('pending', 'warning')) },
  ],
  [
    'a firing warning fails the gate',
    'failing',
    'failure',
    { failOn: firing, alerts: alerts(alert('firing', 'warning')) },
  ],
  [
    'fail-on never: failing, yet the gate passes',
    'failing',
    'success',
    { failOn: parseFailOn('never'), alerts: alerts(alert('firing', 'critical')) },
  ],
  [
    'a refused wait (exit 2)',
    'failing',
    'failure',
    { failOn: firing, waitRefused: 'cannot list Kustomizations' },
  ],
  [
    'the run could not finish',
    'error',
    'error',
    { failOn: firing, error: { exitCode: 3, message: 'cluster unreachable' } },
  ],
];

describe('the status read from the one verdict', () => {
  it.each(STATES)('%s: %s → %s', (_name, level, state, facts) => {
    const verdict = decideVerdict(facts);
    expect(verdict.level).toBe(level);
    expect(verdictState(verdict)).toBe(state);
  });

  it.each([
    ['Healthy: 12 Flux objects ready', 'Healthy: 12 Flux objects ready'],
    ['Failing: line one\nline two\r\n  three', 'Failing: line one line two three'],
    ['a\u202Eb\u0007c', 'a\uFFFDbc'],
    ['x'.repeat(140), 'x'.repeat(140)],
    ['x'.repeat(141), `${'x'.repeat(139)}…`],
    ['😀'.repeat(150), `${'😀'.repeat(139)}…`],
  ])('description %j → %j (one line, at most 140 characters)', (text, description) => {
    expect(statusDescription(text)).toBe(description);
    expect(Array.from(statusDescription(text)).length).toBeLessThanOrEqual(140);
  });

  it.each([
    ['prod-eu', 'flux-health/prod-eu'],
    ['', 'flux-health/default'],
    ['  staging\ncluster ', 'flux-health/staging cluster'],
    ['c'.repeat(300), `flux-health/${'c'.repeat(99)}…`],
  ])('context for cluster %j is %j', (name, context) => {
    expect(statusContext(name)).toBe(context);
  });
});

describe('the deployed commit', () => {
  const ctx = (env: Record<string, string>): RunContext => readRunContext(env);
  it.each([
    ['a full SHA given', SHA, { GITHUB_SHA: HEAD }, SHA],
    ['a full SHA in upper case', SHA.toUpperCase(), { GITHUB_SHA: HEAD }, SHA],
    ['a Flux revision', `main@sha1:${SHA}`, { GITHUB_SHA: HEAD }, SHA],
    ['nothing given: the workflow commit', '', { GITHUB_SHA: HEAD }, HEAD],
    ['a tag: the workflow commit', 'v1.2.3', { GITHUB_SHA: HEAD }, HEAD],
    ['an OCI digest: the workflow commit', `sha256:${'a'.repeat(64)}`, { GITHUB_SHA: HEAD }, HEAD],
    ['a short SHA of the workflow commit', HEAD.slice(0, 7), { GITHUB_SHA: HEAD }, HEAD],
    ['a short SHA of another commit', SHA.slice(0, 7), { GITHUB_SHA: HEAD }, undefined],
    ['no SHA anywhere', '', {}, undefined],
  ])('%s', (_name, expected, env, commit) => {
    expect(deployedCommit(expected, ctx(env))).toBe(commit);
  });
});

describe('posting the verdict against the loopback GitHub', () => {
  let gh: FakeGitHub | undefined;

  beforeEach(() => resetFake({}));
  afterEach(async () => {
    await gh?.close();
    gh = undefined;
  });

  /** The inputs of a verdict on the commit: a commit status, no environment, no wait, unless given. */
  const inputsWith = (given: Partial<StatusInputs>): StatusInputs => ({
    commitStatus: true,
    environment: '',
    githubToken: BOT_TOKEN,
    clusterName: '',
    context: '',
    expectedRevision: '',
    wait: false,
    ...given,
  });

  async function setUp(inputs: Partial<StatusInputs> = {}, options: FakeGitHubOptions = {}) {
    gh = await startFakeGitHub(options);
    const ctx = readRunContext({
      GITHUB_REPOSITORY: 'acme/fleet',
      GITHUB_SHA: SHA,
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '4242',
    });
    const post = verdictOnCommit(
      inputsWith({ environment: 'production', clusterName: 'prod-eu', wait: true, ...inputs }),
      ctx,
    );
    return { gh, post };
  }

  const warnings = () => fake.log.filter((l) => l.level === 'warning').map((l) => l.line);
  const failing = decideVerdict({ failOn: firing, alerts: alerts(alert('firing', 'warning')) });

  it('creates a deployment, marks it in progress, then posts the commit status and its final state', async () => {
    const { gh, post } = await setUp();
    await post?.start();
    await post?.finish(failing);
    const id = gh.state.deployments[0]?.id;
    expect(received(gh.state.requests)).toEqual(
      verdictRequests({
        sha: SHA,
        environment: 'production',
        context: 'flux-health/prod-eu',
        deployment: id,
        inProgress: 'Waiting for Flux to apply 0123456',
        state: 'failure',
        description: failing.headline,
        runUrl: RUN,
      }),
    );
    expect(gh.state.statuses.map((s) => [s.context, s.state, s.targetUrl])).toEqual([
      ['flux-health/prod-eu', 'failure', RUN],
    ]);
    expect(gh.state.deployments[0]?.statuses.map((s) => [s.state, s.logUrl])).toEqual([
      ['in_progress', RUN],
      ['failure', RUN],
    ]);
    expect(warnings()).toEqual([]);
    expect(fake.log.map((l) => l.line)).toEqual(
      expect.arrayContaining([
        `deployment ${id} to production: in_progress (Waiting for Flux to apply 0123456)`,
        'commit status flux-health/prod-eu on 0123456: failure',
        `deployment ${id} to production: failure`,
      ]),
    );
  });

  it("reuses the newest deployment of the commit to the environment (a job's `environment:`, a re-run)", async () => {
    const { gh, post } = await setUp({ commitStatus: false, wait: false });
    const made = async (environment: string) => {
      const res = await fetch(`${gh.url}/repos/acme/fleet/deployments`, {
        method: 'POST',
        headers: {
          authorization: `token ${BOT_TOKEN}`,
          'user-agent': 'test',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ ref: SHA, environment, required_contexts: [] }),
      });
      return ((await res.json()) as { id: number }).id;
    };
    await made('production');
    const newest = await made('production');
    await made('staging');
    gh.state.requests.length = 0;
    await post?.start();
    await post?.finish(decideVerdict({ failOn: firing }));
    expect(received(gh.state.requests).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/fleet/deployments',
      `POST /repos/acme/fleet/deployments/${newest}/statuses`,
      `POST /repos/acme/fleet/deployments/${newest}/statuses`,
    ]);
    expect(
      gh.state.deployments.find((d) => d.id === newest)?.statuses.map((s) => [s.state, s.description]),
    ).toEqual([
      ['in_progress', 'Checking Flux'],
      ['success', 'Healthy: 0 Flux objects ready, no alert firing above info'],
    ]);
  });

  it('cuts a long headline to what GitHub accepts (the loopback refuses 141 characters, as GitHub does)', async () => {
    const { gh, post } = await setUp({ environment: '' });
    const long = decideVerdict({
      failOn: firing,
      error: { exitCode: 3, message: `unreachable ${'x'.repeat(300)}` },
    });
    await post?.finish(long);
    expect(warnings()).toEqual([]);
    expect(gh.state.statuses[0]?.state).toBe('error');
    expect(Array.from(gh.state.statuses[0]?.description ?? '')).toHaveLength(140);
    expect(gh.state.statuses[0]?.description?.endsWith('…')).toBe(true);
  });

  it.each([
    [
      'statuses',
      { environment: '' },
      /^Could not set the commit status flux-health\/prod-eu on 0123456 \(403: Resource not accessible by integration.*\): the token needs `statuses: write`; add it to the job's `permissions:`\.$/,
    ],
    [
      'deployments',
      { commitStatus: false },
      /^Could not mark the "production" deployment of 0123456 \(403: Resource not accessible by integration.*\): the token needs `deployments: write`; add it to the job's `permissions:`\.$/,
    ],
  ] as const)(
    'a token without %s: exactly one warning naming the permission, nothing thrown',
    async (permission, inputs, warning) => {
      const { gh, post } = await setUp(inputs, { permissions: { [BOT_TOKEN]: { [permission]: 'none' } } });
      await post?.start();
      await post?.finish(failing);
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]).toMatch(warning);
      // Refused once, GitHub is not asked again for the final state.
      expect(gh.state.requests).toHaveLength(1);
      expect(fake.failed).toEqual([]);
    },
  );

  it('read-only deployments: the lookup works, the create is refused, one warning', async () => {
    const { gh, post } = await setUp(
      { commitStatus: false },
      { permissions: { [BOT_TOKEN]: { deployments: 'read' } } },
    );
    await post?.start();
    await post?.finish(failing);
    expect(received(gh.state.requests).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/fleet/deployments',
      'POST /repos/acme/fleet/deployments',
    ]);
    expect(warnings()).toEqual([expect.stringContaining('the token needs `deployments: write`')]);
  });

  it('a fork pull request: the warning says why permissions cannot help', async () => {
    gh = await startFakeGitHub({ permissions: { [BOT_TOKEN]: { statuses: 'read' } } });
    const ctx = readRunContext({ GITHUB_REPOSITORY: 'acme/fleet', GITHUB_SHA: SHA, GITHUB_API_URL: gh.url });
    ctx.payload = {
      pull_request: {
        number: 9,
        head: { sha: HEAD, repo: { full_name: 'mallory/fleet' } },
        base: { repo: { full_name: 'acme/fleet' } },
      },
    };
    ctx.headSha = HEAD;
    const post = verdictOnCommit(inputsWith({}), ctx);
    await post?.finish(failing);
    expect(gh.state.requests.map((r) => r.path)).toEqual([`/repos/acme/fleet/statuses/${HEAD}`]);
    expect(warnings()).toEqual([
      expect.stringMatching(
        /`statuses: write`; add it to the job's `permissions:` \(a pull request from a fork only gets a read-only token\)\.$/,
      ),
    ]);
  });

  it('another failure (a 422 GitHub does not retry) is one warning too', async () => {
    const { gh, post } = await setUp(
      { environment: '' },
      { faults: [{ method: 'POST', path: '/repos/acme/fleet/statuses/', kind: 422 }] },
    );
    await post?.finish(failing);
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^Could not set the commit status flux-health\/prod-eu on 0123456 \(422\): Injected failure/,
      ),
    ]);
    expect(gh.state.statuses).toEqual([]);
  });

  it.each([
    [
      { GITHUB_SHA: SHA },
      { githubToken: BOT_TOKEN },
      'Cannot post the verdict on the commit: GITHUB_REPOSITORY is not set',
    ],
    [
      { GITHUB_REPOSITORY: 'acme/fleet', GITHUB_SHA: SHA },
      { githubToken: '' },
      'Cannot post the verdict on the commit: input `github-token` is empty',
    ],
    [
      { GITHUB_REPOSITORY: 'acme/fleet' },
      { githubToken: BOT_TOKEN },
      'Cannot post the verdict on the commit: GITHUB_SHA is not set',
    ],
    [
      { GITHUB_REPOSITORY: 'acme/fleet', GITHUB_SHA: HEAD },
      { githubToken: BOT_TOKEN, expectedRevision: 'abcdef1' },
      'Cannot post the verdict on the commit: `expected-revision` "abcdef1" is not a full commit SHA',
    ],
  ])('nowhere to post (%j): one warning, no request', (env, inputs, warning) => {
    const post = verdictOnCommit(inputsWith({ environment: 'production', ...inputs }), readRunContext(env));
    expect(post).toBeUndefined();
    expect(warnings()).toEqual([warning]);
  });

  it('neither asked for: nothing, silently', () => {
    const post = verdictOnCommit(inputsWith({ commitStatus: false }), readRunContext({}));
    expect(post).toBeUndefined();
    expect(fake.log).toEqual([]);
  });
});

describe('the loopback GitHub answers statuses and deployments as GitHub does', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub({ permissions: { [BOT_TOKEN]: { statuses: 'read' } } });
  });
  afterEach(async () => {
    await gh.close();
  });

  const call = (path: string, body: unknown, token = BOT_TOKEN) =>
    fetch(`${gh.url}${path}`, {
      method: 'POST',
      headers: { authorization: `token ${token}`, 'user-agent': 'test', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('a missing permission: 403, GitHub body, and the permission in x-accepted-github-permissions', async () => {
    const res = await call(`/repos/acme/fleet/statuses/${SHA}`, { state: 'success' });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-accepted-github-permissions')).toBe('statuses=write');
    expect(await res.json()).toEqual({
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/commits/statuses#create-a-commit-status',
      status: '403',
    });
  });

  it('refuses a description over 140 characters and a state GitHub does not know (422)', async () => {
    const deployment = (await (
      await call('/repos/acme/fleet/deployments', { ref: SHA, required_contexts: [] })
    ).json()) as {
      id: number;
      environment: string;
      production_environment: boolean;
      task: string;
    };
    expect(deployment).toMatchObject({
      environment: 'production',
      production_environment: true,
      task: 'deploy',
    });
    const long = await call(`/repos/acme/fleet/deployments/${deployment.id}/statuses`, {
      state: 'success',
      description: 'x'.repeat(141),
    });
    expect(long.status).toBe(422);
    expect(await long.json()).toMatchObject({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'DeploymentStatus',
          code: 'custom',
          field: 'description',
          message: 'description is too long (maximum is 140 characters)',
        },
      ],
    });
    const bad = await call(`/repos/acme/fleet/deployments/${deployment.id}/statuses`, { state: 'done' });
    expect(bad.status).toBe(422);
  });

  it('without required_contexts, a deployment waits for every context of the commit to succeed (409)', async () => {
    const other = await startFakeGitHub();
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${other.url}${path}`, {
          method: 'POST',
          headers: {
            authorization: `token ${BOT_TOKEN}`,
            'user-agent': 'test',
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
        });
      expect(
        (await post(`/repos/acme/fleet/statuses/${SHA}`, { state: 'failure', context: 'ci' })).status,
      ).toBe(201);
      const res = await post('/repos/acme/fleet/deployments', { ref: SHA });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({
        message: `Conflict: Commit status checks failed for ${SHA}.`,
      });
      expect((await post('/repos/acme/fleet/deployments', { ref: SHA, required_contexts: [] })).status).toBe(
        201,
      );
    } finally {
      await other.close();
    }
  });
});
