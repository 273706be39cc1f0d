import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { connect, credentialsOf } from '../../src/cluster/connect.js';
import { ConfigError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'flux-health-connect-'));
const SECRET_TOKEN = 'tok-7d2f9c0e1b4a';

function kubeconfig(name: string, server: string, extra: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server } }],
    users: [{ name: `${name}-user`, user: { token: SECRET_TOKEN } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-user` } }],
    'current-context': name,
    ...extra,
  });
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('connect: where the kubeconfig comes from', () => {
  it('takes inline content first (the action input)', () => {
    const c = connect({
      kubeconfigContent: kubeconfig('inline', 'https://10.0.0.1:6443'),
      kubeconfigPath: file('ignored.yaml', kubeconfig('file', 'https://10.0.0.2:6443')),
      env: {},
    });
    expect([c.context, c.server, c.origin]).toEqual([
      'inline',
      'https://10.0.0.1:6443',
      'the kubeconfig input',
    ]);
    expect(credentialsOf(c.kc)).toContain(SECRET_TOKEN);
  });

  it('then --kubeconfig, then KUBECONFIG (several files merged, first context wins), then ~/.kube/config', () => {
    const a = file('a.yaml', kubeconfig('a', 'https://a.example:6443'));
    const b = file('b.yaml', kubeconfig('b', 'https://b.example:6443'));
    expect(connect({ kubeconfigPath: b, env: { KUBECONFIG: a } }).context).toBe('b');
    const merged = connect({ env: { KUBECONFIG: `${a}:${b}` } });
    expect(merged.context).toBe('a');
    expect(connect({ env: { KUBECONFIG: `${a}:${b}` }, context: 'b' }).server).toBe('https://b.example:6443');
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), kubeconfig('home', 'https://home.example:6443'));
    expect(connect({ env: {}, home }).origin).toBe(`kubeconfig file ${join(home, '.kube', 'config')}`);
  });

  it('falls back to the in-cluster service account', () => {
    const root = join(dir, 'pod');
    const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), SECRET_TOKEN);
    writeFileSync(join(sa, 'ca.crt'), 'not used until a request is made');
    const c = connect({
      env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
      home: join(dir, 'nohome'),
      inClusterRoot: root,
    });
    expect([c.origin, c.server]).toEqual(['the in-cluster service account', 'https://10.96.0.1:443']);
  });

  it.each([
    [
      'nothing at all',
      { env: {}, home: join(dir, 'nohome') },
      /^no kubeconfig found: pass --kubeconfig FILE/,
    ],
    ['a missing file', { kubeconfigPath: join(dir, 'nope.yaml'), env: {} }, /nope\.yaml does not exist$/],
    [
      'not YAML',
      { kubeconfigContent: 'clusters: [\n  - a: {', env: {} },
      /^the kubeconfig input is not valid YAML at line \d+, column \d+/,
    ],
    [
      'a list instead of a mapping',
      { kubeconfigContent: '- a\n- b\n', env: {} },
      /is not a kubeconfig: expected a YAML mapping/,
    ],
    [
      'no clusters',
      { kubeconfigContent: 'apiVersion: v1\nkind: Config\ncontexts: [{name: x}]\n', env: {} },
      /it has no clusters$/,
    ],
    [
      'an unknown context',
      { kubeconfigContent: kubeconfig('x', 'https://x:1'), context: 'y', env: {} },
      /^unknown context "y" in the kubeconfig input; available: x$/,
    ],
    [
      'a context without its cluster',
      {
        kubeconfigContent: kubeconfig('x', 'https://x:1', {
          contexts: [{ name: 'x', context: { cluster: 'gone', user: 'x-user' } }],
        }),
        env: {},
      },
      /context "x" in the kubeconfig input refers to a cluster that is not defined/,
    ],
    [
      'a plain-text server',
      { kubeconfigContent: kubeconfig('x', 'ftp://x'), env: {} },
      /server must be an https:\/\/ URL/,
    ],
  ])('rejects %s with one ConfigError line that never echoes a credential', (_name, opts, re) => {
    let caught: unknown;
    try {
      connect(opts);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toMatch(re);
    expect(message).not.toContain('\n');
    expect(message).not.toContain(SECRET_TOKEN);
  });
});
