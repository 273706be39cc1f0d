import type { Case, Dataset } from './generate.js';
import type { OurOutcome } from './ours.js';
import type { OracleOutcome } from './promtool-oracle.js';

/**
 * The allow-list: disagreements that are differences between Prometheus 2.42 (the oracle Debian ships)
 * and Prometheus 3.x (what our evaluator follows), not bugs. Each entry says why, and matches only the
 * cases it explains.
 */
export interface KnownDifference {
  id: string;
  explanation: string;
  matches(c: Case, dataset: Dataset, ours: OurOutcome, theirs: OracleOutcome): boolean;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [];

export function knownDifference(
  c: Case,
  dataset: Dataset,
  ours: OurOutcome,
  theirs: OracleOutcome,
): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.matches(c, dataset, ours, theirs));
}
