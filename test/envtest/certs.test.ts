import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, issueCert, loadCa } from './certs.js';

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flux-health-certs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('certificates for the test control plane', () => {
  it('issues a serving certificate for localhost and 127.0.0.1 that chains to its CA', async () => {
    const ca = await createCa(join(dir, 'serving'), 'ca', 'test-serving-ca');
    const leaf = await issueCert(ca, 'apiserver', {
      commonName: 'localhost',
      usage: 'serverAuth',
      altNames: ['DNS:localhost', 'IP:127.0.0.1'],
    });
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.subject).toBe('CN=localhost');
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(new X509Certificate(ca.certPem).ca).toBe(true);
    expect(cert.ca).toBe(false);
    const { stdout } = await run('openssl', [
      'verify',
      '-CAfile',
      ca.certPath,
      '-purpose',
      'sslserver',
      leaf.certPath,
    ]);
    expect(stdout).toContain(': OK');
  });

  it('puts the user in CN and every group in its own O, for client authentication only', async () => {
    const ca = await createCa(join(dir, 'client'), 'ca', 'test-client-ca');
    const leaf = await issueCert(ca, 'limited', {
      commonName: 'flux-health-limited',
      organizations: ['flux-health:limited', 'system:masters'],
      usage: 'clientAuth',
    });
    expect(new X509Certificate(leaf.certPem).subject.split('\n')).toEqual([
      'CN=flux-health-limited',
      'O=flux-health:limited',
      'O=system:masters',
    ]);
    await expect(
      run('openssl', ['verify', '-CAfile', ca.certPath, '-purpose', 'sslserver', leaf.certPath]),
    ).rejects.toThrow();
    const reloaded = await loadCa(ca.dir);
    expect(reloaded.certPem).toBe(ca.certPem);
    expect(reloaded.keyPem).toBe(ca.keyPem);
  });

  it('refuses subject values that would need escaping', async () => {
    const ca = await loadCa(join(dir, 'client'));
    await expect(
      issueCert(ca, 'bad', { commonName: 'a/O=system:masters', usage: 'clientAuth' }),
    ).rejects.toThrow(/must match/);
  });
});
