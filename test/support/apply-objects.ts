// Bulk "create these objects, then write their status" against any API server (the shared test
// cluster or an isolated one), for tests that fill a cluster with generated objects. There are no
// controllers: status is written through the status subresource exactly as a controller would.
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeRequest, type RawResponse } from '../envtest/http.js';
import { forApiServer, type Json, type KubeObject } from './flux-objects.js';

interface Resource {
  plural: string;
  namespaced: boolean;
  /** The resource has a `/status` subresource: a create ignores `status`, so it is written after. */
  statusSubresource: boolean;
}

export interface ApplyOptions {
  /** Requests in flight at once (default 8). */
  concurrency?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Discovery per group/version, one request each, shared by all objects of that group/version. */
class Discovery {
  private readonly docs = new Map<string, Promise<Map<string, Resource>>>();

  constructor(private readonly kc: KubeConfig) {}

  async resource(apiVersion: string, kind: string): Promise<Resource> {
    let doc = this.docs.get(apiVersion);
    if (!doc) {
      doc = this.load(apiVersion);
      this.docs.set(apiVersion, doc);
    }
    const found = (await doc).get(kind);
    if (!found) throw new Error(`${apiVersion} serves no kind ${kind}`);
    return found;
  }

  private async load(apiVersion: string): Promise<Map<string, Resource>> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const res = await send(this.kc, 'GET', path);
    const doc = JSON.parse(res.body) as { resources: { name: string; kind: string; namespaced: boolean }[] };
    const names = new Set(doc.resources.map((r) => r.name));
    const out = new Map<string, Resource>();
    for (const r of doc.resources) {
      if (r.name.includes('/')) continue;
      out.set(r.kind, {
        plural: r.name,
        namespaced: r.namespaced,
        statusSubresource: names.has(`${r.name}/status`),
      });
    }
    return out;
  }
}

/** One request; retries what a loaded API server answers transiently. Non-2xx is an error naming the call. */
async function send(kc: KubeConfig, method: string, path: string, body?: unknown): Promise<RawResponse> {
  for (let attempt = 1; ; attempt++) {
    let res: RawResponse;
    try {
      res = await kubeRequest(kc, path, {
        method,
        ...(body === undefined ? {} : { body }),
        timeoutMs: 30_000,
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ECONNRESET' || code === 'EPIPE') && attempt < 5) {
        await sleep(200 * attempt);
        continue;
      }
      throw err;
    }
    if ((res.status === 429 || res.status >= 500) && attempt < 5) {
      await sleep(200 * attempt);
      continue;
    }
    if (res.status < 200 || res.status >= 300)
      throw new Error(`${method} ${path}: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
    return res;
  }
}

function collectionPath(apiVersion: string, r: Resource, namespace: string | undefined): string {
  const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  if (!r.namespaced) return `${prefix}/${r.plural}`;
  if (!namespace) throw new Error(`${r.plural} is namespaced but the object has no namespace`);
  return `${prefix}/namespaces/${encodeURIComponent(namespace)}/${r.plural}`;
}

/**
 * The status with every `observedGeneration` moved by the difference between the generation the
 * server gave the object and the one the generator meant. A create always yields generation 1, so
 * copying the generator's numbers would turn an up-to-date object into one whose controller lags
 * (kstatus reads `observedGeneration != generation` as InProgress); keeping the gap keeps the state.
 */
export function alignObservedGenerations(
  status: Json,
  intended: number | undefined,
  stored: number | undefined,
): Json {
  if (intended === undefined || stored === undefined || intended === stored) return status;
  const shift = stored - intended;
  const out: Json = { ...status };
  if (typeof out.observedGeneration === 'number') out.observedGeneration += shift;
  if (Array.isArray(out.conditions)) {
    out.conditions = out.conditions.map((c: unknown) => {
      if (typeof c !== 'object' || c === null) return c;
      const cond = c as Json;
      return typeof cond.observedGeneration === 'number'
        ? { ...cond, observedGeneration: cond.observedGeneration + shift }
        : cond;
    });
  }
  return out;
}

/** Creates each namespace that does not exist yet. */
export async function ensureNamespaces(kc: KubeConfig, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const res = await kubeRequest(kc, '/api/v1/namespaces', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    });
    if (res.status !== 201 && res.status !== 409)
      throw new Error(`creating namespace ${name}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  }
}

/**
 * Creates every object (server-owned metadata dropped, see `forApiServer`), then writes its status
 * through `/status` when the resource has that subresource (otherwise the status goes in the create,
 * where the server keeps it). Returns the objects as the server stored them, in input order.
 */
export async function applyObjects(
  kc: KubeConfig,
  objects: readonly KubeObject[],
  opts: ApplyOptions = {},
): Promise<KubeObject[]> {
  const discovery = new Discovery(kc);
  const out = new Array<KubeObject>(objects.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const i = next++;
      out[i] = await applyOne(kc, discovery, objects[i] as KubeObject);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, objects.length) }, worker));
  return out;
}

async function applyOne(kc: KubeConfig, discovery: Discovery, obj: KubeObject): Promise<KubeObject> {
  const r = await discovery.resource(obj.apiVersion, obj.kind);
  const { object, status } = forApiServer(obj);
  const path = collectionPath(obj.apiVersion, r, obj.metadata.namespace);
  const body = !r.statusSubresource && status !== undefined ? { ...object, status } : object;
  const created = JSON.parse((await send(kc, 'POST', path, body)).body) as KubeObject;
  if (!r.statusSubresource || status === undefined) return created;
  const aligned = alignObservedGenerations(status, obj.metadata.generation, created.metadata.generation);
  const name = encodeURIComponent(obj.metadata.name);
  const res = await send(kc, 'PUT', `${path}/${name}/status`, { ...created, status: aligned });
  return JSON.parse(res.body) as KubeObject;
}
