/**
 * The verdict on the commit through the built action (`node dist/index.js`) on the demo snapshot,
 * against the loopback GitHub: the exact REST requests GitHub receives for the commit status and
 * the deployment, and a token without the permission, which costs one warning and changes nothing
 * else about the job.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../fakes/github-api.js';
import { DEFAULT_SHA, runAction, type ActionRun } from '../support/action-runner.js';
import { DEMO } from '../support/cli-runner.js';
import { received, verdictRequests } from '../support/github-requests.js';

const RUN = 'https://github.com/acme/fleet/actions/runs/4242424242';

/** The demo's headline is longer than GitHub's 140 characters: it arrives cut, ending in `…`. */
const FAILING =
  'Failing: Gate failed: 99 objects with firing alerts (FluxResourceNotReady, FluxResourceReconciling, ReconciliationFailure) at severity warn…';

let gh: FakeGitHub | undefined;

afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

async function action(inputs: Record<string, string>, options: FakeGitHubOptions = {}): Promise<ActionRun> {
  gh = await startFakeGitHub(options);
  return runAction({
    token: BOT_TOKEN,
    inputs: { snapshot: DEMO, comment: 'never', 'artifact-name': '', 'cluster-name': 'prod-eu', ...inputs },
    env: gh.env,
  });
}

/** Outputs but the paths, which name each run's own temporary folder. */
const withoutPaths = (outputs: Record<string, string>) =>
  Object.fromEntries(Object.entries(outputs).filter(([name]) => !name.endsWith('-path')));

describe('commit-status and environment through the built action', () => {
  let baseline: ActionRun;

  beforeAll(async () => {
    // The same run without either input: what the job does on its own, and GitHub hears nothing.
    baseline = await action({});
    expect((gh as FakeGitHub).state.requests).toEqual([]);
    await gh?.close();
    gh = undefined;
  });

  it.each([
    ['the gate fails', 'failure', {}, 1, FAILING],
    [
      'fail-on never: the gate passes',
      'success',
      { 'fail-on': 'never' },
      0,
      'Failing: 99 objects with firing alerts',
    ],
  ] as const)(
    '%s: the commit status and the deployment say %s',
    async (_name, state, inputs, code, description) => {
      const r = await action({ ...inputs, 'commit-status': 'true', environment: 'production' });
      expect(r.code, r.stdout).toBe(code);
      const fake = gh as FakeGitHub;
      expect(received(fake.state.requests)).toEqual(
        verdictRequests({
          sha: DEFAULT_SHA,
          environment: 'production',
          context: 'flux-health/prod-eu',
          deployment: fake.state.deployments[0]?.id,
          inProgress: 'Checking Flux',
          state,
          description,
          runUrl: RUN,
        }),
      );
      // GitHub took each one (the loopback refuses what GitHub refuses, a long description too).
      expect(fake.state.statuses.map((s) => [s.context, s.state])).toEqual([['flux-health/prod-eu', state]]);
      expect(fake.state.deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', state]);
      expect(r.commands('warning')).toEqual(baseline.commands('warning'));
      expect(r.stdout).toContain(`commit status flux-health/prod-eu on cafe000: ${state}`);
    },
  );

  it.each([
    ['statuses', { 'commit-status': 'true' }, 'statuses: write'],
    ['deployments', { environment: 'production' }, 'deployments: write'],
  ] as const)(
    'a token without %s: one warning naming the permission, the job as without it',
    async (permission, inputs, named) => {
      const r = await action(inputs, { permissions: { [BOT_TOKEN]: { [permission]: 'none' } } });
      expect(r.code).toBe(baseline.code);
      expect(withoutPaths(r.outputs)).toEqual(withoutPaths(baseline.outputs));
      expect(r.commands('error')).toEqual(baseline.commands('error'));
      const added = r.commands('warning').filter((w) => !baseline.commands('warning').includes(w));
      expect(added).toHaveLength(1);
      expect(added[0]).toContain('403: Resource not accessible by integration');
      expect(added[0]).toContain(`the token needs \`${named}\`; add it to the job's \`permissions:\`.`);
      expect(r.commands('warning')).toHaveLength(baseline.commands('warning').length + 1);
      // Refused at the first request; nothing was retried or asked again.
      expect((gh as FakeGitHub).state.requests).toHaveLength(1);
    },
  );
});
