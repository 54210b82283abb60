#!/usr/bin/env bash
# Makes sure a Docker daemon answers, and stops it again only if this project started it.
#   docker-daemon.sh start OWNER_FILE   start dockerd unless one already answers; when this call
#                                       started it, OWNER_FILE records its pid
#   docker-daemon.sh stop OWNER_FILE    stop the daemon OWNER_FILE records (if any), remove the
#                                       containers it still runs, its docker0 bridge and its
#                                       iptables rules and its netns mount, then OWNER_FILE
# Our machines have Debian's docker.io but no init system to run it (ENVIRONMENT.md), so the
# daemon is a background process. A daemon someone else started is used and never stopped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"

log() { echo "[docker] $*" >&2; }
DOCKER=/usr/bin/docker   # Debian's client; /usr/local/bin may hold a newer client only

answers() { "$DOCKER" info >/dev/null 2>&1; }

start() {
  local owner=$1
  apt_install docker.io iptables
  if answers; then return 0; fi
  mkdir -p "$(dirname "$owner")"
  local logfile="${owner%.pid}.log"
  log "starting dockerd (log: $logfile)"
  # setsid: the daemon outlives this script and is not hit by the caller's Ctrl-C.
  setsid dockerd --host=unix:///var/run/docker.sock >"$logfile" 2>&1 < /dev/null &
  echo $! > "$owner"
  for _ in $(seq 1 60); do
    if answers; then log "dockerd is up (pid $(cat "$owner"))"; return 0; fi
    kill -0 "$(cat "$owner")" 2>/dev/null || { tail -20 "$logfile" >&2; rm -f "$owner"; exit 1; }
    sleep 1
  done
  log "dockerd did not answer within 60 s; see $logfile"; exit 1
}

stop() {
  local owner=$1
  [ -f "$owner" ] || return 0
  local pid; pid=$(cat "$owner")
  if kill -0 "$pid" 2>/dev/null; then
    local running; running=$("$DOCKER" ps -aq 2>/dev/null || true)
    # Bounded: a removal can hang in dockerd (seen once after a node was killed mid-clean-up); the
    # daemon is stopped anyway and what it leaves is removed below.
    # shellcheck disable=SC2086
    [ -z "$running" ] || timeout 60 "$DOCKER" rm -f $running >/dev/null 2>&1 || log "docker rm -f did not finish; stopping dockerd anyway"
    timeout 30 "$DOCKER" network prune -f >/dev/null 2>&1 || true
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    # Its containerd and shims, if dockerd could not stop them.
    pkill -9 -f '^containerd --config /var/run/docker/containerd/containerd.toml' 2>/dev/null || true
    pkill -9 -f 'containerd-shim-runc-v2 -namespace moby' 2>/dev/null || true
    log "dockerd stopped"
  fi
  # Mounts of containers dockerd did not remove (their root file systems, shm, network namespaces).
  awk '$2 ~ "^/var/lib/docker/(overlay2|containers)/" || $2 ~ "^/run/docker/netns/" {print $2}' /proc/mounts \
    | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  # dockerd leaves its bridge, its iptables chains and its default network namespace's mount
  # behind; they are ours to remove.
  ip link delete docker0 2>/dev/null || true
  for table in filter nat; do
    if iptables-save -t "$table" 2>/dev/null | grep -q DOCKER; then
      # A one-table dump restores (and so rewrites) that table only.
      iptables-save -t "$table" | grep -v -e DOCKER -e docker0 | iptables-restore
    fi
  done
  rm -f "$owner"
}

case "${1:-}" in
  start) start "${2:?owner file}" ;;
  stop) stop "${2:?owner file}" ;;
  *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
