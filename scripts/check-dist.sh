#!/usr/bin/env bash
# Fails when dist/ is not what the current source builds to: the action runs dist/, not src/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bash scripts/build.sh "$tmp"
if ! diff -rq dist "$tmp" >/dev/null; then
  diff -rq dist "$tmp" || true
  echo "dist/ is stale: run 'npm run build' and commit dist/" >&2
  exit 1
fi
echo "dist/ matches the source"
