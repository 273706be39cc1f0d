/**
 * Matching an observed Flux revision against the revision a pipeline waits for. Flux writes
 * revisions in several shapes over its versions and kinds:
 *
 * - Git: `main@sha1:<40 hex>`, `v1.2.3@sha1:…`, `refs/heads/main@sha1:…`, `sha1:<hex>` alone
 *   (a commit checkout), and the legacy `main/<sha>` of source v1beta2.
 * - OCI: `latest@sha256:<64 hex>`, `sha256:<hex>` alone, legacy `latest/<hex>`.
 * - Helm: a chart version `1.2.3`, `1.2.3@sha256:…` (OCI charts), `1.2.3+<12 hex>` (the first
 *   characters of the source digest, appended by source-controller for the `Revision` strategy and
 *   by helm-controller for OCIRepository chart refs), and `sha256:…` digests.
 *
 * The expected revision is what a pipeline knows: a commit SHA (full or short), an OCI digest, a
 * tag or chart version, or a full Flux revision. A digest matches when one hex string is a prefix
 * of the other (both at least 7 characters), so a short SHA matches a full one and a full digest
 * matches the 12 characters of Helm build metadata. A name (tag, branch, version) matches the
 * part before `@`, `+` or the legacy `/`.
 */

export interface Digest {
  /** `sha1`, `sha256`, ... or undefined when the shape does not say (bare hex, build metadata). */
  algorithm?: string;
  hex: string;
}

export interface ParsedRevision {
  /** Branch, tag or version, with `refs/heads/` and `refs/tags/` removed. */
  name?: string;
  digest?: Digest;
}

const HEX = /^[0-9a-f]+$/;
const ALGO_DIGEST = /^([a-z0-9]+):([0-9a-f]+)$/;
/** Shortest hex accepted as an abbreviated SHA or digest, as git's default abbreviation. */
export const MIN_HEX = 7;

function normalizeName(name: string): string {
  return name.replace(/^refs\/(heads|tags)\//, '');
}

function algorithmForLength(length: number): string | undefined {
  if (length === 40) return 'sha1';
  if (length === 64) return 'sha256';
  return undefined;
}

function parseDigest(text: string): Digest | undefined {
  const m = ALGO_DIGEST.exec(text);
  if (m) return { algorithm: m[1] as string, hex: m[2] as string };
  return undefined;
}

/** Splits an observed or expected revision into its name and digest parts. */
export function parseRevision(raw: string): ParsedRevision {
  const text = raw.trim();
  const lower = text.toLowerCase();
  const at = text.lastIndexOf('@');
  if (at > 0) {
    const digest = parseDigest(text.slice(at + 1).toLowerCase());
    if (digest) return { name: normalizeName(text.slice(0, at)), digest };
  }
  const alone = parseDigest(lower);
  if (alone) return { digest: alone };
  if (HEX.test(lower) && lower.length >= MIN_HEX) {
    const algorithm = algorithmForLength(lower.length);
    return algorithm ? { digest: { algorithm, hex: lower } } : { digest: { hex: lower } };
  }
  // Legacy `<branch>/<sha>` (Git) and `<tag>/<digest hex>` (OCI) of the v1beta2 APIs.
  const slash = text.lastIndexOf('/');
  if (slash > 0) {
    const tail = text.slice(slash + 1).toLowerCase();
    const algorithm = algorithmForLength(tail.length);
    if (algorithm && HEX.test(tail)) {
      return { name: normalizeName(text.slice(0, slash)), digest: { algorithm, hex: tail } };
    }
  }
  // Helm: `1.2.3+<hex>` carries the start of the source digest as SemVer build metadata.
  const plus = text.indexOf('+');
  if (plus > 0) {
    const meta = text.slice(plus + 1).toLowerCase();
    if (HEX.test(meta) && meta.length >= MIN_HEX) return { name: text.slice(0, plus), digest: { hex: meta } };
    return { name: text.slice(0, plus) };
  }
  return { name: normalizeName(text) };
}

/** Whether two digests name the same content: same algorithm when both say, hex prefix-compatible. */
export function sameDigest(a: Digest, b: Digest): boolean {
  if (a.algorithm !== undefined && b.algorithm !== undefined && a.algorithm !== b.algorithm) return false;
  const [short, long] = a.hex.length <= b.hex.length ? [a.hex, b.hex] : [b.hex, a.hex];
  return short.length >= MIN_HEX && long.startsWith(short);
}

/** True when the revision Flux reports is the expected one. Undefined or empty never matches. */
export function matchesRevision(observed: string | undefined, expected: string): boolean {
  if (observed === undefined || observed.trim() === '' || expected.trim() === '') return false;
  if (observed.trim() === expected.trim()) return true;
  const o = parseRevision(observed);
  const e = parseRevision(expected);
  if (e.digest) {
    const digestMatches = o.digest !== undefined && sameDigest(o.digest, e.digest);
    // A bare hex string could also be a tag made of hex digits; accept that name too.
    if (!digestMatches) return e.name === undefined && o.name !== undefined && o.name === expected.trim();
    // `sha1:<hex>` alone (a commit checkout) has no name to compare.
    return e.name === undefined || o.name === undefined || o.name === e.name;
  }
  return e.name !== undefined && o.name === e.name;
}

/**
 * True when an object's revision names the same artifact as its source's revision: equal, or
 * sharing a digest (a HelmRelease's `1.2.3+<12 hex>` against its OCIRepository's `tag@sha256:…`).
 */
export function sameArtifact(
  objectRevision: string | undefined,
  sourceRevision: string | undefined,
): boolean {
  if (!objectRevision || !sourceRevision) return false;
  if (objectRevision === sourceRevision) return true;
  const o = parseRevision(objectRevision);
  const s = parseRevision(sourceRevision);
  return o.digest !== undefined && s.digest !== undefined && sameDigest(o.digest, s.digest);
}
