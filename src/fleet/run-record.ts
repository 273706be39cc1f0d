/**
 * `run.json`: what the fleet view needs from a run that report.json and alerts.json cannot say.
 * The verdict depends on the gate and the wait, which the report does not record; the cluster's
 * display name and the commit the run was about are the pipeline's, not the cluster's; and the
 * report shows the revision each object last *attempted*, where the fleet asks which one each
 * Kustomization *applied*. Written with the other output files, on every run, an error included,
 * so that a cluster that could not be checked still shows up in the fleet.
 */
import { jsonText } from '../json-text.js';
import { resourceStatus, type ObjectState } from '../report/resource-status.js';
import { rfc3339 } from '../report/time.js';
import type { RunResult } from '../run.js';
import type { VerdictLevel } from '../verdict.js';
import { TOOL_NAME, VERSION } from '../version.js';

export const RUN_RECORD_FILE = 'run.json';
export const RUN_RECORD_KIND = 'FluxHealthRun';

export interface KustomizationRecord {
  namespace: string;
  name: string;
  /** `status.lastAppliedRevision`; empty when it never applied anything. */
  applied: string;
  state: ObjectState;
}

export interface RunRecord {
  kind: typeof RUN_RECORD_KIND;
  version: 1;
  tool: { name: string; version: string };
  /** The display name the pipeline gave the cluster (`cluster-name`). */
  cluster?: string;
  /** The commit the run was about (the expected revision), when known. */
  commit?: string;
  /** When the cluster was judged (RFC 3339); absent when the run stopped before that. */
  checkedAt?: string;
  verdict: {
    level: VerdictLevel;
    ready: boolean;
    exitCode: number;
    gateFailed: boolean;
    gate: string;
    headline: string;
    reasons: string[];
  };
  wait?: { outcome: string; expected: string };
  kustomizations: KustomizationRecord[];
}

export function runRecordOf(result: RunResult): RunRecord {
  const { verdict } = result;
  const display = result.display ?? {};
  const objects = result.acquired?.inventory.objects ?? [];
  return {
    kind: RUN_RECORD_KIND,
    version: 1,
    tool: { name: TOOL_NAME, version: VERSION },
    ...(display.clusterName ? { cluster: display.clusterName } : {}),
    ...(display.commit ? { commit: display.commit } : {}),
    ...(result.analysis ? { checkedAt: rfc3339(result.analysis.now) } : {}),
    verdict: {
      level: verdict.level,
      ready: verdict.ready,
      exitCode: verdict.exitCode,
      gateFailed: verdict.gate.failed,
      gate: verdict.gate.reason,
      headline: verdict.headline,
      reasons: verdict.reasons,
    },
    ...(result.wait ? { wait: { outcome: result.wait.outcome, expected: result.wait.expected } } : {}),
    kustomizations: objects
      .filter((o) => o.kind === 'Kustomization')
      .map((o) => ({
        namespace: o.namespace,
        name: o.name,
        applied: o.status.lastAppliedRevision ?? '',
        state: resourceStatus(o).state,
      })),
  };
}

export function renderRunRecord(result: RunResult): string {
  return jsonText(runRecordOf(result));
}

const LEVELS: readonly string[] = ['healthy', 'degraded', 'failing', 'error'];
const STATES: readonly string[] = ['Ready', 'Failed', 'Progressing', 'Suspended', 'Unknown'];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a run.json back; throws an Error with one line saying what is wrong (no file name). */
export function parseRunRecord(text: string): RunRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc) || doc['kind'] !== RUN_RECORD_KIND) throw new Error(`kind is not ${RUN_RECORD_KIND}`);
  if (doc['version'] !== 1) throw new Error(`version ${String(doc['version']).slice(0, 20)} is not 1`);
  const v = doc['verdict'];
  if (
    !isObject(v) ||
    !LEVELS.includes(v['level'] as string) ||
    typeof v['ready'] !== 'boolean' ||
    typeof v['exitCode'] !== 'number' ||
    typeof v['gateFailed'] !== 'boolean' ||
    typeof v['gate'] !== 'string' ||
    typeof v['headline'] !== 'string' ||
    !Array.isArray(v['reasons']) ||
    !v['reasons'].every((r) => typeof r === 'string')
  )
    throw new Error('verdict lacks level, ready, exitCode, gateFailed, gate, headline or reasons');
  const ks = doc['kustomizations'];
  if (!Array.isArray(ks)) throw new Error('no "kustomizations" list');
  ks.forEach((k: unknown, i) => {
    if (
      !isObject(k) ||
      typeof k['namespace'] !== 'string' ||
      typeof k['name'] !== 'string' ||
      typeof k['applied'] !== 'string' ||
      !STATES.includes(k['state'] as string)
    )
      throw new Error(`kustomization ${i + 1} lacks namespace, name, applied or state`);
  });
  for (const key of ['cluster', 'commit', 'checkedAt'])
    if (doc[key] !== undefined && typeof doc[key] !== 'string') throw new Error(`${key} is not a string`);
  const wait = doc['wait'];
  if (wait !== undefined && (!isObject(wait) || typeof wait['outcome'] !== 'string'))
    throw new Error('wait lacks an outcome');
  return doc as unknown as RunRecord;
}
