/**
 * What a pull-request comment remembers about its run, so the next run can say what changed
 * without any state of its own: the failing objects, as short hashes, in a hidden line at the end
 * of our own comment. Only a comment we wrote (our marker on its first line, written by our
 * token's identity) is ever read back, and anything that does not decode exactly is ignored.
 */
import { createHash } from 'node:crypto';

const PREFIX = '<!-- flux-health:digest ';
const SUFFIX = ' -->';
/** More failing objects than this are not tracked; the comment says so. */
export const DIGEST_MAX_OBJECTS = 2000;

export interface Digest {
  v: 1;
  /** When the run judged the cluster (ISO 8601). */
  at: string;
  /** The commit the run was about, when known. */
  commit?: string;
  /** A hash per failing object; see objectHash. */
  failing: string[];
  /** True when there were more failing objects than DIGEST_MAX_OBJECTS. */
  capped?: boolean;
}

/** 48 bits of SHA-256 of `kind/namespace/name`: small, and collisions are out of reach. */
export function objectHash(o: { kind: string; namespace: string; name: string }): string {
  return createHash('sha256').update(`${o.kind}/${o.namespace}/${o.name}`).digest('hex').slice(0, 12);
}

/** The hidden line; base64 keeps it free of `--` and of anything Markdown would read. */
export function digestLine(d: Digest): string {
  return `${PREFIX}${Buffer.from(JSON.stringify(d)).toString('base64')}${SUFFIX}`;
}

/** The digest in a comment body we wrote, if it has a well-formed one. */
export function readDigest(body: string | undefined): Digest | undefined {
  if (!body) return undefined;
  const line = body
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.startsWith(PREFIX) && l.endsWith(SUFFIX));
  if (!line) return undefined;
  const encoded = line.slice(PREFIX.length, -SUFFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length > 64_000) return undefined;
  try {
    const d = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Partial<Digest>;
    if (
      d.v !== 1 ||
      typeof d.at !== 'string' ||
      !Array.isArray(d.failing) ||
      !d.failing.every((h) => typeof h === 'string' && /^[0-9a-f]{12}$/.test(h)) ||
      (d.commit !== undefined && typeof d.commit !== 'string')
    )
      return undefined;
    return {
      v: 1,
      at: d.at,
      failing: d.failing,
      ...(d.commit !== undefined ? { commit: d.commit } : {}),
      ...(d.capped ? { capped: true } : {}),
    };
  } catch {
    return undefined;
  }
}
