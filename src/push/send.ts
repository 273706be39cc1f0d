/**
 * One HTTP request to a push target, retried a bounded number of times. What may pass on its own
 * is retried (no connection, a timeout, 5xx, 429); what will not (any other 4xx, a redirect) ends
 * at once, as the remote write spec asks of senders. The outcome is a value, never a throw: a push
 * is an output of the check, and its failure is one warning line, never the verdict.
 */
import { redactText } from '../cluster/redact.js';
import { oneLine } from '../errors.js';
import type { PushTarget } from './target.js';

export interface PushRequest {
  method: 'PUT' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface RetryPolicy {
  attempts: number;
  /** Per attempt, connecting to the end of the response. */
  timeoutMs: number;
  /** Waits before the 2nd, 3rd… attempt; the last entry repeats. */
  backoffMs: readonly number[];
  /** A 429's Retry-After is honoured up to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  timeoutMs: 15_000,
  backoffMs: [1_000, 3_000],
  maxRetryAfterMs: 10_000,
};

export type SendOutcome =
  { ok: true; status: number; attempts: number } | { ok: false; reason: string; attempts: number };

/** What a failed attempt says, and whether another may succeed. */
interface Failure {
  reason: string;
  retry: boolean;
  waitMs?: number;
}

/** Error codes of the connection, as people know them. */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

function networkReason(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return `no answer within ${timeoutMs / 1000} s`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  if (code && NETWORK[code]) return NETWORK[code];
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return `TLS: ${cause?.message ?? code}`;
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

function retryAfterMs(header: string | null, policy: RetryPolicy): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), policy.maxRetryAfterMs) : undefined;
}

async function attempt(req: PushRequest, policy: RetryPolicy): Promise<Failure | { status: number }> {
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(policy.timeoutMs),
    });
  } catch (err) {
    return { reason: networkReason(err, policy.timeoutMs), retry: true };
  }
  let text = '';
  try {
    text = await res.text();
  } catch {
    // The status says enough.
  }
  if (res.status >= 200 && res.status < 300) return { status: res.status };
  const said = text.trim() === '' ? '' : `: ${text.trim().split('\n')[0]?.slice(0, 200)}`;
  const reason = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${said}`;
  if (res.status >= 300 && res.status < 400) {
    const to = res.headers.get('location');
    return { reason: `${reason} (redirected${to ? ` to ${to}` : ''}; give the final URL)`, retry: false };
  }
  if (res.status === 429) {
    const waitMs = retryAfterMs(res.headers.get('retry-after'), policy);
    return { reason, retry: true, ...(waitMs === undefined ? {} : { waitMs }) };
  }
  return { reason, retry: res.status >= 500 };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends `req`, retrying as the policy allows; the reason of a failure is one safe line. */
export async function send(req: PushRequest, policy: RetryPolicy = DEFAULT_RETRY): Promise<SendOutcome> {
  for (let n = 1; n <= policy.attempts; n++) {
    const out = await attempt(req, policy);
    if ('status' in out) return { ok: true, status: out.status, attempts: n };
    if (!out.retry || n === policy.attempts) {
      const tries = n > 1 ? ` (after ${n} attempts)` : '';
      return { ok: false, reason: oneLine(redactText(out.reason)) + tries, attempts: n };
    }
    await sleep(out.waitMs ?? policy.backoffMs[Math.min(n - 1, policy.backoffMs.length - 1)] ?? 0);
  }
  return { ok: false, reason: 'not sent: the retry policy allows no attempt', attempts: 0 };
}

/** Headers every push sends: who we are, and the target's credentials. */
export function baseHeaders(target: PushTarget, userAgent: string): Record<string, string> {
  return {
    'user-agent': userAgent,
    ...(target.authorization ? { authorization: target.authorization } : {}),
  };
}
