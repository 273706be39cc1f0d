#!/usr/bin/env bash
# Makes sure `promtool` (Debian's `prometheus` package, 2.42 on bookworm) is on PATH: the oracle the
# PromQL differential tests compare our evaluator against. Idempotent: does nothing when promtool
# already runs. Only the package is wanted, never the service: if policy-rc.d refuses to start it,
# that is expected and harmless.
set -euo pipefail

log() { printf '[promtool] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if ! command -v promtool >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "promtool is missing and apt-get is not available: install Prometheus's promtool (>= 2.42) by hand"
  if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    die "promtool is missing and installing it needs root (no sudo available)"
  fi
  log "installing Debian package 'prometheus' for promtool"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  # The package's postinst may try to start the service; a policy-rc.d refusal (exit 101) makes
  # invoke-rc.d skip that without failing the install.
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  command -v promtool >/dev/null 2>&1 || die "apt-get installed 'prometheus' but promtool is not on PATH"
fi

# `promtool --version` prints several lines; the first names the version.
promtool --version 2>&1 | head -n 1
