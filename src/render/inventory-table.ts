/**
 * The plain-text view of an Inventory for a terminal: the cluster facts, one row per kind, and the
 * objects that are not ready. Pure: the same Inventory always prints the same text, which is how
 * tests show that a live check and a check of its snapshot agree.
 */
import type { FluxObject, Inventory, KindResult } from '../inventory.js';
import { fluxInstalled } from '../inventory.js';

/** Control and bidi characters from the cluster must not move a terminal's cursor or reorder text. */
export function terminalSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export type ObjectState =
  'ready' | 'failing' | 'suspended' | 'progressing' | 'dependency-not-ready' | 'unknown';

/** A per-object state in the operator's words (suspended wins; DependencyNotReady is not failing). */
export function objectState(o: FluxObject): ObjectState {
  if (o.spec.suspend || o.reconcileDisabled.inLabels || o.reconcileDisabled.inAnnotations) return 'suspended';
  const ready = o.conditions.find((c) => c.type === 'Ready');
  if (!ready) return 'unknown';
  if (ready.status === 'True') return 'ready';
  if (ready.status === 'False')
    return ready.reason === 'DependencyNotReady' ? 'dependency-not-ready' : 'failing';
  return 'progressing';
}

function kindRow(k: KindResult, objects: FluxObject[]): string[] {
  const counts = { ready: 0, failing: 0, suspended: 0, other: 0 };
  for (const o of objects) {
    const s = objectState(o);
    if (s === 'ready') counts.ready++;
    else if (s === 'failing') counts.failing++;
    else if (s === 'suspended') counts.suspended++;
    else counts.other++;
  }
  const state = k.state === 'listed' ? '' : k.state;
  return [
    k.kind,
    `${k.group}/${k.version}`,
    state === '' ? String(k.count) : state,
    state === '' ? String(counts.ready) : '-',
    state === '' ? String(counts.failing) : '-',
    state === '' ? String(counts.suspended) : '-',
    state === '' ? String(counts.other) : '-',
  ];
}

function since(o: FluxObject): string {
  return o.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime ?? o.creationTimestamp ?? '';
}

export function renderInventoryTable(inv: Inventory): string {
  const out: string[] = [];
  const source =
    inv.source.type === 'cluster' ? `cluster ${inv.source.server}` : `snapshot ${inv.source.file}`;
  out.push(`Source:      ${source}`);
  out.push(`Collected:   ${inv.collectedAt}`);
  out.push(
    `Kubernetes:  ${inv.cluster.serverVersion ?? 'unknown'} (${inv.cluster.platform ?? 'platform unknown'})`,
  );
  out.push(`Nodes:       ${inv.cluster.nodes ?? 'unknown'}`);
  if (!fluxInstalled(inv)) {
    out.push(
      '',
      'Flux is not installed: no CustomResourceDefinition is labelled app.kubernetes.io/part-of=flux.',
    );
  } else {
    const version = inv.crds.find((c) => c.labels['app.kubernetes.io/version'])?.labels[
      'app.kubernetes.io/version'
    ];
    out.push(`Flux:        ${version ?? 'version unknown'} in namespace ${inv.namespace}`);
  }
  if (inv.deployments.length > 0) {
    out.push('', 'Controllers:');
    out.push(
      table(
        ['NAME', 'READY', 'IMAGE'],
        inv.deployments.map((d) => [
          d.name,
          `${d.status.readyReplicas ?? 0}/${d.replicas ?? 1}`,
          terminalSafe(d.image),
        ]),
      ),
    );
  }
  if (inv.kinds.length > 0) {
    const byKind = new Map<string, FluxObject[]>();
    for (const o of inv.objects) {
      const list = byKind.get(o.kind) ?? [];
      list.push(o);
      byKind.set(o.kind, list);
    }
    out.push('', 'Kinds:');
    out.push(
      table(
        ['KIND', 'API VERSION', 'OBJECTS', 'READY', 'FAILING', 'SUSPENDED', 'OTHER'],
        inv.kinds.map((k) => kindRow(k, byKind.get(k.kind) ?? [])),
      ),
    );
    out.push(`Total: ${inv.objects.length} objects`);
  }
  const notReady = inv.objects.filter((o) => {
    const s = objectState(o);
    return s === 'failing' || s === 'dependency-not-ready' || s === 'progressing';
  });
  if (notReady.length > 0) {
    out.push('', 'Not ready:');
    out.push(
      table(
        ['KIND', 'NAMESPACE/NAME', 'STATE', 'REASON', 'SINCE', 'MESSAGE'],
        notReady.map((o) => {
          const ready = o.conditions.find((c) => c.type === 'Ready');
          const message = terminalSafe(ready?.message ?? '');
          return [
            o.kind,
            terminalSafe(`${o.namespace}/${o.name}`),
            objectState(o),
            terminalSafe(ready?.reason ?? ''),
            since(o),
            message.length > 100 ? `${message.slice(0, 99)}…` : message,
          ];
        }),
      ),
    );
  }
  if (inv.warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const w of inv.warnings) out.push(`  - ${terminalSafe(w)}`);
  }
  return out.join('\n') + '\n';
}
