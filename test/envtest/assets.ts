// Locates what scripts/setup/envtest.sh built: it writes <cache>/envtest.json last, so a
// complete file means binaries and CRDs are in place. Nothing here builds; a missing piece is
// an error that names the script to run.
import { access, constants, readFile, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface EnvtestAssets {
  kubernetes: string;
  etcd: string;
  flux: string;
  operator: string;
  kubeApiserver: string;
  etcdBin: string;
  fluxCrds: string;
  operatorCrds: string;
}

export const SETUP_HINT =
  'run `scripts/setup/envtest.sh` (builds etcd, kube-apiserver and the Flux CRDs into the cache)';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLUX_HEALTH_CACHE ?? join(homedir(), '.cache', 'flux-health');
}

const KEYS: readonly (keyof EnvtestAssets)[] = [
  'kubernetes',
  'etcd',
  'flux',
  'operator',
  'kubeApiserver',
  'etcdBin',
  'fluxCrds',
  'operatorCrds',
];

export async function loadAssets(cache: string = cacheDir()): Promise<EnvtestAssets> {
  const stampPath = join(cache, 'envtest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(stampPath, 'utf8'));
  } catch {
    throw new Error(`test control plane assets are missing (${stampPath} not found): ${SETUP_HINT}`);
  }
  const record = raw as Record<string, unknown>;
  const assets = {} as Record<keyof EnvtestAssets, string>;
  for (const key of KEYS) {
    const value = record[key];
    if (typeof value !== 'string' || value === '') {
      throw new Error(`${stampPath} has no ${key}: ${SETUP_HINT}`);
    }
    assets[key] = value;
  }
  for (const bin of [assets.kubeApiserver, assets.etcdBin]) {
    try {
      await access(bin, constants.X_OK);
    } catch {
      throw new Error(`${bin} is missing or not executable: ${SETUP_HINT}`);
    }
  }
  for (const dir of [assets.fluxCrds, assets.operatorCrds]) {
    const files = await readdir(dir).catch(() => [] as string[]);
    if (!files.some((f) => f.endsWith('.yaml'))) throw new Error(`no CRDs in ${dir}: ${SETUP_HINT}`);
  }
  return assets;
}
