import { describe, expect, it } from 'vitest';
import {
  bold,
  bulletList,
  code,
  details,
  escapePipes,
  heading,
  joinBlocks,
  md,
  measure,
  paragraph,
  table,
  text,
  truncateMarkdown,
  truncationNotice,
} from '../../src/render/markdown.js';
import { renderInline, splitRow } from '../fakes/markdown-reader.js';

describe('builders escape untrusted strings and keep trusted Markdown', () => {
  it('heading', () => {
    expect(heading(2, 'Flux is failing')).toBe('## Flux is failing');
    expect(heading(3, '# <b>x</b>\nnext')).toBe('### \\# &lt;b&gt;x&lt;/b&gt; next');
    expect(heading(1, md('**ok**'))).toBe('# **ok**');
  });

  it('paragraph and inline helpers', () => {
    expect(paragraph(bold('Verdict:'), ' ', '[x](javascript:y)')).toBe(
      '**Verdict:** \\[x\\]\\(javascript:y\\)',
    );
    expect(text('a ', code('b`c'))).toEqual(md('a ``b`c``'));
  });

  it('bullet list items cannot start their own structure', () => {
    const out = bulletList(['- nested?', '@octocat', md('`trusted`')]);
    const lines = out.split('\n');
    expect(lines).toHaveLength(3);
    expect(renderInline(lines[0]?.slice(2) ?? '')).toBe('- nested?');
    expect(lines[2]).toBe('- `trusted`');
  });

  it('table: escapes cells, pads short rows, drops extra cells, aligns', () => {
    const out = table(
      ['Kind', 'Object', 'Message'],
      [
        ['Kustomization', 'flux-system/apps', 'a | b\nc'],
        ['HelmRelease', md('`x|y`')],
        ['GitRepository', 'r', 'm', 'extra'],
      ],
      ['left', 'center', 'right'],
    );
    const lines = out.split('\n');
    expect(lines[0]).toBe('| Kind | Object | Message |');
    expect(lines[1]).toBe('| --- | :---: | ---: |');
    expect(lines[2]).toBe('| Kustomization | flux-system/apps | a \\| b<br>c |');
    expect(lines[3]).toBe('| HelmRelease | `x\\|y` |  |');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(splitRow(line)).toHaveLength(5);
  });

  it('escapes only the pipes of trusted cells that are not already escaped', () => {
    expect(escapePipes('a||b')).toBe('a\\|\\|b');
    expect(escapePipes('a\\|b')).toBe('a\\|b');
    expect(escapePipes('a\\\\|b')).toBe('a\\\\\\|b');
    const row = table(['x'], [[md('`p||q` \\\\|')]]).split('\n')[2] ?? '';
    expect(splitRow(row)).toHaveLength(3);
  });

  it('details: the label is HTML-escaped and the body is separated by blank lines', () => {
    const out = details('</summary></details>@octocat', 'body **md**');
    expect(out).toBe(
      '<details><summary>&lt;/summary&gt;&lt;/details&gt;@\u200Doctocat</summary>\n\nbody **md**\n\n</details>',
    );
    expect(details(md('<b>3</b> failing'), 'x', { open: true })).toMatch(
      /^<details open><summary><b>3<\/b> failing<\/summary>/,
    );
  });

  it('joinBlocks leaves out empty blocks', () => {
    expect(joinBlocks('a', undefined, '', false, null, 'b')).toBe('a\n\nb');
  });
});

describe('truncateMarkdown', () => {
  const doc = Array.from({ length: 200 }, (_, i) => `line ${i} — ünïcödé ✓`).join('\n');

  it('returns a document that fits unchanged', () => {
    expect(truncateMarkdown(doc, measure(doc, 'bytes'))).toEqual({ text: doc, truncated: false, omitted: 0 });
  });

  it('cuts on a line boundary within a byte budget and says how much is missing and where', () => {
    const limit = 2000;
    const result = truncateMarkdown(doc, limit, { artifactName: 'flux-health-prod' });
    expect(result.truncated).toBe(true);
    expect(measure(result.text, 'bytes')).toBeLessThanOrEqual(limit);
    const [kept, notice] = result.text.split('\n\n');
    expect(doc.startsWith(`${kept}\n`)).toBe(true);
    expect(measure(kept ?? '', 'bytes') + result.omitted).toBe(measure(doc, 'bytes'));
    expect(notice).toBe(
      `… truncated: ${result.omitted} more bytes; full report in the artifact \`flux-health-prod\``,
    );
    // As much as fits: one more line would not have.
    const nextLine = doc.split('\n')[(kept ?? '').split('\n').length] ?? '';
    expect(measure(`${kept}\n${nextLine}\n\n${notice}`, 'bytes')).toBeGreaterThan(limit);
  });

  it('counts characters when asked (comments) and bytes otherwise (summary)', () => {
    const wide = '✓'.repeat(100) + '\n' + '✓'.repeat(100);
    expect(truncateMarkdown(wide, 250, { unit: 'characters' }).truncated).toBe(false);
    expect(truncateMarkdown(wide, 250, { unit: 'bytes' }).truncated).toBe(true);
    expect(truncateMarkdown(wide, 250, { unit: 'bytes' }).text).toMatch(
      /bytes; full report in the output directory$/,
    );
  });

  it('closes an open code fence so the notice is not swallowed by it', () => {
    const fenced = [
      '# Events',
      '',
      '````text',
      ...Array.from({ length: 100 }, (_, i) => 'event ' + i + ' ``` inside'),
      '````',
      'after',
    ].join('\n');
    const result = truncateMarkdown(fenced, 600, { artifactName: 'a' });
    expect(measure(result.text, 'bytes')).toBeLessThanOrEqual(600);
    const lines = result.text.split('\n');
    const notice = lines.at(-1) ?? '';
    expect(notice.startsWith('… truncated:')).toBe(true);
    expect(lines.at(-3)).toBe('````');
    expect(lines.filter((l) => l === '````')).toHaveLength(1);
  });

  it('closes open <details> blocks before the notice', () => {
    const body = Array.from({ length: 100 }, (_, i) => `| row ${i} | x |`).join('\n');
    const nested = joinBlocks('# Report', details('Failing', joinBlocks(details('Events', body))), 'tail');
    const result = truncateMarkdown(nested, 800);
    expect(measure(result.text, 'bytes')).toBeLessThanOrEqual(800);
    const opened = result.text.match(/<details>/g)?.length ?? 0;
    const closed = result.text.match(/<\/details>/g)?.length ?? 0;
    expect(opened).toBe(2);
    expect(closed).toBe(2);
    expect(result.text.indexOf('… truncated:')).toBeGreaterThan(result.text.lastIndexOf('</details>'));
  });

  it('stays within a budget even smaller than the notice', () => {
    const result = truncateMarkdown(doc, 20);
    expect(measure(result.text, 'bytes')).toBeLessThanOrEqual(20);
    expect(result.truncated).toBe(true);
  });

  it('names the artifact verbatim, in a code span', () => {
    expect(truncationNotice(5, 'bytes', 'flux`health')).toBe(
      '… truncated: 5 more bytes; full report in the artifact ``flux`health``',
    );
  });
});
