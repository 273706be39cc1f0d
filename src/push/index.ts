/**
 * History in the user's Prometheus: every series a check computed, ALERTS included, pushed to a
 * Pushgateway (one group per cluster, replaced by each push) and/or a remote write receiver. The
 * targets are checked before the run (a bad URL is bad input); the pushes happen after it, at the
 * entries' output end, and each failure is one warning line: the verdict never depends on them.
 */
import { basename } from 'node:path';
import { redactUrl } from '../cluster/redact.js';
import { ConfigError } from '../errors.js';
import type { Inventory } from '../inventory/index.js';
import type { MetricFamily } from '../metrics/index.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { PUSH_JOB, pushgatewayRequest } from './pushgateway.js';
import type { WriteSeries } from './protobuf.js';
import { remoteWriteRequests, writeSeries } from './remote-write.js';
import { baseHeaders, DEFAULT_RETRY, send, type RetryPolicy } from './send.js';
import { parsePushTarget, type PushTarget } from './target.js';

export type { PushTarget } from './target.js';

/** The push settings as the entries take them in (flags, inputs); empty strings mean unset. */
export interface PushSettings {
  pushgatewayUrl?: string;
  remoteWriteUrl?: string;
  /** Sent as `Authorization: Bearer` to a target whose URL has no `user:password@`. */
  bearerToken?: string;
}

export interface PushConfig {
  pushgateway?: PushTarget;
  remoteWrite?: PushTarget;
}

/** The settings checked; `names` are the flags or inputs, for the errors. Throws ConfigError. */
export function pushConfig(
  settings: PushSettings,
  names: { pushgatewayUrl: string; remoteWriteUrl: string },
): PushConfig {
  const token = settings.bearerToken?.trim() ?? '';
  const pg = settings.pushgatewayUrl?.trim() ?? '';
  const rw = settings.remoteWriteUrl?.trim() ?? '';
  return {
    ...(pg ? { pushgateway: parsePushTarget(pg, names.pushgatewayUrl, token) } : {}),
    ...(rw ? { remoteWrite: parsePushTarget(rw, names.remoteWriteUrl, token) } : {}),
  };
}

/**
 * The action's push inputs (`pushgateway-url`, `remote-write-url`, `push-bearer-token`), each URL
 * checked on its own so every bad one is its own problem line, and every credential handed to
 * `mask` before anything could print it.
 */
export function pushFromInputs(
  read: (name: string) => string,
  mask: (secret: string) => void,
): { config: PushConfig; problems: string[] } {
  const bearerToken = read('push-bearer-token').trim();
  if (bearerToken) mask(bearerToken);
  const config: PushConfig = {};
  const problems: string[] = [];
  for (const [input, key] of [
    ['pushgateway-url', 'pushgateway'],
    ['remote-write-url', 'remoteWrite'],
  ] as const) {
    const raw = read(input).trim();
    if (raw === '') continue;
    try {
      const target = parsePushTarget(raw, `input \`${input}\``, bearerToken);
      target.secrets.forEach(mask);
      config[key] = target;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(err.message);
    }
  }
  return { config, problems };
}

export function pushConfigured(config: PushConfig): boolean {
  return config.pushgateway !== undefined || config.remoteWrite !== undefined;
}

/**
 * The `cluster` label of pushed series: the name given (`cluster-name`), else the kubeconfig
 * context, else the API server's host, else the snapshot file's name without its extension.
 */
export function clusterLabel(explicit: string | undefined, inv: Inventory): string {
  if (explicit?.trim()) return explicit.trim();
  const source = inv.source;
  if (source.type === 'cluster') {
    if (source.context) return source.context;
    try {
      return new URL(source.server).host || source.server;
    } catch {
      return source.server;
    }
  }
  return basename(source.file).replace(/\.(ya?ml|json)$/i, '') || 'snapshot';
}

/** What a push reads of a run's result (RunResult has it): the series, and where they came from. */
export interface PushSource {
  analysis?: { now: Date; families: MetricFamily[]; metricsProm: string };
  acquired?: { inventory: Inventory };
}

export interface PushLog {
  info(line: string): void;
  warning(line: string): void;
}

/** A reason with the target's credentials blanked, should a server have echoed one. */
function safe(reason: string, target: PushTarget): string {
  let out = reason;
  for (const s of target.secrets) if (s.length >= 4) out = out.split(s).join('REDACTED');
  return out;
}

/** One target's push: what it is called in messages, and the line to log on success. */
type Outcome = { ok: true; line: string } | { ok: false; reason: string };

async function toPushgateway(
  target: PushTarget,
  name: string,
  exposition: string,
  series: number,
  userAgent: string,
  policy: RetryPolicy,
): Promise<Outcome> {
  const request = pushgatewayRequest(target.url, name, exposition, baseHeaders(target, userAgent));
  const shown = redactUrl(request.url.toString());
  const out = await send(request, policy);
  return out.ok
    ? {
        ok: true,
        line: `pushed ${series} series to the Pushgateway ${shown} (group job="${PUSH_JOB}", cluster="${name}"; ${request.body.length} bytes gzipped)`,
      }
    : { ok: false, reason: `could not push to the Pushgateway ${shown}: ${safe(out.reason, target)}` };
}

async function toRemoteWrite(
  target: PushTarget,
  name: string,
  series: WriteSeries[],
  now: Date,
  userAgent: string,
  policy: RetryPolicy,
): Promise<Outcome> {
  let sent = 0;
  let requests = 0;
  let bytes = 0;
  let rawBytes = 0;
  for (const body of remoteWriteRequests(target.url, series, baseHeaders(target, userAgent))) {
    const out = await send(body.request, policy);
    if (!out.ok) {
      // Requests already accepted stay written; say how far it got.
      const partial = sent > 0 ? ` (${sent} of ${series.length} series were written)` : '';
      return {
        ok: false,
        reason: `could not push to remote write ${target.display}: ${safe(out.reason, target)}${partial}`,
      };
    }
    sent += body.series;
    requests++;
    bytes += body.request.body.length;
    rawBytes += body.rawBytes;
  }
  const inRequests = requests > 1 ? ` in ${requests} requests` : '';
  return {
    ok: true,
    line: `pushed ${sent} series to remote write ${target.display}${inRequests} (cluster="${name}", at ${now.toISOString()}; ${bytes} bytes, ${rawBytes} before Snappy)`,
  };
}

/**
 * Pushes the run's series to every configured target, the two concurrently, and logs one line per
 * target: info on success (series and bytes), warning on failure (which target, and why). Never
 * throws.
 */
export async function pushSeries(
  config: PushConfig,
  result: PushSource,
  cluster: string | undefined,
  log: PushLog,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<{ ok: number; failed: number }> {
  if (!pushConfigured(config)) return { ok: 0, failed: 0 };
  const analysis = result.analysis;
  const inventory = result.acquired?.inventory;
  if (!analysis || !inventory) {
    log.info('nothing to push: the run computed no series');
    return { ok: 0, failed: 0 };
  }
  const name = clusterLabel(cluster, inventory);
  const userAgent = `${TOOL_NAME}/${VERSION}`;
  const pushes: Array<Promise<Outcome>> = [];
  if (config.pushgateway) {
    const count = analysis.families.reduce((n, f) => n + f.series.length, 0);
    pushes.push(toPushgateway(config.pushgateway, name, analysis.metricsProm, count, userAgent, policy));
  }
  if (config.remoteWrite) {
    const series = writeSeries(analysis.families, analysis.now.getTime(), { job: PUSH_JOB, cluster: name });
    pushes.push(toRemoteWrite(config.remoteWrite, name, series, analysis.now, userAgent, policy));
  }
  const outcomes = await Promise.all(
    pushes.map((p) =>
      p.catch((err: unknown) => ({ ok: false, reason: `could not push: ${String(err)}` }) as Outcome),
    ),
  );
  for (const out of outcomes) {
    if (out.ok) log.info(out.line);
    else log.warning(out.reason);
  }
  const ok = outcomes.filter((o) => o.ok).length;
  return { ok, failed: outcomes.length - ok };
}
