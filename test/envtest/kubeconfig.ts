// Kubeconfig files for identities of the test control plane: everything embedded as *-data, so a
// file is self-contained and can be handed to any client (client-node, the CLI under test).
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  /** Used for the cluster, user and context names. */
  name: string;
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

export function kubeconfigYaml(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: input.name, cluster: { server: input.server, 'certificate-authority-data': b64(input.caPem) } },
    ],
    users: [
      {
        name: input.name,
        user: { 'client-certificate-data': b64(input.certPem), 'client-key-data': b64(input.keyPem) },
      },
    ],
    contexts: [{ name: input.name, context: { cluster: input.name, user: input.name } }],
    'current-context': input.name,
    preferences: {},
  });
}

/** Writes the kubeconfig readable by the owner only: it holds a private key. */
export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<string> {
  await writeFile(path, kubeconfigYaml(input), { mode: 0o600 });
  return path;
}
