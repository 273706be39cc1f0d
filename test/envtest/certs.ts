// Certificates for the test control plane, issued with the system `openssl` (Node's crypto can
// make keys but cannot sign certificates). Mirrors envtest's tinyca: ECDSA P-256, short validity,
// one CA for serving, a separate CA for client authentication.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const VALID_DAYS = '7';

/** PEM-encoded certificate and private key, plus where they are on disk. */
export interface KeyPair {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

// Sections are written per call so nothing depends on the system openssl.cnf, whose defaults
// (and duplicate-extension behaviour with -addext) differ between distributions.
const REQ_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
`;

// Kubernetes user and group names end up in an X.509 subject; restrict them to characters that
// need no escaping in openssl's -subj syntax instead of escaping.
const SUBJECT_VALUE = /^[A-Za-z0-9:._@-]+$/;

function subject(commonName: string, organizations: readonly string[]): string {
  for (const value of [commonName, ...organizations]) {
    if (!SUBJECT_VALUE.test(value)) {
      throw new Error(
        `certificate subject value ${JSON.stringify(value)} must match ${String(SUBJECT_VALUE)}`,
      );
    }
  }
  return `/CN=${commonName}${organizations.map((o) => `/O=${o}`).join('')}`;
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err: unknown) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr.trim() || String(err)}`);
  }
}

async function readPair(certPath: string, keyPath: string): Promise<KeyPair> {
  const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  return { certPath, keyPath, certPem, keyPem };
}

/** A certificate authority: its own key pair plus the directory it issues into. */
export interface CertificateAuthority extends KeyPair {
  dir: string;
}

/** Creates a self-signed CA `<name>.crt`/`<name>.key` in `dir`. */
export async function createCa(dir: string, name: string, commonName: string): Promise<CertificateAuthority> {
  await mkdir(dir, { recursive: true });
  const cnf = join(dir, `${name}.cnf`);
  await writeFile(cnf, REQ_CONFIG);
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  await openssl(
    [
      'req',
      '-x509',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      VALID_DAYS,
      '-subj',
      subject(commonName, []),
      '-config',
      cnf,
      '-extensions',
      'ca',
    ],
    dir,
  );
  return { dir, ...(await readPair(certPath, keyPath)) };
}

export interface LeafOptions {
  commonName: string;
  organizations?: readonly string[];
  usage: 'serverAuth' | 'clientAuth';
  /** subjectAltName entries, e.g. `DNS:localhost`, `IP:127.0.0.1` (serving certificates). */
  altNames?: readonly string[];
}

/** Issues a leaf certificate signed by `ca`, written as `<name>.crt`/`<name>.key` in ca.dir. */
export async function issueCert(ca: CertificateAuthority, name: string, opts: LeafOptions): Promise<KeyPair> {
  const base = join(ca.dir, name);
  const ext = [
    '[leaf]',
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage = ${opts.usage}`,
    'authorityKeyIdentifier = keyid',
    ...(opts.altNames && opts.altNames.length > 0 ? [`subjectAltName = ${opts.altNames.join(',')}`] : []),
    '',
  ].join('\n');
  await writeFile(`${base}.cnf`, `${REQ_CONFIG}${ext}`);
  await openssl(
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${base}.key`,
      '-out',
      `${base}.csr`,
      '-subj',
      subject(opts.commonName, opts.organizations ?? []),
      '-config',
      `${base}.cnf`,
    ],
    ca.dir,
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${base}.csr`,
      '-CA',
      ca.certPath,
      '-CAkey',
      ca.keyPath,
      // Random serials: several certificates for the same subject must stay distinguishable.
      '-set_serial',
      `0x${randomBytes(16).toString('hex')}`,
      '-days',
      VALID_DAYS,
      '-extfile',
      `${base}.cnf`,
      '-extensions',
      'leaf',
      '-out',
      `${base}.crt`,
    ],
    ca.dir,
  );
  return readPair(`${base}.crt`, `${base}.key`);
}

/** Reads a CA that createCa wrote earlier (e.g. from another process) so it can issue more certificates. */
export async function loadCa(dir: string, name = 'ca'): Promise<CertificateAuthority> {
  return { dir, ...(await readPair(join(dir, `${name}.crt`), join(dir, `${name}.key`))) };
}
