// What reaches a terminal or the Actions log from the cluster: one line, no escape sequences, no
// bidi reordering; JSON keeps the data but escapes what could reorder its display.
import { describe, expect, it } from 'vitest';
import { ApiStatusError } from '../../src/cluster/kube-client.js';
import { describeFailure, UnreachableError } from '../../src/errors.js';
import { jsonText } from '../../src/json-text.js';

describe('error lines', () => {
  it.each([
    ['an ESC colour sequence', 'denied \u001b[31mred\u001b[0m', /^denied \[31mred\[0m$/],
    ['an OSC title sequence', 'x\u001b]0;pwned\u0007y', /^x\]0;pwnedy$/],
    ['a bidi override', 'user \u202Etxt.exe', /^user \uFFFDtxt\.exe$/],
    ['line breaks', 'a\nb\r\nc', /^a b c$/],
  ])('%s in a server message stays on one safe line', (_name, message, want) => {
    for (const err of [new UnreachableError(message), new ApiStatusError(500, '/x', 'X', message)]) {
      const line = describeFailure(err).message;
      expect(line.replace(/^unexpected error: ApiStatusError: /, '')).toMatch(want);
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      expect(line).not.toMatch(/[\u0000-\u001f\u007f\u202a-\u202e]/);
    }
  });

  it('a 30 KB message is cut', () => {
    expect(describeFailure(new UnreachableError('x'.repeat(30_000))).message.length).toBeLessThanOrEqual(
      2000,
    );
  });
});

describe('jsonText', () => {
  it('escapes bidi controls and line separators, and round-trips', () => {
    const value = { name: 'user \u202Etxt.exe\u202C', note: 'a\u2028b' };
    const text = jsonText(value);
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\u2028');
    expect(text).not.toMatch(/[\u202a-\u202e\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
