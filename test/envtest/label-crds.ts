// Adds metadata labels to every generated CRD file in a directory, as an installer's kustomize
// `labels:` transformer would. controller-gen emits unlabelled CRDs; a real `flux install`
// labels them, and the Action reads those labels, so the test cluster must carry them too.
//
// Usage: tsx test/envtest/label-crds.ts <dir> key=value [key=value ...]
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';

/** Returns the CRD YAML text with `labels` merged into metadata.labels (given labels win). */
export function labelCrdYaml(text: string, labels: Readonly<Record<string, string>>): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]?.message ?? ''}`);
  if (doc.get('kind') !== 'CustomResourceDefinition') {
    throw new Error(`not a CustomResourceDefinition (kind=${String(doc.get('kind'))})`);
  }
  for (const [key, value] of Object.entries(labels)) {
    doc.setIn(['metadata', 'labels', key], value);
  }
  return doc.toString({ lineWidth: 0 });
}

/** Parses `key=value` arguments; rejects anything else so a typo cannot label silently wrong. */
export function parseLabelArgs(args: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new Error(`expected key=value, got ${JSON.stringify(arg)}`);
    labels[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return labels;
}

async function main(argv: readonly string[]): Promise<void> {
  const [dir, ...rest] = argv;
  if (dir === undefined || rest.length === 0) {
    throw new Error('usage: label-crds.ts <dir> key=value [key=value ...]');
  }
  const labels = parseLabelArgs(rest);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  if (files.length === 0) throw new Error(`no CRD files in ${dir}`);
  for (const file of files) {
    const path = join(dir, file);
    await writeFile(path, labelCrdYaml(await readFile(path, 'utf8'), labels));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`label-crds: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
