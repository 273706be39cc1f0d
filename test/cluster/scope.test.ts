/**
 * A check limited to some namespaces, without a cluster: the kinds API discovery yields when CRDs are
 * out of scope, the CLI's -n/-A/--flux-namespace flags (check's, and snapshot's -n/-A), and a scoped
 * snapshot read back with its scope. The same against a real API server, as a tenant bound to
 * namespaced Roles only (snapshot -n too), is in test/integration/rbac.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactCrd } from '../../src/cluster/compact.js';
import { ApiStatusError, type KubeClient } from '../../src/cluster/kube-client.js';
import { DISCOVERED_ANNOTATION, discoverFluxCrds } from '../../src/cluster/scope.js';
import { runCli } from '../../src/cli.js';
import { parseNamespaces } from '../../src/options.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const DEMO = join(ROOT, 'examples/demo-cluster.yaml');

/** A client whose GETs answer from `docs` (404 for anything else), recording the paths asked. */
function discoveryClient(docs: Record<string, unknown>): KubeClient & { asked: string[] } {
  const asked: string[] = [];
  const get = async (path: string): Promise<unknown> => {
    asked.push(path);
    if (path in docs) return docs[path];
    throw new ApiStatusError(404, path, 'NotFound', 'the server could not find the requested resource');
  };
  return { get, asked } as unknown as KubeClient & { asked: string[] };
}

const ns = (name: string, kind: string) => ({ name, kind, namespaced: true });

describe('discoverFluxCrds', () => {
  const client = discoveryClient({
    '/apis': {
      groups: [
        { name: 'apps', versions: [{ version: 'v1' }] },
        { name: 'notification.toolkit.fluxcd.io', versions: [{ version: 'v1' }, { version: 'v1beta3' }] },
        { name: 'source.toolkit.fluxcd.io', versions: [{ version: 'v1' }, { version: 'v1beta2' }] },
        { name: 'fluxcd.controlplane.io', versions: [{ version: 'v1' }] },
        // Listed, then gone before its documents were read.
        { name: 'image.toolkit.fluxcd.io', versions: [{ version: 'v1' }] },
      ],
    },
    '/apis/notification.toolkit.fluxcd.io/v1': { resources: [ns('receivers', 'Receiver')] },
    '/apis/notification.toolkit.fluxcd.io/v1beta3': {
      resources: [ns('alerts', 'Alert'), ns('providers', 'Provider'), ns('receivers', 'Receiver')],
    },
    '/apis/source.toolkit.fluxcd.io/v1': {
      resources: [ns('gitrepositories', 'GitRepository'), ns('gitrepositories/status', 'GitRepository')],
    },
    '/apis/source.toolkit.fluxcd.io/v1beta2': { resources: [ns('gitrepositories', 'GitRepository')] },
    '/apis/fluxcd.controlplane.io/v1': {
      resources: [
        ns('fluxinstances', 'FluxInstance'),
        { name: 'clusterthings', kind: 'Thing', namespaced: false },
      ],
    },
  });

  it('takes each kind at the first version of its group that serves it, shaped as its CRD', async () => {
    const crds = await discoverFluxCrds(client);
    const compact = crds.map(compactCrd).map((c) => ({
      name: c?.name,
      stored: c?.storedVersions,
      served: c?.servedVersions,
      labelled: c?.labels['app.kubernetes.io/part-of'] === 'flux',
    }));
    expect(compact).toEqual([
      {
        name: 'receivers.notification.toolkit.fluxcd.io',
        stored: ['v1'],
        served: ['v1', 'v1beta3'],
        labelled: true,
      },
      {
        name: 'alerts.notification.toolkit.fluxcd.io',
        stored: ['v1beta3'],
        served: ['v1beta3'],
        labelled: true,
      },
      {
        name: 'providers.notification.toolkit.fluxcd.io',
        stored: ['v1beta3'],
        served: ['v1beta3'],
        labelled: true,
      },
      {
        name: 'gitrepositories.source.toolkit.fluxcd.io',
        stored: ['v1'],
        served: ['v1', 'v1beta2'],
        labelled: true,
      },
      // The operator's CRDs carry no part-of label in a real cluster, so none is made up.
      { name: 'fluxinstances.fluxcd.controlplane.io', stored: ['v1'], served: ['v1'], labelled: false },
    ]);
    for (const crd of crds)
      expect(
        (crd.metadata as { annotations: Record<string, string> }).annotations[DISCOVERED_ANNOTATION],
      ).toBe('api-discovery');
  });

  it('never reads a group that is not Flux', async () => {
    await discoverFluxCrds(client);
    expect(client.asked.filter((p) => p.startsWith('/apis/apps'))).toEqual([]);
  });
});

describe('parseNamespaces', () => {
  it.each([
    [[], undefined],
    [
      ['b', 'a,b', ' c\n'],
      ['a', 'b', 'c'],
    ],
    [['a1-b2'], ['a1-b2']],
  ])('%j → %j', (values, expected) => {
    expect(parseNamespaces(values, '-n')).toEqual(expected);
  });

  it.each(['A', 'a_b', 'a.b', '-a', 'a-', 'x'.repeat(64)])('refuses %j', (name) => {
    expect(() => parseNamespaces([name], '--namespaces')).toThrow(
      /^--namespaces: ".*" is not a namespace name/,
    );
  });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr };
}

describe('check: -n, -A and --flux-namespace', () => {
  it.each([
    [['-n', 'a', '-A'], '-A/--all-namespaces and -n/--namespaces contradict each other: give one'],
    [
      ['-n', 'Team'],
      `--namespaces: "Team" is not a namespace name (lower-case letters, digits and '-', at most 63)`,
    ],
    [
      ['-n', 'a', '--snapshot', DEMO],
      '-n/--namespaces limits what is read from a cluster: drop it with --snapshot',
    ],
    [
      ['--namespace', 'a', '--flux-namespace', 'b', '--snapshot', DEMO],
      '--namespace is the older spelling of --flux-namespace: give one of them',
    ],
  ])('%j: exit 2, one line', async (args, message) => {
    const r = await cli(['check', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`flux-health: ${message}\n`);
  });

  it('--namespace still says where Flux runs, with a note that -n is something else', async () => {
    const old = await cli([
      'check',
      '--snapshot',
      DEMO,
      '--namespace',
      'flux-system',
      '--fail-on',
      'never',
      '-o',
      'json',
    ]);
    const now = await cli([
      'check',
      '--snapshot',
      DEMO,
      '--flux-namespace',
      'flux-system',
      '--fail-on',
      'never',
      '-o',
      'json',
    ]);
    expect(old.code).toBe(0);
    // The same report, but for the Ready message's timing.
    const report = (text: string) => ({ ...(JSON.parse(text) as object), status: undefined });
    expect(report(old.stdout)).toEqual(report(now.stdout));
    expect(old.stderr).toContain(
      'note: --namespace flux-system says where Flux runs (also --flux-namespace); -n/--namespaces limits the check to some namespaces',
    );
    expect(now.stderr).not.toContain('note: --namespace');
  });

  it('documents -n, -A and --flux-namespace in its help', async () => {
    const help = (await cli(['check', '--help'])).stdout;
    expect(help).toMatch(/^ {2}-n, --namespaces NS +check only the Flux objects of these namespaces/m);
    expect(help).toMatch(/^ {2}-A, --all-namespaces +check every namespace \(the default\)/m);
    expect(help).toMatch(/^ {2}--flux-namespace NS +where Flux runs/m);
  });
});

describe('snapshot: -n and -A, as check takes them', () => {
  // Refused (or accepted) before any request: the kubeconfig does not exist, so no cluster is needed.
  const connection = ['--kubeconfig', '/nonexistent'];
  const out = ['--out', join(tmpdir(), 'never-written.yaml')];
  it.each([
    [['-n', 'a', '-A'], '-A/--all-namespaces and -n/--namespaces contradict each other: give one'],
    [
      ['--namespaces', 'a,b', '--all-namespaces'],
      '-A/--all-namespaces and -n/--namespaces contradict each other: give one',
    ],
    [
      ['-n', 'a', '-n', 'Team'],
      `--namespaces: "Team" is not a namespace name (lower-case letters, digits and '-', at most 63)`,
    ],
    // Accepted: the run gets as far as reading the kubeconfig.
    [['-n', 'b,a,', '-n', 'a'], 'kubeconfig file /nonexistent does not exist'],
    [['-A'], 'kubeconfig file /nonexistent does not exist'],
  ])('%j: exit 2 with the same line as check', async (args, message) => {
    const snapshot = await cli(['snapshot', ...args, ...connection, ...out]);
    const check = await cli(['check', ...args, ...connection]);
    for (const r of [snapshot, check]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`flux-health: ${message}\n`);
    }
  });

  it('documents -n and -A with the same lines as check', async () => {
    const scopeLines = async (command: string): Promise<string[]> => {
      const lines = (await cli([command, '--help'])).stdout.split('\n');
      const start = lines.findIndex((l) => /^ {2}-n, --namespaces NS /.test(l));
      const end = lines.findIndex((l) => /^ {2}-A, --all-namespaces /.test(l));
      // Column widths differ per command; the words do not.
      return lines.slice(start, end + 1).map((l) => l.trim().replace(/ {2,}/g, '  '));
    };
    const snapshot = await scopeLines('snapshot');
    expect(snapshot[0]).toMatch(/^-n, --namespaces NS {2}check only the Flux objects of these namespaces/);
    expect(snapshot.at(-1)).toBe('-A, --all-namespaces  check every namespace (the default)');
    expect(snapshot).toEqual(await scopeLines('check'));
  });
});

describe('a snapshot taken with a scope', () => {
  it('is checked with that scope: out of scope, not forbidden, and said so in the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-health-scope-'));
    const file = join(dir, 'scoped.yaml');
    const scope = { namespaces: ['apps', 'tenant-b'], outOfScope: ['controllers', 'nodes', 'bogus', 'sync'] };
    writeFileSync(
      file,
      readFileSync(DEMO, 'utf8').replace('"nodes": 2,', `"nodes": 2,\n  "scope": ${JSON.stringify(scope)},`),
    );
    const r = await cli(['check', '--snapshot', file, '--fail-on', 'never', '-o', 'json', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const health = (JSON.parse(r.stdout) as { fluxHealth: { scope: unknown; notes: string[] } }).fluxHealth;
    expect(health.scope).toEqual({
      namespaces: ['apps', 'tenant-b'],
      outOfScope: ['controllers', 'nodes', 'sync'],
    });
    expect(health.notes).toContain(
      'Scope: namespaces apps, tenant-b. Out of scope (not read, not forbidden): Flux objects in other namespaces; the Flux controllers in flux-system; the node count; the sync, looked up in flux-system.',
    );
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('**Scope** namespaces `apps`, `tenant-b`');
    expect(summary).toMatch(/### Controllers\n\nOut of scope: they run in `flux-system`\./);
    expect(summary).toMatch(/### Sync\n\nOut of scope: the sync is looked up in `flux-system`\./);
    const table = (await cli(['check', '--snapshot', file, '--fail-on', 'never'])).stdout;
    expect(table).toContain('Scope:      namespaces apps, tenant-b\n');
    expect(table).toContain('Controllers: out of scope\n');
    expect(table).toContain('Sync: out of scope\n');
  });
});
