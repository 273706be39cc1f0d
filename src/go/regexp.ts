/**
 * Go's regexp (RE2 syntax) as JavaScript RegExps, for the two ways Prometheus uses it: label matchers and
 * label_replace, fully anchored like Prometheus 3 (`^(?s:re)$`: `.` also matches a newline), and the
 * template functions `match` and `reReplaceAll`, unanchored with Go's defaults (`.` stops at a newline).
 * Node 20 has no inline modifiers, so `(?i)`, `(?s)`, `(?m)` and their scoped forms are expanded into
 * equivalent classes and lookarounds. RE2 features JavaScript lacks are translated; Perl features RE2
 * rejects (lookaround, backreferences) are errors, as in Go.
 */

export class RegexSyntaxError extends Error {}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const SYNTAX_CHARS = new Set([...'^$\\.*+?()[]{}|/']);

function escapeLiteral(ch: string): string {
  if (SYNTAX_CHARS.has(ch)) return '\\' + ch;
  return ch;
}

function foldedLiteral(ch: string, fold: boolean): string {
  if (fold) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lo !== up && lo.length === 1 && up.length === 1) return `[${lo}${up}]`;
  }
  return escapeLiteral(ch);
}

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
}

/**
 * Translates the pattern; the caller anchors it. `dotNewline` is the `s` flag the pattern starts with:
 * Prometheus wraps matchers in `(?s:…)`, Go's own default is off.
 */
export function translateRe2(src: string, dotNewline = true): string {
  let i = 0;
  const flagStack: Flags[] = [];
  let flags: Flags = { i: false, s: dotNewline, m: false };
  let out = '';

  const parseFlags = (spec: string): Flags => {
    const next = { ...flags };
    let neg = false;
    for (const c of spec) {
      if (c === '-') neg = true;
      else if (c === 'i') next.i = !neg;
      else if (c === 's') next.s = !neg;
      else if (c === 'm') next.m = !neg;
      else if (c === 'U') {
        // Ungreedy mode would mean swapping every quantifier's laziness; no rule or template needs it.
        throw new RegexSyntaxError(`invalid or unsupported Perl syntax: \`(?${spec}\``);
      } else throw new RegexSyntaxError(`invalid or unsupported Perl syntax: \`(?${c}\``);
    }
    return next;
  };

  const readClass = (): string => {
    // at '[' already consumed
    let cls = '[';
    if (src[i] === '^') {
      cls += '^';
      i++;
    }
    let first = true;
    const items: string[] = [];
    while (i < src.length && (src[i] !== ']' || first)) {
      first = false;
      if (src.startsWith('[:', i)) {
        const end = src.indexOf(':]', i + 2);
        if (end < 0) throw new RegexSyntaxError('missing closing ]');
        let name = src.slice(i + 2, end);
        let negated = false;
        if (name.startsWith('^')) {
          negated = true;
          name = name.slice(1);
        }
        const body = POSIX_CLASSES[name];
        if (body === undefined) throw new RegexSyntaxError(`invalid character class range: \`[:${name}:]\``);
        if (negated) throw new RegexSyntaxError('negated POSIX classes are not supported');
        items.push(body);
        i = end + 2;
        continue;
      }
      let ch = src[i] as string;
      let lit: string;
      if (ch === '\\') {
        const e = src[i + 1];
        if (e === undefined) throw new RegexSyntaxError('trailing backslash at end of expression');
        if ('dDwWsS'.includes(e)) {
          items.push('\\' + e);
          i += 2;
          continue;
        }
        if (e === 'p' || e === 'P') {
          const r = readUnicodeClass();
          items.push(r);
          continue;
        }
        const esc = simpleEscape(e);
        if (esc === undefined) {
          if (/[a-zA-Z0-9]/.test(e)) throw new RegexSyntaxError(`invalid escape sequence: \`\\${e}\``);
          lit = e;
        } else {
          i += 2;
          items.push(esc);
          continue;
        }
        i += 2;
      } else {
        lit = String.fromCodePoint(src.codePointAt(i) as number);
        i += lit.length;
      }
      ch = lit;
      if (src[i] === '-' && src[i + 1] !== ']' && i + 1 < src.length) {
        i++;
        let hi: string;
        if (src[i] === '\\') {
          const e = src[i + 1] as string;
          hi = simpleEscapeChar(e) ?? e;
          i += 2;
        } else {
          hi = String.fromCodePoint(src.codePointAt(i) as number);
          i += hi.length;
        }
        if ((hi.codePointAt(0) as number) < (ch.codePointAt(0) as number)) {
          throw new RegexSyntaxError(`invalid character class range: \`${ch}-${hi}\``);
        }
        items.push(`${classChar(ch)}-${classChar(hi)}`);
        if (flags.i) items.push(...foldRange(ch, hi));
      } else {
        items.push(classChar(ch));
        if (flags.i) {
          const lo = ch.toLowerCase();
          const up = ch.toUpperCase();
          if (lo !== ch && lo.length === 1) items.push(classChar(lo));
          if (up !== ch && up.length === 1) items.push(classChar(up));
        }
      }
    }
    if (src[i] !== ']')
      throw new RegexSyntaxError(`missing closing ]: \`${src.slice(src.lastIndexOf('['))}\``);
    i++;
    return cls + items.join('') + ']';
  };

  const readUnicodeClass = (): string => {
    // at '\p' or '\P'
    const neg = src[i + 1] === 'P';
    i += 2;
    let name: string;
    if (src[i] === '{') {
      const end = src.indexOf('}', i);
      if (end < 0) throw new RegexSyntaxError('invalid character class range');
      name = src.slice(i + 1, end);
      i = end + 1;
    } else {
      name = src[i] ?? '';
      i++;
    }
    let negated = neg;
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    return `\\${negated ? 'P' : 'p'}{${name === 'Any' ? 'Any' : name}}`;
  };

  while (i < src.length) {
    const ch = src[i] as string;
    if (ch === '\\') {
      const e = src[i + 1];
      if (e === undefined) throw new RegexSyntaxError('trailing backslash at end of expression');
      if ('dDwWsSbB'.includes(e)) {
        out += '\\' + e;
        i += 2;
      } else if (e === 'A') {
        out += '^';
        i += 2;
      } else if (e === 'z') {
        out += '$';
        i += 2;
      } else if (e === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end < 0 ? undefined : end);
        for (const c of lit) out += foldedLiteral(c, flags.i);
        i = end < 0 ? src.length : end + 2;
      } else if (e === 'p' || e === 'P') {
        out += readUnicodeClass();
      } else {
        const esc = simpleEscape(e);
        if (esc !== undefined) {
          out += esc;
          i += 2;
        } else if (/[a-zA-Z0-9]/.test(e)) {
          throw new RegexSyntaxError(`invalid escape sequence: \`\\${e}\``);
        } else {
          out += foldedLiteral(e, flags.i);
          i += 2;
        }
      }
      continue;
    }
    if (ch === '[') {
      i++;
      out += readClass();
      continue;
    }
    if (ch === '(') {
      if (src[i + 1] === '?') {
        const rest = src.slice(i + 2);
        const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
        if (named) {
          flagStack.push(flags);
          out += `(?<${named[1]}>`;
          i += 2 + named[0].length;
          continue;
        }
        const fl = /^([a-zA-Z-]*)(:|\))/.exec(rest);
        if (!fl) throw new RegexSyntaxError(`invalid or unsupported Perl syntax: \`(?${rest.slice(0, 1)}\``);
        const parsed = parseFlags(fl[1] ?? '');
        i += 2 + fl[0].length;
        if (fl[2] === ')') {
          // Flags apply to the rest of the enclosing group.
          flags = parsed;
        } else {
          flagStack.push(flags);
          flags = parsed;
          out += '(?:';
        }
        continue;
      }
      flagStack.push(flags);
      out += '(';
      i++;
      continue;
    }
    if (ch === ')') {
      const prev = flagStack.pop();
      if (prev === undefined) throw new RegexSyntaxError(`unexpected ): \`${src}\``);
      flags = prev;
      out += ')';
      i++;
      continue;
    }
    if (ch === '.') {
      out += flags.s ? '[^]' : '.';
      i++;
      continue;
    }
    if (ch === '{') {
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (rep) {
        if (Number(rep[1]) > 1000 || (rep[3] !== undefined && rep[3] !== '' && Number(rep[3]) > 1000)) {
          throw new RegexSyntaxError(`invalid repeat count: \`${rep[0]}\``);
        }
        if (rep[3] !== undefined && rep[3] !== '' && Number(rep[3]) < Number(rep[1])) {
          throw new RegexSyntaxError(`invalid repeat count: \`${rep[0]}\``);
        }
        out += rep[0];
        i += rep[0].length;
        if (src[i] === '?') {
          out += '?';
          i++;
        }
        continue;
      }
      out += '\\{';
      i++;
      continue;
    }
    if (ch === '}') {
      out += '\\}';
      i++;
      continue;
    }
    if (ch === '*' || ch === '+' || ch === '?') {
      const prevOut = out[out.length - 1];
      if (out === '' || prevOut === '(' || prevOut === '|' || out.endsWith('(?:')) {
        throw new RegexSyntaxError(`missing argument to repetition operator: \`${ch}\``);
      }
      const nextCh = src[i + 1];
      if (nextCh !== undefined && (nextCh === '*' || nextCh === '+')) {
        throw new RegexSyntaxError(`invalid nested repetition operator: \`${ch}${src[i + 1]}\``);
      }
      out += ch;
      i++;
      continue;
    }
    if (ch === '^' || ch === '$') {
      // Under (?m) Go's ^ and $ also match at a \n, and only there (JavaScript's m flag would add \r and
      // U+2028/U+2029); without it they are the text's ends, as JavaScript's are without the m flag.
      if (flags.m) out += ch === '^' ? '(?<![^\\n])' : '(?![^\\n])';
      else out += ch;
      i++;
      continue;
    }
    if (ch === '|') {
      out += ch;
      i++;
      continue;
    }
    const lit = String.fromCodePoint(src.codePointAt(i) as number);
    out += foldedLiteral(lit, flags.i);
    i += lit.length;
  }
  if (flagStack.length > 0) throw new RegexSyntaxError(`missing closing ): \`${src}\``);
  return out;
}

function simpleEscapeChar(e: string): string | undefined {
  switch (e) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'f':
      return '\f';
    case 'v':
      return '\v';
    case 'a':
      return '\x07';
  }
  return undefined;
}

function simpleEscape(e: string): string | undefined {
  switch (e) {
    case 'n':
      return '\\n';
    case 't':
      return '\\t';
    case 'r':
      return '\\r';
    case 'f':
      return '\\f';
    case 'v':
      return '\\v';
    case 'a':
      return '\\x07';
  }
  return undefined;
}

function classChar(ch: string): string {
  if (ch === ']' || ch === '\\' || ch === '^' || ch === '-' || ch === '[') return '\\' + ch;
  return ch;
}

function foldRange(lo: string, hi: string): string[] {
  const a = lo.codePointAt(0) as number;
  const b = hi.codePointAt(0) as number;
  const out: string[] = [];
  const overlap = (s: number, e: number, delta: number): void => {
    const from = Math.max(a, s);
    const to = Math.min(b, e);
    if (from <= to) out.push(`${String.fromCharCode(from + delta)}-${String.fromCharCode(to + delta)}`);
  };
  overlap(97, 122, -32);
  overlap(65, 90, 32);
  return out;
}

const cache = new Map<string, RegExp>();

/** The anchored matcher for an RE2 pattern, cached; throws RegexSyntaxError for invalid patterns. */
export function compileAnchored(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re === undefined) {
    const body = translateRe2(pattern);
    try {
      re = new RegExp(`^(?:${body})$`, 'u');
    } catch (e) {
      throw new RegexSyntaxError(`invalid regular expression: ${(e as Error).message}`);
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/**
 * The unanchored, global RegExp that Go's regexp.MustCompile gives the template functions; errors carry
 * Go's `error parsing regexp:` prefix, which Prometheus shows after `error calling match:`.
 */
export function compileGoRegexp(pattern: string): RegExp {
  try {
    return new RegExp(translateRe2(pattern, false), 'gu');
  } catch (e) {
    const reason =
      e instanceof RegexSyntaxError ? e.message : `invalid regular expression: ${(e as Error).message}`;
    throw new RegexSyntaxError(`error parsing regexp: ${reason}`);
  }
}

/** A match as RegExp.exec and String.replace report it: whole match, numbered groups, named groups. */
export interface GoMatch {
  readonly length: number;
  readonly [index: number]: string | undefined;
  readonly groups?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}` become groups, where a name is the longest run of
 * letters, digits and `_` (so `$1x` is the group named `1x`, which is empty); `$$` is a dollar, and a
 * malformed reference is copied as it stands.
 */
export function expandReplacement(template: string, match: GoMatch): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c !== '$') {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && NAME.test(inner)) {
        name = inner;
        i = close;
      }
    } else {
      const m = NAME_PREFIX.exec(template.slice(i + 1));
      if (m) {
        name = m[0];
        i += m[0].length;
      }
    }
    if (name === undefined) out += '$';
    else if (/^\d+$/.test(name)) out += Number(name) < match.length ? (match[Number(name)] ?? '') : '';
    else out += match.groups?.[name] ?? '';
  }
  return out;
}

/** Go's unicode.IsLetter, unicode.IsDigit and `_`, which is what a group reference may spell. */
const NAME = /^[\p{L}\p{Nd}_]+$/u;
const NAME_PREFIX = /^[\p{L}\p{Nd}_]+/u;

/**
 * Regexp.ReplaceAllString with a compileGoRegexp RegExp: every match replaced by `repl` expanded, except
 * an empty match right where the previous match ended, which Go skips and String.replace would not.
 */
export function goReplaceAll(re: RegExp, text: string, repl: string): string {
  let out = '';
  let copied = 0;
  let lastEnd = -1;
  for (const m of text.matchAll(re)) {
    const end = m.index + m[0].length;
    if (m[0] === '' && m.index === lastEnd) continue;
    out += text.slice(copied, m.index) + expandReplacement(repl, m);
    copied = end;
    lastEnd = end;
  }
  return out + text.slice(copied);
}
