/**
 * Go strings: PromQL string literals and template constants are unquoted like strconv.Unquote, error
 * messages and `%q` quote like strconv.Quote, and sorting compares like Go's `<`. Invalid UTF-8 produced
 * by `\x` escapes is kept as lone surrogates U+DC80..U+DCFF (one per byte), so it can be detected and
 * quoted back exactly.
 */

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Thrown by unquote with a Go-like reason; callers attach the position. */
export class UnquoteError extends Error {}

function decodeUtf8Escaping(bytes: number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    let need = 0;
    let cp = 0;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
    }
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const b = bytes[i + k];
      if (b === undefined || (b & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (b & 0x3f);
    }
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      out += String.fromCodePoint(cp);
      i += need + 1;
    } else {
      out += String.fromCharCode(0xdc00 + b0);
      i++;
    }
  }
  return out;
}

function utf8Bytes(s: string): number[] {
  return [...Buffer.from(s, 'utf8')];
}

/** No escapes, quotes, newlines or surrogates: the text is its own value (the common case, done fast). */
function isPlainBody(body: string, q: string): boolean {
  const quote = q.charCodeAt(0);
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 92 /* \ */ || c === quote || c === 10 || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/** Unquotes a PromQL string literal (including its quotes): `"…"`, `'…'` with Go escapes, or raw `` `…` ``. */
export function unquote(literal: string): string {
  const q = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== q || (q !== '"' && q !== "'" && q !== '`')) {
    throw new UnquoteError('unterminated quoted string');
  }
  const body = literal.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new UnquoteError('invalid syntax');
    return body.replace(/\r/g, '');
  }
  if (isPlainBody(body, q)) return body;
  const bytes: number[] = [];
  let sawByteEscape = false;
  for (let i = 0; i < body.length;) {
    const ch = body[i] as string;
    if (ch === q) throw new UnquoteError('invalid syntax');
    if (ch === '\n') throw new UnquoteError('invalid syntax');
    if (ch !== '\\') {
      const cp = body.codePointAt(i) as number;
      const s = String.fromCodePoint(cp);
      bytes.push(...utf8Bytes(s));
      i += s.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new UnquoteError('invalid syntax');
    if (e in SIMPLE_ESCAPES) {
      bytes.push((SIMPLE_ESCAPES[e] as string).charCodeAt(0));
      i += 2;
    } else if (e === q) {
      bytes.push(q.charCodeAt(0));
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new UnquoteError('invalid syntax');
      const v = parseInt(hex, 16);
      if (e === 'x') {
        bytes.push(v);
        sawByteEscape = true;
      } else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new UnquoteError('invalid syntax');
        bytes.push(...utf8Bytes(String.fromCodePoint(v)));
      }
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) throw new UnquoteError('invalid syntax');
      const v = parseInt(oct, 8);
      if (v > 255) throw new UnquoteError('invalid syntax');
      bytes.push(v);
      sawByteEscape = true;
      i += 4;
    } else {
      throw new UnquoteError('invalid syntax');
    }
  }
  if (!sawByteEscape) return Buffer.from(bytes).toString('utf8');
  return decodeUtf8Escaping(bytes);
}

/** True when the string holds bytes that are not valid UTF-8 (kept as U+DC80..U+DCFF by unquote). */
export function hasInvalidUtf8(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return true;
    }
  }
  return false;
}

/** Go's strconv.Quote: printable characters kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp >= 0xdc80 && cp <= 0xdcff) out += '\\x' + (cp - 0xdc00).toString(16).padStart(2, '0');
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0x80 && cp < 0xa0) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/**
 * Go's `<` on strings, which is what Prometheus, the operator and Go's sort packages order by, and
 * never the locale's order. Go compares UTF-8 bytes; this compares UTF-16 code units, which gives
 * the same answer except when the first difference puts a character above U+FFFF against one in
 * U+E000..U+FFFF (names and label values here do not mix those), and keeps sorting at native speed.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
