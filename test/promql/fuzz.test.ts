import { describe, expect, it } from 'vitest';
import { PromQLError, SeriesStore, evaluateInstant, parseExpr } from '../../src/promql/index.js';
// One seeded generator and one mutator for every fuzz test (the differential suite's).
import { mutate } from '../differential/mutate.js';
import { Rng } from '../differential/prng.js';

const SEEDS = [
  'max(gotk_reconcile_condition{status="False",type="Ready"}) by (namespace, name, kind) + on(namespace, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (namespace, name, kind)) * 2 == 1',
  'sum without (instance) (rate(http_requests_total{job=~"api.*"}[5m])) > bool 0.5',
  'topk(3, m) or absent(m{job="x"}) unless on(job) group_left vector(1)',
  'label_replace(m, "dst", "$1", "src", "(.*)") * -2 ^ 3 % 4 atan2 1',
  'histogram_quantile(0.9, sum by (le) (h_bucket)) / clamp(m, 0, 1) offset 5m @ 100',
  'count_values("v", m) >= 1 and sort_desc(m) != -Inf',
  '{__name__=~"m|n", a!~"x"} # comment',
];
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
    const rng = new Rng(20260101);
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const text = mutate(rng, SEEDS[i % SEEDS.length] as string);
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
