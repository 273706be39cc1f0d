import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Composer, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { composeRuleYaml } from '../../src/rules/yaml-compose.js';

/**
 * The lean composer must build exactly what the `yaml` package's composer builds (values, types and
 * ranges) or decline; when it declines, composing its CST must give the package's errors. Checked on
 * the rule files of the tests and on seeded mutations of them, which hit most ways YAML goes wrong.
 */

const here = fileURLToPath(new URL('.', import.meta.url));
const files = ['cases/check', 'oracle'].flatMap((d) =>
  readdirSync(join(here, d))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(here, d, f)),
);
const texts = files.map((f) => readFileSync(f, 'utf8'));

function shape(n: unknown): unknown {
  if (isScalar(n)) return { v: Number.isNaN(n.value) ? 'NaN' : n.value, t: typeof n.value, r: n.range };
  if (isMap(n)) return { m: n.items.map((p) => [shape(p.key), shape(p.value)]), r: n.range };
  if (isSeq(n)) return { s: n.items.map(shape), r: n.range };
  return n === null ? null : { other: String(n) };
}

function reference(text: string) {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  return Array.isArray(docs) ? docs : [];
}

/** Whether our route agrees with parseAllDocuments on `text`; returns which route it took. */
function agree(text: string): 'fast' | 'full' {
  const ref = reference(text);
  const ours = composeRuleYaml(text);
  if (ours.docs) {
    expect(ref.flatMap((d) => [...d.errors, ...d.warnings]).map((e) => e.message)).toEqual([]);
    expect(ours.docs.map(shape)).toEqual(ref.map((d) => shape(d.contents)));
    return 'fast';
  }
  const full = Array.from(new Composer({ uniqueKeys: true }).compose(ours.tokens));
  const errs = (ds: typeof full) =>
    ds.map((d) => ({ e: d.errors.map((e) => [e.code, e.pos]), c: shape(d.contents) }));
  expect(errs(full)).toEqual(errs(ref));
  return 'full';
}

describe('lean YAML composer', () => {
  it.each(files.map((f, i) => [f.slice(here.length), texts[i] as string]))('%s', (_, text) => {
    agree(text);
  });

  it('takes the fast route for plain rule files, with every scalar type', () => {
    const text = [
      '# leading comment',
      'groups:',
      '  - name: "g"  # trailing',
      '    interval: 1m',
      '    limit: 0x10',
      '    query_offset: ~',
      '    labels:',
      "      a: 'quoted ''x'''",
      '      b: 1e3',
      '      c: .inf',
      '      d: true',
      '      e:',
      '    rules:',
      '',
      '      - alert: A',
      '        expr: |',
      '          up',
      '            == 0',
      '        for: >-',
      '          5m',
      '      # between rules',
      '      - record: r',
      '        expr: sum(up)',
      '          by (job)',
      '---',
      'groups: null',
      '',
    ].join('\n');
    expect(agree(text)).toBe('fast');
  });

  it('agrees on seeded mutations of the rule files', () => {
    let seed = 20261121;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const bits = [
      ' ',
      '\n',
      '\t',
      ':',
      '- ',
      '#',
      "'",
      '"',
      '|',
      '>',
      '&a ',
      '*a',
      '!!str ',
      '{',
      '[',
      ']',
      ',',
      'a',
      '1',
    ];
    bits.push('  ', '\n  ', '? ', '---\n', '...\n', '%', '\\', 'null', '~', '0x1', '.inf', 'true', ' #c');
    const routes = { fast: 0, full: 0 };
    for (let k = 0; k < 1500; k++) {
      let t = texts[rnd(texts.length)] as string;
      for (let m = 1 + rnd(3); m > 0; m--) {
        const at = rnd(t.length + 1);
        t = t.slice(0, at) + (rnd(2) ? (bits[rnd(bits.length)] as string) : '') + t.slice(at + rnd(3));
      }
      routes[agree(t)]++;
    }
    // Both routes must actually be exercised for the comparison to mean anything.
    expect(routes.fast).toBeGreaterThan(300);
    expect(routes.full).toBeGreaterThan(300);
  });
});
