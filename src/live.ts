/**
 * The live cluster's input end: one connection, opened once, serves the wait and then the
 * collection. Loaded only on the paths that talk to a cluster, since the Kubernetes client is the
 * heaviest part of the bundle.
 */
import { collect, type RawCollection } from './cluster/collect.js';
import { connect, type ConnectOptions, type Connection } from './cluster/connect.js';
import { KubeClient, type KubeClientOptions } from './cluster/kube-client.js';
import { redactUrl } from './cluster/redact.js';
import type { Inventory } from './inventory/index.js';
import { fluxNamespace } from './options.js';
import { terminalText } from './render/terminal.js';
import { waitForRevision, type WaitOptions, type WaitResult } from './wait/wait.js';

/** Collection as a whole ends within this (each request has its own 30 s deadline too). */
export const COLLECTION_TIMEOUT_MS = 10 * 60_000;

export interface LiveCluster {
  conn: Connection;
  client: KubeClient;
}

/** Connects (the one place a live run says where to) and opens a client that logs its retries. */
export function openCluster(
  opts: ConnectOptions,
  progress: (line: string) => void,
  onConnected?: (conn: Connection) => void,
  clientOpts: KubeClientOptions = {},
): LiveCluster {
  const conn = connect(opts);
  onConnected?.(conn);
  progress(`connecting to ${redactUrl(conn.server)} (context ${conn.context}, from ${conn.origin})`);
  const client = new KubeClient(conn.kc, conn.server, {
    ...clientOpts,
    onRetry: (r) => progress(`retrying ${r.path} in ${r.delayMs} ms (attempt ${r.attempt}: ${r.cause})`),
  });
  return { conn, client };
}

export interface CollectFromOptions {
  namespace?: string;
  /** Only these namespaces' Flux objects (a tenant's); undefined: every namespace. */
  namespaces?: readonly string[];
  now?: Date;
  keepRaw?: boolean;
  onProgress?: (line: string) => void;
}

export async function collectFrom(
  cluster: LiveCluster,
  opts: CollectFromOptions,
): Promise<{ inventory: Inventory; raw?: RawCollection; requests: number }> {
  const { conn, client } = cluster;
  client.limitTotalTime(COLLECTION_TIMEOUT_MS);
  const collected = await collect(client, {
    namespace: fluxNamespace(opts.namespace),
    ...(opts.namespaces ? { namespaces: opts.namespaces } : {}),
    keepRaw: opts.keepRaw ?? false,
    onProgress: opts.onProgress ?? (() => {}),
    ...(opts.now ? { now: () => opts.now as Date } : {}),
  });
  collected.inventory.source = { type: 'cluster', server: redactUrl(conn.server), context: conn.context };
  return { ...collected, requests: client.requests };
}

/**
 * Waits for a revision on an open cluster. Condition messages come from the cluster, so every
 * progress line is made safe for a terminal or the Actions log here.
 */
export function waitOn(
  cluster: LiveCluster,
  opts: Omit<WaitOptions, 'onProgress'>,
  onProgress: (line: string) => void,
): Promise<WaitResult> {
  return waitForRevision(cluster.client, { ...opts, onProgress: (l) => onProgress(terminalText(l, 1000)) });
}

export interface WaitOnClusterOptions extends Omit<WaitOptions, 'onProgress'> {
  connect: ConnectOptions;
  onProgress?: (line: string) => void;
  onConnected?: (conn: Connection) => void;
}

/** `flux-health wait`: connect, wait, close. */
export async function waitOnCluster(opts: WaitOnClusterOptions): Promise<WaitResult> {
  const { connect: connectOpts, onProgress, onConnected, ...waitOpts } = opts;
  const progress = (line: string): void => onProgress?.(terminalText(line, 1000));
  const cluster = openCluster(connectOpts, progress, onConnected);
  try {
    return await waitOn(cluster, waitOpts, progress);
  } finally {
    cluster.client.close();
  }
}
