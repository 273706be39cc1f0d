/**
 * The promtool every test runs: Prometheus 3's, built from the Go module pinned as PROMETHEUS_MODULE in
 * test/envtest/versions.env by scripts/setup/promtool3.sh into the cache. Our evaluator follows
 * Prometheus 3, so a promtool found on PATH (Debian ships 2.42) would be the wrong oracle; it is never
 * used by accident. `PROMTOOL=/path/to/promtool` overrides the choice (another build, another release).
 *
 * Nothing here builds or skips: a missing binary is an error naming the script to run, so a test that
 * needs the oracle fails, locally and with CI=true alike, instead of passing without it.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheDir } from '../envtest/assets.js';

const VERSIONS_ENV = new URL('../envtest/versions.env', import.meta.url);

export const PROMTOOL_SETUP_HINT =
  'run `bash scripts/setup/promtool3.sh` (builds it from the Go module proxy)';

/** The pinned module version, e.g. `v0.316.0`. */
export function prometheusModuleVersion(): string {
  const m = /^PROMETHEUS_MODULE=(v\d+\.\d+\.\d+)\s*$/m.exec(readFileSync(VERSIONS_ENV, 'utf8'));
  if (!m) throw new Error('test/envtest/versions.env has no PROMETHEUS_MODULE=vX.Y.Z line');
  return m[1] as string;
}

/**
 * The Prometheus release of a module version: Prometheus 3 tags its Go module v0.3MM.P for 3.MM.P
 * (the module path has no /v3, so the major version moved into the minor).
 */
export function prometheusRelease(moduleVersion: string): string {
  const m = /^v0\.(\d)(\d\d)\.(\d+)$/.exec(moduleVersion);
  if (!m) throw new Error(`${moduleVersion} is not a Prometheus 3 module version (v0.3MM.P)`);
  return `${m[1] as string}.${Number(m[2])}.${m[3] as string}`;
}

/** The release the pinned binary must report in `promtool --version`, e.g. `3.16.0`. */
export const PROMTOOL_RELEASE = prometheusRelease(prometheusModuleVersion());

/** True when PROMTOOL names another binary: then the release check is the caller's business. */
export const PROMTOOL_OVERRIDDEN = (process.env.PROMTOOL ?? '') !== '';

let resolved: string | undefined;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A bare command name in PROMTOOL is looked up on PATH, as a shell would. */
function onPath(name: string): string {
  if (name.includes('/')) return name;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.map((d) => join(d, name)).find(executable) ?? name;
}

/** Path of the promtool to run; throws (never skips) when it is missing. */
export function promtoolPath(): string {
  if (resolved !== undefined) return resolved;
  const path = PROMTOOL_OVERRIDDEN
    ? onPath(process.env.PROMTOOL as string)
    : join(cacheDir(), 'bin', `promtool-${prometheusModuleVersion()}`);
  if (!executable(path)) {
    throw new Error(
      PROMTOOL_OVERRIDDEN
        ? `PROMTOOL=${path} is not an executable file`
        : `promtool ${PROMTOOL_RELEASE} is missing (${path}): ${PROMTOOL_SETUP_HINT}`,
    );
  }
  resolved = path;
  return path;
}
