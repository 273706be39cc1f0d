/**
 * Writes a snapshot file from a live collection: the objects as `kubectl get -o yaml` prints them
 * (without managedFields), CRDs without their schemas (nothing reads them, and they are most of
 * the bytes), and a ClusterFacts document for what a dump cannot carry. Never a Secret, and unless
 * asked otherwise only what an audit needs: see cluster/redact.ts.
 */
import type { RawCollection } from '../cluster/collect.js';
import { asObject, type KubeObject } from '../cluster/kube-object.js';
import { redactDeployment, redactFluxObject, redactObject } from '../cluster/redact.js';
import { FACTS_API_VERSION, FACTS_KIND, type SnapshotFacts } from './facts.js';
import type { Inventory } from '../inventory/index.js';

function withoutManagedFields(o: KubeObject): KubeObject {
  const meta = asObject(o.metadata);
  if (!meta || !('managedFields' in meta)) return o;
  const { managedFields: _dropped, ...rest } = meta;
  return { ...o, metadata: rest };
}

function crdWithoutSchema(o: KubeObject): KubeObject {
  const spec = asObject(o.spec);
  const versions = spec?.versions;
  if (!spec || !Array.isArray(versions)) return o;
  return {
    ...o,
    spec: {
      ...spec,
      versions: versions.map((v) => {
        const vo = asObject(v) ?? {};
        const { schema: _schema, ...rest } = vo;
        return rest;
      }),
    },
  };
}

function withKind(o: KubeObject, apiVersion: string, kind: string): KubeObject {
  return { apiVersion: o.apiVersion ?? apiVersion, kind: o.kind ?? kind, ...o };
}

export interface SnapshotOptions {
  /**
   * Keep whole objects (Helm values, substitutions, URLs with credentials). Only for a snapshot
   * that never leaves the machine; `flux-health snapshot --no-redact` warns when it is used.
   */
  unredacted?: boolean;
}

export function renderSnapshot(
  raw: RawCollection,
  inv: Inventory,
  generator: string,
  opts: SnapshotOptions = {},
): string {
  const keep = (f: (o: KubeObject) => KubeObject) => (o: KubeObject) => (opts.unredacted ? o : f(o));
  const facts: SnapshotFacts = {
    apiVersion: FACTS_API_VERSION,
    kind: FACTS_KIND,
    collectedAt: inv.collectedAt,
    namespace: inv.namespace,
    ...(raw.facts.serverVersion ? { serverVersion: raw.facts.serverVersion } : {}),
    ...(raw.facts.platform ? { platform: raw.facts.platform } : {}),
    ...(raw.facts.nodes !== undefined ? { nodes: raw.facts.nodes } : {}),
    ...(raw.entitlement ? { entitlement: raw.entitlement } : {}),
    ...(inv.scope ? { scope: inv.scope } : {}),
    generator,
  };
  const unlisted = inv.kinds.filter((k) => k.state !== 'listed');
  if (unlisted.length > 0) {
    facts.kinds = unlisted.map((k) => ({
      group: k.group,
      version: k.version,
      kind: k.kind,
      state: k.state,
      ...(k.error ? { error: k.error } : {}),
    }));
  }
  const docs: KubeObject[] = [
    facts as unknown as KubeObject,
    ...raw.crds.map((o) =>
      crdWithoutSchema(withKind(o, 'apiextensions.k8s.io/v1', 'CustomResourceDefinition')),
    ),
    ...raw.deployments.map((o) => keep(redactDeployment)(withKind(o, 'apps/v1', 'Deployment'))),
    // Nodes were listed as metadata only (PartialObjectMetadata); write them back as Nodes.
    ...raw.nodes.map((o): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: o.metadata ?? {} })),
    ...raw.objects.map(keep(redactFluxObject)),
    ...(raw.fluxReport ? [keep(redactFluxObject)(raw.fluxReport)] : []),
    ...raw.events.map((o) => keep(redactObject)(withKind(o, 'v1', 'Event'))),
  ]
    .filter((o) => o.kind !== 'Secret')
    .map(withoutManagedFields);
  const header = `# Flux Health snapshot of ${inv.source.type === 'cluster' ? inv.source.server : 'a snapshot'} at ${inv.collectedAt}\n# Read it with: flux-health check --snapshot FILE\n`;
  // JSON documents: valid YAML for kubectl and people, and read fast by check --snapshot.
  return header + docs.map((d) => `---\n${JSON.stringify(d, null, 2)}\n`).join('');
}
