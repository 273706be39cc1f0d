/**
 * Which objects the wait covers. By default every Kustomization and HelmRelease in every
 * namespace; namespaces narrow that down, and names (`kustomization/flux-system/apps`,
 * `hr/podinfo`) pick single objects. Names take precedence over namespaces when both are given.
 */
import { ConfigError } from '../errors.js';
import { WAIT_KINDS } from './objects.js';

export interface Selector {
  kind: string;
  /** Absent: the name in any namespace. */
  namespace?: string;
  name: string;
}

export interface Selection {
  /** Kustomizations and HelmReleases in these namespaces; empty or absent: all namespaces. */
  namespaces?: string[];
  /** Single objects; when present, only these (and what they need) are waited for. */
  names?: Selector[];
  /**
   * The sources that received the push. Absent: found from the expected revision itself (see
   * `plan.ts`).
   */
  sources?: Selector[];
}

const ALIASES: Record<string, string> = {
  ks: 'Kustomization',
  hr: 'HelmRelease',
  gitrepo: 'GitRepository',
  ocirepo: 'OCIRepository',
};

function kindNamed(text: string): string | undefined {
  const lower = text.toLowerCase();
  if (ALIASES[lower]) return ALIASES[lower];
  return WAIT_KINDS.find((k) => k.kind.toLowerCase() === lower || k.plural === lower)?.kind;
}

/** Parses `kind/namespace/name` or `kind/name`; the kind is case-insensitive (`ks`, `hr` too). */
export function parseSelector(text: string, allowed: 'applier' | 'source' = 'applier'): Selector {
  const parts = text.trim().split('/');
  const kinds = WAIT_KINDS.filter((k) => k.role === allowed).map((k) => k.kind.toLowerCase());
  const expectedForm = `expected kind/namespace/name or kind/name with kind one of ${kinds.join(', ')}`;
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new ConfigError(`"${text}" is not an object name: ${expectedForm}`);
  }
  const kind = kindNamed(parts[0] as string);
  if (!kind || !WAIT_KINDS.some((k) => k.kind === kind && k.role === allowed)) {
    throw new ConfigError(`"${text}" names an unknown kind "${parts[0]}": ${expectedForm}`);
  }
  return parts.length === 3
    ? { kind, namespace: parts[1] as string, name: parts[2] as string }
    : { kind, name: parts[1] as string };
}

/** Parses a list of names separated by commas, spaces or newlines (as action inputs come). */
export function parseSelectors(text: string, allowed: 'applier' | 'source' = 'applier'): Selector[] {
  return text
    .split(/[\s,]+/)
    .filter((t) => t !== '')
    .map((t) => parseSelector(t, allowed));
}

export function selectorMatches(s: Selector, o: { kind: string; namespace: string; name: string }): boolean {
  return s.kind === o.kind && s.name === o.name && (s.namespace === undefined || s.namespace === o.namespace);
}

export function formatSelector(s: Selector): string {
  return s.namespace === undefined ? `${s.kind}/${s.name}` : `${s.kind}/${s.namespace}/${s.name}`;
}
