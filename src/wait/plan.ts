/**
 * What the wait covers and in which order: the selected Kustomizations and HelmReleases, the
 * objects they depend on (`spec.dependsOn`, transitively), and the sources they consume
 * (`spec.sourceRef`; `spec.chartRef`; `spec.chart` → the HelmChart helm-controller makes → its
 * source), ordered so that every node comes after its source and its dependencies.
 *
 * Which nodes must reach the expected revision: the sources that carry the push, and everything
 * whose source chain leads to one of them. A source carries the push when
 * - it is named in `selection.sources`, or otherwise
 * - its artifact is at the expected revision, or it fetches the same thing as one that is (same
 *   kind, URL and ref; for HelmCharts the same chart of the same source), so that two
 *   GitRepositories following one branch are both waited for.
 * Until some source has fetched the expected revision every source might be the one, so all are
 * required. Nodes whose sources are unrelated to the push only need to be Ready: a push to one
 * repository must not wait for a HelmRelease of some chart repository to change.
 */
import type { ObjectRef } from '../inventory/index.js';
import { keyOf, type WaitObject } from './objects.js';
import { matchesRevision } from './revision.js';
import { selectorMatches, type Selection } from './selection.js';

export interface PlanNode {
  key: string;
  kind: string;
  namespace: string;
  name: string;
  /** Why it is waited for; `selected` wins over `dependency` over `source`. */
  role: 'selected' | 'dependency' | 'source';
  /** Absent when the object does not exist (yet). */
  object?: WaitObject;
  /** Key of the source this node consumes. */
  source?: string;
  /** Keys of `spec.dependsOn`. */
  dependsOn: string[];
  /** Key of the Kustomization or HelmRelease that applied this object. */
  parent?: string;
  /** Must be at the expected revision (else Ready is enough). */
  required: boolean;
}

export interface WaitPlan {
  expected: string;
  /** Sources and dependencies before the nodes that need them (as far as cycles allow). */
  nodes: PlanNode[];
  byKey: Map<string, PlanNode>;
  /** Each cycle as keys, first key repeated at the end. */
  cycles: string[][];
  /** Keys of the sources judged to carry the push. */
  pushed: string[];
  /** False while no source has fetched the expected revision (and none was named). */
  pushSeen: boolean;
}

const APPLIERS = new Set(['Kustomization', 'HelmRelease']);

function refKey(ref: ObjectRef, defaultKind: string, defaultNamespace: string): string {
  return keyOf({
    kind: ref.kind ?? defaultKind,
    namespace: ref.namespace ?? defaultNamespace,
    name: ref.name,
  });
}

/** The key of the source an object consumes, following Flux's defaults for omitted namespaces. */
export function sourceKeyOf(o: WaitObject): string | undefined {
  const spec = o.spec;
  if (o.kind === 'Kustomization' && spec.sourceRef)
    return refKey(spec.sourceRef, 'GitRepository', o.namespace);
  if (o.kind === 'HelmRelease') {
    if (spec.chartRef) return refKey(spec.chartRef, 'OCIRepository', o.namespace);
    if (o.wait.helmChart?.includes('/')) {
      const [ns, name] = o.wait.helmChart.split('/', 2) as [string, string];
      return keyOf({ kind: 'HelmChart', namespace: ns, name });
    }
    // helm-controller names the chart `<release namespace>-<release name>`, beside its source.
    if (spec.chart) {
      const ns = spec.chart.sourceRef?.namespace ?? o.namespace;
      return keyOf({ kind: 'HelmChart', namespace: ns, name: `${o.namespace}-${o.name}` });
    }
  }
  // A HelmChart's source is always in its own namespace.
  if (o.kind === 'HelmChart' && spec.sourceRef)
    return keyOf({
      kind: spec.sourceRef.kind ?? 'HelmRepository',
      namespace: o.namespace,
      name: spec.sourceRef.name,
    });
  return undefined;
}

export function dependencyKeysOf(o: WaitObject): string[] {
  return (o.spec.dependsOn ?? []).map((d) => refKey(d, o.kind, o.namespace));
}

function splitKey(key: string): { kind: string; namespace: string; name: string } {
  const [kind, namespace, ...rest] = key.split('/');
  return { kind: kind ?? '', namespace: namespace ?? '', name: rest.join('/') };
}

/** A URL reduced to host and path, so `git@github.com:org/repo.git` equals `https://github.com/org/repo`. */
export function normalizeUrl(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^[a-z+]+:\/\//, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d+\/)/, '$1/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

/** What a source fetches; two sources with one identity get the same pushes. */
function identityOf(o: WaitObject): string | undefined {
  if (o.kind === 'HelmChart') {
    const src = sourceKeyOf(o);
    return src && o.spec.chartName
      ? `HelmChart|${src}|${o.spec.chartName}|${o.spec.chartVersion ?? ''}`
      : undefined;
  }
  const url = o.spec.url ?? (o.spec.bucketName ? `${o.spec.endpoint ?? ''}/${o.spec.bucketName}` : undefined);
  if (url === undefined) return undefined;
  return `${o.kind}|${normalizeUrl(url)}|${JSON.stringify(o.spec.ref ?? {})}`;
}

const ROLE_RANK = { selected: 0, dependency: 1, source: 2 } as const;

export function planWait(objects: readonly WaitObject[], selection: Selection, expected: string): WaitPlan {
  const known = new Map<string, WaitObject>();
  for (const o of objects) known.set(keyOf(o), o);

  const byKey = new Map<string, PlanNode>();
  const queue: string[] = [];
  const add = (key: string, role: PlanNode['role']): void => {
    const existing = byKey.get(key);
    if (existing) {
      if (ROLE_RANK[role] < ROLE_RANK[existing.role]) existing.role = role;
      return;
    }
    const object = known.get(key);
    const node: PlanNode = { ...splitKey(key), key, role, dependsOn: [], required: false };
    if (object) {
      node.object = object;
      const source = sourceKeyOf(object);
      if (source !== undefined) node.source = source;
      node.dependsOn = dependencyKeysOf(object);
      if (object.wait.appliedBy !== undefined) node.parent = object.wait.appliedBy;
    }
    byKey.set(key, node);
    queue.push(key);
  };

  const roots: string[] = [];
  if (selection.names && selection.names.length > 0) {
    for (const s of selection.names) {
      const found = objects.filter((o) => selectorMatches(s, o)).map(keyOf);
      // A named object that does not exist yet is waited for: a parent Kustomization may create it.
      roots.push(
        ...(found.length > 0
          ? found
          : [keyOf({ kind: s.kind, namespace: s.namespace ?? '*', name: s.name })]),
      );
    }
  } else {
    const namespaces = new Set(selection.namespaces ?? []);
    for (const o of objects)
      if (APPLIERS.has(o.kind) && (namespaces.size === 0 || namespaces.has(o.namespace)))
        roots.push(keyOf(o));
  }
  for (const key of [...new Set(roots)].sort()) add(key, 'selected');
  while (queue.length > 0) {
    const node = byKey.get(queue.shift() as string) as PlanNode;
    for (const dep of node.dependsOn) add(dep, node.role === 'source' ? 'source' : 'dependency');
    if (node.source !== undefined) add(node.source, 'source');
    if (node.parent !== undefined) add(node.parent, 'dependency');
  }

  const { order, cycles } = topologicalOrder(byKey);
  const nodes = order.map((k) => byKey.get(k) as PlanNode);

  // Which sources carry the push.
  const sources = nodes.filter((n) => n.role === 'source' && n.object !== undefined);
  let pushed: PlanNode[];
  let pushSeen: boolean;
  if (selection.sources && selection.sources.length > 0) {
    const named = selection.sources;
    pushed = nodes.filter((n) => named.some((s) => selectorMatches(s, n)));
    pushSeen = true;
  } else {
    const at = sources.filter((n) => matchesRevision(n.object?.status.artifact?.revision, expected));
    const identities = new Set(
      at.map((n) => identityOf(n.object as WaitObject)).filter((i): i is string => i !== undefined),
    );
    pushed = sources.filter((n) => {
      const identity = identityOf(n.object as WaitObject);
      return at.includes(n) || (identity !== undefined && identities.has(identity));
    });
    pushSeen = at.length > 0;
    if (!pushSeen) pushed = sources;
  }
  const pushedKeys = new Set(pushed.map((n) => n.key));
  const required = (node: PlanNode, seen: Set<string>): boolean => {
    if (pushedKeys.has(node.key)) return true;
    if (node.source === undefined || seen.has(node.key)) return false;
    seen.add(node.key);
    const src = byKey.get(node.source);
    return src !== undefined && required(src, seen);
  };
  for (const n of nodes) n.required = required(n, new Set());
  return { expected, nodes, byKey, cycles, pushed: [...pushedKeys], pushSeen };
}

/** Depth-first post-order over source, dependsOn and parent edges; reports every cycle it closes. */
function topologicalOrder(byKey: Map<string, PlanNode>): { order: string[]; cycles: string[][] } {
  const order: string[] = [];
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string): void => {
    const s = state.get(key);
    if (s === 'done') return;
    if (s === 'visiting') {
      cycles.push([...stack.slice(stack.indexOf(key)), key]);
      return;
    }
    const node = byKey.get(key);
    if (!node) return;
    state.set(key, 'visiting');
    stack.push(key);
    if (node.source !== undefined) visit(node.source);
    for (const d of node.dependsOn) visit(d);
    if (node.parent !== undefined) visit(node.parent);
    stack.pop();
    state.set(key, 'done');
    order.push(key);
  };
  for (const key of [...byKey.keys()].sort()) visit(key);
  return { order, cycles };
}

/** Keys of the nodes on some cycle. */
export function cycleMembers(plan: WaitPlan): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of plan.cycles) for (const k of c) if (!out.has(k)) out.set(k, c);
  return out;
}
