import { describe, expect, it } from 'vitest';
import { ExpressionGenerator, generateDataset } from './generate.js';
import {
  corpusExpressions,
  mutate,
  pathologicalExpressions,
  roughTokens,
  SHARED_CORPUS_DIRS,
} from './mutate.js';
import { buildStore, evaluateOurs } from './ours.js';
import { Rng } from './prng.js';

/**
 * Random and mutated expressions must never crash the evaluator: every input ends in a result or a
 * PromQLError (no TypeError, RangeError, stack overflow, …).
 */

const MUTATIONS = 4000;

/** Our own seeds, so the fuzz does not depend on the shared corpus being on this machine. */
const SEEDS = [
  'max(gotk_reconcile_condition{status="False",type="Ready"}) by (namespace, name, kind) + on(namespace, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (namespace, name, kind)) * 2 == 1',
  'sum without (instance) (rate(http_requests_total{job=~"api|web"}[5m])) > 0.5',
  'label_replace(up, "host", "$1", "instance", "(.*):\\\\d+")',
  'topk(3, count_values("v", m)) or on() vector(0)',
  'histogram_quantile(0.9, sum by (le) (x_bucket))',
  'absent(nope{job="z"}) and -2 ^ 2 < bool time()',
  "m{a='b', c!~`x.*`} unless ignoring(c) group_left n",
  'quantile(0.5, m) offset 5m @ start()',
  '1 + 2 * 3 % 4 atan2 5 ^ -6',
];

describe('mutation fuzz', () => {
  it(`${MUTATIONS} mutated expressions end in a result or a PromQLError`, () => {
    const rng = new Rng(424242);
    const store = buildStore(generateDataset(rng.fork()));
    const gen = new ExpressionGenerator(rng.fork(), 4);
    const bases = [...SEEDS, ...corpusExpressions(SHARED_CORPUS_DIRS)];
    for (let i = 0; i < 300; i++) bases.push(gen.expression());
    const crashes: string[] = [];
    let errors = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const expr = mutate(rng, rng.pick(bases));
      const out = evaluateOurs(store, expr, 450_000);
      if (out.kind === 'crash') crashes.push(`${JSON.stringify(expr)}\n  ${out.message}`);
      if (out.kind === 'error') errors++;
    }
    expect(crashes.slice(0, 10)).toEqual([]);
    // The mutations must mostly break things, or this would not be fuzzing the error paths.
    expect(errors).toBeGreaterThan(MUTATIONS / 3);
  });

  it('pathological shapes end in a result or a PromQLError', () => {
    const store = buildStore(generateDataset(new Rng(1)));
    const crashes = pathologicalExpressions()
      .map((expr) => ({ expr, out: evaluateOurs(store, expr, 450_000) }))
      .filter((r) => r.out.kind === 'crash')
      .map(
        (r) => `${JSON.stringify(r.expr.slice(0, 80))}…\n  ${r.out.kind === 'crash' ? r.out.message : ''}`,
      );
    expect(crashes).toEqual([]);
  });

  it('cuts expressions at token boundaries', () => {
    expect(roughTokens('sum by (a) (m{b=~"x\\"y"}) > bool 1.5e3')).toEqual([
      'sum',
      ' ',
      'by',
      ' ',
      '(',
      'a',
      ')',
      ' ',
      '(',
      'm',
      '{',
      'b',
      '=~',
      '"x\\"y"',
      '}',
      ')',
      ' ',
      '>',
      ' ',
      'bool',
      ' ',
      '1.5e3',
    ]);
    const rng = new Rng(2);
    const mutated = new Set(Array.from({ length: 50 }, () => mutate(rng, 'sum(m) by (job)')));
    expect(mutated.size).toBeGreaterThan(30);
  });
});
