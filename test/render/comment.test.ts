import { describe, expect, it } from 'vitest';
import { COMMENT_BUDGET_CHARACTERS, COMMENT_LIMITS, renderComment } from '../../src/render/comment.js';
import type { SummaryInput, WaitResult } from '../../src/render/summary.js';
import { assertNoLiveMarkdown, HOSTILE, hostileInput } from './fixtures/hostile.js';
import { DEMO_NOW, demoInput, inventoryFrom, pipelineInput, readFixture } from './fixtures/inputs.js';

const WAIT: WaitResult = {
  outcome: 'timeout',
  expected: '0123456789abcdef0123456789abcdef01234567',
  elapsedMs: 305_000,
  message: 'timed out after 5m5s: 1 of 2 objects not converged',
  objects: [
    {
      kind: 'HelmRelease',
      namespace: 'apps',
      name: 'redis',
      role: 'selected',
      required: false,
      state: 'waiting',
      reason: 'Progressing: Running upgrade',
    },
    {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'flux-system',
      role: 'selected',
      required: true,
      state: 'converged',
      reason: 'at main@sha1:0123456789abcdef0123456789abcdef01234567',
    },
  ],
};

function smallInput(extra: Partial<SummaryInput> = {}): SummaryInput {
  return pipelineInput(
    inventoryFrom(readFixture('small-cluster.yaml'), 'small-cluster.yaml'),
    DEMO_NOW,
    extra,
  );
}

describe('renderComment', () => {
  it('matches the expected Markdown for the small fixture', async () => {
    const out = renderComment(
      smallInput({
        wait: WAIT,
        artifactName: 'flux-health',
        runUrl: 'https://github.com/acme/fleet/actions/runs/42',
        clusterName: 'staging',
      }),
    );
    await expect(out).toMatchFileSnapshot('./fixtures/small.comment.md.txt');
  });

  it('is compact on the demo cluster: verdict, counts, top firing alerts and failing objects, link', () => {
    const input = demoInput({
      artifactName: 'flux-health',
      runUrl: 'https://github.com/acme/fleet/actions/runs/1',
    });
    const out = renderComment(input);
    expect(out.startsWith('## ❌ Flux Health: Failing')).toBe(true);
    expect(out.length).toBeLessThan(12_000);
    const firing = input.alerts!.alerts.filter((a) => a.state === 'firing').length;
    expect(out).toContain(`### Firing alerts: ${COMMENT_LIMITS.firingAlerts} of ${firing}`);
    expect(out).toContain(
      `### Failing objects: ${COMMENT_LIMITS.failingObjects} of ${input.health.failing.length}, newest first`,
    );
    expect(out).toContain('[job summary](https://github.com/acme/fleet/actions/runs/1)');
    expect(out).toContain('the artifact `flux-health`');
    assertNoLiveMarkdown(
      out.replace('[job summary](https://github.com/acme/fleet/actions/runs/1)', 'job summary'),
    );
  });

  it('stays under 60,000 characters whatever it is given', () => {
    const input = smallInput({ artifactName: 'flux-health' });
    input.health.kinds = Array.from({ length: 3000 }, (_, i) => ({
      ...input.health.kinds[0]!,
      kind: `Kind${i}`.padEnd(200, 'k'),
    }));
    const out = renderComment(input);
    expect(out.length).toBeLessThanOrEqual(COMMENT_BUDGET_CHARACTERS);
    expect(out).toMatch(/… truncated: \d+ more characters; full report in the artifact `flux-health`\n$/);
    expect((out.match(/<details[ >]/g) ?? []).length).toBe((out.match(/<\/details>/g) ?? []).length);
  });

  it.each(HOSTILE)('%s: no live HTML, Markdown structure, mention or comment', (_name, h) => {
    assertNoLiveMarkdown(renderComment(hostileInput(h)));
  });
});
