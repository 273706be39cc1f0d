// Malformed snapshots through the built CLI: each is bad input, so exit 2 with one line naming the
// file (and the position where the parser can say it), never "unexpected error" or a stack trace.
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO, runCli } from '../support/cli-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'flux-health-bad-snapshot-'));

function check(name: string, content: string | Buffer, ...more: string[]) {
  const file = join(dir, name);
  writeFileSync(file, content);
  return runCli(['check', '--snapshot', file, ...more], { timeoutMs: 60_000 });
}

const facts = (collectedAt: string): string =>
  `apiVersion: flux-health.dev/v1\nkind: ClusterFacts\ncollectedAt: ${JSON.stringify(collectedAt)}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: flux-system}\n`;

describe('a malformed snapshot is bad input: exit 2, one line', () => {
  it.each([
    [
      'garbage.yaml',
      Buffer.from([0x00, 0xff, 0x7b, 0x3a, 0x3a, 0x5b, 0x0a, 0x09, 0x2d]),
      /garbage\.yaml: (invalid (YAML|JSON)|no Kubernetes objects)/,
    ],
    [
      'truncated.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n',
      /truncated\.yaml:\d+:\d+: invalid YAML/,
    ],
    ['truncated.json', '{"apiVersion": "v1", "kind":', /truncated\.json: invalid JSON/],
    ['stream.json', '{"kind":"A"}{"kind":"B"}', /stream\.json: invalid JSON/],
    ['deep.yaml', '['.repeat(200_000), /deep\.yaml: invalid (YAML|JSON)/],
    ['deep.json', '['.repeat(200_000), /deep\.json: invalid JSON/],
    ['empty.yaml', '', /empty\.yaml: no Kubernetes objects in it/],
    ['comments.yaml', '# nothing here\n---\n', /comments\.yaml: no Kubernetes objects in it/],
    ['not-a-time.yaml', facts('not a time'), /collectedAt "not a time" is not an RFC 3339 time/],
  ])('%s', async (name, content, message) => {
    const r = await check(name, content);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^flux-health: /);
    expect(lines.at(-1)).toMatch(message);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  it('a snapshot over the size limit is refused before it is read', async () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, '');
    truncateSync(file, 101 * 2 ** 20);
    const r = await runCli(['check', '--snapshot', file], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^flux-health: snapshot file .*huge\.yaml is 101 MiB; the limit is 100 MiB/,
    );
  });

  it('the same objects written twice are read once, with a note, and give no duplicate series', async () => {
    const demo = readFileSync(DEMO, 'utf8');
    const out = join(dir, 'dup-out');
    const r = await check('twice.yaml', `${demo}\n---\n${demo}`, '--fail-on', 'never', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const metrics = readFileSync(join(out, 'metrics.prom'), 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.slice(0, l.lastIndexOf(' ')));
    expect(metrics.length).toBeGreaterThan(100);
    expect(new Set(metrics).size).toBe(metrics.length);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toMatch(/duplicate object\(s\) in the snapshot/);
  });
});
