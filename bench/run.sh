#!/usr/bin/env bash
# `npm run bench`: runs each benchmark entry below in turn, in its own Node process.
# Usage: npm run bench [-- NAME...]   (NAME = an entry without .ts, e.g. `npm run bench -- collect`)
# Exits non-zero only when an entry fails (an error); a missed target prints "TARGET MISSED" and
# does not fail the run.
set -uo pipefail

# Benchmark entries, in the order they run. Add yours here (a bench/*.ts file that prints its own
# section); an entry whose file does not exist yet is reported and skipped.
ENTRIES=(
  collect.ts        # collection against a real API server: ours, the raw floor, client-node (bench/*-once.ts)
  watch.ts          # watch of one Flux kind: KubeClient.watch vs client-node's Watch (+ bench/watch-once.ts)
  report-metrics.ts # report and metrics from an in-memory Inventory
  rules.ts          # rule evaluation: built-in rules over 100,000 series, 1,000 rules loaded
  promql.ts         # the PromQL engine alone: store build, ReconciliationFailure, 1,000 expressions
  regex.ts          # label matchers per series (old JS RegExp, re2js, fast path) and (a|aa)+b over growing input
  render.ts         # summary and comment of 1,000 and 10,000 objects beside their analysis
  startup.ts        # the bundle's start-up beside a bare `node -e 0`: --version, --help, demo check, action
  fleet.ts          # `fleet` over 50 and 500 run folders of the demo beside reading + JSON.parse of the same files
)

cd "$(dirname "$0")/.."

selected=("$@")
failed=()
echo "bench: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), node $(node --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
for entry in "${ENTRIES[@]}"; do
  name="${entry%.ts}"
  if [ "${#selected[@]}" -gt 0 ] && [[ ! " ${selected[*]} " =~ " ${name} " ]]; then
    continue
  fi
  if [ ! -f "bench/${entry}" ]; then
    echo "bench: bench/${entry} does not exist yet; skipped"
    continue
  fi
  echo "bench: === ${name} === (load $(cut -d' ' -f1-3 /proc/loadavg))"
  start=$(date +%s)
  if node --import tsx "bench/${entry}"; then
    echo "bench: ${name} finished in $(( $(date +%s) - start )) s"
  else
    rc=$?
    echo "bench: ${name} FAILED (exit ${rc})"
    failed+=("${name}")
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "bench: failed: ${failed[*]}"
  exit 1
fi
