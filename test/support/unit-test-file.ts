/**
 * Replays the alert tests of a `promtool test rules` file with our evaluator, so any such file is an
 * oracle: promtool runs it against Prometheus's engine, we run it against ours, and the firing alerts
 * must agree.
 *
 * Prometheus evaluates the rules every evaluation_interval from time 0 and remembers alert state. We
 * evaluate once at each eval_time over a store holding each input series' value at that instant and the
 * time that value began (`since`, from the expanding notation: the start of the run of equal values that
 * ends at the sample in view). With `chain`, every evaluation_interval step is a separate run fed the
 * previous run's alerts (what `--previous alerts.json` does), which is how keep_firing_for is honoured.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { parseDuration } from '../../src/go/duration.js';
import { SeriesStore, type SeriesInput } from '../../src/promql/index.js';
import { evaluateAlerts, labelsKey, type PreviousAlert } from '../../src/rules/alerts.js';
import { globPaths } from '../../src/rules/glob.js';
import { loadRuleFile, type LoadedGroup } from '../../src/rules/load.js';
import { parseSeriesLine, type SequenceValue } from './series-notation.js';

export interface ExpectedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface AlertRuleTest {
  evalTimeMs: number;
  alertname: string;
  expAlerts: ExpectedAlert[];
}

export interface InputSeries {
  labels: Record<string, string>;
  values: SequenceValue[];
}

export interface UnitTestGroup {
  name: string;
  intervalMs: number;
  inputSeries: InputSeries[];
  externalLabels: Record<string, string>;
  externalURL: string;
  alertRuleTests: AlertRuleTest[];
}

export interface UnitTestFile {
  file: string;
  ruleFiles: string[];
  evaluationIntervalMs: number;
  groups: UnitTestGroup[];
}

function duration(v: unknown, what: string, file: string, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  const ms = parseDuration(String(v));
  if (ms === undefined)
    throw new Error(`${file}: ${what}: not a valid duration string: ${JSON.stringify(v)}`);
  return ms;
}

function strings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

/** Reads a promtool unit-test file (rule_files resolved relative to it, globs expanded). */
export function loadUnitTestFile(path: string): UnitTestFile {
  const doc = (parse(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
  const base = dirname(path);
  const ruleFiles = ((doc['rule_files'] as string[] | undefined) ?? []).flatMap((p) =>
    globPaths(isAbsolute(p) ? p : join(base, p)),
  );
  const evaluationIntervalMs = duration(doc['evaluation_interval'], 'evaluation_interval', path, 60_000);
  const groups = ((doc['tests'] as Array<Record<string, unknown>> | undefined) ?? []).map((t, i) => ({
    name: String(t['name'] ?? `test ${i + 1}`),
    intervalMs: duration(t['interval'], 'interval', path, evaluationIntervalMs),
    inputSeries: ((t['input_series'] as Array<Record<string, unknown>> | undefined) ?? []).map((s) =>
      parseSeriesLine(`${String(s['series'])} ${String(s['values'] ?? '')}`),
    ),
    externalLabels: strings(t['external_labels']),
    externalURL: String(t['external_url'] ?? ''),
    alertRuleTests: ((t['alert_rule_test'] as Array<Record<string, unknown>> | undefined) ?? []).map((a) => ({
      evalTimeMs: duration(a['eval_time'], 'eval_time', path, 0),
      alertname: String(a['alertname']),
      expAlerts: ((a['exp_alerts'] as Array<Record<string, unknown>> | undefined) ?? []).map((e) => ({
        labels: { ...strings(e['exp_labels']), alertname: String(a['alertname']) },
        annotations: strings(e['exp_annotations']),
      })),
    })),
  }));
  return { file: path, ruleFiles, evaluationIntervalMs, groups };
}

const LOOKBACK_MS = 5 * 60_000;

/**
 * The series as seen at `evalMs`: per input series the sample in view (newest at or before evalMs, at most
 * the lookback delta old — promtool 2.42's closed window — and not a stale marker), placed at evalMs, with
 * `since` = the first sample of the unbroken run of that same value.
 */
export function seriesAt(group: UnitTestGroup, evalMs: number): SeriesInput[] {
  const out: SeriesInput[] = [];
  for (const s of group.inputSeries) {
    let k = Math.min(s.values.length - 1, Math.floor(evalMs / group.intervalMs));
    while (k >= 0 && s.values[k]?.kind === 'omitted') k--;
    if (k < 0) continue;
    const cur = s.values[k] as SequenceValue;
    if (cur.kind !== 'float' || evalMs - k * group.intervalMs > LOOKBACK_MS) continue;
    let start = k;
    let lastPresent = k;
    for (let j = k - 1; j >= 0; j--) {
      const v = s.values[j] as SequenceValue;
      if (v.kind === 'omitted') continue;
      if (v.kind !== 'float' || !Object.is(v.value, cur.value)) break;
      // A gap longer than the lookback means the series vanished in between.
      if ((lastPresent - j) * group.intervalMs > LOOKBACK_MS) break;
      start = j;
      lastPresent = j;
    }
    out.push({ labels: s.labels, samples: [{ t: evalMs, v: cur.value }], since: start * group.intervalMs });
  }
  return out;
}

export interface AlertTestOutcome {
  group: string;
  evalTimeMs: number;
  alertname: string;
  expected: ExpectedAlert[];
  got: ExpectedAlert[];
  ok: boolean;
  errors: string[];
}

function canonical(list: ExpectedAlert[]): string[] {
  return list.map((a) => labelsKey(a.labels) + labelsKey(a.annotations)).sort();
}

/** Runs every alert_rule_test of the file; `chain` replays each evaluation step with the previous one's alerts. */
export function replayAlertTests(file: UnitTestFile, options: { chain?: boolean } = {}): AlertTestOutcome[] {
  const ruleGroups: LoadedGroup[] = [];
  for (const f of file.ruleFiles) {
    const r = loadRuleFile(f);
    if (r.errors.length > 0) throw new Error(`${f}: rule file has errors: ${r.errors[0]?.message}`);
    ruleGroups.push(...r.groups);
  }
  const outcomes: AlertTestOutcome[] = [];
  for (const g of file.groups) {
    for (const t of g.alertRuleTests) {
      const opts = { externalLabels: g.externalLabels, externalURL: g.externalURL };
      let previous: PreviousAlert[] | undefined;
      const steps: number[] = [];
      if (options.chain) for (let s = 0; s < t.evalTimeMs; s += file.evaluationIntervalMs) steps.push(s);
      steps.push(t.evalTimeMs);
      let result = evaluateAlerts(ruleGroups, new SeriesStore(seriesAt(g, 0)), { ...opts, nowMs: 0 });
      for (const now of steps) {
        result = evaluateAlerts(ruleGroups, new SeriesStore(seriesAt(g, now)), {
          ...opts,
          nowMs: now,
          ...(previous ? { previous } : {}),
        });
        previous = result.alerts.map((a) => ({
          name: a.name,
          state: a.state,
          labels: a.labels,
          annotations: a.annotations,
          activeAtMs: a.activeAtMs,
          value: a.value,
          ...(a.keepFiringSince ? { keepFiringSinceMs: Date.parse(a.keepFiringSince) } : {}),
        }));
      }
      const got = result.alerts
        .filter((a) => a.name === t.alertname && a.state === 'firing')
        .map((a) => ({ labels: a.labels, annotations: a.annotations }));
      const ok = JSON.stringify(canonical(got)) === JSON.stringify(canonical(t.expAlerts));
      outcomes.push({
        group: g.name,
        evalTimeMs: t.evalTimeMs,
        alertname: t.alertname,
        expected: t.expAlerts,
        got,
        ok,
        errors: result.errors.map((e) => `${e.rule}: ${e.message}`),
      });
    }
  }
  return outcomes;
}
