#!/usr/bin/env bash
# Restore throughput into a distant cluster (issue 15): N ConfigMaps and Secrets over M namespaces
# restored through the whole pipeline into a local kube-apiserver behind a proxy that delays every
# request by 20 ms, with 1, 2 and 4 item-restorers. Not part of the test suite.
#   scripts/bench-latency.sh [ITEMS] [NAMESPACES] [CONCURRENCY] [WARM_UPS]  (default 5000 over 10; CONCURRENCY:
#   rebound.item-restorer.max-concurrency-per-cluster, default the item-restorer's own, 32; WARM_UPS:
#   unmeasured restores of up to 2,000 items before each measured one, default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./mvnw -B -q -ntp package -DskipTests -Dimages.skip=true
# REBOUND_BENCH_OPTS: more options for this JVM (see README, Benchmarks).
# shellcheck disable=SC2086
exec java -Xmx1g ${REBOUND_BENCH_OPTS:-} -Drebound.project.root="$(pwd)" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" dev.rebound.bench.LatencyBenchmark "$@"
