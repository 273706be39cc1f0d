import { describe, expect, it } from 'vitest';
import type { FluxObject, WarningEvent } from '../../src/inventory/index.js';
import type { Alert, AlertsResult } from '../../src/rules/alerts.js';
import { sanitizeText, WORD_BREAK } from '../../src/text/escape.js';
import { measure } from '../../src/render/markdown.js';
import {
  allocateCells,
  chartLegend,
  describeCounts,
  EMOJI_GLYPHS,
  stateBar,
  TEXT_GLYPHS,
  type StateCounts,
} from '../../src/render/chart.js';
import { DEFAULT_FAIL_ON } from '../../src/rules/gate.js';
import { decideVerdict, type VerdictLevel } from '../../src/verdict.js';
import {
  formatAge,
  formatDuration,
  renderSummary,
  safeRunUrl,
  shortRevision,
  SUMMARY_BUDGET_BYTES,
  type SummaryInput,
  type WaitResult,
} from '../../src/render/summary.js';
import { splitRow } from '../fakes/markdown-reader.js';
import { assertNoLiveMarkdown, HOSTILE, hostileInput } from './fixtures/hostile.js';
import { DEMO_NOW, demoInput, inventoryFrom, pipelineInput, readFixture } from './fixtures/inputs.js';

function smallInput(extra: Partial<SummaryInput> = {}): SummaryInput {
  return pipelineInput(
    inventoryFrom(readFixture('small-cluster.yaml'), 'small-cluster.yaml'),
    DEMO_NOW,
    extra,
  );
}

const TIMEOUT: WaitResult = {
  outcome: 'timeout',
  expected: '0123456789abcdef0123456789abcdef01234567',
  elapsedMs: 305_000,
  message: 'timed out after 5m5s: 2 of 3 objects not converged',
  objects: [
    {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
      role: 'selected',
      required: true,
      state: 'failed',
      reason: "HealthCheckFailed: timeout waiting for: [Deployment/apps/web status: 'InProgress']",
      revision: 'main@sha1:fedcba9876543210fedcba9876543210fedcba98',
    },
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
      revision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
    },
  ],
};

function alert(state: 'firing' | 'pending', name = 'A', severity = 'warning'): Alert {
  return {
    name,
    group: 'g',
    file: 'f.yaml',
    state,
    labels: { alertname: name, severity },
    annotations: { summary: `${name} summary` },
    activeAt: '2026-11-21T11:00:00.000Z',
    activeAtMs: Date.parse('2026-11-21T11:00:00Z'),
    stateSinceMs: Date.parse('2026-11-21T11:00:00Z'),
    value: 1,
  };
}

function alertsOf(...alerts: Alert[]): AlertsResult {
  return { evaluatedAtMs: DEMO_NOW.getTime(), alerts, errors: [] };
}

describe('the verdict in the summary', () => {
  const healthy = (): SummaryInput => {
    const input = smallInput();
    input.health.failing = [];
    input.health.kinds = input.health.kinds.map((k) => ({ ...k, failing: 0 }));
    input.report.spec.components = (input.report.spec.components ?? []).map((c) => ({ ...c, ready: true }));
    input.alerts = alertsOf();
    return input;
  };

  it('renders the verdict first, with its marker and word', () => {
    const levels: [VerdictLevel, (i: SummaryInput) => void, string][] = [
      ['healthy', () => {}, '## ✅ Flux Health: Healthy'],
      ['degraded', (i) => (i.alerts = alertsOf(alert('pending'))), '## ⚠️ Flux Health: Degraded'],
      ['failing', (i) => (i.alerts = alertsOf(alert('firing'))), '## ❌ Flux Health: Failing'],
    ];
    for (const [level, mutate, head] of levels) {
      const input = healthy();
      mutate(input);
      input.verdict = decideVerdict({ ...input, failOn: DEFAULT_FAIL_ON });
      expect(input.verdict.level).toBe(level);
      expect(renderSummary(input).split('\n')[0]).toBe(head);
    }
  });
});

describe('chart', () => {
  it.each([
    [[0, 0, 0, 0], 10, [0, 0, 0, 0]],
    [[5, 0, 0, 0], 10, [10, 0, 0, 0]],
    [[1, 1, 0, 0], 10, [5, 5, 0, 0]],
    [[999, 1, 0, 0], 10, [9, 1, 0, 0]],
    [[1000, 1, 1, 1], 10, [7, 1, 1, 1]],
    [[38, 6, 4, 4], 10, [7, 1, 1, 1]],
    [[1, 1, 1, 1, 1], 3, [1, 1, 1, 0, 0]],
    [[3, 3, 3], 10, [4, 3, 3]],
  ])('allocateCells(%j, %i) = %j', (values, width, cells) => {
    const got = allocateCells(values, width);
    expect(got).toEqual(cells);
    if (values.some((v) => v > 0)) expect(got.reduce((a, b) => a + b, 0)).toBe(width);
  });

  it('draws ready, failing, other and suspended in that order, full width', () => {
    const counts: StateCounts = { ready: 5, failing: 3, other: 1, suspended: 1 };
    expect(stateBar(counts, TEXT_GLYPHS)).toBe('#####XXX~.');
    expect(stateBar(counts, EMOJI_GLYPHS, 4)).toBe('🟩🟥🟨⬜');
    expect(stateBar({ ready: 0, failing: 0, other: 0, suspended: 0 }, TEXT_GLYPHS)).toBe('');
    expect(chartLegend(TEXT_GLYPHS)).toBe('# ready · X failing · ~ progressing or unknown · . suspended');
    expect(describeCounts({ ready: 2, failing: 0, other: 0, suspended: 1 })).toBe('2 ready, 1 suspended');
  });
});

describe('formatting helpers', () => {
  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [3_600_000, '1h'],
    [3_660_000, '1h 1m'],
    [86_400_000, '1d'],
    [90_000_000, '1d 1h'],
  ])('formatDuration(%i) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('measures ages from the given instant, never from the clock', () => {
    expect(formatAge('2026-11-21T11:00:00Z', DEMO_NOW)).toBe('1h ago');
    expect(formatAge('2026-11-21T12:05:00Z', DEMO_NOW)).toBe('5m from now');
    expect(formatAge('not a time', DEMO_NOW)).toBeUndefined();
  });

  it('shortens digests but keeps the ref', () => {
    expect(shortRevision('main@sha1:0123456789abcdef0123456789abcdef01234567')).toBe(
      'main@sha1:0123456789ab…',
    );
    expect(shortRevision('6.9.2')).toBe('6.9.2');
  });

  it('links the run only when it is a plain https URL', () => {
    expect(safeRunUrl('https://github.com/acme/fleet/actions/runs/1')).toBe(
      'https://github.com/acme/fleet/actions/runs/1',
    );
    for (const bad of [
      'javascript:alert(1)',
      'https://x.example/a)(b',
      'https://x.example/ "t"',
      'http://x.example',
    ]) {
      expect(safeRunUrl(bad)).toBeUndefined();
    }
  });
});

describe('renderSummary on the small fixture', () => {
  it('matches the expected Markdown', async () => {
    await expect(renderSummary(smallInput({ artifactName: 'flux-health' }))).toMatchFileSnapshot(
      './fixtures/small.summary.md.txt',
    );
  });

  it('on a wait timeout, says what was still not ready and why', async () => {
    const out = renderSummary(smallInput({ wait: TIMEOUT, artifactName: 'flux-health' }));
    await expect(out).toMatchFileSnapshot('./fixtures/small-wait-timeout.summary.md.txt');
    const section = out.slice(out.indexOf('### Wait for convergence'), out.indexOf('### Objects by kind'));
    expect(section).toContain('**Timed out after 5m: 2 objects still not ready.**');
    expect(section).toContain('| HelmRelease | apps/redis | waiting | selected |  | Progressing: Running');
    expect(section).toContain('HealthCheckFailed');
    // The ready one is not listed.
    expect(section).not.toContain('flux-system/flux-system');
  });

  it('is deterministic and independent of the clock', () => {
    const a = renderSummary(smallInput({ wait: TIMEOUT }));
    const b = renderSummary(smallInput({ wait: TIMEOUT }));
    expect(a).toBe(b);
  });

  it('folds the recent Warning events of a failing object into its entry', () => {
    const out = renderSummary(smallInput());
    const entry = out.slice(out.indexOf('- **Kustomization** `flux-system/apps`'));
    expect(entry.slice(0, entry.indexOf('\n- ') === -1 ? undefined : entry.indexOf('\n- '))).toMatch(
      /<details><summary>2 recent Warning events<\/summary>\n\n {2}- 5m ago · \*\*HealthCheckFailed\*\* ×9: /,
    );
    // One entry per object: no separate events section.
    expect(out).not.toContain('### Recent Warning events');
  });
});

describe('renderSummary on the demo cluster', () => {
  const input = demoInput({
    artifactName: 'flux-health',
    runUrl: 'https://github.com/acme/fleet/actions/runs/1',
  });
  const out = renderSummary(input);

  it('has every section, in order, well under the budget', () => {
    const order = [
      '## ❌ Flux Health: Failing',
      '**Kubernetes** ',
      '### Objects by kind',
      '### Failing objects: ',
      '### Alerts: ',
      '### Sync',
      '### Controllers',
      '### Existing FluxReport',
      '### Notes',
      '[workflow run](https://github.com/acme/fleet/actions/runs/1)',
    ];
    const at = order.map((s) => out.indexOf(s));
    expect(
      at.every((i) => i >= 0),
      JSON.stringify(order.filter((_, i) => at[i]! < 0)),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(measure(out, 'bytes')).toBeLessThan(SUMMARY_BUDGET_BYTES);
  });

  it('has a bar per kind and one for all kinds', () => {
    const rows = out.split('\n').filter((l) => /^\| .* \| [🟩🟥🟨⬜]+ \|/u.test(l));
    expect(rows.length).toBe(input.health.kinds.length + 1);
    for (const row of rows) expect(Array.from(splitRow(row)[2]!.trim()).length).toBe(10);
    // Five narrow columns: the table fits the job summary's width.
    for (const row of rows) expect(splitRow(row).length - 2).toBe(5);
  });

  it('escapes the demo’s hostile event message', () => {
    assertNoLiveMarkdown(out.replace('[workflow run](https://github.com/acme/fleet/actions/runs/1)', 'run'));
  });
});

describe('renderSummary with hostile strings in every cluster-sourced field', () => {
  it('the document checker used below does reject live structure', () => {
    const live = [
      '<img src=x>',
      '- @octocat',
      'text <!-- hidden -->',
      '<details><summary>x</summary>',
      '| a | b |\n| --- | --- |\n| 1 | 2 | 3 |',
      '| a |\n| --- |\n| [x](y) |',
      '<details><summary>@octocat</summary>\n\n</details>',
      '### *x*',
      'a `b',
    ];
    for (const doc of live) expect(() => assertNoLiveMarkdown(doc), doc).toThrow();
    expect(() => assertNoLiveMarkdown('| a |\n| --- |\n| `<img>` \\| x<br><sub>y</sub> |')).not.toThrow();
  });

  it.each(HOSTILE)('%s: no live HTML, Markdown structure, mention or comment', (_name, h) => {
    const input = hostileInput(h);
    const out = renderSummary(input);
    assertNoLiveMarkdown(out);
    // The hostile object is still named, as its own text.
    const entry = out.split('\n').find((l) => l.startsWith('- **Kustomization** ') && l.includes('ns '));
    expect(entry).toBeDefined();
    const name = /^- \*\*Kustomization\*\* (`+) ?(.*?) ?\1 · /.exec(entry!);
    // A code span shows the text on one line, with a word joiner after each `<`.
    expect(name?.[2]?.split(WORD_BREAK).join('')).toBe(
      sanitizeText(`ns ${h}/${h}`, { maxLength: 300 }).replace(/\s*\n\s*/g, ' '),
    );
  });
});

describe('the 1 MiB budget', () => {
  /** The small fixture with `n` failing objects whose messages are `size` characters. */
  function huge(n: number, size: number): SummaryInput {
    const inv = inventoryFrom(readFixture('small-cluster.yaml'), 'small-cluster.yaml');
    const template = inv.objects.find((o) => o.name === 'apps')!;
    const objects: FluxObject[] = [];
    const events: WarningEvent[] = [];
    for (let i = 0; i < n; i++) {
      const o = structuredClone(template);
      o.name = `app-${String(i).padStart(5, '0')}`;
      o.uid = `uid-${i}`;
      const message = `failure ${i} `.padEnd(size, 'x');
      for (const c of o.conditions) c.message = message;
      objects.push(o);
      events.push({
        involvedKind: o.kind,
        namespace: o.namespace,
        name: o.name,
        reason: 'Failed',
        message,
        count: 1,
      });
    }
    inv.objects.push(...objects);
    inv.events.push(...events);
    return pipelineInput(inv, DEMO_NOW, { artifactName: 'flux-health' });
  }

  const input = huge(5000, 10_000);

  it('5,000 failing objects with 10 KB messages stay under 1 MiB, every section present', () => {
    const out = renderSummary(input);
    expect(measure(out, 'bytes')).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES);
    expect(out.startsWith('## ❌ Flux Health: Failing')).toBe(true);
    expect(out).toContain('### Failing objects: 5001');
    expect(out).toMatch(
      /… and 4001 more failing objects; all of them in `report\.json` of the artifact `flux-health`\./,
    );
    expect(out).toContain('### Controllers');
  });

  it('cuts on a line boundary with a notice pointing at the artifact when even that is too big', () => {
    const limit = 200_000;
    const out = renderSummary({ ...input, maxBytes: limit });
    expect(measure(out, 'bytes')).toBeLessThanOrEqual(limit);
    expect(out).toMatch(/… truncated: \d+ more bytes; full report in the artifact `flux-health`\n$/);
    expect((out.match(/<details[ >]/g) ?? []).length).toBe((out.match(/<\/details>/g) ?? []).length);
    expect(out.startsWith('## ❌ Flux Health: Failing')).toBe(true);
  });
});
