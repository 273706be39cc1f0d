#!/usr/bin/env bash
# Builds promtool from Prometheus 3 (Go module github.com/prometheus/prometheus at the version pinned
# as PROMETHEUS_MODULE in test/envtest/versions.env) into the git-ignored cache
# ${FLUX_HEALTH_CACHE:-$HOME/.cache/flux-health}:
#   bin/promtool-<module version>   the oracle of the PromQL differential tests and of every test
#                                   that runs promtool (test/support/promtool.ts finds it)
# Our evaluator follows Prometheus 3 semantics, so the oracle has to be Prometheus 3 too; Debian
# ships only 2.42. The module is built through a throwaway wrapper module (go get + go build), the
# way `go install` would, but with upstream's version stamps so `promtool --version` names the release.
# Idempotent and keyed by version; prints the binary's path, then its version line on stderr.
# A cold build (empty Go module and build caches) took 7.6 minutes on two busy cores (BENCHMARKS.md).
set -euo pipefail

TAG=promtool3
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export GOFLAGS="$GOFLAGS -mod=mod"

command -v go >/dev/null || die "go is not installed (Go >= 1.26.7 needed: Prometheus 3.16's go.mod says so)"
[[ -n "${PROMETHEUS_MODULE:-}" ]] || die "PROMETHEUS_MODULE is not set in test/envtest/versions.env"

MOD=github.com/prometheus/prometheus
OUT="$CACHE/bin/promtool-$PROMETHEUS_MODULE"
mkdir -p "$CACHE/bin"
lock_cache promtool3

if [[ ! -x "$OUT" ]]; then
  start=$SECONDS
  log "$(go version) | cache $CACHE"
  log "building promtool from $MOD@$PROMETHEUS_MODULE (cold: ~8 minutes on two cores) ..."
  work="$(mktemp -d "$CACHE/.promtool3.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  # Fails loudly when the proxy refuses the pin, so a pin that stops resolving is caught here.
  info="$(cd "$work" && go mod download -json "$MOD@$PROMETHEUS_MODULE" 2>&1)" ||
    die "the Go module proxy does not serve $MOD@$PROMETHEUS_MODULE: $(grep -o '"Error": "[^"]*"' <<<"$info" | head -1)"
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$info")"
  release="$(cat "$dir/VERSION")"
  # The module's publication time stands in for upstream's build date, so rebuilds are identical.
  published="$(sed -n 's/.*"Time": *"\([0-9-]*\)T\([0-9:]*\)Z".*/\1 \2/p' "$(sed -n 's/^[[:space:]]*"Info": "\(.*\)",\{0,1\}$/\1/p' <<<"$info")")"
  build_date="$(tr -d - <<<"${published% *}")-${published#* }"
  (
    cd "$work"
    go mod init flux-health.invalid/promtool-build >/dev/null 2>&1
    go get "$MOD/cmd/promtool@$PROMETHEUS_MODULE"
    # Upstream's .promu.yml: these tags and -X stamps (revision: the module version, since the
    # module zip carries no commit).
    v=github.com/prometheus/common/version
    go build -trimpath -tags netgo,builtinassets -o "$OUT.tmp.$$" \
      -ldflags "-s -w -X $v.Version=$release -X $v.Revision=$PROMETHEUS_MODULE -X $v.Branch=HEAD -X $v.BuildUser=flux-health -X $v.BuildDate=$build_date" \
      "$MOD/cmd/promtool"
  )
  mv -f "$OUT.tmp.$$" "$OUT"
  log "built promtool $release in $((SECONDS - start))s"
fi

# Captured first: with pipefail, `--version | head` can fail when head exits early (SIGPIPE).
reported="$("$OUT" --version 2>&1)" || die "$OUT --version failed"
log "$(head -n 1 <<<"$reported")"
echo "$OUT"
