import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { checkWaitInputs } from '../../src/wait/inputs.js';

describe('checkWaitInputs', () => {
  it('defaults to the workflow commit, 5 minutes, no reconcile, everything selected', () => {
    expect(checkWaitInputs({ defaultRevision: 'abc1234' })).toEqual({
      expected: 'abc1234',
      timeoutMs: 300_000,
      reconcile: false,
      selection: {},
    });
  });

  it('reads every input', () => {
    expect(
      checkWaitInputs({
        expectedRevision: ' sha256:' + 'a'.repeat(64) + ' ',
        defaultRevision: 'ignored',
        timeout: '1h30m',
        reconcile: 'TRUE',
        namespaces: 'apps, infra',
        names: 'ks/flux-system/apps hr/podinfo',
        sources: 'gitrepository/flux-system/flux-system',
      }),
    ).toEqual({
      expected: 'sha256:' + 'a'.repeat(64),
      timeoutMs: 5_400_000,
      reconcile: true,
      selection: {
        namespaces: ['apps', 'infra'],
        names: [
          { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
          { kind: 'HelmRelease', name: 'podinfo' },
        ],
        sources: [{ kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' }],
      },
    });
  });

  it.each([
    [{}, /expected-revision is empty/],
    [{ defaultRevision: 'x', timeout: '5 minutes' }, /wait-timeout "5 minutes" is not a duration/],
    [{ defaultRevision: 'x', timeout: '0s' }, /wait-timeout must be positive/],
    [{ defaultRevision: 'x', reconcile: 'yes' }, /reconcile must be true or false/],
    [{ defaultRevision: 'x', names: 'apps' }, /"apps" is not an object name/],
  ])('rejects %j', (inputs, message) => {
    expect(() => checkWaitInputs(inputs)).toThrow(ConfigError);
    expect(() => checkWaitInputs(inputs)).toThrow(message);
  });
});
