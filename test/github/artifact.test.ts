import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uploadArtifacts } from '../../src/github/artifact.js';
import { startFakeArtifactService, type FakeArtifactService } from '../fakes/artifact-service.js';
import { captureWorkflowCommands, type CommandCapture } from './workflow-commands.js';

const REPORT_FILES = ['report.yaml', 'report.json', 'metrics.prom', 'alerts.json', 'summary.md'];

function writeOutputDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flux-health-artifact-'));
  writeFileSync(join(dir, 'report.yaml'), 'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxReport\n');
  writeFileSync(join(dir, 'report.json'), JSON.stringify({ kind: 'FluxReport', spec: { healthy: false } }));
  writeFileSync(join(dir, 'metrics.prom'), 'flux_resource_info{kind="Kustomization",ready="False"} 1\n');
  writeFileSync(join(dir, 'alerts.json'), '[{"alert":"ReconciliationFailure","state":"firing"}]');
  // Large and incompressible enough to need more than a trivial deflate, with non-ASCII text.
  writeFileSync(join(dir, 'summary.md'), '# Flux is failing ✗\n' + 'x'.repeat(200_000) + '\n');
  return dir;
}

describe('uploadArtifacts against the loopback results service', () => {
  let fake: FakeArtifactService;
  const saved = { ...process.env };
  let capture: CommandCapture;

  beforeEach(() => {
    capture = captureWorkflowCommands();
  });

  afterEach(async () => {
    capture.restore();
    process.env = { ...saved };
    await fake?.close();
  });

  async function start(options: Parameters<typeof startFakeArtifactService>[0] = {}): Promise<void> {
    fake = await startFakeArtifactService(options);
    Object.assign(process.env, fake.env, { GITHUB_SERVER_URL: 'https://github.com' });
    delete process.env['GITHUB_RETENTION_DAYS'];
  }

  it('uploads the report files as one zip whose contents round-trip', async () => {
    await start();
    const dir = writeOutputDir();
    const result = await uploadArtifacts({
      name: 'flux-health-prod',
      files: REPORT_FILES,
      rootDir: dir,
      retentionDays: 7,
    });

    expect(result.warning).toBeUndefined();
    expect(result.uploaded).toBe(true);
    const stored = fake.state.artifacts.get('flux-health-prod');
    expect(stored?.finalized).toBe(true);
    expect(result.id).toBe(stored?.id);
    expect(result.size).toBe(stored?.content?.length);
    const files = fake.unzip('flux-health-prod');
    expect([...files.keys()].sort()).toEqual([...REPORT_FILES].sort());
    expect(files.get('report.json')?.toString('utf8')).toBe(
      JSON.stringify({ kind: 'FluxReport', spec: { healthy: false } }),
    );
    expect(files.get('summary.md')?.toString('utf8')).toBe(
      '# Flux is failing ✗\n' + 'x'.repeat(200_000) + '\n',
    );
    expect(files.get('metrics.prom')?.toString('utf8')).toContain('flux_resource_info');
  });

  it('speaks the twirp and blob protocol the toolkit uses', async () => {
    await start();
    const dir = writeOutputDir();
    const before = Date.now();
    await uploadArtifacts({ name: 'flux-health-prod', files: REPORT_FILES, rootDir: dir, retentionDays: 7 });
    const after = Date.now();

    const create = fake.state.requests.find((r) => r.path.endsWith('/CreateArtifact'));
    expect(create?.method).toBe('POST');
    expect(create?.headers['authorization']).toBe(`Bearer ${fake.runtimeToken}`);
    const body = create?.json as Record<string, unknown>;
    expect(body['name']).toBe('flux-health-prod');
    expect(body['version']).toBe(7);
    const expires = Date.parse(String(body['expires_at']));
    const day = 24 * 3600 * 1000;
    expect(expires).toBeGreaterThanOrEqual(before + 7 * day - 3600_000);
    expect(expires).toBeLessThanOrEqual(after + 7 * day + 3600_000);

    const blobPuts = fake.state.requests.filter((r) => r.path.startsWith('/blob/'));
    expect(blobPuts.some((r) => r.query['comp'] === 'block' && r.query['blockid'])).toBe(true);
    expect(blobPuts.at(-1)?.query['comp']).toBe('blocklist');
    // The blob requests are authorised by the signed URL alone, never by the runtime token.
    expect(blobPuts.every((r) => r.headers['authorization'] === undefined)).toBe(true);

    const finalize = fake.state.requests.find((r) => r.path.endsWith('/FinalizeArtifact'));
    const stored = fake.state.artifacts.get('flux-health-prod');
    expect((finalize?.json as Record<string, unknown>)['size']).toBe(String(stored?.content?.length));
    expect(String((finalize?.json as Record<string, unknown>)['hash'])).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('leaves out files that were not written and names the rest relative to the output dir', async () => {
    await start();
    const dir = writeOutputDir();
    mkdirSync(join(dir, 'snapshot'));
    writeFileSync(join(dir, 'snapshot', 'cluster.yaml'), 'items: []\n');
    const result = await uploadArtifacts({
      name: 'with-snapshot',
      files: [...REPORT_FILES, 'snapshot/cluster.yaml', 'not-written.json'],
      rootDir: dir,
    });
    expect(result.uploaded).toBe(true);
    expect([...fake.unzip('with-snapshot').keys()].sort()).toEqual(
      [...REPORT_FILES, 'snapshot/cluster.yaml'].sort(),
    );
    const create = fake.state.requests.find((r) => r.path.endsWith('/CreateArtifact'));
    expect((create?.json as Record<string, unknown>)['expires_at']).toBeUndefined();
  });

  it('does nothing when the artifact name is empty', async () => {
    await start();
    const result = await uploadArtifacts({ name: '  ', files: REPORT_FILES, rootDir: writeOutputDir() });
    expect(result.uploaded).toBe(false);
    expect(result.warning).toBeUndefined();
    expect(fake.state.requests).toHaveLength(0);
  });

  it('turns a rejected upload (name already used) into a warning, keeping the files', async () => {
    await start();
    const dir = writeOutputDir();
    const first = await uploadArtifacts({ name: 'flux-health', files: REPORT_FILES, rootDir: dir });
    expect(first.uploaded).toBe(true);
    const second = await uploadArtifacts({ name: 'flux-health', files: REPORT_FILES, rootDir: dir });
    expect(second.uploaded).toBe(false);
    expect(second.warning).toMatch(/Artifact flux-health not uploaded: .*already exists/);
    expect(second.warning).toContain(dir);
    expect(capture.messages('warning')).toContain(second.warning);
  });

  it('turns a blob storage refusal into a warning', async () => {
    await start({ failBlob: 403 });
    const result = await uploadArtifacts({
      name: 'flux-health',
      files: REPORT_FILES,
      rootDir: writeOutputDir(),
    });
    expect(result.uploaded).toBe(false);
    expect(result.warning).toMatch(/not authorized|AuthorizationFailure/);
    expect(fake.state.artifacts.get('flux-health')?.finalized).toBe(false);
  });

  it('turns a missing runtime token (not in Actions) into a warning without any request', async () => {
    await start();
    delete process.env['ACTIONS_RUNTIME_TOKEN'];
    const result = await uploadArtifacts({
      name: 'flux-health',
      files: REPORT_FILES,
      rootDir: writeOutputDir(),
    });
    expect(result.uploaded).toBe(false);
    expect(result.warning).toContain('ACTIONS_RUNTIME_TOKEN');
    expect(fake.state.requests).toHaveLength(0);
  });
});
