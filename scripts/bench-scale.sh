#!/usr/bin/env bash
# Scale benchmark (issue 15 scope 3): a backup of ITEMS ConfigMaps and Secrets over NAMESPACES
# namespaces is planned and every item task published, RESTORE of them are restored through the whole
# pipeline into a local kube-apiserver, then the restore is canceled; every service runs with
# -Xmx512m and its heap and RSS are sampled every second. Not part of the test suite.
#   scripts/bench-scale.sh [ITEMS] [RESTORE] [NAMESPACES] [ITEM_RESTORERS]   (default 1000000 200000 100 2)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./mvnw -B -q -ntp package -DskipTests -Dimages.skip=true
# REBOUND_BENCH_OPTS: more options for this JVM (see README, Benchmarks).
# shellcheck disable=SC2086
exec java -Xmx2g ${REBOUND_BENCH_OPTS:-} -Drebound.project.root="$(pwd)" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" dev.rebound.bench.ScaleBenchmark "$@"
