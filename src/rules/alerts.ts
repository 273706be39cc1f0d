/**
 * Alerting rules evaluated at one instant, without state kept between runs.
 *
 * Prometheus decides pending vs firing from the time an alert first became active (ActiveAt), which it
 * remembers across evaluations. We have no memory, but every series carries the time its current value
 * began (`since`) and the PromQL evaluator propagates, for each result sample, the latest `since` of the
 * inputs it depends on. That is the earliest time from which the expression is known to have produced this
 * sample continuously, so it stands in for ActiveAt: an alert is firing when `now − since ≥ for`.
 *
 * What this cannot know, and how we decide:
 * - If an input changed value while the expression kept holding (e.g. a gauge going 3 → 4 under `> 0`),
 *   `since` is the later change: the alert looks younger than Prometheus would think. We err towards
 *   pending, never towards firing too early.
 * - A result that depends on no series at all (only literals) has no start time; we take `now`, so with a
 *   non-zero `for` it is pending.
 * - keep_firing_for keeps an alert firing after its condition stopped. Whether it was firing before it
 *   stopped is history the series do not hold (a series' `since` says when its current value began, not how
 *   long the previous one lasted). So keep_firing_for is honoured only with state from a previous run: pass
 *   the previous `alerts.json` (`previous`); an alert that was firing there and is absent now stays firing
 *   while `now − keepFiringSince < keep_firing_for`, where keepFiringSince is the first run that no longer
 *   saw it (carried over in alerts.json). Without a previous run it is not applied.
 */
import { evaluateInstant, PromQLError, type InstantSample, type SeriesStore } from '../promql/index.js';
import type { LoadedGroup, LoadedRule } from './load.js';
import { compileAlertTemplate, type AlertTemplate } from './template/template.js';
import { jsonText } from '../json-text.js';

export type AlertState = 'pending' | 'firing';

export interface Alert {
  /** The rule's `alert:` name. */
  name: string;
  group: string;
  file: string;
  state: AlertState;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** When the condition began to hold (ISO 8601). */
  activeAt: string;
  activeAtMs: number;
  /** When the current state began (ms): activeAt for pending, activeAt + for for firing. */
  stateSinceMs: number;
  value: number;
  /** Set while firing only because of keep_firing_for (ISO 8601 of the first run without the condition). */
  keepFiringSince?: string;
}

export interface RuleEvalError {
  rule: string;
  group: string;
  file: string;
  message: string;
}

export interface AlertsResult {
  evaluatedAtMs: number;
  alerts: Alert[];
  errors: RuleEvalError[];
}

/** A previous run's alert (as read back from alerts.json), for keep_firing_for. */
export interface PreviousAlert {
  name: string;
  state: AlertState;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  activeAtMs: number;
  value: number;
  keepFiringSinceMs?: number;
}

export interface AlertEvalOptions {
  nowMs: number;
  externalLabels?: Record<string, string>;
  externalURL?: string;
  previous?: readonly PreviousAlert[];
}

/** Stable identity of a label set. */
export function labelsKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

interface CompiledRule {
  rule: LoadedRule;
  group: LoadedGroup;
  labels: Array<[string, AlertTemplate]>;
  annotations: Array<[string, AlertTemplate]>;
}

const compiledCache = new WeakMap<LoadedRule, CompiledRule>();

function compile(rule: LoadedRule, group: LoadedGroup): CompiledRule {
  const hit = compiledCache.get(rule);
  if (hit) return hit;
  // Group labels (Prometheus 3) apply under the rule's own labels.
  const labels = { ...group.labels, ...rule.labels };
  const c: CompiledRule = {
    rule,
    group,
    labels: Object.entries(labels).map(([k, v]) => [k, compileAlertTemplate(rule.name, v)]),
    annotations: Object.entries(rule.annotations).map(([k, v]) => [k, compileAlertTemplate(rule.name, v)]),
  };
  compiledCache.set(rule, c);
  return c;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function ruleSamples(rule: LoadedRule, store: SeriesStore, evalMs: number): InstantSample[] {
  const v = evaluateInstant(rule.parsed ?? rule.expr, store, evalMs);
  if (v.type === 'vector') return v.samples;
  // Prometheus's rule query function turns a scalar into a one-element vector without labels.
  if (v.type === 'scalar') return [{ labels: {}, value: v.value, since: v.since }];
  throw new PromQLError('evaluation', 'rule result is not a vector or scalar', {
    offset: 0,
    line: 1,
    column: 1,
  });
}

/** Evaluates one alerting rule at `opts.nowMs`. */
export function evaluateAlertRule(
  rule: LoadedRule,
  group: LoadedGroup,
  store: SeriesStore,
  opts: AlertEvalOptions,
): { alerts: Alert[]; error?: RuleEvalError } {
  const c = compile(rule, group);
  const now = opts.nowMs;
  const fail = (message: string): { alerts: Alert[]; error: RuleEvalError } => ({
    alerts: [],
    error: { rule: rule.name, group: group.name, file: group.file, message },
  });
  let samples: InstantSample[];
  try {
    samples = ruleSamples(rule, store, now - (group.queryOffsetMs ?? 0));
  } catch (e) {
    if (e instanceof PromQLError) return fail(e.message);
    throw e;
  }
  const externalLabels = opts.externalLabels ?? {};
  const externalURL = opts.externalURL ?? '';
  const seen = new Set<string>();
  const alerts: Alert[] = [];
  for (const s of samples) {
    const data = { labels: s.labels, externalLabels, externalURL, value: s.value };
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.labels)) if (k !== '__name__') labels[k] = v;
    for (const [k, t] of c.labels) {
      const v = t.expand(data);
      // An empty label value removes the label, as everywhere in Prometheus.
      if (v === '') delete labels[k];
      else labels[k] = v;
    }
    labels['alertname'] = rule.name;
    const key = labelsKey(labels);
    if (seen.has(key))
      return fail('vector contains metrics with the same labelset after applying alert labels');
    seen.add(key);
    const annotations: Record<string, string> = {};
    for (const [k, t] of c.annotations) annotations[k] = t.expand(data);
    const activeAtMs = Number.isFinite(s.since) ? Math.min(s.since, now) : now;
    const firing = now - activeAtMs >= rule.forMs;
    alerts.push({
      name: rule.name,
      group: group.name,
      file: group.file,
      state: firing ? 'firing' : 'pending',
      labels,
      annotations,
      activeAt: iso(activeAtMs),
      activeAtMs,
      stateSinceMs: firing ? activeAtMs + rule.forMs : activeAtMs,
      value: s.value,
    });
  }
  if (group.limit !== undefined && group.limit > 0 && alerts.length > group.limit) {
    return fail(`exceeded limit of ${group.limit} with ${alerts.length} alerts`);
  }
  if (rule.keepFiringForMs > 0 && opts.previous) {
    for (const p of opts.previous) {
      if (p.name !== rule.name || p.state !== 'firing' || seen.has(labelsKey(p.labels))) continue;
      const since = p.keepFiringSinceMs ?? now;
      if (now - since >= rule.keepFiringForMs) continue;
      alerts.push({
        name: rule.name,
        group: group.name,
        file: group.file,
        state: 'firing',
        labels: { ...p.labels },
        annotations: { ...p.annotations },
        activeAt: iso(p.activeAtMs),
        activeAtMs: p.activeAtMs,
        stateSinceMs: p.activeAtMs,
        value: p.value,
        keepFiringSince: iso(since),
      });
    }
  }
  return { alerts };
}

/** Evaluates every alerting rule of the groups (recording rules are not evaluated). */
export function evaluateAlerts(
  groups: readonly LoadedGroup[],
  store: SeriesStore,
  opts: AlertEvalOptions,
): AlertsResult {
  const alerts: Alert[] = [];
  const errors: RuleEvalError[] = [];
  for (const g of groups) {
    for (const r of g.rules) {
      if (r.kind !== 'alert') continue;
      if (!r.parsed) {
        errors.push({
          rule: r.name,
          group: g.name,
          file: g.file,
          message: 'expression did not parse; run rules check',
        });
        continue;
      }
      const out = evaluateAlertRule(r, g, store, opts);
      alerts.push(...out.alerts);
      if (out.error) errors.push(out.error);
    }
  }
  return { evaluatedAtMs: opts.nowMs, alerts, errors };
}

/** A series to append to the metrics exposition. `since` is when its value began (ms). */
export interface AlertSeries {
  labels: Record<string, string>;
  value: number;
  since: number;
}

/**
 * Prometheus's synthetic series for pending and firing alerts: `ALERTS{alertname, alertstate, …} 1` and
 * `ALERTS_FOR_STATE{alertname, …}` = ActiveAt in Unix seconds.
 */
export function alertsSeries(result: AlertsResult, nowMs: number = result.evaluatedAtMs): AlertSeries[] {
  const out: AlertSeries[] = [];
  for (const a of result.alerts) {
    out.push({
      labels: { __name__: 'ALERTS', ...a.labels, alertstate: a.state },
      value: 1,
      since: Math.min(nowMs, a.stateSinceMs),
    });
    out.push({
      labels: { __name__: 'ALERTS_FOR_STATE', ...a.labels },
      value: a.activeAtMs / 1000,
      since: Math.min(nowMs, a.activeAtMs),
    });
  }
  return out;
}

function jsonNumber(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

/** alerts.json: every pending and firing alert, firing first, then by name and labels. */
export function renderAlertsJson(result: AlertsResult, nowMs: number = result.evaluatedAtMs): string {
  const order = (a: Alert): string =>
    `${a.state === 'firing' ? 0 : 1}\u0000${a.name}\u0000${labelsKey(a.labels)}`;
  const alerts = [...result.alerts].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const doc = {
    evaluatedAt: iso(nowMs),
    firing: alerts.filter((a) => a.state === 'firing').length,
    pending: alerts.filter((a) => a.state === 'pending').length,
    alerts: alerts.map((a) => ({
      name: a.name,
      state: a.state,
      labels: a.labels,
      annotations: a.annotations,
      activeAt: a.activeAt,
      value: jsonNumber(a.value),
      group: a.group,
      file: a.file,
      ...(a.keepFiringSince ? { keepFiringSince: a.keepFiringSince } : {}),
    })),
    errors: result.errors,
  };
  return jsonText(doc);
}

/** Reads a previous alerts.json back (for keep_firing_for). Throws a one-line error when it is not one. */
export function parseAlertsJson(text: string, file = 'alerts.json'): PreviousAlert[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON: ${(e as Error).message}`);
  }
  const list = (doc as { alerts?: unknown }).alerts;
  if (!Array.isArray(list))
    throw new Error(`${file}: no "alerts" list: not an alerts.json written by flux-health`);
  return list.map((a: Record<string, unknown>, i) => {
    const activeAtMs = Date.parse(String(a['activeAt']));
    if (
      typeof a['name'] !== 'string' ||
      (a['state'] !== 'firing' && a['state'] !== 'pending') ||
      Number.isNaN(activeAtMs)
    ) {
      throw new Error(`${file}: alert ${i + 1} lacks name, state or activeAt`);
    }
    const v = a['value'];
    const p: PreviousAlert = {
      name: a['name'],
      state: a['state'],
      labels: (a['labels'] ?? {}) as Record<string, string>,
      annotations: (a['annotations'] ?? {}) as Record<string, string>,
      activeAtMs,
      value: typeof v === 'number' ? v : v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : NaN,
    };
    if (typeof a['keepFiringSince'] === 'string') p.keepFiringSinceMs = Date.parse(a['keepFiringSince']);
    return p;
  });
}
