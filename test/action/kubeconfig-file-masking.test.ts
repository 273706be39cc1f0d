/**
 * The built action with no `kubeconfig` input, reading a kubeconfig file an earlier step wrote
 * (`KUBECONFIG`): the credentials of the context in use are announced with `::add-mask::` before
 * the first line that names the cluster, so nothing printed later can show them. SECURITY.md
 * ("How secrets are hidden").
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runAction } from '../support/action-runner.js';

describe('a kubeconfig file from an earlier step', () => {
  it('masks the credentials of the context in use before connecting', async () => {
    const token = 'file-token-5f0c2a7d9e1b';
    const password = 'file-password-8d2e4c';
    const file = join(mkdtempSync(join(tmpdir(), 'flux-health-kubeconfig-file-')), 'config');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'nowhere', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'deployer', user: { token, username: 'u', password } }],
        contexts: [{ name: 'nowhere', context: { cluster: 'nowhere', user: 'deployer' } }],
        'current-context': 'nowhere',
      }),
    );
    const r = await runAction({
      inputs: { comment: 'never', 'artifact-name': '', summary: 'false' },
      env: { KUBECONFIG: file },
      secrets: [token, password],
      timeoutMs: 60_000,
    });
    expect(r.code, r.stdout).toBe(3);
    expect(r.commands('add-mask')).toEqual(expect.arrayContaining([token, password]));
    const lines = r.stdout.split('\n');
    const connecting = lines.findIndex((l) => l.startsWith('connecting to '));
    const lastMask = Math.max(...[token, password].map((s) => lines.indexOf(`::add-mask::${s}`)));
    expect(connecting, r.stdout).toBeGreaterThan(lastMask);
  });
});
