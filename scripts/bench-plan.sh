#!/usr/bin/env bash
# Planning benchmark (issue 3): generates Velero backups of 10k, 100k and 250k items, plans each
# restore with a 256 MB heap, and prints items/s and peak heap. Not part of the test suite.
#   scripts/bench-plan.sh [ITEMS...]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp package -pl benchmarks -am -DskipTests
exec java -Xmx256m -XX:+UseSerialGC -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" \
  dev.rebound.bench.PlanBenchmark "$@"
