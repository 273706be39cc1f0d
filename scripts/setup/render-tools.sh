#!/usr/bin/env bash
# Makes sure the two programs the rendering tests judge our Markdown with are on PATH: Debian's
# `cmark-gfm` (GitHub's own fork of cmark, with the extensions GitHub enables) and `chromium`
# (headless, driven by puppeteer-core, to lay the rendered HTML out at a job summary's width).
# Idempotent: installs nothing when both already run.
set -euo pipefail

log() { printf '[render-tools] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

missing=()
command -v cmark-gfm >/dev/null 2>&1 || missing+=(cmark-gfm)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The summaries' bars and markers are emoji; without a colour emoji font the screenshots show boxes.
[[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]] || missing+=(fonts-noto-color-emoji)

if ((${#missing[@]} > 0)); then
  bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" render-tools "${missing[@]}"
  for tool in "${missing[@]}"; do
    [[ "$tool" == fonts-* ]] && continue
    command -v "$tool" >/dev/null 2>&1 || die "apt-get installed '$tool' but it is not on PATH"
  done
fi

cmark-gfm --version 2>&1 | head -n 1
# Chromium may warn on stderr about the missing display or D-Bus; only the version line matters.
chromium --version 2>/dev/null | head -n 1
