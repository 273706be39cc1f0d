// Plain HTTPS requests to the API server, for what the typed clients hide: readiness probes,
// discovery documents, and exact status codes (401/403) in tests.
import { request, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface RawResponse {
  status: number;
  body: string;
}

export interface TlsCredentials {
  ca: string;
  cert?: string;
  key?: string;
}

function send(
  url: URL,
  options: RequestOptions,
  body: string | undefined,
  timeoutMs: number,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...options, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () =>
      req.destroy(new Error(`timed out after ${timeoutMs} ms: ${options.method ?? 'GET'} ${url.pathname}`)),
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A request with explicit TLS material (the control plane's own probes). */
export function tlsRequest(
  server: string,
  path: string,
  creds: TlsCredentials,
  opts: { method?: string; body?: unknown; timeoutMs?: number; contentType?: string } = {},
): Promise<RawResponse> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return send(
    new URL(path, server),
    {
      method: opts.method ?? 'GET',
      ca: creds.ca,
      cert: creds.cert,
      key: creds.key,
      headers: { Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      agent: false,
    },
    body,
    opts.timeoutMs ?? 10_000,
  );
}

/** A request as the identity of a KubeConfig's current context. */
export async function kubeRequest(
  kc: KubeConfig,
  path: string,
  opts: { method?: string; body?: unknown; timeoutMs?: number; contentType?: string } = {},
): Promise<RawResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const options: RequestOptions = { method: opts.method ?? 'GET', agent: false };
  await kc.applyToHTTPSOptions(options);
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  options.headers = {
    ...(options.headers as Record<string, string> | undefined),
    Accept: 'application/json',
    ...(body ? { 'Content-Type': opts.contentType ?? 'application/json' } : {}),
  };
  return send(new URL(path, cluster.server), options, body, opts.timeoutMs ?? 10_000);
}
