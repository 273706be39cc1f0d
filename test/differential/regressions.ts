import { readFileSync } from 'node:fs';
import { STEPS, type Case, type Dataset, type GeneratedSeries } from './generate.js';
import { seriesDescriptor } from './promtool-oracle.js';

/**
 * Disagreements found so far, kept as data (regressions.json) and re-run by the differential test:
 * each entry is a minimised dataset, an expression, the evaluation time, what promtool answered when
 * it was recorded, and what the finding is.
 */
export interface RegressionEntry {
  id: string;
  expr: string;
  timeMs: number;
  /** promtool's series notation: `name{label="value", …}` and space-separated values (`_` = none). */
  series: { series: string; values: string }[];
  /** promtool's answer (the pinned release), as describeTheirs prints it (checked on every run). */
  promtool: string;
  /** Our answer when the entry was recorded (documentation only). */
  oursWhenFound: string;
  finding: string;
  /**
   * Set for allow-listed differences: the case must still disagree and be explained by this
   * entry of known-differences.ts. Without it the case must agree (a bug entry fails until it is fixed).
   */
  knownDifference?: string;
}

export function parseSeriesDescriptor(text: string): Record<string, string> {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\{(.*)\}$/.exec(text);
  if (!m) throw new Error(`bad series descriptor: ${text}`);
  const labels: Record<string, string> = {};
  if (m[1]) labels.__name__ = m[1];
  const body = m[2] as string;
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const lm = re.exec(body);
    if (!lm) throw new Error(`bad label list in ${text}`);
    labels[lm[1] as string] = JSON.parse(`"${lm[2] as string}"`) as string;
    pos = re.lastIndex;
  }
  return labels;
}

export function parseValues(text: string): (number | null)[] {
  const values = text
    .trim()
    .split(/\s+/)
    .map((tok) => {
      if (tok === '_') return null;
      if (tok === 'NaN') return NaN;
      if (tok === 'Inf' || tok === '+Inf') return Infinity;
      if (tok === '-Inf') return -Infinity;
      const v = Number(tok);
      if (Number.isNaN(v)) throw new Error(`bad sample value ${tok}`);
      return v;
    });
  if (values.length > STEPS) throw new Error(`more than ${STEPS} values: ${text}`);
  return values;
}

/** Back to the notation above (the inverse of the two parsers, for printing new entries). */
export function formatValues(values: readonly (number | null)[]): string {
  return values
    .map((v) => {
      if (v === null) return '_';
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'Inf';
      if (v === -Infinity) return '-Inf';
      return Object.is(v, -0) ? '-0' : String(v);
    })
    .join(' ');
}

export function datasetOf(entry: RegressionEntry): Dataset {
  return {
    series: entry.series.map((s): GeneratedSeries => ({
      labels: parseSeriesDescriptor(s.series),
      values: parseValues(s.values),
    })),
  };
}

export function caseOf(entry: RegressionEntry): Case {
  return { expr: entry.expr, timeMs: entry.timeMs };
}

export function seriesNotation(dataset: Dataset): { series: string; values: string }[] {
  return dataset.series.map((s) => ({ series: seriesDescriptor(s.labels), values: formatValues(s.values) }));
}

export const REGRESSIONS_FILE = new URL('./regressions.json', import.meta.url);

export function loadRegressions(): RegressionEntry[] {
  return JSON.parse(readFileSync(REGRESSIONS_FILE, 'utf8')) as RegressionEntry[];
}
