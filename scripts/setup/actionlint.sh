#!/usr/bin/env bash
# Builds actionlint (the GitHub workflow linter) from the Go module proxy into the git-ignored cache
# and prints its path. Idempotent: reuses the cached binary of the pinned version.
set -euo pipefail
VERSION=v1.7.12
CACHE="${FLUX_HEALTH_CACHE:-$HOME/.cache/flux-health}"
BIN="$CACHE/tools/actionlint-$VERSION/actionlint"
if [[ ! -x "$BIN" ]]; then
  command -v go >/dev/null || { echo "[actionlint] ERROR: go is not installed" >&2; exit 1; }
  echo "[actionlint] building $VERSION from the Go module proxy" >&2
  mkdir -p "$(dirname "$BIN")"
  GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$(dirname "$BIN")" go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION" >&2
fi
echo "$BIN"
