import { parseGoNumber } from '../go/numbers.js';
import type { SeriesInput } from './store.js';

/**
 * Reads Prometheus text exposition (format 0.0.4, as written by prom-client or any scrape) into series:
 * HELP and TYPE lines are checked for shape and otherwise ignored, histograms and summaries are read as the
 * plain `_bucket`/`_sum`/`_count`/quantile series they consist of. Samples without a timestamp are placed at
 * `defaultTimestampMs`.
 */

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`text format parsing error in line ${line}: ${detail}`);
    this.name = 'ExpositionError';
  }
}

const METRIC_TYPES = new Set([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
  'info',
  'stateset',
  'gaugehistogram',
  'unknown',
]);

function readLabelValue(line: string, i: number, lineNo: number): { value: string; end: number } {
  if (line[i] !== '"')
    throw new ExpositionError(
      lineNo,
      `expected '"' to start a label value, got ${JSON.stringify(line[i] ?? 'end of line')}`,
    );
  let out = '';
  for (let j = i + 1; j < line.length; j++) {
    const c = line[j] as string;
    if (c === '"') return { value: out, end: j + 1 };
    if (c === '\\') {
      const e = line[j + 1];
      if (e === 'n') out += '\n';
      else if (e === '\\') out += '\\';
      else if (e === '"') out += '"';
      else throw new ExpositionError(lineNo, `invalid escape sequence '\\${e ?? ''}' in label value`);
      j++;
      continue;
    }
    out += c;
  }
  throw new ExpositionError(lineNo, `unexpected end of label value ${JSON.stringify(out)}`);
}

function parseSampleLine(
  line: string,
  lineNo: number,
): { labels: Record<string, string>; value: number; t?: number } {
  const labels: Record<string, string> = {};
  let i = 0;
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (name) {
    labels['__name__'] = name[0];
    i = name[0].length;
  } else if (line[0] !== '{') {
    throw new ExpositionError(lineNo, `invalid metric name in ${JSON.stringify(line.slice(0, 40))}`);
  }
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      let label: string;
      if (line[i] === '"') {
        const q = readLabelValue(line, i, lineNo);
        label = q.value;
        i = q.end;
        while (line[i] === ' ') i++;
        if (line[i] !== '=') {
          // `{"metric.name", …}`: a quoted metric name (UTF-8 names in newer exposition).
          if (labels['__name__'] !== undefined)
            throw new ExpositionError(lineNo, `metric name set twice: ${JSON.stringify(label)}`);
          labels['__name__'] = label;
          if (line[i] === ',') i++;
          continue;
        }
      } else {
        const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
        if (!m)
          throw new ExpositionError(lineNo, `invalid label name at ${JSON.stringify(line.slice(i, i + 20))}`);
        label = m[0];
        i += label.length;
        while (line[i] === ' ') i++;
      }
      if (line[i] !== '=')
        throw new ExpositionError(lineNo, `expected '=' after label name ${JSON.stringify(label)}`);
      i++;
      while (line[i] === ' ') i++;
      const v = readLabelValue(line, i, lineNo);
      if (label in labels && label !== '__name__')
        throw new ExpositionError(lineNo, `duplicate label name ${JSON.stringify(label)}`);
      labels[label] = v.value;
      i = v.end;
      while (line[i] === ' ') i++;
      if (line[i] === ',') i++;
      else if (line[i] !== '}')
        throw new ExpositionError(
          lineNo,
          `unexpected ${JSON.stringify(line[i] ?? 'end of line')} in label set`,
        );
    }
  }
  if (labels['__name__'] === undefined) throw new ExpositionError(lineNo, 'sample without a metric name');
  const rest = line
    .slice(i)
    .trim()
    .split(/[ \t]+/);
  if (rest.length === 0 || rest[0] === '')
    throw new ExpositionError(lineNo, 'expected a value after the labels');
  if (rest.length > 2)
    throw new ExpositionError(lineNo, `unexpected ${JSON.stringify(rest[2])} after value and timestamp`);
  const value = parseGoNumber(rest[0] as string);
  if (value === undefined || /^0[0-7xXbBoO_]/.test(rest[0] as string)) {
    const v = Number(rest[0]);
    if (Number.isNaN(v) || rest[0] === '')
      throw new ExpositionError(lineNo, `invalid value ${JSON.stringify(rest[0])}`);
    return withTimestamp(labels, v, rest[1], lineNo);
  }
  return withTimestamp(labels, value, rest[1], lineNo);
}

function withTimestamp(
  labels: Record<string, string>,
  value: number,
  ts: string | undefined,
  lineNo: number,
): { labels: Record<string, string>; value: number; t?: number } {
  if (ts === undefined) return { labels, value };
  if (!/^-?\d+$/.test(ts)) throw new ExpositionError(lineNo, `invalid timestamp ${JSON.stringify(ts)}`);
  return { labels, value, t: Number(ts) };
}

/** Parses exposition text; throws ExpositionError with the 1-based line number. */
export function parseExposition(text: string, defaultTimestampMs: number): SeriesInput[] {
  const byKey = new Map<string, SeriesInput>();
  const lines = text.split('\n');
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const line = raw.replace(/\r$/, '').trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#\s*(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!m) return; // a plain comment
      if (m[1] === 'TYPE' && !METRIC_TYPES.has((m[3] ?? '').trim())) {
        throw new ExpositionError(lineNo, `unknown metric type ${JSON.stringify((m[3] ?? '').trim())}`);
      }
      return;
    }
    const s = parseSampleLine(line, lineNo);
    const key = JSON.stringify(Object.entries(s.labels).sort());
    const t = s.t ?? defaultTimestampMs;
    const existing = byKey.get(key);
    if (existing) {
      if (existing.samples.some((x) => x.t === t))
        throw new ExpositionError(lineNo, `duplicate sample for series ${line.split(' ')[0] ?? ''}`);
      existing.samples.push({ t, v: s.value });
    } else byKey.set(key, { labels: s.labels, samples: [{ t, v: s.value }] });
  });
  return [...byKey.values()];
}
