import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { acquireInventory } from '../../src/acquire.js';
import { startControlPlane, type ControlPlane } from '../envtest/control-plane.js';

// A second, bare control plane: a real API server without any Flux CRD.
describe('a cluster without Flux', () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane({ install: false });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('is a valid result: no kinds, no objects, and the cluster facts still collected', async () => {
    const { inventory } = await acquireInventory({
      source: { connect: { kubeconfigPath: cp.adminKubeconfigPath } },
    });
    expect(inventory.crds).toEqual([]);
    expect(inventory.kinds).toEqual([]);
    expect(inventory.objects).toEqual([]);
    expect(inventory.cluster.serverVersion).toBe(cp.versions.kubernetes);
    expect(inventory.cluster.nodes).toBe(0);
  });

  it('check says Flux is not installed and exits 0', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['check', '--kubeconfig', cp.adminKubeconfigPath], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      env: {},
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Flux is not installed');
  });
});
