/**
 * Writing to the benchmark's API server (bench/collect.ts, bench/watch.ts): a keep-alive agent with
 * the admin's client certificate, and the creation of generated Flux objects (the object, then its
 * status through the status subresource).
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { forApiServer, kindInfo, type KubeObject } from '../test/support/flux-objects.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Writer {
  private readonly agent: https.Agent;
  private readonly base: URL;
  requests = 0;

  constructor(kubeconfigPath: string, sockets: number) {
    const doc = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
    };
    const cluster = doc.clusters[0]?.cluster;
    const user = doc.users[0]?.user;
    if (!cluster || !user) throw new Error(`${kubeconfigPath} has no cluster or user`);
    const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
    this.base = new URL(cluster.server);
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: sockets,
      ca: b64(cluster['certificate-authority-data']),
      cert: b64(user['client-certificate-data']),
      key: b64(user['client-key-data']),
    });
  }

  /** Sends one request; retries overload and dropped connections, which a loaded machine produces. */
  async send(method: string, path: string, body: unknown, contentType = 'application/json'): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { status, text } = await this.once(method, path, JSON.stringify(body), contentType);
        if ((status === 429 || status >= 500) && attempt < 6) {
          await sleep(200 * attempt);
          continue;
        }
        if (status >= 300 && status !== 409)
          throw new Error(`${method} ${path}: HTTP ${status}: ${text.slice(0, 300)}`);
        return status;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if ((code === 'ECONNRESET' || code === 'EPIPE') && attempt < 6) {
          await sleep(200 * attempt);
          continue;
        }
        throw err;
      }
    }
  }

  /** GETs a path and parses its JSON; any status but 200 is an error. */
  async get<T = unknown>(path: string): Promise<T> {
    const { status, text } = await this.once('GET', path, '', 'application/json');
    if (status !== 200) throw new Error(`GET ${path}: HTTP ${status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  private once(
    method: string,
    path: string,
    body: string,
    contentType: string,
  ): Promise<{ status: number; text: string }> {
    this.requests++;
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(path, this.base),
        {
          agent: this.agent,
          method,
          headers: {
            'content-type': contentType,
            'content-length': Buffer.byteLength(body),
            accept: 'application/json',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The namespaced collection an object is created in. */
export function collectionPath(o: KubeObject): string {
  const info = kindInfo(o.kind);
  return `/apis/${info.group}/${info.version}/namespaces/${o.metadata.namespace ?? ''}/${info.plural}`;
}

/**
 * Known differences between the generator and the real CRDs' validation, patched here so the fill
 * goes through; each is reported once through `note`. (Fix them in test/support/flux-objects.ts,
 * then drop them.)
 */
const patched = new Set<string>();
function fitForServer(o: KubeObject, note: (line: string) => void): KubeObject {
  const spec = o.spec;
  // image.toolkit.fluxcd.io/v1 ImagePolicy: "spec.interval is only accepted when
  // spec.digestReflectionPolicy is set to 'Always'".
  if (o.kind === 'ImagePolicy' && spec && 'interval' in spec && spec.digestReflectionPolicy !== 'Always') {
    if (!patched.has('ImagePolicy'))
      note(
        'note: generated ImagePolicy has spec.interval without digestReflectionPolicy=Always, which the CRD rejects; dropping interval',
      );
    patched.add('ImagePolicy');
    const { interval: _interval, ...rest } = spec;
    return { ...o, spec: rest };
  }
  return o;
}

/** Creates one generated object: a POST, then its status as a merge PATCH on `/status`. */
export async function createObject(
  w: Writer,
  generated: KubeObject,
  note: (line: string) => void,
): Promise<void> {
  const o = fitForServer(generated, note);
  const { object, status } = forApiServer(o);
  const info = kindInfo(o.kind);
  // Kinds without a status subresource keep what status they have in the object itself.
  const hasSub = info.statusSubresource;
  const body = !hasSub && status !== undefined ? { ...object, status } : object;
  await w.send('POST', collectionPath(o), body);
  if (hasSub && status !== undefined) {
    await w.send(
      'PATCH',
      `${collectionPath(o)}/${encodeURIComponent(o.metadata.name)}/status`,
      { status },
      'application/merge-patch+json',
    );
  }
}
