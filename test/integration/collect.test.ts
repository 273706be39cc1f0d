import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { acquireInventory } from '../../src/acquire.js';
import { collect } from '../../src/cluster/collect.js';
import { connect } from '../../src/cluster/connect.js';
import { KubeClient } from '../../src/cluster/kube-client.js';
import { runCli } from '../../src/cli.js';
import type { Inventory } from '../../src/inventory/index.js';
import { freePorts } from '../envtest/control-plane.js';
import {
  adminClients,
  condition,
  createDeployment,
  createFluxObject,
  createWarningEvent,
  uniqueNamespace,
} from '../support/cluster.js';

const tmp = mkdtempSync(join(tmpdir(), 'flux-health-collect-'));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr };
}

function gitRepository(namespace: string, name: string, ready: 'True' | 'False' = 'True') {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name, namespace },
    spec: { interval: '1m', url: `https://example.com/${name}.git`, ref: { branch: 'main' } },
    status: {
      observedGeneration: 1,
      artifact: {
        revision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
        digest: 'sha256:' + 'a'.repeat(64),
        size: 1280,
        path: `gitrepository/${namespace}/${name}/0123.tar.gz`,
        url: `http://source-controller/${name}.tar.gz`,
        lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      },
      conditions: [
        condition(
          'Ready',
          ready,
          ready === 'True' ? 'Succeeded' : 'GitOperationFailed',
          ready === 'True' ? 'stored artifact' : 'auth failed',
        ),
      ],
    },
  };
}

/** A copy of the admin kubeconfig with one thing changed, written to a temp file. */
function kubeconfigWith(mutate: (doc: Record<string, unknown>) => void): string {
  const doc = parseDoc(inject('kubeconfigAdmin'));
  mutate(doc);
  const path = join(tmp, `kc-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, stringify(doc));
  return path;
}

describe('live collection against a real API server', () => {
  let ns: string;
  const admin = inject('kubeconfigAdmin');
  const limited = inject('kubeconfigLimited');

  beforeAll(async () => {
    ns = await uniqueNamespace('collect');
    for (let i = 0; i < 7; i++)
      await createFluxObject(gitRepository(ns, `repo-${i}`, i === 0 ? 'False' : 'True'));
    await createFluxObject({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'podinfo', namespace: ns },
      spec: { interval: '5m', chartRef: { kind: 'OCIRepository', name: 'podinfo' } },
      status: { conditions: [condition('Ready', 'True', 'InstallSucceeded', 'Helm install succeeded')] },
    });
    await createWarningEvent({
      namespace: ns,
      involvedObject: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', name: 'repo-0' },
      reason: 'GitOperationFailed',
      message: 'failed to checkout: authentication required',
      component: 'source-controller',
    });
  });

  it('lists every page with limit and continue', async () => {
    const conn = connect({ kubeconfigPath: admin });
    const client = new KubeClient(conn.kc, conn.server);
    const items = await client.list(
      `/apis/source.toolkit.fluxcd.io/v1/namespaces/${ns}/gitrepositories`,
      {},
      3,
    );
    expect(items).toHaveLength(7);
    expect(client.requests).toBe(3);
    client.close();
  });

  it('collects compact records of every Flux kind, with warning events of objects not ready', async () => {
    const conn = connect({ kubeconfigPath: admin });
    const client = new KubeClient(conn.kc, conn.server);
    const { inventory } = await collect(client, { namespace: 'flux-system', pageSize: 2 });
    client.close();
    const mine = inventory.objects.filter((o) => o.namespace === ns);
    expect(mine.map((o) => `${o.kind}/${o.name}`)).toEqual([
      'GitRepository/repo-0',
      'GitRepository/repo-1',
      'GitRepository/repo-2',
      'GitRepository/repo-3',
      'GitRepository/repo-4',
      'GitRepository/repo-5',
      'GitRepository/repo-6',
      'HelmRelease/podinfo',
    ]);
    const repo0 = mine[0];
    expect(repo0?.apiVersion).toBe('source.toolkit.fluxcd.io/v1');
    expect(repo0?.status.artifact?.size).toBe(1280);
    expect(repo0?.spec.ref).toEqual({ branch: 'main' });
    expect(repo0?.conditions[0]).toMatchObject({
      type: 'Ready',
      status: 'False',
      reason: 'GitOperationFailed',
    });
    expect(inventory.kinds.every((k) => k.state === 'listed')).toBe(true);
    expect(inventory.kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining([
        'GitRepository',
        'Kustomization',
        'HelmRelease',
        'FluxInstance',
        'ResourceSet',
      ]),
    );
    expect(inventory.cluster.serverVersion).toMatch(/^v1\.\d+\.\d+/);
    expect(inventory.crds.length).toBeGreaterThanOrEqual(13);
    expect(inventory.events.filter((e) => e.namespace === ns)).toEqual([
      expect.objectContaining({
        involvedKind: 'GitRepository',
        name: 'repo-0',
        reason: 'GitOperationFailed',
      }),
    ]);
  });

  it('records a kind forbidden to the identity and still collects the rest', async () => {
    const { inventory } = await acquireInventory({ source: { connect: { kubeconfigPath: limited } } });
    const hr = inventory.kinds.find((k) => k.kind === 'HelmRelease');
    expect(hr?.state).toBe('forbidden');
    expect(hr?.error).toMatch(/^403 Forbidden: .*cannot list resource "helmreleases"/);
    expect(inventory.objects.some((o) => o.kind === 'HelmRelease')).toBe(false);
    expect(inventory.objects.filter((o) => o.namespace === ns && o.kind === 'GitRepository')).toHaveLength(7);
    expect(inventory.warnings.some((w) => w.startsWith('forbidden: HelmRelease'))).toBe(true);
  });

  it('check --kubeconfig, snapshot, and check --snapshot of that snapshot print the same inventory', async () => {
    await ensureNamespace('flux-system');
    await createDeployment({
      namespace: 'flux-system',
      name: `source-controller-${ns}`,
      image: 'ghcr.io/fluxcd/source-controller:v1.7.0',
      labels: { 'app.kubernetes.io/part-of': 'flux' },
    });
    const snap = join(tmp, 'snap.yaml');
    const taken = await run(['snapshot', '--kubeconfig', admin, '--out', snap]);
    expect(taken.code, taken.stderr).toBe(0);
    const text = readFileSync(snap, 'utf8');
    expect(text).not.toMatch(/^kind: Secret$/m);
    expect(text).toContain('"kind": "ClusterFacts"');
    const live = await run(['check', '--kubeconfig', admin, '--inventory']);
    const fromFile = await run(['check', '--snapshot', snap, '--inventory']);
    expect(live.code, live.stderr).toBe(0);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const strip = (s: string): Omit<Inventory, 'source' | 'collectedAt' | 'warnings'> => {
      const { source: _s, collectedAt: _c, warnings: _w, ...rest } = JSON.parse(s) as Inventory;
      return rest;
    };
    expect(strip(fromFile.stdout)).toEqual(strip(live.stdout));
    // The printed summary agrees too, apart from its Source and Checked lines.
    const body = (s: string): string =>
      s
        .split('\n')
        .filter((l) => !/^(Source|Checked):/.test(l))
        .join('\n');
    const at = ['--now', new Date().toISOString(), '--fail-on', 'never'];
    const liveTable = await run(['check', '--kubeconfig', admin, ...at]);
    const fileTable = await run(['check', '--snapshot', snap, ...at]);
    expect(liveTable.code, liveTable.stderr).toBe(0);
    expect(body(fileTable.stdout)).toEqual(body(liveTable.stdout));
  });

  it.each([
    [
      'a missing file',
      () => join(tmp, 'missing.yaml'),
      /^flux-health: kubeconfig file .*missing\.yaml does not exist$/,
    ],
    [
      'invalid YAML',
      () => {
        const p = join(tmp, 'bad.yaml');
        writeFileSync(p, 'apiVersion: v1\nclusters: [\n  - name: x\n');
        return p;
      },
      /^flux-health: kubeconfig file .*bad\.yaml is not valid YAML at line \d+, column \d+/,
    ],
    [
      'no contexts',
      () => kubeconfigWith((d) => (d.contexts = [])),
      /is not a usable kubeconfig: it has no contexts$/,
    ],
  ])('rejects %s with one line and exit 2', async (_name, make, re) => {
    const res = await run(['check', '--kubeconfig', make()]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr.trim()).toMatch(re);
  });

  it('rejects an unknown context and lists the known ones (exit 2)', async () => {
    const res = await run(['check', '--kubeconfig', admin, '--context', 'nope']);
    expect(res.code).toBe(2);
    expect(res.stderr.trim()).toMatch(
      /^flux-health: unknown context "nope" in kubeconfig file .*; available: \S+/,
    );
  });

  it('reports a TLS failure without printing credentials (exit 2)', async () => {
    // Trust a different CA than the one that signed the server certificate.
    const otherCa = readFileSync(join(inject('clientCaDir'), 'ca.crt')).toString('base64');
    const path = kubeconfigWith((d) => {
      const clusters = d.clusters as { cluster: Record<string, unknown> }[];
      for (const c of clusters) c.cluster['certificate-authority-data'] = otherCa;
    });
    const res = await run(['check', '--kubeconfig', path]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n').at(-1)).toMatch(
      /^flux-health: TLS handshake with https:\/\/127\.0\.0\.1:\d+ failed \([A-Z_]+\)/,
    );
    const users = (parseDoc(path).users as { user: Record<string, string> }[])[0]?.user ?? {};
    for (const secret of Object.values(users)) expect(res.stderr).not.toContain(secret.slice(20, 60));
  });

  it('reports rejected credentials as 401 (exit 2)', async () => {
    const path = kubeconfigWith((d) => {
      d.users = [
        { name: (d.users as { name: string }[])[0]?.name, user: { token: 'not-a-valid-token-3f9a' } },
      ];
    });
    const res = await run(['check', '--kubeconfig', path]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim()).toMatch(/rejected the credentials of context "[^"]+" \(401 Unauthorized\)/);
    expect(res.stderr).not.toContain('not-a-valid-token-3f9a');
  });

  it('retries an unreachable server a bounded number of times, then exits 3', async () => {
    const [port] = await freePorts(1);
    const path = kubeconfigWith((d) => {
      for (const c of d.clusters as { cluster: Record<string, unknown> }[])
        c.cluster.server = `https://127.0.0.1:${port}`;
    });
    const { kc, server } = connect({ kubeconfigPath: path });
    const retries: number[] = [];
    const client = new KubeClient(kc, server, {
      attempts: 3,
      backoffMs: 10,
      onRetry: (r) => retries.push(r.delayMs),
    });
    await expect(client.get('/version')).rejects.toThrow(
      /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ after 3 attempts \(ECONNREFUSED\)/,
    );
    expect(retries).toEqual([10, 20]);
    const res = await run(['check', '--kubeconfig', path]);
    expect(res.code).toBe(3);
    expect(res.stderr.trim().split('\n').at(-1)).toMatch(/^flux-health: cannot reach the Kubernetes API/);
  }, 60_000);
});

function parseDoc(path: string): Record<string, unknown> {
  return parseYaml(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

async function ensureNamespace(name: string): Promise<void> {
  await adminClients()
    .core.createNamespace({ body: { metadata: { name } } })
    .catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
}
