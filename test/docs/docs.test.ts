/**
 * The documents a user or contributor reads must agree with what runs: README's `uses:` blocks
 * with action.yml, SECURITY.md's claims with the tests that hold them, LICENSE with package.json,
 * CHANGELOG.md with Keep a Changelog and the version, CONTRIBUTING.md with the scripts and files it
 * names. Each failure names exactly what is missing. (The order and defaults of README's Inputs and
 * Outputs tables are test/unit/readme-action.test.ts.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const exists = (path: string): boolean => existsSync(new URL(path, root));

const action = parse(read('action.yml')) as {
  inputs: Record<string, { default?: unknown }>;
  outputs: Record<string, unknown>;
};
const pkg = JSON.parse(read('package.json')) as {
  name: string;
  version: string;
  license: string;
  scripts: Record<string, string>;
};
const ACTION_REF = 'flux-health/flux-health-action@';

/** The fenced code blocks of a Markdown text, with their info string. */
function codeBlocks(markdown: string): { lang: string; body: string; line: number }[] {
  const out: { lang: string; body: string; line: number }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    out.push({ lang: open[1] as string, body: lines.slice(i + 1, end).join('\n'), line: i + 1 });
    i = end;
  }
  return out;
}

/** The `with:` of every step that uses this action, in the YAML blocks of a Markdown text. */
function actionSteps(markdown: string): { line: number; uses: string; with: Record<string, unknown> }[] {
  return codeBlocks(markdown)
    .filter((b) => b.lang === 'yaml' && b.body.includes(ACTION_REF))
    .flatMap((b) => {
      const doc = parse(b.body) as { jobs?: Record<string, { steps?: { uses?: string; with?: object }[] }> };
      return Object.values(doc.jobs ?? {}).flatMap((job) =>
        (job.steps ?? [])
          .filter((s) => s.uses?.startsWith(ACTION_REF))
          .map((s) => ({
            line: b.line,
            uses: s.uses as string,
            with: (s.with ?? {}) as Record<string, unknown>,
          })),
      );
    });
}

/** Level-2 sections of a Markdown text by heading. */
function sections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = markdown.split(/^## /m).slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    out.set(part.slice(0, nl).trim(), part.slice(nl + 1));
  }
  return out;
}

describe('README agrees with action.yml', () => {
  const readme = read('README.md');

  it('names every input and output of action.yml', () => {
    const names = [...Object.keys(action.inputs), ...Object.keys(action.outputs)];
    const missing = names.filter((n) => !readme.includes(`\`${n}\``));
    expect(missing, 'action.yml inputs or outputs the README never names').toEqual([]);
  });

  it('opens with the `uses:` block, every `with:` line commented', () => {
    const first = codeBlocks(readme)[0];
    expect(first?.lang).toBe('yaml');
    expect(first?.body).toContain(`uses: ${ACTION_REF}`);
    const withLines = (first?.body ?? '').split('\n');
    const at = withLines.findIndex((l) => /^\s+with:\s*$/.test(l));
    const indent = (withLines[at + 1] ?? '').search(/\S/);
    const keys = withLines.slice(at + 1).filter((l) => l.search(/\S/) === indent);
    expect(keys.length).toBeGreaterThan(0);
    expect(
      keys.filter((l) => !/ # \S/.test(l)),
      '`with:` lines of the first block without a comment',
    ).toEqual([]);
  });

  it('every `uses:` example passes only inputs that exist', () => {
    const steps = actionSteps(readme);
    expect(steps.length).toBeGreaterThan(2);
    const unknown = steps.flatMap((s) =>
      Object.keys(s.with)
        .filter((k) => !(k in action.inputs))
        .map((k) => `README block at line ${s.line}: ${k}`),
    );
    expect(unknown, 'inputs that action.yml does not have').toEqual([]);
  });

  it('points `uses:` at the major tag a release moves (v1 until the version reaches 1.0.0)', () => {
    const major = `v${Math.max(1, Number(pkg.version.split('.')[0]))}`;
    const refs = [...new Set(actionSteps(readme).map((s) => s.uses))];
    expect(refs).toEqual([`${ACTION_REF}${major}`]);
  });

  it('links the other documents', () => {
    for (const doc of ['SECURITY.md', 'CONTRIBUTING.md']) expect(readme).toContain(`](${doc})`);
  });
});

describe('SECURITY.md', () => {
  const security = read('SECURITY.md');
  // A reference: `test/….test.ts`, optionally followed by › _a test title_ (wrapped lines allowed).
  const flat = security.replace(/\s+/g, ' ');
  const refs = [...flat.matchAll(/`(test\/[^`]+\.test\.ts)`(?: › _([^_]+)_)?/g)].map((m) => ({
    file: m[1] as string,
    title: m[2],
  }));

  it('names tests', () => {
    expect(refs.length).toBeGreaterThan(20);
  });

  it('every test it names exists, with the title it quotes', () => {
    const missingFiles = [...new Set(refs.filter((r) => !exists(r.file)).map((r) => r.file))];
    expect(missingFiles, 'test files SECURITY.md names that do not exist').toEqual([]);
    const missingTitles = refs
      .filter((r) => r.title !== undefined && !read(r.file).replace(/\s+/g, ' ').includes(r.title))
      .map((r) => `${r.file} › ${r.title}`);
    expect(missingTitles, 'test titles SECURITY.md quotes that the file does not contain').toEqual([]);
  });

  it('every claim (a list item outside the advice sections) names a test', () => {
    const advice = new Set(['Recommendations', 'Supported versions', 'Reporting a vulnerability']);
    const unproven: string[] = [];
    for (const [heading, body] of sections(security)) {
      if (advice.has(heading)) continue;
      const items = body.split(/^- /m).slice(1);
      for (const item of items)
        if (!/`test\/[^`]+\.test\.ts`/.test(item)) unproven.push(`${heading}: ${item.slice(0, 60).trim()}…`);
    }
    expect(unproven, 'claims without a test').toEqual([]);
  });

  it('has the sections the policy needs', () => {
    const names = [...sections(security).keys()];
    for (const s of [
      'What it trusts, and how far',
      'What runs',
      'How secrets are hidden',
      'What leaves the cluster',
      'Reporting a vulnerability',
    ])
      expect(names).toContain(s);
  });

  it('the inputs it names exist, and allow-exec is off unless set', () => {
    const named = [...security.matchAll(/`([a-z]+(?:-[a-z]+)*)`/g)].map((m) => m[1] as string);
    for (const input of [
      'kubeconfig',
      'allow-exec',
      'github-token',
      'rules',
      'remote-write-url',
      'push-bearer-token',
    ])
      if (named.includes(input)) expect(Object.keys(action.inputs), `input ${input}`).toContain(input);
    expect(named).toContain('allow-exec');
    expect(String(action.inputs['allow-exec']?.default)).toBe('false');
  });
});

describe('LICENSE', () => {
  it('is the Apache License 2.0, as package.json says', () => {
    const license = read('LICENSE');
    expect(license.trimStart().split('\n')[0]?.trim()).toBe('Apache License');
    expect(license).toContain('Version 2.0, January 2004');
    expect(license).toContain('http://www.apache.org/licenses/');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(pkg.license).toBe('Apache-2.0');
  });
});

describe('CHANGELOG.md follows Keep a Changelog', () => {
  const changelog = read('CHANGELOG.md');
  const headings = changelog.split('\n').filter((l) => l.startsWith('## '));

  it('opens with its title and names the format', () => {
    expect(changelog.split('\n')[0]).toBe('# Changelog');
    expect(changelog).toContain('[Keep a Changelog](https://keepachangelog.com/');
    expect(changelog).toContain('[Semantic Versioning](https://semver.org/)');
  });

  it('starts with [Unreleased], then versions from newest to oldest, each at most once', () => {
    expect(headings[0]).toBe('## [Unreleased]');
    const bad = headings
      .slice(1)
      .filter((h) => !/^## \[\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\](?: - \d{4}-\d{2}-\d{2})?$/.test(h));
    expect(bad, 'headings that are not "## [X.Y.Z]" or "## [X.Y.Z] - YYYY-MM-DD"').toEqual([]);
    const versions = headings.slice(1).map((h) => (/\[([^\]]+)\]/.exec(h) as RegExpExecArray)[1] as string);
    const key = (v: string): number[] => v.split(/[.-]/).slice(0, 3).map(Number);
    const sorted = [...versions].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return y[0]! - x[0]! || y[1]! - x[1]! || y[2]! - x[2]!;
    });
    expect(versions).toEqual(sorted);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('uses only the Keep a Changelog kinds of change', () => {
    const kinds = changelog
      .split('\n')
      .filter((l) => l.startsWith('### '))
      .filter((l) => !/^### (Added|Changed|Deprecated|Removed|Fixed|Security)$/.test(l));
    expect(kinds, 'subsections that are not Added, Changed, Deprecated, Removed, Fixed or Security').toEqual(
      [],
    );
  });

  it('has a section for the version in package.json', () => {
    expect(
      headings.some((h) => h.startsWith(`## [${pkg.version}]`)),
      `## [${pkg.version}]`,
    ).toBe(true);
  });
});

describe('CONTRIBUTING.md', () => {
  const contributing = read('CONTRIBUTING.md');

  it('documents setup, tests, dist/, the changelog and releasing', () => {
    const names = [...sections(contributing).keys()];
    for (const s of ['Setup', 'Tests', '`dist/` is committed', 'The changelog', 'Releasing'])
      expect(names).toContain(s);
  });

  it('every `npm run` script it names exists', () => {
    const scripts = [...contributing.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(3);
    expect(
      scripts.filter((s) => !(s in pkg.scripts)),
      'scripts package.json lacks',
    ).toEqual([]);
  });

  it('every file it names exists', () => {
    const paths = [...contributing.matchAll(/`((?:\.github|\.ci|scripts|test|docs|src)\/[^`\s]+)`/g)].map(
      (m) => m[1] as string,
    );
    expect(paths.length).toBeGreaterThan(3);
    expect(
      paths.filter((p) => !exists(p.replace(/\/$/, ''))),
      'paths that do not exist',
    ).toEqual([]);
  });

  it('describes the release workflow it names', () => {
    const workflow = read('.github/workflows/release.yml');
    expect(contributing).toContain('.github/workflows/release.yml');
    for (const step of ['scripts/release.mjs --dry-run', 'npm run check-dist', '.ci/run', 'NPM_PUBLISH']) {
      expect(contributing, step).toContain(step);
      expect(workflow, step).toContain(step);
    }
  });
});
