import type { InstantValue } from './evaluator.js';
import { formatGoFloat } from '../go/numbers.js';

/**
 * The Prometheus HTTP API shape of an instant query result (`/api/v1/query`): values are strings formatted
 * like Go's strconv.FormatFloat(v, 'f', -1, 64) (`NaN`, `+Inf`, `-Inf`), times are Unix seconds.
 */

export interface ApiSuccess {
  status: 'success';
  data:
    | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
    | { resultType: 'scalar'; result: [number, string] }
    | { resultType: 'string'; result: [number, string] };
  /** Prometheus's warning annotations (e.g. a quantile outside [0, 1]); present only when there are any. */
  warnings?: string[];
  /** Prometheus's info annotations (e.g. histogram_quantile had to force monotonicity); likewise. */
  infos?: string[];
}

export interface Annotations {
  warnings: readonly string[];
  infos: readonly string[];
}

export interface ApiError {
  status: 'error';
  /** `bad_data` for unparsable input, `execution` for evaluation errors, as Prometheus answers. */
  errorType: 'bad_data' | 'execution';
  error: string;
}

export function toApiResult(value: InstantValue, timeMs: number, annotations?: Annotations): ApiSuccess {
  const out = resultOf(value, timeMs);
  // As the API does, the fields are left out when empty.
  if (annotations && annotations.warnings.length > 0) out.warnings = [...annotations.warnings];
  if (annotations && annotations.infos.length > 0) out.infos = [...annotations.infos];
  return out;
}

function resultOf(value: InstantValue, timeMs: number): ApiSuccess {
  const t = timeMs / 1000;
  switch (value.type) {
    case 'vector':
      return {
        status: 'success',
        data: {
          resultType: 'vector',
          result: value.samples.map((s) => ({ metric: s.labels, value: [t, formatGoFloat(s.value)] })),
        },
      };
    case 'scalar':
      return { status: 'success', data: { resultType: 'scalar', result: [t, formatGoFloat(value.value)] } };
    case 'string':
      return { status: 'success', data: { resultType: 'string', result: [t, value.value] } };
  }
}

export function toApiError(errorType: ApiError['errorType'], message: string): ApiError {
  return { status: 'error', errorType, error: message };
}
