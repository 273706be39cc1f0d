import { describe, expect, it } from 'vitest';
import { ValuesIndex } from '../../src/promql/label-index.js';
import { Labels } from '../../src/promql/labels.js';
import { SeriesStore, evaluateInstant, type SeriesInput } from '../../src/promql/index.js';

const NOW = 1_700_000_000_000;

function series(n: number): SeriesInput[] {
  const out: SeriesInput[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      labels: { __name__: 'm', name: `o${i}`, status: ['True', 'False', 'Unknown'][i % 3] as string },
      samples: [{ t: NOW, v: i }],
    });
    if (i % 7 === 0) out.push({ labels: { __name__: 'm', name: `bare${i}` }, samples: [{ t: NOW, v: -i }] });
  }
  return out;
}

function names(expr: string, store: SeriesStore): string[] {
  const v = evaluateInstant(expr, store, NOW);
  return v.type === 'vector' ? v.samples.map((s) => s.labels.name as string) : [];
}

describe('series store indexing', () => {
  it('narrows selectors by label postings without changing results or their order', () => {
    const input = series(300);
    const store = new SeriesStore(input);
    const want = input
      .filter((s) => s.labels.status === 'False' && s.labels.__name__ === 'm')
      .map((s) => s.labels.name);
    expect(names('m{status="False"}', store)).toEqual(want);
    expect(names('m{status="False", name="o4"}', store)).toEqual(['o4']);
    expect(names('m{status=""}', store)).toEqual(
      input.filter((s) => !s.labels.status).map((s) => s.labels.name),
    );
    expect(names('m{status="Nope"}', store)).toEqual([]);
  });

  it('sees series added after a query', () => {
    const store = new SeriesStore(series(100));
    expect(names('m{status="Deleted"}', store)).toEqual([]);
    store.add({ labels: { __name__: 'm', name: 'late', status: 'Deleted' }, samples: [{ t: NOW, v: 1 }] });
    expect(names('m{status="Deleted"}', store)).toEqual(['late']);
  });

  it('merges a label set given twice, whatever the key order', () => {
    const store = new SeriesStore([
      { labels: { b: '2', __name__: 'x', a: '1' }, samples: [{ t: NOW - 1000, v: 1 }] },
      { labels: { __name__: 'x', a: '1', b: '2', c: '' }, samples: [{ t: NOW, v: 2 }] },
    ]);
    expect(store.size).toBe(1);
    const v = evaluateInstant('x', store, NOW);
    expect(v.type === 'vector' && v.samples.map((s) => s.value)).toEqual([2]);
  });

  it('keys nested indexes by values, absent labels as empty', () => {
    const idx = new ValuesIndex<number>(['a', 'b']);
    idx.set(Labels.fromRecord({ a: 'x' }), 1);
    expect(idx.get(Labels.fromRecord({ a: 'x', b: '' }))).toBe(1);
    expect(idx.get(Labels.fromRecord({ a: 'x', b: 'y' }))).toBeUndefined();
    const none = new ValuesIndex<number>([]);
    none.set(Labels.fromRecord({ a: 'x' }), 2);
    expect(none.get(Labels.EMPTY)).toBe(2);
  });

  it('builds label sets from records of a remembered key order, empty values included', () => {
    const shaped = (job: string, x: string): Labels => Labels.fromRecord({ zed: 'z', job, x });
    expect(shaped('a', '1').toString()).toBe('{job="a", x="1", zed="z"}');
    expect(shaped('b', '2').toString()).toBe('{job="b", x="2", zed="z"}');
    expect(shaped('', '3').toString()).toBe('{x="3", zed="z"}');
    expect(shaped('c', '4').names).toBe(shaped('d', '5').names);
  });

  it('hashes equal label sets equally and tells different ones apart', () => {
    const a = Labels.fromRecord({ job: 'a', x: '1' });
    const b = Labels.fromRecord({ x: '1', job: 'a' });
    expect(a.hash()).toBe(b.hash());
    expect(a.equals(b)).toBe(true);
    expect(a.equals(Labels.fromRecord({ job: 'a', x: '2' }))).toBe(false);
    // Name/value boundaries matter: {ab="c"} is not {a="bc"}.
    expect(Labels.fromRecord({ ab: 'c' }).equals(Labels.fromRecord({ a: 'bc' }))).toBe(false);
  });
});
