import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileAnchored, compileAnchoredRe2, compileGoRegexp } from '../../src/go/regexp.js';

// Every case's last field is what Go's regexp package and Prometheus's label matcher answered for it
// (test/go/regexp-oracle prints the file): a label matcher, label_replace, and the template functions
// match and reReplaceAll, over the same patterns and texts.
type Op = 'matcher' | 'label_replace' | 'match' | 'reReplaceAll';
const fixture = JSON.parse(readFileSync(new URL('./regexp-go-cases.json', import.meta.url), 'utf8')) as {
  go: string;
  cases: [op: Op, pattern: string, text: string, repl: string, want: string][];
};

function errorText(e: unknown): string {
  return `error: ${(e as Error).message}`;
}

function run(op: Op, pattern: string, text: string, repl: string, fastPath = true): string {
  switch (op) {
    case 'matcher':
      try {
        // The PromQL parser puts Go's prefix in front, as Prometheus's error does.
        const re = fastPath ? compileAnchored(pattern) : compileAnchoredRe2(pattern);
        return String(re.test(text));
      } catch (e) {
        return `error: error parsing regexp: ${(e as Error).message}`;
      }
    case 'label_replace': {
      let re;
      try {
        re = compileGoRegexp('^(?s:' + pattern + ')$');
      } catch {
        return 'error';
      }
      const m = re.exec(text);
      return m === null ? 'no match' : '=' + re.expand(repl, m);
    }
    case 'match':
      try {
        return String(compileGoRegexp(pattern).test(text));
      } catch (e) {
        return errorText(e);
      }
    case 'reReplaceAll':
      try {
        return '=' + compileGoRegexp(pattern).replaceAll(text, repl);
      } catch (e) {
        return errorText(e);
      }
  }
}

const short = (s: string): string => JSON.stringify(s.length > 60 ? s.slice(0, 60) + '…' : s);

describe(`Go regexp as ${fixture.go} answers`, () => {
  const cases = fixture.cases.map(
    (c) => [`${c[0]} ${short(c[1])} on ${short(c[2])} (${short(c[3])})`, ...c] as const,
  );
  it.each(cases)('%s', (_title, op, pattern, text, repl, want) => {
    expect(run(op, pattern, text, repl)).toBe(want);
    if (op === 'matcher') expect(run(op, pattern, text, repl, false)).toBe(want);
  });
});
