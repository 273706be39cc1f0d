/**
 * What may leave the cluster. Flux objects carry credentials in places an audit never needs:
 * userinfo and signed query strings in URLs (`https://user:token@host`, `?sig=…`), Helm values,
 * post-build substitutions, patches, container environments, and `last-applied-configuration`
 * annotations that repeat all of those. Everything Flux Health writes or prints goes through
 * here first: URLs lose their credentials wherever they appear (fields, labels, messages), and a
 * snapshot keeps only the fields the report, metrics and wait read.
 */
import { asObject, type KubeObject } from './kube-object.js';

export const REDACTED = 'REDACTED';

/** Query parameters that carry a credential (compared case-insensitively; `x-amz-*` etc. too). */
const SECRET_PARAMS =
  /^(?:token|access_token|id_token|auth|authorization|password|passwd|pass|pwd|secret|client_secret|api_key|apikey|key|sig|signature|credential|x-amz-[a-z-]+|x-goog-[a-z-]+|sv|se|sp|st|spr|srt|ss|skoid|sktid|skt|ske|sks|skv)$/i;

/** `scheme://[userinfo@]host…`: userinfo ends at the last `@` before the path. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@'"<>]*@)?([^\s'"<>]*)/gi;

function redactQuery(rest: string): string {
  const q = rest.indexOf('?');
  if (q < 0) return rest;
  const hash = rest.indexOf('#', q);
  const query = rest.slice(q + 1, hash < 0 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // keep the raw name
      }
      return eq >= 0 && SECRET_PARAMS.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return rest.slice(0, q + 1) + redacted + (hash < 0 ? '' : rest.slice(hash));
}

function redactOne(scheme: string, userinfo: string | undefined, rest: string): string {
  let user = '';
  if (userinfo) {
    const name = userinfo.slice(0, -1);
    // `ssh://git@host` names an account, not a credential; anything else may be a token.
    user = /^ssh:/i.test(scheme) && !name.includes(':') ? userinfo : '';
  }
  return scheme + user + redactQuery(rest);
}

/** A URL without credentials: userinfo dropped (ssh's plain user kept), secret query values replaced. */
export function redactUrl(url: string): string {
  return redactText(url);
}

/** Free text (a condition or event message) with every URL in it redacted as `redactUrl` does. */
export function redactText(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_IN_TEXT, (_m, scheme: string, userinfo: string | undefined, rest: string) =>
    redactOne(scheme, userinfo, rest),
  );
}

/** Deep copy of `value` with every string passed through `redactText`. */
function redactStrings(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactStrings);
  const o = asObject(value);
  if (!o) return value;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, redactStrings(v)]));
}

function pick(o: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  const src = asObject(o);
  if (!src) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The spec fields of Flux objects that the report, metrics and wait read; nothing else is kept. */
const FLUX_SPEC_KEYS = [
  'suspend',
  'interval',
  'url',
  'endpoint',
  'bucketName',
  'type',
  'image',
  'address',
  'path',
  'ref',
  'sourceRef',
  'chartRef',
  'imageRepositoryRef',
  'dependsOn',
  'distribution',
  'sync',
  'version',
  'reconcileStrategy',
] as const;

const METADATA_KEYS = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
] as const;

function redactedMetadata(o: KubeObject): Record<string, unknown> {
  const meta = pick(o.metadata, METADATA_KEYS) ?? {};
  const annotations = asObject(meta['annotations']);
  if (annotations) {
    // kubectl's copy of the whole applied object, Helm values and substitutions included.
    const { 'kubectl.kubernetes.io/last-applied-configuration': _applied, ...rest } = annotations;
    if (Object.keys(rest).length > 0) meta['annotations'] = rest;
    else delete meta['annotations'];
  }
  return meta;
}

/**
 * A Flux object (or the FluxReport) as a snapshot keeps it: metadata without kubectl's applied
 * copy, only the spec fields in FLUX_SPEC_KEYS (a HelmRelease's `spec.chart` reduced to chart,
 * version, sourceRef and reconcileStrategy; a HelmChart's `spec.chart` is its name), the status,
 * and every URL redacted.
 */
export function redactFluxObject(o: KubeObject): KubeObject {
  const spec = asObject(o.spec);
  const kept: Record<string, unknown> = { ...(pick(spec, FLUX_SPEC_KEYS) ?? {}) };
  const chart = spec?.['chart'];
  if (typeof chart === 'string') kept['chart'] = chart;
  else if (asObject(chart)) {
    const chartSpec = pick(asObject(chart)?.['spec'], ['chart', 'version', 'sourceRef', 'reconcileStrategy']);
    if (chartSpec) kept['chart'] = { spec: chartSpec };
  }
  const out: KubeObject = { ...o, metadata: redactedMetadata(o) };
  if (spec) out.spec = o.kind === 'FluxReport' ? spec : kept;
  return redactStrings(out) as KubeObject;
}

/** A controller Deployment as a snapshot keeps it: replicas, images and status, no env or args. */
export function redactDeployment(o: KubeObject): KubeObject {
  const spec = asObject(o.spec);
  const template = asObject(spec?.['template']);
  const podSpec = asObject(template?.['spec']);
  const containers = Array.isArray(podSpec?.['containers'])
    ? (podSpec['containers'] as unknown[]).map((c) => pick(c, ['name', 'image']) ?? {})
    : [];
  const out: KubeObject = {
    ...o,
    metadata: redactedMetadata(o),
    spec: {
      ...(pick(spec, ['replicas', 'progressDeadlineSeconds', 'selector']) ?? {}),
      template: { metadata: pick(template?.['metadata'], ['labels']) ?? {}, spec: { containers } },
    },
  };
  return redactStrings(out) as KubeObject;
}

/** Any other object a snapshot keeps (events, nodes): URLs in its strings redacted. */
export function redactObject(o: KubeObject): KubeObject {
  return redactStrings(o) as KubeObject;
}
