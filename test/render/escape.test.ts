import { describe, expect, it } from 'vitest';
import {
  codeBlock,
  codeSpan,
  escapeCell,
  escapeHtml,
  escapeInline,
  sanitizeText,
  truncateText,
  WORD_BREAK,
} from '../../src/text/escape.js';
import { AUTOLINK, LiveStructureError, renderInline, splitRow } from '../fakes/markdown-reader.js';

/** Strings someone with write access to a cluster object's status or events could choose. */
const HOSTILE: [string, string][] = [
  ['mention', '@octocat please approve'],
  ['team mention', 'cc @acme/platform-team'],
  ['mention after punctuation', '(@octocat) and "@admin"'],
  ['backslash mention', '\\@octocat'],
  ['zero-width-hidden mention', 'x \u200B@\u200Boctocat'],
  ['issue references', 'fixes #123, GH-45 and acme/fleet#7'],
  ['closing our details', '</details></summary><details open>'],
  ['our marker', '<!-- flux-health:comment-tag=prod -->'],
  ['comment closer', '--> after <!--'],
  ['image with onerror', '<img src=x onerror=alert(1)>'],
  ['script', '<script>alert(1)</script>'],
  ['javascript link', '[click me](javascript:alert(1))'],
  ['image link', '![pixel](https://evil.example/track.png)'],
  ['reference link', '[x]: https://evil.example "t"'],
  ['table break', '| col | break |\n|---|---|'],
  ['backslash pipe', 'a\\|b'],
  ['backticks', '`code` and ``` fence and ````'],
  ['CRLF lines', 'line1\r\nline2\rline3\nline4\u2028line5'],
  ['RTL override', 'user \u202Etxt.exe\u202C ok \u2066iso\u2069'],
  ['heading', '# Flux is healthy'],
  ['quote and alert', '> [!CAUTION]\n> trust me'],
  ['lists', '- a\n* b\n+ c\n1. d\n2) e'],
  ['ordered list at start', '1. all good'],
  ['emphasis', '**bold** _em_ ~~strike~~ *x*'],
  ['math', '$\\color{red}{\\text{healthy}}$ and $$x$$'],
  ['entities', '&lt;b&gt; &amp; &#64;octocat &#x3C;i&#x3E;'],
  ['control characters', 'a\u0000b\u0007c\u001b[31mred\u001b[0m\u007f\u0085d'],
  ['html comment open', 'x <!-- hidden'],
  ['footnote', '[^1]: note'],
  ['kbd', '<kbd>Ctrl</kbd>'],
  ['lone surrogate', 'a\uD800b\uDC00c'],
  ['setext underline', 'title\n====='],
  ['autolink angle', '<https://evil.example>'],
];

/** What the reader should see: the sanitised input with our invisible joiners removed. */
function visible(rendered: string): string {
  return rendered.split(WORD_BREAK).join('');
}

describe('escapeInline and escapeCell with hostile cluster strings', () => {
  it.each(HOSTILE)('%s renders as exactly its text, with no live structure', (_name, input) => {
    for (const escape of [escapeInline, escapeCell]) {
      const out = escape(input);
      const shown = renderInline(out);
      expect(visible(shown)).toBe(sanitizeText(input));
      // Besides <br>, only autolinks to URLs that GitHub would link anyway (the reader checks each
      // shows its own target).
      expect(out.replace(/<br>|<https:\/\/[^\s<>]*>/g, '')).not.toMatch(/[<>]/);
      expect(out).not.toMatch(/[\r\n]/);
      expect(shown).not.toMatch(AUTOLINK);
      expect(out).not.toContain('<!--');
      // eslint-disable-next-line no-control-regex -- asserting that no control character got through
      expect(out).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u0000-\u0008\u000B-\u001F\u007F]/);
    }
  });

  it('the reader used above does reject live structure', () => {
    expect(() => renderInline('[x](y)')).toThrow(LiveStructureError);
    expect(() => renderInline('a | b')).toThrow(LiveStructureError);
    expect(() => renderInline('<img>')).toThrow(LiveStructureError);
    expect(() => renderInline('1. x')).toThrow(LiveStructureError);
    expect(() => renderInline('- x')).toThrow(LiveStructureError);
    expect(() => renderInline(' + x')).toThrow(LiveStructureError);
    expect(() => renderInline('a & b')).toThrow(LiveStructureError);
    expect(renderInline('a \\| b &lt;<br>c')).toBe('a | b <\nc');
  });

  it('breaks mentions, references and e-mail addresses with an invisible joiner but leaves revisions alone', () => {
    expect(escapeInline('@octocat')).toBe(`@${WORD_BREAK}octocat`);
    expect(escapeInline('#12')).toBe(`\\#${WORD_BREAK}12`);
    // GitHub's renderer would make the address a mailto: link.
    expect(escapeInline('ops@example.com')).toBe(`ops@${WORD_BREAK}example.com`);
    expect(escapeInline('main@sha1:0123abc')).toBe('main@sha1\\:0123abc'.replace('\\:', ':'));
  });

  it('writes URLs GitHub would link as links to exactly themselves, and keeps it from linking anything else', () => {
    // Escapes inside a bare URL would become part of it: the URL is an autolink instead.
    expect(escapeInline('GET https://api.github.com/repos/o/r/pulls?per_page=100&state=open: 404')).toBe(
      'GET <https://api.github.com/repos/o/r/pulls?per_page=100&amp;state=open>: 404',
    );
    // A `www.` name shows without the `http://` it goes to; a `|` must not split a table cell.
    expect(escapeInline('see www.example.com/a_b.')).toBe(
      'see [www.example.com/a\\_b](http://www.example.com/a_b).',
    );
    expect(escapeInline('https://a.example/x|y')).toBe(
      `${WORD_BREAK}[https://a.example/x\\|y](https://a.example/x%7Cy)`,
    );
    expect(escapeInline('look!https://a.example/x|y')).toBe(
      'look\\![https://a.example/x\\|y](https://a.example/x%7Cy)',
    );
    // What GitHub would not link stays text that it cannot link.
    expect(escapeInline('oci://ghcr.io/org/chart')).toBe('oci\\://ghcr.io/org/chart');
    expect(escapeInline('awww.example.com (www.a_b.c_d)')).toBe(
      'awww.example.com \\(&#119;ww.a\\_b.c\\_d\\)',
    );
    // Cut by the length cap, a URL would lead somewhere else.
    expect(escapeInline('https://example.com/abcdef', { maxLength: 20 })).toBe('https\\://example.com…');
  });

  it('escapes list markers only where they can start a list, keeping names and quotes readable', () => {
    expect(escapeInline('- item')).toBe('\\- item');
    expect(escapeInline('+ item')).toBe('\\+ item');
    expect(escapeInline('3. item')).toBe('3\\. item');
    expect(escapeInline('=====')).toBe('\\=====');
    expect(escapeInline('    indented')).toBe('&#32;   indented');
    expect(escapeInline('flux-system/podinfo: "ready" isn\'t 1.2.3 - ok!')).toBe(
      'flux-system/podinfo: "ready" isn\'t 1.2.3 - ok!',
    );
  });

  it('makes bidi overrides visible instead of letting them reorder text', () => {
    expect(escapeInline('a\u202Eb')).toBe('a\uFFFDb');
  });

  it('turns line breaks into <br> or, when asked, spaces', () => {
    expect(escapeInline('a\r\nb\nc')).toBe('a<br>b<br>c');
    expect(escapeCell('a\r\nb', { newline: 'space' })).toBe('a b');
  });

  it('keeps a 100 KB message to the bound, ending in an ellipsis', () => {
    const out = escapeInline('y'.repeat(100_000), { maxLength: 500 });
    expect(out).toBe('y'.repeat(499) + '…');
    expect(escapeInline('z'.repeat(100_000)).length).toBe(1000);
  });
});

describe('table cells stay in their column', () => {
  it.each(HOSTILE)('%s', (_name, input) => {
    const row = `| ${escapeCell('Kustomization')} | ${escapeCell(input)} | ${escapeCell('x')} |`;
    expect(row.split('\n')).toHaveLength(1);
    const cells = splitRow(row);
    expect(cells).toHaveLength(5);
    expect(cells[0]).toBe('');
    expect(cells[4]).toBe('');
  });
});

describe('escapeHtml (summary labels and other raw-HTML contexts)', () => {
  it.each(HOSTILE)('%s has no tags, comments or line breaks', (_name, input) => {
    const out = escapeHtml(input);
    expect(out).not.toMatch(/[<>\r\n]/);
    expect(out.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
    const text = out.replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_m: string, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '',
    );
    expect(text).not.toMatch(AUTOLINK);
    expect(visible(text)).toBe(sanitizeText(input).replace(/\n/g, ' '));
  });
});

describe('codeSpan', () => {
  it.each(HOSTILE)('%s cannot close its fence', (_name, input) => {
    const out = codeSpan(input);
    const fence = /^`+/.exec(out)?.[0] ?? '';
    expect(fence.length).toBeGreaterThan(0);
    expect(out.endsWith(fence)).toBe(true);
    const inner = out.slice(fence.length, out.length - fence.length);
    // No run of exactly the fence length inside.
    for (const run of inner.match(/`+/g) ?? []) expect(run.length).not.toBe(fence.length);
    expect(out).not.toMatch(/[\r\n]/);
    expect(out).not.toContain('<!--');
  });

  it('escapes pipes inside a table cell', () => {
    const out = codeSpan('a | b', { inTable: true });
    expect(out).toBe('`a \\| b`');
    expect(splitRow(`| ${out} |`)).toHaveLength(3);
  });

  it('pads content that begins or ends with a backtick', () => {
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(codeSpan('')).toBe('` `');
  });
});

describe('codeBlock', () => {
  it.each(HOSTILE)('%s cannot close the block early', (_name, input) => {
    const out = codeBlock(input, 'text');
    const lines = out.split('\n');
    const fence = lines[0]?.replace(/text$/, '') ?? '';
    expect(fence).toMatch(/^`{3,}$/);
    expect(lines.at(-1)).toBe(fence);
    for (const line of lines.slice(1, -1)) {
      expect(line.trim().startsWith(fence) && /^`+$/.test(line.trim())).toBe(false);
    }
    expect(out).not.toContain('<!--');
  });

  it('uses a fence longer than any backtick run and a clean info string', () => {
    expect(codeBlock('a\n````\nb', 'yaml" onload=x')).toBe('`````yamlonloadx\na\n````\nb\n`````');
  });
});

describe('truncateText', () => {
  it('does not split a surrogate pair', () => {
    expect(truncateText('😀😀😀', 2)).toBe('😀…');
    expect(truncateText('short', 10)).toBe('short');
  });
});
