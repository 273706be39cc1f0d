import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SUMMARY_MAX_BYTES, writeJobSummary } from '../../src/github/summary.js';
import { captureWorkflowCommands, type CommandCapture } from './workflow-commands.js';

// @actions/core remembers the first summary path it sees, so the file stays the same and is
// emptied before each test.
const summaryFile = join(mkdtempSync(join(tmpdir(), 'flux-health-summary-')), 'step_summary');

describe('writeJobSummary', () => {
  let capture: CommandCapture;
  const saved = process.env['GITHUB_STEP_SUMMARY'];

  beforeEach(() => {
    writeFileSync(summaryFile, '');
    process.env['GITHUB_STEP_SUMMARY'] = summaryFile;
    capture = captureWorkflowCommands();
  });

  afterEach(() => {
    capture.restore();
    if (saved === undefined) delete process.env['GITHUB_STEP_SUMMARY'];
    else process.env['GITHUB_STEP_SUMMARY'] = saved;
  });

  it('appends the Markdown to the step summary file', async () => {
    writeFileSync(summaryFile, 'earlier\n');
    const result = await writeJobSummary('## Flux is healthy\n\nAll 12 objects ready.');
    expect(result).toMatchObject({ written: true, truncated: false });
    expect(readFileSync(summaryFile, 'utf8')).toBe('earlier\n## Flux is healthy\n\nAll 12 objects ready.\n');
  });

  it('cuts a summary over 1 MiB on a line boundary with a notice naming the artifact', async () => {
    const line = '| HelmRelease | apps/podinfo | InstallFailed | ✗ timeout waiting for condition |';
    const doc = [
      '## Flux is failing',
      '',
      '| kind | object | reason | message |',
      '| --- | --- | --- | --- |',
    ]
      .concat(Array.from({ length: 30_000 }, () => line))
      .join('\n');
    expect(Buffer.byteLength(doc)).toBeGreaterThan(2 * SUMMARY_MAX_BYTES);
    const result = await writeJobSummary(doc, { artifactName: 'flux-health-prod' });
    expect(result).toMatchObject({ written: true, truncated: true });
    const written = readFileSync(summaryFile, 'utf8');
    expect(statSync(summaryFile).size).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(statSync(summaryFile).size).toBeGreaterThan(SUMMARY_MAX_BYTES - 8 * 1024);
    expect(written).toMatch(
      /\n\n… truncated: \d+ more bytes; full report in the artifact `flux-health-prod`\n$/,
    );
    expect(
      written
        .split('\n')
        .filter((l) => l.startsWith('| HelmRelease'))
        .every((l) => l === line),
    ).toBe(true);
  });

  it('counts what the step already wrote against the limit', async () => {
    writeFileSync(summaryFile, 'x'.repeat(700 * 1024) + '\n');
    const doc = Array.from({ length: 8000 }, (_, i) => `line ${i} ${'y'.repeat(60)}`).join('\n');
    const result = await writeJobSummary(doc);
    expect(result.truncated).toBe(true);
    expect(statSync(summaryFile).size).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(readFileSync(summaryFile, 'utf8')).toMatch(/full report in the output directory\n$/);
  });

  it('replaces earlier content when asked', async () => {
    writeFileSync(summaryFile, 'stale\n');
    await writeJobSummary('fresh', { overwrite: true });
    expect(readFileSync(summaryFile, 'utf8')).toBe('fresh\n');
  });

  it('warns instead of failing when there is no summary file', async () => {
    delete process.env['GITHUB_STEP_SUMMARY'];
    const result = await writeJobSummary('## report');
    expect(result.written).toBe(false);
    expect(result.warning).toContain('GITHUB_STEP_SUMMARY');
    expect(capture.messages('warning')).toEqual([result.warning]);
    // Nothing left in the toolkit's buffer to leak into a later write.
    process.env['GITHUB_STEP_SUMMARY'] = summaryFile;
    await writeJobSummary('next');
    expect(readFileSync(summaryFile, 'utf8')).toBe('next\n');
  });
});
