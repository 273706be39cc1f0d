import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatOutput, setOutputs } from '../../src/github/outputs.js';

/** Reads `$GITHUB_OUTPUT` the way the runner does: `name<<DELIMITER`, lines, `DELIMITER`. */
function parseOutputFile(content: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!start) continue;
    const [, name, delimiter] = start as unknown as [string, string, string];
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    outputs[name] = value.join('\n');
  }
  return outputs;
}

describe('setOutputs', () => {
  const saved = process.env['GITHUB_OUTPUT'];
  let file: string;

  beforeEach(() => {
    file = join(mkdtempSync(join(tmpdir(), 'flux-health-outputs-')), 'output');
    writeFileSync(file, '');
    process.env['GITHUB_OUTPUT'] = file;
  });

  afterEach(() => {
    if (saved === undefined) delete process.env['GITHUB_OUTPUT'];
    else process.env['GITHUB_OUTPUT'] = saved;
  });

  it('writes each defined output to $GITHUB_OUTPUT as the runner reads it', () => {
    const set = setOutputs({
      verdict: 'failing',
      healthy: false,
      'failing-count': 3,
      'comment-url': undefined,
      alerts: ['ReconciliationFailure'],
      report: { kind: 'FluxReport' },
      message: 'line one\nline two',
      empty: null,
    });
    const expected = {
      verdict: 'failing',
      healthy: 'false',
      'failing-count': '3',
      alerts: '["ReconciliationFailure"]',
      report: '{"kind":"FluxReport"}',
      message: 'line one\nline two',
      empty: '',
    };
    expect(set).toEqual(expected);
    expect(parseOutputFile(readFileSync(file, 'utf8'))).toEqual(expected);
  });

  it('formats values as promised', () => {
    expect(formatOutput(true)).toBe('true');
    expect(formatOutput(0)).toBe('0');
    expect(formatOutput(undefined)).toBeUndefined();
  });
});
