#!/usr/bin/env bash
# Makes sure a kube-apiserver, a kube-controller-manager and an etcd are available, and prints
# their paths as KEY=path lines (KUBE_APISERVER, KUBE_CONTROLLER_MANAGER, ETCD).
#
# Our machines have no Docker and no dl.k8s.io, so the two Kubernetes binaries are built from
# Debian's `kubernetes` source package (1.20.2) with Debian's Go, as measured in
# ../shared/ENVIRONMENT.md. The result is cached outside the work tree (REBOUND_CACHE, default
# ~/.cache/rebound) and the build is skipped when the cache holds it.
#
# Bring your own binaries (for example from envtest) by exporting KUBE_APISERVER, ETCD and
# KUBE_CONTROLLER_MANAGER; each one given is used as is and never built or installed.
set -euo pipefail

KUBE_DEB_VERSION="1.20.5+really1.20.2-1.1+deb12u1"
CACHE="${REBOUND_CACHE:-$HOME/.cache/rebound}"
BIN_DIR="$CACHE/kubernetes-1.20.2/bin"

log() { echo "[kube-binaries] $*" >&2; }

# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

ensure_deb_src() {
  local src=/etc/apt/sources.list.d/debian.sources twin=/etc/apt/sources.list.d/rebound-debian-src.sources
  [ -f "$twin" ] && return 0
  [ -f "$src" ] || { log "no $src to derive a deb-src entry from"; exit 1; }
  sed 's/^Types: deb$/Types: deb-src/' "$src" | as_root tee "$twin" >/dev/null
  APT_UPDATED=0
}

build_kubernetes() {
  ensure_deb_src
  as_root apt-get update -qq >&2; APT_UPDATED=1
  apt_install dpkg-dev golang-go rsync openssl golang-github-modern-go-reflect2-dev
  BUILD_DIR="$(mktemp -d "$CACHE/build.XXXXXX")"
  trap 'rm -rf "${BUILD_DIR:-}"' EXIT
  local work="$BUILD_DIR"
  log "building kube-apiserver and kube-controller-manager in $work (about 6-7 minutes)"
  (cd "$work" && apt-get source --download-only "kubernetes=$KUBE_DEB_VERSION" >&2)
  local dsc; dsc="$(ls "$work"/kubernetes_*.dsc)"
  (cd "$work" && dpkg-source --no-check -x "$dsc" src >&2)
  # The vendored reflect2 1.0.1 crashes under Go >= 1.18 ("fatal error: fault" on the first
  # custom-resource create); Debian's packaged reflect2 is fixed.
  local vendored="$work/src/vendor/github.com/modern-go/reflect2"
  rm -f "$vendored"/*.go "$vendored"/*.s
  cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go "$vendored"/
  cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.s "$vendored"/ 2>/dev/null || true
  (cd "$work/src" && env -u GOFLAGS CGO_ENABLED=0 GOPROXY=off GOCACHE="$work/gocache" \
      make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >&2)
  mkdir -p "$BIN_DIR.tmp"
  cp "$work/src/_output/bin/kube-apiserver" "$work/src/_output/bin/kube-controller-manager" "$BIN_DIR.tmp/"
  rm -rf "$BIN_DIR" && mv "$BIN_DIR.tmp" "$BIN_DIR"
  log "cached in $BIN_DIR"
}

mkdir -p "$CACHE"
if [ -z "${KUBE_APISERVER:-}" ] || [ -z "${KUBE_CONTROLLER_MANAGER:-}" ]; then
  if [ ! -x "$BIN_DIR/kube-apiserver" ] || [ ! -x "$BIN_DIR/kube-controller-manager" ]; then
    build_kubernetes
  else
    log "reusing cached binaries in $BIN_DIR"
  fi
  KUBE_APISERVER="${KUBE_APISERVER:-$BIN_DIR/kube-apiserver}"
  KUBE_CONTROLLER_MANAGER="${KUBE_CONTROLLER_MANAGER:-$BIN_DIR/kube-controller-manager}"
fi
if [ -z "${ETCD:-}" ]; then
  apt_install etcd-server
  ETCD=/usr/bin/etcd
fi
# openssl makes the test cluster's certificates.
command -v openssl >/dev/null || apt_install openssl

for v in KUBE_APISERVER KUBE_CONTROLLER_MANAGER ETCD; do
  [ -x "${!v}" ] || { log "$v=${!v} is not an executable file"; exit 1; }
  echo "$v=${!v}"
done
