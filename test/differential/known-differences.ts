import { orderSensitive } from './compare.js';
import type { Case, Dataset } from './generate.js';
import type { OurOutcome } from './ours.js';
import type { OracleOutcome } from './promtool-oracle.js';

/**
 * The allow-list: disagreements with promtool 3.16 that are not bugs of ours. Each entry gives the
 * upstream reason and matches only disagreements of its shape; anything else stays a reported
 * disagreement.
 *
 * With Debian's promtool 2.42 as the oracle this list held five differences between 2.42 and 3.x. Four
 * are gone against 3.16, which answers as we do (their examples stay in regressions.json, now as cases
 * that must agree): atan2 dropping the metric name (2.47, commit 531567d46e), stddev/stdvar of a lone
 * NaN or ±Inf being NaN (3.0, #14941), one-to-one cardinality checked before a comparison filter (3.9,
 * commit 4cad87cae8), and topk/bottomk with k below one returning nothing (3.6, commit 44ee5e2ad6). The
 * fifth, float summation, is no longer a difference between versions but between series orders, and is
 * kept below with that reason.
 */
export interface KnownDifference {
  id: string;
  explanation: string;
  matches(c: Case, dataset: Dataset, ours: OurOutcome, theirs: OracleOutcome): boolean;
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

function hasHugeValues(dataset: Dataset): boolean {
  return dataset.series.some((s) =>
    s.values.some((v) => v !== null && Number.isFinite(v) && Math.abs(v) >= 1e15),
  );
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'summation-order-with-huge-magnitudes',
    explanation:
      'sum/avg/stddev/stdvar add the series of a group in the order the storage returns them. promtool ' +
      "loads its input through promqltest's load command, which keeps the series in a Go map " +
      '(loadCmd.defs, promql/promqltest/test.go), so that order changes from run to run. Kahan/Neumaier ' +
      'compensation (2.54, commit ea82b49c33) does not make the result order-free: with magnitudes ' +
      'around 1e15 and above, cancellation leaves results that differ far beyond rounding, and the ' +
      "runner tries only a few dozen orders of ours to find promtool's. Matches order-sensitive " +
      'aggregations over data holding such magnitudes, when only values or filtered presence differ.',
    matches(c, dataset, ours, theirs) {
      if (!orderSensitive(c.expr) || !hasHugeValues(dataset)) return false;
      const problems = sampleProblems(ours, theirs);
      return problems !== undefined && problems.length > 0;
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
