#!/usr/bin/env bash
# Fetches Prometheus's own PromQL test cases (promql/promqltest/testdata/*.test) that the
# conformance runner checks the evaluator against, from the Go module proxy at a pinned version,
# into ${FLUX_HEALTH_CACHE:-$HOME/.cache/flux-health}/promql-cases/<version>/, and prints that
# directory. Only the files the runner applies to are copied (see FILES).
set -euo pipefail
CACHE="${FLUX_HEALTH_CACHE:-$HOME/.cache/flux-health}"
# Prometheus 3.x; these seven files are byte-identical to those the evaluator was checked against.
VERSION=v0.315.0
FILES=(aggregators collision literals name_label_dropping operators selectors trig_functions)
OUT="$CACHE/promql-cases/$VERSION"
if [[ -f "$OUT/.complete" ]]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null || { echo "[promql-cases] ERROR: go is not installed" >&2; exit 1; }
json="$(cd "${TMPDIR:-/tmp}" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "github.com/prometheus/prometheus@$VERSION")" \
  || { echo "[promql-cases] ERROR: the Go module proxy does not serve github.com/prometheus/prometheus@$VERSION" >&2; exit 1; }
dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")"
rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp"
for f in "${FILES[@]}"; do cp "$dir/promql/promqltest/testdata/$f.test" "$OUT.tmp/"; done
cp "$dir/LICENSE" "$OUT.tmp/LICENSE"
touch "$OUT.tmp/.complete"
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
echo "[promql-cases] copied ${#FILES[@]} test files of prometheus $VERSION into $OUT" >&2
echo "$OUT"
