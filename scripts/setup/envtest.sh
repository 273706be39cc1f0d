#!/usr/bin/env bash
# Builds what the integration tests' real control plane needs, into the git-ignored cache
# ${FLUX_HEALTH_CACHE:-$HOME/.cache/flux-health}:
#   bin/etcd-<ver>, bin/kube-apiserver-<ver>   from the wrapper modules in test/envtest/{etcd,kube-apiserver}
#   tools/controller-gen-<ver>/controller-gen   go install'ed exactly as upstream Makefiles do
#   crds/flux-<release>/, crds/flux-operator-<ver>/  generated from the official Go API modules
#   envtest.json                                 what was built (read by test/setup/control-plane.ts)
# Idempotent: binaries are keyed by version; the CRDs are regenerated only when an input changes.
# Works on a fresh machine with empty Go caches (downloads go through GOPROXY, sums are committed).
set -euo pipefail

TAG=envtest
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ENVTEST="$ROOT/test/envtest"

# Version of a required module in a go.mod, single-line or block form.
modver() {
  awk -v m="$2" '$1 == m && $2 ~ /^v/ { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$1"
}

command -v go >/dev/null || die "go is not installed (Go >= 1.26 needed)"
TSX="$ROOT/node_modules/.bin/tsx"
[[ -x "$TSX" ]] || die "$TSX is missing: install the npm dependencies first (npm ci)"
command -v openssl >/dev/null || die "openssl is not installed (the control plane mints certificates with it)"

KUBE_VERSION="$(modver "$ENVTEST/kube-apiserver/go.mod" k8s.io/kubernetes)"
ETCD_VERSION="$(modver "$ENVTEST/etcd/go.mod" go.etcd.io/etcd/server/v3)"
OPERATOR_VERSION="$(modver "$ENVTEST/operator-crds/go.mod" github.com/controlplaneio-fluxcd/flux-operator)"
[[ -n "$KUBE_VERSION" && -n "$ETCD_VERSION" && -n "$OPERATOR_VERSION" ]] || die "could not read versions from the wrapper go.mod files"
KUBE_MINOR="${KUBE_VERSION#v}"; KUBE_MINOR="${KUBE_MINOR#*.}"; KUBE_MINOR="${KUBE_MINOR%%.*}"

KAS_BIN="$CACHE/bin/kube-apiserver-$KUBE_VERSION"
ETCD_BIN="$CACHE/bin/etcd-$ETCD_VERSION"
FLUX_GEN="$CACHE/tools/controller-gen-$FLUX_CONTROLLER_TOOLS/controller-gen"
OPERATOR_GEN="$CACHE/tools/controller-gen-$OPERATOR_CONTROLLER_TOOLS/controller-gen"
FLUX_CRDS="$CACHE/crds/flux-$FLUX_RELEASE"
OPERATOR_CRDS="$CACHE/crds/flux-operator-$OPERATOR_VERSION"
STAMP="$CACHE/envtest.json"

log "$(go version) | cache $CACHE"
log "kube-apiserver $KUBE_VERSION, etcd $ETCD_VERSION, Flux $FLUX_RELEASE (controller-gen $FLUX_CONTROLLER_TOOLS), flux-operator $OPERATOR_VERSION (controller-gen $OPERATOR_CONTROLLER_TOOLS)"
mkdir -p "$CACHE/bin" "$CACHE/tools" "$CACHE/crds"
# Several checkouts or test runs may share the cache: one setup at a time.
lock_cache envtest

# $1 = output binary, $2 = wrapper dir, $3 = main package, $4 = -ldflags. Builds next to the
# target and renames, so an interrupted build never leaves a binary that looks complete.
build_bin() {
  local out="$1" dir="$2" pkg="$3" ldflags="$4" start=$SECONDS
  if [[ -x "$out" ]]; then log "have $(basename "$out")"; return; fi
  log "building $(basename "$out") from $pkg (cold: several minutes) ..."
  (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$out.tmp.$$" "$pkg")
  mv -f "$out.tmp.$$" "$out"
  log "built $(basename "$out") in $((SECONDS - start))s"
}

build_bin "$ETCD_BIN" "$ENVTEST/etcd" go.etcd.io/etcd/server/v3 "-s -w"
# Captured first: with pipefail, `etcd --version | grep -q` can fail when grep exits early (SIGPIPE).
etcd_reported="$("$ETCD_BIN" --version)" || die "$ETCD_BIN --version failed"
[[ "$etcd_reported" == *"etcd Version: ${ETCD_VERSION#v}"* ]] || die "$ETCD_BIN does not report $ETCD_VERSION"

# The same version stamps upstream's hack/lib/version.sh sets, so /version reports the release.
stamp_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamp_flags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$KUBE_MINOR -X $pkg.gitTreeState=clean"
done
build_bin "$KAS_BIN" "$ENVTEST/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver "-s -w$stamp_flags"
[[ "$("$KAS_BIN" --version)" == "Kubernetes $KUBE_VERSION" ]] || die "$KAS_BIN does not report $KUBE_VERSION"

# controller-gen exactly as the upstream Makefiles install it (go install <pkg>@<ver>), one
# directory per version so both can coexist.
install_gen() {
  local ver="$1" out="$CACHE/tools/controller-gen-$1" start=$SECONDS
  if [[ -x "$out/controller-gen" ]]; then log "have controller-gen $ver"; return; fi
  log "installing controller-gen $ver ..."
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  (cd "$CACHE" && GOBIN="$out.tmp" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/controller-tools/cmd/controller-gen@$ver")
  rm -rf "$out" && mv "$out.tmp" "$out"
  log "installed controller-gen $ver in $((SECONDS - start))s"
}
install_gen "$FLUX_CONTROLLER_TOOLS"
install_gen "$OPERATOR_CONTROLLER_TOOLS"

# Everything the generated CRDs depend on; a change to any of them regenerates.
inputs_hash="$(cat "${BASH_SOURCE[0]}" "$ENVTEST/versions.env" "$ENVTEST/label-crds.ts" \
  "$ENVTEST"/{etcd,kube-apiserver}/go.mod "$ENVTEST"/{flux-crds,operator-crds}/go.{mod,sum} | sha256sum | cut -c1-16)"
if [[ -f "$STAMP" && -d "$FLUX_CRDS" && -d "$OPERATOR_CRDS" ]] && grep -q "\"inputs\": \"$inputs_hash\"" "$STAMP"; then
  log "CRDs up to date ($(ls "$FLUX_CRDS" | wc -l) Flux, $(ls "$OPERATOR_CRDS" | wc -l) flux-operator)"
  log "ready: $STAMP"
  exit 0
fi

# The wrapper's requires must be what the Flux release pins, or the CRDs would not be that release's.
log "checking test/envtest/flux-crds/go.mod against github.com/fluxcd/flux2/v2@$FLUX_RELEASE ..."
flux2_mod="$(cd "$ENVTEST/flux-crds" && go mod download -json "github.com/fluxcd/flux2/v2@$FLUX_RELEASE" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
[[ -f "$flux2_mod" ]] || die "could not download the go.mod of flux2 $FLUX_RELEASE"
FLUX_CONTROLLERS=(source-controller kustomize-controller helm-controller notification-controller image-reflector-controller image-automation-controller)
for c in "${FLUX_CONTROLLERS[@]}"; do
  want="$(modver "$flux2_mod" "github.com/fluxcd/$c/api")"
  have="$(modver "$ENVTEST/flux-crds/go.mod" "github.com/fluxcd/$c/api")"
  [[ -n "$want" && "$want" == "$have" ]] || die "github.com/fluxcd/$c/api: flux2 $FLUX_RELEASE pins '$want', test/envtest/flux-crds/go.mod has '$have'"
done

start=$SECONDS
work="$(mktemp -d "$CACHE/crds/.gen.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Generated per controller, so each CRD is labelled with the controller that serves it, as the
# labels of a `flux install` do (component = controller, part-of = flux).
for c in "${FLUX_CONTROLLERS[@]}"; do
  ver="$(modver "$ENVTEST/flux-crds/go.mod" "github.com/fluxcd/$c/api")"
  log "generating CRDs of $c/api $ver"
  (cd "$ENVTEST/flux-crds" && "$FLUX_GEN" crd:crdVersions=v1 paths="github.com/fluxcd/$c/api/..." output:crd:artifacts:config="$work/$c")
  "$TSX" "$ENVTEST/label-crds.ts" "$work/$c" \
    app.kubernetes.io/component="$c" app.kubernetes.io/instance=flux-system \
    app.kubernetes.io/part-of=flux app.kubernetes.io/version="$FLUX_RELEASE"
  mkdir -p "$work/flux" && mv "$work/$c"/*.yaml "$work/flux/"
done
log "generating CRDs of flux-operator $OPERATOR_VERSION"
# Not labelled: the operator's own install manifest (kustomize build config/default) leaves its
# CRDs without labels, and they are not part of a Flux distribution.
(cd "$ENVTEST/operator-crds" && "$OPERATOR_GEN" crd paths="github.com/controlplaneio-fluxcd/flux-operator/api/..." output:crd:artifacts:config="$work/operator")

rm -rf "$FLUX_CRDS" "$OPERATOR_CRDS"
mv "$work/flux" "$FLUX_CRDS"
mv "$work/operator" "$OPERATOR_CRDS"
log "generated $(ls "$FLUX_CRDS" | wc -l) Flux CRDs into $FLUX_CRDS and $(ls "$OPERATOR_CRDS" | wc -l) flux-operator CRDs into $OPERATOR_CRDS in $((SECONDS - start))s"

cat >"$STAMP.tmp" <<EOF
{
  "inputs": "$inputs_hash",
  "kubernetes": "$KUBE_VERSION",
  "etcd": "$ETCD_VERSION",
  "flux": "$FLUX_RELEASE",
  "operator": "$OPERATOR_VERSION",
  "kubeApiserver": "$KAS_BIN",
  "etcdBin": "$ETCD_BIN",
  "fluxCrds": "$FLUX_CRDS",
  "operatorCrds": "$OPERATOR_CRDS"
}
EOF
mv -f "$STAMP.tmp" "$STAMP"
log "ready: $STAMP"
