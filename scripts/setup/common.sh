# Sourced by the setup scripts that build from the Go module proxy: where things are, the Go
# environment every build uses, and the log format. Set TAG before sourcing it.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${FLUX_HEALTH_CACHE:-$HOME/.cache/flux-health}"
# shellcheck source=../../test/envtest/versions.env
source "$ROOT/test/envtest/versions.env"

# The pinned toolchain only (no download of another), static binaries, and no VCS stamping: the
# module cache has no .git.
export GOTOOLCHAIN=local CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false"

log() { printf '[%s] %s\n' "$TAG" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Holds a lock under the cache for the rest of the script, so two test runs never build into the
# same folder at once.
lock_cache() {
  mkdir -p "$CACHE"
  if command -v flock >/dev/null; then
    exec 9>"$CACHE/.$1.lock"
    flock 9 || die "could not lock $CACHE/.$1.lock"
  fi
}
