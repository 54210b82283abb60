#!/usr/bin/env bash
# Builds every container image of Rebound into the local Docker daemon, from Debian packages and
# the Maven build's output only (no registry is reachable, nothing is ever pulled):
#   rebound/debian:bookworm      debootstrap minbase (images/base/rootfs.sh)
#   rebound/jre:17               + Debian's OpenJDK 17 runtime, user rebound (uid 10001)
#   rebound/<service>:VERSION    the four services, Quarkus JVM layout (<module>/target/quarkus-app)
#   rebound/kafka:KAFKA          KRaft broker from the Kafka jars Maven resolved for local-servers
#   rebound/s3proxy:S3PROXY      S3Proxy's jar-with-dependencies from Maven Central
#   rebound/pause:3.2            the pod sandbox, from the kubernetes source (kube-binaries.sh)
#   rebound/busybox:1.35.0       Debian's busybox-static, for test pods and hooks
#   rebound/restore-helper:VERSION  the restore-wait init container (Velero's restore helper protocol)
#   rebound/example-nginx:1.22.1, rebound/example-nginx-exporter:0.11.0
#                                Debian's nginx and its exporter: the bundled example's containers
# Cached: each image is rebuilt only when its inputs change (the base carries a hash of its recipe
# as a label; the others use Docker's build cache, which compares the files they copy).
# Needs a running daemon (./rebound images starts one) and `./mvnw package` output.
#   images.sh [--list|--node]    --list prints the image names and builds nothing; --node builds
#                                only what a test node needs (pause, busybox, restore-helper), no
#                                Maven output used
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"

DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=0   # the classic builder: works offline with this daemon (ENVIRONMENT.md)
version=$(sed -n '0,/<artifactId>rebound-parent<\/artifactId>/d; s:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -1; }
kafka_version=$(prop kafka-broker.version)
s3proxy_version=$(prop s3proxy.version)
SERVICES=(restore-coordinator:8081 item-restorer:8082 volume-restorer:8083 status-reporter:8084)
BASE=rebound/debian:bookworm
JRE=rebound/jre:17
PAUSE=rebound/pause:3.2
BUSYBOX=rebound/busybox:1.35.0
RESTORE_HELPER=rebound/restore-helper:$version
EXAMPLE=(example-nginx:1.22.1 example-nginx-exporter:0.11.0)

log() { echo "[images] $*" >&2; }

if [ "${1:-}" = --list ]; then
  echo "$BASE"; echo "$JRE"
  for s in "${SERVICES[@]}"; do echo "rebound/${s%%:*}:$version"; done
  echo "rebound/kafka:$kafka_version"; echo "rebound/s3proxy:$s3proxy_version"; echo "$PAUSE"; echo "$BUSYBOX"; echo "$RESTORE_HELPER"
  for e in "${EXAMPLE[@]}"; do echo "rebound/$e"; done
  exit 0
fi

"$DOCKER" info >/dev/null 2>&1 || { log "no Docker daemon answers: run ./rebound images (it starts one)"; exit 1; }
stage="$root/target/images"
mkdir -p "$stage"

build() { # build NAME CONTEXT DOCKERFILE [build args...]
  local name=$1 context=$2 dockerfile=$3; shift 3
  local before after
  before=$("$DOCKER" image inspect -f '{{.Id}}' "$name" 2>/dev/null || true)
  "$DOCKER" build -q -t "$name" -f "$dockerfile" "$@" "$context" >/dev/null
  after=$("$DOCKER" image inspect -f '{{.Id}}' "$name")
  if [ "$before" = "$after" ]; then log "$name unchanged"; return 0; fi
  log "$name built"
  # The image the tag left, unless a container or another tag still uses it: no pile of
  # untagged images after each rebuild.
  if [ -n "$before" ] && [ -z "$("$DOCKER" image inspect -f '{{join .RepoTags ","}}' "$before" 2>/dev/null)" ]; then
    "$DOCKER" rmi "$before" >/dev/null 2>&1 || true
  fi
}

base_image() {
  local inputs
  inputs=$(cat "$root/images/base/rootfs.sh" /etc/apt/sources.list.d/debian.sources | sha256sum | cut -c1-16)
  if [ "$("$DOCKER" image inspect -f '{{index .Config.Labels "dev.rebound.inputs"}}' "$BASE" 2>/dev/null)" = "$inputs" ]; then
    log "$BASE unchanged"; return 0
  fi
  apt_install debootstrap
  log "$BASE: debootstrap (about 2 minutes)"
  local rootfs; rootfs=$(mktemp -d "$stage/rootfs.XXXXXX")
  # Expanded now and cleared when it runs: a RETURN trap outlives the function, and would fire
  # again at the next function's return, where $rootfs is unset (set -u). Only a fresh machine,
  # one without the base image, gets here.
  # shellcheck disable=SC2064
  trap "rm -rf '$rootfs'; trap - RETURN" RETURN
  bash "$root/images/base/rootfs.sh" "$rootfs"
  tar --numeric-owner -C "$rootfs" -cf - . | "$DOCKER" import \
    --change 'CMD ["bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL dev.rebound.inputs=$inputs" - "$BASE" >/dev/null
  log "$BASE built"
}

# A build context of copied files; cp -p keeps times, so an unchanged jar keeps its cache.
context() { rm -rf "$stage/$1"; mkdir -p "$stage/$1"; echo "$stage/$1"; }

node_images() {
  local pause_binary ctx
  pause_binary=$("$here/kube-binaries.sh" | sed -n 's/^PAUSE=//p')
  ctx=$(context pause)
  cp -p "$pause_binary" "$ctx/pause"
  build "$PAUSE" "$ctx" "$root/images/pause/Dockerfile"
  apt_install busybox-static
  ctx=$(context busybox)
  cp -p /bin/busybox "$ctx/busybox"
  build "$BUSYBOX" "$ctx" "$root/images/busybox/Dockerfile"
  build "$RESTORE_HELPER" "$root/images/restore-helper" "$root/images/restore-helper/Dockerfile"
  base_image
  for e in "${EXAMPLE[@]}"; do
    build "rebound/$e" "$root/images/${e%%:*}" "$root/images/${e%%:*}/Dockerfile"
  done
}
if [ "${1:-}" = --node ]; then node_images; exit 0; fi

base_image
build "$JRE" "$root/images/jre" "$root/images/jre/Dockerfile"

# The four service images side by side: each build mostly sends its context and writes layers, so
# together they take about the time of the slowest one.
service_builds=()
for s in "${SERVICES[@]}"; do
  name=${s%%:*} port=${s##*:}
  app="$root/$name/target/quarkus-app"
  [ -f "$app/quarkus-run.jar" ] || { log "$app is missing: run ./mvnw package first"; exit 1; }
  packages=""
  # The volume-restorer restores pod volumes with restic (Velero's restic uploader).
  [ "$name" = volume-restorer ] && packages="restic"
  build "rebound/$name:$version" "$app" "$root/images/service/Dockerfile" \
    --build-arg "SERVICE=$name" --build-arg "PORT=$port" --build-arg "PACKAGES=$packages" &
  service_builds+=("$!")
done
failed=0
for pid in "${service_builds[@]}"; do wait "$pid" || failed=1; done
[ "$failed" = 0 ] || { log "a service image did not build"; exit 1; }

classpath_file="$root/local-servers/target/classes/dev/rebound/servers/kafka.classpath"
[ -f "$classpath_file" ] || { log "$classpath_file is missing: run ./mvnw package first"; exit 1; }
ctx=$(context kafka)
mkdir -p "$ctx/libs"
tr ':' '\n' < "$classpath_file" | while read -r jar; do [ -z "$jar" ] || cp -p "$jar" "$ctx/libs/"; done
cp -p "$root"/images/kafka/{entrypoint.sh,log4j2.properties} "$ctx/"
build "rebound/kafka:$kafka_version" "$ctx" "$root/images/kafka/Dockerfile"

ctx=$(context s3proxy)
cp -p "$(cat "$root/local-servers/target/classes/dev/rebound/servers/s3proxy.classpath")" "$ctx/s3proxy.jar"
cp -p "$root/images/s3proxy/entrypoint.sh" "$ctx/"
build "rebound/s3proxy:$s3proxy_version" "$ctx" "$root/images/s3proxy/Dockerfile"

node_images
