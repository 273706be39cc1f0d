// Builders of Flux objects as controllers leave them, for the wait mode's pure tests.
import type { KubeObject } from '../../src/cluster/kube-object.js';
import { toWaitObject, type WaitObject } from '../../src/wait/objects.js';

export const SHA_A = 'aaaaaaa0000000000000000000000000000000a1';
export const SHA_B = 'bbbbbbb0000000000000000000000000000000b2';
export const rev = (sha: string, branch = 'main'): string => `${branch}@sha1:${sha}`;

export interface StatusOptions {
  ready?: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  generation?: number;
  observedGeneration?: number;
  suspend?: boolean;
  requestedAt?: string;
  lastHandledReconcileAt?: string;
}

function readyCondition(o: StatusOptions): Record<string, unknown>[] {
  if (o.ready === undefined) return [];
  return [
    {
      type: 'Ready',
      status: o.ready,
      reason: o.reason ?? (o.ready === 'True' ? 'ReconciliationSucceeded' : 'Progressing'),
      message: o.message ?? '',
      observedGeneration: o.observedGeneration ?? o.generation ?? 1,
    },
  ];
}

function build(
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  o: StatusOptions,
): WaitObject {
  const raw: KubeObject = {
    apiVersion,
    kind,
    metadata: {
      namespace,
      name,
      uid: `${kind}-${namespace}-${name}`,
      generation: o.generation ?? 1,
      ...(o.requestedAt ? { annotations: { 'reconcile.fluxcd.io/requestedAt': o.requestedAt } } : {}),
    },
    spec: { ...spec, ...(o.suspend ? { suspend: true } : {}) },
    status: {
      observedGeneration: o.observedGeneration ?? o.generation ?? 1,
      conditions: readyCondition(o),
      ...(o.lastHandledReconcileAt ? { lastHandledReconcileAt: o.lastHandledReconcileAt } : {}),
      ...status,
    },
  };
  return toWaitObject(raw);
}

export function gitRepository(
  namespace: string,
  name: string,
  revision: string | undefined,
  o: StatusOptions & { url?: string; branch?: string } = {},
): WaitObject {
  return build(
    'source.toolkit.fluxcd.io/v1',
    'GitRepository',
    namespace,
    name,
    { url: o.url ?? `https://github.com/example/${name}`, ref: { branch: o.branch ?? 'main' } },
    revision ? { artifact: { revision } } : {},
    { ready: 'True', ...o },
  );
}

export function ociRepository(
  namespace: string,
  name: string,
  revision: string,
  o: StatusOptions = {},
): WaitObject {
  return build(
    'source.toolkit.fluxcd.io/v1',
    'OCIRepository',
    namespace,
    name,
    { url: `oci://ghcr.io/example/${name}`, ref: { tag: 'latest' } },
    { artifact: { revision } },
    { ready: 'True', ...o },
  );
}

export function helmRepository(
  namespace: string,
  name: string,
  revision: string,
  o: StatusOptions = {},
): WaitObject {
  return build(
    'source.toolkit.fluxcd.io/v1',
    'HelmRepository',
    namespace,
    name,
    { url: `https://charts.example.com/${name}` },
    { artifact: { revision } },
    { ready: 'True', ...o },
  );
}

export function helmChart(
  namespace: string,
  name: string,
  source: { kind: string; name: string },
  revision: string,
  o: StatusOptions & { observedSourceArtifactRevision?: string; chart?: string } = {},
): WaitObject {
  return build(
    'source.toolkit.fluxcd.io/v1',
    'HelmChart',
    namespace,
    name,
    { chart: o.chart ?? 'podinfo', sourceRef: source, version: '*' },
    {
      artifact: { revision },
      ...(o.observedSourceArtifactRevision
        ? { observedSourceArtifactRevision: o.observedSourceArtifactRevision }
        : {}),
    },
    { ready: 'True', ...o },
  );
}

export function kustomization(
  namespace: string,
  name: string,
  o: StatusOptions & {
    source?: { kind?: string; name: string; namespace?: string };
    dependsOn?: { name: string; namespace?: string }[];
    applied?: string;
    attempted?: string;
  } = {},
): WaitObject {
  return build(
    'kustomize.toolkit.fluxcd.io/v1',
    'Kustomization',
    namespace,
    name,
    {
      sourceRef: { kind: 'GitRepository', ...(o.source ?? { name: 'repo' }) },
      path: `./${name}`,
      ...(o.dependsOn ? { dependsOn: o.dependsOn } : {}),
    },
    {
      ...(o.applied ? { lastAppliedRevision: o.applied } : {}),
      ...((o.attempted ?? o.applied) ? { lastAttemptedRevision: o.attempted ?? o.applied } : {}),
    },
    { ready: 'True', ...o },
  );
}

export function helmRelease(
  namespace: string,
  name: string,
  o: StatusOptions & {
    chartRef?: { kind: string; name: string };
    chart?: { chart: string; sourceRef: { kind: string; name: string; namespace?: string } };
    attempted?: string;
    attemptedDigest?: string;
    dependsOn?: { name: string; namespace?: string }[];
  } = {},
): WaitObject {
  return build(
    'helm.toolkit.fluxcd.io/v2',
    'HelmRelease',
    namespace,
    name,
    {
      ...(o.chartRef ? { chartRef: o.chartRef } : {}),
      ...(o.chart ? { chart: { spec: o.chart } } : {}),
      ...(o.dependsOn ? { dependsOn: o.dependsOn } : {}),
    },
    {
      ...(o.attempted ? { lastAttemptedRevision: o.attempted } : {}),
      ...(o.attemptedDigest ? { lastAttemptedRevisionDigest: o.attemptedDigest } : {}),
    },
    { ready: 'True', ...o },
  );
}
