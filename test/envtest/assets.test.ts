import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDir, loadAssets } from './assets.js';

let cache: string;
beforeEach(async () => {
  cache = await mkdtemp(join(tmpdir(), 'flux-health-assets-'));
});
afterEach(async () => {
  await rm(cache, { recursive: true, force: true });
});

async function fakeCache(): Promise<Record<string, string>> {
  const bin = join(cache, 'bin');
  await mkdir(bin);
  for (const crds of ['flux', 'operator']) await mkdir(join(cache, crds));
  const stamp = {
    kubernetes: 'v1.33.13',
    etcd: 'v3.5.21',
    flux: 'v2.7.5',
    operator: 'v0.58.1',
    kubeApiserver: join(bin, 'kube-apiserver'),
    etcdBin: join(bin, 'etcd'),
    fluxCrds: join(cache, 'flux'),
    operatorCrds: join(cache, 'operator'),
  };
  for (const b of [stamp.kubeApiserver, stamp.etcdBin]) {
    await writeFile(b, '#!/bin/sh\n');
    await chmod(b, 0o755);
  }
  await writeFile(join(stamp.fluxCrds, 'a.yaml'), 'kind: CustomResourceDefinition\n');
  await writeFile(join(stamp.operatorCrds, 'b.yaml'), 'kind: CustomResourceDefinition\n');
  await writeFile(join(cache, 'envtest.json'), JSON.stringify(stamp));
  return stamp;
}

describe('loadAssets', () => {
  it('names the setup script when nothing was built', async () => {
    await expect(loadAssets(cache)).rejects.toThrow(/envtest\.json not found.*scripts\/setup\/envtest\.sh/);
  });

  it('returns what the stamp records when everything is present', async () => {
    const stamp = await fakeCache();
    await expect(loadAssets(cache)).resolves.toEqual(stamp);
  });

  it('fails when a binary is missing even though the stamp exists', async () => {
    const stamp = await fakeCache();
    await rm(stamp.kubeApiserver ?? '');
    await expect(loadAssets(cache)).rejects.toThrow(/kube-apiserver is missing.*scripts\/setup\/envtest\.sh/);
  });

  it('fails when a CRD directory is empty', async () => {
    const stamp = await fakeCache();
    await rm(join(stamp.operatorCrds ?? '', 'b.yaml'));
    await expect(loadAssets(cache)).rejects.toThrow(/no CRDs in .*operator/);
  });
});

describe('cacheDir', () => {
  it('honours FLUX_HEALTH_CACHE', () => {
    expect(cacheDir({ FLUX_HEALTH_CACHE: '/x/y' })).toBe('/x/y');
    expect(cacheDir({})).toMatch(/\.cache\/flux-health$/);
  });
});
