#!/usr/bin/env bash
# Everything a fresh machine of our kind (Debian bookworm, root) needs before the build and the
# local servers can run; idempotent, so it is cheap on a machine that has it all.
#   apt: a JDK 17+ if none, curl and unzip (Maven wrapper), openssl (test cluster certificates),
#        prometheus (promtool and the Prometheus server the alert rules' tests run),
#        etcd-server, and the Go toolchain and sources the Kubernetes build needs (first run only);
#        Docker (docker.io, docker-compose) and what the images are built from (debootstrap,
#        busybox-static); what the test cluster's node needs (iptables, conntrack, the CNI plugins);
#        restic (the volume-restorer's data path, and the tests' backups of pod volumes);
#        chromium and chromium-driver (the console's browser tests)
#   ~/.cache/rebound: kube-apiserver, kube-controller-manager, kubelet, kube-scheduler, kube-proxy
#        and pause, built once (see kube-binaries.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"

packages=(curl unzip openssl ca-certificates docker.io docker-compose debootstrap busybox-static
  iptables conntrack containernetworking-plugins prometheus restic chromium chromium-driver)
if ! command -v javac >/dev/null || ! javac -version 2>&1 | grep -qE 'javac (1[7-9]|[2-9][0-9])'; then
  packages+=(openjdk-17-jdk-headless)
fi
apt_install "${packages[@]}"
"$here/kube-binaries.sh" >/dev/null
