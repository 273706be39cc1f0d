/**
 * Bundles a measured program with esbuild the way scripts/build.sh bundles dist/ (ESM for Node 20,
 * minified, with the same banner giving bundled CommonJS packages `require` and `__dirname`), so the
 * measured process loads code as the shipped action does: under tsx, loading
 * @kubernetes/client-node alone costs ~125 MB more RSS than from a bundle, which would swamp the
 * figures.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const BANNER =
  "import { createRequire as __fhRequire } from 'node:module'; import { fileURLToPath as __fhPath } from 'node:url'; " +
  "import { dirname as __fhDir } from 'node:path'; const require = __fhRequire(import.meta.url); " +
  'const __filename = __fhPath(import.meta.url); const __dirname = __fhDir(__filename);';

/** Bundles `bench/<name>.ts` into `dir`; returns the bundle's entry file. */
export function bundle(name: string, dir: string): Promise<string> {
  const outfile = join(dir, 'index.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(ROOT, 'node_modules', '.bin', 'esbuild'),
      [
        join(ROOT, 'bench', `${name}.ts`),
        '--bundle',
        '--platform=node',
        '--format=esm',
        '--target=node20',
        `--outfile=${outfile}`,
        '--minify',
        '--legal-comments=none',
        `--banner:js=${BANNER}`,
        '--log-level=warning',
      ],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(outfile) : reject(new Error(`esbuild of ${name}.ts exited ${code}`)),
    );
  });
}
