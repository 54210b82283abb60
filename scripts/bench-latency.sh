#!/usr/bin/env bash
# Restore throughput into a distant cluster (issue 15): N ConfigMaps and Secrets over M namespaces
# restored through the whole pipeline into a local kube-apiserver behind a proxy that delays every
# request by 20 ms, with 1, 2 and 4 item-restorers. Not part of the test suite.
#   scripts/bench-latency.sh [ITEMS] [NAMESPACES] [CONCURRENCY]     (default 5000 over 10; CONCURRENCY:
#   rebound.item-restorer.max-concurrency-per-cluster, default the item-restorer's own, 32)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./mvnw -B -q -ntp package -DskipTests -Dimages.skip=true
exec java -Xmx1g -Drebound.project.root="$(pwd)" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" dev.rebound.bench.LatencyBenchmark "$@"
