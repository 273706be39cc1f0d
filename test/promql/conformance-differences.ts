import type { ExpectedDifference } from '../support/promqltest.js';

/**
 * Cases of Prometheus's promqltest files where flux-health answers differently on purpose. A case listed
 * here whose failure contains `failure` is reported as not applicable with the entry's reason; any other
 * failure of it still fails. conformance.test.ts fails when an entry no longer covers a failing case, so
 * the list cannot outlive what it describes.
 */

// The promqltest engine runs with delayed name removal on (promql-delayed-name-removal), and with it
// Prometheus names the metric in the bad-`le` warning. The feature is off by default in Prometheus and
// promtool, which is the behaviour flux-health follows (names are dropped as each operation runs), so our
// warning is the one a default Prometheus 3.16 gives: the same text without ` for metric name "…"`.
const DELAYED_NAME_REMOVAL =
  'the test engine enables delayed name removal, which adds `for metric name "…"` to the bad-`le` warning; Prometheus and promtool default to it off, as flux-health does, and then print the warning without it';

const badLe = (file: string, expr: string): ExpectedDifference => ({
  file,
  expr,
  failure: 'for metric name',
  reason: DELAYED_NAME_REMOVAL,
});

export const EXPECTED_DIFFERENCES: readonly ExpectedDifference[] = [
  badLe('histograms.test', 'histogram_quantile(0.8, series)'),
  badLe('histograms.test', 'histogram_fraction(-Inf, 1, series)'),
  badLe('histograms.test', 'histogram_quantile(0.5, invalid_only)'),
  badLe('histograms.test', 'histogram_quantile(0.5, series)'),
  badLe('native_histograms.test', 'histogram_quantile(0.5, myHistogram1)'),
  badLe('native_histograms.test', 'histogram_quantile(0.5, myHistogram2)'),
];
