#!/usr/bin/env bash
# Bundles the action and the CLI into one self-contained ESM file, dist/index.js (ncc, minified:
# @kubernetes/client-node alone is 16 MB unminified). Usage: scripts/build.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-dist}"
npx ncc build src/index.ts -o "$out" --target es2022 --transpile-only --minify --license licenses.txt --quiet
