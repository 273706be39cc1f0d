import { describe, expect, it } from 'vitest';
import {
  COMMENT_BUDGET_CHARACTERS,
  COMMENT_LIMITS,
  commentDigest,
  renderComment,
} from '../../src/render/comment.js';
import { digestLine, objectHash, readDigest } from '../../src/render/digest.js';
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

  it('is compact on the demo cluster: verdict, subject, counts, one entry per failing object, links', () => {
    const input = demoInput({
      artifactName: 'flux-health',
      runUrl: 'https://github.com/acme/fleet/actions/runs/1',
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
    const out = renderComment(input);
    expect(out.startsWith('### ❌ Flux Health: Failing')).toBe(true);
    expect(out.length).toBeLessThan(12_000);
    expect(out).toContain('**Commit** `0123456789abcdef0123456789abcdef01234567`');
    expect(out).toMatch(/\*\*Flux applied\*\* `[^`]+` \\\(sync `[^`]+`, (ready|\*\*not ready\*\*)\\\)/);
    expect(out).toContain(
      `#### Failing objects: ${COMMENT_LIMITS.failingObjects} of ${input.health.failing.length}, newest first`,
    );
    // Each failing object once: its alerts are folded into its entry, not listed again.
    expect(out).not.toContain('Firing alerts');
    const entries = out.split('\n').filter((l) => l.startsWith('- **'));
    expect(entries).toHaveLength(COMMENT_LIMITS.failingObjects);
    expect(new Set(entries).size).toBe(entries.length);
    expect(out).toContain('[job summary](https://github.com/acme/fleet/actions/runs/1)');
    expect(out).toContain('the artifact `flux-health`');
    assertNoLiveMarkdown(
      out.replace('[job summary](https://github.com/acme/fleet/actions/runs/1)', 'job summary'),
    );
  });

  it('says what changed since the previous run: new, resolved, still failing', () => {
    const input = smallInput({ commit: 'b'.repeat(40) });
    const failing = input.health.failing[0]!;
    const ready = input.health.objects.find((o) => o.kind !== failing.kind || o.name !== failing.name)!;
    // The previous run: `ready` was failing and `failing` was not.
    const previous = {
      ...commentDigest(input),
      failing: [objectHash(ready)],
      commit: 'a'.repeat(40),
      at: '2026-11-21T10:00:00.000Z',
    };
    const out = renderComment(input, previous);
    expect(out).toContain('#### Since the previous run');
    expect(out).toContain(
      `Previous run: commit \`${'a'.repeat(40)}\`, 2h ago. 🆕 1 new failure · ✅ 1 resolved · 0 still failing`,
    );
    expect(out).toContain(`**New:** **${failing.kind}** \`${failing.namespace}/${failing.name}\``);
    expect(out).toContain(`**Resolved:** **${ready.kind}** \`${ready.namespace}/${ready.name}\``);
    expect(out).toMatch(/^- 🆕 \*\*/m);
    const again = renderComment(input, commentDigest(input));
    expect(again).toContain('No change: 1 object still failing.');
    expect(again).not.toMatch(/^- 🆕/m);
  });

  it('reads back only a well-formed digest', () => {
    const d = commentDigest(smallInput());
    expect(readDigest(`<!-- marker -->\nbody\n${digestLine(d)}\n`)).toEqual(d);
    for (const bad of [
      'no digest here',
      '<!-- flux-health:digest not*base64 -->',
      `<!-- flux-health:digest ${Buffer.from('{"v":2,"at":"x","failing":[]}').toString('base64')} -->`,
      `<!-- flux-health:digest ${Buffer.from('{"v":1,"at":"x","failing":["<script>"]}').toString('base64')} -->`,
    ])
      expect(readDigest(bad), bad).toBeUndefined();
  });

  it('stays under its budget whatever it is given', () => {
    const input = smallInput({
      artifactName: 'flux-health',
      wait: {
        ...WAIT,
        objects: Array.from({ length: 5000 }, (_, i) => ({
          ...WAIT.objects[0]!,
          name: `r${i}`,
          reason: 'x'.repeat(10_000),
        })),
      },
    });
    const base = input.health.failing[0]!;
    input.health.failing = Array.from({ length: 5000 }, (_, i) => ({
      ...base,
      name: `n${i}`.padEnd(10_000, 'n'),
      message: 'm'.repeat(10_000),
    }));
    const out = renderComment(input);
    expect(out.length).toBeLessThanOrEqual(COMMENT_BUDGET_CHARACTERS);
    expect((out.match(/<details[ >]/g) ?? []).length).toBe((out.match(/<\/details>/g) ?? []).length);
  });

  it.each(HOSTILE)('%s: no live HTML, Markdown structure, mention or comment', (_name, h) => {
    assertNoLiveMarkdown(renderComment(hostileInput(h)));
  });
});
