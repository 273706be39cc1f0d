/**
 * The built-in Flux alerting rules, embedded as rule-file text (the bundled action cannot read files next
 * to itself). `examples/rules/` holds identical copies for users and for `promtool check rules`; a test
 * keeps them in sync. Documentation: examples/rules/README.md.
 *
 * Two variants differ only in ReconciliationFailure's grouping label:
 * - `namespace` (default): the series as Flux Health computes them, or scraped with honor_labels, where
 *   `namespace` is the object's namespace. This is the rule from Flux's monitoring docs, verbatim.
 * - `exported_namespace`: the series as scraped by a PodMonitor/ServiceMonitor without honor_labels, where
 *   the target's `namespace` wins and the object's moves to `exported_namespace`.
 * Both keep the alert name `ReconciliationFailure`, so Alertmanager routes match either; the group names
 * differ. Only one variant is evaluated at a time: on series without `exported_namespace`, the other
 * variant would merge objects of different namespaces.
 *
 * Severity scheme: `critical` (Flux itself is down), `page` (as in Flux's docs), `warning`, `info`.
 */
import { parseRuleText, type LoadedGroup } from './load.js';

export type BuiltinVariant = 'namespace' | 'exported_namespace';

function reconciliationGroup(variant: BuiltinVariant): string {
  const ns = variant;
  const group = variant === 'namespace' ? 'flux-health.gotk' : 'flux-health.gotk-exported-namespace';
  return `  - name: ${group}
    rules:
      # Flux's documented rule: Ready=False for 10 minutes and the object is not being deleted
      # (L + 2·Deleted == 1 keeps failing objects whose Deleted series is 0).
      - alert: ReconciliationFailure
        expr: max(gotk_reconcile_condition{status="False",type="Ready"}) by (${ns}, name, kind) + on(${ns}, name, kind) (max(gotk_reconcile_condition{status="Deleted"}) by (${ns}, name, kind)) * 2 == 1
        for: 10m
        labels:
          severity: page
        annotations:
          summary: '{{ $labels.kind }} {{ $labels.${ns} }}/{{ $labels.name }} reconciliation has been failing for more than ten minutes.'
          description: 'gotk_reconcile_condition reports Ready=False for {{ $labels.kind }} {{ $labels.${ns} }}/{{ $labels.name }} for at least 10 minutes, and the object is not being deleted. Run: flux get all -n {{ $labels.${ns} }}'
`;
}

const COMMON_GROUPS = `  - name: flux-health.resources
    rules:
      - alert: FluxResourceNotReady
        expr: max by (kind, exported_namespace, name, reason) (flux_resource_info{ready="False",suspended="False",reason!="DependencyNotReady"})
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: '{{ $labels.kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} has not been ready for 10 minutes ({{ $labels.reason }}).'
          description: 'flux_resource_info reports ready="False" with reason {{ $labels.reason }} for at least 10 minutes; the object is not suspended. Objects waiting for a dependency (DependencyNotReady) are left to the alert on that dependency.'
      - alert: FluxResourceReconciling
        expr: max by (kind, exported_namespace, name, reason) (flux_resource_info{ready="Unknown",suspended="False"})
        for: 30m
        labels:
          severity: warning
        annotations:
          summary: '{{ $labels.kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} has been reconciling for 30 minutes without becoming ready.'
          description: 'flux_resource_info reports ready="Unknown" (reason {{ $labels.reason }}) for at least 30 minutes: the reconciliation neither succeeds nor fails, often a health check waiting on workloads.'
      - alert: FluxResourceSuspended
        expr: max by (kind, exported_namespace, name) (flux_resource_info{suspended="True"})
        for: 24h
        labels:
          severity: info
        annotations:
          summary: '{{ $labels.kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} has been suspended for more than a day.'
          description: 'Reconciliation of this object is suspended, so changes in its source are not applied. Resume it with flux resume, or exclude info alerts from the gate with --fail-on severity:critical,page,warning.'
  - name: flux-health.components
    rules:
      - alert: FluxControllerNotReady
        expr: flux_health_component_ready == 0
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: 'Flux component {{ $labels.namespace }}/{{ $labels.name }} has not been ready for 5 minutes.'
          description: 'The {{ $labels.name }} Deployment has no available replicas. While it is down, the objects it reconciles are not updated. Check: kubectl -n {{ $labels.namespace }} describe deployment {{ $labels.name }}'
      - alert: FluxHealthKindsForbidden
        expr: flux_health_kinds_forbidden > 0
        labels:
          severity: warning
        annotations:
          summary: 'Flux Health could not list {{ $value }} Flux kind(s): the report is incomplete.'
          description: 'The identity running the check lacks list permission on some Flux kinds (see flux_health_kind_listed{state="forbidden"}); alerts on objects of those kinds cannot fire.'
`;

/** The built-in rule file for one variant, as text. */
export function builtinRuleText(variant: BuiltinVariant = 'namespace'): string {
  return (
    `# Flux Health built-in alerting rules (${variant} variant). Documented in examples/rules/README.md.\n` +
    'groups:\n' +
    reconciliationGroup(variant) +
    COMMON_GROUPS
  );
}

/** File name under which built-in rules appear in alerts and errors. */
export function builtinRuleFileName(variant: BuiltinVariant = 'namespace'): string {
  return variant === 'namespace' ? 'builtin:flux-health.yml' : 'builtin:flux-health-exported-namespace.yml';
}

const cache = new Map<BuiltinVariant, LoadedGroup[]>();

/** The built-in rules, parsed and checked (throws if the embedded text were ever invalid). */
export function builtinRuleGroups(variant: BuiltinVariant = 'namespace'): LoadedGroup[] {
  const hit = cache.get(variant);
  if (hit) return hit;
  const r = parseRuleText(builtinRuleText(variant), builtinRuleFileName(variant));
  if (r.errors.length > 0) throw new Error(`built-in rules are invalid: ${r.errors[0]?.message}`);
  cache.set(variant, r.groups);
  return r.groups;
}
