import { describe, expect, it } from 'vitest';
import { SeriesStore, type SeriesInput } from '../../src/promql/index.js';
import {
  alertsSeries,
  evaluateAlerts,
  parseAlertsJson,
  renderAlertsJson,
  type AlertsResult,
} from '../../src/rules/alerts.js';
import { evaluateGate, parseFailOn, FailOnError } from '../../src/rules/gate.js';
import { parseRuleText } from '../../src/rules/load.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-20T10:00:00Z');

function rules(text: string) {
  const r = parseRuleText(text, 'test.yml');
  expect(r.errors).toEqual([]);
  return r.groups;
}

function store(
  series: Array<{ labels: Record<string, string>; v: number; since: number }>,
  now: number,
): SeriesStore {
  return new SeriesStore(
    series.map((s): SeriesInput => ({ labels: s.labels, samples: [{ t: now, v: s.v }], since: s.since })),
  );
}

const forRule = rules(`
groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        for: 10m
        labels: {severity: critical, instance: '{{ $labels.instance }}-x'}
        annotations: {summary: '{{ $labels.job }} down, value {{ $value }}'}
`);

describe('alert states from since', () => {
  it.each([
    ['just became active', 0, 'pending'],
    ['one second before for', 10 * MIN - 1000, 'pending'],
    ['exactly for', 10 * MIN, 'firing'],
    ['well past for', 60 * MIN, 'firing'],
  ] as const)('%s → %s', (_what, age, state) => {
    const now = T0 + 60 * MIN;
    const s = store([{ labels: { __name__: 'up', job: 'api', instance: 'a' }, v: 0, since: now - age }], now);
    const r = evaluateAlerts(forRule, s, { nowMs: now });
    expect(r.errors).toEqual([]);
    expect(r.alerts).toHaveLength(1);
    expect(r.alerts[0]).toMatchObject({
      name: 'Down',
      state,
      labels: { alertname: 'Down', job: 'api', instance: 'a-x', severity: 'critical' },
      annotations: { summary: 'api down, value 0' },
      activeAt: new Date(now - age).toISOString(),
      value: 0,
    });
  });

  it('fires at once with for: 0 and clamps a future since to now', () => {
    const g = rules('groups: [{name: g, rules: [{alert: A, expr: up == 0}]}]');
    const now = T0;
    const r = evaluateAlerts(g, store([{ labels: { __name__: 'up' }, v: 0, since: now + MIN }], now), {
      nowMs: now,
    });
    expect(r.alerts.map((a) => [a.state, a.activeAtMs])).toEqual([['firing', now]]);
  });

  it('reports a rule error when alert labels make two samples identical', () => {
    const g = rules(`groups: [{name: g, rules: [{alert: A, expr: up, labels: {instance: same}}]}]`);
    const s = store(
      [
        { labels: { __name__: 'up', instance: 'a' }, v: 1, since: T0 },
        { labels: { __name__: 'up', instance: 'b' }, v: 1, since: T0 },
      ],
      T0,
    );
    const r = evaluateAlerts(g, s, { nowMs: T0 });
    expect(r.alerts).toEqual([]);
    expect(r.errors).toEqual([
      {
        rule: 'A',
        group: 'g',
        file: 'test.yml',
        message: 'vector contains metrics with the same labelset after applying alert labels',
      },
    ]);
  });

  it('turns evaluation errors into rule errors and keeps evaluating other rules', () => {
    const g = rules(`
groups:
  - name: g
    rules:
      - {alert: Bad, expr: 'up + on(job) other'}
      - {alert: Good, expr: 'up'}
`);
    const s = store(
      [
        { labels: { __name__: 'up', job: 'j', i: '1' }, v: 1, since: T0 },
        { labels: { __name__: 'other', job: 'j', i: '1' }, v: 1, since: T0 },
        { labels: { __name__: 'other', job: 'j', i: '2' }, v: 1, since: T0 },
      ],
      T0,
    );
    const r = evaluateAlerts(g, s, { nowMs: T0 });
    expect(r.alerts.map((a) => a.name)).toEqual(['Good']);
    expect(r.errors.map((e) => e.rule)).toEqual(['Bad']);
    expect(r.errors[0]?.message).toContain('found duplicate series for the match group');
  });

  it('uses external labels and URL in templates', () => {
    const g = rules(
      `groups: [{name: g, rules: [{alert: A, expr: up, annotations: {s: '{{ $externalLabels.cluster }} {{ $externalURL }}'}}]}]`,
    );
    const r = evaluateAlerts(g, store([{ labels: { __name__: 'up' }, v: 1, since: T0 }], T0), {
      nowMs: T0,
      externalLabels: { cluster: 'prod' },
      externalURL: 'https://x',
    });
    expect(r.alerts[0]?.annotations).toEqual({ s: 'prod https://x' });
  });
});

describe('keep_firing_for with the previous run’s alerts.json', () => {
  const g = rules(`groups: [{name: g, rules: [{alert: K, expr: x == 1, for: 2m, keep_firing_for: 5m}]}]`);
  const firingAt = (now: number): AlertsResult =>
    evaluateAlerts(g, store([{ labels: { __name__: 'x', job: 'j' }, v: 1, since: T0 }], now), { nowMs: now });
  const cleared = (now: number) => store([{ labels: { __name__: 'x', job: 'j' }, v: 0, since: now }], now);

  it('stays firing while now − keepFiringSince < keep_firing_for, then resolves', () => {
    const run1 = firingAt(T0 + 3 * MIN);
    expect(run1.alerts[0]?.state).toBe('firing');
    const prev1 = parseAlertsJson(renderAlertsJson(run1));
    const run2 = evaluateAlerts(g, cleared(T0 + 4 * MIN), { nowMs: T0 + 4 * MIN, previous: prev1 });
    expect(run2.alerts).toHaveLength(1);
    expect(run2.alerts[0]).toMatchObject({
      state: 'firing',
      keepFiringSince: new Date(T0 + 4 * MIN).toISOString(),
      activeAt: new Date(T0).toISOString(),
    });
    const prev2 = parseAlertsJson(renderAlertsJson(run2));
    const run3 = evaluateAlerts(g, cleared(T0 + 8 * MIN + 59_000), {
      nowMs: T0 + 8 * MIN + 59_000,
      previous: prev2,
    });
    expect(run3.alerts.map((a) => a.state)).toEqual(['firing']);
    const run4 = evaluateAlerts(g, cleared(T0 + 9 * MIN), { nowMs: T0 + 9 * MIN, previous: prev2 });
    expect(run4.alerts).toEqual([]);
  });

  it('does not keep pending alerts, nor apply without a previous run', () => {
    const pending = firingAt(T0 + MIN);
    expect(pending.alerts[0]?.state).toBe('pending');
    const prev = parseAlertsJson(renderAlertsJson(pending));
    expect(evaluateAlerts(g, cleared(T0 + 2 * MIN), { nowMs: T0 + 2 * MIN, previous: prev }).alerts).toEqual(
      [],
    );
    expect(evaluateAlerts(g, cleared(T0 + 4 * MIN), { nowMs: T0 + 4 * MIN }).alerts).toEqual([]);
  });

  it('rejects a file that is not an alerts.json', () => {
    expect(() => parseAlertsJson('{}', 'prev.json')).toThrow('prev.json: no "alerts" list');
    expect(() => parseAlertsJson('nope', 'prev.json')).toThrow(/^prev\.json: not JSON/);
  });
});

describe('ALERTS series and alerts.json', () => {
  const now = T0 + 15 * MIN;
  const s = store(
    [
      { labels: { __name__: 'up', job: 'a', instance: 'a' }, v: 0, since: T0 },
      { labels: { __name__: 'up', job: 'b', instance: 'b' }, v: 0, since: T0 + 10 * MIN },
    ],
    now,
  );
  const result = evaluateAlerts(forRule, s, { nowMs: now });

  it('writes ALERTS and ALERTS_FOR_STATE like Prometheus, with the time each state began', () => {
    expect(alertsSeries(result)).toEqual([
      {
        labels: {
          __name__: 'ALERTS',
          alertname: 'Down',
          alertstate: 'firing',
          job: 'a',
          instance: 'a-x',
          severity: 'critical',
        },
        value: 1,
        since: T0 + 10 * MIN,
      },
      {
        labels: {
          __name__: 'ALERTS_FOR_STATE',
          alertname: 'Down',
          job: 'a',
          instance: 'a-x',
          severity: 'critical',
        },
        value: T0 / 1000,
        since: T0,
      },
      {
        labels: {
          __name__: 'ALERTS',
          alertname: 'Down',
          alertstate: 'pending',
          job: 'b',
          instance: 'b-x',
          severity: 'critical',
        },
        value: 1,
        since: T0 + 10 * MIN,
      },
      {
        labels: {
          __name__: 'ALERTS_FOR_STATE',
          alertname: 'Down',
          job: 'b',
          instance: 'b-x',
          severity: 'critical',
        },
        value: (T0 + 10 * MIN) / 1000,
        since: T0 + 10 * MIN,
      },
    ]);
  });

  it('renders alerts.json with every pending and firing alert, firing first', () => {
    const doc = JSON.parse(renderAlertsJson(result)) as Record<string, unknown>;
    expect(doc).toEqual({
      evaluatedAt: '2026-11-20T10:15:00.000Z',
      firing: 1,
      pending: 1,
      alerts: [
        {
          name: 'Down',
          state: 'firing',
          labels: { alertname: 'Down', instance: 'a-x', job: 'a', severity: 'critical' },
          annotations: { summary: 'a down, value 0' },
          activeAt: '2026-11-20T10:00:00.000Z',
          value: 0,
          group: 'g',
          file: 'test.yml',
        },
        {
          name: 'Down',
          state: 'pending',
          labels: { alertname: 'Down', instance: 'b-x', job: 'b', severity: 'critical' },
          annotations: { summary: 'b down, value 0' },
          activeAt: '2026-11-20T10:10:00.000Z',
          value: 0,
          group: 'g',
          file: 'test.yml',
        },
      ],
      errors: [],
    });
  });
});

describe('gate', () => {
  const now = T0 + 15 * MIN;
  const g = rules(`
groups:
  - name: g
    rules:
      - {alert: Crit, expr: 'c == 1', labels: {severity: critical}}
      - {alert: Info, expr: 'i == 1', labels: {severity: info}}
      - {alert: Slow, expr: 'p == 1', for: 1h, labels: {severity: critical}}
`);
  const all = (names: string[]) =>
    evaluateAlerts(
      g,
      store(
        names.map((n) => ({ labels: { __name__: n }, v: 1, since: T0 })),
        now,
      ),
      { nowMs: now },
    ).alerts;

  it.each([
    ['firing', ['c', 'i', 'p'], true, '1 object with firing alerts (Crit) at severity warning or above'],
    ['firing', ['i', 'p'], false, 'no firing alerts at severity warning or above; 1 other alert firing'],
    [
      'severity>=info',
      ['c', 'i'],
      true,
      '2 objects with firing alerts (Crit, Info) at severity info or above',
    ],
    [
      'severity >= critical',
      ['i'],
      false,
      'no firing alerts at severity critical or above; 1 other alert firing',
    ],
    [
      'severity:critical,page',
      ['i', 'p'],
      false,
      'no firing alerts at severity critical, page; 1 other alert firing',
    ],
    [
      'severity:critical,page',
      ['c', 'i'],
      true,
      '1 object with firing alerts (Crit) at severity critical, page',
    ],
    ['never', ['c'], false, 'gate disabled (fail-on never); 1 alert firing'],
    ['none', ['c'], false, 'gate disabled (fail-on never); 1 alert firing'],
  ] as const)('--fail-on %s with %j → failed=%s', (spec, present, failed, reason) => {
    const r = evaluateGate(all([...present]), parseFailOn(spec));
    expect(r.failed).toBe(failed);
    expect(r.reason).toBe(reason);
  });

  it.each(['sometimes', 'severity:', 'severity:a b', 'severity:critical,', 'severity>=high', 'severity>='])(
    'rejects --fail-on %j with one line',
    (bad) => {
      expect(() => parseFailOn(bad)).toThrow(FailOnError);
      expect(() => parseFailOn(bad)).toThrow(/^invalid --fail-on .*severity>=LEVEL.* or "never"$/);
    },
  );
});
