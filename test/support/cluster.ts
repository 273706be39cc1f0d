// Helpers for integration tests against the real control plane started by
// test/setup/control-plane.ts. There are no controllers in that cluster: tests play the part of
// the Flux controllers (and of kube-controller-manager and the kubelet) by creating objects and
// writing their status through the status subresource, exactly as those components do.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  AppsV1Api,
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  VersionApi,
  type CoreV1Event,
  type V1Deployment,
  type V1DeploymentStatus,
  type V1Node,
  type V1NodeStatus,
} from '@kubernetes/client-node';
import { inject } from 'vitest';
import { loadCa } from '../envtest/certs.js';
import { mintIdentity } from '../envtest/control-plane.js';
import { kubeRequest, type RawResponse } from '../envtest/http.js';

export interface Clients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  custom: CustomObjectsApi;
  apiext: ApiextensionsV1Api;
  rbac: RbacAuthorizationV1Api;
  authn: AuthenticationV1Api;
  authz: AuthorizationV1Api;
  events: EventsV1Api;
  version: VersionApi;
}

export function loadKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** Typed clients acting as the identity of a kubeconfig (a path or a loaded KubeConfig). */
export function clientsFor(kubeconfig: string | KubeConfig): Clients {
  const kc = typeof kubeconfig === 'string' ? loadKubeConfig(kubeconfig) : kubeconfig;
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    apiext: kc.makeApiClient(ApiextensionsV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    authn: kc.makeApiClient(AuthenticationV1Api),
    authz: kc.makeApiClient(AuthorizationV1Api),
    events: kc.makeApiClient(EventsV1Api),
    version: kc.makeApiClient(VersionApi),
  };
}

let admin: Clients | undefined;

/** Clients as CN=flux-health-admin (system:masters). */
export function adminClients(): Clients {
  admin ??= clientsFor(inject('kubeconfigAdmin'));
  return admin;
}

/** Clients as CN=flux-health-limited: reads every Flux kind except HelmRelease, plus cluster facts. */
export function limitedClients(): Clients {
  return clientsFor(inject('kubeconfigLimited'));
}

/** A raw request as admin (or as `kc`), for exact status codes and discovery documents. */
export function rawRequest(
  path: string,
  opts: { method?: string; body?: unknown; kc?: KubeConfig } = {},
): Promise<RawResponse> {
  return kubeRequest(opts.kc ?? adminClients().kc, path, opts);
}

function suffix(): string {
  return randomBytes(3).toString('hex');
}

/**
 * Writes a kubeconfig for a new identity (client certificate CN=user, O=groups) and returns its
 * path. The identity has no permissions beyond discovery until a test binds some.
 */
export async function mintKubeconfig(user: string, groups: readonly string[] = []): Promise<string> {
  const caDir = inject('clientCaDir');
  const certName = `minted-${process.pid}-${suffix()}`;
  const path = join(caDir, '..', '..', `${certName}.kubeconfig`);
  await mintIdentity(
    await loadCa(caDir),
    inject('servingCaPem'),
    inject('server'),
    user,
    groups,
    path,
    certName,
  );
  return path;
}

/**
 * Creates a namespace with a unique name and returns the name. Without a namespace controller a
 * deleted namespace stays Terminating for ever, so each test gets a fresh one instead of reusing.
 */
export async function uniqueNamespace(prefix = 'test', labels: Record<string, string> = {}): Promise<string> {
  const base =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'test';
  const name = `${base}-${Date.now().toString(36)}-${suffix()}`;
  await adminClients().core.createNamespace({
    body: { metadata: { name, labels: { 'flux-health.test/ephemeral': 'true', ...labels } } },
  });
  return name;
}

/** A Flux (or flux-operator) object as a controller would leave it: spec from the user, status from the controller. */
export interface FluxObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** The object as the server returned it (uid, resourceVersion, generation, ... filled in). */
export type StoredObject = FluxObject & {
  metadata: FluxObject['metadata'] & { uid: string; resourceVersion: string; generation?: number };
};

const plurals = new Map<string, string>();

/** The resource (plural) serving `kind` in `apiVersion`, from the discovery document. */
export async function pluralOf(apiVersion: string, kind: string): Promise<string> {
  const key = `${apiVersion}/${kind}`;
  const cached = plurals.get(key);
  if (cached) return cached;
  const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const res = await rawRequest(path);
  if (res.status !== 200) throw new Error(`discovery of ${apiVersion} failed: HTTP ${res.status}`);
  const doc = JSON.parse(res.body) as { resources: { name: string; kind: string }[] };
  const found = doc.resources.find((r) => r.kind === kind && !r.name.includes('/'));
  if (!found) throw new Error(`${apiVersion} serves no kind ${kind}`);
  plurals.set(key, found.name);
  return found.name;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) throw new Error(`${apiVersion} is not a custom resource group/version`);
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * Creates a custom object, then writes `obj.status` through the status subresource (a create
 * ignores status when the CRD has that subresource, as all Flux CRDs do). Returns the stored object.
 */
export async function createFluxObject(obj: FluxObject): Promise<StoredObject> {
  const { group, version } = splitApiVersion(obj.apiVersion);
  const plural = await pluralOf(obj.apiVersion, obj.kind);
  const { custom } = adminClients();
  const { status, ...withoutStatus } = obj;
  const created = (await custom.createNamespacedCustomObject({
    group,
    version,
    namespace: obj.metadata.namespace,
    plural,
    body: withoutStatus,
  })) as StoredObject;
  if (status === undefined) return created;
  return setFluxStatus(created, status);
}

/** A custom object as the server holds it now (with what the CLI under test may have annotated). */
export async function getFluxObject(
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): Promise<StoredObject> {
  const { group, version } = splitApiVersion(apiVersion);
  const plural = await pluralOf(apiVersion, kind);
  return (await adminClients().custom.getNamespacedCustomObject({
    group,
    version,
    namespace,
    plural,
    name,
  })) as StoredObject;
}

/** Replaces the status of a stored custom object through /status; returns the stored object. */
export async function setFluxStatus(obj: FluxObject, status: Record<string, unknown>): Promise<StoredObject> {
  const { group, version } = splitApiVersion(obj.apiVersion);
  const plural = await pluralOf(obj.apiVersion, obj.kind);
  return (await adminClients().custom.replaceNamespacedCustomObjectStatus({
    group,
    version,
    namespace: obj.metadata.namespace,
    plural,
    name: obj.metadata.name,
    body: { ...obj, status },
  })) as StoredObject;
}

/** A metav1.Condition in the wire form Flux controllers write. */
export function condition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  lastTransitionTime: Date = new Date(),
  observedGeneration = 1,
): Record<string, unknown> {
  // The API server stores seconds precision; writing that keeps read-back comparisons exact.
  const seconds = new Date(Math.floor(lastTransitionTime.getTime() / 1000) * 1000);
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: seconds.toISOString().replace('.000Z', 'Z'),
    observedGeneration,
  };
}

export interface DeploymentOptions {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  image?: string;
  replicas?: number;
  /** Written through /status; default: all replicas ready and Available=True. */
  status?: V1DeploymentStatus;
}

/** Creates a Deployment and writes its status as the deployment controller would. */
export async function createDeployment(opts: DeploymentOptions): Promise<V1Deployment> {
  const { apps } = adminClients();
  const replicas = opts.replicas ?? 1;
  const labels = { app: opts.name, ...opts.labels };
  const created = await apps.createNamespacedDeployment({
    namespace: opts.namespace,
    body: {
      metadata: { name: opts.name, namespace: opts.namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: { app: labels.app } },
        template: {
          metadata: { labels },
          spec: {
            containers: [{ name: 'manager', image: opts.image ?? `ghcr.io/fluxcd/${opts.name}:v0.0.0` }],
          },
        },
      },
    },
  });
  const now = new Date();
  const status: V1DeploymentStatus = opts.status ?? {
    observedGeneration: created.metadata?.generation ?? 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastTransitionTime: now,
        lastUpdateTime: now,
      },
    ],
  };
  return apps.replaceNamespacedDeploymentStatus({
    namespace: opts.namespace,
    name: opts.name,
    body: { ...created, status },
  });
}

export interface NodeOptions {
  ready?: boolean;
  kubeletVersion?: string;
  labels?: Record<string, string>;
}

/** Creates a Node and writes a kubelet-like status (Ready condition, nodeInfo). */
export async function createNode(name: string, opts: NodeOptions = {}): Promise<V1Node> {
  const { core } = adminClients();
  const created = await core.createNode({
    body: {
      metadata: {
        name,
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...opts.labels },
      },
    },
  });
  const now = new Date();
  const ready = opts.ready ?? true;
  const status: V1NodeStatus = {
    conditions: [
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        reason: ready ? 'KubeletReady' : 'KubeletNotReady',
        message: ready ? 'kubelet is posting ready status' : 'container runtime network not ready',
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      },
    ],
    nodeInfo: {
      architecture: 'amd64',
      bootID: 'test',
      containerRuntimeVersion: 'containerd://2.0.0',
      kernelVersion: '6.1.0',
      kubeProxyVersion: '',
      kubeletVersion: opts.kubeletVersion ?? inject('controlPlaneVersions').kubernetes,
      machineID: 'test',
      operatingSystem: 'linux',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      systemUUID: 'test',
    },
  };
  return core.replaceNodeStatus({ name, body: { ...created, status } });
}

export interface WarningEventOptions {
  namespace: string;
  involvedObject: { apiVersion: string; kind: string; name: string; uid?: string };
  reason: string;
  message: string;
  /** Emitting controller, e.g. `kustomize-controller`. */
  component?: string;
  count?: number;
  /** Last occurrence; default now. */
  lastTimestamp?: Date;
}

/** Creates a core/v1 Warning Event the way a Flux controller's event recorder does. */
export async function createWarningEvent(opts: WarningEventOptions): Promise<CoreV1Event> {
  const last = opts.lastTimestamp ?? new Date();
  const component = opts.component ?? 'kustomize-controller';
  return adminClients().core.createNamespacedEvent({
    namespace: opts.namespace,
    body: {
      metadata: {
        name: `${opts.involvedObject.name}.${Date.now().toString(16)}${suffix()}`,
        namespace: opts.namespace,
      },
      involvedObject: { ...opts.involvedObject, namespace: opts.namespace },
      type: 'Warning',
      reason: opts.reason,
      message: opts.message,
      source: { component },
      reportingComponent: component,
      count: opts.count ?? 1,
      firstTimestamp: last,
      lastTimestamp: last,
    },
  });
}
