/**
 * Go regexp (RE2) patterns as used by the template functions `match` and `reReplaceAll`: unanchored, `.`
 * not matching a newline unless `(?s)`. Covers leading flag groups and `(?P<name>…)`; constructs JavaScript
 * lacks raise an error, as an invalid pattern does in Go.
 */

export class GoRegexpError extends Error {}

/** Compiles a Go regexp pattern to a global JavaScript RegExp. */
export function compileGoRegexp(pattern: string): RegExp {
  let src = pattern;
  let flags = 'g';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1] as string) {
      if (f === 'U')
        throw new GoRegexpError(`error parsing regexp: ungreedy flag (?U) is not supported: \`${pattern}\``);
      if (!flags.includes(f)) flags += f;
    }
    src = src.slice(lead[0].length);
  }
  if (/\(\?[=!<][^P]|\\[1-9]/.test(src)) {
    throw new GoRegexpError(`error parsing regexp: invalid or unsupported Perl syntax: \`${pattern}\``);
  }
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\\A/g, '^(?<![\\s\\S])');
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new GoRegexpError(`error parsing regexp: ${(e as Error).message}: \`${pattern}\``);
  }
}

/**
 * Regexp.ReplaceAllString: `$1`, `${1}`, `$name`, `${name}` expand to groups (a name is the longest run of
 * letters, digits and `_`, so `$1x` means the group named `1x`, which is empty); `$$` is a literal `$`.
 */
export function goReplaceAll(re: RegExp, text: string, repl: string): string {
  return text.replace(re, (...m: unknown[]) => {
    const hasGroups = typeof m[m.length - 1] === 'object' && m[m.length - 1] !== null;
    const groups = (hasGroups ? m[m.length - 1] : undefined) as
      Record<string, string | undefined> | undefined;
    const numbered = m.slice(0, hasGroups ? -3 : -2) as Array<string | undefined>;
    return expandTemplate(repl, numbered, groups);
  });
}

function expandTemplate(
  repl: string,
  numbered: Array<string | undefined>,
  named: Record<string, string | undefined> | undefined,
): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    if (repl[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    if (repl[i + 1] === '{') {
      const end = repl.indexOf('}', i + 2);
      const inner = end < 0 ? '' : repl.slice(i + 2, end);
      if (end >= 0 && /^\w+$/.test(inner)) {
        name = inner;
        i = end;
      }
    } else {
      const m = /^\w+/.exec(repl.slice(i + 1));
      if (m) {
        name = m[0];
        i += m[0].length;
      }
    }
    if (name === undefined) {
      // Go copies a malformed `$` reference literally.
      out += '$';
      continue;
    }
    if (/^\d+$/.test(name)) out += numbered[Number(name)] ?? '';
    else out += named?.[name] ?? '';
  }
  return out;
}
