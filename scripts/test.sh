#!/usr/bin/env bash
# The whole test suite, as `npm test` and CI run it on a fresh clone: installs what it needs
# (npm packages, promtool 3.16 and the envtest control plane built from the Go module proxy,
# cmark-gfm, chromium, prometheus and the Pushgateway), then lints, type-checks, verifies the
# committed bundle, and runs every unit and integration test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n== %s\n' "$*"; }

step "npm dependencies"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # Exactly the committed lockfile; never rewrite it (it lists every platform's optional packages).
  npm ci --no-audit --no-fund
else
  echo "node_modules is current"
fi

step "promtool 3.16 (built from the Go module proxy, cached): the oracle of the PromQL and rules tests"
bash scripts/setup/promtool3.sh >/dev/null

step "cmark-gfm and chromium (Debian packages: how GitHub renders our Markdown, and at what width)"
bash scripts/setup/render-tools.sh

step "prometheus and prometheus-pushgateway (Debian packages: the push tests deliver to them)"
bash scripts/setup/prometheus-servers.sh

step "envtest control plane (etcd, kube-apiserver, Flux CRDs)"
bash scripts/setup/envtest.sh

step "the real Flux controllers and Flux Operator (built from the Go module proxy, cached)"
bash scripts/setup/flux.sh

step "lint and types"
"$(bash scripts/setup/actionlint.sh)" .github/workflows/*.yml && echo "workflows pass actionlint"
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
npx tsc -p tsconfig.json

step "the committed bundle matches the source"
bash scripts/check-dist.sh

step "PromQL conformance: Prometheus's own test cases (not-applicable reasons: npm run conformance -- FILE)"
cases="$(bash scripts/setup/promql-cases.sh)"
conf_out="$(npx tsx scripts/conformance.ts "$cases"/*.test)" || { echo "$conf_out"; exit 1; }
grep -vE '^  n/a |^    ' <<<"$conf_out"

step "tests"
mkdir -p .cache
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-results.json || status=$?
# One plain closing line that any log reader understands, whatever vitest printed above it.
node scripts/closing-line.mjs .cache/vitest-results.json || status=1
exit "$status"
