import { compareOutcomes, orderSensitive } from './compare.js';
import type { Case, Dataset } from './generate.js';
import type { OurOutcome } from './ours.js';
import type { OracleOutcome } from './promtool-oracle.js';

/**
 * The allow-list: disagreements that are differences between Prometheus 2.42 (the oracle Debian ships)
 * and Prometheus 3.x (what our evaluator follows), not bugs. Each entry names the upstream change and
 * matches only disagreements of its shape; anything else stays a reported disagreement.
 *
 * Found by this harness (upstream commits in prometheus/prometheus; module tag v0.3NN.0 = v3.NN.0):
 */
export interface KnownDifference {
  id: string;
  explanation: string;
  matches(c: Case, dataset: Dataset, ours: OurOutcome, theirs: OracleOutcome): boolean;
}

function withoutName(samples: readonly { labels: Record<string, string>; value: number }[]) {
  return samples.map((s) => {
    const { __name__: _dropped, ...rest } = s.labels;
    return { labels: rest, value: s.value };
  });
}

/** Value mismatches and presence differences only (no errors on either side). */
function sampleProblems(
  ours: OurOutcome,
  theirs: OracleOutcome,
): { ourValue?: number; theirValue?: number }[] | undefined {
  if (ours.kind !== 'samples' || theirs.kind !== 'samples') return undefined;
  const key = (l: Record<string, string>): string => JSON.stringify(Object.entries(l).sort());
  const mine = new Map(ours.samples.map((s) => [key(s.labels), s.value]));
  const theirsMap = new Map(theirs.samples.map((s) => [key(s.labels), s.value]));
  const out: { ourValue?: number; theirValue?: number }[] = [];
  for (const [k, v] of theirsMap) {
    const o = mine.get(k);
    if (o === undefined) out.push({ theirValue: v });
    else if (!(Object.is(o, v) || (Number.isNaN(o) && Number.isNaN(v))))
      out.push({ ourValue: o, theirValue: v });
  }
  for (const [k, v] of mine) if (!theirsMap.has(k)) out.push({ ourValue: v });
  return out;
}

function hasNonFinite(dataset: Dataset): boolean {
  return dataset.series.some((s) => s.values.some((v) => v !== null && !Number.isFinite(v)));
}

function hasHugeValues(dataset: Dataset): boolean {
  return dataset.series.some((s) =>
    s.values.some((v) => v !== null && Number.isFinite(v) && Math.abs(v) >= 1e15),
  );
}

const COMPARISON_FILTER = /(==|!=|>=|<=|>|<)(?!\s*bool\b)/i;

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'atan2-keeps-metric-name-before-2.47',
    explanation:
      '2.42 keeps __name__ on the result of `atan2` (its shouldDropMetricName lists + - * / ^ % only); ' +
      '2.47 drops it like every other arithmetic operator (commit 531567d46e "Drop metric name for atan2 ' +
      'binary operator"). Matches when the results agree once __name__ is removed from both sides.',
    matches(c, _d, ours, theirs) {
      if (!/\batan2\b/i.test(c.expr) || ours.kind !== 'samples' || theirs.kind !== 'samples') return false;
      const o: OurOutcome = { ...ours, samples: withoutName(ours.samples) };
      const t: OracleOutcome = { kind: 'samples', samples: withoutName(theirs.samples) };
      return compareOutcomes(c.expr, o, t).status === 'agree';
    },
  },
  {
    id: 'stddev-stdvar-of-one-nonfinite-sample',
    explanation:
      'stddev/stdvar of a group whose only sample is NaN or ±Inf: 2.42 returns 0 (Welford starts at 0 and ' +
      'never adds the first sample), 3.0 returns NaN (#14941, commit 5a4e4f6936). Matches expressions ' +
      'using stddev/stdvar where every difference is a NaN of ours where 2.42 has a number, or a sample ' +
      'that a later filter keeps on one side only (then the data must hold a NaN or ±Inf).',
    matches(c, dataset, ours, theirs) {
      if (!/\b(stddev|stdvar)\b/i.test(c.expr)) return false;
      const problems = sampleProblems(ours, theirs);
      if (!problems || problems.length === 0) return false;
      const ourNaN = (p: { ourValue?: number; theirValue?: number }): boolean =>
        p.ourValue !== undefined && p.theirValue !== undefined && Number.isNaN(p.ourValue);
      const presence = (p: { ourValue?: number; theirValue?: number }): boolean =>
        p.ourValue === undefined || p.theirValue === undefined;
      if (!problems.every((p) => ourNaN(p) || presence(p))) return false;
      return problems.some(ourNaN) || hasNonFinite(dataset);
    },
  },
  {
    id: 'filter-cardinality-checked-after-filtering-before-3.9',
    explanation:
      'One-to-one matching with a comparison filter: 2.42 checks "multiple matches for labels" only for ' +
      'pairs the filter keeps, so a duplicate whose comparison is false passes silently; 3.9 checks every ' +
      'matched pair before filtering (commit 4cad87cae8 "PromQL: Fix insufficient cardinality checking ' +
      'for filter ops"). Matches when only we fail with that error and the expression has a filter.',
    matches(c, _d, ours, theirs) {
      return (
        ours.kind === 'error' &&
        ours.message.startsWith('multiple matches for labels') &&
        theirs.kind === 'samples' &&
        COMPARISON_FILTER.test(c.expr)
      );
    },
  },
  {
    id: 'compensated-summation-since-2.54',
    explanation:
      'sum/avg/stddev/stdvar: 2.42 adds naively (avg as an incremental mean) in whatever order the series ' +
      'come, 2.54 sums with Kahan/Neumaier compensation (commit ea82b49c33; avg in 2.55, c46074f4dd). ' +
      'With magnitudes around 1e15 and above, cancellation makes the two differ by far more than rounding. ' +
      'Matches order-sensitive aggregations over data holding such magnitudes, when only values or ' +
      'filtered presence differ.',
    matches(c, dataset, ours, theirs) {
      if (!orderSensitive(c.expr) || !hasHugeValues(dataset)) return false;
      const problems = sampleProblems(ours, theirs);
      return problems !== undefined && problems.length > 0;
    },
  },
  {
    id: 'topk-parameter-below-one-checked-first-since-3.6',
    explanation:
      'topk/bottomk with a parameter of -Inf or at most -2**63: 2.42 checks the int64 range first and fails ' +
      'with "Scalar value -Inf overflows int64"; 3.6 returns the empty result for any k < 1 before checking ' +
      '(commit 44ee5e2ad6 "promql: fix topk error on NaN argument for non-existing series", which also ' +
      'words NaN as "Parameter value is NaN" and the negative side as "underflows"). Matches when promtool ' +
      'reports that overflow for a negative or infinite parameter and we return nothing.',
    matches(c, _d, ours, theirs) {
      return (
        /\b(topk|bottomk)\b/i.test(c.expr) &&
        theirs.kind === 'error' &&
        /^Scalar value -(Inf|\d[\d.e+]*) overflows int64$/.test(theirs.message) &&
        ours.kind === 'samples' &&
        ours.samples.length === 0
      );
    },
  },
];

export function knownDifference(
  c: Case,
  dataset: Dataset,
  ours: OurOutcome,
  theirs: OracleOutcome,
): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.matches(c, dataset, ours, theirs));
}
