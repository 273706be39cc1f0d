/**
 * A loopback stand-in for the Actions results service as `@actions/artifact` v6 uses it to upload
 * an artifact:
 *
 * 1. `POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact` (twirp JSON with
 *    proto field names, `Authorization: Bearer <ACTIONS_RUNTIME_TOKEN>`) → a signed blob URL;
 * 2. the zip streamed to that URL as Azure Blob Storage block blob requests
 *    (`PUT ?comp=block&blockid=…` per chunk, then `PUT ?comp=blocklist` with the XML block list;
 *    a single `PUT` with `x-ms-blob-type: BlockBlob` is accepted too);
 * 3. `POST …/FinalizeArtifact` with the size and `sha256:<hex>` of what was uploaded → its id;
 *
 * and to list and download the run's artifacts (what a matrix's final job does):
 *
 * 4. `POST …/ListArtifacts` (optionally by `name_filter` or `id_filter`) → every finalized
 *    artifact of the workflow run, whichever job uploaded it;
 * 5. `POST …/GetSignedArtifactURL` with a name → a signed blob URL, then `GET` of it → the zip.
 *
 * The runtime token is a JWT whose `scp` claim carries `Actions.Results:<run>:<job>`, as the
 * runner's is; the client decodes it without checking the signature, and so does this fake.
 * Every job of the run has its own token (`jobEnv`); the job ids in a request must be its token's.
 * Uploads are kept per artifact name; `unzip(name)` returns the files inside.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, sendText, startLoopback, type Exchange, type RecordedRequest } from './http.js';
import { unzipToMap } from './zip.js';

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService';

export interface FakeArtifact {
  id: number;
  name: string;
  /** The job that created it. */
  jobBackendId: string;
  createdAt: string;
  version?: number;
  mimeType?: string;
  /** RFC 3339, when a retention was asked for. */
  expiresAt?: string;
  /** Staged but not yet committed blocks, by block id. */
  blocks: Map<string, Buffer>;
  /** The committed blob. */
  content?: Buffer;
  finalized: boolean;
  /** As sent to FinalizeArtifact. */
  size?: number;
  hash?: string;
  sig: string;
}

export interface TwirpFailure {
  status: number;
  code: string;
  msg: string;
}

export interface FakeArtifactServiceOptions {
  runBackendId?: string;
  jobBackendId?: string;
  /** Answer CreateArtifact with this twirp error instead. */
  failCreate?: TwirpFailure;
  /** Answer blob uploads with this status (Azure XML error body). */
  failBlob?: number;
}

export interface FakeArtifactService {
  /** `ACTIONS_RESULTS_URL`. */
  resultsUrl: string;
  /** `ACTIONS_RUNTIME_TOKEN`: a JWT carrying the run and job backend ids. */
  runtimeToken: string;
  /** The environment `@actions/artifact` reads, ready to merge into `process.env`. */
  env: Record<string, string>;
  /** The same for another job of the same workflow run (a matrix job). */
  jobEnv(jobBackendId: string): Record<string, string>;
  state: { artifacts: Map<string, FakeArtifact>; requests: RecordedRequest[] };
  /** The files inside an uploaded artifact's zip. */
  unzip(name: string): Map<string, Buffer>;
  close(): Promise<void>;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A runner-style runtime token. The signature is random: nobody verifies it client-side. */
export function makeRuntimeToken(runBackendId: string, jobBackendId: string): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5t: 'fake' }));
  const now = Math.floor(Date.now() / 1000);
  const payload = base64url(
    JSON.stringify({
      scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
      iat: now,
      nbf: now,
      exp: now + 6 * 3600,
      iss: 'vstoken.actions.githubusercontent.com',
    }),
  );
  return `${header}.${payload}.${base64url(randomBytes(32))}`;
}

function twirpError(response: ServerResponse, status: number, code: string, msg: string): void {
  sendJson(response, status, { code, msg });
}

function azureError(response: ServerResponse, status: number, code: string, message: string): void {
  const xml =
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<Error><Code>${code}</Code><Message>${message}\nRequestId:${randomBytes(8).toString('hex')}</Message></Error>`;
  sendText(response, status, xml, {
    'content-type': 'application/xml',
    'x-ms-error-code': code,
    'x-ms-version': '2025-11-05',
  });
}

/** Block ids in a `<BlockList>` body, in order (Latest, Committed or Uncommitted). */
function parseBlockList(xml: string): string[] {
  return Array.from(xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g), (m) => m[2] as string);
}

export async function startFakeArtifactService(
  options: FakeArtifactServiceOptions = {},
): Promise<FakeArtifactService> {
  const runBackendId = options.runBackendId ?? 'c3f1f3b4-1f0e-4a57-9c55-2a8f6e1e0a01';
  const jobBackendId = options.jobBackendId ?? 'b8e2d1a0-7c4b-5f21-8e3d-6a9b0c1d2e03';
  const runtimeToken = makeRuntimeToken(runBackendId, jobBackendId);
  /** Runtime token → the job it was issued to. */
  const tokens = new Map<string, string>([[runtimeToken, jobBackendId]]);
  const artifacts = new Map<string, FakeArtifact>();
  const requests: RecordedRequest[] = [];
  let nextId = 4_200_000_001;
  let origin = '';

  const blobHeaders = (): Record<string, string> => ({
    etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
    'last-modified': new Date().toUTCString(),
    'x-ms-request-id': randomBytes(16).toString('hex'),
    'x-ms-version': '2025-11-05',
    'x-ms-request-server-encrypted': 'true',
    date: new Date().toUTCString(),
  });

  const checkIds = (exchange: Exchange, body: Record<string, unknown>, job: string): boolean => {
    if (body['workflow_run_backend_id'] !== runBackendId || body['workflow_job_run_backend_id'] !== job) {
      twirpError(
        exchange.response,
        400,
        'invalid_argument',
        'workflow run or job backend id does not match the token',
      );
      return false;
    }
    return true;
  };

  const blobUrl = (artifact: FakeArtifact, permissions: string): string =>
    `${origin}/blob/fakeaccount/actions-results/${artifact.id}/${encodeURIComponent(artifact.name)}.zip?sv=2025-11-05&se=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}&sr=b&sp=${permissions}&sig=${encodeURIComponent(artifact.sig)}`;

  /** A protobuf wrapper (StringValue, Int64Value) as JSON: the bare value, or `{ value }`. */
  const wrapped = (v: unknown): string | undefined =>
    typeof v === 'string' || typeof v === 'number'
      ? String(v)
      : typeof v === 'object' && v !== null && 'value' in v
        ? String((v as { value: unknown }).value)
        : undefined;

  const listArtifacts = (response: ServerResponse, request: Record<string, unknown>): void => {
    const name = wrapped(request['name_filter']);
    const id = wrapped(request['id_filter']);
    const listed = [...artifacts.values()]
      .filter((a) => a.finalized)
      .filter((a) => name === undefined || a.name === name)
      .filter((a) => id === undefined || String(a.id) === id)
      .map((a) => ({
        workflow_run_backend_id: runBackendId,
        workflow_job_run_backend_id: a.jobBackendId,
        database_id: String(a.id),
        name: a.name,
        size: String(a.size ?? 0),
        created_at: a.createdAt,
        ...(a.hash ? { digest: a.hash } : {}),
      }));
    sendJson(response, 200, { artifacts: listed });
  };

  const handleTwirp = (exchange: Exchange, method: string): void => {
    const { recorded, response } = exchange;
    if (recorded.method !== 'POST')
      return twirpError(response, 404, 'bad_route', `no handler for ${recorded.method} ${recorded.path}`);
    const job = tokens.get((recorded.headers['authorization'] ?? '').replace(/^Bearer /, ''));
    if (job === undefined) {
      return twirpError(response, 401, 'unauthenticated', 'invalid or missing runtime token');
    }
    const body = recorded.json;
    if (typeof body !== 'object' || body === null)
      return twirpError(response, 400, 'malformed', 'body is not JSON');
    const request = body as Record<string, unknown>;
    const name = request['name'];
    if (method === 'GetSignedArtifactURL') {
      // The client names the artifact by the ids ListArtifacts gave: the job that uploaded it.
      const artifact = typeof name === 'string' ? artifacts.get(name) : undefined;
      if (!artifact?.finalized)
        return twirpError(response, 404, 'not_found', `no finalized artifact named ${String(name)}`);
      if (!checkIds(exchange, request, artifact.jobBackendId)) return;
      return sendJson(response, 200, { signed_url: blobUrl(artifact, 'r') });
    }
    if (!checkIds(exchange, request, job)) return;
    if (method === 'ListArtifacts') return listArtifacts(response, request);
    if (typeof name !== 'string' || name === '')
      return twirpError(response, 400, 'invalid_argument', 'name is required');

    if (method === 'CreateArtifact') {
      if (options.failCreate)
        return twirpError(
          response,
          options.failCreate.status,
          options.failCreate.code,
          options.failCreate.msg,
        );
      if (artifacts.get(name)?.finalized) {
        return twirpError(
          response,
          409,
          'already_exists',
          `an artifact with this name already exists on the workflow run: ${name}`,
        );
      }
      const id = nextId++;
      const sig = base64url(randomBytes(24));
      const mime = request['mime_type'];
      artifacts.set(name, {
        id,
        name,
        jobBackendId: job,
        createdAt: new Date().toISOString(),
        version: typeof request['version'] === 'number' ? request['version'] : undefined,
        mimeType:
          typeof mime === 'string'
            ? mime
            : typeof mime === 'object' && mime !== null
              ? String((mime as { value?: unknown }).value)
              : undefined,
        expiresAt: typeof request['expires_at'] === 'string' ? request['expires_at'] : undefined,
        blocks: new Map(),
        finalized: false,
        sig,
      });
      const created = artifacts.get(name) as FakeArtifact;
      return sendJson(response, 200, { ok: true, signed_upload_url: blobUrl(created, 'cw') });
    }

    if (method === 'FinalizeArtifact') {
      const artifact = artifacts.get(name);
      if (!artifact) return twirpError(response, 404, 'not_found', `no artifact named ${name} was created`);
      if (!artifact.content) return twirpError(response, 400, 'failed_precondition', 'no blob was committed');
      const size = Number(request['size']);
      const hashField = request['hash'];
      const hash =
        typeof hashField === 'string'
          ? hashField
          : typeof hashField === 'object' && hashField !== null
            ? String((hashField as { value?: unknown }).value)
            : undefined;
      if (size !== artifact.content.length) {
        return twirpError(
          response,
          400,
          'invalid_argument',
          `size ${size} does not match the ${artifact.content.length} bytes uploaded`,
        );
      }
      const actual = `sha256:${createHash('sha256').update(artifact.content).digest('hex')}`;
      if (hash !== undefined && hash !== actual)
        return twirpError(response, 400, 'invalid_argument', `hash ${hash} does not match ${actual}`);
      artifact.finalized = true;
      artifact.size = size;
      artifact.hash = hash;
      return sendJson(response, 200, { ok: true, artifact_id: String(artifact.id) });
    }
    twirpError(response, 404, 'bad_route', `no handler for ${method}`);
  };

  const handleBlob = (exchange: Exchange, id: number): void => {
    const { recorded, response, raw, url } = exchange;
    const artifact = Array.from(artifacts.values()).find((a) => a.id === id);
    if (!artifact || url.searchParams.get('sig') !== artifact.sig) {
      return azureError(response, 403, 'AuthenticationFailed', 'Server failed to authenticate the request.');
    }
    if (recorded.method === 'GET') {
      if (!artifact.finalized || !artifact.content)
        return azureError(response, 404, 'BlobNotFound', 'The specified blob does not exist.');
      response.writeHead(200, {
        ...blobHeaders(),
        'content-type': 'application/zip',
        'content-length': String(artifact.content.length),
      });
      return void response.end(artifact.content);
    }
    if (options.failBlob)
      return azureError(
        response,
        options.failBlob,
        'AuthorizationFailure',
        'This request is not authorized to perform this operation.',
      );
    if (recorded.method !== 'PUT')
      return azureError(
        response,
        405,
        'UnsupportedHttpVerb',
        "The resource doesn't support specified Http Verb.",
      );
    const comp = url.searchParams.get('comp');
    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid');
      if (!blockId) return azureError(response, 400, 'MissingRequiredQueryParameter', 'blockid is required');
      artifact.blocks.set(blockId, Buffer.from(raw));
      return sendText(response, 201, '', { ...blobHeaders(), 'x-ms-content-crc64': 'AAAAAAAAAAA=' });
    }
    if (comp === 'blocklist') {
      const ids = parseBlockList(raw.toString('utf8'));
      const parts: Buffer[] = [];
      for (const blockId of ids) {
        const block = artifact.blocks.get(blockId);
        if (!block)
          return azureError(
            response,
            400,
            'InvalidBlockList',
            `The specified block list is invalid: ${blockId}`,
          );
        parts.push(block);
      }
      artifact.content = Buffer.concat(parts);
      artifact.blocks.clear();
      return sendText(response, 201, '', blobHeaders());
    }
    if (comp === null && recorded.headers['x-ms-blob-type'] === 'BlockBlob') {
      artifact.content = Buffer.from(raw);
      return sendText(response, 201, '', blobHeaders());
    }
    azureError(response, 400, 'InvalidQueryParameterValue', `unsupported comp=${comp}`);
  };

  const route = (exchange: Exchange): void => {
    const { path } = exchange.recorded;
    if (path.startsWith(`${SERVICE}/`)) return handleTwirp(exchange, path.slice(SERVICE.length + 1));
    const blob = /^\/blob\/fakeaccount\/actions-results\/(\d+)\//.exec(path);
    if (blob) return handleBlob(exchange, Number(blob[1]));
    twirpError(exchange.response, 404, 'bad_route', `no handler for ${exchange.recorded.method} ${path}`);
  };

  const server = await startLoopback(requests, route);
  origin = server.url;
  return {
    resultsUrl: `${server.url}/`,
    runtimeToken,
    env: { ACTIONS_RUNTIME_TOKEN: runtimeToken, ACTIONS_RESULTS_URL: `${server.url}/` },
    jobEnv(job) {
      const token = makeRuntimeToken(runBackendId, job);
      tokens.set(token, job);
      return { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: `${server.url}/` };
    },
    state: { artifacts, requests },
    unzip(name) {
      const artifact = artifacts.get(name);
      if (!artifact?.content) throw new Error(`no uploaded content for artifact ${name}`);
      return unzipToMap(artifact.content);
    },
    close: server.close,
  };
}
