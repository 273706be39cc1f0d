import { execFileSync } from 'node:child_process';
import { register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { familiesToPromSeries, renderExposition, type MetricFamily } from '../../src/metrics/index.js';
import { promtoolPath } from '../support/promtool.js';

const families: MetricFamily[] = [
  {
    name: 'flux_resource_info',
    help: 'The current status of a Flux resource reconciliation.',
    type: 'gauge',
    series: [
      {
        labels: { kind: 'Kustomization', name: 'apps', ready: 'False', reason: 'BuildFailed', url: '' },
        value: 1,
        since: Date.parse('2026-11-21T11:00:00Z'),
      },
      {
        // A message-like value with every character the text format escapes.
        labels: {
          kind: 'GitRepository',
          name: 'q"uote\\back\nline',
          ready: 'True',
          reason: '',
          url: 'https://x',
        },
        value: 1,
        since: Date.parse('2026-11-21T10:00:00Z'),
      },
    ],
  },
  {
    name: 'flux_health_check_duration_seconds',
    help: 'Duration.',
    type: 'gauge',
    series: [{ labels: {}, value: 0.272, since: 5 }],
  },
  { name: 'flux_instance_info', help: 'The current status of a Flux instance.', type: 'gauge', series: [] },
];

describe('renderExposition', () => {
  it('writes every series with escaped label values, in the Prometheus text format', async () => {
    const text = await renderExposition(families);
    expect(text.split('\n')).toEqual([
      '# HELP flux_resource_info The current status of a Flux resource reconciliation.',
      '# TYPE flux_resource_info gauge',
      'flux_resource_info{kind="Kustomization",name="apps",ready="False",reason="BuildFailed",url=""} 1',
      'flux_resource_info{kind="GitRepository",name="q\\"uote\\\\back\\nline",ready="True",reason="",url="https://x"} 1',
      '',
      '# HELP flux_health_check_duration_seconds Duration.',
      '# TYPE flux_health_check_duration_seconds gauge',
      'flux_health_check_duration_seconds 0.272',
      '',
      '# HELP flux_instance_info The current status of a Flux instance.',
      '# TYPE flux_instance_info gauge',
      '',
    ]);
    const out = execFileSync(promtoolPath(), ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    expect(out).toBe('');
  });

  it('uses a fresh registry: nothing lands in the global one, and a second render is identical', async () => {
    const first = await renderExposition(families);
    expect(register.getMetricsAsArray()).toEqual([]);
    expect(await renderExposition(families)).toBe(first);
  });
});

describe('familiesToPromSeries', () => {
  it('gives the evaluator one sample per series at the evaluation time, with __name__ and without empty labels', () => {
    const series = familiesToPromSeries(families, 1_000);
    expect(series).toEqual([
      {
        labels: {
          __name__: 'flux_resource_info',
          kind: 'Kustomization',
          name: 'apps',
          ready: 'False',
          reason: 'BuildFailed',
        },
        samples: [{ t: 1_000, v: 1 }],
        since: Date.parse('2026-11-21T11:00:00Z'),
      },
      {
        labels: {
          __name__: 'flux_resource_info',
          kind: 'GitRepository',
          name: 'q"uote\\back\nline',
          ready: 'True',
          url: 'https://x',
        },
        samples: [{ t: 1_000, v: 1 }],
        since: Date.parse('2026-11-21T10:00:00Z'),
      },
      {
        labels: { __name__: 'flux_health_check_duration_seconds' },
        samples: [{ t: 1_000, v: 0.272 }],
        since: 5,
      },
    ]);
  });
});
