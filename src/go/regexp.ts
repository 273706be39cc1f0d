/**
 * Go's regexp package, for the three places Prometheus uses it: label matchers (`=~`, `!~`), label_replace,
 * and the template functions `match` and `reReplaceAll`. Matching is done by re2js, a port of Go's RE2
 * engine: the same syntax, the same leftmost-first submatches, the same error messages, and time linear in
 * the text whatever the pattern (label values come from the cluster, so a backtracking engine would let a
 * hostile object name stall an audit). A few label-matcher shapes are answered with string comparisons,
 * and only where that is provably the same answer (see `fastMatcher`).
 */
import { RE2JS, RE2JSSyntaxException } from 're2js';

export class RegexSyntaxError extends Error {}

const GO_PREFIX = 'error parsing regexp: ';

/** A compiled pattern and Go's SubexpNames for it: "" for the whole match and for unnamed groups. */
interface Compiled {
  re: RE2JS;
  names: string[];
}

/**
 * Compiles with Go's Perl flags (re2js's default) plus `flags`, turning a syntax error into a
 * RegexSyntaxError whose message is Go's `*syntax.Error` text.
 */
function compileRe2(pattern: string, flags = 0): Compiled {
  try {
    const re = RE2JS.compile(pattern, flags);
    const names = new Array<string>(re.groupCount() + 1).fill('');
    for (const [name, index] of Object.entries(re.namedGroups())) names[index] = name;
    return { re, names };
  } catch (e) {
    if (!(e instanceof RE2JSSyntaxException)) throw e;
    // Go accepts two groups of one name (Expand then takes the first that took part); re2js does not.
    if (e.error === 'duplicate capture group name') return compileWithDuplicateNames(pattern, flags);
    if (e.input !== null) throw new RegexSyntaxError(e.message);
    // re2js leaves out the expression where Go has the whole pattern (too large, too deep) or "".
    const whole = e.error === 'expression too large' || e.error === 'expression nests too deeply';
    throw new RegexSyntaxError(`${GO_PREFIX}${e.error}: \`${whole ? pattern : ''}\``);
  }
}

/**
 * For a pattern that names two groups alike: every named group after the first of its name becomes a plain
 * group (which keeps every group's number), and the names are kept here. Only group openings are touched;
 * the scan skips what cannot open one: escapes, `\Q…\E` and bracketed classes.
 */
function compileWithDuplicateNames(pattern: string, flags: number): Compiled {
  const names = [''];
  const seen = new Set<string>();
  let out = '';
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i];
    if (c === '\\' && pattern[i + 1] === 'Q') {
      const end = pattern.indexOf('\\E', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += pattern.slice(i, stop);
      i = stop;
    } else if (c === '\\') {
      out += pattern.slice(i, i + 2);
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++; // a leading ] is a member
      while (j < n && pattern[j] !== ']') {
        if (pattern[j] === '\\') j += 2;
        else if (pattern.startsWith('[:', j) && pattern.indexOf(':]', j + 2) >= 0)
          j = pattern.indexOf(':]', j + 2) + 2;
        else j++;
      }
      out += pattern.slice(i, j + 1);
      i = j + 1;
    } else if (c === '(') {
      const named = /^\(\?P?<([0-9A-Za-z_]+)>/.exec(pattern.slice(i));
      if (named) {
        const name = named[1] as string;
        names.push(name);
        out += seen.has(name) ? '(' : named[0];
        seen.add(name);
        i += named[0].length;
      } else {
        if (pattern[i + 1] !== '?') names.push('');
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  let compiled: Compiled;
  try {
    compiled = compileRe2(out, flags);
  } catch (e) {
    // Some errors quote the whole pattern (a missing or unexpected parenthesis): quote the one written.
    const quoted = `\`${out}\``;
    if (e instanceof RegexSyntaxError && e.message.endsWith(quoted))
      throw new RegexSyntaxError(e.message.slice(0, -quoted.length) + `\`${pattern}\``);
    throw e;
  }
  if (compiled.names.length !== names.length)
    throw new Error(`regexp: group count changed rewriting ${pattern}`);
  return { re: compiled.re, names };
}

/** A bounded map: past the limit the oldest entry goes, so a stream of one-off patterns cannot grow it. */
class PatternCache<T> {
  readonly #entries = new Map<string, T>();
  constructor(readonly limit: number) {}
  get(key: string): T | undefined {
    return this.#entries.get(key);
  }
  set(key: string, value: T): void {
    if (this.#entries.size >= this.limit) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Label matchers

/** A compiled label matcher: does the whole value match, as Prometheus's FastRegexMatcher.MatchString. */
export interface AnchoredRegexp {
  /** The pattern as written in the matcher. */
  readonly source: string;
  /** What answers: `re2` (re2js) or the fast path's kind. */
  readonly engine: 're2' | FastPathKind;
  test(value: string): boolean;
}

export type FastPathKind = 'equal' | 'set' | 'prefix' | 'suffix' | 'contains' | 'alternatives';

/** Exactly what Go's regexp.QuoteMeta escapes: every character that can mean something in RE2 syntax. */
const META = /[\\.+*?()|[\]{}^$]/;

function isPlainLiteral(s: string): boolean {
  // A lone surrogate is no code point; keep such text on re2js rather than reason about it.
  return !META.test(s) && !LONE_SURROGATE.test(s);
}

/** In a `u` pattern a surrogate pair reads as one code point, so only a lone half is in category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The string comparison that gives the same answer as the anchored, dot-matches-newline regexp, for the
 * shapes where one provably exists; undefined otherwise.
 *
 * Why these agree with RE2: RE2 syntax needs one of `\ . + * ? ( ) | [ ] { } ^ $` for anything but a
 * literal (flags need `(`, escapes `\`, classes `[`), so a run L with none of them is parsed as the
 * concatenation of its characters, each matching exactly itself: L denotes the one string L.
 * - `L`: `^(?s:L)$` matches v exactly when v is L.
 * - `.*L.*`, `L.*`, `.*L`: under `(?s)` (Prometheus wraps every matcher in `^(?s:…)$`) `.` matches every
 *   code point, newline included, so `.*` matches every string. v = x·L·y with any x, y exactly when v
 *   contains L; v = L·y exactly when v starts with L; v = x·L exactly when v ends with L.
 * - `A1|A2|…`, each Ai one of the shapes above: with no `(`, `[` or `\` anywhere every `|` is a top-level
 *   alternation, and a whole-string match of an alternation exists exactly when one alternative matches
 *   the whole string (leftmost-first order only picks between matches, it never removes one). All plain
 *   literals is Prometheus's own optimizeAlternatingLiterals shape; the empty pattern is L = "".
 * JavaScript compares UTF-16 code units. For well-formed L that is the same as comparing code points: an
 * occurrence of L's units can neither start on the second half of a surrogate pair (L's first unit is a
 * lead surrogate or no surrogate at all) nor end on the first half of one.
 */
export function fastMatcher(
  pattern: string,
): { kind: FastPathKind; test: (value: string) => boolean } | undefined {
  const literals = new Set<string>();
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const infixes: string[] = [];
  for (const alternative of pattern.split('|')) {
    const leading = alternative.startsWith('.*');
    const trailing = alternative.endsWith('.*') && alternative.length >= (leading ? 4 : 2);
    const lit = alternative.slice(leading ? 2 : 0, trailing ? -2 : undefined);
    if (!isPlainLiteral(lit)) return undefined;
    if (leading && trailing) infixes.push(lit);
    else if (leading) suffixes.push(lit);
    else if (trailing) prefixes.push(lit);
    else literals.add(lit);
  }
  const shapes = [literals.size > 0, prefixes.length > 0, suffixes.length > 0, infixes.length > 0];
  if (shapes.filter(Boolean).length > 1) {
    return {
      kind: 'alternatives',
      test: (v) =>
        literals.has(v) ||
        prefixes.some((l) => v.startsWith(l)) ||
        suffixes.some((l) => v.endsWith(l)) ||
        infixes.some((l) => v.includes(l)),
    };
  }
  if (literals.size === 1) {
    const [only] = literals;
    return { kind: 'equal', test: (v) => v === only };
  }
  if (literals.size > 1) return { kind: 'set', test: (v) => literals.has(v) };
  if (prefixes.length > 0) return { kind: 'prefix', test: (v) => prefixes.some((l) => v.startsWith(l)) };
  if (suffixes.length > 0) return { kind: 'suffix', test: (v) => suffixes.some((l) => v.endsWith(l)) };
  return { kind: 'contains', test: (v) => infixes.some((l) => v.includes(l)) };
}

const anchoredCache = new PatternCache<AnchoredRegexp>(10_000);

/**
 * The label matcher for a pattern, compiled once: a RegexSyntaxError (without Go's `error parsing regexp:`
 * prefix, which the parser adds) if Go would reject the pattern.
 */
export function compileAnchored(pattern: string): AnchoredRegexp {
  let re = anchoredCache.get(pattern);
  if (re === undefined) {
    const fast = fastMatcher(pattern);
    re =
      fast === undefined
        ? compileAnchoredRe2(pattern)
        : { source: pattern, engine: fast.kind, test: fast.test };
    anchoredCache.set(pattern, re);
  }
  return re;
}

/**
 * The label matcher run by re2js alone, never by a fast path. Prometheus parses the pattern by itself with
 * the dot-matches-newline flag (so a syntax error names the pattern, and `a)|(b` is rejected rather than
 * read inside its wrapper), then matches `^(?s:…)$`: the whole value.
 */
export function compileAnchoredRe2(pattern: string): AnchoredRegexp {
  let re: RE2JS;
  try {
    re = compileRe2(pattern, RE2JS.DOTALL).re;
  } catch (e) {
    // re2js applies DOTALL by writing `(?s)` in front, which would show in the error's expression:
    // compile again without it for Go's message (a leading flag group cannot make a pattern valid).
    try {
      compileRe2(pattern);
    } catch (plain) {
      if (plain instanceof RegexSyntaxError) throw new RegexSyntaxError(plain.message.replace(GO_PREFIX, ''));
      throw plain;
    }
    throw e;
  }
  return {
    source: pattern,
    engine: 're2',
    test: (value) => re.testExact(value),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Go's *regexp.Regexp: search, submatches, Expand, ReplaceAllString

/** One match, as Go's FindStringSubmatchIndex gives it, with positions in UTF-16 code units. */
export interface GoMatch {
  readonly start: number;
  readonly end: number;
  /** The whole match, then each group; undefined for a group that took no part (Go's -1 index). */
  readonly groups: readonly (string | undefined)[];
}

export class GoRegexp {
  readonly #re: RE2JS;
  /** Go's SubexpNames: "" for the whole match and for unnamed groups. */
  readonly names: readonly string[];

  constructor(
    readonly source: string,
    re: RE2JS,
    names: readonly string[],
  ) {
    this.#re = re;
    this.names = names;
  }

  /** Go's MatchString: is there a match anywhere in `text`. */
  test(text: string): boolean {
    return this.#re.test(text);
  }

  /**
   * The leftmost-first match at or after `from`; the text before `from` still counts for `^`, `\b` and
   * the like, as in Go's own search loop.
   */
  exec(text: string, from = 0): GoMatch | null {
    const m = this.#re.matcher(text);
    if (!m.find(from)) return null;
    const groups: (string | undefined)[] = [];
    for (let i = 0; i < this.names.length; i++) groups.push(m.group(i) ?? undefined);
    return { start: m.start(), end: m.end(), groups };
  }

  /** Go's ExpandString. */
  expand(template: string, match: GoMatch): string {
    return expandReplacement(template, match.groups, this.names);
  }

  /** Go's ReplaceAllString, its search loop step for step. */
  replaceAll(text: string, repl: string): string {
    let out = '';
    let lastMatchEnd = 0;
    let searchPos = 0;
    while (searchPos <= text.length) {
      const m = this.exec(text, searchPos);
      if (m === null) break;
      out += text.slice(lastMatchEnd, m.start);
      // No replacement for an empty match right where the previous match ended.
      if (m.end > lastMatchEnd || m.start === 0) out += this.expand(repl, m);
      lastMatchEnd = m.end;
      // Move on by at least one character (Go: one rune; here its UTF-16 length).
      const cp = text.codePointAt(searchPos);
      const width = cp === undefined ? 0 : cp > 0xffff ? 2 : 1;
      if (searchPos + width > m.end) searchPos += width;
      else if (searchPos + 1 > m.end) searchPos++;
      else searchPos = m.end;
    }
    return out + text.slice(lastMatchEnd);
  }
}

const goCache = new PatternCache<GoRegexp>(1_000);

/**
 * Go's regexp.Compile: unanchored, Go's default flags (`.` stops at a newline). Errors carry Go's
 * `error parsing regexp:` prefix, which Prometheus shows after `error calling match:`. Compiled once per
 * pattern.
 */
export function compileGoRegexp(pattern: string): GoRegexp {
  let re = goCache.get(pattern);
  if (re === undefined) {
    const { re: compiled, names } = compileRe2(pattern);
    re = new GoRegexp(pattern, compiled, names);
    goCache.set(pattern, re);
  }
  return re;
}

/**
 * Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}` become groups, where a name is the longest run of
 * letters, digits and `_` (so `$1x` is the group named `1x`, which is empty); a number with a leading zero
 * or of more than 9 digits is a name too; `$$` is a dollar, and a malformed reference is copied as it
 * stands. A name means the first group of that name that took part in the match.
 */
export function expandReplacement(
  template: string,
  groups: readonly (string | undefined)[],
  names: readonly string[],
): string {
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
      const m = NAME_PREFIX.exec(template.slice(i + 2));
      if (m && template[i + 2 + m[0].length] === '}') {
        name = m[0];
        i += 2 + m[0].length;
      }
    } else {
      const m = NAME_PREFIX.exec(template.slice(i + 1));
      if (m) {
        name = m[0];
        i += m[0].length;
      }
    }
    if (name === undefined) out += '$';
    else if (/^(?:0|[1-9][0-9]{0,8})$/.test(name)) out += groups[Number(name)] ?? '';
    else {
      for (let g = 0; g < names.length; g++) {
        const text = groups[g];
        if (names[g] === name && text !== undefined) {
          out += text;
          break;
        }
      }
    }
  }
  return out;
}

/** Go's unicode.IsLetter, unicode.IsDigit and `_`, which is what a group reference may spell. */
const NAME_PREFIX = /^[\p{L}\p{Nd}_]+/u;
