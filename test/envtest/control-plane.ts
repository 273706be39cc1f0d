// A real Kubernetes control plane on loopback for integration tests: etcd + kube-apiserver
// started the way controller-runtime's envtest starts them (same flags, same certificate layout),
// from binaries built by scripts/setup/envtest.sh, with the Flux CRDs and test RBAC installed.
// No kube-controller-manager: tests write status through /status themselves.
import { generateKeyPair } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { cacheDir, loadAssets, type EnvtestAssets } from './assets.js';
import { createCa, issueCert, type CertificateAuthority, type KeyPair } from './certs.js';
import { tlsRequest } from './http.js';
import { installCrds, installLimitedRbac, LIMITED_GROUP, readCrds } from './install.js';
import { writeKubeconfig } from './kubeconfig.js';
import { startProcess, type ManagedProcess } from './process.js';

export const ADMIN_USER = 'flux-health-admin';
export const LIMITED_USER = 'flux-health-limited';

export interface ControlPlaneVersions {
  kubernetes: string;
  etcd: string;
  flux: string;
  operator: string;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  server: string;
  /** Client cert CN=flux-health-admin, O=system:masters. */
  adminKubeconfigPath: string;
  /** Client cert CN=flux-health-limited, O=flux-health:limited (see install.ts for its rules). */
  limitedKubeconfigPath: string;
  /** Temporary directory holding certificates, kubeconfigs, etcd data and process logs. */
  dir: string;
  /** Where the client CA (ca.crt, ca.key) lives, for minting identities from other processes (see loadCa). */
  clientCaDir: string;
  /** PEM of the CA that signed the serving certificate. */
  servingCaPem: string;
  versions: ControlPlaneVersions;
  /** Milliseconds from start until the API server answered /readyz, and until everything was installed. */
  timings: { readyMs: number; installedMs: number };
  /** PIDs of the two servers (for diagnostics such as RSS). */
  pids: { etcd: number; kubeApiserver: number };
  /** Issues a client certificate for `user` in `groups` and writes a kubeconfig for it; returns its path. */
  mintKubeconfig(user: string, groups: readonly string[]): Promise<string>;
  /** Stops both servers and removes `dir`. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Cache that scripts/setup/envtest.sh filled; defaults to $FLUX_HEALTH_CACHE or ~/.cache/flux-health. */
  cache?: string;
  /** Budget for /readyz after start (default 90 s). */
  startTimeoutMs?: number;
  /** Install the Flux and flux-operator CRDs and the limited identity's RBAC (default true). */
  install?: boolean;
  /** Progress messages; default silent. */
  log?: (message: string) => void;
}

/**
 * Issues a client certificate (CN=user, O=groups) from `clientCa` and writes a kubeconfig for it
 * to `path`. `certName` names the certificate files in the CA's directory and must be unique.
 */
export async function mintIdentity(
  clientCa: CertificateAuthority,
  servingCaPem: string,
  server: string,
  user: string,
  groups: readonly string[],
  path: string,
  certName: string,
): Promise<{ cert: KeyPair }> {
  const cert = await issueCert(clientCa, certName, {
    commonName: user,
    organizations: groups,
    usage: 'clientAuth',
  });
  await writeKubeconfig(path, {
    name: user,
    server,
    caPem: servingCaPem,
    certPem: cert.certPem,
    keyPem: cert.keyPem,
  });
  return { cert };
}

export async function freePorts(count: number): Promise<number[]> {
  // All listeners stay open until every port is known, so the ports are distinct.
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    }),
  );
  const ports = servers.map((s) => {
    const addr = s.address();
    if (addr === null || typeof addr === 'string') throw new Error('unexpected listener address');
    return addr.port;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function failure(what: string, proc: ManagedProcess, extra = ''): Error {
  return new Error(
    `${what}${extra ? `: ${extra}` : ''}\n--- last lines of ${proc.name} (${proc.logPath}) ---\n${proc.tail()}`,
  );
}

async function waitForEtcd(etcd: ManagedProcess, clientUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (etcd.exited()) throw failure(`etcd ${etcd.exited() ?? ''} before becoming healthy`, etcd);
    try {
      const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err: unknown) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(100);
  }
  throw failure(`etcd not healthy after ${timeoutMs} ms`, etcd, last);
}

async function waitForApiserver(
  apiserver: ManagedProcess,
  etcd: ManagedProcess,
  server: string,
  creds: { ca: string; cert: string; key: string },
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (apiserver.exited())
      throw failure(`kube-apiserver ${apiserver.exited() ?? ''} before becoming ready`, apiserver);
    if (etcd.exited()) throw failure(`etcd ${etcd.exited() ?? ''} while kube-apiserver was starting`, etcd);
    try {
      // As admin (mTLS): stricter than envtest's anonymous /healthz, and proves client auth works.
      const res = await tlsRequest(server, '/readyz', creds, { timeoutMs: 5_000 });
      if (res.status === 200) return;
      last = `HTTP ${res.status}: ${res.body.slice(0, 500)}`;
    } catch (err: unknown) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw failure(`kube-apiserver not ready after ${timeoutMs} ms (last /readyz: ${last})`, apiserver);
}

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const assets = await loadAssets(opts.cache ?? cacheDir());
  // Free ports are found by binding and releasing them; another process can take one in between
  // (several test runs share the machine), so one retry with fresh ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(assets, opts);
    } catch (err: unknown) {
      if (attempt >= 2 || !(err instanceof Error) || !/address already in use/.test(err.message)) throw err;
      opts.log?.('a port was taken while starting; retrying with fresh ports');
    }
  }
}

async function startOnce(assets: EnvtestAssets, opts: ControlPlaneOptions): Promise<ControlPlane> {
  const log = opts.log ?? ((): void => undefined);
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'flux-health-cp-'));
  const processes: ManagedProcess[] = [];
  let stopped = false;
  // If the test process ends without stop(), the servers are killed by process.ts; this removes the files.
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // kube-apiserver first: it would otherwise spend its shutdown retrying a vanished etcd.
    for (const p of [...processes].reverse()) await p.stop();
    process.removeListener('exit', removeDir);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const [etcdClientPort, etcdPeerPort, securePort] = (await freePorts(3)) as [number, number, number];
    const server = `https://127.0.0.1:${securePort}`;

    const pki = join(dir, 'pki');
    const [servingCa, clientCa] = await Promise.all([
      createCa(join(pki, 'serving'), 'ca', 'flux-health-serving-ca'),
      createCa(join(pki, 'client'), 'ca', 'flux-health-client-ca'),
    ]);
    const [servingCert, saKeys] = await Promise.all([
      issueCert(servingCa, 'apiserver', {
        commonName: 'localhost',
        usage: 'serverAuth',
        altNames: ['DNS:localhost', 'IP:127.0.0.1'],
      }),
      promisify(generateKeyPair)('ec', {
        namedCurve: 'prime256v1',
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      }),
    ]);
    const saPub = join(pki, 'sa.pub');
    const saKey = join(pki, 'sa.key');
    await Promise.all([
      writeFile(saPub, saKeys.publicKey),
      writeFile(saKey, saKeys.privateKey, { mode: 0o600 }),
    ]);

    let minted = 0;
    const mint = async (ca: CertificateAuthority, user: string, groups: readonly string[], file?: string) => {
      const id = ++minted;
      const path = join(dir, file ?? `user-${id}.kubeconfig`);
      return {
        path,
        ...(await mintIdentity(ca, servingCa.certPem, server, user, groups, path, `user-${id}`)),
      };
    };
    const [admin, limited] = await Promise.all([
      mint(clientCa, ADMIN_USER, ['system:masters'], 'admin.kubeconfig'),
      mint(clientCa, LIMITED_USER, [LIMITED_GROUP], 'limited.kubeconfig'),
    ]);

    const etcdClientUrl = `http://127.0.0.1:${etcdClientPort}`;
    const etcdPeerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    const etcd = startProcess(
      'etcd',
      assets.etcdBin,
      [
        '--name=default',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdClientUrl}`,
        `--advertise-client-urls=${etcdClientUrl}`,
        `--listen-peer-urls=${etcdPeerUrl}`,
        `--initial-advertise-peer-urls=${etcdPeerUrl}`,
        `--initial-cluster=default=${etcdPeerUrl}`,
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      join(dir, 'etcd.log'),
    );
    processes.push(etcd);
    await waitForEtcd(etcd, etcdClientUrl, 30_000);
    log(`etcd ${assets.etcd} healthy at ${etcdClientUrl} after ${Date.now() - started} ms`);

    const apiserver = startProcess(
      'kube-apiserver',
      assets.kubeApiserver,
      [
        `--etcd-servers=${etcdClientUrl}`,
        `--cert-dir=${join(dir, 'apiserver-certs')}`,
        `--tls-cert-file=${servingCert.certPath}`,
        `--tls-private-key-file=${servingCert.keyPath}`,
        `--secure-port=${securePort}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        '--service-cluster-ip-range=10.0.0.0/24',
        '--allow-privileged=true',
        // No kube-controller-manager, so no default ServiceAccount the plugin could require.
        '--disable-admission-plugins=ServiceAccount',
        '--authorization-mode=RBAC',
        `--client-ca-file=${clientCa.certPath}`,
        `--service-account-issuer=${server}/`,
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
      ],
      join(dir, 'kube-apiserver.log'),
    );
    processes.push(apiserver);
    await waitForApiserver(
      apiserver,
      etcd,
      server,
      { ca: servingCa.certPem, cert: admin.cert.certPem, key: admin.cert.keyPem },
      opts.startTimeoutMs ?? 90_000,
    );
    const readyMs = Date.now() - started;
    log(`kube-apiserver ${assets.kubernetes} ready at ${server} after ${readyMs} ms`);

    if (opts.install ?? true) {
      const adminKc = new KubeConfig();
      adminKc.loadFromFile(admin.path);
      const limitedKc = new KubeConfig();
      limitedKc.loadFromFile(limited.path);
      const crds = [...(await readCrds(assets.fluxCrds)), ...(await readCrds(assets.operatorCrds))];
      await installCrds(adminKc, crds);
      log(`installed ${crds.length} CRDs (Flux ${assets.flux}, flux-operator ${assets.operator})`);
      await installLimitedRbac(adminKc, limitedKc, crds);
      log(`RBAC for ${LIMITED_GROUP} effective`);
    }
    const installedMs = Date.now() - started;

    return {
      server,
      adminKubeconfigPath: admin.path,
      limitedKubeconfigPath: limited.path,
      dir,
      clientCaDir: clientCa.dir,
      servingCaPem: servingCa.certPem,
      versions: {
        kubernetes: assets.kubernetes,
        etcd: assets.etcd,
        flux: assets.flux,
        operator: assets.operator,
      },
      timings: { readyMs, installedMs },
      pids: { etcd: etcd.pid, kubeApiserver: apiserver.pid },
      mintKubeconfig: async (user, groups) => (await mint(clientCa, user, groups)).path,
      stop,
    };
  } catch (err: unknown) {
    await stop();
    throw err;
  }
}
