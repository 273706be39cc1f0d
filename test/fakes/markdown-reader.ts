/**
 * A strict reader for the inline Markdown our escaper produces, used to prove that hostile
 * cluster strings render as plain text. It accepts only plain characters, backslash escapes of
 * ASCII punctuation, HTML character references, `<br>`, and links that show their own target
 * (the form the escaper gives URLs that GitHub would link anyway: `<https://…>`, or
 * `[text](text)`, or `[www.…](http://www.…)`); any other character that GitHub's Markdown or HTML
 * would act on is reported as live structure. test/support/github-render.ts checks the same
 * output with GitHub's own renderer.
 */

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
// Characters that start or end structure when not escaped.
// `-`, `+` and `1.` only start a list at the beginning, checked at the end.
const ACTIVE = new Set(Array.from('<>*_`[]()|~$#&\\'));

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class LiveStructureError extends Error {}

/** An autolink as the escaper writes one: a web URL in angle brackets, entities decoded. */
const ANGLE_LINK = /^<((?:https?|ftp):\/\/[^\s<>]*)>/i;

/**
 * Decodes character references and, where Markdown reads them (link text and destinations, not
 * autolinks), backslash escapes: the only syntax inside a link we write.
 */
function decodeLinkPart(part: string, backslashes = true): string {
  const syntax = backslashes
    ? /\\([!-/:-@[-`{-~])|&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]+));/g
    : /()&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]+));/g;
  return part.replace(syntax, (whole, escaped, dec, hex, name) => {
    if (escaped) return escaped as string;
    if (dec !== undefined) return String.fromCodePoint(Number(dec));
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex as string, 16));
    return NAMED[name as string] ?? whole;
  });
}

/**
 * `[text](destination)` at the start of `markdown` when the text reads as its own destination
 * (a `www.` name may go to `http://` and itself); its length and text, or undefined.
 */
function selfLink(markdown: string): { length: number; text: string } | undefined {
  const match = /^\[((?:\\.|[^\\[\]<>`])*)\]\(((?:\\.|[^\\()<> \t\n])*)\)/.exec(markdown);
  if (!match) return undefined;
  const text = decodeLinkPart(match[1] as string);
  const target = decodeLinkPart(match[2] as string);
  // GitHub percent-encodes an href's unsafe characters either way; `%3E` and `>` lead alike.
  const href = (url: string): string =>
    url.replace(/[^A-Za-z0-9\-_.+!*'(),%#@?=;:/&$~]/gu, (c) => encodeURIComponent(c));
  if (href(target) !== href(text) && href(target) !== href(`http://${text}`)) return undefined;
  if (!/^(?:(?:https?|ftp):\/\/|www\.)/i.test(text)) return undefined;
  return { length: match[0].length, text };
}

/** The text a reader sees, or a {@link LiveStructureError} naming the first live character. */
export function renderInline(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    const char = markdown[i] as string;
    const angle = char === '<' ? ANGLE_LINK.exec(markdown.slice(i)) : null;
    const link = char === '[' ? selfLink(markdown.slice(i)) : undefined;
    if (markdown.startsWith('<br>', i)) {
      out += '\n';
      i += 4;
    } else if (angle) {
      out += decodeLinkPart(angle[1] as string, false);
      i += angle[0].length;
    } else if (link) {
      out += link.text;
      i += link.length;
    } else if (
      char === '\\' &&
      i + 1 < markdown.length &&
      ASCII_PUNCTUATION.test(markdown[i + 1] as string)
    ) {
      out += markdown[i + 1];
      i += 2;
    } else if (char === '&') {
      const ref = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]+));/.exec(markdown.slice(i));
      if (!ref) throw new LiveStructureError(`bare & at ${i} in ${JSON.stringify(markdown.slice(0, 80))}`);
      if (ref[1] !== undefined) out += String.fromCodePoint(Number(ref[1]));
      else if (ref[2] !== undefined) out += String.fromCodePoint(parseInt(ref[2], 16));
      else {
        const named = NAMED[ref[3] as string];
        if (named === undefined) throw new LiveStructureError(`unknown entity ${ref[0]}`);
        out += named;
      }
      i += ref[0].length;
    } else if (ACTIVE.has(char)) {
      throw new LiveStructureError(
        `unescaped ${JSON.stringify(char)} at ${i} in ${JSON.stringify(markdown.slice(Math.max(0, i - 20), i + 20))}`,
      );
    } else {
      out += char;
      i += 1;
    }
  }
  if (/^\s*(\d+\.|[-+])/.test(markdown)) throw new LiveStructureError('list marker at the start');
  return out;
}

/** Splits a GFM table row on the pipes that GitHub treats as cell separators. */
export function splitRow(row: string): string[] {
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < row.length; i++) {
    const char = row[i] as string;
    if (char === '\\' && i + 1 < row.length) {
      current += char + row[i + 1];
      i += 1;
    } else if (char === '|') {
      cells.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  cells.push(current);
  return cells;
}

/** What GitHub would turn into a mention, a team mention or an issue reference, in rendered text. */
// `#12` anywhere (GitHub links `owner/repo#12` and `repo#12` to other repositories), mentions and
// `GH-12` after a non-word character.
export const AUTOLINK = /#[0-9]|(?:^|[^A-Za-z0-9_])(?:@[A-Za-z0-9]|gh-[0-9])/i;
