/**
 * Loads one scenario of the corpus: `case.yaml` (what it exercises and which shared fragments it
 * includes), `inventory.yaml` (a snapshot), and the expected outputs beside them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Inventory } from '../../src/inventory/index.js';
import { readSnapshotText } from '../../src/snapshot/read.js';

export const SCENARIOS_DIR = dirname(fileURLToPath(import.meta.url));
const COMMON = join(SCENARIOS_DIR, '_common');

/** Fixed identity and timing so the expected files are stable. */
export const TOOL = { name: 'flux-health', version: '0.1.0-test', platform: 'linux/amd64' };
export const DURATION_MS = 272;

export interface CaseFile {
  description: string;
  /** Sections of `/work/shared/reference/fluxreport.md` this case pins, e.g. `2.5 suspended wins`. */
  rules: string[];
  /** CRD fragments from `_common/crds/<Kind>.yaml`. */
  crds?: string[];
  /** Other fragments from `_common/`. */
  include?: string[];
  namespace?: string;
}

export interface Scenario {
  name: string;
  dir: string;
  meta: CaseFile;
  inventory: Inventory;
  now: Date;
}

export function scenarioNames(): string[] {
  return readdirSync(SCENARIOS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => d.name)
    .sort();
}

export function loadScenario(name: string): Scenario {
  const dir = join(SCENARIOS_DIR, name);
  const meta = parse(readFileSync(join(dir, 'case.yaml'), 'utf8')) as CaseFile;
  const parts = [
    ...(meta.crds ?? []).map((k) => readFileSync(join(COMMON, 'crds', `${k}.yaml`), 'utf8')),
    ...(meta.include ?? []).map((f) => readFileSync(join(COMMON, f), 'utf8')),
    readFileSync(join(dir, 'inventory.yaml'), 'utf8'),
  ];
  const file = `test/scenarios/${name}/inventory.yaml`;
  const inventory = readSnapshotText(parts.join('\n---\n'), {
    file,
    now: new Date('2026-11-21T12:00:00Z'),
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
  });
  return { name, dir, meta, inventory, now: new Date(inventory.collectedAt) };
}

export function readOptional(dir: string, file: string): string | undefined {
  const p = join(dir, file);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}
