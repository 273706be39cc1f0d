/**
 * The one verdict (src/verdict.ts) as data: each row is the facts of a run and what every consumer
 * reads from them: level, ready, gate, exit code and the first reason.
 */
import { describe, expect, it } from 'vitest';
import type { Alert, AlertsResult } from '../../src/rules/alerts.js';
import { parseFailOn } from '../../src/rules/gate.js';
import { decideVerdict, type VerdictFacts, type VerdictLevel } from '../../src/verdict.js';
import type { WaitResult } from '../../src/wait/wait.js';
import { DEMO_NOW, inventoryFrom, pipelineInput, readFixture } from '../render/fixtures/inputs.js';

function alert(state: 'firing' | 'pending', severity?: string, object?: [string, string, string]): Alert {
  const labels: Record<string, string> = { alertname: 'A' };
  if (severity !== undefined) labels['severity'] = severity;
  if (object) [labels['kind'], labels['namespace'], labels['name']] = object;
  return {
    name: object ? `A${severity ?? ''}` : 'A',
    group: 'g',
    file: 'f.yaml',
    state,
    labels,
    annotations: {},
    activeAt: '2026-11-21T11:00:00.000Z',
    activeAtMs: Date.parse('2026-11-21T11:00:00Z'),
    stateSinceMs: Date.parse('2026-11-21T11:00:00Z'),
    value: 1,
  };
}

const alertsOf = (...alerts: Alert[]): AlertsResult => ({
  evaluatedAtMs: DEMO_NOW.getTime(),
  alerts,
  errors: [],
});

const TIMEOUT: WaitResult = {
  outcome: 'timeout',
  expected: '0123456789abcdef0123456789abcdef01234567',
  elapsedMs: 300_000,
  message: 'timed out after 5m0s',
  objects: [
    { kind: 'Kustomization', namespace: 'a', name: 'x', state: 'waiting', reason: 'r', message: 'm' },
    { kind: 'Kustomization', namespace: 'a', name: 'y', state: 'waiting', reason: 'r', message: 'm' },
  ],
} as unknown as WaitResult;

function healthy(): VerdictFacts {
  const input = pipelineInput(
    inventoryFrom(readFixture('small-cluster.yaml'), 'small-cluster.yaml'),
    DEMO_NOW,
  );
  input.health.failing = [];
  input.health.kinds = input.health.kinds.map((k) => ({ ...k, failing: 0 }));
  input.report.spec.components = (input.report.spec.components ?? []).map((c) => ({ ...c, ready: true }));
  return { report: input.report, health: input.health, alerts: alertsOf(), failOn: parseFailOn('firing') };
}

const KS: [string, string, string] = ['Kustomization', 'apps', 'podinfo'];

// name, change to a healthy run, level, exit code, first reason (undefined: none)
const CASES: [string, (f: VerdictFacts) => void, VerdictLevel, number, RegExp | undefined][] = [
  ['nothing wrong', () => {}, 'healthy', 0, undefined],
  ['no alerts evaluated at all', (f) => delete f.alerts, 'healthy', 0, undefined],
  [
    'a firing warning alert fails the default gate',
    (f) => (f.alerts = alertsOf(alert('firing', 'warning'))),
    'failing',
    1,
    /^Gate failed: 1 object with firing alerts/,
  ],
  [
    'an alert without severity ranks as warning',
    (f) => (f.alerts = alertsOf(alert('firing'))),
    'failing',
    1,
    /^Gate failed/,
  ],
  [
    'a firing info alert never fails the default gate',
    (f) => (f.alerts = alertsOf(alert('firing', 'info'))),
    'healthy',
    0,
    undefined,
  ],
  [
    'severity none is below info',
    (f) => (f.alerts = alertsOf(alert('firing', 'none'))),
    'healthy',
    0,
    undefined,
  ],
  [
    'severity>=info fails on info',
    (f) => ((f.alerts = alertsOf(alert('firing', 'info'))), (f.failOn = parseFailOn('severity>=info'))),
    'failing',
    1,
    /at severity info or above/,
  ],
  [
    'severity>=critical passes a warning, but the cluster is failing',
    (f) => (
      (f.alerts = alertsOf(alert('firing', 'warning'))),
      (f.failOn = parseFailOn('severity>=critical'))
    ),
    'failing',
    0,
    /^1 object with firing alerts$/,
  ],
  [
    'page counts as critical',
    (f) => ((f.alerts = alertsOf(alert('firing', 'page'))), (f.failOn = parseFailOn('severity>=critical'))),
    'failing',
    1,
    /^Gate failed/,
  ],
  [
    'the old severity list still works',
    (f) => (
      (f.alerts = alertsOf(alert('firing', 'page'))),
      (f.failOn = parseFailOn('severity:critical,page'))
    ),
    'failing',
    1,
    /at severity critical, page/,
  ],
  [
    'gate disabled, a firing alert still makes it failing',
    (f) => ((f.alerts = alertsOf(alert('firing', 'critical'))), (f.failOn = parseFailOn('never'))),
    'failing',
    0,
    /^1 object with firing alerts$/,
  ],
  [
    'two alerts on one object are one object',
    (f) => (f.alerts = alertsOf(alert('firing', 'page', KS), alert('firing', 'warning', KS))),
    'failing',
    1,
    /^Gate failed: 1 object with firing alerts \(Apage, Awarning\)/,
  ],
  [
    'exported_namespace names the same object',
    (f) => {
      const a = alert('firing', 'page', KS);
      const b = alert('firing', 'warning', KS);
      delete b.labels['namespace'];
      b.labels['exported_namespace'] = 'apps';
      f.alerts = alertsOf(a, b);
    },
    'failing',
    1,
    /1 object with/,
  ],
  [
    'wait timed out',
    (f) => (f.wait = TIMEOUT),
    'failing',
    1,
    /^Wait timed out after 5m0s with 2 objects not ready/,
  ],
  [
    'wait failed',
    (f) => (f.wait = { ...TIMEOUT, outcome: 'failed' }),
    'failing',
    1,
    /^Wait failed after 5m0s/,
  ],
  [
    'wait converged',
    (f) => (f.wait = { ...TIMEOUT, outcome: 'converged', objects: [] }),
    'healthy',
    0,
    undefined,
  ],
  [
    'wait refused is bad input, exit 2',
    (f) => (f.waitRefused = 'cannot watch kustomizations (403)'),
    'failing',
    2,
    /^Wait refused: cannot watch/,
  ],
  [
    'a failing object',
    (f) =>
      (f.health!.failing = pipelineInput(
        inventoryFrom(readFixture('small-cluster.yaml'), 's'),
        DEMO_NOW,
      ).health.failing),
    'degraded',
    0,
    /^1 object failing$/,
  ],
  [
    'a pending alert',
    (f) => (f.alerts = alertsOf(alert('pending', 'warning'))),
    'degraded',
    0,
    /^1 object with pending alerts$/,
  ],
  [
    'a forbidden kind',
    (f) => f.health!.kinds.push({ ...f.health!.kinds[0]!, kind: 'Bucket', state: 'forbidden' }),
    'degraded',
    0,
    /1 kind could not be listed: Bucket \(forbidden\)/,
  ],
  [
    'a listing error',
    (f) => f.health!.kinds.push({ ...f.health!.kinds[0]!, kind: 'Bucket', state: 'error' }),
    'degraded',
    0,
    /Bucket \(error\)/,
  ],
  [
    'a missing operator kind is not a problem',
    (f) => f.health!.kinds.push({ ...f.health!.kinds[0]!, kind: 'ResourceSet', state: 'missing' }),
    'healthy',
    0,
    undefined,
  ],
  [
    'a controller not ready',
    (f) => (f.report!.spec.components![0]!.ready = false),
    'degraded',
    0,
    /1 controller not ready: helm-controller/,
  ],
  [
    'Flux not installed',
    (f) => (f.report!.spec.distribution = { entitlement: 'Unknown', status: 'Not Installed' }),
    'degraded',
    0,
    /Flux is not installed/,
  ],
  [
    'a rule that could not be evaluated',
    (f) => (f.alerts = { ...alertsOf(), errors: [{ rule: 'r', group: 'g', file: 'f', message: 'm' }] }),
    'degraded',
    0,
    /1 alert rule could not be evaluated/,
  ],
  [
    'an error stops the run with its own exit code',
    (f) => (f.error = { exitCode: 3, message: 'cluster unreachable' }),
    'error',
    3,
    /^cluster unreachable$/,
  ],
];

describe('decideVerdict', () => {
  it.each(CASES)('%s', (_name, change, level, exitCode, reason) => {
    const facts = healthy();
    change(facts);
    const v = decideVerdict(facts);
    expect(v.level).toBe(level);
    expect(v.exitCode).toBe(exitCode);
    // ready, the gate and the headline can never disagree with the level.
    expect(v.ready).toBe(level === 'healthy');
    expect(v.gate.failed).toBe(exitCode !== 0);
    expect(v.headline.startsWith(`${level[0]!.toUpperCase()}${level.slice(1)}: `)).toBe(true);
    if (reason) expect(v.reasons[0]).toMatch(reason);
    else expect(v.reasons).toEqual([]);
  });

  it('lists failing before degraded, most severe first', () => {
    const facts = healthy();
    facts.alerts = alertsOf(alert('firing', 'warning'), alert('pending', 'warning'));
    facts.report!.spec.components![0]!.ready = false;
    const v = decideVerdict(facts);
    expect(v.reasons.map((r) => r.split(':')[0])).toEqual([
      'Gate failed',
      '1 object with pending alerts',
      '1 controller not ready',
    ]);
  });

  it('keeps firing info alerts as a note', () => {
    const facts = healthy();
    facts.alerts = alertsOf(alert('firing', 'info', KS));
    expect(decideVerdict(facts).notes).toEqual(['1 object with info alerts firing']);
  });
});
