/**
 * scripts/release.mjs, run as the release workflow runs it, in a throwaway git repository with a
 * bare "origin" and a stand-in `gh` on PATH that records what it was asked to do. A dry run must
 * check and say everything and change nothing; a real run must create the release with the
 * CHANGELOG section as notes and move the major tag on the remote.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = resolve(new URL('../../scripts/release.mjs', import.meta.url).pathname);

const CHANGELOG = `# Changelog

All notable changes are written down here.

## [Unreleased]

### Added

- Something not released yet.

## [1.2.3] - 2026-08-20

### Fixed

- The thing that broke.

### Added

- A new input.

## [1.2.2]

- An older fix.

## [0.1.0]

- First version.

[Unreleased]: https://github.com/flux-health/flux-health-action/compare/v1.2.3...HEAD
[1.2.3]: https://github.com/flux-health/flux-health-action/compare/v1.2.2...v1.2.3
`;

const NOTES_123 = `### Fixed

- The thing that broke.

### Added

- A new input.`;

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release@example.invalid',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

interface Repo {
  dir: string;
  origin: string;
  ghLog: string;
  binDir: string;
  git: (...args: string[]) => string;
  /** Commits package.json at `version` and the changelog, returns the commit. */
  commit: (version: string, changelog?: string) => string;
  remoteTag: (name: string) => string | undefined;
}

function makeRepo(): Repo {
  const base = mkdtempSync(join(tmpdir(), 'flux-health-release-test-'));
  const dir = join(base, 'work');
  const origin = join(base, 'origin.git');
  const binDir = join(base, 'bin');
  const ghLog = join(base, 'gh.jsonl');
  mkdirSync(dir);
  mkdirSync(binDir);
  // The stand-in gh: one JSON line per call, with the notes file's content at the time of the call.
  writeFileSync(
    join(binDir, 'gh'),
    `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
const i = args.indexOf('--notes-file');
const notes = i >= 0 ? fs.readFileSync(args[i + 1], 'utf8') : null;
fs.appendFileSync(${JSON.stringify(ghLog)}, JSON.stringify({ args, notes }) + '\\n');
`,
  );
  chmodSync(join(binDir, 'gh'), 0o755);
  const run = (cwd: string, args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();
  run(base, ['init', '--quiet', '--bare', origin]);
  run(dir, ['init', '--quiet', '--initial-branch=main']);
  run(dir, ['remote', 'add', 'origin', origin]);
  const git = (...args: string[]): string => run(dir, args);
  return {
    dir,
    origin,
    ghLog,
    binDir,
    git,
    commit(version, changelog = CHANGELOG) {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'flux-health', version }, null, 2));
      writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
      git('add', '.');
      git('commit', '--quiet', '--allow-empty', '-m', `version ${version}`);
      return git('rev-parse', 'HEAD');
    },
    remoteTag(name) {
      const r = spawnSync(
        'git',
        ['--git-dir', origin, 'rev-parse', '--verify', '--quiet', `refs/tags/${name}^{commit}`],
        {
          encoding: 'utf8',
        },
      );
      return r.status === 0 ? r.stdout.trim() : undefined;
    },
  };
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  gh: { args: string[]; notes: string | null }[];
}

function release(repo: Repo, args: string[], env: Record<string, string> = {}): Result {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: repo.dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      ...GIT_ENV,
      PATH: `${repo.binDir}:${process.env['PATH'] ?? ''}`,
      GITHUB_REF_NAME: '',
      ...env,
    },
  });
  const gh = existsSync(repo.ghLog)
    ? readFileSync(repo.ghLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Result['gh'][number])
    : [];
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, gh };
}

/** A repository whose origin has v1 at an older release, and HEAD tagged `tag` at `version`. */
function releasedBefore(tag: string, version = tag.slice(1)): { repo: Repo; old: string; head: string } {
  const repo = makeRepo();
  const old = repo.commit('1.2.2');
  repo.git('tag', 'v1.2.2');
  repo.git('tag', 'v1');
  const head = repo.commit(version);
  repo.git('tag', '--annotate', '--message', tag, tag);
  repo.git('push', '--quiet', 'origin', 'main', '--tags');
  return { repo, old, head };
}

describe('scripts/release.mjs refuses what must not be released', () => {
  it.each([
    ['a tag that is not a version', 'v1.2', '1.2.3', CHANGELOG, /^release: tag "v1\.2" is not a version tag/],
    [
      'a tag that differs from package.json',
      'v1.2.4',
      '1.2.3',
      CHANGELOG,
      /does not match package\.json version 1\.2\.3/,
    ],
    [
      'a version without a CHANGELOG section',
      'v1.2.3',
      '1.2.3',
      CHANGELOG.replace('## [1.2.3] - 2026-08-20', '## [1.2.30]'),
      /CHANGELOG\.md has no "## \[1\.2\.3\]" section/,
    ],
    [
      'a version whose CHANGELOG section is empty',
      'v1.2.3',
      '1.2.3',
      '# Changelog\n\n## [1.2.3]\n\n## [1.2.2]\n\n- fix\n',
      /CHANGELOG\.md has no "## \[1\.2\.3\]" section with notes/,
    ],
  ])('%s', (_name, tag, version, changelog, message) => {
    const repo = makeRepo();
    repo.commit(version, changelog);
    repo.git('tag', tag);
    for (const dryRun of [true, false]) {
      const r = release(repo, [...(dryRun ? ['--dry-run'] : []), tag]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.gh, 'gh is never called').toEqual([]);
      expect(repo.git('tag', '--list', 'v1')).toBe('');
    }
  });

  it('a tag that is not the commit checked out (the tests ran on HEAD)', () => {
    const { repo, head } = releasedBefore('v1.2.3');
    repo.commit('1.2.3');
    const r = release(repo, ['v1.2.3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`tag v1.2.3 is commit ${head.slice(0, 12)} but `);
    expect(r.stderr).toContain('check out the tag');
    expect(r.gh).toEqual([]);
  });

  it('a tag that does not exist, and no tag at all', () => {
    const repo = makeRepo();
    repo.commit('1.2.3');
    const missing = release(repo, ['v1.2.3']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('tag v1.2.3 does not exist');
    const none = release(repo, []);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no tag: pass one, or set GITHUB_REF_NAME');
  });
});

describe('scripts/release.mjs --dry-run', () => {
  it('checks the tag, writes the version’s notes, says it would move v1, and changes nothing', () => {
    const { repo, old, head } = releasedBefore('v1.2.3');
    const notesFile = join(repo.dir, '..', 'notes.md');
    // The workflow passes the pushed tag as GITHUB_REF_NAME.
    const r = release(repo, ['--dry-run', '--notes-file', notesFile], { GITHUB_REF_NAME: 'v1.2.3' });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(notesFile, 'utf8')).toBe(`${NOTES_123}\n`);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      `release v1.2.3 at commit ${head} (dry run: nothing is changed)`,
      `notes: 7 lines from CHANGELOG.md, written to ${notesFile}`,
      `major tag: v1 moves from ${old} to ${head}`,
      `would run: gh release create v1.2.3 --verify-tag --title v1.2.3 --notes-file ${notesFile}`,
      `would run: git tag --force v1 ${head}`,
      'would run: git push --force origin refs/tags/v1',
    ]);
    expect(r.gh, 'gh is never called').toEqual([]);
    expect(repo.git('rev-parse', 'v1^{commit}'), 'the local v1 stays').toBe(old);
    expect(repo.remoteTag('v1'), 'the remote v1 stays').toBe(old);
  });
});

describe("this repository's package.json and CHANGELOG.md", () => {
  it('could be released at their version: a dry run accepts them and finds notes', () => {
    const root = resolve(SCRIPT, '../..');
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
      .version;
    const repo = makeRepo();
    repo.commit(version, readFileSync(join(root, 'CHANGELOG.md'), 'utf8'));
    repo.git('tag', `v${version}`);
    const notesFile = join(repo.dir, '..', 'notes.md');
    const r = release(repo, ['--dry-run', '--notes-file', notesFile, `v${version}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(notesFile, 'utf8').trim().length).toBeGreaterThan(0);
    expect(r.gh).toEqual([]);
  });
});

describe('scripts/release.mjs publishes', () => {
  it('creates the release with the CHANGELOG section as notes, then moves v1 on the remote', () => {
    const { repo, head } = releasedBefore('v1.2.3');
    const r = release(repo, ['v1.2.3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.gh).toHaveLength(1);
    const call = r.gh[0] as Result['gh'][number];
    expect(call.args.slice(0, 6)).toEqual([
      'release',
      'create',
      'v1.2.3',
      '--verify-tag',
      '--title',
      'v1.2.3',
    ]);
    expect(call.args).not.toContain('--prerelease');
    expect(call.notes).toBe(`${NOTES_123}\n`);
    expect(repo.git('rev-parse', 'v1^{commit}')).toBe(head);
    expect(repo.remoteTag('v1')).toBe(head);
    expect(repo.remoteTag('v1.2.2'), 'older releases are not touched').toBeDefined();
  });

  it.each([
    {
      name: 'a fix to an older minor leaves v1 on the higher release',
      before: ['1.3.0'],
      tag: 'v1.2.4',
      moves: false,
      prerelease: false,
      reason: 'a higher release of this major exists',
    },
    {
      name: 'a prerelease never moves v1 and is marked as one',
      before: [],
      tag: 'v1.3.0-rc.1',
      moves: false,
      prerelease: true,
      reason: 'a prerelease',
    },
    {
      name: 'a new major creates v2 and leaves v1 alone',
      before: [],
      tag: 'v2.0.0',
      moves: true,
      prerelease: false,
    },
    {
      name: 'a prerelease of a higher version does not hold v1 back',
      before: ['1.3.0-rc.1'],
      tag: 'v1.2.4',
      moves: true,
      prerelease: false,
    },
  ])('$name', ({ before, tag, moves, prerelease, reason }) => {
    const { repo, old } = releasedBefore('v1.2.3');
    for (const v of before) {
      repo.commit(v);
      repo.git('tag', `v${v}`);
    }
    const version = tag.slice(1);
    const head = repo.commit(version, `${CHANGELOG}\n## [${version}]\n\n- Notes of ${version}.\n`);
    repo.git('tag', tag);
    repo.git('push', '--quiet', 'origin', 'main', '--tags');
    const major = tag.replace(/^(v\d+).*/, '$1');
    const majorBefore = repo.remoteTag(major);

    const r = release(repo, [tag]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.gh).toHaveLength(1);
    expect(r.gh[0]?.notes).toBe(`- Notes of ${version}.\n`);
    expect(r.gh[0]?.args.includes('--prerelease')).toBe(prerelease);
    expect(repo.remoteTag(major)).toBe(moves ? head : majorBefore);
    if (!moves)
      expect(r.stdout).toContain(`major tag: ${major} stays ${majorBefore ?? '(none)'} (${reason})`);
    if (major !== 'v1') expect(repo.remoteTag('v1'), 'v1 is not touched').toBe(old);
  });
});
