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
  bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" prometheus-servers "${missing[@]}"
  for tool in "${missing[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || die "apt-get installed '$tool' but it is not on PATH"
  done
fi

prometheus --version 2>&1 | head -n 1
prometheus-pushgateway --version 2>&1 | head -n 1
