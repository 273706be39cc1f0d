import type { Labels } from './labels.js';

/**
 * A map keyed by the values of a fixed list of label names (`by (…)`, `on (…)`), stored as nested maps so
 * that a lookup allocates nothing: building a joined key string for every sample was most of the garbage
 * an aggregation or a vector match produced over 100,000 series. An absent label counts as the empty
 * value, as in Prometheus's signatures.
 */
export class ValuesIndex<T> {
  private readonly root = new Map<string, unknown>();
  private single: T | undefined;

  constructor(private readonly names: readonly string[]) {}

  get(labels: Labels): T | undefined {
    const names = this.names;
    const last = names.length - 1;
    if (last < 0) return this.single;
    let m = this.root;
    for (let i = 0; i < last; i++) {
      const next = m.get(labels.get(names[i] as string)) as Map<string, unknown> | undefined;
      if (next === undefined) return undefined;
      m = next;
    }
    return m.get(labels.get(names[last] as string)) as T | undefined;
  }

  set(labels: Labels, value: T): void {
    const names = this.names;
    const last = names.length - 1;
    if (last < 0) {
      this.single = value;
      return;
    }
    let m = this.root;
    for (let i = 0; i < last; i++) {
      const v = labels.get(names[i] as string);
      let next = m.get(v) as Map<string, unknown> | undefined;
      if (next === undefined) m.set(v, (next = new Map()));
      m = next;
    }
    m.set(labels.get(names[last] as string), value);
  }
}

/** A map keyed by label sets reduced by `reduce` (e.g. `without (…)`), through the reduced set's key. */
export class ReducedIndex<T> {
  private readonly map = new Map<string, T>();

  constructor(private readonly reduce: (l: Labels) => Labels) {}

  get(labels: Labels): T | undefined {
    return this.map.get(this.reduce(labels).key());
  }

  set(labels: Labels, value: T): void {
    this.map.set(this.reduce(labels).key(), value);
  }
}

export interface LabelIndex<T> {
  get(labels: Labels): T | undefined;
  set(labels: Labels, value: T): void;
}
