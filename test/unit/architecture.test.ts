/**
 * Keeps the layout docs/ARCHITECTURE.md describes: the folders of src/ form no cycle, src/ never
 * reaches into test/, leaf folders stay leaves, and each helper below is written once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** The files both entries start from: folders are what they call, so no folder may call back. */
const ENTRY_FILES = ['main.ts', 'cli.ts', 'index.ts'];

/** Folders that import nothing else from src/, so anything may use them. */
const LEAF_FOLDERS = ['go', 'text'];

/** Helpers that must each be written exactly once in src/; a second copy drifts from the first. */
const SINGLE_DEFINITIONS = [
  'compareStrings',
  'goQuote',
  'unquote',
  'formatGoFloat',
  'formatGoFloatV',
  'formatFloat',
  'formatGoDuration',
  'parseDuration',
  'parseTimeDuration',
  'compileGoRegexp',
  'compileAnchored',
  'expandReplacement',
  'describeFailure',
  'oneLine',
  'revisionOf',
  'metadataOf',
  'plural',
  'decideVerdict',
  'alertSubject',
  'objectSubject',
  'mapLimit',
  'httpErrorOf',
  'evaluateGate',
  'severityRank',
  'fluxNamespace',
  'parseInstant',
];

interface SourceFile {
  /** Posix path relative to src/, e.g. `report/health.ts`. */
  path: string;
  text: string;
}

/** A relative import, resolved to a posix path relative to src/ (`../x` when it leaves src/). */
interface Import {
  from: string;
  to: string;
}

function readSources(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...readSources(full));
    else if (entry.name.endsWith('.ts')) {
      out.push({ path: relative(SRC, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  }
  return out;
}

/** Every relative import, re-export and dynamic import of a file, as TypeScript's scanner sees them. */
function relativeImports(file: SourceFile): Import[] {
  const { importedFiles } = ts.preProcessFile(file.text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => ({
      from: file.path,
      to: posix.normalize(posix.join(posix.dirname(file.path), spec)).replace(/\.js$/, '.ts'),
    }));
}

/** The top-level folder a file belongs to, or `.` for a file directly in src/. */
function folderOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

/**
 * Folder → folders it depends on. A file directly in src/ is not a folder of its own: a folder that
 * imports one (errors.ts, say) depends on whatever that file imports, followed through other files in
 * src/, so a cycle cannot hide behind a shared root file.
 */
function folderGraph(imports: readonly Import[]): Map<string, Set<string>> {
  const byFile = new Map<string, string[]>();
  for (const i of imports) byFile.set(i.from, [...(byFile.get(i.from) ?? []), i.to]);
  const reached = (target: string, seen: Set<string>, into: Set<string>): void => {
    if (folderOf(target) !== '.') {
      into.add(folderOf(target));
      return;
    }
    if (seen.has(target)) return;
    seen.add(target);
    for (const next of byFile.get(target) ?? []) reached(next, seen, into);
  };
  const graph = new Map<string, Set<string>>();
  for (const i of imports) {
    const from = folderOf(i.from);
    if (from === '.') continue;
    const deps = graph.get(from) ?? new Set<string>();
    graph.set(from, deps);
    // Within a folder anything goes; back into it through a root file is a cycle, kept as a self-edge.
    if (folderOf(i.to) !== from) reached(i.to, new Set(), deps);
  }
  return graph;
}

/**
 * Every elementary cycle's folders in order (`a → b → a` as `['a', 'b']`, a folder that comes back to
 * itself through a root file as `['a']`), found by depth-first search.
 */
function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const cycles: string[][] = [];
  const nodes = [...graph.keys()].sort();
  for (const start of nodes) {
    // Each cycle is reported once, from its smallest folder.
    const walk = (node: string, path: string[]): void => {
      for (const next of [...(graph.get(node) ?? [])].sort()) {
        if (next === start) cycles.push([...path]);
        else if (next > start && !path.includes(next)) walk(next, [...path, next]);
      }
    };
    walk(start, [start]);
  }
  return cycles;
}

/** The file of each top-level function definition (exported or not) of `name`, once per definition. */
function definitions(files: readonly SourceFile[], name: string): string[] {
  const re = new RegExp(`^(?:export\\s+)?(?:async\\s+)?function\\*?\\s+${name}\\b`, 'gm');
  return files.flatMap((f) => [...f.text.matchAll(re)].map(() => f.path));
}

const sources = readSources(SRC);
const imports = sources.flatMap(relativeImports);

describe('the checks themselves', () => {
  it('see static, type-only, re-exported and dynamic imports', () => {
    const file: SourceFile = {
      path: 'report/x.ts',
      text: [
        "import { a } from '../inventory/index.js';",
        "import type { B } from './types.js';",
        "export { c } from '../go/strings.js';",
        "const d = await import('../metrics/index.js');",
        "import { e } from 'yaml';",
        '// import { f } from "../ignored.js" only in a comment',
      ].join('\n'),
    };
    expect(relativeImports(file).map((i) => i.to)).toEqual([
      'inventory/index.ts',
      'report/types.ts',
      'go/strings.ts',
      'metrics/index.ts',
    ]);
  });

  it.each([
    {
      name: 'a layered graph',
      edges: [
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
      ],
      cycles: [],
    },
    {
      name: 'two folders importing each other',
      edges: [
        ['a', 'b'],
        ['b', 'a'],
      ],
      cycles: [['a', 'b']],
    },
    {
      name: 'a longer loop',
      edges: [
        ['r', 'm'],
        ['m', 'i'],
        ['i', 'r'],
        ['m', 'x'],
      ],
      cycles: [['i', 'r', 'm']],
    },
  ])('find the cycles of $name', ({ edges, cycles }) => {
    const imports = edges.map(([from, to]) => ({ from: `${from}/f.ts`, to: `${to}/g.ts` }));
    expect(findCycles(folderGraph(imports))).toEqual(cycles);
  });

  it('follow imports through files directly in src/', () => {
    const graph = folderGraph([
      { from: 'cluster/a.ts', to: 'errors.ts' },
      { from: 'errors.ts', to: 'render/escape.ts' },
      { from: 'render/b.ts', to: 'cluster/a.ts' },
    ]);
    expect(findCycles(graph)).toEqual([['cluster', 'render']]);
  });

  it('see a folder that comes back to itself through a root file', () => {
    const graph = folderGraph([
      { from: 'text/escape.ts', to: 'errors.ts' },
      { from: 'errors.ts', to: 'text/escape.ts' },
      { from: 'text/escape.ts', to: 'text/other.ts' },
    ]);
    expect(findCycles(graph)).toEqual([['text']]);
  });
});

describe('src/ folder structure', () => {
  it('reads a real import graph', () => {
    // Guards the checks below against passing on an empty or misread graph.
    expect(sources.length).toBeGreaterThan(100);
    expect(imports.length).toBeGreaterThan(300);
    expect(folderGraph(imports).get('metrics')).toEqual(new Set(['go', 'inventory']));
  });

  it('resolves every relative import to a file inside src/ (never test/, scripts/ or bench/)', () => {
    const outside = imports.filter((i) => i.to.startsWith('../') || !existsSync(join(SRC, i.to)));
    expect(outside).toEqual([]);
  });

  it('has no cycle between top-level folders', () => {
    expect(findCycles(folderGraph(imports))).toEqual([]);
  });

  it('never imports an entry file from a folder', () => {
    const back = imports.filter((i) => folderOf(i.from) !== '.' && ENTRY_FILES.includes(i.to));
    expect(back).toEqual([]);
  });

  it.each(LEAF_FOLDERS)('keeps %s/ a leaf', (leaf) => {
    const out = imports.filter((i) => folderOf(i.from) === leaf && folderOf(i.to) !== leaf);
    expect(out).toEqual([]);
  });

  it('keeps nested folders below their parents (rules/template/ never imports rules/)', () => {
    const upward = imports.filter((i) => {
      const from = posix.dirname(i.from);
      const to = posix.dirname(i.to);
      return from !== to && from.startsWith(`${to}/`);
    });
    expect(upward).toEqual([]);
  });

  it.each(SINGLE_DEFINITIONS)('defines %s once', (name) => {
    expect(definitions(sources, name)).toHaveLength(1);
  });
});

describe('a clone is self-contained', () => {
  // The workplace keeps research notes beside the repository; a user's clone has none, so no
  // script, test, benchmark or build step may read them.
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const tracked = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|mjs|js|sh|json|ya?ml)$/.test(f) && !f.includes('node_modules'))
      .map((f) => join(dir, f));
  const files = [
    ...['src', 'test', 'scripts', 'bench', '.github', '.ci'].flatMap(tracked),
    'package.json',
    'vitest.config.ts',
  ].filter((f) => existsSync(join(ROOT, f)));

  it.each(files)('%s reads nothing outside the repository', (file) => {
    const code = readFileSync(join(ROOT, file), 'utf8')
      // Comments may cite the notes; code may not reach them.
      .replace(/^\s*(\/\/|#|\*|\/\*).*$/gm, '');
    expect(code).not.toMatch(/(\.\.\/)+shared\b|\/work\/shared\b/);
  });
});
