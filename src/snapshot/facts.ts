/**
 * The optional extra document of a snapshot: facts a plain `kubectl get -o yaml` dump cannot carry.
 * Absent facts are reported as unknown, never guessed.
 */
import type { Entitlement, KindState, Scope } from '../inventory/index.js';

export const FACTS_API_VERSION = 'flux-health.dev/v1';
export const FACTS_KIND = 'ClusterFacts';

export interface SnapshotKindFact {
  group: string;
  version: string;
  kind: string;
  state: KindState;
  error?: string;
}

export interface SnapshotFacts {
  apiVersion: typeof FACTS_API_VERSION;
  kind: typeof FACTS_KIND;
  /** When the snapshot was taken (RFC 3339). */
  collectedAt?: string;
  /** The Flux namespace the snapshot was taken for. */
  namespace?: string;
  serverVersion?: string;
  platform?: string;
  nodes?: number;
  entitlement?: Entitlement;
  /** The namespaces the snapshot was limited to, and what lay outside them; absent: every namespace. */
  scope?: Scope;
  /** Kinds that could not be listed when the snapshot was taken (forbidden, missing, error). */
  kinds?: SnapshotKindFact[];
  /** The flux-health version that wrote the snapshot. */
  generator?: string;
}
