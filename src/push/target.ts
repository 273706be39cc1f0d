/**
 * Where a push goes, checked before the run starts: an http(s) URL, its credentials taken out of
 * it (`https://user:password@host/…` becomes basic auth; fetch refuses URLs that carry them), and
 * the name every message uses, with credentials redacted. A URL that cannot be one is bad input.
 */
import { REDACTED, redactUrl } from '../cluster/redact.js';
import { ConfigError } from '../errors.js';

export interface PushTarget {
  /** The URL to send to, without userinfo. */
  url: URL;
  /** The URL as messages show it: no userinfo, secret query values REDACTED. */
  display: string;
  /** The Authorization header, when the URL or a token gives one. */
  authorization?: string;
  /** Every credential in plain text, for the action to mask. */
  secrets: string[];
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * A push URL given as `what` (the flag or input, for the error). Userinfo becomes basic auth;
 * else a non-empty `bearerToken` is sent as `Authorization: Bearer`.
 */
export function parsePushTarget(raw: string, what: string, bearerToken = ''): PushTarget {
  // A value that is not a clean http(s) URL is never quoted whole: a typo can hide a password.
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${what}: not a URL; give an http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(
      `${what}: not an http:// or https:// URL (give one like https://host.example:9091)`,
    );
  if (url.hash !== '') {
    url.username = '';
    url.password = '';
    throw new ConfigError(`${what}: ${redactUrl(url.toString())} has a #fragment, which is never sent`);
  }

  const secrets: string[] = [];
  let authorization: string | undefined;
  if (url.username !== '' || url.password !== '') {
    const password = decoded(url.password);
    secrets.push(...new Set([url.password, password].filter((s) => s !== '')));
    authorization = `Basic ${Buffer.from(`${decoded(url.username)}:${password}`, 'utf8').toString('base64')}`;
    url.username = '';
    url.password = '';
  } else if (bearerToken.trim() !== '') {
    secrets.push(bearerToken.trim());
    authorization = `Bearer ${bearerToken.trim()}`;
  }
  if (authorization) secrets.push(authorization.slice(authorization.indexOf(' ') + 1));
  const display = redactUrl(url.toString());
  // Query values that carry a credential (`?token=…`) are sent as given, and masked like the rest.
  const shown = new URL(display).searchParams;
  for (const [name, value] of url.searchParams)
    if (value !== '' && shown.get(name) === REDACTED && value !== REDACTED) secrets.push(value);
  return {
    url,
    display,
    ...(authorization ? { authorization } : {}),
    secrets: [...new Set(secrets)],
  };
}
