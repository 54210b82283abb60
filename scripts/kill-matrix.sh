#!/usr/bin/env bash
# Kill matrix (issue 12, acceptance 1 and 2): KillMatrixIT at full size. Two coordinators, two
# status-reporters and three item-restorers restore a backup of ITEMS items (default 10000) with
# post-restore exec hooks on pods that run on the local node; after a no-fault baseline, TRIALS
# trials per kind (default 20) SIGKILL the owning coordinator, the owning status-reporter, one
# item-restorer, or the broker (restarted at once), at a random point of the restore (seeded; set
# SEED to replay one run). Prints each trial and the table: kind, trials, Completed, equal to the
# baseline, hooks exactly once, redelivery shown, all checks passed, duration min/median/max, kill
# points. Exits non-zero when any trial failed. Everything the test starts (services, broker, S3,
# API server, node, pods) stops when its JVM exits; a Docker daemon this script started is stopped
# too (one that was running is left alone).
#   scripts/kill-matrix.sh [TRIALS_PER_KIND] [ITEMS]
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS="${1:-20}"
ITEMS="${2:-10000}"
LOG="end-to-end-tests/target/kill-matrix.log"
OWNER=".rebound/dockerd.kill-matrix.pid"
scripts/setup.sh
scripts/docker-daemon.sh start "$OWNER"
trap 'scripts/docker-daemon.sh stop "$OWNER"' EXIT
mkdir -p end-to-end-tests/target
rm -rf end-to-end-tests/target/failsafe-reports
echo "kill matrix: $TRIALS trials per kind of $ITEMS items; the build and test log is $LOG"
status=0
./mvnw -o -B verify -pl end-to-end-tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=KillMatrixIT -Dit.failIfNoSpecifiedTests=false -Dimages.skip=true \
  -Drebound.kill-matrix.trials="$TRIALS" -Drebound.kill-matrix.items="$ITEMS" \
  ${SEED:+-Drebound.kill-matrix.seed="$SEED"} >"$LOG" 2>&1 || status=$?
output=$(cat "$LOG" end-to-end-tests/target/failsafe-reports/*KillMatrixIT*-output.txt 2>/dev/null || true)
grep -E '^kill matrix' <<<"$output" | sort -u || true
grep -E '^kill-matrix trial:' <<<"$output" | awk '!seen[$0]++' || true
echo
grep -E '^kill-matrix \|' <<<"$output" | awk '!seen[$0]++' | sed 's/^kill-matrix | //' || true
grep -h 'Tests run:.*KillMatrixIT' "$LOG" | tail -1 || true
if [ "$status" -ne 0 ]; then
  echo "kill matrix FAILED (exit $status); see $LOG" >&2
  exit "$status"
fi
echo "kill matrix passed: every trial Completed, equal to the baseline, hooks exactly once"
