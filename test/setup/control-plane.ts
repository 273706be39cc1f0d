// Vitest globalSetup of the integration project: one real control plane (etcd + kube-apiserver
// with the Flux CRDs) for the whole run. It never builds anything: when the binaries or CRDs are
// missing it fails and names scripts/setup/envtest.sh, which `npm test` runs first.
import type { TestProject } from 'vitest/node';
import { startControlPlane } from '../envtest/control-plane.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Kubeconfig path of CN=flux-health-admin, O=system:masters. */
    kubeconfigAdmin: string;
    /** Kubeconfig path of CN=flux-health-limited, O=flux-health:limited: reads everything Flux except HelmReleases. */
    kubeconfigLimited: string;
    /** https://127.0.0.1:<port> */
    server: string;
    /** Directory of the client CA (ca.crt, ca.key): test/support/cluster.ts mints more identities from it. */
    clientCaDir: string;
    /** PEM of the CA that signed the API server's serving certificate. */
    servingCaPem: string;
    /** Versions the control plane was started with. */
    controlPlaneVersions: { kubernetes: string; etcd: string; flux: string; operator: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (message: string): void => console.log(`[control-plane] ${message}`);
  const cp = await startControlPlane({ log });
  const { kubernetes, etcd, flux, operator } = cp.versions;
  log(
    `Kubernetes ${kubernetes}, etcd ${etcd}, Flux CRDs ${flux}, flux-operator CRDs ${operator}; ` +
      `ready in ${cp.timings.readyMs} ms, installed in ${cp.timings.installedMs} ms`,
  );
  project.provide('kubeconfigAdmin', cp.adminKubeconfigPath);
  project.provide('kubeconfigLimited', cp.limitedKubeconfigPath);
  project.provide('server', cp.server);
  project.provide('clientCaDir', cp.clientCaDir);
  project.provide('servingCaPem', cp.servingCaPem);
  project.provide('controlPlaneVersions', cp.versions);
  return async () => {
    await cp.stop();
  };
}
