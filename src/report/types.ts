/**
 * The FluxReport as the Flux Operator writes it (`fluxcd.controlplane.io/v1`). Optional keys are the
 * ones Go drops with `omitempty`; the property order follows the Go structs so that JSON and YAML
 * come out in the order the operator's own serialiser uses.
 */

export const REPORT_API_VERSION = 'fluxcd.controlplane.io/v1';
export const REPORT_KIND = 'FluxReport';
export const REPORT_NAME = 'flux';

export interface DistributionStatus {
  entitlement: string;
  status: string;
  version?: string;
  managedBy?: string;
}

export interface ClusterInfo {
  serverVersion: string;
  platform: string;
  nodes?: number;
}

export interface OperatorInfo {
  apiVersion: string;
  /** Not in the operator's CRD: says which tool wrote this report (the issue asks for it). */
  name: string;
  version: string;
  platform: string;
}

export interface ComponentStatus {
  name: string;
  ready: boolean;
  status: string;
  image: string;
}

export interface ReconcilerStats {
  running: number;
  failing: number;
  suspended: number;
  totalSize?: string;
}

export interface ReconcilerStatus {
  apiVersion: string;
  kind: string;
  stats: ReconcilerStats;
}

export interface SyncStatus {
  id: string;
  path?: string;
  ready: boolean;
  status: string;
  source?: string;
}

export interface FluxReportSpec {
  distribution: DistributionStatus;
  cluster?: ClusterInfo;
  operator?: OperatorInfo;
  components?: ComponentStatus[];
  reconcilers?: ReconcilerStatus[];
  sync?: SyncStatus;
}

export interface ReportCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface FluxReport {
  apiVersion: typeof REPORT_API_VERSION;
  kind: typeof REPORT_KIND;
  metadata: { name: typeof REPORT_NAME; namespace: string };
  spec: FluxReportSpec;
  status: { conditions: ReportCondition[] };
}

/** The identity of the tool that stands in for the operator. */
export interface ToolInfo {
  name?: string;
  version: string;
  platform: string;
}

export interface ReportOptions {
  now: Date;
  operator: ToolInfo;
  /** How long the check took; feeds the Ready message like the operator's own timing. */
  durationMs?: number;
}

/** The step at which the operator's Compute would have stopped, and the error it would have logged. */
export interface ComputeStop {
  step: 'crds' | 'reconcilers' | 'sync';
  error: string;
}
