/**
 * A live copy of one kind in one namespace (or all): list, then watch from the list's
 * resourceVersion; list again when the watch says the version expired (410); fall back to polling
 * with exponential backoff when watching fails (forbidden, not allowed, or the watch keeps
 * breaking). Polling restarts at the shortest interval whenever something changed.
 */
import { ConfigError } from '../errors.js';
import { ApiStatusError, type KubeClient, type WatchEvent } from '../cluster/kube-client.js';
import type { KubeObject } from '../cluster/kube-object.js';
import { collectionPath, keyOf, toWaitObject, type WaitKind, type WaitObject } from './objects.js';

export interface FeedOptions {
  client: KubeClient;
  kind: WaitKind;
  /** Empty: all namespaces. */
  namespace: string;
  /** False: poll from the start (tests, or API servers behind proxies that cut streams). */
  watch: boolean;
  pollMinMs: number;
  pollMaxMs: number;
  /** Seconds the server keeps one watch connection open before the feed reconnects. */
  watchTimeoutSeconds?: number;
  signal: AbortSignal;
  onChange: () => void;
  onProgress: (line: string) => void;
}

interface Entry {
  object: WaitObject;
  resourceVersion: string;
}

interface ListResult {
  items: KubeObject[];
  resourceVersion?: string;
  /** The kind is not served (CRD absent): nothing to feed. */
  missing?: boolean;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

export class Feed {
  readonly entries = new Map<string, Entry>();
  mode: 'watch' | 'poll';
  /** Resolves once the first list is in. */
  readonly listed: Promise<void>;
  private markListed!: () => void;
  private readonly path: string;

  constructor(private readonly opts: FeedOptions) {
    this.mode = opts.watch ? 'watch' : 'poll';
    this.path = collectionPath(opts.kind, opts.namespace);
    this.listed = new Promise((resolve) => (this.markListed = resolve));
  }

  get scope(): string {
    return `${this.opts.kind.plural}${this.opts.namespace === '' ? ' in all namespaces' : ` in namespace ${this.opts.namespace}`}`;
  }

  objects(): WaitObject[] {
    return [...this.entries.values()].map((e) => e.object);
  }

  /** Runs until the signal aborts; rejects on failures the wait cannot continue after. */
  async run(): Promise<void> {
    const { signal } = this.opts;
    let slept: number | undefined;
    while (!signal.aborted) {
      const listed = await this.list();
      const changed = this.replace(listed.items);
      this.markListed();
      if (changed) this.opts.onChange();
      if (listed.missing || signal.aborted) return;
      if (this.mode === 'watch') {
        try {
          await this.opts.client.watch<KubeObject>(this.path, {
            resourceVersion: listed.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300,
            signal,
            onEvent: (e) => this.apply(e),
            onReconnect: (r) =>
              this.opts.onProgress(
                `watch of ${this.scope} broke (${r.cause}); reconnecting in ${r.delayMs} ms`,
              ),
          });
        } catch (err) {
          if (signal.aborted) return;
          if (err instanceof ApiStatusError && (err.status === 410 || err.reason === 'Expired')) continue;
          if (err instanceof ConfigError) throw err;
          this.mode = 'poll';
          slept = undefined;
          this.opts.onProgress(
            `cannot watch ${this.scope} (${describe(err)}); polling every ${this.opts.pollMinMs / 1000}s to ${this.opts.pollMaxMs / 1000}s instead`,
          );
        }
      } else {
        slept = pollDelay(slept, changed, this.opts.pollMinMs, this.opts.pollMaxMs);
        await sleep(slept, signal);
      }
    }
  }

  private async list(): Promise<ListResult> {
    const items: KubeObject[] = [];
    let resourceVersion: string | undefined;
    try {
      await this.opts.client.eachPage<KubeObject>(this.path, {}, 500, undefined, (page) => {
        if (Array.isArray(page.items)) items.push(...page.items);
        resourceVersion ??= page.metadata?.resourceVersion;
      });
    } catch (err) {
      if (err instanceof ApiStatusError && err.status === 404) return { items: [], missing: true };
      if (err instanceof ApiStatusError && err.status === 403) {
        throw new ConfigError(
          `cannot list ${this.scope} (403 Forbidden): grant get, list and watch on ${this.opts.kind.plural}.${this.opts.kind.group} to wait for them`,
        );
      }
      throw err;
    }
    return resourceVersion === undefined ? { items } : { items, resourceVersion };
  }

  /** Replaces the whole copy with a list; true when anything differs. */
  private replace(items: readonly KubeObject[]): boolean {
    const next = new Map<string, Entry>();
    for (const raw of items) {
      const e = this.entryOf(raw);
      next.set(keyOf(e.object), e);
    }
    let changed = next.size !== this.entries.size;
    for (const [k, e] of next) if (this.entries.get(k)?.resourceVersion !== e.resourceVersion) changed = true;
    this.entries.clear();
    for (const [k, e] of next) this.entries.set(k, e);
    return changed;
  }

  private entryOf(raw: KubeObject): Entry {
    // List items omit kind and apiVersion; the feed knows both.
    const full: KubeObject = {
      ...raw,
      kind: this.opts.kind.kind,
      apiVersion: `${this.opts.kind.group}/${this.opts.kind.version}`,
    };
    return { object: toWaitObject(full), resourceVersion: raw.metadata?.resourceVersion ?? '' };
  }

  private apply(event: WatchEvent<KubeObject>): void {
    const e = this.entryOf(event.object);
    const key = keyOf(e.object);
    if (event.type === 'DELETED') this.entries.delete(key);
    else if (!this.isNewer(key, e)) return;
    else this.entries.set(key, e);
    this.opts.onChange();
  }

  /**
   * False when the copy already holds a newer version (a fresh read or a patch response can be
   * ahead of the watch stream). resourceVersions compare as numbers in etcd; anything else
   * counts as newer.
   */
  private isNewer(key: string, e: Entry): boolean {
    const had = Number(this.entries.get(key)?.resourceVersion);
    const now = Number(e.resourceVersion);
    return !(Number.isFinite(had) && Number.isFinite(now) && had > now);
  }

  /** The resourceVersion of the copy's object, if the copy has it. */
  versionOf(o: { kind: string; namespace: string; name: string }): string | undefined {
    return this.entries.get(keyOf(o))?.resourceVersion;
  }

  /** Puts an object the wait itself just wrote or read (a patch or get response) into the copy. */
  put(raw: KubeObject): void {
    const e = this.entryOf(raw);
    const key = keyOf(e.object);
    if (this.isNewer(key, e)) this.entries.set(key, e);
  }
}

/** The pause before the next poll: doubling from the shortest, back to it after a change. */
export function pollDelay(
  previousMs: number | undefined,
  changed: boolean,
  minMs: number,
  maxMs: number,
): number {
  return changed || previousMs === undefined ? minMs : Math.min(previousMs * 2, maxMs);
}

function describe(err: unknown): string {
  if (err instanceof ApiStatusError) return `${err.status} ${err.reason}`.trim();
  return err instanceof Error ? err.message : String(err);
}
