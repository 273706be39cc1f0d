#!/usr/bin/env bash
# Installs Debian packages for the test setup, the one way every setup script does it:
# `apt-get update` first, as root or through sudo, without recommends, and without starting any
# service a package ships (the tests start their own processes on loopback).
# Usage: scripts/setup/apt-install.sh TAG PACKAGE...   (TAG prefixes the log lines)
set -euo pipefail

tag="$1"
shift
log() { printf '[%s] %s\n' "$tag" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

(($# > 0)) || exit 0
command -v apt-get >/dev/null 2>&1 || die "missing $* and apt-get is not available: install them by hand"
if [[ "$(id -u)" -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  die "missing $* and installing needs root (no sudo available)"
fi
log "installing Debian packages: $*"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
# policy-rc.d exit 101: invoke-rc.d starts no service the packages ship.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod +x "$policy"
  created_policy=1
fi
status=0
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null || status=$?
((created_policy)) && "${SUDO[@]}" rm -f "$policy"
((status == 0)) || die "apt-get install $* failed (exit $status)"
