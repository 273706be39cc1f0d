import { compareStrings } from '../go/strings.js';
import type { FluxCrd } from './inventory.js';

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export type CrdDiscovery = { gvks: Gvk[] } | { error: string };

/**
 * The kinds the operator reports on, one per labelled CRD, in the order the API server lists CRDs
 * (by name). The version is the *last* stored version, not the served or storage one: that is what
 * the operator lists, even when an upgrade left an older version last.
 */
export function discoverKinds(crds: FluxCrd[]): CrdDiscovery {
  if (crds.length === 0) return { error: 'no Flux CRDs found' };
  const sorted = [...crds].sort((a, b) => compareStrings(a.name, b.name));
  const gvks: Gvk[] = [];
  for (const crd of sorted) {
    const version = crd.storedVersions[crd.storedVersions.length - 1];
    if (version === undefined) return { error: `no stored versions found for CRD ${crd.name}` };
    gvks.push({ group: crd.group, version, kind: crd.kind });
  }
  return { gvks };
}

/** The operator's `gvkFor`: the first discovered kind with that name, whatever its group. */
export function gvkFor(kind: string, gvks: Gvk[]): Gvk | undefined {
  return gvks.find((g) => g.kind === kind);
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
