/**
 * Renders our Markdown the way GitHub does, so tests can judge what a reader of a job summary or a
 * pull-request comment actually gets rather than what our own reader of our own output thinks.
 *
 * The Markdown side is Debian's `cmark-gfm`, the C library GitHub renders with, run with the
 * extensions GitHub enables. It is run with `--unsafe` on purpose: GitHub passes the result
 * through its HTML sanitiser, which keeps harmless tags (`<details>`, `<sub>`, `<b>`, `<img>` …)
 * and drops scripts, so safe mode would hide exactly the injections we want to see. Instead the
 * tests ask cmark-gfm for its syntax tree (`--to xml`): every `html_inline` and `html_block` node
 * in it is HTML that came from raw HTML in our Markdown, not from Markdown syntax. Our renderers
 * write a handful of such tags themselves ({@link OUR_TAGS}); any other tag or comment in those
 * nodes reached the page because some text was not escaped, and is an injection. Markdown
 * structure (emphasis, links, headings …) shows up in the same tree as node types, so a test can
 * also say which node types a context may produce.
 *
 * What GitHub adds after cmark-gfm is modelled here too: it links `@user`, `@org/team`, `#12`,
 * `owner/repo#12` and `GH-12` in rendered text outside links and code ({@link liveReferences}).
 *
 * The browser side is Debian's `chromium`, driven by `puppeteer-core`, showing the HTML inside
 * GitHub's Markdown stylesheet (`github-markdown-css`) at a chosen width. Nothing is fetched:
 * every request the page makes is refused and page scripts are off.
 *
 * Test-only: nothing in src/ may import this.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'puppeteer-core';

/** The extensions github.com enables in cmark-gfm. */
export const GFM_EXTENSIONS = ['table', 'autolink', 'strikethrough', 'tagfilter', 'tasklist'] as const;

/**
 * Raw HTML our renderers write on purpose. Anything else found in raw HTML nodes is an injection.
 */
export const OUR_TAGS: readonly string[] = [
  '<br>',
  '<details>',
  '<details open>',
  '</details>',
  '<summary>',
  '</summary>',
  '<sub>',
  '</sub>',
  '<b>',
  '</b>',
];

function runCmark(markdown: string, format: 'html' | 'xml'): Promise<string> {
  const args = ['--unsafe', '--to', format, ...GFM_EXTENSIONS.flatMap((e) => ['--extension', e])];
  return new Promise((resolve, reject) => {
    const child = spawn('cmark-gfm', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error('cmark-gfm is not installed: run scripts/setup/render-tools.sh')
          : error,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`cmark-gfm exited ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
    child.stdin.end(markdown, 'utf8');
  });
}

/** The HTML GitHub's Markdown renderer makes of `markdown`, before GitHub's sanitiser. */
export function renderGfm(markdown: string): Promise<string> {
  return runCmark(markdown, 'html');
}

/** One node of cmark-gfm's syntax tree: its type, its attributes and, for leaves, its text. */
export interface GfmNode {
  type: string;
  attrs: Record<string, string>;
  /** The node's own text (text, code, html_inline, html_block …), entities decoded. */
  literal: string;
  children: GfmNode[];
}

/** cmark-gfm's syntax tree for `markdown` (the `document` node). */
export async function parseGfm(markdown: string): Promise<GfmNode> {
  const xml = await runCmark(markdown, 'xml');
  const root: GfmNode = { type: '#root', attrs: {}, literal: '', children: [] };
  const stack = [root];
  for (const token of tokenize(xml)) {
    const top = stack[stack.length - 1] as GfmNode;
    if (token.kind === 'text') {
      top.literal += token.text;
    } else if (token.kind === 'open') {
      const node: GfmNode = { type: token.name, attrs: token.attrs, literal: '', children: [] };
      top.children.push(node);
      if (!token.selfClosing) stack.push(node);
    } else if (token.kind === 'close') {
      if (stack.length > 1) stack.pop();
    }
  }
  const document = root.children.find((n) => n.type === 'document');
  if (!document) throw new Error(`cmark-gfm gave no document: ${xml.slice(0, 200)}`);
  // The XML pretty-prints with indentation; only leaves carry meaningful text.
  const trim = (node: GfmNode): void => {
    if (node.children.length > 0) node.literal = '';
    node.children.forEach(trim);
  };
  trim(document);
  return document;
}

/** Every node of a tree, depth first. */
export function allNodes(tree: GfmNode): GfmNode[] {
  return [tree, ...tree.children.flatMap(allNodes)];
}

/**
 * The raw HTML in a syntax tree that we did not write: every tag or comment inside an
 * `html_inline` or `html_block` node that is not exactly one of `ours`. Text between tags in an
 * HTML block (our `<summary>` label) is not HTML and is not reported.
 */
export function injectedHtml(tree: GfmNode, ours: readonly string[] = OUR_TAGS): string[] {
  const found: string[] = [];
  for (const node of allNodes(tree)) {
    if (node.type !== 'html_inline' && node.type !== 'html_block') continue;
    // Anything shaped like markup, including a comment opener with no end, is reported.
    for (const match of node.literal.matchAll(/<!--[\s\S]*?(?:-->|$)|<[^<>]*>?/g)) {
      if (!ours.includes(match[0])) found.push(match[0]);
    }
  }
  return found;
}

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'open'; name: string; attrs: Record<string, string>; selfClosing: boolean }
  | { kind: 'close'; name: string }
  | { kind: 'comment'; text: string };

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00A0',
};

/** Decodes the character references cmark-gfm writes (and the common ones raw HTML may carry). */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]*));/g,
    (whole, dec, hex, name) => {
      if (dec !== undefined) return String.fromCodePoint(Number(dec));
      if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
      return NAMED_ENTITIES[name as string] ?? whole;
    },
  );
}

const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/**
 * Splits HTML or cmark-gfm's XML into text, tags and comments, the way a browser would for the
 * well-formed output cmark-gfm writes. A `<` that cannot start a tag is text, as in HTML.
 */
function* tokenize(source: string): Generator<Token> {
  let i = 0;
  let text = '';
  const flush = function* (): Generator<Token> {
    if (text !== '') yield { kind: 'text', text: decodeEntities(text) };
    text = '';
  };
  while (i < source.length) {
    if (source.startsWith('<!--', i)) {
      yield* flush();
      const end = source.indexOf('-->', i + 4);
      const stop = end < 0 ? source.length : end + 3;
      yield { kind: 'comment', text: source.slice(i, stop) };
      i = stop;
      continue;
    }
    if (source.startsWith('<?', i) || source.startsWith('<!', i)) {
      yield* flush();
      const end = source.indexOf('>', i);
      i = end < 0 ? source.length : end + 1;
      continue;
    }
    const tag =
      /^<(\/?)([A-Za-z][A-Za-z0-9:_-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>/.exec(
        source.slice(i, i + 4096),
      );
    if (tag) {
      yield* flush();
      const name = (tag[2] as string).toLowerCase();
      if (tag[1] === '/') {
        yield { kind: 'close', name };
      } else {
        const attrs: Record<string, string> = {};
        for (const a of (tag[3] ?? '').matchAll(ATTRIBUTE)) {
          attrs[(a[1] as string).toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
        }
        yield { kind: 'open', name, attrs, selfClosing: tag[4] === '/' };
      }
      i += tag[0].length;
      continue;
    }
    text += source[i];
    i += 1;
  }
  yield* flush();
}

const BLOCK_ELEMENTS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'table',
  'thead',
  'tbody',
  'tr',
  'td',
  'th',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'blockquote',
  'details',
  'summary',
  'hr',
]);

/**
 * The text a reader sees in `html`: comments are dropped, `<br>` and the edges of blocks and
 * table cells become line breaks, character references are decoded. Whitespace is kept as it is;
 * see {@link normaliseText}.
 */
export function visibleText(html: string): string {
  let out = '';
  for (const token of tokenize(html)) {
    if (token.kind === 'text') out += token.text;
    else if (
      (token.kind === 'open' || token.kind === 'close') &&
      (token.name === 'br' || BLOCK_ELEMENTS.has(token.name))
    )
      out += '\n';
  }
  return out;
}

/**
 * How rendered and expected text are compared: runs of whitespace (line breaks included, since a
 * `<br>` and a wrapped line read the same) become one space, the ends are trimmed, and the
 * invisible joiners and zero-width characters our escaping inserts to break autolinks are
 * removed.
 */
export function normaliseText(text: string): string {
  return text
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface RenderedLink {
  href: string;
  text: string;
}

/** Every `<a>` element: its `href` (decoded, as the browser would follow it) and its text. */
export function links(html: string): RenderedLink[] {
  const found: RenderedLink[] = [];
  let open: RenderedLink | undefined;
  for (const token of tokenize(html)) {
    if (token.kind === 'open' && token.name === 'a') {
      open = { href: token.attrs.href ?? '', text: '' };
      found.push(open);
    } else if (token.kind === 'close' && token.name === 'a') {
      open = undefined;
    } else if (token.kind === 'text' && open) {
      open.text += token.text;
    }
  }
  return found;
}

/**
 * The HTML inside each cell of each table row, header row included, as cmark-gfm writes tables
 * (one cell per `<td>`/`<th>`, never nested).
 */
export function tableCells(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] as string).matchAll(/<t([dh])(?:\s[^>]*)?>([\s\S]*?)<\/t\1>/g)].map(
      (cell) => cell[2] as string,
    ),
  );
}

/** The `href` of every `<a>` in `html`. */
export function linkTargets(html: string): string[] {
  return links(html).map((link) => link.href);
}

/**
 * The characters cmark-gfm writes into an `href` as they are; every other byte of the URL's UTF-8
 * form is percent-encoded (houdini's href escaping). Comparing a URL through this gives the
 * `href` cmark-gfm must produce for it.
 */
export function hrefOf(url: string): string {
  let out = '';
  for (const byte of Buffer.from(url, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.+!*'(),%#@?=;:/&$~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * What GitHub turns into a mention or an issue reference in rendered text: `@user`, `@org/team`,
 * `#12`, `repo#12`, `owner/repo#12` and `GH-12`. GitHub leaves text inside links and code alone,
 * so only text outside `<a>`, `<code>` and `<pre>` is searched.
 */
const REFERENCE =
  /(?<![A-Za-z0-9_`])@[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][A-Za-z0-9_-]*)?|#[0-9]+|(?<![A-Za-z0-9_])gh-[0-9]+/gi;

/** The tokens GitHub would link as mentions or issue references in `html`. */
export function liveReferences(html: string): string[] {
  let depth = 0;
  let text = '';
  for (const token of tokenize(html)) {
    // GitHub matches within one text node: any tag separates what comes before and after.
    if (token.kind !== 'text') text += '\n';
    if (token.kind === 'open' && ['a', 'code', 'pre'].includes(token.name) && !token.selfClosing) depth++;
    else if (token.kind === 'close' && ['a', 'code', 'pre'].includes(token.name))
      depth = Math.max(0, depth - 1);
    else if (token.kind === 'text' && depth === 0) text += token.text;
  }
  return [...text.matchAll(REFERENCE)].map((m) => m[0]);
}

// --- The browser ---------------------------------------------------------------------------------

/** Roughly the width of a job summary's Markdown on github.com. */
export const JOB_SUMMARY_WIDTH = 950;

let browser: Promise<Browser> | undefined;

function chromiumPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error('chromium is not installed: run scripts/setup/render-tools.sh');
  }
  return path;
}

async function launch(): Promise<Browser> {
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--font-render-hinting=none'],
  });
}

/** The light theme of GitHub's Markdown stylesheet, so screenshots do not follow the host's theme. */
function markdownCss(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');
}

/** A page holding `html` as GitHub shows rendered Markdown, `width` pixels wide. */
function pageHtml(html: string, width: number): string {
  return `<!doctype html>
<html><head><meta charset="utf-8">
<style>${markdownCss()}</style>
<style>
  html, body { margin: 0; padding: 0; background: #ffffff; }
  .markdown-body { box-sizing: border-box; width: ${width}px; padding: 16px; }
</style>
</head><body><article class="markdown-body">${html}</article></body></html>`;
}

async function openPage(html: string, width: number): Promise<{ page: Page; blocked: string[] }> {
  browser ??= launch();
  const page = await (await browser).newPage();
  const blocked: string[] = [];
  // Injected HTML must neither run nor reach the network.
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url === 'about:blank') {
      void request.continue();
    } else {
      blocked.push(url);
      void request.abort();
    }
  });
  await page.setViewport({ width, height: 600, deviceScaleFactor: 1 });
  await page.setContent(pageHtml(html, width), { waitUntil: 'load' });
  return { page, blocked };
}

export interface ScreenshotOptions {
  /** Width of the Markdown body in CSS pixels. Default {@link JOB_SUMMARY_WIDTH}. */
  width?: number;
  /** Where to write the PNG. */
  file: string;
  /** Cut the picture at this many CSS pixels from the top (a README wants the first screenful). */
  maxHeight?: number;
}

export interface Shot {
  /** Requests the page made and was refused (images and the like in the HTML). */
  blockedRequests: string[];
}

/** Writes a PNG of `html` rendered as GitHub shows Markdown, the whole height of the content. */
export async function screenshot(html: string, options: ScreenshotOptions): Promise<Shot> {
  const { page, blocked } = await openPage(html, options.width ?? JOB_SUMMARY_WIDTH);
  try {
    const body = await page.$('article');
    if (!body) throw new Error('the page has no article');
    const box = await body.boundingBox();
    if (!box) throw new Error('the article has no layout');
    const height = Math.min(box.height, options.maxHeight ?? box.height);
    await page.screenshot({
      path: options.file as `${string}.png`,
      clip: { x: box.x, y: box.y, width: box.width, height },
      captureBeyondViewport: true,
    });
    return { blockedRequests: [...blocked] };
  } finally {
    await page.close();
  }
}

export interface TableOverflow {
  /** Position of the table among the page's tables. */
  index: number;
  /** How wide the table's content is. */
  scrollWidth: number;
  /** How wide the table's box is (GitHub's stylesheet caps it at the container and scrolls). */
  clientWidth: number;
  /** The width available to it: the Markdown body's content box. */
  containerWidth: number;
  /** `scrollWidth - containerWidth` when positive: how far a reader must scroll sideways. */
  overflow: number;
}

export interface Overflow {
  /** Width of the Markdown body's content box. */
  containerWidth: number;
  /** How far the whole document scrolls sideways (0 when nothing sticks out). */
  documentOverflow: number;
  tables: TableOverflow[];
  /** Requests the page made and was refused (images and the like in the HTML). */
  blockedRequests: string[];
}

export interface OverflowOptions {
  /** Width of the Markdown body in CSS pixels. Default {@link JOB_SUMMARY_WIDTH}. */
  width?: number;
}

/** Lays `html` out at `width` and reports what does not fit: each table and the page itself. */
export async function measureOverflow(html: string, options: OverflowOptions = {}): Promise<Overflow> {
  const { page, blocked } = await openPage(html, options.width ?? JOB_SUMMARY_WIDTH);
  try {
    const measured = await page.evaluate(() => {
      // Runs in the page; this project's types have no DOM, so the little used here is spelled out.
      interface Box {
        clientWidth: number;
        scrollWidth: number;
      }
      const page = globalThis as unknown as {
        document: {
          documentElement: Box;
          querySelector(selector: string): Box | null;
          querySelectorAll(selector: string): ArrayLike<Box>;
        };
        getComputedStyle(element: Box): { paddingLeft: string; paddingRight: string };
      };
      const body = page.document.querySelector('article');
      if (!body) throw new Error('the page has no article');
      const style = page.getComputedStyle(body);
      const containerWidth =
        body.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const root = page.document.documentElement;
      const tables = Array.from(page.document.querySelectorAll('table')).map((table, index) => ({
        index,
        scrollWidth: table.scrollWidth,
        clientWidth: table.clientWidth,
        containerWidth,
        overflow: Math.max(0, table.scrollWidth - containerWidth),
      }));
      return {
        containerWidth,
        documentOverflow: Math.max(0, root.scrollWidth - root.clientWidth),
        tables,
      };
    });
    return { ...measured, blockedRequests: [...blocked] };
  } finally {
    await page.close();
  }
}

/** Ends the shared browser; call it from `afterAll` in files that used the browser. */
export async function closeBrowser(): Promise<void> {
  const running = browser;
  browser = undefined;
  if (running) await (await running).close();
}
