// The README's Inputs and Outputs tables are the documentation people read; action.yml is the
// interface GitHub runs. This keeps the two from drifting apart: same names, same order, same
// defaults.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { splitRow } from '../fakes/markdown-reader.js';

const root = new URL('../../', import.meta.url);

interface ActionYml {
  inputs: Record<string, { description?: string; default?: unknown; required?: boolean }>;
  outputs: Record<string, { description?: string }>;
}

function readActionYml(): ActionYml {
  const doc = parse(readFileSync(new URL('action.yml', root), 'utf8')) as Partial<ActionYml>;
  return { inputs: doc.inputs ?? {}, outputs: doc.outputs ?? {} };
}

interface TableRow {
  name: string;
  cells: string[];
}

/**
 * The table that follows the `## <section>` heading and whose header row begins with `| <first> |`.
 * Its first column must hold exactly one code span, the name.
 */
function readTable(markdown: string, section: string, header: string[]): TableRow[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${section}`);
  expect(start, `README has a "## ${section}" section`).toBeGreaterThanOrEqual(0);
  const next = lines.findIndex((l, i) => i > start && /^#{1,2} /.test(l));
  const body = lines.slice(start + 1, next === -1 ? undefined : next);
  const first = body.findIndex((l) => l.trimStart().startsWith('|'));
  expect(first, `a table in README section ${section}`).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of body.slice(first)) {
    if (!line.trimStart().startsWith('|')) break;
    rows.push(line.trim());
  }
  const cellsOf = (row: string): string[] =>
    splitRow(row)
      .slice(1, -1)
      .map((c) => c.trim());
  expect(cellsOf(rows[0] ?? ''), `header of the ${section} table`).toEqual(header);
  expect(rows[1], 'the delimiter row').toMatch(/^\|(?:\s*:?-+:?\s*\|)+$/);
  return rows.slice(2).map((row) => {
    const cells = cellsOf(row);
    expect(cells, `columns of ${row.slice(0, 80)}`).toHaveLength(header.length);
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '');
    expect(name, `first cell of ${row.slice(0, 80)} is one code span`).not.toBeNull();
    return { name: (name as RegExpExecArray)[1] as string, cells };
  });
}

/** The README's way of writing a default: `(empty)` for '', else a code span of the value. */
function readmeDefault(cell: string): string {
  if (cell === '(empty)') return '';
  const code = /^`(.*)`$/.exec(cell);
  expect(code, `default ${JSON.stringify(cell)} is (empty) or a code span`).not.toBeNull();
  return (code as RegExpExecArray)[1] as string;
}

describe('README inputs and outputs match action.yml', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const action = readActionYml();

  it('lists every input of action.yml, in its order, with its default', () => {
    const rows = readTable(readme, 'Inputs', ['Input', 'Default', 'Description']);
    expect(rows.map((r) => r.name)).toEqual(Object.keys(action.inputs));
    for (const row of rows) {
      const spec = action.inputs[row.name];
      // action.yml defaults are strings to the runner; a YAML `true` or `0` is the same text.
      const expected = spec?.default === undefined || spec.default === null ? '' : String(spec.default);
      expect(readmeDefault(row.cells[1] ?? ''), `default of ${row.name}`).toBe(expected);
      expect(row.cells[2], `description of ${row.name}`).not.toBe('');
    }
  });

  it('lists every output of action.yml, in its order', () => {
    const rows = readTable(readme, 'Outputs', ['Output', 'Description']);
    expect(rows.map((r) => r.name)).toEqual(Object.keys(action.outputs));
    for (const row of rows) expect(row.cells[1], `description of ${row.name}`).not.toBe('');
  });

  it('has inputs and outputs to compare (action.yml parsed)', () => {
    expect(Object.keys(action.inputs).length).toBeGreaterThan(10);
    expect(Object.keys(action.outputs)).toContain('ready');
  });
});
