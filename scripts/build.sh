#!/usr/bin/env bash
# Bundles the action and the CLI into dist/ (ESM): dist/index.js is the entry, and each command and
# client the entry loads on demand is its own chunk in dist/chunks/, so `--version` or a snapshot
# check never loads the Kubernetes or GitHub clients. esbuild rather than ncc: ncc minifies only
# its entry file, which left 22 MB of unminified chunks; BENCHMARKS.md ("Start-up") has both.
# Usage: scripts/build.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-dist}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
# Bundled CommonJS packages call require() and read __dirname, which ES modules lack.
banner="import { createRequire as __fhRequire } from 'node:module'; import { fileURLToPath as __fhPath } from 'node:url'; import { dirname as __fhDir } from 'node:path'; const require = __fhRequire(import.meta.url); const __filename = __fhPath(import.meta.url); const __dirname = __fhDir(__filename);"
npx esbuild src/index.ts --bundle --platform=node --format=esm --splitting --target=node20 \
  --outdir="$out" --entry-names='[name]' --chunk-names='chunks/[name]-[hash]' \
  --minify --legal-comments=none --metafile="$tmp/meta.json" --banner:js="$banner" --log-level=warning
echo '{ "type": "module" }' >"$out/package.json"
node scripts/licenses.mjs "$tmp/meta.json" >"$out/licenses.txt"
