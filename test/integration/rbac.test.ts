// Least privilege, proven on the real control plane: identities (ServiceAccounts with a requested
// token, as `kubectl create token` gives one) are bound to exactly the roles in examples/rbac/, read
// from the files themselves, then to those roles less one right at a time. The built CLI (and, for
// the tenant, the built action) runs as each identity. The full roles give a complete report with
// nothing forbidden; each missing right degrades as the README's Permissions table says, row by row.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { V1PolicyRule, V1ResourceAttributes } from '@kubernetes/client-node';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { splitRow } from '../fakes/markdown-reader.js';
import { runAction } from '../support/action-runner.js';
import {
  adminClients,
  clientsFor,
  condition,
  createDeployment,
  createFluxObject,
  createNode,
  createWarningEvent,
  getFluxObject,
  setFluxStatus,
  uniqueNamespace,
  type FluxObject,
} from '../support/cluster.js';
import { runCli, type CliRun } from '../support/cli-runner.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const RBAC_DIR = join(ROOT, 'examples/rbac');
const CHECK_FILE = 'check-clusterrole.yaml';
const WAIT_FILE = 'wait-reconcile.yaml';
const TENANT_FILE = 'tenant-role.yaml';

const GIT = 'source.toolkit.fluxcd.io/v1';
const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SHA = '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a';
const REVISION = `main@sha1:${SHA}`;
const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
const OPERATOR_KINDS = ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider'];

// ---------------------------------------------------------------------------------------------
// The manifests, as shipped

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: V1PolicyRule[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: Subject[];
}

function readManifests(file: string): Manifest[] {
  const docs = parseAllDocuments(readFileSync(join(RBAC_DIR, file), 'utf8'));
  return docs.map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]?.message ?? ''}`);
    return d.toJS() as Manifest;
  });
}

/** One right taken away: `verb` on `resource` of `group` (any resource or group when absent). */
interface Drop {
  file: string;
  verb: string;
  group?: string;
  resource?: string;
}

/** The rules less the dropped right; a rule naming several resources keeps the others whole. */
function dropRight(rules: readonly V1PolicyRule[], drop: Omit<Drop, 'file'>): V1PolicyRule[] {
  const out: V1PolicyRule[] = [];
  for (const rule of rules) {
    const groups = rule.apiGroups ?? [];
    const resources = rule.resources ?? [];
    const hit = (drop.group === undefined || groups.includes(drop.group)) && rule.verbs.includes(drop.verb);
    const dropped = hit ? resources.filter((r) => drop.resource === undefined || r === drop.resource) : [];
    if (dropped.length === 0) {
      out.push(rule);
      continue;
    }
    const kept = resources.filter((r) => !dropped.includes(r));
    if (kept.length > 0) out.push({ ...rule, resources: kept });
    const verbs = rule.verbs.filter((v) => v !== drop.verb);
    if (verbs.length > 0) out.push({ ...rule, resources: dropped, verbs });
  }
  return out;
}

/** Where the template's namespaces go: objects (`team-a` → each tenant namespace) and subjects. */
interface Placement {
  objects: Record<string, string>;
  subjects: Record<string, string>;
}

/**
 * The files' objects for one identity: names made unique, namespaces placed, the ServiceAccount
 * `flux-health` replaced by the identity's own, and (optionally) one right dropped.
 */
function placed(file: string, id: string, place: Placement, drop?: Drop): Manifest[] {
  const ns = (n: string | undefined, map: Record<string, string>): string | undefined =>
    n === undefined ? undefined : (map[n] ?? n);
  let droppedSomething = drop?.file !== file;
  const out = readManifests(file).map((m): Manifest => {
    const metadata = {
      name: m.kind === 'ServiceAccount' ? id : `${m.metadata.name}-${id}`,
      ...(m.metadata.namespace
        ? {
            namespace: ns(m.metadata.namespace, m.kind === 'ServiceAccount' ? place.subjects : place.objects),
          }
        : {}),
    } as Manifest['metadata'];
    const copy: Manifest = { ...m, metadata };
    if (m.rules) {
      copy.rules = drop?.file === file ? dropRight(m.rules, drop) : m.rules;
      if (JSON.stringify(copy.rules) !== JSON.stringify(m.rules)) droppedSomething = true;
    }
    if (m.roleRef) copy.roleRef = { ...m.roleRef, name: `${m.roleRef.name}-${id}` };
    if (m.subjects)
      copy.subjects = m.subjects.map((s) =>
        s.kind === 'ServiceAccount' && s.name === 'flux-health'
          ? { kind: s.kind, name: id, namespace: ns(s.namespace, place.subjects) as string }
          : s,
      );
    return copy;
  });
  if (!droppedSomething) throw new Error(`${file} has no rule granting ${JSON.stringify(drop)}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Identities

let serial = 0;
const tmp = mkdtempSync(join(tmpdir(), 'flux-health-rbac-'));

async function create(m: Manifest): Promise<void> {
  const { rbac, core } = adminClients();
  const namespace = m.metadata.namespace as string;
  switch (m.kind) {
    case 'ServiceAccount':
      await core.createNamespacedServiceAccount({ namespace, body: m as never });
      return;
    case 'ClusterRole':
      await rbac.createClusterRole({ body: m as never });
      return;
    case 'ClusterRoleBinding':
      await rbac.createClusterRoleBinding({ body: m as never });
      return;
    case 'Role':
      await rbac.createNamespacedRole({ namespace, body: m as never });
      return;
    case 'RoleBinding':
      await rbac.createNamespacedRoleBinding({ namespace, body: m as never });
      return;
    default:
      throw new Error(`examples/rbac holds a ${m.kind}, which this test does not know how to apply`);
  }
}

/** Every request a role's rules allow, as access-review attributes. */
function attributesOf(m: Manifest): V1ResourceAttributes[] {
  return (m.rules ?? []).flatMap((rule) =>
    (rule.apiGroups ?? []).flatMap((group) =>
      (rule.resources ?? []).flatMap((resource) =>
        rule.verbs.flatMap((verb) =>
          (rule.resourceNames ?? [undefined]).map((name) => ({
            group,
            resource,
            verb,
            ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}),
            ...(name ? { name } : {}),
          })),
        ),
      ),
    ),
  );
}

async function pollUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Applies the manifests, then requests a token for the ServiceAccount and writes a kubeconfig that
 * holds it. Returns once the authorizer allows every rule the identity was given (and still
 * refuses `denied`, the right taken away).
 */
async function identity(
  manifests: Manifest[],
  sa: { name: string; namespace: string },
  denied?: V1ResourceAttributes,
): Promise<string> {
  if (!manifests.some((m) => m.kind === 'ServiceAccount'))
    await create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: sa });
  for (const m of manifests.filter((x) => x.kind === 'ServiceAccount')) await create(m);
  for (const m of manifests.filter((x) => x.kind !== 'ServiceAccount')) await create(m);
  const request = await adminClients().core.createNamespacedServiceAccountToken({
    name: sa.name,
    namespace: sa.namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error('the TokenRequest returned no token');
  const path = join(tmp, `${sa.name}.kubeconfig`);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'rbac',
          cluster: {
            server: inject('server'),
            'certificate-authority-data': Buffer.from(inject('servingCaPem')).toString('base64'),
          },
        },
      ],
      users: [{ name: sa.name, user: { token } }],
      contexts: [{ name: 'rbac', context: { cluster: 'rbac', user: sa.name } }],
      'current-context': 'rbac',
    }),
    { mode: 0o600 },
  );
  const { authz } = clientsFor(path);
  const allowed = async (resourceAttributes: V1ResourceAttributes): Promise<boolean> =>
    (await authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes } } })).status
      ?.allowed === true;
  const granted = manifests.flatMap(attributesOf);
  await pollUntil(`the RBAC of ${sa.name} to take effect`, async () =>
    (await Promise.all(granted.map(allowed))).every(Boolean),
  );
  if (denied && (await allowed(denied))) throw new Error(`${sa.name} may still ${JSON.stringify(denied)}`);
  return path;
}

function newId(label: string): string {
  return `fh-${label}-${Date.now().toString(36)}-${++serial}`;
}

// ---------------------------------------------------------------------------------------------
// The cluster the identities look at

let fluxNs: string;
let appNs: string;
let tenants: [string, string];
let outsider: string;
const EVENT_MESSAGE = `rbac-test: accumulating resources ${Date.now().toString(36)}`;

function sourceStatus(): Record<string, unknown> {
  return {
    observedGeneration: 1,
    artifact: {
      revision: REVISION,
      digest: `sha256:${'5a'.repeat(32)}`,
      path: 'gitrepository/x.tar.gz',
      url: 'http://source-controller/x.tar.gz',
      lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    },
    conditions: [condition('Ready', 'True', 'Succeeded', `stored artifact for revision '${REVISION}'`)],
  };
}

function ksStatus(): Record<string, unknown> {
  return {
    observedGeneration: 1,
    lastAppliedRevision: REVISION,
    lastAttemptedRevision: REVISION,
    conditions: [condition('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${REVISION}`)],
  };
}

/** A Kustomization `name` applying `./<name>` of the GitRepository `repo`, with `status`. */
function kustomization(namespace: string, name: string, status: Record<string, unknown>): FluxObject {
  return {
    apiVersion: KS,
    kind: 'Kustomization',
    metadata: { name, namespace },
    spec: {
      interval: '10m',
      path: `./${name}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'repo' },
    },
    status,
  };
}

/** A GitRepository `repo` and a Kustomization `apps` from it, both Ready at REVISION. */
async function readyApps(namespace: string): Promise<void> {
  await createFluxObject({
    apiVersion: GIT,
    kind: 'GitRepository',
    metadata: { name: 'repo', namespace },
    spec: { interval: '1m', url: 'https://github.com/acme/fleet', ref: { branch: 'main' } },
    status: sourceStatus(),
  });
  await createFluxObject(kustomization(namespace, 'apps', ksStatus()));
}

/** A failing Kustomization with a Warning event whose message differs from its condition's. */
async function brokenKustomization(namespace: string, eventMessage: string): Promise<void> {
  const stored = await createFluxObject(
    kustomization(namespace, 'broken', {
      observedGeneration: 1,
      lastAttemptedRevision: REVISION,
      conditions: [condition('Ready', 'False', 'BuildFailed', 'kustomize build failed')],
    }),
  );
  await createWarningEvent({
    namespace,
    involvedObject: { apiVersion: KS, kind: 'Kustomization', name: 'broken', uid: stored.metadata.uid },
    reason: 'BuildFailed',
    message: eventMessage,
  });
}

/** Kinds a complete report lists: one per labelled Flux CRD (at its last stored version) and the operator's. */
let expectedKinds: string[];

beforeAll(async () => {
  fluxNs = await uniqueNamespace('rbac-flux');
  appNs = await uniqueNamespace('rbac-apps');
  tenants = [await uniqueNamespace('rbac-team-a'), await uniqueNamespace('rbac-team-b')];
  outsider = await uniqueNamespace('rbac-team-c');

  const part = { 'app.kubernetes.io/part-of': 'flux' };
  for (const name of ['source-controller', 'kustomize-controller'])
    await createDeployment({ namespace: fluxNs, name, labels: part });
  await adminClients().core.createNamespacedSecret({
    namespace: fluxNs,
    body: {
      metadata: { name: 'flux-operator-entitlement' },
      stringData: { token: 'not-a-real-entitlement', vendor: 'rbac-vendor' },
    },
  });
  await createFluxObject({
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'FluxReport',
    metadata: { name: 'flux', namespace: fluxNs },
    spec: { distribution: { entitlement: 'Issued by rbac-vendor', status: 'Installed' } },
    status: { conditions: [condition('Ready', 'True', 'Succeeded', 'Reporting finished in 1s')] },
  });
  await createNode(`rbac-node-${Date.now().toString(36)}`);

  await readyApps(appNs);
  await brokenKustomization(appNs, EVENT_MESSAGE);
  for (const ns of tenants) await readyApps(ns);
  await readyApps(outsider);
  await brokenKustomization(outsider, 'outside the tenant: must not be seen');

  const crds = await adminClients().apiext.listCustomResourceDefinition({
    labelSelector: 'app.kubernetes.io/part-of=flux',
  });
  expectedKinds = [
    ...crds.items.map(
      (c) => `${c.spec.group}/${c.status?.storedVersions?.at(-1) ?? '?'} ${c.spec.names.kind}`,
    ),
    ...OPERATOR_KINDS.map((k) => `fluxcd.controlplane.io/v1 ${k}`),
  ].sort();
});

// ---------------------------------------------------------------------------------------------
// Runs of the built CLI

interface HealthJson {
  scope: { namespaces: 'all' | string[]; outOfScope: string[] };
  notes: string[];
  kinds: { apiVersion: string; kind: string; state: string }[];
  forbiddenKinds: { kind: string }[];
  objects: { kind: string; namespace: string; name: string }[];
  existingReport?: { namespace: string };
}

interface ReportJson {
  spec: {
    cluster?: { serverVersion: string; nodes?: number };
    distribution: { entitlement: string };
    components?: { name: string }[];
    reconcilers?: unknown[];
  };
  fluxHealth: HealthJson;
}

interface CheckRun extends CliRun {
  report?: ReportJson;
  summary: string;
  alerts: { name: string; state: string }[];
}

function check(kubeconfig: string, args: string[]): Promise<CheckRun> {
  return checkOf(['--kubeconfig', kubeconfig, ...args]);
}

/** `check` of a cluster (`--kubeconfig`) or a snapshot (`--snapshot`), with its report and files. */
async function checkOf(args: string[]): Promise<CheckRun> {
  const out = mkdtempSync(join(tmp, 'out-'));
  const run = await runCli(['check', '--out', out, '-o', 'json', ...args]);
  if (run.code !== 0 && run.code !== 1) return { ...run, summary: '', alerts: [] };
  const read = (f: string): string => readFileSync(join(out, f), 'utf8');
  return {
    ...run,
    report: JSON.parse(run.stdout) as ReportJson,
    summary: read('summary.md'),
    alerts: (JSON.parse(read('alerts.json')) as { alerts: CheckRun['alerts'] }).alerts,
  };
}

const kindsOf = (h: HealthJson): string[] => h.kinds.map((k) => `${k.apiVersion} ${k.kind}`).sort();

/** What a report with every right has; a row's own effect is asserted on top of what it leaves whole. */
function expectComplete(r: CheckRun, except: readonly string[] = []): void {
  const report = r.report as ReportJson;
  const h = report.fluxHealth;
  if (!except.includes('kinds')) {
    expect(kindsOf(h)).toEqual(expectedKinds);
    expect(h.forbiddenKinds).toEqual([]);
    expect(h.kinds.filter((k) => k.state !== 'listed')).toEqual([]);
  }
  if (!except.includes('notes')) expect(h.notes).toEqual([]);
  if (!except.includes('nodes')) expect(report.spec.cluster?.nodes).toBeGreaterThanOrEqual(1);
  expect(report.spec.cluster?.serverVersion).toMatch(/^v1\./);
  if (!except.includes('components'))
    expect(report.spec.components?.map((c) => c.name)).toEqual(['kustomize-controller', 'source-controller']);
  if (!except.includes('entitlement'))
    expect(report.spec.distribution.entitlement).toBe('Issued by rbac-vendor');
  if (!except.includes('existing-report')) expect(h.existingReport?.namespace).toBe(fluxNs);
  if (!except.includes('events')) expect(r.summary).toContain(EVENT_MESSAGE);
  expect(h.scope).toEqual({ namespaces: 'all', outOfScope: [] });
}

// ---------------------------------------------------------------------------------------------
// The README's Permissions table: each row is a right, and what the run does without it

interface Row {
  /** The first cell of the README row, without its backticks. */
  right: string;
  drop: Drop;
  /** The denied request, as an access review, to make sure the right is really gone. */
  denied: V1ResourceAttributes;
  command: 'check' | 'wait' | 'reconcile';
  expect: (r: CheckRun) => void;
}

/** A right of the check's ClusterRole, named by `denied`: the row takes that verb on that resource away. */
function checkRow(right: string, denied: V1ResourceAttributes, expectRun: Row['expect']): Row {
  const { verb = '', group, resource } = denied;
  return {
    right,
    drop: { file: CHECK_FILE, verb, group, resource },
    denied,
    command: 'check',
    expect: expectRun,
  };
}

/** The report is complete but for `part`, which `gone` sees missing, and one note says why. */
function completeBut(
  part: string,
  note: string | RegExp,
  gone: (r: CheckRun, report: ReportJson) => void,
): Row['expect'] {
  return (r) => {
    expectComplete(r, [part, 'notes']);
    const report = r.report as ReportJson;
    gone(r, report);
    expect(report.fluxHealth.notes).toEqual([typeof note === 'string' ? note : expect.stringMatching(note)]);
  };
}

/**
 * A right of the wait-and-reconcile ClusterRole, a verb: the row takes it away on every resource,
 * and `denied` is one request that must then be refused.
 */
function waitRow(command: 'wait' | 'reconcile', denied: V1ResourceAttributes, expectRun: Row['expect']): Row {
  const verb = denied.verb ?? '';
  return { right: verb, drop: { file: WAIT_FILE, verb }, denied, command, expect: expectRun };
}

/** The wait ended converged, exit 0. */
function converged(r: CheckRun): void {
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'converged' });
}

const ROWS: Row[] = [
  checkRow(
    'list customresourcedefinitions',
    { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verb: 'list' },
    (r) => {
      expect(r.code).toBe(2);
      expect(r.report).toBeUndefined();
      expect(r.stderr).toMatch(
        /cannot list CustomResourceDefinitions \(403 Forbidden\): grant get and list on customresourcedefinitions\.apiextensions\.k8s\.io/,
      );
    },
  ),
  checkRow(
    'get customresourcedefinitions',
    {
      group: 'apiextensions.k8s.io',
      resource: 'customresourcedefinitions',
      verb: 'get',
      name: 'fluxinstances.fluxcd.controlplane.io',
    },
    (r) => {
      expectComplete(r, ['kinds', 'notes', 'existing-report']);
      const h = (r.report as ReportJson).fluxHealth;
      expect(kindsOf(h)).toEqual(expectedKinds.filter((k) => !k.startsWith('fluxcd.controlplane.io/')));
      expect(h.forbiddenKinds).toEqual([]);
      expect(h.existingReport).toBeUndefined();
      for (const crd of ['fluxinstances', 'resourcesets', 'resourcesetinputproviders', 'fluxreports'])
        expect(h.notes).toContainEqual(
          expect.stringMatching(new RegExp(`^cannot read CRD ${crd}\\.fluxcd\\.controlplane\\.io: 403`)),
        );
    },
  ),
  checkRow(
    'list helmreleases',
    { group: 'helm.toolkit.fluxcd.io', resource: 'helmreleases', verb: 'list' },
    (r) => {
      expectComplete(r, ['kinds', 'notes']);
      const report = r.report as ReportJson;
      expect(report.fluxHealth.forbiddenKinds.map((k) => k.kind)).toEqual(['HelmRelease']);
      expect(report.fluxHealth.kinds.filter((k) => k.state !== 'listed').map((k) => k.kind)).toEqual([
        'HelmRelease',
      ]);
      expect(report.spec.reconcilers).toBeUndefined();
      expect(r.alerts).toContainEqual(
        expect.objectContaining({ name: 'FluxHealthKindsForbidden', state: 'firing' }),
      );
      expect(r.summary).toContain('1 kind could not be listed: HelmRelease \\(forbidden\\)');
      expect(r.summary).toContain('| HelmRelease | **forbidden** |');
    },
  ),
  checkRow(
    'list nodes',
    { group: '', resource: 'nodes', verb: 'list' },
    completeBut('nodes', /^node count unknown: 403/, (_r, report) =>
      expect(report.spec.cluster?.nodes).toBeUndefined(),
    ),
  ),
  checkRow(
    'list events',
    { group: '', resource: 'events', verb: 'list', namespace: 'default' },
    completeBut('events', /^events unknown in some namespaces: 403/, (r) =>
      expect(r.summary).not.toContain(EVENT_MESSAGE),
    ),
  ),
  checkRow(
    'list deployments',
    { group: 'apps', resource: 'deployments', verb: 'list', namespace: 'FLUX' },
    completeBut('components', /^Flux controllers unknown: 403/, (_r, report) =>
      expect(report.spec.components).toBeUndefined(),
    ),
  ),
  checkRow(
    'get secrets/flux-operator-entitlement',
    { group: '', resource: 'secrets', verb: 'get', namespace: 'FLUX', name: 'flux-operator-entitlement' },
    completeBut('entitlement', 'Entitlement Secret not visible: entitlement left Unknown.', (_r, report) =>
      expect(report.spec.distribution.entitlement).toBe('Unknown'),
    ),
  ),
  checkRow(
    'get fluxreports/flux',
    {
      group: 'fluxcd.controlplane.io',
      resource: 'fluxreports',
      verb: 'get',
      namespace: 'FLUX',
      name: 'flux',
    },
    completeBut('existing-report', /^existing FluxReport unreadable: 403/, (_r, report) =>
      expect(report.fluxHealth.existingReport).toBeUndefined(),
    ),
  ),
  waitRow(
    'wait',
    { group: 'kustomize.toolkit.fluxcd.io', resource: 'kustomizations', verb: 'watch' },
    (r) => {
      converged(r);
      expect(r.stderr).toMatch(
        /cannot watch kustomizations in namespace \S+ \(403 Forbidden\); polling every 1s to 15s/,
      );
    },
  ),
  waitRow(
    'wait',
    { group: 'kustomize.toolkit.fluxcd.io', resource: 'kustomizations', verb: 'get', namespace: 'APPS' },
    converged,
  ),
  waitRow(
    'reconcile',
    { group: 'source.toolkit.fluxcd.io', resource: 'gitrepositories', verb: 'patch', namespace: 'APPS' },
    (r) => {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /cannot request reconciliation of GitRepository\/\S+\/repo \(403 Forbidden\): grant patch on gitrepositories\.source\.toolkit\.fluxcd\.io, or set reconcile: false/,
      );
    },
  ),
];

/** The rights the README's Permissions table lists, in its order. */
function readmeRights(): string[] {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l === '## Permissions');
  const header = lines.findIndex((l, i) => i > start && /^\| Without\s+\|/.test(l));
  const rights: string[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cell = splitRow(line)[1]?.trim() ?? '';
    rights.push(/^`([^`]+)`/.exec(cell)?.[1] ?? cell);
  }
  return rights;
}

/** The wait as the built CLI runs it: one Kustomization and its source, in `namespace`. */
function waitCli(kubeconfig: string, namespace: string, extra: string[] = []): Promise<CliRun> {
  return runCli([
    'wait',
    '--kubeconfig',
    kubeconfig,
    '--revision',
    SHA,
    '--object',
    `ks/${namespace}/apps`,
    '--timeout',
    '60s',
    '-o',
    'json',
    ...extra,
  ]);
}

/**
 * Plays source- and kustomize-controller for a reconcile request: whatever carries a requestedAt
 * annotation gets it back in `status.lastHandledReconcileAt`, as the controllers report it.
 */
function actAsController(namespace: string): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const [apiVersion, kind, name] of [
        [GIT, 'GitRepository', 'repo'],
        [KS, 'Kustomization', 'apps'],
      ] as const) {
        const obj = await getFluxObject(apiVersion, kind, namespace, name);
        const at = obj.metadata.annotations?.[REQUESTED_AT];
        if (at === undefined || obj.status?.['lastHandledReconcileAt'] === at) continue;
        await setFluxStatus(obj, { ...obj.status, lastHandledReconcileAt: at });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describe('the shipped roles (examples/rbac)', () => {
  it('name every Flux kind this cluster serves, for the check and for a tenant', async () => {
    const crds = await adminClients().apiext.listCustomResourceDefinition({
      labelSelector: 'app.kubernetes.io/part-of=flux',
    });
    const served = [
      ...crds.items.map((c) => `${c.spec.group} ${c.spec.names.plural}`),
      ...['fluxinstances', 'resourcesets', 'resourcesetinputproviders'].map(
        (p) => `fluxcd.controlplane.io ${p}`,
      ),
    ].sort();
    expect(served.length).toBeGreaterThanOrEqual(17);
    for (const [file, kind] of [
      [CHECK_FILE, 'ClusterRole'],
      [TENANT_FILE, 'Role'],
    ] as const) {
      const role = readManifests(file).find((m) => m.kind === kind) as Manifest;
      const listed = (role.rules ?? [])
        .filter((r) => r.verbs.includes('list'))
        .flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).map((res) => `${g} ${res}`)))
        .filter((gr) => !gr.startsWith('apiextensions') && !gr.startsWith(' '));
      expect(listed.sort(), `${file}: list on every Flux kind`).toEqual(served);
    }
  });

  it('are only read rights, except patch for reconcile and nothing on Secrets but the entitlement', () => {
    const verbs = new Set<string>();
    for (const file of [CHECK_FILE, WAIT_FILE, TENANT_FILE])
      for (const m of readManifests(file))
        for (const rule of m.rules ?? []) {
          rule.verbs.forEach((v) => verbs.add(v));
          expect(rule.resources ?? [], `${file} ${m.metadata.name}: no wildcard`).not.toContain('*');
          expect(rule.verbs).not.toContain('*');
          if (rule.resources?.includes('secrets'))
            expect(rule.resourceNames).toEqual(['flux-operator-entitlement']);
          if (rule.verbs.includes('patch'))
            expect(rule.apiGroups?.every((g) => g.endsWith('.toolkit.fluxcd.io'))).toBe(true);
        }
    expect([...verbs].sort()).toEqual(['get', 'list', 'patch', 'watch']);
  });

  it('the README documents exactly the rights this file takes away, in the same order', () => {
    expect(readmeRights()).toEqual(ROWS.map((r) => r.right));
  });
});

describe('an identity bound to exactly the check roles', () => {
  it('gets a complete report with nothing forbidden', async () => {
    const id = newId('check');
    const kc = await identity(
      placed(CHECK_FILE, id, { objects: { 'flux-system': fluxNs }, subjects: { 'flux-system': fluxNs } }),
      {
        name: id,
        namespace: fluxNs,
      },
    );
    const r = await check(kc, ['--flux-namespace', fluxNs, '--fail-on', 'never']);
    expect(r.code, r.stderr).toBe(0);
    expectComplete(r);
    expect(r.alerts.map((a) => a.name)).not.toContain('FluxHealthKindsForbidden');
    expect(r.summary).toContain('**Scope** all namespaces');
  });

  it('with check, wait and reconcile, waits and reconciles to convergence', async () => {
    const id = newId('wait');
    const place = { objects: { 'flux-system': fluxNs }, subjects: { 'flux-system': fluxNs } };
    const kc = await identity([...placed(CHECK_FILE, id, place), ...placed(WAIT_FILE, id, place)], {
      name: id,
      namespace: fluxNs,
    });
    const controller = actAsController(appNs);
    let run: CliRun;
    try {
      run = await waitCli(kc, appNs, ['--reconcile']);
    } finally {
      await controller.stop();
    }
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { outcome: string; requestedAt?: string };
    expect(result.outcome).toBe('converged');
    expect(result.requestedAt).toBeDefined();
    expect(run.stderr).not.toMatch(/cannot watch|polling/);
  });
});

describe('each right taken away degrades as the README says', () => {
  it.each(ROWS.map((row) => [row.right, row] as const))('without %s', async (_right, row) => {
    const id = newId(row.command);
    const place = { objects: { 'flux-system': fluxNs }, subjects: { 'flux-system': fluxNs } };
    const manifests = [
      ...placed(CHECK_FILE, id, place, row.drop),
      ...(row.command === 'check' ? [] : placed(WAIT_FILE, id, place, row.drop)),
    ];
    const namespaceOf = (n: string | undefined): string | undefined =>
      n === 'FLUX' ? fluxNs : n === 'APPS' ? appNs : n;
    const denied = {
      ...row.denied,
      ...(row.denied.namespace ? { namespace: namespaceOf(row.denied.namespace) } : {}),
    };
    const kc = await identity(manifests, { name: id, namespace: fluxNs }, denied);
    if (row.command === 'check') {
      row.expect(await check(kc, ['--flux-namespace', fluxNs, '--fail-on', 'never']));
    } else {
      const run = await waitCli(kc, appNs, row.command === 'reconcile' ? ['--reconcile'] : []);
      row.expect({ ...run, summary: '', alerts: [] });
    }
  });
});

describe('a tenant bound to the namespaced roles in two namespaces', () => {
  let tenantKc: string;
  const place = (ns: string) => ({ objects: { 'team-a': ns }, subjects: { 'team-a': tenants[0] } });

  beforeAll(async () => {
    const id = newId('tenant');
    tenantKc = await identity(
      [...placed(TENANT_FILE, id, place(tenants[0])), ...placed(TENANT_FILE, id, place(tenants[1]))],
      {
        name: id,
        namespace: tenants[0],
      },
    );
  });

  it('check -n A -n B: a complete, healthy report of those namespaces; the rest out of scope, nothing forbidden', async () => {
    const r = await check(tenantKc, ['-n', tenants[0], '-n', tenants[1]]);
    expect(r.code, r.stderr).toBe(0);
    const h = (r.report as ReportJson).fluxHealth;
    expect(h.scope).toEqual({
      namespaces: [...tenants].sort(),
      outOfScope: ['crds', 'controllers', 'nodes', 'entitlement', 'existing-report', 'sync'],
    });
    expect(kindsOf(h)).toEqual(expectedKinds);
    expect(h.forbiddenKinds).toEqual([]);
    expect(h.kinds.filter((k) => k.state !== 'listed')).toEqual([]);
    expect(new Set(h.objects.map((o) => o.namespace))).toEqual(new Set(tenants));
    expect(h.objects).toHaveLength(4);
    expect(h.notes).toEqual([
      expect.stringMatching(
        /^Scope: namespaces \S+, \S+\. Out of scope \(not read, not forbidden\): Flux objects in other namespaces; the CustomResourceDefinitions/,
      ),
    ]);
    expect(r.summary).toMatch(/Flux Health: Healthy/);
    const [a, b] = [...tenants].sort() as [string, string];
    expect(r.summary).toContain(`**Scope** namespaces \`${a}\`, \`${b}\``);
    expect(r.summary).toContain('Out of scope: they run in `flux-system`.');
    expect(r.summary).not.toContain('must not be seen');
    expect(r.stderr).toContain(
      'CustomResourceDefinitions are out of scope: Flux kinds found by API discovery',
    );
  });

  it('the same namespaces comma-separated give the same scope; without -n the CRDs are forbidden, exit 2', async () => {
    const r = await check(tenantKc, ['--namespaces', `${tenants[1]},${tenants[0]}`]);
    expect(r.code, r.stderr).toBe(0);
    expect((r.report as ReportJson).fluxHealth.scope.namespaces).toEqual([...tenants].sort());
    const all = await check(tenantKc, []);
    expect(all.code).toBe(2);
    expect(all.stderr).toMatch(
      /cannot list CustomResourceDefinitions \(403 Forbidden\).*limit the check to your namespaces with -n/,
    );
  });

  it('snapshot -n A -n B: the file checks with the same scope, objects and out-of-scope list as check -n', async () => {
    const file = join(mkdtempSync(join(tmp, 'snap-')), 'tenant.yaml');
    const snap = await runCli([
      'snapshot',
      '--kubeconfig',
      tenantKc,
      '-n',
      tenants[0],
      '-n',
      tenants[1],
      '--out',
      file,
    ]);
    expect(snap.code, snap.stderr).toBe(0);
    expect(snap.stderr).not.toMatch(/forbidden|403/i);
    expect(snap.stderr).toContain(`wrote 4 Flux objects to ${file}`);
    expect(readFileSync(file, 'utf8')).not.toContain('must not be seen');

    const live = await check(tenantKc, ['-n', tenants[0], '-n', tenants[1]]);
    const saved = await checkOf(['--snapshot', file]);
    expect(live.code, live.stderr).toBe(0);
    expect(saved.code, saved.stderr).toBe(0);
    // What a reader compares; not when each was read, nor where from.
    const relevant = (r: CheckRun) => {
      const { spec, fluxHealth } = r.report as ReportJson;
      const {
        checkedAt: _at,
        source: _source,
        tool: _tool,
        ...health
      } = fluxHealth as HealthJson & Record<string, unknown>;
      return { spec, fluxHealth: health };
    };
    expect(relevant(saved)).toEqual(relevant(live));
    const h = (saved.report as ReportJson).fluxHealth;
    expect(h.scope).toEqual({
      namespaces: [...tenants].sort(),
      outOfScope: ['crds', 'controllers', 'nodes', 'entitlement', 'existing-report', 'sync'],
    });
    expect(h.forbiddenKinds).toEqual([]);
    expect(h.objects).toHaveLength(4);
    expect(new Set(h.objects.map((o) => o.namespace))).toEqual(new Set(tenants));
    expect(saved.summary).toContain('Out of scope: they run in `flux-system`.');
  });

  it('snapshot without -n: the CRDs are forbidden, exit 2 with the line check gives', async () => {
    const file = join(mkdtempSync(join(tmp, 'snap-')), 'all.yaml');
    const snap = await runCli(['snapshot', '--kubeconfig', tenantKc, '--out', file]);
    const live = await check(tenantKc, []);
    expect(snap.code).toBe(2);
    const line =
      /^flux-health: cannot list CustomResourceDefinitions \(403 Forbidden\).*limit the check to your namespaces with -n$/m;
    expect(snap.stderr).toMatch(line);
    expect(snap.stderr.match(line)?.[0]).toBe(live.stderr.match(line)?.[0]);
    expect(existsSync(file)).toBe(false);
  });

  it('a Role missing in one namespace is forbidden there, not out of scope', async () => {
    const id = newId('tenant-partial');
    const drop: Drop = {
      file: TENANT_FILE,
      verb: 'list',
      group: 'helm.toolkit.fluxcd.io',
      resource: 'helmreleases',
    };
    const kc = await identity(
      [...placed(TENANT_FILE, id, place(tenants[0])), ...placed(TENANT_FILE, id, place(tenants[1]), drop)],
      { name: id, namespace: tenants[0] },
      { group: 'helm.toolkit.fluxcd.io', resource: 'helmreleases', verb: 'list', namespace: tenants[1] },
    );
    const r = await check(kc, ['-n', tenants[0], '-n', tenants[1], '--fail-on', 'never']);
    expect(r.code, r.stderr).toBe(0);
    const h = (r.report as ReportJson).fluxHealth;
    expect(h.forbiddenKinds.map((k) => k.kind)).toEqual(['HelmRelease']);
    expect(h.scope.outOfScope).toContain('controllers');
  });

  it('the built action with `namespaces` and `wait`: the wait covers the same namespaces and converges', async () => {
    const run = await runAction({
      inputs: {
        kubeconfig: readFileSync(tenantKc, 'utf8'),
        namespaces: `${tenants[0]}\n${tenants[1]}`,
        wait: 'true',
        'expected-revision': SHA,
        'wait-timeout': '60s',
        'artifact-name': '',
      },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs['verdict']).toBe('healthy');
    expect(run.outputs['wait-outcome']).toBe('converged');
    expect(run.summary).toContain('**Scope** namespaces');
    // Only the tenant's two Kustomizations were waited for, not the outsider's broken one.
    expect(run.stdout).toMatch(/waiting up to \S+ for \S+: 4 objects/);
  });
});
