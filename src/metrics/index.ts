export { buildSeries } from './series.js';
export { renderExposition } from './exposition.js';
export { familiesToPromSeries, type PromInputSeries } from './promql-input.js';
export { fluxResourceLabels } from './flux-resource-info.js';
export { ksmResourceLabels } from './ksm-resource-info.js';
export type { MetricFamily, MetricsOptions, Series } from './types.js';
