/**
 * The real servers the push tests deliver to, from Debian's packages (installed by
 * scripts/setup/prometheus-servers.sh): `prometheus` with its remote-write receiver and
 * `prometheus-pushgateway`, each on a free loopback port with a fresh temporary folder, ready
 * (`/-/ready`) before the test goes on, and stopped afterwards. A missing binary is an error
 * naming the script, locally and with CI=true alike: these tests never pass without the servers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../envtest/control-plane.js';
import { startProcess, type ManagedProcess } from '../envtest/process.js';

export const SERVERS_SETUP_HINT = 'run `bash scripts/setup/prometheus-servers.sh` (Debian packages)';

export interface RunningServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  version: string;
  /** Last lines of its log, for failure messages. */
  tail(): string;
  stop(): Promise<void>;
}

function versionOf(bin: string): string {
  const res = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if ((res.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw new Error(`${bin} is not installed: ${SERVERS_SETUP_HINT}`);
  // The Pushgateway prints its version on stderr.
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  const m = /version (\S+)/.exec(out);
  if (res.status !== 0 || !m) throw new Error(`${bin} --version failed: ${out.slice(0, 200)}`);
  return m[1] as string;
}

async function waitReady(url: string, proc: ManagedProcess, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const exited = proc.exited();
    if (exited) throw new Error(`${proc.name} ${exited} before it was ready:\n${proc.tail()}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${proc.tail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function start(
  name: string,
  bin: string,
  args: (port: number, dir: string) => string[],
): Promise<RunningServer> {
  const version = versionOf(bin);
  const dir = mkdtempSync(join(tmpdir(), `flux-health-${name}-`));
  const [port] = (await freePorts(1)) as [number];
  const proc = startProcess(name, bin, args(port, dir), join(dir, `${name}.log`));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, proc);
  } catch (err) {
    await proc.stop(2_000);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    version,
    tail: () => proc.tail(),
    stop: async () => {
      await proc.stop(5_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Pushgateway that keeps nothing between runs (its persistence file is in the temporary folder). */
export function startPushgateway(): Promise<RunningServer> {
  return start('pushgateway', 'prometheus-pushgateway', (port, dir) => [
    `--web.listen-address=127.0.0.1:${port}`,
    `--persistence.file=${join(dir, 'pushgateway.data')}`,
    '--log.level=warn',
  ]);
}

/**
 * A Prometheus with an empty TSDB that accepts remote write and scrapes nothing, so the only
 * samples it holds are the ones pushed. Retention is long: the tests push at a snapshot's
 * instant, which may be weeks old.
 */
export function startPrometheus(): Promise<RunningServer> {
  return start('prometheus', 'prometheus', (port, dir) => {
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 1m\n');
    return [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ];
  });
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query of Prometheus's HTTP API at `timeMs`; the vector's samples. */
export async function queryPrometheus(base: string, query: string, timeMs: number): Promise<PromSample[]> {
  const url = new URL('/api/v1/query', base);
  url.searchParams.set('query', query);
  url.searchParams.set('time', String(timeMs / 1000));
  const res = await fetch(url);
  const body = (await res.json()) as { status: string; data?: { resultType: string; result: PromSample[] } };
  if (body.status !== 'success' || body.data?.resultType !== 'vector')
    throw new Error(`query ${query}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.data.result;
}

export interface PushedGroup {
  labels: Record<string, string>;
  /** Metric name → its series (labels and value as the Pushgateway reports them). */
  metrics: Map<string, Array<{ labels: Record<string, string>; value: string }>>;
}

/** The Pushgateway's groups, from its `/api/v1/metrics`. */
export async function pushgatewayGroups(base: string): Promise<PushedGroup[]> {
  const res = await fetch(new URL('/api/v1/metrics', base));
  const body = (await res.json()) as { status: string; data: Array<Record<string, unknown>> };
  if (body.status !== 'success') throw new Error(`pushgateway /api/v1/metrics: ${JSON.stringify(body)}`);
  return body.data.map((g) => {
    const metrics = new Map<string, Array<{ labels: Record<string, string>; value: string }>>();
    for (const [name, family] of Object.entries(g)) {
      if (name === 'labels' || name === 'last_push_successful') continue;
      const list = (family as { metrics?: Array<{ labels: Record<string, string>; value: string }> }).metrics;
      if (list) metrics.set(name, list);
    }
    return { labels: g['labels'] as Record<string, string>, metrics };
  });
}
