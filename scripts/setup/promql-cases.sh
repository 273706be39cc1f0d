#!/usr/bin/env bash
# Fetches Prometheus's own PromQL test cases (every promql/promqltest/testdata/*.test) that the
# conformance runner checks the evaluator against, from the Go module proxy at a pinned version,
# into ${FLUX_HEALTH_CACHE:-$HOME/.cache/flux-health}/promql-cases/<version>/, and prints that
# directory. Nothing fetched here is committed; the cache directory is keyed by the version, so
# changing VERSION (and test/promql/cases-dir.ts with it) fetches afresh.
set -euo pipefail
CACHE="${FLUX_HEALTH_CACHE:-$HOME/.cache/flux-health}"
# github.com/prometheus/prometheus v0.316.0 is Prometheus 3.16.
VERSION=v0.316.0
OUT="$CACHE/promql-cases/$VERSION"
if [[ -f "$OUT/.complete" ]]; then echo "$OUT"; exit 0; fi
command -v go >/dev/null || { echo "[promql-cases] ERROR: go is not installed" >&2; exit 1; }
json="$(cd "${TMPDIR:-/tmp}" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "github.com/prometheus/prometheus@$VERSION")" \
  || { echo "[promql-cases] ERROR: the Go module proxy does not serve github.com/prometheus/prometheus@$VERSION" >&2; exit 1; }
dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")"
src="$dir/promql/promqltest/testdata"
shopt -s nullglob
files=("$src"/*.test)
# An empty or missing testdata folder would make the conformance run vacuous: refuse it here.
((${#files[@]} > 0)) || { echo "[promql-cases] ERROR: no .test files in $src" >&2; exit 1; }
rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp"
cp "${files[@]}" "$OUT.tmp/"
cp "$dir/LICENSE" "$OUT.tmp/LICENSE"
# The module cache keeps files read-only; the cache copy may be replaced later, so make it writable.
chmod -R u+w "$OUT.tmp"
touch "$OUT.tmp/.complete"
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
echo "[promql-cases] copied ${#files[@]} test files of prometheus $VERSION into $OUT" >&2
echo "$OUT"
