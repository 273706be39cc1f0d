/** Which artifact names a `fleet-artifacts` pattern takes (rules/glob.ts's matcher, one name at a time). */
import { describe, expect, it } from 'vitest';
import { matchesName } from '../../src/rules/glob.js';

describe('matchesName', () => {
  it.each([
    ['flux-health*', 'flux-health', true],
    ['flux-health*', 'flux-health-prod', true],
    ['flux-health*', 'my-flux-health', false],
    ['flux-health-?', 'flux-health-a', true],
    ['flux-health-?', 'flux-health-ab', false],
    ['flux-health-{prod,staging}', 'flux-health-staging', true],
    ['flux-health-{prod,staging}', 'flux-health-edge', false],
    ['flux-health-[a-c]*', 'flux-health-beta', true],
    ['flux-health-[!a-c]*', 'flux-health-beta', false],
    ['flux.health', 'flux-health', false],
    ['flux-health', 'flux-health', true],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(matchesName(pattern, name)).toBe(expected);
  });
});
