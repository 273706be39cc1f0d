import { toApiError, toApiResult } from './api-json.js';
import { PromQLError } from './errors.js';
import { evaluateWithAnnotations } from './evaluator.js';
import { ExpositionError, parseExposition } from './exposition.js';
import { SeriesStore } from './store.js';

export interface QueryOutcome {
  /** Prometheus HTTP API JSON, one line. */
  json: string;
  /** 0 on success, 2 on bad input (unreadable metrics, invalid or unevaluable expression). */
  exitCode: 0 | 2;
}

/**
 * The core of `flux-health query`: reads exposition text (samples without timestamps are taken to be at
 * `timeMs`), evaluates `exprText` at `timeMs` and answers like Prometheus's /api/v1/query, with its
 * `warnings` and `infos` annotations.
 */
export function runQuery(expositionText: string, exprText: string, timeMs: number): QueryOutcome {
  try {
    const store = new SeriesStore(parseExposition(expositionText, timeMs));
    const r = evaluateWithAnnotations(exprText, store, timeMs);
    return { json: JSON.stringify(toApiResult(r.value, timeMs, r)), exitCode: 0 };
  } catch (e) {
    if (e instanceof ExpositionError)
      return { json: JSON.stringify(toApiError('bad_data', `metrics: ${e.message}`)), exitCode: 2 };
    // Prometheus itself says `execution` for evaluation errors; flux-health's interface promises
    // `bad_data` for every error (exit 2), so scripts need to test one value only.
    if (e instanceof PromQLError)
      return { json: JSON.stringify(toApiError('bad_data', e.message)), exitCode: 2 };
    throw e;
  }
}
