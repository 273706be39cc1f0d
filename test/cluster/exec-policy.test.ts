/**
 * Which kubeconfigs may run a program for their credentials. The action's `kubeconfig` input is an
 * opaque string (often a secret someone else filled in), so a credential program in it is refused
 * unless `allow-exec: true`; a kubeconfig file was written by a step of the same job (aws eks
 * update-kubeconfig, get-gke-credentials…) and runs its programs as kubectl does.
 * SECURITY.md ("What runs") states this policy.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { connect } from '../../src/cluster/connect.js';
import { ConfigError } from '../../src/errors.js';

/** A kubeconfig with one context per user, the first current. */
function kubeconfig(users: Record<string, Record<string, unknown>>): string {
  const names = Object.keys(users);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:9' } }],
    users: names.map((name) => ({ name, user: users[name] })),
    contexts: names.map((name) => ({ name, context: { cluster: 'c', user: name } })),
    'current-context': names[0],
  });
}

const SECRET_ARG = 'sekrit-arg-0123456789';
const PROGRAMS: [string, Record<string, unknown>, string][] = [
  [
    'an exec plugin',
    {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'aws',
        args: ['eks', 'get-token', SECRET_ARG],
      },
    },
    'exec command "aws"',
  ],
  [
    "a gcp auth-provider's cmd-path (run through a shell)",
    {
      'auth-provider': {
        name: 'gcp',
        config: { 'cmd-path': `/bin/sh -c 'echo ${SECRET_ARG}'`, 'cmd-args': 'x' },
      },
    },
    'auth-provider "gcp" cmd-path',
  ],
  [
    "an azure auth-provider's cmd-path",
    { 'auth-provider': { name: 'azure', config: { 'cmd-path': 'az', 'cmd-args': SECRET_ARG } } },
    'auth-provider "azure" cmd-path',
  ],
  [
    "an auth-provider's exec",
    { 'auth-provider': { name: 'exec', config: { exec: { command: 'helper', args: [SECRET_ARG] } } } },
    'auth-provider "exec" exec',
  ],
];

function refusal(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('a credential program in the kubeconfig input', () => {
  it.each(PROGRAMS)(
    '%s is refused without allowExec: one line naming the user and input',
    (_n, user, named) => {
      const err = refusal(() => connect({ kubeconfigContent: kubeconfig({ deployer: user }), env: {} }));
      expect(err.message).toBe(
        `user "deployer" in the kubeconfig input runs a program for its credentials (${named}), which this job would run with its own environment and token: set input \`allow-exec: true\` if you trust this kubeconfig as you trust the workflow, or give a token or client certificate instead`,
      );
      expect(err.message).not.toContain(SECRET_ARG);
    },
  );

  it.each(PROGRAMS)('%s is accepted with allowExec', (_n, user) => {
    const conn = connect({ kubeconfigContent: kubeconfig({ deployer: user }), allowExec: true, env: {} });
    expect(conn.context).toBe('deployer');
  });

  it('only the user of the chosen context counts', () => {
    const content = kubeconfig({ token: { token: 'abc' }, plugin: PROGRAMS[0]?.[1] ?? {} });
    expect(connect({ kubeconfigContent: content, env: {} }).context).toBe('token');
    expect(() => connect({ kubeconfigContent: content, context: 'plugin', env: {} })).toThrow(
      /user "plugin" in the kubeconfig input runs a program/,
    );
  });

  it.each([
    ['a token', { token: 'abc' }],
    ['a client certificate', { 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' }],
    [
      'an oidc auth-provider (no program)',
      { 'auth-provider': { name: 'oidc', config: { 'id-token': 'x' } } },
    ],
    ['no credentials at all', {}],
  ])('%s needs no allowExec', (_n, user) => {
    expect(connect({ kubeconfigContent: kubeconfig({ deployer: user }), env: {} }).context).toBe('deployer');
  });
});

describe('a credential program in a kubeconfig file runs as kubectl runs it', () => {
  const home = mkdtempSync(join(tmpdir(), 'flux-health-exec-policy-'));
  const file = join(home, '.kube', 'config');
  mkdirSync(join(home, '.kube'));
  writeFileSync(file, kubeconfig({ deployer: PROGRAMS[0]?.[1] ?? {} }));

  it.each([
    ['--kubeconfig FILE', { kubeconfigPath: file, env: {} }],
    ['KUBECONFIG', { env: { KUBECONFIG: file } }],
    ['~/.kube/config', { env: {}, home }],
  ])('%s', (_n, opts) => {
    expect(connect(opts).context).toBe('deployer');
  });
});
