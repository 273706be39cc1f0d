import { describe, expect, it } from 'vitest';
import {
  PromQLError,
  SeriesStore,
  evaluateInstant,
  type InstantValue,
  type SeriesInput,
} from '../../src/promql/index.js';

const NOW = 1_700_000_000_000;
const MIN = 60_000;

function store(series: SeriesInput[]): SeriesStore {
  return new SeriesStore(series);
}

const m = (labels: Record<string, string>, v: number, since?: number, t = NOW): SeriesInput =>
  since === undefined ? { labels, samples: [{ t, v }] } : { labels, samples: [{ t, v }], since };

function vector(v: InstantValue): { labels: Record<string, string>; value: number; since: number }[] {
  if (v.type !== 'vector') throw new Error(`expected a vector, got ${v.type}`);
  return v.samples;
}

// Experimental functions and aggregations (limitk, sort_by_label, …) are refused unless enabled.
const EXPERIMENTAL = { experimentalFunctions: true };

function evalError(expr: string, s: SeriesStore): PromQLError {
  try {
    evaluateInstant(expr, s, NOW, EXPERIMENTAL);
  } catch (e) {
    if (e instanceof PromQLError) return e;
    throw e;
  }
  throw new Error(`expected ${expr} to fail`);
}

describe('scalar arithmetic and precedence', () => {
  it.each([
    ['-2 ^ 2', -4],
    ['1 - -2 ^ 2', 5],
    ['2 * -3 ^ 2', -18],
    ['-2 ^ 2 ^ 2', -16],
    ['2 ^ -2 ^ 2', 0.0625],
    ['(-2) ^ 2', 4],
    ['+2 ^ 2', 4],
    ['2 ^ 3 ^ 2', 512],
    ['10 - 2 - 3', 5],
    ['5 % -3', 2],
    ['-5 % 3', -2],
    ['1 % 0', NaN],
    ['1 / 0', Infinity],
    ['0 / 0', NaN],
    ['10 atan2 20', Math.atan2(10, 20)],
    ['NaN == bool NaN', 0],
    ['NaN != bool NaN', 1],
    ['1 < bool 2', 1],
    ['2 + 3 * 4 ^ 2 / 8', 8],
    ['pi()', Math.PI],
    ['010 + 0x10', 24],
  ])('%s = %d', (expr, want) => {
    const v = evaluateInstant(expr, store([]), NOW);
    expect(v.type).toBe('scalar');
    if (v.type === 'scalar') expect(v.value).toBe(want);
  });
});

describe('name dropping, filters and bool', () => {
  const s = store([m({ __name__: 'm', job: 'a' }, 1), m({ __name__: 'm', job: 'b' }, 3)]);
  it.each([
    ['m == 1', [{ __name__: 'm', job: 'a' }]],
    ['m + 0 == 1', [{ job: 'a' }]],
    ['1 < m', [{ __name__: 'm', job: 'b' }]],
    ['-m', [{ job: 'a' }, { job: 'b' }]],
    [
      '+m',
      [
        { __name__: 'm', job: 'a' },
        { __name__: 'm', job: 'b' },
      ],
    ],
    ['m > bool 1', [{ job: 'a' }, { job: 'b' }]],
    ['abs(m)', [{ job: 'a' }, { job: 'b' }]],
    [
      'sort_desc(m)',
      [
        { __name__: 'm', job: 'b' },
        { __name__: 'm', job: 'a' },
      ],
    ],
    ['topk(1, m)', [{ __name__: 'm', job: 'b' }]],
    ['sum without (job) (m)', [{}]],
    [
      'label_replace(m, "__name__", "x_$1", "job", "(.*)")',
      [
        { __name__: 'x_a', job: 'a' },
        { __name__: 'x_b', job: 'b' },
      ],
    ],
  ])('%s keeps the labels Prometheus keeps', (expr, labels) => {
    expect(vector(evaluateInstant(expr, s, NOW)).map((x) => x.labels)).toEqual(labels);
  });

  it('returns the vector value when the scalar is on the left of a comparison filter', () => {
    expect(vector(evaluateInstant('2 < m', s, NOW)).map((x) => x.value)).toEqual([3]);
  });

  it('fails when name dropping makes two series identical', () => {
    const dup = store([m({ __name__: 'a', x: '1' }, 1), m({ __name__: 'b', x: '1' }, 2)]);
    expect(evalError('-{x="1"}', dup).message).toBe('vector cannot contain metrics with the same labelset');
    expect(evalError('ceil({x="1"})', dup).message).toBe(
      'vector cannot contain metrics with the same labelset',
    );
  });
});

describe('vector matching', () => {
  const s = store([
    m({ __name__: 'node_cpu', instance: 'abc', mode: 'idle' }, 3),
    m({ __name__: 'node_cpu', instance: 'abc', mode: 'user' }, 1),
    m({ __name__: 'node_role', instance: 'abc', role: 'prometheus' }, 1),
    m({ __name__: 'dup', label: 'alpha' }, 1),
    m({ __name__: 'dup', label: 'beta' }, 2),
    m({ __name__: 'one', job: 'x' }, 5),
  ]);

  it('copies include labels with group_left', () => {
    expect(vector(evaluateInstant('node_cpu * on(instance) group_left(role) node_role', s, NOW))).toEqual([
      { labels: { instance: 'abc', mode: 'idle', role: 'prometheus' }, value: 3, since: NOW },
      { labels: { instance: 'abc', mode: 'user', role: 'prometheus' }, value: 1, since: NOW },
    ]);
  });

  it('takes labels from the right with group_right', () => {
    expect(
      vector(evaluateInstant('node_role * on(instance) group_right(role) node_cpu', s, NOW)).map(
        (x) => x.labels,
      ),
    ).toEqual([
      { instance: 'abc', mode: 'idle', role: 'prometheus' },
      { instance: 'abc', mode: 'user', role: 'prometheus' },
    ]);
  });

  it.each([
    [
      'one > on() dup',
      'found duplicate series for the match group {} on the right hand-side of the operation: [{__name__="dup", label="alpha"}, {__name__="dup", label="beta"}];many-to-many matching not allowed: matching labels must be unique on one side',
    ],
    [
      'dup * on() group_right one',
      'found duplicate series for the match group {} on the left hand-side of the operation: [{__name__="dup", label="alpha"}, {__name__="dup", label="beta"}];many-to-many matching not allowed: matching labels must be unique on one side',
    ],
    [
      'dup + on() one',
      'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    ],
    [
      'dup > on() one',
      'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    ],
    [
      'node_cpu + ignoring(mode) group_left node_cpu',
      'found duplicate series for the match group {instance="abc"} on the right hand-side of the operation: [{__name__="node_cpu", instance="abc", mode="idle"}, {__name__="node_cpu", instance="abc", mode="user"}];many-to-many matching not allowed: matching labels must be unique on one side',
    ],
  ])('%s fails like Prometheus', (expr, message) => {
    const err = evalError(expr, s);
    expect(err.kind).toBe('evaluation');
    expect(err.message).toBe(message);
  });

  it('implements and/or/unless on signatures', () => {
    const ab = store([
      m({ __name__: 'a', l: '1' }, 1),
      m({ __name__: 'a', l: '2' }, 2),
      m({ __name__: 'b', l: '2' }, 20),
      m({ __name__: 'b', l: '3' }, 30),
    ]);
    expect(vector(evaluateInstant('a and b', ab, NOW)).map((x) => x.labels.l)).toEqual(['2']);
    expect(vector(evaluateInstant('a or b', ab, NOW)).map((x) => [x.labels.__name__, x.labels.l])).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['b', '3'],
    ]);
    expect(vector(evaluateInstant('a unless b', ab, NOW)).map((x) => x.labels.l)).toEqual(['1']);
    expect(vector(evaluateInstant('a unless on() b', ab, NOW))).toEqual([]);
  });
});

describe('aggregations', () => {
  const s = store([1, 2, 3, NaN].map((v, i) => m({ __name__: 'x', i: String(i), g: i < 2 ? 'a' : 'b' }, v)));
  it.each([
    ['sum by (g) (x)', [3, NaN]],
    ['max(x)', [3]],
    ['min by (g) (x)', [1, 3]],
    ['count(x)', [4]],
    ['group by (g) (x)', [1, 1]],
    ['avg by (g) (x)', [1.5, NaN]],
    ['stddev(x{g="a"})', [0.5]],
    ['stdvar(x{g="a"})', [0.25]],
    ['quantile(0.5, x{g="a"})', [1.5]],
    ['quantile(2, x{g="a"})', [Infinity]],
    ['bottomk(2, x)', [1, 2]],
    ['topk(2, x)', [3, 2]],
    ['limitk(1, x)', [1]],
    ['count_values("v", x{g="a"})', [1, 1]],
  ])('%s', (expr, values) => {
    expect(vector(evaluateInstant(expr, s, NOW, EXPERIMENTAL)).map((x) => x.value)).toEqual(values);
  });

  it('rejects a NaN topk parameter and an invalid count_values label', () => {
    expect(evalError('topk(NaN, x)', s).message).toBe('Parameter value is NaN');
    expect(evalError('limit_ratio(NaN, x)', s).message).toBe('Ratio value is NaN');
    expect(evalError('count_values("a\\xc5z", x)', s).message).toBe('invalid label name "a\\xc5z"');
  });

  it('labels count_values with Go float formatting', () => {
    const big = store([m({ __name__: 'v' }, 1e21)]);
    expect(vector(evaluateInstant('count_values("val", v)', big, NOW))[0]?.labels).toEqual({
      val: '1000000000000000000000',
    });
  });
});

describe('functions', () => {
  const s = store([
    m({ __name__: 'v', src: 'app-1' }, -2.5),
    m({ __name__: 'ts' }, 86400 * 59 + 3600 * 5 + 60 * 7),
  ]);
  it.each([
    ['abs(v)', 2.5],
    ['ceil(v)', -2],
    ['floor(v)', -3],
    ['round(v)', -2],
    ['round(v, 2)', -2],
    ['sgn(v)', -1],
    ['clamp(v, -1, 1)', -1],
    ['clamp_min(v, 0)', 0],
    ['clamp_max(v, -3)', -3],
    ['exp(v * 0)', 1],
    ['hour(ts)', 5],
    ['minute(ts)', 7],
    ['day_of_month(ts)', 1],
    ['month(ts)', 3],
    ['day_of_year(ts)', 60],
    ['day_of_week(ts)', 0],
    ['days_in_month(ts)', 31],
    ['year(ts)', 1970],
  ])('%s = %d', (expr, want) => {
    expect(vector(evaluateInstant(expr, s, NOW))[0]?.value).toBe(want);
  });

  it('evaluates scalar(), vector(), time() and timestamp()', () => {
    expect(evaluateInstant('scalar(v)', s, NOW)).toEqual({ type: 'scalar', value: -2.5, since: NOW });
    expect(evaluateInstant('scalar(nothing)', s, NOW)).toMatchObject({ type: 'scalar', value: NaN });
    expect(vector(evaluateInstant('vector(time())', s, NOW))).toEqual([
      { labels: {}, value: NOW / 1000, since: NOW },
    ]);
    const old = store([m({ __name__: 'o' }, 1, undefined, NOW - 90_000)]);
    expect(vector(evaluateInstant('timestamp(o)', old, NOW))[0]?.value).toBe((NOW - 90_000) / 1000);
  });

  it('keeps absent() labels only from single equality matchers', () => {
    expect(vector(evaluateInstant('absent(nope{job="z",x=~"y",a="1",a="2"})', s, NOW))).toEqual([
      { labels: { job: 'z' }, value: 1, since: NOW },
    ]);
    expect(vector(evaluateInstant('absent(v)', s, NOW))).toEqual([]);
  });

  it('expands label_replace templates like Go', () => {
    const r = vector(
      evaluateInstant('label_replace(v, "dst", "${1}x-$1x-$$", "src", "(.*)-(\\\\d)")', s, NOW),
    );
    expect(r[0]?.labels).toEqual({ __name__: 'v', src: 'app-1', dst: 'appx--$' });
    expect(evalError('label_replace(v, "dst", "", "src", "(")', s).message).toBe(
      'invalid regular expression in label_replace(): (',
    );
  });

  it('joins labels and sorts by label naturally', () => {
    const l = store([m({ __name__: 'n', i: 'x10' }, 1), m({ __name__: 'n', i: 'x9' }, 2)]);
    expect(
      vector(evaluateInstant('label_join(n, "j", "-", "__name__", "i")', l, NOW)).map((x) => x.labels.j),
    ).toEqual(['n-x10', 'n-x9']);
    expect(
      vector(evaluateInstant('sort_by_label(n, "i")', l, NOW, EXPERIMENTAL)).map((x) => x.labels.i),
    ).toEqual(['x9', 'x10']);
    expect(
      vector(evaluateInstant('sort_by_label_desc(n, "i")', l, NOW, EXPERIMENTAL)).map((x) => x.labels.i),
    ).toEqual(['x10', 'x9']);
  });

  it('computes histogram_quantile on classic buckets', () => {
    const h = store(
      [
        ['0.1', 5],
        ['0.2', 7],
        ['+Inf', 12],
      ].map(([le, v]) => m({ __name__: 'h_bucket', le: String(le) }, Number(v))),
    );
    const r = vector(evaluateInstant('histogram_quantile(0.5, h_bucket)', h, NOW));
    expect(r[0]?.value).toBeCloseTo(0.15, 10);
  });
});

describe('instants, lookback and unsupported history', () => {
  it('selects the newest sample within the 5m lookback and hides stale series', () => {
    const s = new SeriesStore([
      { labels: { __name__: 'a' }, samples: [{ t: NOW - 5 * MIN + 1, v: 1 }] },
      { labels: { __name__: 'b' }, samples: [{ t: NOW - 5 * MIN, v: 1 }] },
      {
        labels: { __name__: 'c' },
        samples: [
          { t: NOW - MIN, v: 1 },
          { t: NOW, v: NaN, stale: true },
        ],
      },
    ]);
    expect(vector(evaluateInstant('{__name__=~"a|b|c"}', s, NOW)).map((x) => x.labels.__name__)).toEqual([
      'a',
    ]);
  });

  it.each([
    ['x[5m]', 'range selectors need stored history; flux-health evaluates one instant'],
    ['rate(x[5m])', 'range selectors need stored history; flux-health evaluates one instant'],
    ['x offset 5m', 'offset modifiers need stored history; flux-health evaluates one instant'],
    ['x @ 100', '@ modifiers need stored history; flux-health evaluates one instant'],
    ['max_over_time(x[5m:1m])', 'subqueries need stored history; flux-health evaluates one instant'],
  ])('%s is rejected at evaluation', (expr, message) => {
    const err = evalError(expr, store([]));
    expect(err.kind).toBe('evaluation');
    expect(err.message).toBe(message);
  });
});

describe('active-since propagation', () => {
  const s = store([
    m({ __name__: 'l', k: 'a' }, 1, NOW - 20 * MIN),
    m({ __name__: 'r', k: 'a' }, 0, NOW - 5 * MIN),
    m({ __name__: 'l', k: 'b' }, 1, NOW - 30 * MIN),
    m({ __name__: 'r', k: 'b' }, 0),
  ]);
  it.each([
    ['l', [NOW - 20 * MIN, NOW - 30 * MIN]],
    ['l > 0', [NOW - 20 * MIN, NOW - 30 * MIN]],
    ['l + on(k) r', [NOW - 5 * MIN, NOW]],
    ['max(l)', [NOW - 20 * MIN]],
    ['sum by (k) (l) * 2', [NOW - 20 * MIN, NOW - 30 * MIN]],
    ['abs(l)', [NOW - 20 * MIN, NOW - 30 * MIN]],
    ['l and on(k) r', [NOW - 5 * MIN, NOW]],
    ['absent(nothing)', [NOW]],
    ['vector(1)', [-Infinity]],
    ['vector(time())', [NOW]],
  ])('%s', (expr, since) => {
    expect(vector(evaluateInstant(expr, s, NOW)).map((x) => x.since)).toEqual(since);
  });
});
