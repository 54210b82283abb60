#!/usr/bin/env bash
# Outage trial (issue 12, acceptance 4): TargetOutageIT's outage test with a long outage. The four
# packaged services restore 402 items into the local kube-apiserver; the item-restorer reaches it
# through the tests' fault-injecting proxy, which goes down a third of the way through for OUTAGE
# (a Go duration, default 5m) and then comes back. Prints the outcome; exits non-zero when the restore
# did not end Completed with every item restored once. Everything it starts (the services, the
# broker, S3 and the API server) is stopped when the test JVM exits.
#   scripts/outage-trial.sh [OUTAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
OUTAGE="${1:-5m}"
LOG="end-to-end-tests/target/outage-trial.log"
mkdir -p end-to-end-tests/target
rm -rf end-to-end-tests/target/failsafe-reports
status=0
./mvnw -o -B verify -pl end-to-end-tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='TargetOutageIT#anOutageOfTheTargetInTheMiddleOfARestoreIsWaitedOut' -Dit.failIfNoSpecifiedTests=false \
  -Dimages.skip=true -Drebound.outage-trial.outage="$OUTAGE" >"$LOG" 2>&1 || status=$?
grep -h 'outage trial:' "$LOG" end-to-end-tests/target/failsafe-reports/*-output.txt 2>/dev/null | sort -u || true
grep -h 'Tests run:.*TargetOutageIT' "$LOG" | tail -1 || true
if [ "$status" -ne 0 ]; then
  echo "outage trial FAILED (exit $status); the build log is $LOG" >&2
  exit "$status"
fi
echo "outage trial passed: Completed with every item restored once (log: $LOG)"
