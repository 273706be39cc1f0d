/**
 * Glob expansion for rule file arguments (`rules/*.yml`, `deploy/**\/prometheusrule-*.yaml`,
 * `rules/{flux,apps}.yml`). Node 20 has no fs.glob, and rule paths need only `*`, `**`, `?`, `[…]` and
 * `{a,b}`; matches are returned sorted, like Prometheus's filepath.Glob, and hidden entries are skipped
 * unless the pattern names them.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAGIC = /[*?[{]/;

/** Expands `{a,b}` alternatives (nested allowed) into plain patterns. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const body = pattern.slice(open + 1, i);
        const parts: string[] = [];
        let d = 0;
        let start = 0;
        for (let j = 0; j < body.length; j++) {
          if (body[j] === '{') d++;
          else if (body[j] === '}') d--;
          else if (body[j] === ',' && d === 0) {
            parts.push(body.slice(start, j));
            start = j + 1;
          }
        }
        parts.push(body.slice(start));
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        return parts.flatMap((p) => expandBraces(head + p + tail));
      }
    }
  }
  return [pattern];
}

/** Compiles one path segment (no `/`) to an anchored RegExp. */
function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let cls = seg.slice(i + 1, end);
        if (cls.startsWith('!') || cls.startsWith('^')) cls = '^' + cls.slice(1);
        re += '[' + cls.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (c === '\\' && i + 1 < seg.length) re += '\\' + seg[++i];
    else re += c.replace(/[.+^$()|{}\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function listDir(p: string): string[] {
  try {
    return readdirSync(p).sort();
  } catch {
    return [];
  }
}

function walk(base: string, segs: string[], out: Set<string>): void {
  if (segs.length === 0) {
    if (exists(base)) out.add(base);
    return;
  }
  const [seg, ...rest] = segs as [string, ...string[]];
  if (seg === '**') {
    // Zero directories, then every directory below.
    walk(base, rest, out);
    for (const name of listDir(base || '.')) {
      if (name.startsWith('.')) continue;
      const child = base ? join(base, name) : name;
      if (isDir(child)) walk(child, segs, out);
    }
    return;
  }
  if (!MAGIC.test(seg)) {
    walk(base === '' ? seg : join(base, seg), rest, out);
    return;
  }
  const re = segmentRegExp(seg);
  for (const name of listDir(base || '.')) {
    if (name.startsWith('.') && !seg.startsWith('.')) continue;
    if (!re.test(name)) continue;
    const child = base ? join(base, name) : name;
    if (rest.length > 0 && !isDir(child)) continue;
    walk(child, rest, out);
  }
}

/** Files (and directories) matching one pattern, sorted; a pattern without magic is returned if it exists. */
export function globPaths(pattern: string): string[] {
  const out = new Set<string>();
  for (const p of expandBraces(pattern)) {
    const absolute = p.startsWith('/');
    const segs = p.split('/').filter((s, i) => s !== '' || i === 0);
    if (absolute) walk('/', segs.slice(1), out);
    else walk('', segs, out);
  }
  return [...out].sort();
}

/** Whether one name (no `/`: an artifact's, a file's) matches a pattern of `*`, `?`, `[…]` and `{a,b}`. */
export function matchesName(pattern: string, name: string): boolean {
  return expandBraces(pattern).some((p) => segmentRegExp(p).test(name));
}

/** True when the argument contains glob syntax (so "no match" is not "file missing"). */
export function hasGlobMagic(pattern: string): boolean {
  return MAGIC.test(pattern);
}
