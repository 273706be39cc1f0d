import { parseGoNumber } from '../../src/go/numbers.js';
import { UnquoteError, unquote } from '../../src/go/strings.js';

/**
 * The series notation shared by promqltest and promtool unit tests: `metric{label="value"} 1 2+3x2 _ stale`.
 * Values expand as Prometheus's series grammar does: `a+bxn` is n+1 values starting at a, adding b each step
 * (accumulated, like Go); `axn` is n+1 copies; `_` is a missing sample, `_xn` n missing samples; `stale` a
 * staleness marker; `{{…}}` a native histogram, also as `{{…}}xn` and `{{…}}+{{…}}xn` (recorded only as such:
 * flux-health does not evaluate them). Names may be written unquoted with Unicode letters and dots, as the
 * test engine allows (its parser enables unquoted UTF-8 names).
 */

export type SequenceValue =
  | { kind: 'float'; value: number }
  | { kind: 'omitted' }
  | { kind: 'stale' }
  | { kind: 'histogram'; text: string };

export class SeriesNotationError extends Error {}

// Go's lexer with unquoted UTF-8 names: a letter (any script) or `_` first (`:` too in metric names), then
// also ASCII digits and dots.
const UNQUOTED_NAME = /^[\p{L}_:][\p{L}0-9_:.]*/u;
const UNQUOTED_LABEL = /^[\p{L}_][\p{L}0-9_.]*/u;

/** Parses `name{a="b", …}` (either part optional) from the start of `text`; returns labels and the rest. */
export function parseSeriesLabels(text: string): { labels: Record<string, string>; rest: string } {
  let i = 0;
  const labels: Record<string, string> = {};
  const name = UNQUOTED_NAME.exec(text);
  if (name) {
    labels['__name__'] = name[0];
    i = name[0].length;
  }
  if (text[i] === '{') {
    i++;
    for (;;) {
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] === '}') {
        i++;
        break;
      }
      let label: string;
      const bare = UNQUOTED_LABEL.exec(text.slice(i));
      if (bare) {
        label = bare[0];
        i += label.length;
      } else if (text[i] === '"' || text[i] === "'") {
        const lit = readString(text, i);
        label = lit.value;
        i = lit.end;
      } else
        throw new SeriesNotationError(`unexpected ${JSON.stringify(text[i] ?? 'end of input')} in label set`);
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] !== '=') {
        if (!name && text[i] !== '=' && Object.keys(labels).length === 0) {
          // `{"metric.name", …}`: a quoted metric name.
          labels['__name__'] = label;
          if (text[i] === ',') i++;
          continue;
        }
        throw new SeriesNotationError(`expected "=" after label ${JSON.stringify(label)}`);
      }
      i++;
      while (/\s/.test(text[i] ?? '')) i++;
      const lit = readString(text, i);
      if (lit.value !== '') labels[label] = lit.value;
      i = lit.end;
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] === ',') i++;
    }
  } else if (!name) {
    throw new SeriesNotationError(`expected a metric name or "{" at ${JSON.stringify(text.slice(0, 20))}`);
  }
  return { labels, rest: text.slice(i) };
}

function readString(text: string, i: number): { value: string; end: number } {
  const q = text[i];
  if (q !== '"' && q !== "'" && q !== '`')
    throw new SeriesNotationError(`expected a quoted string at ${JSON.stringify(text.slice(i, i + 20))}`);
  let j = i + 1;
  while (j < text.length && text[j] !== q) j += text[j] === '\\' && q !== '`' ? 2 : 1;
  try {
    return { value: unquote(text.slice(i, j + 1)), end: j + 1 };
  } catch (e) {
    if (e instanceof UnquoteError)
      throw new SeriesNotationError(`bad string ${text.slice(i, j + 1)}: ${e.message}`);
    throw e;
  }
}

/** The end of the `{{…}}` starting at `i` (just past its `}}`). */
function histogramEnd(text: string, i: number): number {
  const end = text.indexOf('}}', i + 2);
  if (end < 0)
    throw new SeriesNotationError(`unterminated histogram ${JSON.stringify(text.slice(i, i + 20))}`);
  return end + 2;
}

/** Splits the values part into items, keeping `{{…}}` histograms (which contain spaces) whole. */
function valueTokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (/\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    let j = i;
    if (text.startsWith('{{', i)) {
      j = histogramEnd(text, i);
      // `{{a}}+{{b}}xn` and `{{a}}-{{b}}xn`: the increment is a histogram too.
      if ((text[j] === '+' || text[j] === '-') && text.startsWith('{{', j + 1)) j = histogramEnd(text, j + 1);
    }
    while (j < text.length && !/\s/.test(text[j] as string)) j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

function parseValue(tok: string): number | 'stale' {
  if (tok === 'stale') return 'stale';
  const v = parseGoNumber(tok);
  if (v === undefined)
    throw new SeriesNotationError(`bad value ${JSON.stringify(tok)}: expected a number or "stale"`);
  return v;
}

export function parseSequence(text: string): SequenceValue[] {
  const out: SequenceValue[] = [];
  const push = (v: number | 'stale'): void => {
    out.push(v === 'stale' ? { kind: 'stale' } : { kind: 'float', value: v });
  };
  for (const tok of valueTokens(text)) {
    if (tok.startsWith('{{')) {
      const m = /^(\{\{.*?\}\})(?:[+-](\{\{.*\}\}))?(?:x(\d+))?$/s.exec(tok);
      if (!m || (m[2] !== undefined && m[3] === undefined))
        throw new SeriesNotationError(`bad histogram sequence ${JSON.stringify(tok)}`);
      const n = m[3] !== undefined ? Number(m[3]) + 1 : 1;
      for (let k = 0; k < n; k++) out.push({ kind: 'histogram', text: m[1] as string });
      continue;
    }
    if (tok === '_') {
      out.push({ kind: 'omitted' });
      continue;
    }
    const blank = /^_x(\d+)$/.exec(tok);
    if (blank) {
      for (let k = 0; k < Number(blank[1]); k++) out.push({ kind: 'omitted' });
      continue;
    }
    const times = /^(.*)x(\d+)$/.exec(tok);
    if (!times) {
      push(parseValue(tok));
      continue;
    }
    const head = times[1] as string;
    const n = Number(times[2]);
    // Split `a+b` / `a-b` at a sign that is not the leading one and not part of an exponent.
    let split = -1;
    for (let k = 1; k < head.length; k++) {
      const c = head[k];
      if ((c === '+' || c === '-') && !/[eE]/.test(head[k - 1] as string)) split = k;
    }
    if (split < 0) {
      const v = parseValue(head);
      for (let k = 0; k <= n; k++) push(v);
      continue;
    }
    const base = parseValue(head.slice(0, split));
    const inc = parseValue(head.slice(split));
    if (base === 'stale' || inc === 'stale')
      throw new SeriesNotationError(`bad value ${JSON.stringify(tok)}`);
    let v = base;
    for (let k = 0; k <= n; k++) {
      push(v);
      v += inc;
    }
  }
  return out;
}

/** Parses a whole line: labels, then values. */
export function parseSeriesLine(line: string): { labels: Record<string, string>; values: SequenceValue[] } {
  const { labels, rest } = parseSeriesLabels(line.trim());
  return { labels, values: parseSequence(rest) };
}
