import { describe, expect, it } from 'vitest';
import { PromQLError, SeriesStore, evaluateInstant, parseExpr } from '../../src/promql/index.js';

/** mulberry32: a small seeded PRNG so every run explores the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'max(gotk_reconcile_condition{status="False",type="Ready"}) by (namespace, name, kind) + on(namespace, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (namespace, name, kind)) * 2 == 1',
  'sum without (instance) (rate(http_requests_total{job=~"api.*"}[5m])) > bool 0.5',
  'topk(3, m) or absent(m{job="x"}) unless on(job) group_left vector(1)',
  'label_replace(m, "dst", "$1", "src", "(.*)") * -2 ^ 3 % 4 atan2 1',
  'histogram_quantile(0.9, sum by (le) (h_bucket)) / clamp(m, 0, 1) offset 5m @ 100',
  'count_values("v", m) >= 1 and sort_desc(m) != -Inf',
  '{__name__=~"m|n", a!~"x"} # comment',
];
const TOKENS = [
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '`',
  '=',
  '=~',
  '!~',
  '!=',
  '==',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'by',
  'without',
  'offset',
  '@',
  '5m',
  '0x1',
  'NaN',
  'Inf',
  '1e3',
  '.5',
  'sum',
  'topk',
  'rate',
  'abs',
  'm',
  'le',
  ':',
  '#',
  '\\',
  ' ',
  '\n',
  '$',
  '~',
  '!',
  'count_values',
  'vector',
  'time()',
  'scalar',
];

function mutate(rand: () => number, text: string): string {
  let s = text;
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (s.length + 1));
    const op = rand();
    if (op < 0.4) {
      const tok = TOKENS[Math.floor(rand() * TOKENS.length)] as string;
      s = s.slice(0, at) + tok + s.slice(at);
    } else if (op < 0.7) {
      s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 5));
    } else {
      const from = Math.floor(rand() * s.length);
      s = s.slice(0, at) + s.slice(from, from + 1 + Math.floor(rand() * 8)) + s.slice(at);
    }
  }
  return s;
}

describe('random and mutated expressions', () => {
  const store = new SeriesStore([
    { labels: { __name__: 'm', job: 'x', src: 'a' }, samples: [{ t: 1000, v: 1 }] },
    { labels: { __name__: 'm', job: 'y', src: 'b' }, samples: [{ t: 1000, v: NaN }] },
    { labels: { __name__: 'h_bucket', le: '+Inf' }, samples: [{ t: 1000, v: 3 }] },
    {
      labels: { __name__: 'gotk_reconcile_condition', status: 'False', type: 'Ready', name: 'n' },
      samples: [{ t: 1000, v: 1 }],
    },
  ]);

  it('throw nothing but PromQLError when parsed and evaluated', () => {
    const rand = prng(20260101);
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const text = mutate(rand, SEEDS[i % SEEDS.length] as string);
      try {
        const expr = parseExpr(text);
        parsed++;
        evaluateInstant(expr, store, 1000);
      } catch (e) {
        if (!(e instanceof PromQLError))
          throw new Error(`non-PromQLError for ${JSON.stringify(text)}: ${String(e)}`);
        expect(e.position.offset).toBeGreaterThanOrEqual(0);
        expect(e.position.offset).toBeLessThanOrEqual(text.length);
        rejected++;
      }
    }
    // Both paths must actually be exercised for the property to mean something.
    expect(parsed).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });
});
