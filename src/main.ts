/**
 * The action's entry: inputs → the same pipeline as the CLI → publish → gate.
 */
import * as core from '@actions/core';
import { acquireInventory } from './acquire.js';
import { credentialsOf } from './cluster/connect.js';
import { describeFailure, EXIT_OK } from './errors.js';
import { renderInventoryTable } from './render/inventory-table.js';

export async function runAction(): Promise<number> {
  try {
    const snapshot = core.getInput('snapshot');
    const kubeconfig = core.getInput('kubeconfig');
    if (kubeconfig) core.setSecret(kubeconfig);
    const context = core.getInput('context');
    const namespace = core.getInput('namespace') || 'flux-system';
    const acquired = await core.group('Collect', () =>
      acquireInventory({
        source: snapshot
          ? { snapshot }
          : { connect: { ...(kubeconfig ? { kubeconfigContent: kubeconfig } : {}), ...(context ? { context } : {}) } },
        namespace,
        onProgress: (line) => core.info(line),
        onConnected: (conn) => credentialsOf(conn.kc).forEach((c) => core.setSecret(c)),
      }),
    );
    core.info(renderInventoryTable(acquired.inventory));
    return EXIT_OK;
  } catch (err) {
    const { exitCode, message } = describeFailure(err);
    core.setFailed(message);
    return exitCode;
  }
}
