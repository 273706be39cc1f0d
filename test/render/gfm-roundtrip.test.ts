/**
 * Cluster strings through our escaping and then through GitHub's own Markdown renderer
 * (cmark-gfm, see test/support/github-render.ts), in every context the renderers put them:
 * inline text in a paragraph, a table cell, a code span (alone and in a cell) and a `<details>`
 * label. For each, what a reader gets must be:
 *
 * (a) the text itself: the visible text equals the input after `sanitizeText` (which shows bidi
 *     controls as U+FFFD and drops control characters on purpose), with whitespace collapsed and
 *     the invisible joiners the escaping inserts removed;
 * (b) linked exactly where GitHub would link the text typed bare (the `links` of each case), each
 *     link going to exactly its own text, and nothing else a link;
 * (c) inert: no raw HTML or comment other than the tags our renderers write, no Markdown
 *     structure, no mention or issue reference GitHub would link, no forged marker.
 *
 * cmark-gfm must be installed (scripts/setup/render-tools.sh); without it these tests fail.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { details } from '../../src/render/markdown.js';
import { findAutolinks } from '../../src/text/autolink.js';
import { codeSpan, escapeCell, escapeInline, sanitizeText } from '../../src/text/escape.js';
import {
  allNodes,
  hrefOf,
  injectedHtml,
  links,
  liveReferences,
  normaliseText,
  parseGfm,
  renderGfm,
  tableCells,
  visibleText,
} from '../support/github-render.js';

interface Case {
  name: string;
  text: string;
  /** What GitHub links in the text typed bare: the link texts, in order. */
  links: string[];
}

const MARKER = '<!-- flux-health:comment-tag=flux-health -->';

const CORPUS: Case[] = [
  { name: 'plain words', text: 'Applied revision main', links: [] },
  { name: 'a name', text: 'flux-system/podinfo-1.2.3', links: [] },
  { name: 'emphasis', text: '*a* _b_ **c** __d__ ~~e~~ ~f~', links: [] },
  { name: 'backslashes and code', text: 'C:\\path\\ `x` ``y`` \\`', links: [] },
  { name: 'brackets', text: '[a] [b](c) ![d](e) [^1] [x]: y', links: [] },
  { name: 'angle brackets', text: 'a < b > c <= d -> e', links: [] },
  { name: 'pipes', text: 'a | b || c \\| d', links: [] },
  { name: 'hash and bang', text: '# not a heading ! #hashtag', links: [] },
  { name: 'all ASCII punctuation', text: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', links: [] },
  { name: 'math', text: '$\\color{red}{x}$ and $$y$$', links: [] },
  {
    name: 'HTML tags',
    text: '<b>bold</b> <img src=x onerror=alert(1)> <script>alert(1)</script>',
    links: [],
  },
  { name: 'our own tags', text: '</details></summary><details open><sub>x</sub><br><b>y</b>', links: [] },
  { name: 'a comment', text: 'before <!-- hidden --> after', links: [] },
  { name: 'an unterminated comment', text: 'x <!-- hidden', links: [] },
  { name: 'entities', text: '&amp; &#x41; &#65; &lt;b&gt; &copy; &#64;octocat', links: [] },
  { name: 'a mention', text: '@octocat please approve', links: [] },
  { name: 'team mentions', text: 'cc @org/team and (@acme/platform-team)', links: [] },
  { name: 'issue references', text: 'fixes #12, GH-12, gh-7, acme/fleet#7 and repo#8', links: [] },
  { name: 'e-mail addresses', text: 'mail ops@example.com or a.b+c@d.example.org.', links: [] },
  { name: 'an SSH URL', text: 'ssh://git@github.com/org/repo.git', links: [] },
  { name: 'mailto and xmpp', text: 'mailto:ops@example.com xmpp:ops@example.com/res', links: [] },
  { name: 'our marker', text: MARKER, links: [] },
  {
    name: 'a marker for another tag',
    text: `quoting ${MARKER.replace('flux-health -->', 'prod -->')}`,
    links: [],
  },
  {
    name: 'workflow commands',
    text: '::set-output name=x::y\n::error::forged\n::add-mask::secret',
    links: [],
  },
  { name: 'bidi controls', text: 'user \u202Etxt.exe\u202C ok \u2066iso\u2069 \u200Fmark', links: [] },
  { name: 'zero-width characters', text: 'a\u200Bb\u200Cc\u200Dd\uFEFFe @\u200Boctocat', links: [] },
  { name: 'non-ASCII text', text: 'naïve café 中文 😀 — ok', links: [] },
  { name: 'line breaks', text: 'line1\nline2\r\nline3\u2028line4', links: [] },
  { name: 'leading spaces', text: '    indented like code', links: [] },
  { name: 'list and quote markers', text: '- a\n* b\n+ c\n1. d\n2) e\n> f\n===', links: [] },
  { name: 'a setext underline', text: '===', links: [] },
  { name: 'a thematic break', text: '---', links: [] },
  { name: 'a fence', text: '```sh\ncode', links: [] },
  { name: 'a task list', text: '- [ ] todo\n- [x] done', links: [] },
  {
    name: 'a clone failure',
    text: "failed to checkout and determine revision: unable to clone 'https://github.com/org/repo.git': authentication required",
    links: ['https://github.com/org/repo.git'],
  },
  {
    name: 'an API error with a query',
    text: 'GET https://api.github.com/repos/o/r/pulls?per_page=100&state=open: 404',
    links: ['https://api.github.com/repos/o/r/pulls?per_page=100&state=open'],
  },
  { name: 'an OCI reference', text: 'oci://ghcr.io/stefanprodan/charts/podinfo:6.5.0', links: [] },
  {
    name: 'a Helm index',
    text: 'failed to fetch https://stefanprodan.github.io/podinfo/index.yaml : 404 Not Found',
    links: ['https://stefanprodan.github.io/podinfo/index.yaml'],
  },
  {
    name: 'underscores and tildes',
    text: 'see https://example.com/~user/a_b_c/d~e_f*g*',
    links: ['https://example.com/~user/a_b_c/d~e_f*g'],
  },
  {
    name: 'balanced parentheses',
    text: 'wiki (https://en.wikipedia.org/wiki/Flux_(software)) done',
    links: ['https://en.wikipedia.org/wiki/Flux_(software)'],
  },
  {
    name: 'trailing punctuation',
    text: 'See https://fluxcd.io/flux/. Or https://fluxcd.io/docs? Or https://a.example/b!, https://a.example/c:',
    links: [
      'https://fluxcd.io/flux/',
      'https://fluxcd.io/docs',
      'https://a.example/b',
      'https://a.example/c',
    ],
  },
  {
    name: 'quoted URLs',
    text: '"https://a.example/x" and \'https://b.example/y\'',
    links: ['https://a.example/x', 'https://b.example/y'],
  },
  {
    name: 'entity-like endings',
    text: 'https://a.example/?q=1&amp; and https://a.example/?q=2&copy; and https://a.example/?q=3&x=4',
    links: ['https://a.example/?q=1', 'https://a.example/?q=2', 'https://a.example/?q=3&x=4'],
  },
  { name: 'a URL cut by a tag', text: 'https://a.example/x<b>y</b>', links: ['https://a.example/x'] },
  {
    name: 'pipes and backslashes in URLs',
    text: 'https://a.example/x|y and https://a.example/x\\y and https://a.example/x\\|y',
    links: ['https://a.example/x|y', 'https://a.example/x\\y', 'https://a.example/x\\|y'],
  },
  {
    name: 'Markdown syntax in a URL',
    text: 'https://a.example/*x*/[y]/`z`/$w$/<!--c-->',
    links: ['https://a.example/*x*/[y]/`z`/$w$/'],
  },
  {
    name: 'references inside a URL',
    text: 'https://github.com/org/repo/issues/12#issuecomment-1 by @octocat in https://a.example/@me/#7',
    links: ['https://github.com/org/repo/issues/12#issuecomment-1', 'https://a.example/@me/#7'],
  },
  {
    name: 'an e-mail address inside a URL',
    text: 'https://user@example.com/x and ftp://ops@example.com',
    links: ['https://user@example.com/x', 'ftp://ops@example.com'],
  },
  { name: 'a www name', text: 'mirror at www.example.com/path_x, ok', links: ['www.example.com/path_x'] },
  {
    // The `_` after `org` counts as part of the last label, which may not hold one.
    name: 'www names after punctuation',
    text: '(www.example.com) and _www.example.org_ and *www.example.net* and ~www.example.info~',
    links: ['www.example.com', 'www.example.net', 'www.example.info'],
  },
  { name: 'www names GitHub leaves alone', text: 'awww.example.com www.a_b.c_d WWW.EXAMPLE.COM', links: [] },
  { name: 'an upper-case scheme', text: 'HTTPS://EXAMPLE.COM/X', links: ['HTTPS://EXAMPLE.COM/X'] },
  { name: 'FTP', text: 'ftp://ftp.example.com/pub/file.tgz', links: ['ftp://ftp.example.com/pub/file.tgz'] },
  { name: 'not URLs', text: 'https://a_b.c_d/x http:// xhttps://a.example https://-x', links: [] },
  {
    name: 'punctuation inside a URL',
    text: 'https://a.example/x,y;z:done.',
    links: ['https://a.example/x,y;z:done'],
  },
  {
    name: 'a no-break space in a URL',
    text: 'https://a.example/x\u00A0y z',
    links: ['https://a.example/x\u00A0y'],
  },
  { name: 'a non-ASCII host', text: 'https://bücher.example/ä', links: ['https://bücher.example/ä'] },
  { name: 'a Markdown link', text: '[click](https://evil.example/x)', links: ['https://evil.example/x'] },
  {
    name: 'an image',
    text: '![pixel](https://evil.example/track.png)',
    links: ['https://evil.example/track.png'],
  },
  // Typed bare, this is a link to `https://evil.example>`: the `>` is inside the link.
  { name: 'an autolink', text: '<https://evil.example>', links: ['https://evil.example>'] },
  { name: 'other schemes', text: 'javascript:alert(1) data:text/html,x file:///etc/passwd', links: [] },
  {
    name: 'URLs on separate lines',
    text: 'https://a.example/x\nhttps://b.example/y',
    links: ['https://a.example/x', 'https://b.example/y'],
  },
  {
    name: 'an escaped-looking URL',
    text: 'https://a.example/per\\_page',
    links: ['https://a.example/per\\_page'],
  },
];

/** Where a link showing `linkText` goes: the text itself, or `http://` and a `www.` name. */
function target(linkText: string): string {
  return /^[a-z]+:\/\//i.test(linkText) ? linkText : `http://${linkText}`;
}

/** What a reader should see of `text`, compared after {@link normaliseText}. */
function expectedText(text: string): string {
  return normaliseText(sanitizeText(text));
}

interface Rendered {
  markdown: string;
  html: string;
  /** The HTML of the part that shows the string (the paragraph, the cell, the label). */
  shown: string;
  nodeTypes: Set<string>;
  injected: string[];
}

async function render(markdown: string, shownOf: (html: string) => string): Promise<Rendered> {
  const [html, tree] = await Promise.all([renderGfm(markdown), parseGfm(markdown)]);
  return {
    markdown,
    html,
    shown: shownOf(html),
    nodeTypes: new Set(allNodes(tree).map((n) => n.type)),
    injected: injectedHtml(tree),
  };
}

function tableWith(cell: string): string {
  return `| Object | Message |\n| --- | --- |\n| Kustomization | ${cell} |`;
}

/** The second cell of the one body row, failing if the row does not have exactly two cells. */
function messageCell(html: string): string {
  const rows = tableCells(html);
  expect(rows, html).toHaveLength(2);
  expect(rows[1], html).toHaveLength(2);
  return rows[1]?.[1] ?? '';
}

const TABLE_NODES = ['table', 'table_header', 'table_row', 'table_cell'];

interface Context {
  name: string;
  render(text: string): Promise<Rendered>;
  /** Node types the context may produce; anything else is Markdown structure from the text. */
  nodes: string[];
  /** Whether GitHub links URLs there (not in code, not in raw HTML). */
  links: boolean;
}

const CONTEXTS: Context[] = [
  {
    name: 'escapeInline in a paragraph',
    render: (text) => render(escapeInline(text), (html) => html),
    nodes: ['document', 'paragraph', 'text', 'link', 'html_inline'],
    links: true,
  },
  {
    name: 'escapeCell in a table cell',
    render: (text) => render(tableWith(escapeCell(text)), messageCell),
    nodes: ['document', ...TABLE_NODES, 'text', 'link', 'html_inline'],
    links: true,
  },
  {
    // Where the summary and the comment put a message: the line after an entry of a list.
    name: 'escapeInline on the next line of a list item',
    render: (text) =>
      render(`- **Kustomization** apps<br>\n  ${escapeInline(text)}`, (html) =>
        html.replace(/^[\s\S]*?apps<br>/, ''),
      ),
    nodes: ['document', 'list', 'item', 'paragraph', 'strong', 'text', 'softbreak', 'link', 'html_inline'],
    links: true,
  },
  {
    name: 'codeSpan in a paragraph',
    render: (text) => render(codeSpan(text), (html) => html),
    nodes: ['document', 'paragraph', 'code'],
    links: false,
  },
  {
    name: 'codeSpan in a table cell',
    render: (text) => render(tableWith(codeSpan(text, { inTable: true })), messageCell),
    nodes: ['document', ...TABLE_NODES, 'text', 'code'],
    links: false,
  },
  {
    name: 'the label of details()',
    render: (text) =>
      render(details(text, 'body'), (html) => /<summary>([\s\S]*?)<\/summary>/.exec(html)?.[1] ?? ''),
    nodes: ['document', 'html_block', 'paragraph', 'text'],
    links: false,
  },
];

interface Link {
  text: string;
  href: string;
}

function checkRendered(r: Rendered, context: Context, text: string, wantLinks: Link[]): void {
  const where = `${context.name}: ${JSON.stringify(r.markdown)}\n→ ${r.html}`;
  // (a) the text, all of it and nothing more.
  expect(normaliseText(visibleText(r.shown)), where).toBe(expectedText(text));
  // (b) links exactly where GitHub would make them, each to its own text.
  const found = links(r.html);
  const want = context.links ? wantLinks : [];
  expect(
    found.map((l) => l.text),
    where,
  ).toEqual(want.map((l) => l.text));
  expect(
    found.map((l) => l.href),
    where,
  ).toEqual(want.map((l) => hrefOf(l.href)));
  // (c) nothing live: no HTML or comment of someone else's, no structure, no mention or reference.
  expect(r.injected, where).toEqual([]);
  expect(r.html, where).not.toContain('<!--');
  expect(r.markdown, where).not.toContain('<!--');
  expect(
    [...r.nodeTypes].filter((t) => !context.nodes.includes(t)),
    where,
  ).toEqual([]);
  expect(liveReferences(r.html), where).toEqual([]);
}

describe('the renderer the tests judge with', () => {
  it('is cmark-gfm 0.29.0.gfm (scripts/setup/render-tools.sh installs it)', () => {
    const version = execFileSync('cmark-gfm', ['--version'], { encoding: 'utf8' });
    expect(version).toMatch(/^cmark-gfm 0\.29\.0\.gfm\.\d+/);
  });

  it('shows what the tests look for when text is not escaped', async () => {
    const html = await renderGfm(`x ${MARKER} @octocat #12 <img src=x> *em* https://a.example/?a\\_b`);
    const tree = await parseGfm(`x ${MARKER} <img src=x>`);
    expect(injectedHtml(tree)).toEqual([MARKER, '<img src=x>']);
    expect(liveReferences(html)).toEqual(['@octocat', '#12']);
    // The bug the escaping used to have: an escape inside a bare URL becomes part of the link.
    expect(links(html).map((l) => l.href)).toEqual(['https://a.example/?a%5C_b']);
  });
});

// Each case waits on cmark-gfm processes, so they run side by side.
describe.concurrent.each(CONTEXTS)('$name', (context) => {
  it.each(CORPUS)('$name', async ({ text, links: wantLinks }) => {
    const want = wantLinks.map((l) => ({ text: l, href: target(l) }));
    checkRendered(await context.render(text), context, text, want);
  });
});

describe('the corpus says what GitHub links', () => {
  it.each(CORPUS)('$name: findAutolinks agrees', ({ text, links: wantLinks }) => {
    const clean = sanitizeText(text);
    expect(findAutolinks(clean).map((l) => clean.slice(l.start, l.end))).toEqual(wantLinks);
  });
});

describe('a URL cut by the length cap', () => {
  it('stays text rather than linking somewhere else', async () => {
    const text = `see https://example.com/${'a'.repeat(100)}`;
    const out = escapeInline(text, { maxLength: 60 });
    const html = await renderGfm(out);
    expect(links(html)).toEqual([]);
    expect(normaliseText(visibleText(html))).toBe(normaliseText(sanitizeText(text, { maxLength: 60 })));
  });
});

// --- Random strings ------------------------------------------------------------------------------

/** Pieces that meet at the edges of GitHub's link rules, and Markdown around them. */
const URL_PIECES = [
  'https://',
  'http://',
  'HTTP://',
  'ftp://',
  'www.',
  'w',
  'ww',
  'a',
  'b',
  'x',
  'com',
  '.',
  '..',
  '/',
  ':',
  '_',
  '-',
  '(',
  ')',
  '?',
  '&',
  ';',
  '&amp;',
  '&x1;',
  '#',
  '=',
  '!',
  ',',
  "'",
  '"',
  '*',
  '~',
  '@',
  '\\',
  ']',
  '>',
  '|',
  ' ',
  '\nq ',
  'é',
  '\u00A0',
  '中',
  '—',
  '）',
  '😀',
  '1',
  'mailto:',
  'xmpp:',
];

/** Markdown that bare text must not be, for the escaping round trip only. */
const MARKDOWN_PIECES = ['<', '[', '`', '<!--', '-->', '<b>', '</details>', '@org/team', '#12', 'GH-3', '$'];

/** A small deterministic generator, so a failure names a string that can be replayed. */
function strings(seed: number, count: number, pieces: readonly string[]): string[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let text = 'x ';
    const length = 1 + Math.floor(next() * 14);
    for (let k = 0; k < length; k++) text += pieces[Math.floor(next() * pieces.length)];
    out.push(text);
  }
  return out;
}

/** Runs `work` over `items`, a few at a time (each is a cmark-gfm process). */
async function eachLimited<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

describe('random strings', () => {
  it('findAutolinks finds exactly the links cmark-gfm makes of bare text (e-mail aside)', async () => {
    // None of these pieces is Markdown that could change where links go (no `<`, `[` or `` ` ``),
    // so cmark-gfm reading them as Markdown links what a plain-text reading would.
    const disagreements: string[] = [];
    await eachLimited(strings(20261121, 600, URL_PIECES), async (text) => {
      const html = await renderGfm(text);
      const theirs = links(html)
        .filter((l) => !/^(?:mailto|xmpp):/.test(l.href))
        .map((l) => `${l.text} → ${l.href}`);
      const ours = findAutolinks(text).map((l) => `${text.slice(l.start, l.end)} → ${hrefOf(l.href)}`);
      if (JSON.stringify(theirs) !== JSON.stringify(ours)) {
        disagreements.push(
          `${JSON.stringify(text)}: cmark-gfm ${JSON.stringify(theirs)}, ours ${JSON.stringify(ours)}`,
        );
      }
    });
    expect(disagreements).toEqual([]);
  });

  it.each(CONTEXTS.filter((c) => c.links))(
    '$name: text intact, links exact, nothing live',
    async (context) => {
      const failures: string[] = [];
      await eachLimited(strings(7, 300, [...URL_PIECES, ...MARKDOWN_PIECES]), async (text) => {
        const clean = sanitizeText(text);
        const want = findAutolinks(clean).map((l) => ({ text: clean.slice(l.start, l.end), href: l.href }));
        try {
          checkRendered(await context.render(text), context, text, want);
        } catch (error) {
          failures.push(String(error).slice(0, 600));
        }
      });
      expect(failures.slice(0, 5)).toEqual([]);
    },
  );
});
