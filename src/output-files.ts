/**
 * The one place output files are written (the action's output-dir, `check --out`, `snapshot
 * --out`): a path that cannot take them is bad input with one line naming it, not a stack trace.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './errors.js';

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
