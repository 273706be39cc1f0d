#!/usr/bin/env node
// Publishes the GitHub Release of a version tag and moves its major tag (`v1`), which is what
// `uses: flux-health/flux-health-action@v1` resolves to. The release workflow runs it after the
// dist check and the tests passed on the tag's commit; CONTRIBUTING.md ("Releasing") describes it.
//
// Usage: node scripts/release.mjs [--dry-run] [--notes-file FILE] [--remote NAME] [TAG]
//   TAG defaults to GITHUB_REF_NAME (the pushed tag in the workflow).
//   --dry-run checks everything and writes the notes, then prints what it would run and runs nothing
//   that changes a tag or a release.
//
// It refuses (exit 1, one line) a tag that is not vMAJOR.MINOR.PATCH[-PRERELEASE], that differs from
// package.json's version, that is not the commit checked out, or whose version has no CHANGELOG.md
// section. Bad usage is exit 2. The repository is the one the working directory is in.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

class Refusal extends Error {}

const TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$/;

function usage(message) {
  console.error(`release: ${message}`);
  console.error('usage: node scripts/release.mjs [--dry-run] [--notes-file FILE] [--remote NAME] [TAG]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { dryRun: false, notesFile: '', remote: 'origin', tag: process.env.GITHUB_REF_NAME ?? '' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dry-run') opts.dryRun = true;
    else if (arg === '--notes-file' || arg === '--remote') {
      const value = argv[++i];
      if (!value) usage(`${arg} needs a value`);
      opts[arg === '--remote' ? 'remote' : 'notesFile'] = value;
    } else if (arg.startsWith('-')) usage(`unknown flag ${arg}`);
    else opts.tag = arg;
  }
  if (opts.tag === '') usage('no tag: pass one, or set GITHUB_REF_NAME');
  return opts;
}

const git = (root, ...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

function tryGit(root, ...args) {
  try {
    return git(root, ...args);
  } catch {
    return undefined;
  }
}

/** [major, minor, patch, prerelease] of a tag, or undefined when it is not a version tag. */
function parseTag(tag) {
  const m = TAG.exec(tag);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''] : undefined;
}

/**
 * The body of CHANGELOG.md's `## [VERSION]` section (Keep a Changelog; a ` - DATE` after the
 * heading is allowed), without the link definitions that close the file. Undefined when the section
 * is missing or empty.
 */
function changelogSection(text, version) {
  const lines = text.split('\n');
  const heading = new RegExp(`^## \\[${version.replace(/[.+]/g, '\\$&')}\\](?:\\s+-\\s+\\S.*)?\\s*$`);
  const start = lines.findIndex((l) => heading.test(l));
  if (start === -1) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  const body = lines
    .slice(start + 1, end === -1 ? undefined : end)
    .filter((l) => !/^\[[^\]]+\]:\s+\S/.test(l))
    .join('\n')
    .trim();
  return body === '' ? undefined : body;
}

/**
 * Whether the major tag should point at this release: never for a prerelease, and not when a
 * higher release of the same major already exists (a fix to an older minor must not move users
 * back).
 */
function movesMajor(version, tags) {
  if (version[3] !== '') return false;
  return !tags
    .map(parseTag)
    .some(
      (t) =>
        t &&
        t[3] === '' &&
        t[0] === version[0] &&
        (t[1] > version[1] || (t[1] === version[1] && t[2] > version[2])),
    );
}

function plan(root, opts) {
  const version = parseTag(opts.tag);
  if (!version) throw new Refusal(`tag "${opts.tag}" is not a version tag vMAJOR.MINOR.PATCH[-PRERELEASE]`);
  const bare = opts.tag.slice(1);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (pkg.version !== bare)
    throw new Refusal(
      `tag ${opts.tag} does not match package.json version ${pkg.version}: set the version, commit, and tag that commit`,
    );
  const commit = tryGit(root, 'rev-parse', '--verify', '--quiet', `refs/tags/${opts.tag}^{commit}`);
  if (!commit) throw new Refusal(`tag ${opts.tag} does not exist in this repository`);
  const head = git(root, 'rev-parse', 'HEAD');
  if (head !== commit)
    throw new Refusal(
      `tag ${opts.tag} is commit ${commit.slice(0, 12)} but ${head.slice(0, 12)} is checked out: the tests ran on what is checked out, so check out the tag`,
    );
  const notes = changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), bare);
  if (notes === undefined)
    throw new Refusal(
      `CHANGELOG.md has no "## [${bare}]" section with notes: move [Unreleased] under it first`,
    );
  const major = `v${version[0]}`;
  const tags = git(root, 'tag', '--list', 'v*').split('\n').filter(Boolean);
  return {
    tag: opts.tag,
    commit,
    notes,
    prerelease: version[3] !== '',
    major,
    moveMajor: movesMajor(version, tags),
    majorWas: tryGit(root, 'rev-parse', '--verify', '--quiet', `refs/tags/${major}^{commit}`) ?? '',
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const root = tryGit(process.cwd(), 'rev-parse', '--show-toplevel');
  if (!root) usage('not inside a git repository');
  let p;
  try {
    p = plan(root, opts);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    console.error(`release: ${err.message}`);
    process.exit(1);
  }
  const notesFile = opts.notesFile || join(mkdtempSync(join(tmpdir(), 'flux-health-release-')), 'notes.md');
  writeFileSync(notesFile, `${p.notes}\n`);

  const create = ['release', 'create', p.tag, '--verify-tag', '--title', p.tag, '--notes-file', notesFile];
  // GitHub marks the highest version "Latest" by itself; a prerelease never is.
  if (p.prerelease) create.push('--prerelease');
  const steps = [['gh', create]];
  if (p.moveMajor)
    steps.push(
      ['git', ['tag', '--force', p.major, p.commit]],
      ['git', ['push', '--force', opts.remote, `refs/tags/${p.major}`]],
    );

  const verb = opts.dryRun ? 'would run' : 'running';
  console.log(`release ${p.tag} at commit ${p.commit}${opts.dryRun ? ' (dry run: nothing is changed)' : ''}`);
  console.log(`notes: ${p.notes.split('\n').length} lines from CHANGELOG.md, written to ${notesFile}`);
  if (p.moveMajor) console.log(`major tag: ${p.major} moves from ${p.majorWas || '(none)'} to ${p.commit}`);
  else
    console.log(
      `major tag: ${p.major} stays ${p.majorWas || '(none)'} (${p.prerelease ? 'a prerelease' : 'a higher release of this major exists'})`,
    );
  for (const [cmd, args] of steps) {
    console.log(`${verb}: ${cmd} ${args.join(' ')}`);
    if (!opts.dryRun) execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
  }
}

main();
