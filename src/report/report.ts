import { discoverKinds, type Inventory, type Gvk } from '../inventory/index.js';
import { clusterInfo } from './cluster.js';
import { componentsStatus } from './components.js';
import { distributionStatus } from './distribution.js';
import { fmtDuration } from '../go/duration.js';
import { reconcilersStatus, tallyKinds, type KindTallies } from './reconcilers.js';
import { syncStatus } from './sync.js';
import { rfc3339 } from './time.js';
import {
  REPORT_API_VERSION,
  REPORT_KIND,
  REPORT_NAME,
  type ComputeStop,
  type FluxReport,
  type FluxReportSpec,
  type ReportOptions,
} from './types.js';

export interface SpecComputation {
  /** The spec without `operator`, which the operator's controller fills in afterwards. */
  spec: FluxReportSpec;
  /** Where the operator's Compute would have returned early, if it would have. */
  stop?: ComputeStop;
  gvks: Gvk[];
  tallies?: KindTallies;
}

/**
 * The operator's `Compute`, step by step and with its early returns: a step that fails leaves every
 * later section out of the spec, exactly as the operator writes a partial result.
 */
export function computeSpec(inv: Inventory): SpecComputation {
  const spec: FluxReportSpec = { distribution: distributionStatus(inv) };
  const cluster = clusterInfo(inv.cluster);
  if (cluster) spec.cluster = cluster;

  const discovery = discoverKinds(inv.crds);
  if ('error' in discovery) return { spec, gvks: [], stop: { step: 'crds', error: discovery.error } };
  const gvks = discovery.gvks;

  const components = componentsStatus(inv);
  if (components.length) spec.components = components;

  const tallies = tallyKinds(inv, gvks);
  const rec = reconcilersStatus(tallies);
  if ('error' in rec) return { spec, gvks, tallies, stop: { step: 'reconcilers', error: rec.error } };
  if (rec.reconcilers.length) spec.reconcilers = rec.reconcilers;

  const sync = syncStatus(inv, gvks);
  if ('error' in sync) return { spec, gvks, tallies, stop: { step: 'sync', error: sync.error } };
  if (sync.sync) spec.sync = sync.sync;
  return { spec, gvks, tallies };
}

/** The FluxReport the operator would write for this Inventory, with this tool as its `operator`. */
export function buildFluxReport(inv: Inventory, opts: ReportOptions): FluxReport {
  return reportFrom(inv, computeSpec(inv), opts);
}

export function reportFrom(inv: Inventory, computed: SpecComputation, opts: ReportOptions): FluxReport {
  const { components, reconcilers, sync, ...head } = computed.spec;
  // Rebuilt so that `operator` sits where the Go struct puts it.
  const spec: FluxReportSpec = {
    ...head,
    operator: {
      apiVersion: REPORT_API_VERSION,
      name: opts.operator.name ?? 'flux-health',
      version: opts.operator.version,
      platform: opts.operator.platform,
    },
  };
  if (components) spec.components = components;
  if (reconcilers) spec.reconcilers = reconcilers;
  if (sync) spec.sync = sync;
  return {
    apiVersion: REPORT_API_VERSION,
    kind: REPORT_KIND,
    metadata: { name: REPORT_NAME, namespace: inv.namespace },
    spec,
    status: {
      // The operator marks the report Ready even when Compute stopped early; it only logs the error.
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Succeeded',
          message: `Reporting finished in ${fmtDuration(opts.durationMs ?? 0)}`,
          lastTransitionTime: rfc3339(opts.now),
        },
      ],
    },
  };
}
