#!/usr/bin/env bash
# Start-up with a long history (issue 12, acceptance 5): RESTORES ended restores (default 10000),
# then, once every one has its snapshot, a status-reporter and a coordinator started with -Xmx256m
# (the first ones SIGKILLed); prints their time to ready (the coordinator: its history read) and
# their used heap. Not part of the test suite.
#   scripts/bench-startup.sh [RESTORES]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./mvnw -B -q -ntp package -DskipTests -Dimages.skip=true
# REBOUND_BENCH_OPTS: more options for this JVM (see README, Benchmarks).
# shellcheck disable=SC2086
exec java -Xmx512m ${REBOUND_BENCH_OPTS:-} -Drebound.project.root="$(pwd)" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" dev.rebound.bench.StartupBenchmark "$@"
