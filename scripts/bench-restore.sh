#!/usr/bin/env bash
# Restore throughput benchmark (issue 4): N ConfigMaps and Secrets over M namespaces restored
# through the whole pipeline into a local kube-apiserver with 1, 2 and 4 item-restorers, and the
# direct-create ceiling measured in the same run. Not part of the test suite.
#   scripts/bench-restore.sh [ITEMS] [NAMESPACES]     (default 20000 over 20)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./mvnw -B -q -ntp package -DskipTests -Dimages.skip=true
# REBOUND_BENCH_OPTS: more options for this JVM (see README, Benchmarks).
# shellcheck disable=SC2086
exec java -Xmx1g ${REBOUND_BENCH_OPTS:-} -Drebound.project.root="$(pwd)" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" dev.rebound.bench.RestoreBenchmark "$@"
