// What the control plane installs after it is ready: the generated Flux and flux-operator CRDs
// (as `flux install` would) and the RBAC of the limited identity tests use for 403 paths.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  AuthorizationV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1CustomResourceDefinition,
  type V1PolicyRule,
  type V1ResourceAttributes,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { kubeRequest } from './http.js';

export const LIMITED_ROLE = 'flux-health-limited';
export const LIMITED_GROUP = 'flux-health:limited';
/** The one Flux resource the limited identity may not read: tests use it for "forbidden" paths. */
export const FORBIDDEN_TO_LIMITED = { group: 'helm.toolkit.fluxcd.io', resource: 'helmreleases' } as const;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined) return result;
    } catch (err: unknown) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(200);
  }
}

export async function readCrds(dir: string): Promise<V1CustomResourceDefinition[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  const crds: V1CustomResourceDefinition[] = [];
  for (const file of files) {
    const crd = parse(await readFile(join(dir, file), 'utf8')) as V1CustomResourceDefinition;
    if (crd.kind !== 'CustomResourceDefinition') throw new Error(`${join(dir, file)} is not a CRD`);
    crds.push(crd);
  }
  return crds;
}

/** Creates the CRDs, then waits until each is Established and listed by discovery for every served version. */
export async function installCrds(
  kc: KubeConfig,
  crds: readonly V1CustomResourceDefinition[],
): Promise<void> {
  // Posted as raw JSON: the typed client re-serialises through its model and drops fields it
  // maps under other names (x-kubernetes-preserve-unknown-fields), which the server then rejects.
  await Promise.all(
    crds.map(async (crd) => {
      const res = await kubeRequest(kc, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
        method: 'POST',
        body: crd,
      });
      if (res.status !== 201) {
        throw new Error(
          `creating CRD ${crd.metadata?.name ?? '?'}: HTTP ${res.status}: ${res.body.slice(0, 1000)}`,
        );
      }
    }),
  );
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const names = new Set(crds.map((c) => c.metadata?.name));
  await pollUntil('CRDs to be Established', 60_000, async () => {
    const list = await api.listCustomResourceDefinition();
    const established = list.items.filter(
      (c) =>
        names.has(c.metadata?.name) &&
        c.status?.conditions?.some((cond) => cond.type === 'Established' && cond.status === 'True'),
    );
    return established.length === names.size ? true : undefined;
  });
  // Established is set before the discovery document is refreshed; clients that discover kinds
  // (as the Action does) need the latter.
  const wanted = new Map<string, Set<string>>();
  for (const crd of crds) {
    for (const v of crd.spec.versions.filter((ver) => ver.served)) {
      const gv = `${crd.spec.group}/${v.name}`;
      const plurals = wanted.get(gv) ?? new Set<string>();
      plurals.add(crd.spec.names.plural);
      wanted.set(gv, plurals);
    }
  }
  await Promise.all(
    [...wanted].map(([gv, plurals]) =>
      pollUntil(`discovery of ${gv}`, 30_000, async () => {
        const res = await kubeRequest(kc, `/apis/${gv}`);
        if (res.status !== 200) return undefined;
        const doc = JSON.parse(res.body) as { resources?: { name: string }[] };
        const listed = new Set((doc.resources ?? []).map((r) => r.name));
        return [...plurals].every((p) => listed.has(p)) ? true : undefined;
      }),
    ),
  );
}

const READ = ['get', 'list', 'watch'];

/** The limited identity's rules: read every installed Flux/operator kind except HelmRelease, plus the cluster facts. */
export function limitedRules(crds: readonly V1CustomResourceDefinition[]): V1PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const crd of crds) {
    const { group } = crd.spec;
    const plural = crd.spec.names.plural;
    if (group === FORBIDDEN_TO_LIMITED.group && plural === FORBIDDEN_TO_LIMITED.resource) continue;
    byGroup.set(group, [...(byGroup.get(group) ?? []), plural]);
  }
  return [
    ...[...byGroup]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, resources]) => ({
        apiGroups: [group],
        resources: resources.sort(),
        verbs: READ,
      })),
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
    { apiGroups: [''], resources: ['nodes', 'namespaces', 'events'], verbs: READ },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: READ },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
    { nonResourceURLs: ['/version'], verbs: ['get'] },
  ];
}

/**
 * Installs the ClusterRole and binding for the limited group, then waits (as the limited
 * identity) until the authorizer's informer has picked them up: every rule allowed, HelmRelease
 * still denied.
 */
export async function installLimitedRbac(
  adminKc: KubeConfig,
  limitedKc: KubeConfig,
  crds: readonly V1CustomResourceDefinition[],
): Promise<void> {
  const rules = limitedRules(crds);
  const rbac = adminKc.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createClusterRole({
    body: {
      metadata: { name: LIMITED_ROLE, labels: { 'app.kubernetes.io/part-of': 'flux-health-tests' } },
      rules,
    },
  });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: LIMITED_ROLE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: LIMITED_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: LIMITED_GROUP }],
    },
  });

  const authz = limitedKc.makeApiClient(AuthorizationV1Api);
  const allowed = async (resourceAttributes: V1ResourceAttributes): Promise<boolean> => {
    const review = await authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes } } });
    return review.status?.allowed === true;
  };
  const expectAllowed: V1ResourceAttributes[] = rules.flatMap((rule) =>
    (rule.resources ?? []).flatMap((resource) =>
      (rule.apiGroups ?? []).map((group) => ({ group, resource, verb: 'list' })),
    ),
  );
  await pollUntil(`RBAC for ${LIMITED_GROUP} to take effect`, 60_000, async () => {
    const results = await Promise.all(expectAllowed.map(allowed));
    return results.every(Boolean) ? true : undefined;
  });
  if (await allowed({ ...FORBIDDEN_TO_LIMITED, verb: 'list' })) {
    throw new Error(
      `${LIMITED_GROUP} can list ${FORBIDDEN_TO_LIMITED.resource}; the limited identity must not`,
    );
  }
}
