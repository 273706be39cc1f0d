import { describe, expect, it } from 'vitest';
import { matchesRevision, parseRevision, sameArtifact } from '../../src/wait/revision.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const OTHER = 'fedcba9876543210fedcba9876543210fedcba98';
const DIGEST = 'b2d8a3f1c0e4d5a6978812345678901234567890abcdefabcdefabcdefabcdef';

describe('matchesRevision', () => {
  const cases: [observed: string | undefined, expected: string, match: boolean][] = [
    // Git: branch, tag, full ref, commit only, legacy
    [`main@sha1:${SHA}`, SHA, true],
    [`main@sha1:${SHA}`, SHA.slice(0, 7), true],
    [`main@sha1:${SHA}`, SHA.slice(0, 6), false],
    [`main@sha1:${SHA}`, OTHER, false],
    [`main@sha1:${SHA}`, SHA.toUpperCase(), true],
    [`v1.2.3@sha1:${SHA}`, 'v1.2.3', true],
    [`v1.2.3@sha1:${SHA}`, 'v1.2.4', false],
    [`refs/heads/main@sha1:${SHA}`, SHA, true],
    [`refs/tags/v1.2.3@sha1:${SHA}`, 'v1.2.3', true],
    [`sha1:${SHA}`, SHA, true],
    [`sha1:${SHA}`, `main@sha1:${SHA}`, true],
    [`main/${SHA}`, SHA, true],
    [`main/${SHA}`, SHA.slice(0, 10), true],
    [`feature/x/${SHA}`, 'feature/x', true],
    [`main@sha1:${SHA}`, `main@sha1:${SHA}`, true],
    [`main@sha1:${SHA}`, `release@sha1:${SHA}`, false],
    [`main@sha1:${SHA}`, `sha1:${SHA}`, true],
    [`main@sha1:${SHA}`, `sha256:${SHA}`, false],
    // OCI
    [`latest@sha256:${DIGEST}`, `sha256:${DIGEST}`, true],
    [`latest@sha256:${DIGEST}`, DIGEST, true],
    [`latest@sha256:${DIGEST}`, 'latest', true],
    [`sha256:${DIGEST}`, `sha256:${DIGEST}`, true],
    [`sha256:${DIGEST}`, `sha256:${DIGEST.slice(0, 12)}`, true],
    [`sha256:${DIGEST}`, SHA, false],
    [`latest/${DIGEST}`, `sha256:${DIGEST}`, true],
    // Helm chart versions and build metadata
    ['1.2.3', '1.2.3', true],
    ['1.2.3', '1.2.4', false],
    [`1.2.3+${DIGEST.slice(0, 12)}`, `sha256:${DIGEST}`, true],
    [`1.2.3+${DIGEST.slice(0, 12)}`, '1.2.3', true],
    [`1.2.3+${SHA.slice(0, 12)}`, SHA, true],
    [`1.2.3+${SHA.slice(0, 12)}`, OTHER, false],
    [`6.5.0@sha256:${DIGEST}`, '6.5.0', true],
    ['1.2.3+build.7', '1.2.3', true],
    // nothing observed
    [undefined, SHA, false],
    ['', SHA, false],
    [`main@sha1:${SHA}`, '', false],
  ];
  it.each(cases)('%s vs %s → %s', (observed, expected, match) => {
    expect(matchesRevision(observed, expected)).toBe(match);
  });
});

describe('parseRevision', () => {
  it('splits name and digest', () => {
    expect(parseRevision(`refs/heads/main@sha1:${SHA}`)).toEqual({
      name: 'main',
      digest: { algorithm: 'sha1', hex: SHA },
    });
    expect(parseRevision(`sha256:${DIGEST}`)).toEqual({ digest: { algorithm: 'sha256', hex: DIGEST } });
    expect(parseRevision('abcdef1')).toEqual({ digest: { hex: 'abcdef1' } });
    expect(parseRevision('v2')).toEqual({ name: 'v2' });
  });
});

describe('sameArtifact', () => {
  it('relates a HelmRelease revision to its OCIRepository revision by digest', () => {
    expect(sameArtifact(`1.2.3+${DIGEST.slice(0, 12)}`, `latest@sha256:${DIGEST}`)).toBe(true);
    expect(sameArtifact('1.2.3', '1.2.3')).toBe(true);
    expect(sameArtifact('1.2.3', '1.2.4')).toBe(false);
    expect(sameArtifact(undefined, '1.2.3')).toBe(false);
  });
});
