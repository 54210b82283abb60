#!/usr/bin/env bash
# Makes sure the test cluster's binaries are available and prints their paths as KEY=path lines:
# the control plane (KUBE_APISERVER, KUBE_CONTROLLER_MANAGER, ETCD) and the node (KUBELET,
# KUBE_SCHEDULER, KUBE_PROXY, and PAUSE: the pod sandbox's /pause program).
#
# Our machines have no registry and no dl.k8s.io, so the five Kubernetes binaries are built in one
# `make` from Debian's `kubernetes` source package (1.20.2) with Debian's Go, and the pause program
# from the same tree's build/pause/linux/pause.c, as measured in ../shared/ENVIRONMENT.md. The
# result is cached outside the work tree (REBOUND_CACHE, default ~/.cache/rebound) and the build is
# skipped when the cache holds it.
#
# Two source changes, both needed on our machines:
# - the vendored reflect2 1.0.1 crashes under Go >= 1.18, Debian's packaged one is used instead;
# - dockershim gives pod sandboxes oom_score_adj -998 and Guaranteed containers -997, which a
#   machine without CAP_SYS_RESOURCE refuses (every pod would stay ContainerCreating): both are 0.
#
# Bring your own binaries (for example from envtest) by exporting any of the variables above; each
# one given is used as is and never built or installed.
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
  apt_install dpkg-dev golang-go rsync openssl gcc libc6-dev golang-github-modern-go-reflect2-dev
  BUILD_DIR="$(mktemp -d "$CACHE/build.XXXXXX")"
  trap 'rm -rf "${BUILD_DIR:-}"' EXIT
  local work="$BUILD_DIR"
  log "building ${BINARIES[*]} in $work (about 10-12 minutes)"
  (cd "$work" && apt-get source --download-only "kubernetes=$KUBE_DEB_VERSION" >&2)
  local dsc; dsc="$(ls "$work"/kubernetes_*.dsc)"
  (cd "$work" && dpkg-source --no-check -x "$dsc" src >&2)
  # The vendored reflect2 1.0.1 crashes under Go >= 1.18 ("fatal error: fault" on the first
  # custom-resource create); Debian's packaged reflect2 is fixed.
  local vendored="$work/src/vendor/github.com/modern-go/reflect2"
  rm -f "$vendored"/*.go "$vendored"/*.s
  cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go "$vendored"/
  cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.s "$vendored"/ 2>/dev/null || true
  # No flag sets these in 1.20: the sandbox's and Guaranteed containers' oom_score_adj become 0.
  sed -i 's/^\(\s*defaultSandboxOOMAdj\s*int\s*=\s*\)-998/\10/' \
    "$work/src/pkg/kubelet/dockershim/docker_sandbox.go"
  sed -i 's/return guaranteedOOMScoreAdj$/return 0/' "$work/src/pkg/kubelet/qos/policy.go"
  grep -qE 'defaultSandboxOOMAdj\s+int\s+=\s+0' "$work/src/pkg/kubelet/dockershim/docker_sandbox.go" \
    || { log "could not patch defaultSandboxOOMAdj"; exit 1; }
  ! grep -q 'return guaranteedOOMScoreAdj' "$work/src/pkg/kubelet/qos/policy.go" \
    || { log "could not patch guaranteedOOMScoreAdj"; exit 1; }
  local what=(); for b in "${BINARIES[@]}"; do what+=("cmd/$b"); done
  (cd "$work/src" && env -u GOFLAGS CGO_ENABLED=0 GOPROXY=off GOCACHE="$work/gocache" \
      make WHAT="${what[*]}" >&2)
  mkdir -p "$BIN_DIR.tmp"
  for b in "${BINARIES[@]}"; do cp "$work/src/_output/bin/$b" "$BIN_DIR.tmp/"; done
  gcc -Os -static -o "$BIN_DIR.tmp/pause" "$work/src/build/pause/linux/pause.c" >&2
  rm -rf "$BIN_DIR" && mv "$BIN_DIR.tmp" "$BIN_DIR"
  log "cached in $BIN_DIR"
}

BINARIES=(kube-apiserver kube-controller-manager kubelet kube-scheduler kube-proxy)
# The variable that overrides each cached file, in the order of BINARIES, then pause.
VARIABLES=(KUBE_APISERVER KUBE_CONTROLLER_MANAGER KUBELET KUBE_SCHEDULER KUBE_PROXY PAUSE)
FILES=("${BINARIES[@]}" pause)

mkdir -p "$CACHE"
# One build at a time on a machine: a second caller waits for the first and then reuses its cache.
exec 9>"$CACHE/.kube-binaries.lock"
flock 9
need_build=0
for i in "${!VARIABLES[@]}"; do
  v=${VARIABLES[$i]}
  if [ -z "${!v:-}" ]; then
    [ -x "$BIN_DIR/${FILES[$i]}" ] || need_build=1
    printf -v "$v" '%s' "$BIN_DIR/${FILES[$i]}"
  fi
done
if [ "$need_build" = 1 ]; then build_kubernetes; else log "reusing cached binaries in $BIN_DIR"; fi
if [ -z "${ETCD:-}" ]; then
  apt_install etcd-server
  ETCD=/usr/bin/etcd
fi
# openssl makes the test cluster's certificates.
command -v openssl >/dev/null || apt_install openssl

for v in "${VARIABLES[@]}" ETCD; do
  [ -x "${!v}" ] || { log "$v=${!v} is not an executable file"; exit 1; }
  echo "$v=${!v}"
done
