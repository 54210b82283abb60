#!/usr/bin/env bash
# Everything a fresh machine of our kind (Debian bookworm, root) needs before the build and the
# local servers can run; idempotent, so it is cheap on a machine that has it all.
#   apt: a JDK 17+ if none, curl and unzip (Maven wrapper), openssl (test cluster certificates),
#        prometheus (promtool and the Prometheus server that the alert rules' tests run),
#        etcd-server, and the Go toolchain and sources the kube-apiserver build needs (first run only)
#   ~/.cache/rebound: kube-apiserver and kube-controller-manager, built once (see kube-binaries.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"

packages=(curl unzip openssl ca-certificates prometheus)
if ! command -v javac >/dev/null || ! javac -version 2>&1 | grep -qE 'javac (1[7-9]|[2-9][0-9])'; then
  packages+=(openjdk-17-jdk-headless)
fi
apt_install "${packages[@]}"
"$here/kube-binaries.sh" >/dev/null
