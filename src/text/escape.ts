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
 */

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
 * reference: at the start or after a non-word character, followed by a name or a number.
 */
function startsAutolink(chars: string[], index: number): boolean {
  const char = chars[index];
  const previous = chars[index - 1];
  const next = chars[index + 1];
  if (next === undefined) return false;
  // `owner/repo#12` and `repo#12` link issues of other repositories: a `#` before a digit is
  // broken whatever precedes it.
  if (char === '#') return /[0-9]/.test(next);
  if (previous !== undefined && WORD_CHAR.test(previous)) return false;
  if (char === '@') return ALNUM.test(next);
  return false;
}

/** `GH-123` is an issue reference too. */
function breakGhReferences(text: string): string {
  return text.replace(/(^|[^A-Za-z0-9_])(gh-)(?=[0-9])/gi, `$1$2${WORD_BREAK}`);
}

/**
 * Escapes a cluster string for Markdown inline text (a paragraph, a list item, a heading).
 * Line breaks become `<br>` (the only HTML in the result) or spaces.
 */
export function escapeInline(text: string, options: InlineOptions = {}): string {
  const clean = breakGhReferences(sanitizeText(text, options));
  const chars = Array.from(clean);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    if (char === '\n') {
      out += options.newline === 'space' ? ' ' : '<br>';
      continue;
    }
    // Quotes only matter inside HTML attributes, which inline text never is.
    const entity = char === '"' || char === "'" ? undefined : HTML_ENTITIES[char];
    if (entity !== undefined) {
      out += entity;
    } else if (MARKDOWN_PUNCTUATION.has(char)) {
      out += '\\' + char;
    } else {
      out += char;
    }
    if ((char === '@' || char === '#') && startsAutolink(chars, i)) out += WORD_BREAK;
  }
  // Line breaks never survive, so only the very start can hold a list marker: `-`, `+`, or
  // `1.` (`1)` is covered by `)` being escaped everywhere).
  return out.replace(/^(\s*)([-+])/, '$1\\$2').replace(/^(\s*\d{1,9})\./, '$1\\.');
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
  const clean = breakGhReferences(sanitizeText(text, options)).replace(/\n/g, ' ');
  const chars = Array.from(clean);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    out += HTML_ENTITIES[char] ?? char;
    if ((char === '@' || char === '#') && startsAutolink(chars, i)) out += WORD_BREAK;
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
