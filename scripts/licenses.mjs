// Writes the licenses of every package bundled into dist/ (from esbuild's metafile) to stdout:
// name, version, license, and the package's own license text, sorted by name.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const meta = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const packages = new Map();
for (const input of Object.keys(meta.inputs)) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!m) continue;
  let dir = m[1];
  // A package's own nested package.json files (dist/esm/package.json) are not packages.
  while (!existsSync(join(dir, 'package.json')) && dir.includes('node_modules')) dir = dirname(dir);
  if (packages.has(dir)) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  packages.set(dir, {
    name: pkg.name,
    version: pkg.version,
    license: typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'see the package'),
    text: file ? readFileSync(join(dir, file), 'utf8').trim() : '',
  });
}
const sorted = [...packages.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
for (const p of sorted) {
  process.stdout.write(`${p.name}@${p.version}\n${p.license}\n${p.text ? `${p.text}\n` : ''}\n`);
}
