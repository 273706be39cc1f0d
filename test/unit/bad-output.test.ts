// Output paths that cannot take the files, through the built CLI: exit 2, one line naming the
// path and why, promptly (a kernel file system is refused before anything is written).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO, runCli } from '../support/cli-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'flux-health-bad-output-'));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'x');
const aFolder = join(dir, 'a-folder');
mkdirSync(aFolder);

const cli = (args: string[]) => runCli(args, { timeoutMs: 30_000 });

describe('an output path that cannot take the files', () => {
  it.each([
    [
      ['check', '--snapshot', DEMO, '--out', aFile],
      /--out .*a-file: cannot write \(\w+: a file is in the way/,
    ],
    [['check', '--snapshot', DEMO, '--out', join(aFile, 'below')], /--out .*: cannot write \(ENOTDIR/],
    [
      ['check', '--snapshot', DEMO, '--out', '/proc/flux-health'],
      /--out \/proc\/flux-health is on a kernel file system/,
    ],
  ])('%j: exit 2, one line', async (args, message) => {
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(2);
    const last = r.stderr.trim().split('\n').at(-1) ?? '';
    expect(last).toMatch(/^flux-health: /);
    expect(last).toMatch(message);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });
});

describe('credentials in the API server URL', () => {
  it('never appear in the log or the error, even when the server is unreachable', async () => {
    const kubeconfig = join(dir, 'creds-in-url.yaml');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "https://admin:PLANTED-PASS@127.0.0.1:1/?token=PLANTED-TOKEN"}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
        '',
      ].join('\n'),
    );
    const r = await cli(['check', '--kubeconfig', kubeconfig]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('https://127.0.0.1:1/?token=REDACTED');
    expect(r.stderr).not.toMatch(/PLANTED/);
  });
});
