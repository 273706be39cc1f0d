/**
 * The wait mode's loop: keep a live copy of the involved kinds (one feed per kind and namespace,
 * watching or polling), optionally request reconciliation first, and re-plan and re-judge on every
 * change until everything converged, something failed at the expected revision, or the time is
 * up. The result is plain data for the summary: every node with its state and reason.
 */
import { ConfigError } from '../errors.js';
import { ApiStatusError, type KubeClient } from '../cluster/kube-client.js';
import { compactCrd } from '../cluster/compact.js';
import type { KubeObject } from '../cluster/kube-object.js';
import { PART_OF_LABEL, PART_OF_VALUE } from '../inventory/index.js';
import { fmtDuration } from '../go/duration.js';
import { Feed } from './feed.js';
import { overall, step, type Verdict, type WaitMemory } from './judge.js';
import { WAIT_KINDS, keyOf, objectPath, waitKind, type WaitKind, type WaitObject } from './objects.js';
import { planWait, type PlanNode } from './plan.js';
import { dueForReconcile, requestReconciliation } from './reconcile.js';
import type { Selection } from './selection.js';

export type WaitOutcome = 'converged' | 'failed' | 'timeout';

export interface WaitResult {
  outcome: WaitOutcome;
  expected: string;
  elapsedMs: number;
  /** Every node waited for, sources and dependencies before what needs them. */
  objects: Verdict[];
  /** One line for logs and the summary's headline. */
  message: string;
  /** The `reconcile.fluxcd.io/requestedAt` value written, when reconciliation was requested. */
  requestedAt?: string;
}

export interface WaitOptions {
  /** Commit SHA (full or short), tag, chart version, OCI digest, or a Flux revision. */
  expected: string;
  timeoutMs: number;
  selection?: Selection;
  /** Request reconciliation of sources, then objects, before waiting. */
  reconcile?: boolean;
  /** False: poll instead of watching (default true). */
  watch?: boolean;
  /** Polling backoff bounds (default 1 s and 15 s). */
  pollMinMs?: number;
  pollMaxMs?: number;
  /** Seconds each watch connection lasts before it is renewed (default 300). */
  watchTimeoutSeconds?: number;
  /** Kinds and versions to use instead of discovering them from the Flux CRDs. */
  kinds?: readonly WaitKind[];
  onProgress?: (line: string) => void;
  now?: () => number;
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** The wait kinds the cluster serves, at the versions it stores. */
export async function discoverWaitKinds(
  client: KubeClient,
  onProgress: (line: string) => void = () => {},
): Promise<WaitKind[]> {
  let crds: KubeObject[];
  try {
    crds = await client.list<KubeObject>(CRD_PATH, { labelSelector: `${PART_OF_LABEL}=${PART_OF_VALUE}` });
  } catch (err) {
    if (err instanceof ApiStatusError && err.status === 403) {
      onProgress('cannot list CustomResourceDefinitions (403); assuming the Flux 2.7 API versions');
      return [...WAIT_KINDS];
    }
    throw err;
  }
  const kinds: WaitKind[] = [];
  for (const k of WAIT_KINDS) {
    const crd = crds.map(compactCrd).find((c) => c?.group === k.group && c.kind === k.kind);
    const version = crd?.storedVersions[crd.storedVersions.length - 1] ?? crd?.servedVersions[0];
    if (version) kinds.push({ ...k, version });
  }
  if (!kinds.some((k) => k.role === 'applier')) {
    throw new ConfigError(
      'cannot wait: no Kustomization or HelmRelease CRD labelled app.kubernetes.io/part-of=flux is installed; is Flux installed on this cluster?',
    );
  }
  return kinds;
}

function summarize(
  outcome: WaitOutcome,
  verdicts: readonly Verdict[],
  expected: string,
  elapsedMs: number,
): string {
  const after = fmtDuration(elapsedMs);
  if (outcome === 'converged') {
    if (verdicts.length === 0) return `no Kustomization or HelmRelease selected: nothing to wait for`;
    const required = verdicts.filter((v) => v.required).length;
    return `${verdicts.length} objects converged after ${after}: ${required} at ${expected}, ${verdicts.length - required} Ready`;
  }
  if (outcome === 'failed') {
    const f = verdicts.find((v) => v.state === 'failed');
    return f ? `${keyOf(f)} ${f.reason}` : 'failed';
  }
  const pending = verdicts.filter((v) => v.state !== 'converged');
  const list = pending.map((v) => `${keyOf(v)} (${v.reason})`).join('; ');
  return `timed out after ${after} waiting for ${expected}: ${pending.length} of ${verdicts.length} not ready: ${list}`;
}

/** Waits until the selection is Ready at the expected revision; see the module comment. */
/** How long a failure must hold before it ends the wait. */
export const FAILURE_SETTLE_MS = 3_000;

export async function waitForRevision(client: KubeClient, opts: WaitOptions): Promise<WaitResult> {
  const expected = opts.expected.trim();
  if (expected === '') throw new ConfigError('expected-revision is empty: give a commit SHA, tag or digest');
  const now = opts.now ?? Date.now;
  const progress = opts.onProgress ?? (() => {});
  const start = now();
  const deadline = start + opts.timeoutMs;
  const selection = opts.selection ?? {};
  const kinds = opts.kinds ?? (await discoverWaitKinds(client, progress));

  const abort = new AbortController();
  const feeds = new Map<string, Feed>();
  const running: Promise<void>[] = [];
  let fatal: unknown;
  let dirty = true;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    dirty = true;
    wake?.();
  };

  const feedKey = (kind: string, namespace: string): string => `${kind}|${namespace}`;
  /** Starts a feed unless one already covers the kind there; returns the new feed. */
  const ensure = (kindName: string, namespace: string): Feed | undefined => {
    const ns = namespace === '*' ? '' : namespace;
    if (feeds.has(feedKey(kindName, '')) || feeds.has(feedKey(kindName, ns))) return undefined;
    const kind = waitKind(kindName, kinds);
    if (!kind) return undefined;
    const feed = new Feed({
      client,
      kind,
      namespace: ns,
      watch: opts.watch !== false,
      pollMinMs: opts.pollMinMs ?? 1000,
      pollMaxMs: opts.pollMaxMs ?? 15_000,
      watchTimeoutSeconds: opts.watchTimeoutSeconds,
      signal: abort.signal,
      onChange: poke,
      onProgress: progress,
    });
    feeds.set(feedKey(kindName, ns), feed);
    running.push(
      feed.run().catch((err: unknown) => {
        fatal ??= err;
        poke();
      }),
    );
    return feed;
  };
  const objects = (): WaitObject[] => {
    const all = new Map<string, WaitObject>();
    for (const f of feeds.values()) for (const o of f.objects()) all.set(keyOf(o), o);
    return [...all.values()];
  };
  /** Resolves on the next change, a fatal feed error, or the deadline. */
  const nextChange = (until: number): Promise<void> =>
    new Promise((resolve) => {
      // setTimeout fires at once beyond 2^31-1 ms; a longer wait just wakes up once in a while.
      const timer = setTimeout(done, Math.min(Math.max(0, until - now()), 2 ** 31 - 1));
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  const untilListed = async (started: Feed[]): Promise<void> => {
    const all = Promise.all(started.map((f) => f.listed));
    let settled = false;
    void all.then(() => {
      settled = true;
      wake?.();
    });
    while (!settled && fatal === undefined && now() < deadline) await nextChange(deadline);
  };

  // The appliers in the selection's namespaces; sources follow once the plan names them.
  const names = selection.names ?? [];
  const initial: Feed[] = [];
  for (const k of kinds.filter((k) => k.role === 'applier')) {
    const namespaces =
      names.length > 0
        ? names.filter((s) => s.kind === k.kind).map((s) => s.namespace ?? '')
        : (selection.namespaces ?? []).length > 0
          ? (selection.namespaces as string[])
          : [''];
    for (const ns of namespaces) {
      const f = ensure(k.kind, ns);
      if (f) initial.push(f);
    }
  }

  let requestedAt: string | undefined;
  const asked = new Set<string>();
  const memory: WaitMemory = { reached: new Set(), firstDeployed: new Map() };
  const said = new Map<string, string>();
  const confirmed = new Set<string>();
  let failingSince: number | undefined;
  let announced = false;
  try {
    await untilListed(initial);
    for (;;) {
      if (fatal !== undefined) throw fatal;
      dirty = false;
      const plan = planWait(objects(), selection, expected);
      const added = plan.nodes
        .map((n) => ensure(n.kind, n.namespace))
        .filter((f): f is Feed => f !== undefined);
      if (added.length > 0) {
        await untilListed(added);
        if (now() < deadline) continue;
      }
      if (!announced) {
        announced = true;
        const required = plan.nodes.filter((n) => n.required).length;
        progress(
          `waiting up to ${fmtDuration(opts.timeoutMs)} for ${expected}: ${plan.nodes.length} objects, ${required} of them must reach it`,
        );
      }
      if (opts.reconcile) {
        requestedAt ??= new Date(now()).toISOString();
        memory.requestedAt = requestedAt;
        const due = dueForReconcile(plan, requestedAt, asked);
        if (due.length > 0) {
          for (const n of due) asked.add(n.key);
          await requestAll(due, requestedAt);
          continue;
        }
      }
      const verdicts = step(plan, memory);
      for (const v of verdicts) {
        const line = `${v.state}: ${v.reason}`;
        if (said.get(keyOf(v)) !== line) progress(`${keyOf(v)} ${line}`);
        said.set(keyOf(v), line);
      }
      const state = overall(verdicts);
      const outcome: WaitOutcome | undefined =
        state !== 'waiting' ? state : now() >= deadline ? 'timeout' : undefined;
      // Watches of different kinds and namespaces deliver in their own order, and a controller
      // can report a failure it reached with a spec the parent has just replaced (real Flux did,
      // under load). A failure is final once a fresh read of each failed object still shows it;
      // for objects a parent applies, it must also have held for FAILURE_SETTLE_MS.
      const failed = verdicts.filter((v) => v.state === 'failed');
      // Only an object another one in the plan applies can be failing on a spec its parent is
      // replacing; any other failure is final at once (a controller may retry right away).
      const applied = failed.every((v) => plan.byKey.get(keyOf(v))?.parent !== undefined);
      if (outcome === 'failed' && applied) {
        failingSince ??= now();
        const settled = failingSince + FAILURE_SETTLE_MS;
        if (now() < Math.min(settled, deadline)) {
          if (!dirty) await nextChange(Math.min(settled, deadline));
          continue;
        }
        if (await confirmFailures(failed)) continue;
      } else if (outcome === 'failed') {
        if (await confirmFailures(failed)) continue;
      } else failingSince = undefined;
      if (outcome) {
        const elapsedMs = now() - start;
        const result: WaitResult = {
          outcome,
          expected,
          elapsedMs,
          objects: verdicts,
          message: summarize(outcome, verdicts, expected, elapsedMs),
        };
        if (requestedAt !== undefined) result.requestedAt = requestedAt;
        return result;
      }
      if (!dirty) await nextChange(deadline);
    }
  } finally {
    abort.abort();
    await Promise.allSettled(running);
  }

  /**
   * Reads each failed object again; true when any came back newer than the copy the verdict was
   * made from (the caller judges again). Each object version is confirmed once.
   */
  async function confirmFailures(
    failed: readonly { kind: string; namespace: string; name: string }[],
  ): Promise<boolean> {
    let newer = false;
    for (const v of failed) {
      const kind = waitKind(v.kind, kinds);
      const feed = feeds.get(feedKey(v.kind, '')) ?? feeds.get(feedKey(v.kind, v.namespace));
      if (!kind || !feed) continue;
      const before = feed.versionOf(v);
      if (before === undefined || confirmed.has(`${keyOf(v)}@${before}`)) continue;
      confirmed.add(`${keyOf(v)}@${before}`);
      try {
        const fresh = await client.get<KubeObject>(objectPath(kind, v.namespace, v.name));
        feed.put(fresh);
        if (feed.versionOf(v) !== before) newer = true;
      } catch (err) {
        // Gone or unreadable now: the failure as seen stands.
        if (!(err instanceof ApiStatusError)) throw err;
      }
    }
    return newer;
  }

  async function requestAll(nodes: readonly PlanNode[], at: string): Promise<void> {
    const patched = await requestReconciliation(client, nodes, at, kinds);
    for (const { node, stored } of patched) {
      const feed = feeds.get(feedKey(node.kind, '')) ?? feeds.get(feedKey(node.kind, node.namespace));
      feed?.put(stored);
    }
    progress(
      `requested reconciliation at ${at} of ${patched.map((p) => p.node.key).join(', ') || 'nothing'}`,
    );
  }
}
