/**
 * Pushes end to end: the built CLI and the built action push the demo cluster's series to a real
 * Prometheus (remote write receiver) and a real Pushgateway from Debian's packages, started on
 * loopback, and the servers' HTTP APIs must then hold exactly the series of the run's own
 * metrics.prom, with the same labels and values, ALERTS included. The Pushgateway's group is
 * replaced by each push; names that need base64 in the URL arrive intact; credentials are masked.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse, loadRules } from '../../src/pipeline.js';
import { parseExposition } from '../../src/promql/exposition.js';
import { pushConfig, pushSeries } from '../../src/push/index.js';
import { SERIES_PER_REQUEST } from '../../src/push/remote-write.js';
import { syntheticInventory } from '../metrics/synthetic.js';
import { runAction } from '../support/action-runner.js';
import { DEMO, DEMO_AT, runCli, type CliRun } from '../support/cli-runner.js';
import {
  pushgatewayGroups,
  queryPrometheus,
  startPrometheus,
  startPushgateway,
  type PushedGroup,
  type RunningServer,
} from '../support/prometheus-servers.js';

/** Labels the push adds (grouping key, remote write's labels, the Pushgateway's empty instance). */
const ADDED = new Set(['job', 'cluster', 'instance']);

/** A series as `name{sorted labels}` without the labels the push adds or empty ones, to its value. */
function keyOf(name: string, labels: Record<string, string>): string {
  const kept = Object.entries(labels)
    .filter(([k, v]) => k !== '__name__' && !ADDED.has(k) && v !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `${name}{${kept.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

function expected(metricsProm: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of parseExposition(metricsProm, DEMO_AT))
    out.set(keyOf(s.labels['__name__'] as string, s.labels), s.samples[0]?.v as number);
  return out;
}

/** The same series with the same values; on a mismatch, the first few differences of each kind. */
function expectSameSeries(got: Map<string, number>, want: Map<string, number>): void {
  const missing = [...want.keys()].filter((k) => !got.has(k));
  const extra = [...got.keys()].filter((k) => !want.has(k));
  const differ = [...want]
    .filter(([k, v]) => got.has(k) && !Object.is(got.get(k), v))
    .map(([k, v]) => `${k}: ${got.get(k)} instead of ${v}`);
  expect({ missing: missing.slice(0, 5), extra: extra.slice(0, 5), differ: differ.slice(0, 5) }).toEqual({
    missing: [],
    extra: [],
    differ: [],
  });
  expect(got.size).toBe(want.size);
}

async function inPrometheus(cluster: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const s of await queryPrometheus(prometheus.url, `{cluster=${JSON.stringify(cluster)}}`, DEMO_AT)) {
    expect(s.metric['job']).toBe('flux-health');
    out.set(keyOf(s.metric['__name__'] as string, s.metric), Number(s.value[1]));
  }
  return out;
}

async function group(cluster: string): Promise<PushedGroup | undefined> {
  return (await pushgatewayGroups(pushgateway.url)).find(
    (g) => g.labels['job'] === 'flux-health' && g.labels['cluster'] === cluster,
  );
}

function inGroup(g: PushedGroup): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, series] of g.metrics) {
    // The Pushgateway's own bookkeeping of the group.
    if (name === 'push_time_seconds' || name === 'push_failure_time_seconds') continue;
    for (const s of series) {
      expect(s.labels['job']).toBe('flux-health');
      expect(s.labels['cluster']).toBe(g.labels['cluster']);
      out.set(keyOf(name, s.labels), Number(s.value));
    }
  }
  return out;
}

let prometheus: RunningServer;
let pushgateway: RunningServer;
let unpushedCode: number | null;

beforeAll(async () => {
  [prometheus, pushgateway] = await Promise.all([startPrometheus(), startPushgateway()]);
  console.log(`prometheus ${prometheus.version}, pushgateway ${pushgateway.version}`);
  unpushedCode = (await runCli(['check', '--snapshot', DEMO])).code;
}, 60_000);

afterAll(async () => {
  await Promise.all([prometheus?.stop(), pushgateway?.stop()]);
});

const writeUrl = (): string => `${prometheus.url}/api/v1/write`;

describe('the built CLI pushes to a real Prometheus and Pushgateway', () => {
  let run: CliRun;
  let want: Map<string, number>;
  let firing: { name: string; labels: Record<string, string> };

  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'flux-health-push-'));
    run = await runCli([
      'check',
      '--snapshot',
      DEMO,
      '--out',
      out,
      '--cluster-name',
      'cli-demo',
      '--pushgateway-url',
      pushgateway.url,
      '--remote-write-url',
      writeUrl(),
    ]);
    want = expected(readFileSync(join(out, 'metrics.prom'), 'utf8'));
    const alerts = JSON.parse(readFileSync(join(out, 'alerts.json'), 'utf8')) as {
      alerts: Array<{ name: string; state: string; labels: Record<string, string> }>;
    };
    firing = alerts.alerts.find((a) => a.state === 'firing') as typeof firing;
  }, 60_000);

  it('exits as without pushing, and says what it pushed where, one line each', () => {
    expect(unpushedCode).toBe(1);
    expect(run.code, run.stderr).toBe(unpushedCode);
    expect(run.stderr).not.toMatch(/^warning:/m);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('pushed '));
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^pushed ${want.size} series to the Pushgateway ${pushgateway.url}/metrics/job/flux-health/cluster/cli-demo \\(group job="flux-health", cluster="cli-demo"; \\d+ bytes gzipped\\)$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^pushed ${want.size} series to remote write ${writeUrl()} \\(cluster="cli-demo", at 2026-11-21T12:00:00.000Z; \\d+ bytes, \\d+ before Snappy\\)$`,
        ),
      ),
    ]);
    expect(want.size).toBeGreaterThan(4000);
  });

  it('Prometheus holds every series of metrics.prom, same labels, same values, at the check’s instant', async () => {
    const got = await inPrometheus('cli-demo');
    expect(got.size).toBe(want.size);
    expectSameSeries(got, want);
  });

  it('the Pushgateway group holds every series of metrics.prom, same labels, same values', async () => {
    const g = await group('cli-demo');
    expect(g, 'the group job=flux-health, cluster=cli-demo').toBeDefined();
    const got = inGroup(g as PushedGroup);
    expectSameSeries(got, want);
  });

  it('a firing alert is an ALERTS series in both, with its labels', async () => {
    expect(firing).toBeDefined();
    const selector = Object.entries({ ...firing.labels, alertstate: 'firing', cluster: 'cli-demo' })
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',');
    const samples = await queryPrometheus(prometheus.url, `ALERTS{${selector}}`, DEMO_AT);
    expect(samples).toEqual([
      {
        metric: {
          __name__: 'ALERTS',
          ...firing.labels,
          alertstate: 'firing',
          cluster: 'cli-demo',
          job: 'flux-health',
        },
        value: [DEMO_AT / 1000, '1'],
      },
    ]);
    const alerts = (await group('cli-demo'))?.metrics.get('ALERTS') ?? [];
    expect(alerts).toContainEqual({
      labels: {
        ...firing.labels,
        alertstate: 'firing',
        cluster: 'cli-demo',
        job: 'flux-health',
        instance: '',
      },
      value: '1',
    });
  });

  it('a second push replaces the group: without rules, ALERTS leave it', async () => {
    const second = await runCli([
      'check',
      '--snapshot',
      DEMO,
      '--no-builtin-rules',
      '--cluster-name',
      'cli-demo',
      '--pushgateway-url',
      pushgateway.url,
    ]);
    expect(second.stderr).toMatch(/^pushed \d+ series to the Pushgateway/m);
    const g = (await group('cli-demo')) as PushedGroup;
    expect([...g.metrics.keys()]).not.toContain('ALERTS');
    expect([...g.metrics.keys()]).not.toContain('ALERTS_FOR_STATE');
    expect(g.metrics.get('flux_resource_info')?.length).toBe(
      [...want.keys()].filter((k) => k.startsWith('flux_resource_info{')).length,
    );
  });

  it('the same instant pushed again with other values: Prometheus refuses, one warning, same exit code', async () => {
    // The demo with one object resumed: its gotk_suspend_status goes 1 → 0 at the same instant.
    const text = readFileSync(DEMO, 'utf8');
    expect(text).toContain('"suspend": true');
    const file = join(mkdtempSync(join(tmpdir(), 'flux-health-push-')), 'demo-cluster.yaml');
    writeFileSync(file, text.replace('"suspend": true', '"suspend": false'));
    const again = await runCli([
      'check',
      '--snapshot',
      file,
      '--cluster-name',
      'cli-demo',
      '--remote-write-url',
      writeUrl(),
    ]);
    expect(again.code).toBe(unpushedCode);
    const warnings = again.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^warning: could not push to remote write ${writeUrl()}: HTTP 400 Bad Request: .*duplicate sample`,
        ),
      ),
    ]);
  });
});

describe('grouping keys the URL path cannot carry plainly', () => {
  it.each([['gke_fleet/europe-west1/prod'], ['Προμηθεύς prod']])('%s', async (cluster) => {
    const r = await runCli([
      'check',
      '--snapshot',
      DEMO,
      '--cluster-name',
      cluster,
      '--pushgateway-url',
      pushgateway.url,
    ]);
    expect(r.stderr).toMatch(/^pushed \d+ series to the Pushgateway/m);
    const g = await group(cluster);
    expect(g?.labels).toEqual({ job: 'flux-health', cluster });
  });

  it('the default cluster label is the snapshot file’s name', async () => {
    const r = await runCli(['check', '--snapshot', DEMO, '--pushgateway-url', pushgateway.url]);
    expect(r.stderr).toMatch(/cluster="demo-cluster"/);
    expect(await group('demo-cluster')).toBeDefined();
  });
});

describe('the built action pushes to a real Prometheus and Pushgateway', () => {
  it('same series as the CLI, credentials masked, verdict and exit code unchanged', async () => {
    const password = 'pg-s3cret-pass';
    const token = 'rw-t0ken-secret';
    const pgUrl = pushgateway.url.replace('http://', `http://audit:${password}@`);
    const r = await runAction({
      inputs: {
        snapshot: DEMO,
        comment: 'never',
        'artifact-name': '',
        'cluster-name': 'action-demo',
        'pushgateway-url': pgUrl,
        'remote-write-url': writeUrl(),
        'push-bearer-token': token,
      },
      // The runner fails the run if either shows up in any line but its ::add-mask::.
      secrets: [password, token, Buffer.from(`audit:${password}`).toString('base64')],
    });
    expect(r.code, r.stdout).toBe(1);
    expect(r.outputs['verdict']).toBe('failing');
    expect(r.commands('add-mask')).toEqual(expect.arrayContaining([password, token]));
    expect(r.commands('warning').filter((w) => /push/i.test(w))).toEqual([]);
    expect(r.stdout).toMatch(
      new RegExp(
        `^pushed \\d+ series to the Pushgateway ${pushgateway.url}/metrics/job/flux-health/cluster/action-demo `,
        'm',
      ),
    );
    expect(r.stdout).toMatch(new RegExp(`^pushed \\d+ series to remote write ${writeUrl()} `, 'm'));

    const want = expected(readFileSync(join(r.outputDir, 'metrics.prom'), 'utf8'));
    expectSameSeries(await inPrometheus('action-demo'), want);
    expectSameSeries(inGroup((await group('action-demo')) as PushedGroup), want);
  });
});

describe('a cluster larger than one remote write request', () => {
  const NOW = new Date('2026-11-21T13:00:00Z');
  const lines: string[] = [];
  const log = {
    info: (l: string) => lines.push(`info: ${l}`),
    warning: (l: string) => lines.push(`warning: ${l}`),
  };

  it('3,000 objects: every series lands, over several requests', async () => {
    const inventory = syntheticInventory(3000);
    const analysis = await analyse(inventory, {
      now: NOW,
      tool: { name: 'flux-health', version: '0.1.0', platform: 'linux/amd64' },
      rules: loadRules([], true),
    });
    const total = analysis.families.reduce((n, f) => n + f.series.length, 0);
    expect(total).toBeGreaterThan(2 * SERIES_PER_REQUEST);
    const config = pushConfig({ remoteWriteUrl: writeUrl() }, { pushgatewayUrl: 'pg', remoteWriteUrl: 'rw' });
    expect(await pushSeries(config, { analysis, acquired: { inventory } }, 'big', log)).toEqual({
      ok: 1,
      failed: 0,
    });
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^info: pushed ${total} series to remote write ${writeUrl()} in ${Math.ceil(total / SERIES_PER_REQUEST)} requests `,
        ),
      ),
    ]);
    const [count] = await queryPrometheus(prometheus.url, 'count({cluster="big"})', NOW.getTime());
    expect(count?.value[1]).toBe(String(total));
  });
});
