/**
 * The output files: which exist (one registry, read by the action's output-dir and artifact and by
 * `check --out`) and the one place they are written. A path that cannot take them is bad input
 * with one line naming it, not a stack trace.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { RUN_RECORD_FILE, renderRunRecord } from './fleet/run-record.js';
import { renderSummary } from './render/summary.js';
import type { RunResult } from './run.js';
import { renderSnapshot } from './snapshot/write.js';
import { TOOL_NAME, VERSION } from './version.js';

export interface OutputFile {
  file: string;
  /** The file's text, or undefined when this run has nothing for it. */
  render(result: RunResult): string | undefined;
}

export const OUTPUT_FILES: readonly OutputFile[] = [
  { file: 'report.yaml', render: (r) => r.analysis?.reportYaml },
  { file: 'report.json', render: (r) => r.analysis?.reportJson },
  { file: 'metrics.prom', render: (r) => r.analysis?.metricsProm },
  { file: 'alerts.json', render: (r) => r.analysis?.alertsJson },
  { file: 'summary.md', render: (r) => (r.view ? renderSummary(r.view) : undefined) },
  // The verdict, names and applied revisions the fleet view reads (fleet/run-record.ts).
  { file: RUN_RECORD_FILE, render: renderRunRecord },
  {
    // A live cluster's state, to re-audit it later with `check --snapshot`.
    file: 'snapshot.yaml',
    render: (r) =>
      r.acquired?.raw
        ? renderSnapshot(r.acquired.raw, r.acquired.inventory, `${TOOL_NAME} ${VERSION}`)
        : undefined,
  },
];

/** Every output file this run has, by name, in the registry's order. */
export function renderOutputFiles(result: RunResult): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of OUTPUT_FILES) {
    const text = f.render(result);
    if (text !== undefined) files[f.file] = text;
  }
  return files;
}

/** Kernel file systems: writing there either fails oddly or blocks. */
const SPECIAL = ['/proc', '/sys', '/dev'];

const WHY: Record<string, string> = {
  ENOTDIR: 'a file is in the way of the folder',
  EEXIST: 'a file is in the way of the folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

function refuseSpecial(path: string, what: string): void {
  const full = resolve(path);
  if (SPECIAL.some((p) => full === p || full.startsWith(`${p}/`)))
    throw new ConfigError(`${what} ${path} is on a kernel file system (${full}); choose an ordinary folder`);
}

function failure(err: unknown, path: string, what: string): ConfigError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new ConfigError(`${what} ${path}: cannot write (${code}: ${WHY[code] ?? 'see the file system'})`);
}

/** Writes each file into `dir` (created when missing); `what` names the input or flag. */
export async function writeOutputFiles(
  dir: string,
  files: Record<string, string>,
  what: string,
): Promise<string[]> {
  refuseSpecial(dir, what);
  const written: string[] = [];
  try {
    await mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(dir, name), text);
      written.push(join(dir, name));
    }
  } catch (err) {
    throw failure(err, dir, what);
  }
  return written;
}

/** Writes one file, creating its folder. */
export async function writeOutputFile(file: string, text: string, what: string): Promise<void> {
  refuseSpecial(file, what);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (err) {
    throw failure(err, file, what);
  }
}
