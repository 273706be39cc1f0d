/**
 * The pipeline's input end: an Inventory from a snapshot file or a live cluster. Everything after
 * this is pure. The live path is imported on demand, so a snapshot run never loads the
 * Kubernetes client.
 */
import { readFile, stat } from 'node:fs/promises';
import type { RawCollection } from './cluster/collect.js';
import type { ConnectOptions, Connection } from './cluster/connect.js';
import { ConfigError } from './errors.js';
import type { Inventory } from './inventory/index.js';
import type { LiveCluster } from './live.js';
import { readSnapshotText } from './snapshot/read.js';

/**
 * The largest snapshot read: parsing takes about 20 times the file's size in memory (62 MiB took
 * 1.3 GB), so 100 MiB stays well inside Node's default heap.
 */
export const MAX_SNAPSHOT_BYTES = 100 * 2 ** 20;

/** A snapshot file, a cluster to connect to, or a cluster already connected (the run's). */
export type InventorySource = { snapshot: string } | { connect: ConnectOptions } | { cluster: LiveCluster };

export interface AcquireOptions {
  source: InventorySource;
  /** The Flux namespace; undefined: decided by fluxNamespace (options.ts). */
  namespace?: string;
  /** Only these namespaces' Flux objects (a live cluster only); undefined: every namespace. */
  namespaces?: readonly string[];
  now?: Date;
  keepRaw?: boolean;
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

async function readSnapshotFile(file: string): Promise<string> {
  try {
    const { size } = await stat(file);
    if (size > MAX_SNAPSHOT_BYTES)
      throw new ConfigError(
        `snapshot file ${file} is ${Math.round(size / 2 ** 20)} MiB; the limit is ${MAX_SNAPSHOT_BYTES / 2 ** 20} MiB (about 90,000 objects), which keeps the heap safe: snapshot fewer namespaces or split the file`,
      );
    return await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `snapshot file ${file} does not exist`
        : `snapshot file ${file} cannot be read (${code ?? 'error'})`,
    );
  }
}

export async function acquireInventory(opts: AcquireOptions): Promise<Acquired> {
  const progress = opts.onProgress ?? (() => {});
  const { source } = opts;
  if ('snapshot' in source) {
    if (opts.namespaces)
      throw new ConfigError(
        'namespaces limit what is read from a live cluster; a snapshot holds what it holds',
      );
    const text = await readSnapshotFile(source.snapshot);
    progress(`reading snapshot ${source.snapshot}`);
    const inventory = readSnapshotText(text, {
      file: source.snapshot,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    });
    return { inventory, requests: 0 };
  }
  const live = await import('./live.js');
  const collectOpts = {
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    ...(opts.namespaces ? { namespaces: opts.namespaces } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    keepRaw: opts.keepRaw ?? false,
    onProgress: progress,
  };
  if ('cluster' in source) return live.collectFrom(source.cluster, collectOpts);
  const cluster = live.openCluster(source.connect, progress, opts.onConnected);
  try {
    return await live.collectFrom(cluster, collectOpts);
  } finally {
    cluster.client.close();
  }
}
