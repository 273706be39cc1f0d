export { buildFluxReport, computeSpec, reportFrom, type SpecComputation } from './report.js';
export { buildHealthSection, type HealthSection, type HealthOptions } from './health.js';
export { diffReports, type ReportDifference } from './diff.js';
export { renderReportJson, renderReportYaml } from './render.js';
export { formatSize } from './size.js';
export type * from './types.js';
export type { ComputeStop } from './types.js';
export type {
  KindSummary,
  ObjectSummary,
  FailingObject,
  SyncAnswer,
  ExistingReportComparison,
} from './health.js';
