#!/usr/bin/env bash
# Restoring into a fleet (issue 15): ten clusters, each behind a proxy that delays every request
# by 20 ms. RIG shared, the default: one kube-apiserver behind all ten proxies, each restore giving
# each cluster's part namespaces of its own (rebound.dev/namespace-mappings.<cluster>); RIG light:
# ten kube-apiservers sharing one etcd, each under its own key prefix, no controller-managers;
# RIG full: each its own etcd and controller-manager too, about 0.5 GB a cluster. One restore into
# c0, one into all ten, and one into all ten while c9 goes down a third of the way through (outage
# timeout 30s). Not part of the test suite.
#   scripts/bench-fleet.sh [ITEMS_PER_CLUSTER] [CONCURRENCY] [RIG]    (default 1000; CONCURRENCY:
#   rebound.item-restorer.max-concurrency-per-cluster, default the item-restorer's own, 32)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./mvnw -B -q -ntp package -DskipTests -Dimages.skip=true
# REBOUND_BENCH_OPTS: more options for this JVM (see README, Benchmarks).
# shellcheck disable=SC2086
exec java -Xmx1g ${REBOUND_BENCH_OPTS:-} -Drebound.project.root="$(pwd)" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" dev.rebound.bench.FleetBenchmark "$@"
