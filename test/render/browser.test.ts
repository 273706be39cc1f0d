/**
 * The summary and the comment as a reader sees them: rendered by cmark-gfm with GitHub's
 * extensions, laid out by headless Chromium inside GitHub's Markdown stylesheet at the job
 * summary's width (950 px), for the demo cluster and a 10,000-object one. Nothing may stick out
 * sideways, and every failing object shown appears exactly once.
 *
 * `FLUX_HEALTH_SCREENSHOTS=docs/images npx vitest run test/render/browser.test.ts` also writes the
 * README's pictures from these very renders.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse, loadRules } from '../../src/pipeline.js';
import { renderComment, topFailing, COMMENT_LIMITS } from '../../src/render/comment.js';
import { renderSummary, sortFailing, SUMMARY_LIMITS, type SummaryInput } from '../../src/render/summary.js';
import { DEFAULT_FAIL_ON } from '../../src/rules/gate.js';
import { viewOf } from '../../src/run.js';
import { decideVerdict } from '../../src/verdict.js';
import { syntheticInventory } from '../metrics/synthetic.js';
import {
  closeBrowser,
  JOB_SUMMARY_WIDTH,
  measureOverflow,
  renderGfm,
  screenshot,
} from '../support/github-render.js';
import { demoInput } from './fixtures/inputs.js';

const shots = process.env['FLUX_HEALTH_SCREENSHOTS'];
const outDir = shots ?? mkdtempSync(join(tmpdir(), 'flux-health-shots-'));
mkdirSync(outDir, { recursive: true });

async function largeInput(): Promise<SummaryInput> {
  const now = new Date('2026-11-21T12:00:00Z');
  const inventory = syntheticInventory(10_000);
  const a = await analyse(inventory, {
    now,
    tool: { name: 'flux-health', version: '0.1.0', platform: 'linux/amd64' },
    rules: loadRules([], true),
  });
  const verdict = decideVerdict({ ...a, failOn: DEFAULT_FAIL_ON });
  return viewOf(a, inventory, verdict, now, { artifactName: 'flux-health' });
}

/** `<strong>Kind</strong> <code>ns/name</code>`: how an entry names its object once rendered. */
function entryHtml(o: { kind: string; namespace: string; name: string }): string {
  return `<strong>${o.kind}</strong> <code>${o.namespace}/${o.name}</code>`;
}

const count = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

afterAll(closeBrowser);

describe.each([
  [
    'demo',
    () =>
      Promise.resolve(
        demoInput({
          artifactName: 'flux-health',
          clusterName: 'demo',
          commit: 'c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe',
          runUrl: 'https://github.com/acme/fleet/actions/runs/1',
        }),
      ),
  ],
  ['10,000 objects', largeInput],
])('%s cluster at GitHub width', (name, input) => {
  it('the job summary fits 950 px and lists every failing object once', async () => {
    const view = await input();
    const html = await renderGfm(renderSummary(view));
    const fit = await measureOverflow(html, { width: JOB_SUMMARY_WIDTH });
    expect(fit.documentOverflow).toBe(0);
    expect(fit.tables.filter((t) => t.overflow > 0)).toEqual([]);
    const shown = sortFailing(view.health.failing).slice(0, SUMMARY_LIMITS.failingObjects);
    expect(shown.length).toBeGreaterThan(0);
    for (const o of shown) expect(count(html, entryHtml(o)), `${o.kind} ${o.namespace}/${o.name}`).toBe(1);
    if (name === 'demo') await screenshot(html, { file: join(outDir, 'summary.png'), maxHeight: 1400 });
  });

  it('the pull-request comment fits too, each object it shows once', async () => {
    const view = await input();
    const html = await renderGfm(renderComment(view));
    const fit = await measureOverflow(html, { width: JOB_SUMMARY_WIDTH });
    expect(fit.documentOverflow).toBe(0);
    expect(fit.tables.filter((t) => t.overflow > 0)).toEqual([]);
    for (const o of topFailing(view.health.failing).slice(0, COMMENT_LIMITS.failingObjects))
      expect(count(html, entryHtml(o)), `${o.kind} ${o.namespace}/${o.name}`).toBe(1);
    if (name === 'demo') await screenshot(html, { file: join(outDir, 'comment.png'), maxHeight: 1400 });
  });
});
