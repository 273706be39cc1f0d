import type { ExistingFluxReport } from '../inventory/index.js';
import type { FluxReport } from './types.js';

export interface ReportDifference {
  /** A readable path: list entries are named by their key, e.g. `spec.components[source-controller].ready`. */
  path: string;
  computed: unknown;
  existing: unknown;
}

/** List fields whose entries are identified by a key rather than by position. */
const LIST_KEYS: Record<string, (entry: Record<string, unknown>) => string> = {
  'spec.components': (e) => String(e.name),
  'spec.reconcilers': (e) => `${String(e.apiVersion)} ${String(e.kind)}`,
};

function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    const keyOf = LIST_KEYS[path];
    value.forEach((entry: unknown, i) => {
      const isRecord = typeof entry === 'object' && entry !== null && !Array.isArray(entry);
      const key = keyOf && isRecord ? keyOf(entry as Record<string, unknown>) : String(i);
      flatten(entry, `${path}[${key}]`, out);
    });
    if (value.length === 0) out.set(path, []);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flatten(v, `${path}.${k}`, out);
  } else if (value !== undefined) {
    out.set(path, value);
  }
}

/**
 * Where an existing FluxReport's spec differs from the computed one, leaf by leaf. `spec.operator`
 * is left out: it names the tool that wrote each report, so it always differs.
 */
export function diffReports(computed: FluxReport, existing: ExistingFluxReport): ReportDifference[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(computed.spec, 'spec', a);
  flatten(existing.spec, 'spec', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((p) => !p.startsWith('spec.operator'));
  const diffs: ReportDifference[] = [];
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    diffs.push({ path, computed: x ?? null, existing: y ?? null });
  }
  return diffs;
}
