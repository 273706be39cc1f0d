import type { LabelMatcher } from './ast.js';
import { Labels } from './labels.js';

/** One sample as supplied by a caller: a float value at `t` (ms), or a stale marker / native histogram. */
export interface SampleInput {
  t: number;
  v: number;
  /** A staleness marker: the series ends here (hidden from this point on). */
  stale?: boolean;
  /** A native-histogram sample; the evaluator does not support these, the conformance runner reports them. */
  histogram?: boolean;
}

export interface SeriesInput {
  labels: Record<string, string>;
  samples: SampleInput[];
  /** When the series' current value began (ms); defaults to the timestamp of the sample selected. */
  since?: number;
}

export interface StoredSeries {
  readonly labels: Labels;
  samples: readonly SampleInput[];
  since: number | undefined;
}

/** A float selected at one instant, with the time its value began. */
export interface SelectedSample {
  series: StoredSeries;
  value: number;
  /** Timestamp of the sample that was selected. */
  t: number;
  since: number;
  histogram: boolean;
}

export interface SeriesStoreOptions {
  /** How far back a sample stays visible: Prometheus's lookback delta, 5 minutes by default. */
  lookbackDeltaMs?: number;
}

export const DEFAULT_LOOKBACK_MS = 5 * 60 * 1000;

/**
 * Series indexed by metric name for selection at one instant. Selection follows Prometheus 3: the newest
 * sample in (t - lookback, t] is used, unless it is a stale marker.
 */
export class SeriesStore {
  readonly lookbackDeltaMs: number;
  /** Series by label-set hash (one series, or a list on a collision), for merging repeated label sets. */
  private readonly byHash = new Map<number, StoredSeries | StoredSeries[]>();
  private readonly all: StoredSeries[] = [];
  private readonly byName = new Map<string, StoredSeries[]>();
  private readonly unnamed: StoredSeries[] = [];
  /**
   * Postings per metric name, label name and value, built on first use by a selector and dropped when
   * series of that name are added: rules select the same few labels (status, type, ready) again and again.
   */
  private readonly postings = new Map<string, Map<string, Map<string, StoredSeries[]>>>();

  constructor(series: Iterable<SeriesInput> = [], options: SeriesStoreOptions = {}) {
    this.lookbackDeltaMs = options.lookbackDeltaMs ?? DEFAULT_LOOKBACK_MS;
    for (const s of series) this.add(s);
  }

  static from(series: Iterable<SeriesInput>, options?: SeriesStoreOptions): SeriesStore {
    return new SeriesStore(series, options);
  }

  get size(): number {
    return this.all.length;
  }

  private find(labels: Labels): StoredSeries | undefined {
    const entry = this.byHash.get(labels.hash());
    if (entry === undefined) return undefined;
    if (!Array.isArray(entry)) return entry.labels.equals(labels) ? entry : undefined;
    return entry.find((s) => s.labels.equals(labels));
  }

  /**
   * Adds a series; samples of a series already present (same labels) are merged in time order. The store
   * keeps the caller's sample array when it is already in time order (it never mutates it).
   */
  add(input: SeriesInput): void {
    const labels = Labels.fromRecord(input.labels);
    const existing = this.find(labels);
    const sorted = isSorted(input.samples) ? input.samples : input.samples.slice().sort((a, b) => a.t - b.t);
    if (existing) {
      const merged = new Map<number, SampleInput>();
      for (const s of existing.samples) merged.set(s.t, s);
      for (const s of sorted) merged.set(s.t, s);
      existing.samples = [...merged.values()].sort((a, b) => a.t - b.t);
      if (input.since !== undefined) existing.since = input.since;
      return;
    }
    const stored: StoredSeries = { labels, samples: sorted, since: input.since };
    const h = labels.hash();
    const bucket = this.byHash.get(h);
    if (bucket === undefined) this.byHash.set(h, stored);
    else if (Array.isArray(bucket)) bucket.push(stored);
    else this.byHash.set(h, [bucket, stored]);
    this.all.push(stored);
    const name = labels.get('__name__');
    if (name === '') this.unnamed.push(stored);
    else {
      let list = this.byName.get(name);
      if (!list) this.byName.set(name, (list = []));
      list.push(stored);
      this.postings.delete(name);
    }
  }

  /** Every stored series (in insertion order per metric name). */
  *series(): IterableIterator<StoredSeries> {
    yield* this.all;
  }

  /** Calls `visit` for each series matching all matchers with a float sample visible at `timeMs`. */
  forEachSelected(
    matchers: readonly LabelMatcher[],
    timeMs: number,
    visit: (s: StoredSeries, sample: SampleInput) => void,
  ): void {
    const { series, rest } = this.narrowed(matchers);
    for (const s of series) {
      if (!matchesAll(s.labels, rest)) continue;
      const sample = this.sampleAt(s, timeMs);
      if (sample && !sample.histogram) visit(s, sample);
    }
  }

  /** The candidates and the matchers they still have to pass (those the index answered are left out). */
  private narrowed(matchers: readonly LabelMatcher[]): {
    series: Iterable<StoredSeries>;
    rest: readonly LabelMatcher[];
  } {
    const eq = matchers.find((m) => m.name === '__name__' && m.op === '=');
    if (!eq) return { series: this.candidates(matchers), rest: matchers };
    const list = this.byName.get(eq.value) ?? [];
    let best: StoredSeries[] = list;
    let used: LabelMatcher = eq;
    for (const m of matchers) {
      if (m.op !== '=' || m.name === '__name__' || m.value === '' || list.length < 64) continue;
      const posting = this.posting(eq.value, list, m.name).get(m.value) ?? [];
      if (posting.length < best.length) {
        best = posting;
        used = m;
      }
    }
    // Every candidate has the name; the posting list (if used) guarantees its matcher too.
    return { series: best, rest: matchers.filter((m) => m !== eq && m !== used) };
  }

  /** Series whose labels satisfy all matchers and that have a visible sample at `timeMs`. */
  select(matchers: readonly LabelMatcher[], timeMs: number): SelectedSample[] {
    const out: SelectedSample[] = [];
    for (const s of this.candidates(matchers)) {
      if (!matchesAll(s.labels, matchers)) continue;
      const sample = this.sampleAt(s, timeMs);
      if (!sample) continue;
      out.push({
        series: s,
        value: sample.v,
        t: sample.t,
        since: s.since ?? sample.t,
        histogram: sample.histogram === true,
      });
    }
    return out;
  }

  private candidates(matchers: readonly LabelMatcher[]): Iterable<StoredSeries> {
    const eq = matchers.find((m) => m.name === '__name__' && m.op === '=');
    if (eq) {
      const list = this.byName.get(eq.value) ?? [];
      // Narrow to the shortest posting list of another non-empty equality matcher (order is kept).
      let best: StoredSeries[] = list;
      for (const m of matchers) {
        if (m.op !== '=' || m.name === '__name__' || m.value === '' || list.length < 64) continue;
        const posting = this.posting(eq.value, list, m.name).get(m.value) ?? [];
        if (posting.length < best.length) best = posting;
      }
      return best;
    }
    const re = matchers.find((m) => m.name === '__name__' && m.op === '=~' && m.regex);
    if (re?.regex) {
      const out: StoredSeries[] = [];
      const regex = re.regex;
      for (const [name, list] of this.byName) if (regex.test(name)) out.push(...list);
      if (regex.test('')) out.push(...this.unnamed);
      return out;
    }
    return this.all;
  }

  private posting(metric: string, list: readonly StoredSeries[], label: string): Map<string, StoredSeries[]> {
    let byLabel = this.postings.get(metric);
    if (!byLabel) this.postings.set(metric, (byLabel = new Map()));
    let byValue = byLabel.get(label);
    if (!byValue) {
      byValue = new Map();
      for (const s of list) {
        const v = s.labels.get(label);
        if (v === '') continue;
        let p = byValue.get(v);
        if (!p) byValue.set(v, (p = []));
        p.push(s);
      }
      byLabel.set(label, byValue);
    }
    return byValue;
  }

  /** The sample visible at `timeMs`, if any. */
  sampleAt(s: StoredSeries, timeMs: number): SampleInput | undefined {
    const samples = s.samples;
    if (samples.length === 1) {
      // The usual case for computed gauges: one current sample.
      const only = samples[0] as SampleInput;
      if (only.t > timeMs || only.t <= timeMs - this.lookbackDeltaMs || only.stale) return undefined;
      return only;
    }
    let lo = 0;
    let hi = samples.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((samples[mid] as SampleInput).t <= timeMs) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const sample = samples[found] as SampleInput;
    if (sample.t <= timeMs - this.lookbackDeltaMs || sample.stale) return undefined;
    return sample;
  }
}

function isSorted(samples: readonly SampleInput[]): boolean {
  for (let i = 1; i < samples.length; i++)
    if ((samples[i] as SampleInput).t < (samples[i - 1] as SampleInput).t) return false;
  return true;
}

export function matchesAll(labels: Labels, matchers: readonly LabelMatcher[]): boolean {
  for (const m of matchers) {
    const v = labels.get(m.name);
    switch (m.op) {
      case '=':
        if (v !== m.value) return false;
        break;
      case '!=':
        if (v === m.value) return false;
        break;
      case '=~':
        if (!m.regex?.test(v)) return false;
        break;
      case '!~':
        if (m.regex?.test(v)) return false;
        break;
    }
  }
  return true;
}
