import { describe, expect, it } from 'vitest';
import type { SummaryInput } from '../../src/render/summary.js';
import { renderTerminalSummary, terminalText } from '../../src/render/terminal.js';
import { HOSTILE, hostileInput, TERMINAL_UNSAFE } from './fixtures/hostile.js';
import { DEMO_NOW, demoInput, inventoryFrom, pipelineInput, readFixture } from './fixtures/inputs.js';

function smallInput(extra: Partial<SummaryInput> = {}): SummaryInput {
  return pipelineInput(
    inventoryFrom(readFixture('small-cluster.yaml'), 'small-cluster.yaml'),
    DEMO_NOW,
    extra,
  );
}

describe('renderTerminalSummary', () => {
  it('matches the expected text for the small fixture, with a timed-out wait', async () => {
    const out = renderTerminalSummary(
      smallInput({
        wait: {
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
              reason: "Progressing: Running 'upgrade' action with timeout of 5m0s",
            },
            {
              kind: 'GitRepository',
              namespace: 'flux-system',
              name: 'flux-system',
              role: 'source',
              required: true,
              state: 'converged',
              reason: 'at main@sha1:0123456789abcdef0123456789abcdef01234567',
            },
          ],
        },
      }),
    );
    await expect(out).toMatchFileSnapshot('./fixtures/small.terminal.txt');
  });

  it('puts the verdict first and has no Markdown', () => {
    const out = renderTerminalSummary(demoInput());
    expect(out.split('\n')[0]).toBe('FLUX HEALTH: FAILING');
    expect(out).not.toMatch(/^#|<br>|<details|<sub>|^\|/m);
    for (const section of ['Kubernetes:', 'Objects:', 'Alerts:', 'Failing objects:', 'Sync:', 'Controllers:'])
      expect(out).toContain(section);
  });

  it.each(HOSTILE)('%s: no control or bidi character reaches the terminal', (_name, h) => {
    const out = renderTerminalSummary(hostileInput(h));
    expect(out).not.toMatch(TERMINAL_UNSAFE);
    // Each cluster string stays on its own line: a line break inside it cannot forge a row.
    expect(out).not.toMatch(/^\|---/m);
  });

  it('terminalText drops escapes, shows bidi overrides and keeps one line', () => {
    expect(terminalText('a\u001b[31mred\u001b[0m\nb \u202Eevil')).toBe('a[31mred[0m b \uFFFDevil');
    expect(terminalText('x'.repeat(50), 10)).toBe('xxxxxxxxx…');
  });
});
