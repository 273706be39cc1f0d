import { STEP_MS, type Case, type Dataset } from './generate.js';
import { compareBatch, type CaseResult } from './run.js';

/**
 * Shrinks a disagreeing case's dataset for a readable report: drops series one at a time, then trailing
 * samples, keeping each cut while the case still disagrees the same way (same allow-list verdict).
 * One promtool run per attempt, so only the script uses it.
 */
export async function minimizeDataset(dataset: Dataset, c: Case, original: CaseResult): Promise<Dataset> {
  const sameFailure = (r: CaseResult | undefined): boolean =>
    r !== undefined && r.verdict.status === 'disagree' && r.known?.id === original.known?.id;
  const attempt = async (d: Dataset): Promise<boolean> => sameFailure((await compareBatch(d, [c]))[0]);

  let current: Dataset = { series: dataset.series.slice() };
  for (let i = current.series.length - 1; i >= 0; i--) {
    const candidate: Dataset = { series: current.series.filter((_, j) => j !== i) };
    if (await attempt(candidate)) current = candidate;
  }
  // Samples after the evaluation time can never matter; cut them, then keep only the visible window.
  const lastStep = Math.floor(c.timeMs / STEP_MS);
  const cut: Dataset = {
    series: current.series.map((s) => ({ labels: s.labels, values: s.values.slice(0, lastStep + 1) })),
  };
  if (await attempt(cut)) current = cut;
  return current;
}
