import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from './prng.js';
import { promqlCasesDir } from '../promql/cases-dir.js';

/**
 * Mutation fuzzing input: valid expressions broken in small ways (tokens and characters deleted,
 * inserted, swapped, duplicated), plus a few pathological shapes (deep nesting, long literals). The
 * evaluator must answer each with a result or a PromQLError, never anything else.
 */

/** A rough PromQL tokenizer: good enough to cut expressions at token boundaries. */
export function roughTokens(expr: string): string[] {
  const re =
    /"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`[^`]*`?|\d[\w.]*(?:[eE][-+]?\d+)?|\.\d+|[A-Za-z_:][\w:]*|=~|!~|!=|==|>=|<=|\s+|./gsu;
  return expr.match(re) ?? [];
}

/** Bits of PromQL (and of 3.x-only or invalid syntax) that mutations splice in. */
const TOKEN_POOL = [
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '=',
  '=~',
  '!=',
  '!~',
  '==',
  '>',
  '<',
  '>=',
  '<=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  'and',
  'or',
  'unless',
  'atan2',
  'bool',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  '@',
  'start()',
  'end()',
  '[5m]',
  '[5m:1m]',
  '5m',
  '1_000',
  '0x',
  '0x1f',
  '1e',
  'Inf',
  'NaN',
  '-Inf',
  '"',
  "'",
  '`',
  '"a"',
  '""',
  '\\',
  'sum',
  'topk',
  'quantile',
  'count_values',
  'limitk',
  'limit_ratio',
  'rate',
  'abs',
  'label_replace',
  'label_join',
  'absent',
  'scalar',
  'vector',
  'time',
  'histogram_quantile',
  'sort_by_label',
  'info',
  'fill(0)',
  'fill_left(1)',
  '</',
  '>/',
  'smoothed',
  'anchored',
  '{"utf8.name"}',
  '#',
  '\n',
  '__name__',
  'le',
  'm',
  'x',
  '1',
  '0',
  '-',
  ' ',
];
const CHAR_POOL = '(){}[],:=!~<>+-*/%^@"\'`\\#\n\t .0123456789eExabcmnz_\u00e9\u{1F600}\u0000';

export function mutate(rng: Rng, expr: string): string {
  const tokens = roughTokens(expr);
  const steps = rng.int(1, 3);
  let out = expr;
  for (let s = 0; s < steps; s++) {
    const op = rng.int(0, 7);
    if (op <= 3 && tokens.length > 0) {
      const i = rng.int(0, tokens.length - 1);
      if (op === 0) tokens.splice(i, 1);
      else if (op === 1) tokens.splice(i, 0, rng.pick(TOKEN_POOL));
      else if (op === 2) {
        const j = rng.int(0, tokens.length - 1);
        [tokens[i], tokens[j]] = [tokens[j] as string, tokens[i] as string];
      } else tokens.splice(i, 0, tokens[i] as string);
      out = tokens.join('');
      continue;
    }
    const chars = Array.from(out);
    const i = rng.int(0, chars.length);
    if (op === 4 && chars.length > 0) chars.splice(Math.min(i, chars.length - 1), 1);
    else if (op === 5) chars.splice(i, 0, rng.pick(Array.from(CHAR_POOL)));
    else if (op === 6 && chars.length > 1) {
      const j = Math.min(i, chars.length - 2);
      [chars[j], chars[j + 1]] = [chars[j + 1] as string, chars[j] as string];
    } else chars.splice(i, 0, ...chars.slice(i, i + rng.int(1, 8)));
    out = chars.join('');
    tokens.splice(0, tokens.length, ...roughTokens(out));
  }
  return out;
}

/** Shapes that stress recursion and literal handling rather than grammar corners. */
export function pathologicalExpressions(): string[] {
  const deep = 5000;
  return [
    '('.repeat(deep) + 'm' + ')'.repeat(deep),
    '-'.repeat(deep) + 'm',
    '-'.repeat(deep) + '1',
    'm' + ' + m'.repeat(deep),
    '2' + ' ^ 2'.repeat(deep),
    'abs('.repeat(deep) + 'm' + ')'.repeat(deep),
    'sum('.repeat(2000) + 'm' + ')'.repeat(2000),
    '('.repeat(deep),
    ')'.repeat(deep),
    '{'.repeat(deep),
    `m{a="${'x'.repeat(100_000)}"}`,
    `m{a=~"${'(a|'.repeat(500)}${')'.repeat(500)}"}`,
    `m{a=~"(a*)*b"}`,
    '9'.repeat(400),
    '0x' + 'f'.repeat(400),
    '1e999999',
    '"' + '\\'.repeat(999) + '"',
    '',
    ' ',
    '#only a comment',
    'm # comment',
    '\u0000',
    '"\\xff\\u0000"',
    'label_replace(m, "a", "$999999999999", "b", "(.*)")',
    'count_values("\\xff", m)',
    'topk(9007199254740993, m)',
    'quantile(1e308, m)',
    'round(m, 1e-320)',
    'clamp(m, NaN, -Inf)',
  ];
}

/**
 * Expressions to mutate from a corpus when it is present on this machine: promqltest scripts
 * (`eval instant at T EXPR`) and promtool unit/rule files (`expr:` lines).
 */
export function corpusExpressions(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (name.endsWith('.test')) {
        for (const line of readFileSync(file, 'utf8').split('\n')) {
          const m = /^eval(?:_fail|_ordered)?\s+instant\s+at\s+\S+\s+(.*)$/.exec(line.trim());
          if (m?.[1]) out.push(m[1]);
        }
      } else if (name.endsWith('.yml') || name.endsWith('.yaml')) {
        for (const line of readFileSync(file, 'utf8').split('\n')) {
          const m = /^\s*-?\s*\{?\s*expr:\s*(.*?)\s*,?\s*(eval_time:.*)?$/.exec(line);
          const raw = m?.[1]?.replace(/^['"]|['"],?$/g, '');
          if (raw) out.push(raw);
        }
      }
    }
  }
  return out;
}

/** Prometheus's promqltest files from the Go module proxy (scripts/setup/promql-cases.sh). */
export const SHARED_CORPUS_DIRS = [process.env.FLUX_HEALTH_PROMQL_CORPUS ?? promqlCasesDir()];
