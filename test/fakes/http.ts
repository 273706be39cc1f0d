/**
 * Shared plumbing of the loopback fakes: a `node:http` server on 127.0.0.1 with a random port,
 * request bodies read whole, and a record of every request for tests to assert on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The raw body as text (binary bodies are kept as latin1 so their bytes survive). */
  body: string;
  /** The body parsed as JSON, when it was JSON. */
  json?: unknown;
}

export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  recorded: RecordedRequest;
  raw: Buffer;
  url: URL;
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

export function sendText(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  response.end(body);
}

export interface LoopbackServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 that records each request and hands it to `handle`. */
export async function startLoopback(
  requests: RecordedRequest[],
  handle: (exchange: Exchange) => void | Promise<void>,
): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    void (async () => {
      const raw = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const text = raw.toString(
        /json|xml|text/.test(request.headers['content-type'] ?? '') ? 'utf8' : 'latin1',
      );
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: flattenHeaders(request),
        body: text,
        json,
      };
      requests.push(recorded);
      await handle({ request, response, recorded, raw, url });
    })().catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { message: `fake server error: ${String(error)}` });
      else response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
