/**
 * A thin read-only client for the Kubernetes API: GET with JSON decoding, pagination with `limit`
 * and `continue`, bounded retries, and failures mapped to the product's exit codes. Authentication
 * and TLS come from client-node's KubeConfig (so exec plugins, token files and in-cluster accounts
 * work as they do for kubectl); the transport is ours so that each request is one plain HTTPS GET
 * whose cost the benchmark can compare with the raw floor.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ConfigError, UnreachableError } from '../errors.js';
import { redactText, redactUrl } from './redact.js';

/** An HTTP answer other than 2xx, with the API server's Status message when there is one. */
export class ApiStatusError extends Error {
  override name = 'ApiStatusError';
  constructor(
    readonly status: number,
    readonly path: string,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface KubeClientOptions {
  /** Attempts for a request that fails to connect or gets a 5xx/429 (default 5). */
  attempts?: number;
  /** First backoff delay in ms, doubled per retry (default 250). */
  backoffMs?: number;
  /** Deadline of each request in ms, from sending to the last byte (default 30 s). */
  timeoutMs?: number;
  /** Open connections kept to the server (default 8). */
  maxSockets?: number;
  /** Everything this client does must end within this many ms of its creation (default none). */
  totalTimeoutMs?: number;
  /** How long a credential helper may run (default CREDENTIAL_TIMEOUT_MS). */
  credentialTimeoutMs?: number;
  /** Called before each retry, for progress logs. */
  onRetry?: (info: { path: string; attempt: number; delayMs: number; cause: string }) => void;
}

/** One page of a list, as the API server sends it. */
export interface ListPage<T> {
  items: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

/** Connection errors that mean "try again later", as opposed to TLS or configuration mistakes. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'REQUEST_TIMEOUT',
]);

function isTlsError(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (code.startsWith('ERR_TLS') ||
      code.startsWith('ERR_SSL') ||
      code.includes('CERT') ||
      code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
      code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
      code === 'EPROTO')
  );
}

/** An error answer as an ApiStatusError, with the API server's Status reason and message when it sent one. */
function statusError(
  status: number,
  path: string,
  statusMessage: string | undefined,
  body: string,
): ApiStatusError {
  let reason = statusMessage ?? '';
  let message = '';
  try {
    const st = JSON.parse(body) as { reason?: string; message?: string };
    reason = st.reason ?? reason;
    message = st.message ?? '';
  } catch {
    message = body.slice(0, 200);
  }
  return new ApiStatusError(status, path, reason, message || `${status} ${reason}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long a kubeconfig's credential helper (`exec`, an auth-provider's `cmd-path`) may run. */
export const CREDENTIAL_TIMEOUT_MS = 60_000;

class CredentialTimeout extends Error {}

/** The kubeconfig user's credential helper, named without its arguments or environment. */
function helperOf(kc: KubeConfig): string | undefined {
  const user = kc.getCurrentUser();
  if (user?.exec?.command) return `exec command "${user.exec.command}"`;
  const provider = user?.authProvider as { name?: string } | undefined;
  if (provider?.name) return `auth-provider "${provider.name}"`;
  return undefined;
}

/**
 * A one-line ConfigError for credentials that could not be loaded. A helper's stderr and stdout
 * can hold the very token it failed to hand over (client-node puts its stderr, or the start of a
 * non-JSON stdout, in the error), so they are never repeated: the user runs the helper to see why.
 */
function credentialFailure(err: unknown, kc: KubeConfig, timeoutMs: number): ConfigError {
  const context = kc.getCurrentContext();
  const helper = helperOf(kc);
  if (err instanceof CredentialTimeout)
    return new ConfigError(
      `the credential helper (${helper ?? 'unknown'}) of context "${context}" did not finish within ${timeoutMs / 1000} s; run it yourself to see why`,
    );
  if (helper !== undefined) {
    const what =
      err instanceof SyntaxError
        ? 'printed something that is not ExecCredential JSON'
        : err instanceof TypeError
          ? 'is not configured in a way this tool can use'
          : 'failed';
    return new ConfigError(
      `the credential helper (${helper}) of context "${context}" ${what}; its output is not shown because it may hold credentials: run it yourself to see why`,
    );
  }
  return new ConfigError(
    `cannot load credentials for context "${context}": ${redactText((err as Error).message)}`,
  );
}

/** One answer larger than this is refused (a list page of 500 objects is a few MiB). */
export const MAX_RESPONSE_BYTES = 256 * 2 ** 20;
/** Pages of one list before giving up: 20,000 × 500 objects is far beyond any real cluster. */
export const MAX_PAGES = 20_000;

function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

/** One event of a watch stream, as the API server sends it. */
export interface WatchEvent<T = unknown> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface WatchOptions<T> {
  /** Extra query parameters (labelSelector, fieldSelector). */
  query?: Record<string, string>;
  /** Start after this version (from a list); absent means the current state as ADDED events first. */
  resourceVersion?: string;
  /** Ask for BOOKMARK events so a reconnect resumes from a recent version (default true). */
  allowWatchBookmarks?: boolean;
  /** The server ends each connection after this long, and the watch reconnects (default 300). */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  onEvent: (event: WatchEvent<T>) => void;
  onBookmark?: (resourceVersion: string) => void;
  /** Called before reconnecting after a failed connection, for progress logs. */
  onReconnect?: (info: { path: string; attempt: number; delayMs: number; cause: string }) => void;
}

export class KubeClient {
  /** Requests sent, including retries: the benchmark reports it. */
  requests = 0;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly base: URL;
  private requestOptions: https.RequestOptions | undefined;
  private readonly maxSockets: number;

  constructor(
    private readonly kc: KubeConfig,
    readonly server: string,
    private readonly opts: KubeClientOptions = {},
  ) {
    this.attempts = Math.max(1, opts.attempts ?? 5);
    this.backoffMs = opts.backoffMs ?? 250;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxSockets = opts.maxSockets ?? 8;
    this.base = new URL(server);
    if (opts.totalTimeoutMs !== undefined) this.limitTotalTime(opts.totalTimeoutMs);
  }

  private deadlineAt: number | undefined;
  private totalTimeoutMs = 0;

  /**
   * From now on, requests end with an error once `ms` have passed: one connection serves a wait
   * (its own timeout) and then the collection (this limit), so the limit starts when it is set.
   */
  limitTotalTime(ms: number): void {
    this.totalTimeoutMs = ms;
    this.deadlineAt = Date.now() + ms;
  }

  /** Throws once the client's total deadline has passed. */
  private checkDeadline(path: string): void {
    if (this.deadlineAt !== undefined && Date.now() > this.deadlineAt)
      throw new UnreachableError(
        `the Kubernetes API at ${redactUrl(this.server)} did not answer everything within ${this.totalTimeoutMs / 1000} s (stopped at ${path}); check the cluster's health or collect fewer namespaces`,
      );
  }

  /** TLS material and auth headers, computed once (exec plugins may be slow). */
  private async options(): Promise<https.RequestOptions> {
    if (this.requestOptions) return this.requestOptions;
    const o: https.RequestOptions = {};
    const credentialTimeoutMs = this.opts.credentialTimeoutMs ?? CREDENTIAL_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.kc.applyToHTTPSOptions(o),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new CredentialTimeout()), credentialTimeoutMs);
        }),
      ]);
    } catch (err) {
      throw credentialFailure(err, this.kc, credentialTimeoutMs);
    } finally {
      clearTimeout(timer);
    }
    // applyToHTTPSOptions builds its own agent; ours keeps connections alive across pages.
    const agentOpts: https.AgentOptions = {
      keepAlive: true,
      maxSockets: this.maxSockets,
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      pfx: o.pfx,
      passphrase: o.passphrase,
      servername: o.servername,
    };
    if (o.rejectUnauthorized !== undefined) agentOpts.rejectUnauthorized = o.rejectUnauthorized;
    const agent =
      this.base.protocol === 'https:' ? new https.Agent(agentOpts) : new http.Agent({ keepAlive: true });
    this.requestOptions = { headers: { ...(o.headers ?? {}) }, auth: o.auth, agent };
    return this.requestOptions;
  }

  /** Closes kept-alive connections so the process can exit promptly. */
  close(): void {
    const agent = this.requestOptions?.agent;
    if (agent && typeof agent !== 'boolean') agent.destroy();
  }

  /** GETs a path and decodes its JSON; retries transient failures with exponential backoff. */
  async get<T = unknown>(
    path: string,
    query: Record<string, string | number | undefined> = {},
    accept?: string,
  ): Promise<T> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    return this.withRetries(path, url, () => this.once(url, accept)) as Promise<T>;
  }

  /** Runs one request with bounded retries and exponential backoff for transient failures. */
  private async withRetries(path: string, url: URL, request: () => Promise<unknown>): Promise<unknown> {
    let lastCause = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      this.checkDeadline(path);
      try {
        return await request();
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        const retry = this.retryable(err);
        if (!retry) throw this.classify(err, url);
        lastCause = retry;
        if (attempt === this.attempts) break;
        const delayMs = this.backoffMs * 2 ** (attempt - 1);
        this.opts.onRetry?.({ path, attempt, delayMs, cause: retry });
        await sleep(delayMs);
      }
    }
    throw new UnreachableError(
      `cannot reach the Kubernetes API at ${redactUrl(this.server)} after ${this.attempts} attempts (${lastCause}); check that the cluster is running and the server address is right`,
    );
  }

  /** Lists every page of a collection, `limit` objects at a time. */
  async list<T = unknown>(
    path: string,
    query: Record<string, string | undefined> = {},
    limit = 500,
    accept?: string,
  ): Promise<T[]> {
    return this.listMapped<T, T>(path, (item) => item, query, limit, accept);
  }

  /**
   * Lists every page and maps each item as its page arrives, so only one page of whole objects is
   * held at a time (the collector keeps compact records, not the objects).
   */
  async listMapped<T, R>(
    path: string,
    map: (item: T) => R,
    query: Record<string, string | undefined> = {},
    limit = 500,
    accept?: string,
  ): Promise<R[]> {
    const out: R[] = [];
    await this.eachPage<T>(path, query, limit, accept, (page) => {
      if (Array.isArray(page.items)) for (const item of page.items) out.push(map(item));
    });
    return out;
  }

  /**
   * Fetches every page of a list in order, handing each to `onPage`. A continue token seen twice,
   * or more than MAX_PAGES pages, ends it with UnreachableError instead of looping forever.
   */
  async eachPage<T>(
    path: string,
    query: Record<string, string | undefined>,
    limit: number,
    accept: string | undefined,
    onPage: (page: ListPage<T>) => void,
  ): Promise<void> {
    const seen = new Set<string>();
    let cont: string | undefined;
    do {
      const page = await this.get<ListPage<T>>(path, { ...query, limit, continue: cont }, accept);
      onPage(page);
      cont = page.metadata?.continue || undefined;
      if (cont !== undefined && (seen.has(cont) || seen.size >= MAX_PAGES))
        throw new UnreachableError(
          seen.has(cont)
            ? `the API server sent the same continue token twice while listing ${path}; stopping instead of looping`
            : `listing ${path} did not end after ${MAX_PAGES} pages; stopping`,
        );
      if (cont !== undefined) seen.add(cont);
    } while (cont);
  }

  private async once(
    url: URL,
    accept?: string,
    send?: { method: string; body: string; contentType: string },
  ): Promise<unknown> {
    const base = await this.options();
    this.requests++;
    const transport = url.protocol === 'https:' ? https : http;
    const bodyHeaders = send
      ? { 'content-type': send.contentType, 'content-length': Buffer.byteLength(send.body) }
      : {};
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          ...base,
          method: send?.method ?? 'GET',
          headers: {
            ...base.headers,
            accept: accept ?? 'application/json',
            'user-agent': 'flux-health',
            ...bodyHeaders,
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_RESPONSE_BYTES) {
              req.destroy(
                new UnreachableError(
                  `the API server sent more than ${MAX_RESPONSE_BYTES / 2 ** 20} MiB for ${url.pathname}; refusing to read further`,
                ),
              );
              return;
            }
            chunks.push(c);
          });
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(deadline);
            const body = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              try {
                resolve(JSON.parse(body));
              } catch {
                reject(
                  new ApiStatusError(
                    status,
                    url.pathname,
                    'InvalidJSON',
                    `the API server sent invalid JSON for ${url.pathname}`,
                  ),
                );
              }
              return;
            }
            const err = statusError(status, url.pathname, res.statusMessage, body);
            const retryAfter = Number(res.headers['retry-after']);
            if (Number.isFinite(retryAfter))
              (err as ApiStatusError & { retryAfterMs?: number }).retryAfterMs = retryAfter * 1000;
            reject(err);
          });
        },
      );
      // A whole-request deadline, not only an idle one: a server that trickles a byte now and
      // then must not hold the run forever.
      const timedOut = (): void => {
        req.destroy(
          Object.assign(new Error(`no complete answer within ${this.timeoutMs / 1000} s`), {
            code: 'REQUEST_TIMEOUT',
          }),
        );
      };
      const deadline = setTimeout(timedOut, this.timeoutMs);
      req.on('timeout', timedOut);
      req.on('error', (err) => {
        clearTimeout(deadline);
        reject(err);
      });
      req.end(send?.body);
    });
  }

  /**
   * PATCHes an object (a JSON merge patch unless told otherwise) and returns the stored object.
   * Transient failures are retried like GETs: a merge patch that sets fields is idempotent.
   */
  async patch<T = unknown>(
    path: string,
    body: unknown,
    contentType = 'application/merge-patch+json',
  ): Promise<T> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    const send = { method: 'PATCH', body: JSON.stringify(body), contentType };
    return this.withRetries(path, url, () => this.once(url, undefined, send)) as Promise<T>;
  }

  /**
   * Watches a collection: streams the API server's newline-delimited watch events to `onEvent`
   * until `signal` aborts (then it resolves). When the server ends the stream (its
   * `timeoutSeconds`, a dropped connection) it reconnects from the last resourceVersion seen,
   * bookmarks included; `attempts` consecutive failed connections end it with UnreachableError.
   * It rejects with ApiStatusError for HTTP errors (403, 404, ...) and for an ERROR event; a 410
   * (`Expired`/`Gone`) means the resourceVersion is too old and the caller must list again.
   */
  async watch<T = unknown>(path: string, opts: WatchOptions<T>): Promise<void> {
    const timeoutSeconds = opts.timeoutSeconds ?? 300;
    let resourceVersion = opts.resourceVersion;
    let failures = 0;
    while (!opts.signal?.aborted) {
      const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
      for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== '') url.searchParams.set(k, v);
      url.searchParams.set('watch', '1');
      url.searchParams.set('timeoutSeconds', String(timeoutSeconds));
      if (opts.allowWatchBookmarks !== false) url.searchParams.set('allowWatchBookmarks', 'true');
      if (resourceVersion !== undefined && resourceVersion !== '')
        url.searchParams.set('resourceVersion', resourceVersion);
      let received = 0;
      const openedAt = Date.now();
      try {
        await this.stream(url, timeoutSeconds, opts.signal, (event: WatchEvent<T>) => {
          received++;
          failures = 0;
          const rv = (event.object as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata
            ?.resourceVersion;
          if (event.type === 'ERROR') {
            const st = event.object as { code?: number; reason?: string; message?: string };
            throw new ApiStatusError(
              st.code ?? 500,
              url.pathname,
              st.reason ?? 'Error',
              st.message ?? 'watch error',
            );
          }
          if (typeof rv === 'string' && rv !== '') resourceVersion = rv;
          if (event.type !== 'BOOKMARK') opts.onEvent(event);
          else opts.onBookmark?.(resourceVersion ?? '');
        });
        // A clean end (the server's timeout) is expected: reconnect at once from where it stopped. An
        // empty stream that ends at once is not, so it counts as a failure to avoid a tight loop.
        if (received === 0 && Date.now() - openedAt < 1000)
          throw Object.assign(new Error('watch stream ended at once'), { code: 'ECONNRESET' });
      } catch (err) {
        if (opts.signal?.aborted) return;
        if (err instanceof ConfigError) throw err;
        const retry = this.retryable(err);
        if (!retry) throw this.classify(err, url);
        failures++;
        if (failures >= this.attempts) {
          throw new UnreachableError(
            `the watch of ${path} on ${redactUrl(this.server)} failed ${failures} times in a row (${retry}); check that the cluster is running`,
          );
        }
        const delayMs = this.backoffMs * 2 ** (failures - 1);
        opts.onReconnect?.({ path, attempt: failures, delayMs, cause: retry });
        await sleepUnlessAborted(delayMs, opts.signal);
      }
    }
  }

  /** One watch connection: resolves when the server ends the stream or `signal` aborts. */
  private async stream<T>(
    url: URL,
    timeoutSeconds: number,
    signal: AbortSignal | undefined,
    onEvent: (event: WatchEvent<T>) => void,
  ): Promise<void> {
    const base = await this.options();
    this.requests++;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err?: unknown): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onAbort = (): void => {
        req.destroy();
        finish();
      };
      const req = transport.request(url, {
        ...base,
        method: 'GET',
        headers: { ...base.headers, accept: 'application/json', 'user-agent': 'flux-health' },
        // Idle limit: the server sends a bookmark about once a minute and closes at timeoutSeconds.
        timeout: (timeoutSeconds + 30) * 1000,
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', finish);
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            finish(statusError(status, url.pathname, res.statusMessage, body));
          });
          return;
        }
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line === '') continue;
            try {
              onEvent(JSON.parse(line) as WatchEvent<T>);
            } catch (err) {
              req.destroy();
              finish(
                err instanceof SyntaxError
                  ? new ApiStatusError(
                      status,
                      url.pathname,
                      'InvalidJSON',
                      `the API server sent an invalid watch event for ${url.pathname}`,
                    )
                  : err,
              );
              return;
            }
          }
        });
        res.on('error', (err) => finish(signal?.aborted ? undefined : err));
        res.on('end', () => finish());
        res.on('close', () =>
          finish(
            signal?.aborted || res.complete
              ? undefined
              : Object.assign(new Error('watch stream closed'), { code: 'ECONNRESET' }),
          ),
        );
      });
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('watch stream idle for too long'), { code: 'REQUEST_TIMEOUT' })),
      );
      req.on('error', (err) => finish(signal?.aborted ? undefined : err));
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort);
      req.end();
    });
  }

  /** Returns a short cause when the failure is worth retrying, else undefined. */
  private retryable(err: unknown): string | undefined {
    if (err instanceof ApiStatusError) {
      if (err.status === 429 || err.status === 502 || err.status === 503 || err.status === 504)
        return `HTTP ${err.status}`;
      return undefined;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code && TRANSIENT_CODES.has(code)) return code;
    return undefined;
  }

  private classify(err: unknown, url: URL): Error {
    if (err instanceof ApiStatusError) {
      if (err.status === 401) {
        return new ConfigError(
          `the API server at ${redactUrl(this.server)} rejected the credentials of context "${this.kc.getCurrentContext()}" (401 Unauthorized); refresh the token or client certificate`,
        );
      }
      return err;
    }
    const code = (err as NodeJS.ErrnoException).code;
    // OpenSSL could not read the kubeconfig's client certificate or key (not a TLS handshake).
    if (code?.startsWith('ERR_OSSL') || /PEM routines|DECODER routines/.test((err as Error).message ?? ''))
      return new ConfigError(
        `the client certificate or key of context "${this.kc.getCurrentContext()}" cannot be used (${code ?? 'OpenSSL'}): check client-certificate-data and client-key-data`,
      );
    if (isTlsError(code)) {
      return new ConfigError(
        `TLS handshake with ${redactUrl(this.server)} failed (${code}): the server certificate is not trusted by the kubeconfig's certificate-authority, or the address does not match it`,
      );
    }
    return new UnreachableError(
      redactText(`request to ${this.server}${url.pathname} failed: ${(err as Error).message}`),
    );
  }
}
