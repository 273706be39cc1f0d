#!/usr/bin/env bash
# Makes sure the two servers the push tests deliver to are on PATH: Debian's `prometheus` (its
# remote-write receiver, `--web.enable-remote-write-receiver`) and `prometheus-pushgateway`.
# The tests start each on a loopback port with a temporary storage folder; nothing runs as a
# service. Idempotent: installs nothing when both already run.
set -euo pipefail

log() { printf '[prometheus-servers] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-pushgateway >/dev/null 2>&1 || missing+=(prometheus-pushgateway)

if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and apt-get is not available: install them by hand"
  if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    die "missing ${missing[*]} and installing needs root (no sudo available)"
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  # policy-rc.d 101: the packages' own services are not started (the tests start their own servers).
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod +x "$policy"
    created_policy=1
  fi
  status=0
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  ((created_policy)) && "${SUDO[@]}" rm -f "$policy"
  ((status == 0)) || die "apt-get install ${missing[*]} failed (exit $status)"
  for tool in "${missing[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || die "apt-get installed '$tool' but it is not on PATH"
  done
fi

prometheus --version 2>&1 | head -n 1
prometheus-pushgateway --version 2>&1 | head -n 1
