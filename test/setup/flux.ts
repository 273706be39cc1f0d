// Vitest globalSetup of the `flux` project: a control plane of its own (the integration project's
// tests write Flux status by hand, which real controllers would overwrite), the real Flux
// controllers and Flux Operator running against it, and a loopback Git server. Nothing is built
// here: missing binaries fail with the setup script to run. Everything is stopped at the end.
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { startControlPlane } from '../envtest/control-plane.js';
import { startFlux, type ComponentName } from '../envtest/flux.js';
import { startGitServer } from '../envtest/git-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin kubeconfig of the control plane the real controllers run against. */
    fluxKubeconfigAdmin: string;
    /** Directory the control plane keeps its files in (identities are minted there). */
    fluxClientCaDir: string;
    fluxServingCaPem: string;
    fluxServer: string;
    /** Root of the Git server's bare repositories, and the URL that serves them. */
    fluxGitRoot: string;
    fluxGitUrl: string;
    /** Version of every component started. */
    fluxVersions: Record<ComponentName | 'kubernetes' | 'etcd' | 'git', string>;
    /** Metrics endpoint of every component. */
    fluxMetricsUrls: Record<ComponentName, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (message: string): void => console.log(`[flux] ${message}`);
  const cp = await startControlPlane({ log: (m) => log(`control plane: ${m}`) });
  let flux: Awaited<ReturnType<typeof startFlux>> | undefined;
  let git: Awaited<ReturnType<typeof startGitServer>> | undefined;
  try {
    git = await startGitServer();
    flux = await startFlux(cp, { log });
  } catch (err) {
    await flux?.stop();
    await git?.stop();
    await cp.stop();
    throw err;
  }
  const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' })
    .trim()
    .replace(/^git version /, '');
  const versions = {
    kubernetes: cp.versions.kubernetes,
    etcd: cp.versions.etcd,
    ...flux.versions,
    git: gitVersion,
  };
  log(
    `versions: ${Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; Git server ${git.url}`,
  );
  project.provide('fluxKubeconfigAdmin', cp.adminKubeconfigPath);
  project.provide('fluxClientCaDir', cp.clientCaDir);
  project.provide('fluxServingCaPem', cp.servingCaPem);
  project.provide('fluxServer', cp.server);
  project.provide('fluxGitRoot', git.root);
  project.provide('fluxGitUrl', git.url);
  project.provide('fluxVersions', versions);
  project.provide(
    'fluxMetricsUrls',
    Object.fromEntries(flux.components.map((c) => [c.name, c.metricsUrl])) as Record<ComponentName, string>,
  );
  const running = { flux, git };
  return async () => {
    await running.flux.stop();
    await running.git.stop();
    await cp.stop();
  };
}
