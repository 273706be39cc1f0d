import { describe, expect, it } from 'vitest';
import {
  RegexSyntaxError,
  compileAnchored,
  compileAnchoredRe2,
  compileGoRegexp,
  fastMatcher,
} from '../../src/go/regexp.js';
import { PromQLError, SeriesStore, evaluateInstant, parseExpr } from '../../src/promql/index.js';

// The full comparison with Go is regexp-go.test.ts; these are the cases the old JavaScript translation got
// wrong or refused, each with what Go 1.26 answers (the same cases are in that file's corpus).
const UNANCHORED: ReadonlyArray<readonly [pattern: string, text: string, want: boolean]> = [
  ['(?m)^b$', 'a\nb\nc', true],
  ['(?m)^b$', 'a\rb', false],
  ['^b$', 'a\nb', false],
  ['(?U)a+', 'a', true],
  ['\\x{41}', 'A', true],
  ['\\x{41}', 'a', false],
  ['\\p{Greek}', 'ω', true],
  ['\\p{Greek}', 'w', false],
  ['[[:^alpha:]]', 'a', false],
  ['[[:^alpha:]]', '1', true],
  // RE2's \s is [\t\n\f\r ]: no vertical tab, no no-break space (JavaScript's \s has both).
  ['\\s', ' ', true],
  ['\\s', '\f', true],
  ['\\s', '\u00a0', false],
  ['\\s', '\u000b', false],
  ['[^\\s]', '\u00a0', true],
  // Go folds case by Unicode's simple folding orbits: k, K and the Kelvin sign U+212A are one orbit.
  ['(?i)k', '\u212a', true],
  ['(?i)K', '\u212a', true],
  ['(?i)ſ', 'S', true],
  ['\\Qa.b\\E', 'axb', false],
  ['\\Qa.b\\E', 'xa.by', true],
  ['\\Qa(b', 'a(b', true],
];

const REPLACE: ReadonlyArray<readonly [pattern: string, text: string, repl: string, want: string]> = [
  ['(?U)(a+)(a*)', 'aaa', '$1|$2', 'a|a|a|'],
  ['(a+)b', 'aab-ab', '${1}X$1x', 'aaX-aX'],
  ['b*', 'abc', 'X', 'XaXcX'],
  ['(?m)$', 'a\nb', '!', 'a!\nb!'],
  ['(a)(b)', 'ab', '$01|$1', '|a'],
  ['(?P<x>a)|(?P<x>b)', 'ab', '[$x]', '[a][b]'],
  ['x*', '😀', '-', '-😀-'],
];

const INVALID: ReadonlyArray<readonly [pattern: string, message: string]> = [
  ['(', 'missing closing ): `(`'],
  ['a)|(b', 'unexpected ): `a)|(b`'],
  ['(?=x)', 'invalid or unsupported Perl syntax: `(?=`'],
  ['(?<=a)b', 'invalid named capture: `(?<=a)b`'],
  ['(a)\\1', 'invalid escape sequence: `\\1`'],
  ['a**', 'invalid nested repetition operator: `**`'],
  ['a{1001}', 'invalid repeat count: `{1001}`'],
  ['[z-a]', 'invalid character class range: `z-a`'],
  ['\\p{Foo}', 'invalid character class range: `\\p{Foo}`'],
  ['\\', 'trailing backslash at end of expression: ``'],
];

describe('Go regexp, unanchored (template functions match and reReplaceAll)', () => {
  it.each(UNANCHORED)('%j on %j → %s', (pattern, text, want) => {
    expect(compileGoRegexp(pattern).test(text)).toBe(want);
  });

  it.each(REPLACE)('%j on %j, replaced by %j → %j', (pattern, text, repl, want) => {
    expect(compileGoRegexp(pattern).replaceAll(text, repl)).toBe(want);
  });

  it.each(INVALID)('%j is rejected: %s', (pattern, message) => {
    expect(() => compileGoRegexp(pattern)).toThrow(new RegexSyntaxError(`error parsing regexp: ${message}`));
  });

  it('compiles a pattern once', () => {
    expect(compileGoRegexp('(a|b)+c')).toBe(compileGoRegexp('(a|b)+c'));
  });
});

describe('Go regexp, anchored as Prometheus label matchers are', () => {
  it.each([
    // Prometheus wraps every matcher in ^(?s:…)$, so `.` crosses newlines unless the pattern says otherwise.
    ['a.c', 'a\nc', true],
    ['(?-s)a.c', 'a\nc', false],
    ['b', 'abc', false],
    ['(?m)a$\nb', 'a\nb', true],
    ['(?i)flux', 'FLUX', true],
    ['\\s+', ' \t', true],
    ['\\s+', '\u00a0', false],
    ['(?i)kustomization', '\u212austomization', true],
  ] as const)('%j matches %j: %s', (pattern, text, want) => {
    expect(compileAnchored(pattern).test(text)).toBe(want);
  });

  it.each(INVALID)('%j is rejected without Go’s prefix (the parser adds it): %s', (pattern, message) => {
    expect(() => compileAnchored(pattern)).toThrow(new RegexSyntaxError(message));
  });

  it.each([
    ['x{a=~"(?<=a)b"}', 'invalid named capture: `(?<=a)b`'],
    ['x{a=~"a)|(b"}', 'unexpected ): `a)|(b`'],
    ['x{a=~"\\\\8"}', 'invalid escape sequence: `\\8`'],
  ])('the PromQL parser reports %s at the pattern: %s', (expr, message) => {
    let err: unknown;
    try {
      parseExpr(expr);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PromQLError);
    expect((err as PromQLError).detail).toBe(`error parsing regexp: ${message}`);
    expect((err as PromQLError).position.offset).toBe(expr.indexOf('"'));
  });

  it('compiles a pattern once', () => {
    expect(compileAnchored('(a|b)+c')).toBe(compileAnchored('(a|b)+c'));
  });

  it('accepts what the JavaScript translation refused', () => {
    for (const p of ['(?U)a+', '\\x{41}', '\\p{Greek}', '[[:^alpha:]]', '(?P<x>a)|(?P<x>b)']) {
      expect(() => compileAnchored(p)).not.toThrow();
    }
  });
});

// `(a|aa)+b` has exponentially many ways to split a run of a's: a backtracking engine tries them all before
// failing. re2js, like Go, runs in time linear in the text. These cases took a backtracking engine
// seconds at 34 characters; here they only have to finish (times are in bench/regex.ts).
describe('catastrophic patterns run in linear time', () => {
  it.each([1_000, 10_000, 100_000])('(a|aa)+b over %i characters', (n) => {
    const text = 'a'.repeat(n);
    expect(compileAnchored('(a|aa)+b').test(text)).toBe(false);
    expect(compileAnchored('(a|aa)+b').test(text + 'b')).toBe(true);
    expect(compileGoRegexp('(a|aa)+b').test(text)).toBe(false);
    expect(compileGoRegexp('(a|aa)+b').replaceAll(text + 'b', 'X')).toBe('X');
    const re = compileGoRegexp('^(?s:(a|aa)+b)$');
    expect(re.exec(text)).toBeNull();
    expect(re.exec(text + 'b')?.groups[1]).toBe('a');
  });

  it('a label matcher and label_replace over a hostile label value', () => {
    const value = 'a'.repeat(10_000);
    const now = 1_000_000;
    const store = new SeriesStore([{ labels: { __name__: 'm', name: value }, samples: [{ t: now, v: 1 }] }]);
    expect(evaluateInstant('m{name=~"(a|aa)+b"}', store, now)).toEqual({ type: 'vector', samples: [] });
    expect(evaluateInstant('m{name!~"(a|aa)+b"}', store, now)).toMatchObject({ samples: [{ value: 1 }] });
    // No match: label_replace leaves the series as it was.
    const out = evaluateInstant('label_replace(m, "x", "$1", "name", "(a|aa)+b")', store, now);
    expect(out).toMatchObject({ type: 'vector', samples: [{ labels: { name: value } }] });
    expect(JSON.stringify(out)).not.toContain('"x"');
  });
});

// Patterns and values for the fast path: every shape it takes, shapes it must refuse, and values with
// newlines, case changes, astral characters and lone surrogates.
const FAST_PATTERNS = [
  '',
  'podinfo',
  'podinfo|flux-system',
  'Kustomization|HelmRelease',
  'DependencyNotReady',
  'a|',
  '|',
  'a b#c',
  '😀|é',
  '.*',
  '.*.*',
  '.*foo.*',
  'foo.*',
  '.*foo',
  '.*😀.*',
  '.*a b.*',
  // Not plain: re2js must answer these.
  '.+',
  '.*a.b.*',
  'a.*b',
  '(?i)foo',
  '.*(?i)foo.*',
  'foo.*|bar',
  '.*foo.*|bar',
  'a\\.b',
  '.*\ud800.*',
  '\ud800',
  '.*[ab].*',
  '^foo$',
  'foo.*?',
  'a|a',
  'Dep.*|X12',
  '.*foo.*|.*bar.*',
  '.*foo|bar.*|baz|.*qux.*',
  '.*|x',
  'a.*|.*b',
  '.*foo.*|a.b',
];
const FAST_VALUES = [
  '',
  'podinfo',
  'flux-system',
  'flux-system\n',
  'HelmRelease',
  'helmrelease',
  'DependencyNotReady',
  'a',
  'a b#c',
  'foo',
  'FOO',
  'xfooy',
  'x\nfoo\ny',
  'fo',
  'foobar',
  'barfoo',
  'a.b',
  'axb',
  'a😀b',
  '😀',
  'é',
  'e\u0301',
  '\ud800',
  'foo\ud800',
  '\udc00foo',
  '\ud83d',
  '.*',
  '|',
  'Dependency',
  'DepX',
  'X12',
  'X123',
  'xbarx',
  'bar',
  'barz',
  'baz',
  'zqux\n',
  'a|a',
  'ab',
  'b',
];

describe('the fast path agrees with re2js', () => {
  it('takes the shapes it should and refuses the rest', () => {
    const kinds = Object.fromEntries(FAST_PATTERNS.map((p) => [p, fastMatcher(p)?.kind ?? 're2']));
    expect(kinds).toEqual({
      '': 'equal',
      podinfo: 'equal',
      'podinfo|flux-system': 'set',
      'Kustomization|HelmRelease': 'set',
      DependencyNotReady: 'equal',
      'a|': 'set',
      '|': 'equal',
      'a b#c': 'equal',
      '😀|é': 'set',
      '.*': 'suffix',
      '.*.*': 'contains',
      '.*foo.*': 'contains',
      'foo.*': 'prefix',
      '.*foo': 'suffix',
      '.*😀.*': 'contains',
      '.*a b.*': 'contains',
      '.+': 're2',
      '.*a.b.*': 're2',
      'a.*b': 're2',
      '(?i)foo': 're2',
      '.*(?i)foo.*': 're2',
      'foo.*|bar': 'alternatives',
      '.*foo.*|bar': 'alternatives',
      'a\\.b': 're2',
      '.*\ud800.*': 're2',
      '\ud800': 're2',
      '.*[ab].*': 're2',
      '^foo$': 're2',
      'foo.*?': 're2',
      'a|a': 'equal',
      'Dep.*|X12': 'alternatives',
      '.*foo.*|.*bar.*': 'contains',
      '.*foo|bar.*|baz|.*qux.*': 'alternatives',
      '.*|x': 'alternatives',
      'a.*|.*b': 'alternatives',
      '.*foo.*|a.b': 're2',
    });
  });

  it.each(FAST_PATTERNS)('%j', (pattern) => {
    const re2 = compileAnchoredRe2(pattern);
    expect(re2.engine).toBe('re2');
    const re = compileAnchored(pattern);
    for (const value of FAST_VALUES) expect([value, re.test(value)]).toEqual([value, re2.test(value)]);
  });
});
