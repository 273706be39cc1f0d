/**
 * The action's `namespaces` input (a tenant's scope), read with a fake `@actions/core`: separators,
 * order and duplicates, what it refuses, and that it never reaches a snapshot run. The built action
 * with `namespaces` against a real API server is in test/integration/rbac.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { coreModule, resetFake } from '../fakes/actions-core.js';

vi.mock('@actions/core', () => coreModule);
const { readInputs } = await import('../../src/action/inputs.js');

const ROOT = resolve(new URL('../..', import.meta.url).pathname);

/** action.yml's defaults, as the runner passes them, overridden by `inputs`. */
function read(inputs: Record<string, string>) {
  const doc = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const all: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc.inputs)) all[name] = String(spec.default ?? '');
  resetFake({ ...all, 'github-token': '', ...inputs });
  return readInputs();
}

describe('input `namespaces`', () => {
  it.each([
    ['', []],
    ['team-a', ['team-a']],
    ['team-b, team-a', ['team-a', 'team-b']],
    ['team-b\nteam-a\n', ['team-a', 'team-b']],
    ['team-a,team-a  team-a', ['team-a']],
    ['  \n ,', []],
    [`a${'b'.repeat(61)}c`, [`a${'b'.repeat(61)}c`]],
  ])('%j reads as %j', (text, expected) => {
    expect(read({ namespaces: text }).namespaces).toEqual(expected);
  });

  it.each([
    ['Team-A', '"Team-A" is not a namespace name'],
    ['team_a', '"team_a" is not a namespace name'],
    ['-team', '"-team" is not a namespace name'],
    ['team/a', '"team/a" is not a namespace name'],
    [`a${'b'.repeat(62)}c`, "is not a namespace name (lower-case letters, digits and '-', at most 63)"],
  ])('refuses %j, naming the input once', (text, message) => {
    let error: Error | undefined;
    try {
      read({ namespaces: text });
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toMatch(/^input `namespaces`: "/);
    expect(error?.message).toContain(message);
    expect(error?.message.match(/namespaces/g)).toHaveLength(1);
  });

  it('cannot limit a snapshot, and says so with the other bad inputs', () => {
    expect(() => read({ namespaces: 'team-a', snapshot: 'examples/demo-cluster.yaml' })).toThrow(
      'input `namespaces` limits what is read from a cluster: leave it empty with `snapshot`',
    );
  });
});
