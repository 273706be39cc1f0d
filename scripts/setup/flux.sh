#!/usr/bin/env bash
# Builds the real Flux controllers and the Flux Operator that the wait and report tests run as
# local processes, into the git-ignored cache ${FLUX_HEALTH_CACHE:-$HOME/.cache/flux-health}:
#   bin/<controller>-<ver>   source-, kustomize-, helm-, notification-controller and flux-operator
#   flux.json                what was built (read by test/setup/flux.ts)
# Each binary is built from its module zip as served by the Go module proxy at the version pinned
# in test/envtest/versions.env. `go install mod@ver` cannot build them: their go.mod replaces the
# api module with ./api, which the module zip does not hold, so the replace is dropped and the api
# module comes from the proxy at the version the go.mod requires.
# Idempotent and keyed by version; a cold build takes ~25 min of two cores (see BENCHMARKS.md).
set -euo pipefail

TAG=flux
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export GOFLAGS="$GOFLAGS -mod=mod"

command -v go >/dev/null || die "go is not installed (Go >= 1.26 needed)"
command -v git >/dev/null || die "git is not installed (the tests serve a Git repository with git http-backend)"
git --exec-path >/dev/null && [[ -x "$(git --exec-path)/git-http-backend" ]] || die "git http-backend is missing (Debian package git)"

mkdir -p "$CACHE/bin" "$CACHE/src"
lock_cache flux
log "$(go version) | cache $CACHE"

# Directory of a module version in the module cache; fails loudly when the proxy refuses it, so a
# pin that stops resolving is caught on the next setup rather than on a cold cache months later.
module_dir() {
  local json
  json="$(cd "$CACHE" && go mod download -json "$1" 2>&1)" || die "the Go module proxy does not serve $1: $(grep -o '"Error": "[^"]*"' <<<"$json" | head -1)"
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json"
}

# $1 name, $2 module, $3 version, $4 main package, $5 optional prepare function.
build_controller() {
  local name="$1" mod="$2" ver="$3" pkg="$4" prepare="${5:-}" out="$CACHE/bin/$1-$3" start=$SECONDS src dir
  src="$(module_dir "$mod@$ver")"
  if [[ -x "$out" ]]; then log "have $name $ver"; return; fi
  log "building $name $ver (cold: several minutes) ..."
  dir="$CACHE/src/$name-$ver"
  rm -rf "$dir" && cp -r "$src" "$dir" && chmod -R u+w "$dir"
  (cd "$dir" && go mod edit -dropreplace="$mod/api")
  if [[ -n "$prepare" ]]; then (cd "$dir" && "$prepare"); fi
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$out.tmp.$$" "$pkg")
  mv -f "$out.tmp.$$" "$out"
  rm -rf "$dir"
  log "built $name $ver in $((SECONDS - start))s"
}

prepare_operator() {
  # A pin the proxy refuses; the replacement only pulls registry-auth code the tests never reach.
  go mod edit -replace="github.com/google/go-containerregistry/pkg/authn/kubernetes@$OPERATOR_AUTHN_K8S_REFUSED=github.com/google/go-containerregistry/pkg/authn/kubernetes@$OPERATOR_AUTHN_K8S"
  # The web UI bundle is built by npm upstream and is not in the module zip; the UI is disabled.
  mkdir -p web/dist && printf '<!doctype html><title>flux-operator</title>\n' >web/dist/index.html
}

build_controller source-controller github.com/fluxcd/source-controller "$SOURCE_CONTROLLER" .
build_controller kustomize-controller github.com/fluxcd/kustomize-controller "$KUSTOMIZE_CONTROLLER" .
build_controller helm-controller github.com/fluxcd/helm-controller "$HELM_CONTROLLER" .
build_controller notification-controller github.com/fluxcd/notification-controller "$NOTIFICATION_CONTROLLER" .
# The operator refuses to start outside FIPS 140 mode.
GOFIPS140=latest build_controller flux-operator github.com/controlplaneio-fluxcd/flux-operator "$FLUX_OPERATOR" ./cmd/operator prepare_operator

cat >"$CACHE/flux.json.tmp" <<JSON
{
  "sourceController": { "version": "$SOURCE_CONTROLLER", "bin": "$CACHE/bin/source-controller-$SOURCE_CONTROLLER" },
  "kustomizeController": { "version": "$KUSTOMIZE_CONTROLLER", "bin": "$CACHE/bin/kustomize-controller-$KUSTOMIZE_CONTROLLER" },
  "helmController": { "version": "$HELM_CONTROLLER", "bin": "$CACHE/bin/helm-controller-$HELM_CONTROLLER" },
  "notificationController": { "version": "$NOTIFICATION_CONTROLLER", "bin": "$CACHE/bin/notification-controller-$NOTIFICATION_CONTROLLER" },
  "fluxOperator": { "version": "$FLUX_OPERATOR", "bin": "$CACHE/bin/flux-operator-$FLUX_OPERATOR" },
  "git": "$(git --version | awk '{print $3}')"
}
JSON
mv -f "$CACHE/flux.json.tmp" "$CACHE/flux.json"
log "ready: $CACHE/flux.json"
