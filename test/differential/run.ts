import { compareOutcomes, type Verdict } from './compare.js';
import { generateCases, generateDataset, type Case, type Dataset } from './generate.js';
import { knownDifference, type KnownDifference } from './known-differences.js';
import { buildStore, evaluateOurs, type OurOutcome } from './ours.js';
import { Rng } from './prng.js';
import { evaluateWithPromtool, type OracleOutcome } from './promtool-oracle.js';

/** One compared case, with everything needed to reproduce it. */
export interface CaseResult {
  batch: number;
  dataset: Dataset;
  case: Case;
  ours: OurOutcome;
  theirs: OracleOutcome;
  verdict: Verdict;
  /** Set when a disagreement is on the allow-list (known-differences.ts). */
  known?: KnownDifference;
}

export interface RunSummary {
  results: CaseResult[];
  agreed: number;
  /** Disagreements not on the allow-list. */
  disagreed: CaseResult[];
  /** Disagreements explained by the allow-list. */
  allowed: CaseResult[];
  discarded: CaseResult[];
}

export interface RunOptions {
  seed: number;
  cases: number;
  /** Cases per promtool process (one dataset each). */
  batchSize?: number;
  /** promtool processes at once. */
  concurrency?: number;
  maxDepth?: number;
}

/**
 * promtool loads input series in Go map order, so their order differs from run to run, and results that
 * depend on it (ties cut by topk/bottomk, which of two equal values wins, float summation order) are not
 * determined by the test file. A disagreement is put down to that when our evaluator, given the same series
 * in another order, agrees with promtool. Tries reversed and sorted orders and some seeded shuffles.
 */
function agreesInAnotherOrder(dataset: Dataset, c: Case, theirs: OracleOutcome): boolean {
  const n = dataset.series.length;
  if (n < 2) return false;
  const orders: number[][] = [];
  const ids = Array.from({ length: n }, (_, i) => i);
  orders.push(ids.slice().reverse());
  const key = (i: number): string => JSON.stringify(Object.entries(dataset.series[i]?.labels ?? {}).sort());
  const sorted = ids.slice().sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  orders.push(sorted, sorted.slice().reverse());
  const rng = new Rng(0x5eed ^ n);
  for (let k = 0; k < 24; k++) {
    const p = ids.slice();
    for (let i = p.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [p[i], p[j]] = [p[j] as number, p[i] as number];
    }
    orders.push(p);
  }
  for (const order of orders) {
    const permuted: Dataset = { series: order.map((i) => dataset.series[i] as Dataset['series'][number]) };
    const ours = evaluateOurs(buildStore(permuted), c.expr, c.timeMs);
    if (compareOutcomes(c.expr, ours, theirs).status === 'agree') return true;
  }
  return false;
}

export const ORDER_DEPENDENT =
  'order-dependent: promtool loads series in random (Go map) order and this result depends on it; ours agrees under another order';

/** Compares already generated cases over one dataset. */
export async function compareBatch(
  dataset: Dataset,
  cases: readonly Case[],
  batch = 0,
): Promise<CaseResult[]> {
  const store = buildStore(dataset);
  const theirs = await evaluateWithPromtool(dataset, cases);
  return cases.map((c, i) => {
    const ours = evaluateOurs(store, c.expr, c.timeMs);
    const oracle = theirs[i] as OracleOutcome;
    const verdict = compareOutcomes(c.expr, ours, oracle);
    const result: CaseResult = { batch, dataset, case: c, ours, theirs: oracle, verdict };
    if (verdict.status === 'disagree' && ours.kind !== 'crash' && agreesInAnotherOrder(dataset, c, oracle)) {
      result.verdict = { status: 'discarded', reason: ORDER_DEPENDENT };
    } else if (verdict.status === 'disagree') {
      const known = knownDifference(c, dataset, ours, oracle);
      if (known) result.known = known;
    }
    return result;
  });
}

export function summarize(results: CaseResult[]): RunSummary {
  const summary: RunSummary = { results, agreed: 0, disagreed: [], allowed: [], discarded: [] };
  for (const r of results) {
    if (r.verdict.status === 'agree') summary.agreed++;
    else if (r.verdict.status === 'discarded') summary.discarded.push(r);
    else if (r.known) summary.allowed.push(r);
    else summary.disagreed.push(r);
  }
  return summary;
}

/**
 * Generates `cases` cases from `seed` in batches (a fresh random dataset per batch, so label sets and
 * values vary too) and compares each with promtool. Deterministic for a given seed and options.
 */
export async function runDifferential(opts: RunOptions): Promise<RunSummary> {
  const batchSize = opts.batchSize ?? 125;
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const root = new Rng(opts.seed);
  const batches: { dataset: Dataset; cases: Case[] }[] = [];
  for (let left = opts.cases, b = 0; left > 0; left -= batchSize, b++) {
    const rng = root.fork();
    const dataset = generateDataset(rng);
    batches.push({ dataset, cases: generateCases(rng, Math.min(batchSize, left), opts.maxDepth) });
  }
  const out: CaseResult[][] = new Array<CaseResult[]>(batches.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const b = next++;
      const { dataset, cases } = batches[b] as { dataset: Dataset; cases: Case[] };
      out[b] = await compareBatch(dataset, cases, b);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  return summarize(out.flat());
}
