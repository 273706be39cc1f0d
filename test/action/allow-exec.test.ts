/**
 * The built action (`node dist/index.js`) with a `kubeconfig` input whose user runs a program for
 * its credentials: without `allow-exec` the program never starts and the run is bad input (exit 2,
 * one line); with `allow-exec: true` it runs, as kubectl would run it. The program here leaves a
 * file behind when it runs, and its server is a port nothing listens on (exit 3 once it ran).
 * SECURITY.md ("What runs") states this policy.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runAction } from '../support/action-runner.js';

function setup(): { kubeconfig: string; ran: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flux-health-allow-exec-'));
  const ran = join(dir, 'the-program-ran');
  const program = join(dir, 'credential-program.sh');
  writeFileSync(
    program,
    `#!/bin/sh\ntouch '${ran}'\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t0ken-from-program"}}'\n`,
    { mode: 0o755 },
  );
  const kubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'nowhere', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [
      {
        name: 'deployer',
        user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: program } },
      },
    ],
    contexts: [{ name: 'nowhere', context: { cluster: 'nowhere', user: 'deployer' } }],
    'current-context': 'nowhere',
  });
  return { kubeconfig, ran };
}

const run = (inputs: Record<string, string>) =>
  runAction({
    inputs: { comment: 'never', 'artifact-name': '', summary: 'false', ...inputs },
    timeoutMs: 60_000,
  });

describe('allow-exec, through the built action', () => {
  it('without it, the program never runs: exit 2 with one error line naming the input', async () => {
    const { kubeconfig, ran } = setup();
    const r = await run({ kubeconfig });
    expect(r.code, r.stdout).toBe(2);
    expect(existsSync(ran)).toBe(false);
    const errors = r.commands('error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^user "deployer" in the kubeconfig input runs a program for its credentials \(exec command ".*credential-program\.sh"\).*set input `allow-exec: true`/,
    );
    expect(r.outputs['verdict']).toBe('error');
  });

  it('with allow-exec: true, the program runs and the run goes on to the (unreachable) server', async () => {
    const { kubeconfig, ran } = setup();
    const r = await run({ kubeconfig, 'allow-exec': 'true' });
    expect(existsSync(ran)).toBe(true);
    expect(r.code, r.stdout).toBe(3);
  });

  it('a value other than true or false is bad input, named', async () => {
    const { kubeconfig, ran } = setup();
    const r = await run({ kubeconfig, 'allow-exec': 'yes' });
    expect(r.code).toBe(2);
    expect(existsSync(ran)).toBe(false);
    expect(r.stdout).toContain('input `allow-exec` must be true or false, got "yes"');
  });
});
