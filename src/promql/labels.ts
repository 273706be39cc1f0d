import { compareStrings, goQuote, hasInvalidUtf8 } from '../go/strings.js';

/**
 * An immutable label set. Names are kept sorted so identity keys and Prometheus-style printing need no
 * per-use sorting; the key is computed once and cached. Empty values are never stored (an empty label is
 * the same as an absent one in PromQL).
 */
export class Labels {
  private cachedKey: string | undefined;
  private cachedHash: number | undefined;

  private constructor(
    readonly names: readonly string[],
    readonly values: readonly string[],
  ) {}

  static readonly EMPTY = new Labels([], []);

  static fromRecord(rec: Record<string, string>): Labels {
    const keys = Object.keys(rec);
    const shape = findShape(keys);
    if (shape) {
      // Same keys in the same order as a record seen before: reuse its sort order and names.
      const values = new Array<string>(shape.order.length);
      let ok = true;
      for (let i = 0; i < shape.order.length; i++) {
        const v = rec[keys[shape.order[i] as number] as string];
        if (v === '' || v === undefined) {
          ok = false;
          break;
        }
        values[i] = v;
      }
      if (ok) return new Labels(shape.names, values);
    }
    // One pass and an insertion sort: label sets are small.
    const names: string[] = [];
    const values: string[] = [];
    const order: number[] = [];
    for (let k = 0; k < keys.length; k++) {
      const n = keys[k] as string;
      const v = rec[n];
      if (v === '' || v === undefined) continue;
      let i = names.length;
      names.push(n);
      values.push(v);
      order.push(k);
      while (i > 0 && (names[i - 1] as string) > n) {
        names[i] = names[i - 1] as string;
        values[i] = values[i - 1] as string;
        order[i] = order[i - 1] as number;
        i--;
      }
      names[i] = n;
      values[i] = v;
      order[i] = k;
    }
    const interned = internNames(names);
    if (names.length === keys.length) rememberShape(keys, order, interned);
    return new Labels(interned, values);
  }

  /** Builds from names already sorted and values non-empty (internal fast path). */
  static fromSorted(names: string[], values: string[]): Labels {
    return new Labels(names, values);
  }

  get size(): number {
    return this.names.length;
  }

  get(name: string): string {
    const i = this.indexOf(name);
    return i < 0 ? '' : (this.values[i] as string);
  }

  has(name: string): boolean {
    return this.indexOf(name) >= 0;
  }

  private indexOf(name: string): number {
    const names = this.names;
    // Label sets are small; a linear scan beats binary search for typical sizes.
    for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
    return -1;
  }

  /**
   * A 30-bit hash of the label set (FNV-1a over its values), computed without allocating; equal
   * label sets hash equally, so it buckets series before an exact comparison with `equals`.
   */
  hash(): number {
    if (this.cachedHash === undefined) {
      let h = 0x811c9dc5;
      // Values only: equal label sets have equal names anyway, and `equals` settles collisions.
      h = Math.imul(h ^ this.names.length, 0x01000193);
      for (let i = 0; i < this.values.length; i++) {
        const v = this.values[i] as string;
        for (let j = 0; j < v.length; j++) h = Math.imul(h ^ v.charCodeAt(j), 0x01000193);
        h = Math.imul(h ^ 0xfe, 0x01000193);
      }
      this.cachedHash = h & 0x3fffffff; // a small integer: cheap as a Map key
    }
    return this.cachedHash;
  }

  equals(other: Labels): boolean {
    if (this === other) return true;
    const n = this.names.length;
    if (n !== other.names.length) return false;
    for (let i = 0; i < n; i++)
      if (this.names[i] !== other.names[i] || this.values[i] !== other.values[i]) return false;
    return true;
  }

  /** A string that identifies the label set exactly. */
  key(): string {
    if (this.cachedKey === undefined) {
      let k = '';
      for (let i = 0; i < this.names.length; i++) k += this.names[i] + '\xff' + this.values[i] + '\xfe';
      this.cachedKey = k;
    }
    return this.cachedKey;
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.names.length; i++) out[this.names[i] as string] = this.values[i] as string;
    return out;
  }

  /** Labels without the given names. */
  without(drop: ReadonlySet<string>): Labels {
    let any = false;
    for (const n of this.names) if (drop.has(n)) any = true;
    if (!any) return this;
    const names: string[] = [];
    const values: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i] as string;
      if (!drop.has(n)) {
        names.push(n);
        values.push(this.values[i] as string);
      }
    }
    return new Labels(names, values);
  }

  /** Labels restricted to the given names. */
  only(keep: ReadonlySet<string>): Labels {
    let all = true;
    for (const n of this.names) if (!keep.has(n)) all = false;
    if (all) return this;
    const names: string[] = [];
    const values: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i] as string;
      if (keep.has(n)) {
        names.push(n);
        values.push(this.values[i] as string);
      }
    }
    return new Labels(internNames(names), values);
  }

  /**
   * Labels without the metric's identity: `__name__` and, as Prometheus 3 drops them together with it
   * (schema.IsMetadataLabel), the `__type__` and `__unit__` metadata labels.
   */
  withoutName(): Labels {
    for (const n of this.names) if (METADATA_LABELS.has(n)) return this.without(METADATA_LABELS);
    return this;
  }

  /** A copy with `name` set to `value` (deleted when value is empty). */
  with(name: string, value: string): Labels {
    const names: string[] = [];
    const values: string[] = [];
    let placed = value === '';
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i] as string;
      if (!placed && compareStrings(name, n) < 0) {
        names.push(name);
        values.push(value);
        placed = true;
      }
      if (n === name) continue;
      names.push(n);
      values.push(this.values[i] as string);
    }
    if (!placed) {
      names.push(name);
      values.push(value);
    }
    return new Labels(names, values);
  }

  /** Prometheus's labels.String(): `{a="1", b="2"}`, names quoted when they are not legacy names. */
  toString(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i] as string;
      parts.push(
        `${/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(n) ? n : goQuote(n)}=${goQuote(this.values[i] as string)}`,
      );
    }
    return `{${parts.join(', ')}}`;
  }
}

/**
 * Label-name lists shared between label sets: the series of one metric, and the results of one
 * aggregation, nearly all have the same names, and keeping one array for them instead of one each cuts
 * what a 100,000-series store and its evaluations hold on to (and what the garbage collector walks).
 */
const namesByHash = new Map<number, (readonly string[])[]>();
const MAX_INTERNED = 4096;
let interned = 0;

function internNames(names: string[]): readonly string[] {
  let h = names.length;
  for (const n of names) {
    h = Math.imul(h ^ n.length, 0x01000193);
    for (let j = 0; j < n.length; j++) h = Math.imul(h ^ n.charCodeAt(j), 0x01000193);
  }
  h &= 0x3fffffff; // a small integer key keeps the map fast
  const bucket = namesByHash.get(h);
  if (bucket) {
    outer: for (const cand of bucket) {
      if (cand.length !== names.length) continue;
      for (let i = 0; i < names.length; i++) if (cand[i] !== names[i]) continue outer;
      return cand;
    }
  }
  // Bounded: odd label sets from user input must not grow this without limit.
  if (interned >= MAX_INTERNED) return names;
  interned++;
  if (bucket) bucket.push(names);
  else namesByHash.set(h, [names]);
  return names;
}

/**
 * Record key orders seen recently, with the sorted position of each key: series built by one piece of
 * code arrive with the same keys in the same order, so sorting each of 100,000 records is wasted work.
 */
interface Shape {
  keys: readonly string[];
  order: readonly number[];
  names: readonly string[];
}
const shapes: Shape[] = [];
const MAX_SHAPES = 8;

function findShape(keys: readonly string[]): Shape | undefined {
  outer: for (let s = 0; s < shapes.length; s++) {
    const shape = shapes[s] as Shape;
    if (shape.keys.length !== keys.length) continue;
    for (let i = 0; i < keys.length; i++) if (shape.keys[i] !== keys[i]) continue outer;
    if (s > 0) {
      // Move to front: the next record most likely has this shape again.
      shapes.splice(s, 1);
      shapes.unshift(shape);
    }
    return shape;
  }
  return undefined;
}

function rememberShape(keys: readonly string[], order: readonly number[], names: readonly string[]): void {
  shapes.unshift({ keys, order, names });
  if (shapes.length > MAX_SHAPES) shapes.pop();
}

export const NAME_SET: ReadonlySet<string> = new Set(['__name__']);

/** The labels Prometheus 3 treats as the metric's identity and drops whenever it drops the name. */
export const METADATA_LABELS: ReadonlySet<string> = new Set(['__name__', '__type__', '__unit__']);

/** Prometheus's labels.Compare: by names then values, pairwise; shorter set first on a tie. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.size, b.size);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(a.names[i] as string, b.names[i] as string);
    if (c !== 0) return c;
    const d = compareStrings(a.values[i] as string, b.values[i] as string);
    if (d !== 0) return d;
  }
  return a.size - b.size;
}

/** A label name is valid in Prometheus 3 when it is non-empty valid UTF-8. */
export function isValidLabelName(name: string): boolean {
  return name.length > 0 && !hasInvalidUtf8(name);
}
