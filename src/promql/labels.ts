import { goQuote } from './go-strings.js';

/**
 * An immutable label set. Names are kept sorted so identity keys and Prometheus-style printing need no
 * per-use sorting; the key is computed once and cached. Empty values are never stored (an empty label is
 * the same as an absent one in PromQL).
 */
export class Labels {
  private cachedKey: string | undefined;

  private constructor(
    readonly names: readonly string[],
    readonly values: readonly string[],
  ) {}

  static readonly EMPTY = new Labels([], []);

  static fromRecord(rec: Record<string, string>): Labels {
    const names = Object.keys(rec)
      .filter((n) => rec[n] !== '' && rec[n] !== undefined)
      .sort(compareStrings);
    return new Labels(
      names,
      names.map((n) => rec[n] as string),
    );
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
    return new Labels(names, values);
  }

  withoutName(): Labels {
    return this.names[0] === '__name__' || this.has('__name__') ? this.without(NAME_SET) : this;
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

export const NAME_SET: ReadonlySet<string> = new Set(['__name__']);

/** Byte-order comparison of strings (Go compares UTF-8 bytes; for BMP text code-unit order agrees). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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
