/**
 * A check limited to some namespaces (a Flux tenant's identity, bound by namespaced Roles only):
 * what it reads instead of the cluster-scoped CustomResourceDefinitions, and how it tells "outside
 * the scope" from "forbidden".
 */
import { OPERATOR_GROUP, PART_OF_LABEL, PART_OF_VALUE } from '../inventory/index.js';
import { ApiStatusError, type KubeClient } from './kube-client.js';
import type { KubeObject } from './kube-object.js';

/** The Flux controllers' API groups: `source.toolkit.fluxcd.io`, `kustomize.toolkit.fluxcd.io`, … */
const TOOLKIT_SUFFIX = '.toolkit.fluxcd.io';

/** Marks a CRD record made from API discovery, so a snapshot written from it says where it came from. */
export const DISCOVERED_ANNOTATION = 'flux-health.dev/discovered-from';

interface ApiGroupList {
  groups?: {
    name?: string;
    versions?: { version?: string }[];
  }[];
}

interface ApiResource {
  name?: string;
  kind?: string;
  namespaced?: boolean;
}

interface ApiResourceList {
  resources?: ApiResource[];
}

/**
 * The Flux kinds as API discovery shows them, shaped as the CRDs they come from. Discovery is open to
 * every authenticated identity, where reading CRDs needs a ClusterRole a tenant does not have. It
 * cannot show labels or stored versions: each kind is taken at the first version of its group's
 * preference order that serves it (the version the Flux CRDs store: v1, or v1beta3 for a
 * notification Alert), and the controllers' groups stand for the `part-of=flux` label.
 */
export async function discoverFluxCrds(client: KubeClient): Promise<KubeObject[]> {
  const list = await client.get<ApiGroupList>('/apis');
  const groups = (list.groups ?? []).filter(
    (g) => g.name !== undefined && (g.name.endsWith(TOOLKIT_SUFFIX) || g.name === OPERATOR_GROUP),
  );
  // Every served version of every Flux group at once, each group's versions in preference order.
  const docs = await Promise.all(
    groups.map((g) =>
      Promise.all(
        (g.versions ?? [])
          .flatMap((v) => (v.version ? [v.version] : []))
          .map(async (version) => ({
            version,
            resources: await resourcesOf(client, `${g.name}/${version}`),
          })),
      ),
    ),
  );
  const out: KubeObject[] = [];
  groups.forEach((g, i) => {
    const kinds = new Map<string, { plural: string; versions: string[] }>();
    for (const { version, resources } of docs[i] ?? []) {
      for (const r of resources) {
        if (!r.name || !r.kind || r.name.includes('/') || r.namespaced === false) continue;
        const k = kinds.get(r.kind) ?? { plural: r.name, versions: [] };
        k.versions.push(version);
        kinds.set(r.kind, k);
      }
    }
    for (const [kind, k] of kinds) out.push(crdOf(g.name as string, kind, k.plural, k.versions));
  });
  return out;
}

/** The resources a group version serves; none when it went away since `/apis` listed it. */
async function resourcesOf(client: KubeClient, groupVersion: string): Promise<ApiResource[]> {
  try {
    return (await client.get<ApiResourceList>(`/apis/${groupVersion}`)).resources ?? [];
  } catch (err) {
    if (err instanceof ApiStatusError && err.status === 404) return [];
    throw err;
  }
}

function crdOf(group: string, kind: string, plural: string, served: string[]): KubeObject {
  const stored = served[0] as string;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.${group}`,
      // The operator's CRDs carry no part-of label, so theirs are not made up either.
      ...(group === OPERATOR_GROUP ? {} : { labels: { [PART_OF_LABEL]: PART_OF_VALUE } }),
      annotations: { [DISCOVERED_ANNOTATION]: 'api-discovery' },
    },
    spec: {
      group,
      names: { kind, plural },
      scope: 'Namespaced',
      versions: served.map((name) => ({ name, served: true, storage: name === stored })),
    },
    status: { storedVersions: [stored] },
  };
}

/**
 * Whether a refused read is outside the scope rather than forbidden: the check is limited to some
 * namespaces, and the read was cluster-scoped (`namespace` undefined) or in another namespace.
 */
export function outsideScope(
  err: ApiStatusError | undefined,
  scope: readonly string[] | undefined,
  namespace?: string,
): boolean {
  return (
    err?.status === 403 && scope !== undefined && (namespace === undefined || !scope.includes(namespace))
  );
}
