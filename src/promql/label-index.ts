import type { Labels } from './labels.js';

/**
 * A map keyed by the values of a fixed list of label names (`by (…)`, `on (…)`). Lookups allocate
 * nothing: the values are hashed in place and compared against the labels the entry was created with.
 * Building a joined key string per sample (or a nested map per prefix) was most of the garbage an
 * aggregation or a vector match produced over 100,000 series. An absent label counts as the empty value,
 * as in Prometheus's signatures.
 */
export class ValuesIndex<T> {
  private readonly buckets = new Map<number, Entry<T>>();
  private readonly names: readonly string[];

  constructor(names: readonly string[]) {
    this.names = names.map(internalized);
  }

  // get-then-set on a miss is the usual pattern; remembering the last hash spares hashing twice.
  private lastLabels: Labels | undefined;
  private lastHash = 0;

  private hashOf(labels: Labels): number {
    if (labels === this.lastLabels) return this.lastHash;
    let h = 0x811c9dc5;
    for (const n of this.names) {
      const v = labels.get(n);
      for (let j = 0; j < v.length; j++) h = Math.imul(h ^ v.charCodeAt(j), 0x01000193);
      h = Math.imul(h ^ 0xff, 0x01000193);
    }
    h &= 0x3fffffff; // small integers are the cheapest Map keys
    this.lastLabels = labels;
    this.lastHash = h;
    return h;
  }

  private same(a: Labels, b: Labels): boolean {
    for (const n of this.names) if (a.get(n) !== b.get(n)) return false;
    return true;
  }

  get(labels: Labels): T | undefined {
    for (let e = this.buckets.get(this.hashOf(labels)); e; e = e.next)
      if (this.same(e.labels, labels)) return e.value;
    return undefined;
  }

  set(labels: Labels, value: T): void {
    const h = this.hashOf(labels);
    const first = this.buckets.get(h);
    for (let e = first; e; e = e.next) {
      if (this.same(e.labels, labels)) {
        e.value = value;
        return;
      }
    }
    this.buckets.set(h, { labels, value, next: first });
  }
}

/**
 * The same text as a V8 internalized string (property keys always are). Label names in stored series
 * come from object keys and are internalized; names sliced out of an expression are not, and every
 * comparison between the two would then compare characters instead of pointers.
 */
export function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0] as string;
}

interface Entry<T> {
  labels: Labels;
  value: T;
  next: Entry<T> | undefined;
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
