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
  private readonly byKey = new Map<string, StoredSeries>();
  private readonly byName = new Map<string, StoredSeries[]>();
  private readonly unnamed: StoredSeries[] = [];

  constructor(series: Iterable<SeriesInput> = [], options: SeriesStoreOptions = {}) {
    this.lookbackDeltaMs = options.lookbackDeltaMs ?? DEFAULT_LOOKBACK_MS;
    for (const s of series) this.add(s);
  }

  static from(series: Iterable<SeriesInput>, options?: SeriesStoreOptions): SeriesStore {
    return new SeriesStore(series, options);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Adds a series; samples of a series already present (same labels) are merged in time order. */
  add(input: SeriesInput): void {
    const labels = Labels.fromRecord(input.labels);
    const key = labels.key();
    const existing = this.byKey.get(key);
    const sorted = isSorted(input.samples)
      ? input.samples.slice()
      : input.samples.slice().sort((a, b) => a.t - b.t);
    if (existing) {
      const merged = new Map<number, SampleInput>();
      for (const s of existing.samples) merged.set(s.t, s);
      for (const s of sorted) merged.set(s.t, s);
      existing.samples = [...merged.values()].sort((a, b) => a.t - b.t);
      if (input.since !== undefined) existing.since = input.since;
      return;
    }
    const stored: StoredSeries = { labels, samples: sorted, since: input.since };
    this.byKey.set(key, stored);
    const name = labels.get('__name__');
    if (name === '') this.unnamed.push(stored);
    else {
      let list = this.byName.get(name);
      if (!list) this.byName.set(name, (list = []));
      list.push(stored);
    }
  }

  /** Every stored series (in insertion order per metric name). */
  *series(): IterableIterator<StoredSeries> {
    yield* this.byKey.values();
  }

  /** Calls `visit` for each series matching all matchers with a float sample visible at `timeMs`. */
  forEachSelected(
    matchers: readonly LabelMatcher[],
    timeMs: number,
    visit: (s: StoredSeries, sample: SampleInput) => void,
  ): void {
    for (const s of this.candidates(matchers)) {
      if (!matchesAll(s.labels, matchers)) continue;
      const sample = this.sampleAt(s, timeMs);
      if (sample && !sample.histogram) visit(s, sample);
    }
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
    if (eq) return this.byName.get(eq.value) ?? [];
    const re = matchers.find((m) => m.name === '__name__' && m.op === '=~' && m.regex);
    if (re?.regex) {
      const out: StoredSeries[] = [];
      const regex = re.regex;
      for (const [name, list] of this.byName) if (regex.test(name)) out.push(...list);
      if (regex.test('')) out.push(...this.unnamed);
      return out;
    }
    return this.byKey.values();
  }

  /** The sample visible at `timeMs`, if any. */
  sampleAt(s: StoredSeries, timeMs: number): SampleInput | undefined {
    const samples = s.samples;
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
