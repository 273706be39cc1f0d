/**
 * The pipeline's input end: an Inventory from a live cluster or from a snapshot file, and the
 * wait for a revision on a live cluster. Everything after this is pure.
 */
import { readFile, stat } from 'node:fs/promises';
import { collect, type RawCollection } from './cluster/collect.js';
import { connect, type ConnectOptions, type Connection } from './cluster/connect.js';
import { redactUrl } from './cluster/redact.js';
import { KubeClient, type KubeClientOptions } from './cluster/kube-client.js';
import { ConfigError } from './errors.js';
import type { Inventory } from './inventory/index.js';
import { terminalText } from './render/terminal.js';
import { DEFAULT_NAMESPACE, readSnapshotText } from './snapshot/read.js';
import { waitForRevision, type WaitOptions, type WaitResult } from './wait/wait.js';

/**
 * The largest snapshot read: parsing takes about 20 times the file's size in memory (62 MiB took
 * 1.3 GB), so 100 MiB stays well inside Node's default heap.
 */
export const MAX_SNAPSHOT_BYTES = 100 * 2 ** 20;

/** Collection as a whole ends within this (each request has its own 30 s deadline too). */
export const COLLECTION_TIMEOUT_MS = 10 * 60_000;

export type InventorySource = { snapshot: string } | { connect: ConnectOptions };

export interface AcquireOptions {
  source: InventorySource;
  /** The Flux namespace; undefined means the snapshot's own, else `flux-system`. */
  namespace?: string;
  now?: Date;
  keepRaw?: boolean;
  client?: KubeClientOptions;
  onProgress?: (line: string) => void;
  /** Called once the connection is known, before any request: the action masks credentials here. */
  onConnected?: (conn: Connection) => void;
}

export interface Acquired {
  inventory: Inventory;
  raw?: RawCollection;
  /** Kubernetes API requests made (0 for a snapshot). */
  requests: number;
}

export async function acquireInventory(opts: AcquireOptions): Promise<Acquired> {
  const progress = opts.onProgress ?? (() => {});
  if ('snapshot' in opts.source) {
    const file = opts.source.snapshot;
    let text: string;
    try {
      const { size } = await stat(file);
      if (size > MAX_SNAPSHOT_BYTES)
        throw new ConfigError(
          `snapshot file ${file} is ${Math.round(size / 2 ** 20)} MiB; the limit is ${MAX_SNAPSHOT_BYTES / 2 ** 20} MiB (about 90,000 objects), which keeps the heap safe: snapshot fewer namespaces or split the file`,
        );
      text = await readFile(file, 'utf8');
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigError(
        code === 'ENOENT'
          ? `snapshot file ${file} does not exist`
          : `snapshot file ${file} cannot be read (${code ?? 'error'})`,
      );
    }
    progress(`reading snapshot ${file}`);
    const inventory = readSnapshotText(text, {
      file,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    });
    return { inventory, requests: 0 };
  }
  const { conn, client } = openClient(opts.source.connect, progress, opts.onConnected, {
    totalTimeoutMs: COLLECTION_TIMEOUT_MS,
    ...opts.client,
  });
  try {
    const collected = await collect(client, {
      namespace: opts.namespace ?? DEFAULT_NAMESPACE,
      keepRaw: opts.keepRaw ?? false,
      onProgress: progress,
      ...(opts.now ? { now: () => opts.now as Date } : {}),
    });
    collected.inventory.source = { type: 'cluster', server: redactUrl(conn.server), context: conn.context };
    return { ...collected, requests: client.requests };
  } finally {
    client.close();
  }
}

/** A snapshot is judged at the moment it was taken, a live cluster at the moment it was read. */
export function evaluationInstant(inv: Inventory): Date {
  return inv.source.type === 'snapshot' ? new Date(inv.collectedAt) : new Date();
}

/** Connects (the one place a live run says where to) and opens a client that logs its retries. */
function openClient(
  opts: ConnectOptions,
  progress: (line: string) => void,
  onConnected: ((conn: Connection) => void) | undefined,
  clientOpts: KubeClientOptions = {},
): { conn: Connection; client: KubeClient } {
  const conn = connect(opts);
  onConnected?.(conn);
  progress(`connecting to ${redactUrl(conn.server)} (context ${conn.context}, from ${conn.origin})`);
  const client = new KubeClient(conn.kc, conn.server, {
    ...clientOpts,
    onRetry: (r) => progress(`retrying ${r.path} in ${r.delayMs} ms (attempt ${r.attempt}: ${r.cause})`),
  });
  return { conn, client };
}

export interface WaitOnClusterOptions extends Omit<WaitOptions, 'onProgress'> {
  connect: ConnectOptions;
  onProgress?: (line: string) => void;
  onConnected?: (conn: Connection) => void;
}

/**
 * The wait mode's input end, shared by the action and `flux-health wait`. Condition messages come
 * from the cluster, so every progress line is made safe for a terminal or the Actions log here.
 */
export async function waitOnCluster(opts: WaitOnClusterOptions): Promise<WaitResult> {
  const { connect: connectOpts, onProgress, onConnected, ...waitOpts } = opts;
  const progress = (line: string): void => onProgress?.(terminalText(line, 1000));
  const { client } = openClient(connectOpts, progress, onConnected);
  try {
    return await waitForRevision(client, { ...waitOpts, onProgress: progress });
  } finally {
    client.close();
  }
}
