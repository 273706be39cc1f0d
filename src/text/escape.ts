/**
 * Escaping of strings that come from the cluster (object names, condition reasons and messages,
 * event notes, revisions) before they go into Markdown that GitHub renders in a job summary or a
 * pull-request comment.
 *
 * Anyone who can write a status message or an event in the cluster can choose these strings, so
 * they must not be able to open or close HTML (`</details>`, `<img onerror>`), add Markdown
 * structure (links, images, table columns, headings, lists, quotes, math), notify people
 * (`@user`, `@org/team`), link issues (`#123`, `GH-123`), hide text (`<!-- -->`, bidi overrides,
 * control characters) or forge the hidden marker that identifies our sticky comment.
 *
 * The strategy is "encode everything that could mean something": HTML metacharacters become
 * entities, every other ASCII punctuation that Markdown gives meaning to gets a backslash, and
 * the two autolinking filters that GitHub runs on rendered *text* (mentions and issue
 * references, which ignore Markdown escapes) are broken with an invisible joiner.
 *
 * URLs are the exception, because GitHub's renderer links bare URLs by reading the Markdown
 * source, escapes included: `per\_page` would link to `per%5C_page`. So inline text is split
 * where GitHub would link a URL (see `findAutolinks`); each such URL is written as an explicit
 * link to exactly itself, and only the text between them is escaped. That text also has every
 * other way of autolinking taken away: the `:` of a `://` is escaped, a `www.` that could start
 * a link begins with an entity, and an `@` that could start an e-mail domain is followed by the
 * joiner, so that nothing becomes a link except the URLs themselves.
 */
import { findAutolinks } from './autolink.js';

/** Inserted after `@`/`#` so GitHub's mention and issue-reference filters do not match. */
export const WORD_BREAK = '\u200D';

/** What a dropped bidi or control character is shown as, so hiding text is visible. */
const REPLACEMENT = '\uFFFD';

/** Default cap, in code points of the input, for a single cluster string. */
export const DEFAULT_MAX_LENGTH = 1000;

export interface TextOptions {
  /** Cap in code points of the input; longer strings end in `…`. Default {@link DEFAULT_MAX_LENGTH}. */
  maxLength?: number;
}

export interface InlineOptions extends TextOptions {
  /** How line breaks in the input are shown: an HTML `<br>` (default) or a space. */
  newline?: 'br' | 'space';
}

// Bidi embeddings/overrides/isolates and marks: they reorder what a reader sees (CVE-2021-42574).
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// C0 (except tab and line breaks), DEL, C1, zero-width and invisible formatting characters, and
// lone surrogates, none of which belong in a status message and some of which hide text.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u0080-\u0084\u0086-\u009F\u00AD\u180E\u200B-\u200D\u2060-\u2064\uFEFF\uFFF9-\uFFFB]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;

/**
 * Cuts a string to `maxLength` code points (never splitting a surrogate pair), ending in `…` when
 * something was cut.
 */
export function truncateText(text: string, maxLength: number = DEFAULT_MAX_LENGTH): string {
  if (text.length <= maxLength) return text;
  const points = Array.from(text);
  if (points.length <= maxLength) return text;
  return points.slice(0, Math.max(0, maxLength - 1)).join('') + '…';
}

/**
 * The first step for every context: bound the length, make bidi controls visible, drop invisible
 * and control characters, and normalise line breaks to `\n`.
 */
export function sanitizeText(text: string, options: TextOptions = {}): string {
  const bounded = truncateText(String(text), options.maxLength ?? DEFAULT_MAX_LENGTH);
  return bounded
    .replace(BIDI, REPLACEMENT)
    .replace(INVISIBLE, '')
    .replace(LINE_BREAK, '\n')
    .replace(/\t/g, ' ');
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// ASCII punctuation that starts or ends Markdown structure anywhere in a line in GitHub's
// dialect: emphasis, strikethrough, code, links/images/footnotes (so `!` needs no escape),
// headings and issue references, tables, math (`$`), and the backslash itself. List markers
// (`-`, `+`, `1.`) only count at the start of a line and are handled there, which keeps names
// like `flux-system` readable in the raw Markdown.
const MARKDOWN_PUNCTUATION = new Set(Array.from('\\`*_[]()#|~$'));

const WORD_CHAR = /[A-Za-z0-9_]/;
const ALNUM = /[A-Za-z0-9]/;

/**
 * True when GitHub would treat `@` or `#` at `index` as the start of a mention or issue
 * reference: at the start or after a non-word character, followed by a name or a number. `from`
 * is where the run of text began: GitHub's filters see text after a link as a fresh start.
 */
function startsAutolink(text: string, index: number, from = 0): boolean {
  const char = text[index];
  const previous = index > from ? text[index - 1] : undefined;
  const next = text[index + 1];
  if (next === undefined) return false;
  // `owner/repo#12` and `repo#12` link issues of other repositories: a `#` before a digit is
  // broken whatever precedes it.
  if (char === '#') return /[0-9]/.test(next);
  if (previous !== undefined && WORD_CHAR.test(previous)) return false;
  if (char === '@') return ALNUM.test(next);
  return false;
}

/** `GH-123` at `index` (after a non-word character or the start of the run) is an issue reference. */
function startsGhReference(text: string, index: number, from: number): boolean {
  if (text.slice(index, index + 3).toLowerCase() !== 'gh-' || !/[0-9]/.test(text[index + 3] ?? ''))
    return false;
  return index === from || !WORD_CHAR.test(text[index - 1] as string);
}

// After an `@`, what cmark-gfm could take for the domain of an e-mail address (it needs a dot
// followed by a letter or digit). It makes `ops@example.com`, and the `git@github.com` of an SSH
// URL, `mailto:` links; a joiner right after the `@` leaves it nothing to match.
const EMAIL_DOMAIN = /^[A-Za-z0-9._-]*\.[A-Za-z0-9]/;

// The characters before `www.` that let cmark-gfm start a link there (and line breaks, which
// may become spaces).
const WWW_MAY_FOLLOW = /[\s*_~(]/;

/** Escapes `text[from, to)`, a run of inline text that GitHub must not link anything in. */
function escapeRun(text: string, from: number, to: number, newline: InlineOptions['newline']): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const char = text[i] as string;
    if (char === '\n') {
      out += newline === 'space' ? ' ' : '<br>';
      continue;
    }
    if (startsGhReference(text, i, from)) {
      out += text.slice(i, i + 3) + WORD_BREAK;
      i += 2;
      continue;
    }
    if (
      char === 'w' &&
      text.startsWith('www.', i) &&
      (i === from || WWW_MAY_FOLLOW.test(text[i - 1] as string))
    ) {
      // A character reference is read before any link is looked for, and leaves a `;` in front
      // of the rest, where no link may start.
      out += '&#119;';
      continue;
    }
    // Quotes only matter inside HTML attributes, which inline text never is.
    const entity = char === '"' || char === "'" ? undefined : HTML_ENTITIES[char];
    if (entity !== undefined) {
      out += entity;
    } else if (MARKDOWN_PUNCTUATION.has(char) || (char === ':' && text.startsWith('//', i + 1))) {
      // An escaped `:` is not where cmark-gfm looks back for a URL's scheme.
      out += '\\' + char;
    } else {
      out += char;
    }
    if ((char === '@' || char === '#') && startsAutolink(text, i, from)) out += WORD_BREAK;
    else if (char === '@' && EMAIL_DOMAIN.test(text.slice(i + 1, i + 256))) out += WORD_BREAK;
  }
  return out;
}

/** Link text that reads as `text`: inside a link GitHub looks for no further links or mentions. */
function escapeLabel(text: string): string {
  let out = '';
  for (const char of text) {
    out += HTML_ENTITIES[char] ?? (MARKDOWN_PUNCTUATION.has(char) ? '\\' + char : char);
  }
  return out;
}

/**
 * A link showing `url` and going to `href`. An autolink (`<https://…>`) is the plainest form:
 * its characters are taken literally, entities aside. Backslashes are literal there too, which
 * rules out `\|`, the only way to keep a `|` from splitting a table cell; so a URL with `|`, `\`
 * or `>` (which would end it), and a `www.` name (whose text lacks the `http://` of its target),
 * is written as `[text](destination)`. There `|`, `\` and `>` are percent-encoded, as GitHub
 * writes them into the `href` anyway; cmark-gfm decodes entities in a destination before it
 * removes backslashes, so `&` becomes `&amp;` and parentheses take a backslash.
 */
function markdownLink(url: string, href: string): string {
  if (href === url && !/[\\|<>]/.test(url)) return `<${url.replace(/&/g, '&amp;')}>`;
  const destination = href
    .replace(/[\\|<>]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/&/g, '&amp;')
    .replace(/[()]/g, '\\$&');
  return `[${escapeLabel(url)}](${destination})`;
}

/**
 * Escapes a cluster string for Markdown inline text (a paragraph, a list item, a heading, a
 * table cell). Line breaks become `<br>` (the only HTML in the result) or spaces. URLs that
 * GitHub would link become links to exactly themselves.
 */
export function escapeInline(text: string, options: InlineOptions = {}): string {
  const input = String(text);
  const clean = sanitizeText(input, options);
  const cut = truncateText(input, options.maxLength ?? DEFAULT_MAX_LENGTH) !== input;
  let out = '';
  let at = 0;
  for (const link of findAutolinks(clean)) {
    // A URL cut short by the length cap would lead somewhere else: leave it as text.
    if (cut && link.end === clean.length) continue;
    out += escapeRun(clean, at, link.start, options.newline);
    const written = markdownLink(clean.slice(link.start, link.end), link.href);
    if (written.startsWith('[')) {
      // `![text](…)` is an image. Runs never escape `!`, so one ending the run is bare: it gets a
      // backslash. At the very start, where the caller's Markdown comes before, a joiner keeps
      // any `!` there from touching the link.
      if (out.endsWith('!')) out = out.slice(0, -1) + '\\!';
      else if (out === '') out = WORD_BREAK;
    }
    out += written;
    at = link.end;
  }
  out += escapeRun(clean, at, clean.length, options.newline);
  // Line breaks never survive, so only the very start can begin a block: a list marker (`-`,
  // `+`, or `1.`; `1)` is covered by `)` being escaped everywhere), a setext underline (`=`, or
  // `-` again) turning the line above into a heading, or four spaces of indentation making a
  // code block, which a character reference for the first space is not.
  return out
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d{1,9})\./, '$1\\.')
    .replace(/^ (?= {3})/, '&#32;');
}

/** Escapes a cluster string for one cell of a GFM table: inline escaping, no line breaks left. */
export function escapeCell(text: string, options: InlineOptions = {}): string {
  return escapeInline(text, options);
}

/**
 * Escapes a cluster string for raw HTML text, such as a `<summary>` label or a table built from
 * HTML tags, where Markdown is not parsed but GitHub still links mentions and references.
 * Line breaks become spaces: a blank line would end the HTML block and start Markdown.
 */
export function escapeHtml(text: string, options: TextOptions = {}): string {
  const clean = sanitizeText(text, options).replace(/\n/g, ' ');
  let out = '';
  for (let i = 0; i < clean.length; i++) {
    const char = clean[i] as string;
    if (startsGhReference(clean, i, 0)) {
      out += clean.slice(i, i + 3) + WORD_BREAK;
      i += 2;
      continue;
    }
    out += HTML_ENTITIES[char] ?? char;
    if ((char === '@' || char === '#') && startsAutolink(clean, i)) out += WORD_BREAK;
  }
  return out;
}

/** The longest run of `char` in `text`. */
function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

/**
 * Code cannot contain entities or escapes, so an HTML comment opener inside it stays literal in
 * the Markdown source; a joiner keeps it from ever reading as our hidden marker.
 */
function defangCommentOpeners(text: string): string {
  return text.replace(/<!--/g, `<${WORD_BREAK}!--`);
}

export interface CodeSpanOptions extends TextOptions {
  /** Inside a GFM table cell `|` must be escaped even within a code span. */
  inTable?: boolean;
}

/**
 * A code span holding a cluster string verbatim (line breaks become spaces). The fence is one
 * backtick longer than the longest backtick run inside, and padded when the content starts or
 * ends with a backtick, as CommonMark requires.
 */
export function codeSpan(text: string, options: CodeSpanOptions = {}): string {
  let content = defangCommentOpeners(sanitizeText(text, options).replace(/\n/g, ' '));
  if (options.inTable) content = content.replace(/\|/g, '\\|');
  if (content === '') return '` `';
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || /^ .* $/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * A fenced code block holding a cluster string verbatim. The fence is longer than any backtick
 * run inside, so no line of the content can close it; the info string is restricted to a
 * language name.
 */
export function codeBlock(text: string, language = '', options: TextOptions = {}): string {
  const content = defangCommentOpeners(sanitizeText(text, { maxLength: options.maxLength ?? 100_000 }));
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  const lang = language.replace(/[^A-Za-z0-9_+-]/g, '');
  return `${fence}${lang}\n${content}\n${fence}`;
}
