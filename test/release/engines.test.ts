/**
 * Every package the lockfile installs must accept the oldest Node that package.json's `engines`
 * promises, or `npm ci` warns (EBADENGINE) on a Node the project says it supports. content-type 3
 * (under @octokit/request) asks for Node 22; package.json's `overrides` pins 2.1.0 (Node 18), whose
 * `parse` gives @octokit/request the same type and charset (CONTRIBUTING.md, "Dependencies").
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const semver = require('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
  overrides?: Record<string, string>;
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('engines', () => {
  const oldest = semver.minVersion(pkg.engines.node)?.version ?? '';

  it('package.json names an oldest Node version', () => {
    expect(oldest).toBe('20.19.0');
  });

  it('every locked package accepts the oldest supported Node', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, p]) => {
        const range = Array.isArray(p.engines) ? undefined : p.engines?.node;
        return range && !semver.satisfies(oldest, range) ? [`${path}@${p.version}: node ${range}`] : [];
      });
    expect(refusing, `packages whose engines refuse Node ${oldest}`).toEqual([]);
  });

  // What @octokit/request reads of a response's Content-Type (dist-src/fetch-wrapper.js): the type,
  // to pick JSON, text or bytes, and the charset. 3.1.1 gave the same on 200,000 random headers.
  it.each([
    ['application/json; charset=utf-8', 'application/json', 'utf-8'],
    ['Application/JSON', 'application/json', undefined],
    ['application/scim+json', 'application/scim+json', undefined],
    ['text/plain;charset=UTF-8', 'text/plain', 'UTF-8'],
    ['text/html; charset="utf-8"', 'text/html', 'utf-8'],
    ['application/octet-stream; charset=utf-8', 'application/octet-stream', 'utf-8'],
    ['application/vnd.github+json ; Charset = utf-8', 'application/vnd.github+json', 'utf-8'],
    ['application/zip', 'application/zip', undefined],
  ])('content-type, as @octokit/request loads it, parses %j', (header, type, charset) => {
    const fromOctokit = createRequire(new URL('node_modules/@octokit/request/package.json', root));
    const { parse } = fromOctokit('content-type') as {
      parse(h: string): { type: string; parameters: Record<string, string> };
    };
    const parsed = parse(header);
    expect([parsed.type, parsed.parameters['charset']]).toEqual([type, charset]);
  });

  it('content-type is the overridden 2.1.0, the only one installed', () => {
    expect(pkg.overrides?.['content-type']).toBe('2.1.0');
    const copies = Object.entries(lock.packages).filter(([path]) =>
      /(^|\/)node_modules\/content-type$/.test(path),
    );
    expect(copies.map(([, p]) => p.version)).toEqual(['2.1.0']);
  });
});
