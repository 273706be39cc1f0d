/**
 * Finds the bare URLs that GitHub's Markdown renderer turns into links on its own.
 *
 * GitHub renders with cmark-gfm, whose autolink extension links `http://`, `https://` and
 * `ftp://` URLs and `www.` host names in plain text. It does so on the Markdown *source*, not on
 * the text after escapes: a backslash or an entity that keeps `_` or `&` from meaning anything
 * becomes part of the link (`per\_page` links to `per%5C_page`). So an escaper cannot escape a
 * URL's characters and let GitHub link it; it has to know where GitHub would link, write that
 * part as an explicit link and escape only the rest. This module answers "where".
 *
 * It follows cmark-gfm 0.29.0.gfm.6 (the version Debian ships and the tests render with) rule
 * for rule, on UTF-8 bytes as the C code does, including its quirks: the host check skips the
 * first and last byte it is given, a non-ASCII character ends it, and a `:` or `w` only starts a
 * link where the text before it allows. The answer is for a paragraph that holds just this text;
 * text around it can move a link's end, which is why callers write links explicitly rather than
 * relying on GitHub to find them again.
 */

/** A URL that GitHub would link. Offsets are UTF-16 indices into the text that was searched. */
export interface Autolink {
  start: number;
  end: number;
  /** Where the link goes: the text itself, or `http://` and the text for a `www.` host name. */
  href: string;
}

const SCHEMES = ['http://', 'https://', 'ftp://'];

const COLON = 0x3a;
const SLASH = 0x2f;
const W = 0x77;

/** cmark's ASCII whitespace: space, tab, line feed, form feed, carriage return. */
function isSpaceByte(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d;
}

function isAlphaByte(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
}

function isAsciiPunctuation(code: number): boolean {
  return (
    (code >= 0x21 && code <= 0x2f) ||
    (code >= 0x3a && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) ||
    (code >= 0x7b && code <= 0x7e)
  );
}

/** cmark's Unicode whitespace (Zs and the ASCII line characters). */
function isUnicodeSpace(code: number): boolean {
  return (
    code === 9 ||
    code === 10 ||
    code === 12 ||
    code === 13 ||
    code === 32 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

const UNICODE_PUNCTUATION = /\p{P}/u;

/**
 * Decodes the UTF-8 character starting at `at`, or undefined when `at` is not the start of a
 * well-formed one (cmark reads a continuation byte as invalid, which ends a host name there).
 */
function codePointAt(data: Uint8Array, at: number, end: number): number | undefined {
  const lead = data[at];
  if (lead === undefined || at >= end) return undefined;
  if (lead < 0x80) return lead;
  const length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 && lead < 0xe0 ? 2 : 0;
  if (length === 0 || at + length > end) return undefined;
  let code = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = data[at + k] as number;
    if ((next & 0xc0) !== 0x80) return undefined;
    code = (code << 6) | (next & 0x3f);
  }
  return code;
}

/** A character that may stand in a host name: not whitespace, not punctuation. */
function isHostChar(data: Uint8Array, at: number, end: number): boolean {
  const code = codePointAt(data, at, end);
  if (code === undefined) return false;
  if (code < 0x80) return !isUnicodeSpace(code) && !isAsciiPunctuation(code);
  return !isUnicodeSpace(code) && !UNICODE_PUNCTUATION.test(String.fromCodePoint(code));
}

/**
 * How much of `data[from, end)` is a host name, or 0 when an underscore in one of its last two
 * labels makes it none. `www.` links also need a dot.
 */
function hostLength(data: Uint8Array, from: number, end: number, needDot: boolean): number {
  const size = end - from;
  let dots = 0;
  let underscoresBefore = 0;
  let underscores = 0;
  let i = 1;
  for (; i < size - 1; i++) {
    const byte = data[from + i];
    if (byte === 0x5f) underscores++;
    else if (byte === 0x2e) {
      underscoresBefore = underscores;
      underscores = 0;
      dots++;
    } else if (!isHostChar(data, from + i, end) && byte !== 0x2d) break;
  }
  if (underscoresBefore > 0 || underscores > 0) return 0;
  return needDot && dots === 0 ? 0 : i;
}

/**
 * Where a link that could run to `length` bytes after `from` really ends: before a `<`, without
 * trailing punctuation or a trailing entity-like `&name;`, and without closing parentheses that
 * have no opening partner.
 */
function trimEnd(data: Uint8Array, from: number, length: number): number {
  let end = length;
  for (let i = 0; i < end; i++) {
    if (data[from + i] === 0x3c) {
      end = i;
      break;
    }
  }
  while (end > 0) {
    const last = data[from + end - 1] as number;
    if ('?!.,:*_~\'"'.includes(String.fromCharCode(last))) {
      end--;
    } else if (last === 0x3b) {
      let back = end - 2;
      while (back > 0 && isAlphaByte(data[from + back])) back--;
      end = back < end - 2 && data[from + back] === 0x26 ? back : end - 1;
    } else if (last === 0x29) {
      let opening = 0;
      let closing = 0;
      for (let i = 0; i < end; i++) {
        if (data[from + i] === 0x28) opening++;
        else if (data[from + i] === 0x29) closing++;
      }
      if (closing <= opening) break;
      end--;
    } else {
      break;
    }
  }
  return end;
}

function startsWithScheme(data: Uint8Array, at: number, end: number): boolean {
  return SCHEMES.some((scheme) => {
    if (end - at <= scheme.length) return false;
    for (let k = 0; k < scheme.length; k++) {
      const byte = data[at + k] as number;
      // ASCII case folding: the scheme may be written in any case.
      if ((byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte) !== scheme.charCodeAt(k)) return false;
    }
    return isHostChar(data, at + scheme.length, end);
  });
}

/** A `scheme://` link whose `:` is at `colon`: its byte range, or undefined. */
function schemeLink(data: Uint8Array, colon: number): [number, number] | undefined {
  const end = data.length;
  if (end - colon < 4 || data[colon + 1] !== SLASH || data[colon + 2] !== SLASH) return undefined;
  let start = colon;
  while (start > 0 && isAlphaByte(data[start - 1])) start--;
  if (!startsWithScheme(data, start, end)) return undefined;
  const host = hostLength(data, colon + 3, end, false);
  if (host === 0) return undefined;
  let length = 3 + host;
  while (colon + length < end && !isSpaceByte(data[colon + length])) length++;
  length = trimEnd(data, colon, length);
  return length === 0 ? undefined : [start, colon + length];
}

/** A `www.` link starting at `at`: its byte length, or 0. */
function wwwLink(data: Uint8Array, at: number): number {
  const before = data[at - 1];
  if (at > 0 && !isSpaceByte(before) && !'*_~('.includes(String.fromCharCode(before as number))) return 0;
  const end = data.length;
  if (end - at < 4 || data[at + 1] !== W || data[at + 2] !== W || data[at + 3] !== 0x2e) return 0;
  let length = hostLength(data, at, end, true);
  if (length === 0) return 0;
  while (at + length < end && !isSpaceByte(data[at + length])) length++;
  return trimEnd(data, at, length);
}

/**
 * The links GitHub would make in a paragraph holding `text` as plain text, left to right, none
 * overlapping. E-mail addresses are not reported: callers keep GitHub from linking those at all.
 */
export function findAutolinks(text: string): Autolink[] {
  // A paragraph's trailing whitespace is not part of it, and the host check looks at where the
  // paragraph ends.
  const source = text.replace(/[ \t\n\f\r]+$/, '');
  const data = Buffer.from(source, 'utf8');
  // UTF-16 index of every byte offset that starts a character (and of the end).
  const index = new Int32Array(data.length + 1);
  let byte = 0;
  for (let unit = 0; unit < source.length; unit++) {
    const code = source.codePointAt(unit) as number;
    index[byte] = unit;
    // A lone surrogate is written as U+FFFD, three bytes, like any other character of the BMP.
    byte += code < 0x80 ? 1 : code < 0x800 ? 2 : code > 0xffff ? 4 : 3;
    if (code > 0xffff) unit++;
  }
  index[data.length] = source.length;

  const links: Autolink[] = [];
  for (let at = 0; at < data.length;) {
    if (data[at] === COLON) {
      const range = schemeLink(data, at);
      if (range) {
        const [start, end] = range;
        const url = source.slice(index[start], index[end]);
        links.push({ start: index[start] as number, end: index[end] as number, href: url });
        at = end;
        continue;
      }
    } else if (data[at] === W) {
      const length = wwwLink(data, at);
      if (length > 0) {
        const url = source.slice(index[at], index[at + length]);
        links.push({ start: index[at] as number, end: index[at + length] as number, href: `http://${url}` });
        at += length;
        continue;
      }
    }
    at++;
  }
  return links;
}
