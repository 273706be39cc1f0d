import { describe, expect, it } from 'vitest';
import { ExpositionError, parseExposition, runQuery, toApiResult } from '../../src/promql/index.js';

const T = 1_700_000_000_000;

describe('parseExposition', () => {
  it('reads HELP/TYPE, escaped label values, timestamps and special values', () => {
    const text = [
      '# HELP gotk_reconcile_condition The current condition status.',
      '# TYPE gotk_reconcile_condition gauge',
      'gotk_reconcile_condition{kind="Kustomization",name="a\\"b\\\\c\\nd",status="False"} 1',
      'x_total 3 1699999999000',
      'special{v="nan"} NaN',
      'special{v="pos"} +Inf',
      'special{v="neg"} -Inf',
      '# a plain comment',
      'h_bucket{le="+Inf"} 4',
      'h_sum 10',
      '',
    ].join('\n');
    const series = parseExposition(text, T);
    expect(series.map((s) => s.labels)).toEqual([
      { __name__: 'gotk_reconcile_condition', kind: 'Kustomization', name: 'a"b\\c\nd', status: 'False' },
      { __name__: 'x_total' },
      { __name__: 'special', v: 'nan' },
      { __name__: 'special', v: 'pos' },
      { __name__: 'special', v: 'neg' },
      { __name__: 'h_bucket', le: '+Inf' },
      { __name__: 'h_sum' },
    ]);
    expect(series.map((s) => s.samples[0]?.v)).toEqual([1, 3, NaN, Infinity, -Infinity, 4, 10]);
    expect(series[1]?.samples[0]?.t).toBe(1699999999000);
    expect(series[0]?.samples[0]?.t).toBe(T);
  });

  it.each([
    ['up{job="a} 1', 1, 'unexpected end of label value "a} 1"'],
    ['ok 1\nup{job=a} 1', 2, `expected '"' to start a label value, got "a"`],
    ['up{job="a"}', 1, 'expected a value after the labels'],
    ['up abc', 1, 'invalid value "abc"'],
    ['up 1 2 3', 1, 'unexpected "3" after value and timestamp'],
    ['up 1 1.5', 1, 'invalid timestamp "1.5"'],
    ['# TYPE up bogus\nup 1', 1, 'unknown metric type "bogus"'],
    ['up{a="1",a="2"} 1', 1, 'duplicate label name "a"'],
    ['up 1\nup 2', 2, 'duplicate sample for series up'],
    ['up{a="\\q"} 1', 1, "invalid escape sequence '\\q' in label value"],
  ])('%j fails at line %d', (text, line, detail) => {
    let err: unknown;
    try {
      parseExposition(text, T);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpositionError);
    expect((err as ExpositionError).line).toBe(line);
    expect((err as ExpositionError).message).toBe(`text format parsing error in line ${line}: ${detail}`);
  });
});

describe('Prometheus API JSON', () => {
  it('formats vectors, scalars and strings like /api/v1/query', () => {
    expect(
      toApiResult(
        {
          type: 'vector',
          samples: [
            { labels: { __name__: 'up', job: 'a' }, value: 1, since: 0 },
            { labels: {}, value: 1e21, since: 0 },
            { labels: {}, value: 1.5e-7, since: 0 },
            { labels: {}, value: -Infinity, since: 0 },
          ],
        },
        T + 781,
      ),
    ).toEqual({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { __name__: 'up', job: 'a' }, value: [1700000000.781, '1'] },
          { metric: {}, value: [1700000000.781, '1000000000000000000000'] },
          { metric: {}, value: [1700000000.781, '0.00000015'] },
          { metric: {}, value: [1700000000.781, '-Inf'] },
        ],
      },
    });
    expect(toApiResult({ type: 'scalar', value: NaN, since: 0 }, T)).toEqual({
      status: 'success',
      data: { resultType: 'scalar', result: [1700000000, 'NaN'] },
    });
    expect(toApiResult({ type: 'string', value: 'hi' }, T)).toEqual({
      status: 'success',
      data: { resultType: 'string', result: [1700000000, 'hi'] },
    });
  });
});

describe('runQuery', () => {
  const metrics = '# TYPE up gauge\nup{job="a"} 1\nup{job="b"} 0\n';
  it.each([
    [
      'up == 1',
      0,
      {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [{ metric: { __name__: 'up', job: 'a' }, value: [1700000000, '1'] }],
        },
      },
    ],
    [
      'sum(up) + 0.5',
      0,
      {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [1700000000, '1.5'] }] },
      },
    ],
    [
      'scalar(up{job="b"})',
      0,
      { status: 'success', data: { resultType: 'scalar', result: [1700000000, '0'] } },
    ],
    [
      'up ==',
      2,
      { status: 'error', errorType: 'bad_data', error: '1:6: parse error: unexpected end of input' },
    ],
    [
      'rate(up[5m])',
      2,
      {
        status: 'error',
        errorType: 'bad_data',
        error: 'range selectors need stored history; flux-health evaluates one instant',
      },
    ],
  ])('%s', (expr, exitCode, body) => {
    const r = runQuery(metrics, expr, T);
    expect(r.exitCode).toBe(exitCode);
    expect(JSON.parse(r.json)).toEqual(body);
  });

  it('carries Prometheus 3.16 annotations as warnings and infos, left out when there are none', () => {
    const buckets = 'h_bucket{le="1"} 5\nh_bucket{le="2"} 3\nh_bucket{le="+Inf"} 6\nbad_bucket{le="x"} 1\n';
    expect(JSON.parse(runQuery(buckets, 'histogram_quantile(1.5, h_bucket)', T).json)).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1700000000, '+Inf'] }] },
      warnings: ['PromQL warning: quantile value should be between 0 and 1, got 1.5 (1:20)'],
    });
    expect(JSON.parse(runQuery(buckets, 'histogram_quantile(0.5, h_bucket)', T).json)).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1700000000, '0.6'] }] },
      infos: [
        'PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile), from buckets 2 to 2, with a max diff of 2, over 1 samples from 2023-11-14T22:13:20Z to 2023-11-14T22:13:20Z (1:25)',
      ],
    });
    expect(JSON.parse(runQuery(buckets, 'histogram_quantile(0.5, bad_bucket)', T).json)).toMatchObject({
      warnings: ['PromQL warning: bucket label "le" is missing or has a malformed value of "x" (1:25)'],
    });
    expect(Object.keys(JSON.parse(runQuery(buckets, 'h_bucket', T).json) as object)).toEqual([
      'status',
      'data',
    ]);
  });

  it('reports unreadable metrics as bad_data with the line', () => {
    const r = runQuery('up{job="a} 1', 'up', T);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.json)).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error: 'metrics: text format parsing error in line 1: unexpected end of label value "a} 1"',
    });
  });
});
