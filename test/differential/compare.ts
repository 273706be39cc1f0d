import type { OracleOutcome, OracleSample } from './promtool-oracle.js';
import type { OurOutcome } from './ours.js';

/**
 * Our result against promtool's. Agreement means: both raised an error (the texts are recorded but need
 * not match), or both produced the same set of label sets with the same value for each.
 *
 * Values are compared exactly (bit for bit, except that NaN equals NaN and -0 differs from 0, since
 * promtool prints `-0E+00` and `$value` templates would too), with one exception: where the expression
 * aggregates with sum/avg/stddev/stdvar, the result depends on the order the series are added in, and
 * promtool's order is random (its test loader keeps series in a Go map), so the last bits may
 * legitimately differ; there a relative tolerance of 1e-12 applies. Differences beyond that are reported
 * and judged by the allow-list (known-differences.ts).
 */

export type Verdict =
  { status: 'agree' } | { status: 'disagree'; reason: string } | { status: 'discarded'; reason: string };

export const RELATIVE_TOLERANCE = 1e-12;

/** Aggregations whose floating-point result depends on the order the series come in. */
const ORDER_SENSITIVE = /\b(sum|avg|stddev|stdvar)\b\s*(\(|by\b|without\b)/i;

export function orderSensitive(expr: string): boolean {
  return ORDER_SENSITIVE.test(expr);
}

export function valuesAgree(ours: number, theirs: number, tolerant: boolean): boolean {
  if (Number.isNaN(ours) || Number.isNaN(theirs)) return Number.isNaN(ours) && Number.isNaN(theirs);
  if (Object.is(ours, theirs)) return true;
  if (!tolerant || !Number.isFinite(ours) || !Number.isFinite(theirs)) return false;
  return Math.abs(ours - theirs) <= RELATIVE_TOLERANCE * Math.max(Math.abs(ours), Math.abs(theirs));
}

export function labelKey(labels: Record<string, string>): string {
  const names = Object.keys(labels)
    .filter((n) => labels[n] !== '')
    .sort();
  return `{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(', ')}}`;
}

export function formatValue(v: number): string {
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

export function formatSamples(samples: readonly OracleSample[]): string {
  if (samples.length === 0) return '(empty)';
  return samples
    .map((s) => `${labelKey(s.labels)} ${formatValue(s.value)}`)
    .sort()
    .join(', ');
}

export function describeOurs(o: OurOutcome): string {
  switch (o.kind) {
    case 'samples':
      return `${o.type === 'scalar' ? 'scalar ' : ''}${formatSamples(o.samples)}`;
    case 'string':
      return `string ${JSON.stringify(o.value)}`;
    case 'error':
      return `error: ${o.message}`;
    case 'crash':
      return `CRASH: ${o.message}`;
  }
}

export function describeTheirs(o: OracleOutcome): string {
  switch (o.kind) {
    case 'samples':
      return formatSamples(o.samples);
    case 'error':
      return `error: ${o.message}`;
    case 'discarded':
      return `discarded: ${o.reason}`;
  }
}

export function compareOutcomes(expr: string, ours: OurOutcome, theirs: OracleOutcome): Verdict {
  if (ours.kind === 'crash')
    return { status: 'disagree', reason: 'our evaluator threw something other than PromQLError' };
  if (theirs.kind === 'discarded') return { status: 'discarded', reason: theirs.reason };
  if (ours.kind === 'string') {
    // promtool's unit tests cannot show a string result; they report it as this error.
    if (theirs.kind === 'error' && theirs.message === 'rule result is not a vector or scalar') {
      return { status: 'discarded', reason: 'string result: promtool cannot show it' };
    }
    return { status: 'disagree', reason: 'we returned a string, promtool did not' };
  }
  if (ours.kind === 'error' || theirs.kind === 'error') {
    if (ours.kind === 'error' && theirs.kind === 'error') return { status: 'agree' };
    return { status: 'disagree', reason: ours.kind === 'error' ? 'only we failed' : 'only promtool failed' };
  }
  const tolerant = orderSensitive(expr);
  const mine = new Map<string, number>();
  for (const s of ours.samples) {
    const k = labelKey(s.labels);
    if (mine.has(k)) return { status: 'disagree', reason: `we returned the label set ${k} twice` };
    mine.set(k, s.value);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const s of theirs.samples) {
    const k = labelKey(s.labels);
    seen.add(k);
    const v = mine.get(k);
    if (v === undefined) problems.push(`missing ${k}`);
    else if (!valuesAgree(v, s.value, tolerant))
      problems.push(`${k}: ours ${formatValue(v)}, promtool ${formatValue(s.value)}`);
  }
  for (const k of mine.keys()) if (!seen.has(k)) problems.push(`extra ${k}`);
  if (problems.length === 0) return { status: 'agree' };
  return { status: 'disagree', reason: problems.slice(0, 5).join('; ') + (problems.length > 5 ? '; …' : '') };
}
