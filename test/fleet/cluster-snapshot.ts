/**
 * Small snapshots of made-up clusters for the fleet tests: a Flux version, the revision each
 * Kustomization in flux-system applied, and which of them are failing. Real `check` runs on these
 * write the run folders the fleet reads, so the tests exercise what a pipeline would produce.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterSpec {
  fluxVersion: string;
  /** Kustomization name (namespace flux-system) → the revision it applied. */
  revisions: Record<string, string>;
  /** Kustomizations whose Ready condition is False (for an hour, so the built-in alerts fire). */
  failing?: string[];
}

export const COLLECTED_AT = '2026-11-21T12:00:00Z';
const AN_HOUR_AGO = '2026-11-21T11:00:00Z';

export const sha = (c: string): string => c.repeat(40).slice(0, 40);
export const rev = (c: string): string => `main@sha1:${sha(c)}`;

function crd(plural: string, group: string, kind: string, version: string): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
  labels: {app.kubernetes.io/part-of: flux, app.kubernetes.io/version: ${version}}
spec:
  group: ${group}
  names: {kind: ${kind}, plural: ${plural}}
  versions: [{name: v1, served: true, storage: true}]
status: {storedVersions: [v1]}`;
}

function ready(ok: boolean, reason: string, message: string): string {
  return `  conditions:
  - type: Ready
    status: "${ok ? 'True' : 'False'}"
    reason: ${ok ? reason : 'HealthCheckFailed'}
    message: "${ok ? message : 'health check failed after 5m0s'}"
    lastTransitionTime: "${AN_HOUR_AGO}"`;
}

function deployment(name: string, image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: flux-system
  generation: 1
  labels: {app.kubernetes.io/part-of: flux}
spec:
  replicas: 1
  template: {spec: {containers: [{name: manager, image: ${image}}]}}
status:
  observedGeneration: 1
  replicas: 1
  updatedReplicas: 1
  readyReplicas: 1
  availableReplicas: 1
  conditions:
  - {type: Available, status: "True", reason: MinimumReplicasAvailable, message: "Deployment has minimum availability.", lastTransitionTime: "${AN_HOUR_AGO}"}
  - {type: Progressing, status: "True", reason: NewReplicaSetAvailable, message: "ReplicaSet has successfully progressed.", lastTransitionTime: "${AN_HOUR_AGO}"}`;
}

export function clusterSnapshot(spec: ClusterSpec): string {
  const source = spec.revisions['flux-system'] ?? rev('0');
  const docs = [
    crd('gitrepositories', 'source.toolkit.fluxcd.io', 'GitRepository', spec.fluxVersion),
    crd('kustomizations', 'kustomize.toolkit.fluxcd.io', 'Kustomization', spec.fluxVersion),
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system, uid: 00000000-0000-4000-8000-000000000000, creationTimestamp: "2026-11-01T00:00:00Z", generation: 1}
spec: {interval: 1m, url: "https://github.com/acme/fleet-infra.git", ref: {branch: main}}
status:
  observedGeneration: 1
  artifact: {revision: "${source}", digest: "sha256:${'d'.repeat(64)}", path: p, url: u, lastUpdateTime: "${AN_HOUR_AGO}"}
${ready(true, 'Succeeded', `stored artifact for revision '${source}'`)}`,
    ...Object.entries(spec.revisions).map(
      ([name, applied], i) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: flux-system, uid: 00000000-0000-4000-8000-00000000000${i + 1}, creationTimestamp: "2026-11-01T00:00:00Z", generation: 1}
spec: {interval: 10m, path: ./${name}, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
status:
  observedGeneration: 1
  lastAppliedRevision: "${applied}"
  lastAttemptedRevision: "${applied}"
${ready(!(spec.failing ?? []).includes(name), 'ReconciliationSucceeded', `Applied revision: ${applied}`)}`,
    ),
    deployment('source-controller', 'ghcr.io/fluxcd/source-controller:v1.7.4'),
    deployment('kustomize-controller', 'ghcr.io/fluxcd/kustomize-controller:v1.7.3'),
    'apiVersion: v1\nkind: Node\nmetadata: {name: node-a}',
    `apiVersion: flux-health.dev/v1
kind: ClusterFacts
collectedAt: "${COLLECTED_AT}"
namespace: flux-system
serverVersion: v1.33.5
platform: linux/amd64`,
  ];
  return docs.join('\n---\n') + '\n';
}

/** Writes the snapshot to `dir/<name>.yaml` and returns its path. */
export function writeClusterSnapshot(dir: string, name: string, spec: ClusterSpec): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, clusterSnapshot(spec));
  return file;
}
