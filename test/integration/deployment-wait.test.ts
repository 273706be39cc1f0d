// The GitHub deployment of a commit while the built action waits for Flux to apply it, on the real
// control plane (the test writes Flux's status by hand) and the loopback GitHub: `in_progress`
// is posted before the wait starts and is all GitHub has heard while it waits, then the one
// verdict's state arrives, on the commit status first, then on the deployment. A token that may
// not write deployments costs one warning and changes nothing about the wait or the exit code.
//
// Each run is scoped to a namespace of its own (`namespace`, `namespaces`), so the objects and
// controller Deployments other test files leave in the shared control plane take no part in its
// wait or its verdict.
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { BOT_TOKEN, startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../fakes/github-api.js';
import { startAction, type ActionRun, type StartedAction } from '../support/action-runner.js';
import {
  condition,
  createFluxObject,
  getFluxObject,
  setFluxStatus,
  uniqueNamespace,
} from '../support/cluster.js';
import { received, verdictRequests } from '../support/github-requests.js';

const GIT = 'source.toolkit.fluxcd.io/v1';
const KS = 'kustomize.toolkit.fluxcd.io/v1';
/** What Flux runs now, and the commit the workflow deployed. */
const SHA_OLD = '01d01d01d001d01d01d001d01d01d001d01d01d0';
const SHA_NEW = 'de9104edde9104edde9104edde9104edde9104ed';
const rev = (sha: string): string => `main@sha1:${sha}`;
const CLUSTER = 'staging-eu';
const CONTEXT = `flux-health/${CLUSTER}`;
const ENVIRONMENT = 'staging';
const RUN = 'https://github.com/acme/fleet/actions/runs/4242424242';
const WAITING = `Waiting for Flux to apply ${SHA_NEW.slice(0, 7)}`;
/** A progress line of the wait: it is under way and the commit is not applied yet. */
const WAIT_LINE = /GitRepository\/\S+\/repo waiting: /;

const ready = (message: string) => condition('Ready', 'True', 'ReconciliationSucceeded', message);

function sourceStatus(sha: string): Record<string, unknown> {
  return {
    observedGeneration: 1,
    artifact: {
      revision: rev(sha),
      digest: `sha256:${sha.slice(0, 8).repeat(8)}`,
      path: `gitrepository/repo/${sha}.tar.gz`,
      url: 'http://source-controller/repo.tar.gz',
      lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    },
    conditions: [ready(`stored artifact for revision '${rev(sha)}'`)],
  };
}

/** Applied at `applied`; a failure is an attempt at another revision with Ready=False. */
function ksStatus(applied: string, failedAt?: string): Record<string, unknown> {
  return {
    observedGeneration: 1,
    lastAppliedRevision: rev(applied),
    lastAttemptedRevision: rev(failedAt ?? applied),
    conditions: [
      failedAt
        ? condition(
            'Ready',
            'False',
            'BuildFailed',
            'kustomize build failed: apps/missing.yaml: no such file',
          )
        : ready(`Applied revision: ${rev(applied)}`),
    ],
  };
}

async function writeStatus(kind: string, ns: string, status: Record<string, unknown>): Promise<void> {
  const apiVersion = kind === 'GitRepository' ? GIT : KS;
  const name = kind === 'GitRepository' ? 'repo' : 'apps';
  // Re-read: the object as it is now, whatever the action wrote to it meanwhile.
  await setFluxStatus(await getFluxObject(apiVersion, kind, ns, name), status);
}

/** A namespace where Flux runs SHA_OLD: a GitRepository and a Kustomization of it, both Ready. */
async function fluxAtOldCommit(prefix: string): Promise<string> {
  const ns = await uniqueNamespace(prefix);
  await createFluxObject({
    apiVersion: GIT,
    kind: 'GitRepository',
    metadata: { name: 'repo', namespace: ns },
    spec: { interval: '1m', url: 'https://github.com/acme/fleet', ref: { branch: 'main' } },
    status: sourceStatus(SHA_OLD),
  });
  await createFluxObject({
    apiVersion: KS,
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: ns },
    spec: {
      interval: '10m',
      path: './apps',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'repo' },
    },
    status: ksStatus(SHA_OLD),
  });
  return ns;
}

interface Scenario {
  name: string;
  /** What "Flux" does once the action is waiting. */
  then: (ns: string) => Promise<void>;
  waitTimeout: string;
  outcome: string;
  code: number;
  state: 'success' | 'failure';
  /** The verdict's headline, which both statuses carry. */
  description: RegExp;
}

const APPLIED: Scenario = {
  name: 'Flux applies the commit',
  then: async (ns) => {
    await writeStatus('GitRepository', ns, sourceStatus(SHA_NEW));
    await writeStatus('Kustomization', ns, ksStatus(SHA_NEW));
  },
  waitTimeout: '60s',
  outcome: 'converged',
  code: 0,
  state: 'success',
  description: /^Healthy: 2 Flux objects ready/,
};

const FAILED: Scenario = {
  name: 'the Kustomization fails at the commit',
  then: async (ns) => {
    await writeStatus('GitRepository', ns, sourceStatus(SHA_NEW));
    await writeStatus('Kustomization', ns, ksStatus(SHA_OLD, SHA_NEW));
  },
  waitTimeout: '60s',
  outcome: 'failed',
  code: 1,
  state: 'failure',
  description: /^Failing: Wait failed after \S+ with 1 object not ready: /,
};

const TIMED_OUT: Scenario = {
  name: 'Flux never applies it: the wait times out',
  then: async () => {},
  waitTimeout: '5s',
  outcome: 'timeout',
  code: 1,
  state: 'failure',
  description: /^Failing: Wait timed out after 5s with 2 objects not ready/,
};

let kubeconfig: string;
let gh: FakeGitHub | undefined;

beforeAll(() => {
  kubeconfig = readFileSync(inject('kubeconfigAdmin'), 'utf8');
});

afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

/** The exit code, and what the action printed, for a failed expectation. */
function explain(r: ActionRun): string {
  const shown = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  return `exit ${r.code}\n${shown.slice(-6000)}\n${r.stderr.slice(-2000)}`;
}

/** Starts the built action waiting for SHA_NEW in `ns`, against a fresh loopback GitHub. */
async function startWaiting(
  ns: string,
  scenario: Scenario,
  inputs: Record<string, string>,
  github: FakeGitHubOptions = {},
): Promise<{ action: StartedAction; fake: FakeGitHub }> {
  await gh?.close();
  gh = await startFakeGitHub(github);
  const action = startAction({
    token: BOT_TOKEN,
    inputs: {
      kubeconfig,
      // Flux "runs" in the test's namespace: no other file's controller Deployments count either.
      namespace: ns,
      namespaces: ns,
      wait: 'true',
      'expected-revision': SHA_NEW,
      'wait-timeout': scenario.waitTimeout,
      'cluster-name': CLUSTER,
      'commit-status': 'true',
      comment: 'never',
      'artifact-name': '',
      ...inputs,
    },
    env: gh.env,
    timeoutMs: 100_000,
  });
  return { action, fake: gh };
}

describe('the deployment while the built action waits for Flux', () => {
  it.each([APPLIED, FAILED, TIMED_OUT])(
    '$name: in_progress while it waits, then $state',
    async (scenario) => {
      const ns = await fluxAtOldCommit('deploy-wait');
      const { action, fake } = await startWaiting(ns, scenario, { environment: ENVIRONMENT });
      await action.seen(WAIT_LINE);

      // Waiting: GitHub has the deployment, in progress, and nothing final on either.
      const deployment = fake.state.deployments[0];
      const exchange = (state: string, description: string) =>
        verdictRequests({
          sha: SHA_NEW,
          environment: ENVIRONMENT,
          context: CONTEXT,
          deployment: deployment?.id,
          inProgress: WAITING,
          state,
          description,
          runUrl: RUN,
        });
      expect(fake.state.deployments).toHaveLength(1);
      expect(deployment).toMatchObject({ sha: SHA_NEW, environment: ENVIRONMENT });
      expect(received(fake.state.requests)).toEqual(exchange('', '').slice(0, 3));
      expect(deployment?.statuses.map((s) => [s.state, s.description, s.logUrl])).toEqual([
        ['in_progress', WAITING, RUN],
      ]);
      expect(fake.state.statuses).toEqual([]);
      expect(action.lines).toContain(
        `deployment ${deployment?.id} to ${ENVIRONMENT}: in_progress (${WAITING})`,
      );

      await scenario.then(ns);
      const r = await action.result;
      expect(r.code, explain(r)).toBe(scenario.code);
      expect(r.outputs['wait-outcome'], explain(r)).toBe(scenario.outcome);

      // The verdict's state and headline, on the commit status, then on the deployment.
      const description = fake.state.statuses[0]?.description ?? '';
      expect(description, explain(r)).toMatch(scenario.description);
      expect(received(fake.state.requests)).toEqual(exchange(scenario.state, description));
      expect(fake.state.statuses.map((s) => [s.sha, s.context, s.state, s.targetUrl])).toEqual([
        [SHA_NEW, CONTEXT, scenario.state, RUN],
      ]);
      expect(deployment?.statuses.map((s) => [s.state, s.logUrl])).toEqual([
        ['in_progress', RUN],
        [scenario.state, RUN],
      ]);
      // Nothing refused or failed on GitHub (the failing Kustomization is a warning of its own).
      expect(r.commands('warning').filter((w) => /Could not|Cannot post/.test(w))).toEqual([]);
    },
  );

  it.each([APPLIED, FAILED])(
    '$name, with a token that may not write deployments: one warning, the same wait and exit code',
    async (scenario) => {
      // The same run without the environment: what the job does on its own.
      const alone = await fluxAtOldCommit('deploy-wait-alone');
      const without = await startWaiting(alone, scenario, {});
      await without.action.seen(WAIT_LINE);
      await scenario.then(alone);
      const baseline = await without.action.result;
      expect(baseline.code, explain(baseline)).toBe(scenario.code);

      const ns = await fluxAtOldCommit('deploy-wait-denied');
      const { action, fake } = await startWaiting(
        ns,
        scenario,
        { environment: ENVIRONMENT },
        { permissions: { [BOT_TOKEN]: { deployments: 'none' } } },
      );
      await action.seen(WAIT_LINE);
      await scenario.then(ns);
      const r = await action.result;
      expect(r.code, explain(r)).toBe(baseline.code);
      expect(r.outputs['wait-outcome']).toBe(scenario.outcome);
      for (const output of ['verdict', 'ready', 'failing'])
        expect(r.outputs[output], output).toBe(baseline.outputs[output]);

      const added = r.commands('warning').filter((w) => !baseline.commands('warning').includes(w));
      expect(r.commands('warning')).toHaveLength(baseline.commands('warning').length + 1);
      expect(added).toHaveLength(1);
      expect(added[0]).toContain(`Could not mark the "${ENVIRONMENT}" deployment of ${SHA_NEW.slice(0, 7)}`);
      expect(added[0]).toContain("the token needs `deployments: write`; add it to the job's `permissions:`.");
      // Refused at the lookup and never asked again; the commit status still arrives.
      expect(fake.state.deployments).toEqual([]);
      expect(received(fake.state.requests).map((q) => `${q.method} ${q.path}`)).toEqual([
        'GET /repos/acme/fleet/deployments',
        `POST /repos/acme/fleet/statuses/${SHA_NEW}`,
      ]);
      expect(fake.state.statuses.map((s) => s.state)).toEqual([scenario.state]);
    },
  );
});

describe('a job cancelled while the built action waits', () => {
  it.each([
    { signal: 'SIGINT' as const, code: 130 },
    { signal: 'SIGTERM' as const, code: 143 },
  ])(
    '$signal: the commit status and the deployment say error (cancelled), never stay in progress',
    async ({ signal, code }) => {
      const ns = await fluxAtOldCommit('deploy-cancel');
      // A wait that would outlive the test: only the cancellation can end it.
      const { action, fake } = await startWaiting(
        ns,
        { ...TIMED_OUT, waitTimeout: '10m' },
        { environment: ENVIRONMENT },
      );
      await action.seen(WAIT_LINE);
      action.kill(signal);
      const r = await action.result;
      expect(r.code, explain(r)).toBe(code);
      const cancelled = `Error: the job was cancelled (${signal}) before Flux Health finished`;
      expect(fake.state.statuses.map((s) => [s.context, s.state, s.description])).toEqual([
        [CONTEXT, 'error', cancelled],
      ]);
      expect(fake.state.deployments[0]?.statuses.map((s) => [s.state, s.description])).toEqual([
        ['in_progress', WAITING],
        ['error', cancelled],
      ]);
      expect(r.commands('warning')).toContain(
        `the job was cancelled (${signal}) before Flux Health finished`,
      );
    },
  );
});
