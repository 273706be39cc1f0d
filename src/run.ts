/**
 * The one run both entries share: options in, a RunResult out. Connects once (the wait and the
 * collection share the connection), judges everything at one instant, analyses, and decides the
 * verdict once. It never throws: a failure becomes the verdict `error` with what was produced
 * before it, so the entries can still publish every output that exists.
 */
import { acquireInventory, type Acquired } from './acquire.js';
import type { ConnectOptions, Connection } from './cluster/connect.js';
import { ConfigError, describeFailure, EXIT_BAD_INPUT } from './errors.js';
import type { Inventory } from './inventory/index.js';
import type { LiveCluster } from './live.js';
import { analyse, type Analysis, type RuleSet } from './pipeline.js';
import type { SummaryInput } from './render/summary.js';
import type { PreviousAlert } from './rules/alerts.js';
import type { FailOn } from './rules/gate.js';
import { toolInfo } from './tool.js';
import { decideVerdict, type Verdict } from './verdict.js';
import type { Selection } from './wait/selection.js';
import type { WaitResult } from './wait/wait.js';

export interface WaitRequest {
  expected: string;
  timeoutMs: number;
  reconcile: boolean;
  selection: Selection;
  /** False: poll instead of watching. */
  watch?: boolean;
}

export interface RunLog {
  info(line: string): void;
  warning(line: string): void;
  error(line: string): void;
  /** A titled, foldable section of the log (the Actions log groups it). */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export interface RunOptions {
  source: { snapshot: string } | { connect: ConnectOptions };
  /** The Flux namespace; undefined: decided by fluxNamespace (options.ts). */
  namespace?: string;
  /** Check only these namespaces (a tenant's; the wait too, unless it selects its own); undefined: all. */
  namespaces?: string[];
  /** The evaluation instant; default: when the cluster was read (or the snapshot taken). */
  now?: Date;
  rules: RuleSet;
  failOn: FailOn;
  previousAlerts?: PreviousAlert[];
  wait?: WaitRequest;
  /** Keep the collected objects, so the outputs can include a snapshot to re-audit later. */
  keepRaw?: boolean;
  /** How the summary names things; no effect on the verdict. */
  display?: { clusterName?: string; artifactName?: string; runUrl?: string; commit?: string };
  log: RunLog;
  /** Called once the connection is known, before any request: the action masks credentials. */
  onConnected?: (conn: Connection) => void;
}

export interface RunResult {
  verdict: Verdict;
  acquired?: Acquired;
  analysis?: Analysis;
  wait?: WaitResult;
  /** The summary's input (also the comment's and the terminal's), once there is an analysis. */
  view?: SummaryInput;
  /** As given, on every result (run.json names the cluster even when the run failed). */
  display?: RunOptions['display'];
}

export async function run(opts: RunOptions): Promise<RunResult> {
  const { log } = opts;
  const result: Partial<RunResult> = opts.display ? { display: opts.display } : {};
  let waitRefused: string | undefined;
  let cluster: LiveCluster | undefined;
  try {
    if ('connect' in opts.source) {
      const live = await import('./live.js');
      cluster = live.openCluster(opts.source.connect, (l) => log.info(l), opts.onConnected);
      const request = opts.wait && scopedWait(opts.wait, opts.namespaces);
      if (request) {
        const open = cluster;
        try {
          result.wait = await log.group(`Wait for revision ${request.expected}`, () =>
            live.waitOn(open, request, (l) => log.info(l)),
          );
          (result.wait.outcome === 'converged' ? log.info : log.error)(`wait: ${result.wait.message}`);
        } catch (err) {
          const failure = describeFailure(err);
          if (failure.exitCode !== EXIT_BAD_INPUT) throw err;
          // A wait that cannot run is bad input, but the report is still worth producing.
          waitRefused = failure.message;
          log.error(`wait: ${waitRefused}`);
        }
      }
    } else if (opts.wait) {
      throw new ConfigError('waiting for a revision needs a live cluster, not a snapshot');
    }

    const started = performance.now();
    const acquired = await log.group('Collect Flux objects', () =>
      acquireInventory({
        source: cluster ? { cluster } : opts.source,
        ...(opts.namespace ? { namespace: opts.namespace } : {}),
        ...(opts.namespaces ? { namespaces: opts.namespaces } : {}),
        ...(opts.now ? { now: opts.now } : {}),
        keepRaw: (opts.keepRaw ?? false) && cluster !== undefined,
        onProgress: (l) => log.info(l),
      }),
    );
    result.acquired = acquired;
    for (const w of acquired.inventory.warnings) log.info(`note: ${w}`);
    const inv = acquired.inventory;
    // One instant for everything: the report, the series, the alerts and every relative time.
    const now = opts.now ?? new Date(inv.collectedAt);
    const analysis = await log.group('Report, metrics and alerts', () =>
      analyse(inv, {
        now,
        tool: toolInfo(),
        rules: opts.rules,
        durationMs: Math.round(performance.now() - started),
        ...(opts.previousAlerts ? { previousAlerts: opts.previousAlerts } : {}),
      }),
    );
    result.analysis = analysis;
    const firing = analysis.alerts.alerts.filter((a) => a.state === 'firing').length;
    log.info(
      `${inv.objects.length} Flux objects, ${analysis.health.failing.length} failing; ${firing} alerts firing, ${analysis.alerts.alerts.length - firing} pending`,
    );
    for (const e of analysis.alerts.errors)
      log.warning(`rule ${e.group}/${e.rule} (${e.file}): ${e.message}`);

    const verdict = decideVerdict({
      report: analysis.report,
      health: analysis.health,
      alerts: analysis.alerts,
      failOn: opts.failOn,
      ...(result.wait ? { wait: result.wait } : {}),
      ...(waitRefused !== undefined ? { waitRefused } : {}),
    });
    const view = viewOf(analysis, inv, verdict, now, opts.display, result.wait);
    return { ...result, verdict, view };
  } catch (err) {
    return { ...result, verdict: decideVerdict({ failOn: opts.failOn, error: describeFailure(err) }) };
  } finally {
    cluster?.client.close();
  }
}

/** A wait that selects no namespaces or objects of its own covers the check's namespaces. */
function scopedWait(wait: WaitRequest, namespaces: string[] | undefined): WaitRequest {
  const { selection } = wait;
  if (!namespaces || selection.namespaces?.length || selection.names?.length) return wait;
  return { ...wait, selection: { ...selection, namespaces } };
}

/** What the summary, the comment and the terminal show for an analysis and its verdict. */
export function viewOf(
  analysis: Analysis,
  inventory: Inventory,
  verdict: Verdict,
  now: Date,
  display: RunOptions['display'] = {},
  wait?: WaitResult,
): SummaryInput {
  return {
    report: analysis.report,
    health: analysis.health,
    inventory,
    alerts: analysis.alerts,
    verdict,
    now,
    ...(wait ? { wait } : {}),
    ...(display.clusterName ? { clusterName: display.clusterName } : {}),
    ...(display.artifactName ? { artifactName: display.artifactName } : {}),
    ...(display.runUrl ? { runUrl: display.runUrl } : {}),
    ...(display.commit ? { commit: display.commit } : {}),
  };
}
