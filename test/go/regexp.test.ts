import { describe, expect, it } from 'vitest';
import { compileAnchored, compileGoRegexp, goReplaceAll } from '../../src/go/regexp.js';

// Expectations printed by Go 1.26's regexp package (MatchString, ReplaceAllString) for the same inputs:
// the template functions `match` and `reReplaceAll` must behave exactly like them.
const GO_CASES: ReadonlyArray<
  readonly [op: 'match' | 'replace', pattern: string, text: string, repl: string | undefined, want: string]
> = [
  ['match', 'a.c', 'a\nc', undefined, 'false'],
  ['match', '(?s)a.c', 'a\nc', undefined, 'true'],
  ['match', '(?m)^b$', 'a\nb\nc', undefined, 'true'],
  ['match', '^b$', 'a\nb', undefined, 'false'],
  ['match', '(?m)^b$', 'a\rb', undefined, 'false'],
  ['match', '[[:digit:]]+', 'x12', undefined, 'true'],
  ['match', '\\Qa.b\\E', 'axb', undefined, 'false'],
  ['match', '\\Qa.b\\E', 'xa.by', undefined, 'true'],
  ['match', '(?i)FLUX', 'flux-system', undefined, 'true'],
  ['match', '\\pL+$', 'é', undefined, 'true'],
  ['match', 'a{,3}', 'a{,3}', undefined, 'true'],
  [
    'match',
    '(?=x)',
    'x',
    undefined,
    'error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
  ],
  ['match', '(a)\\1', 'aa', undefined, 'error: error parsing regexp: invalid escape sequence: `\\1`'],
  ['match', '\\Aab\\z', 'ab\n', undefined, 'false'],
  ['replace', '(a+)b', 'aab-ab', '${1}X$1x', 'aaX-aX'],
  ['replace', 'b*', 'abc', 'X', 'XaXcX'],
  ['replace', '(a)', 'a', '$1é|', '|'],
  ['replace', '(?P<n>a)', 'ba', '[$n]', 'b[a]'],
  ['replace', '(?m)$', 'a\nb', '!', 'a!\nb!'],
  ['replace', 'a+?', 'aaa', 'X', 'XXX'],
  ['replace', '^', 'ab', '>', '>ab'],
  ['replace', '(x)?a', 'a', '[$1]$$ ${', '[]$ ${'],
];

function runGo(op: 'match' | 'replace', pattern: string, text: string, repl: string | undefined): string {
  try {
    const re = compileGoRegexp(pattern);
    return op === 'match' ? String(re.test(text)) : goReplaceAll(re, text, repl ?? '');
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

describe('Go regexp, unanchored (template functions)', () => {
  it.each(GO_CASES)('%s %j on %j (%j) → %j', (op, pattern, text, repl, want) => {
    expect(runGo(op, pattern, text, repl)).toBe(want);
  });
});

describe('Go regexp, anchored as Prometheus matchers are', () => {
  it.each([
    // Prometheus 3 wraps every matcher in ^(?s:…)$, so `.` crosses newlines unless the pattern says otherwise.
    ['a.c', 'a\nc', true],
    ['(?-s)a.c', 'a\nc', false],
    ['b', 'abc', false],
    ['(?m)a$\nb', 'a\nb', true],
    ['(?i)flux', 'FLUX', true],
  ] as const)('%j matches %j: %s', (pattern, text, want) => {
    expect(compileAnchored(pattern).test(text)).toBe(want);
  });
});
