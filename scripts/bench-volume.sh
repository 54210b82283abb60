#!/usr/bin/env bash
# Volume restore throughput benchmark (issue 11, acceptance 4): one volume of mixed files (default
# 2048 MiB) backed up by restic into the local S3 server, restored in the same run by restic itself
# and by the volume-restorer's data path; prints MB/s and the ratio. Not part of the test suite.
#   scripts/bench-volume.sh [MiB] [ROUNDS]     (default 2048 MiB, 2 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./mvnw -B -q -ntp package -DskipTests -Dimages.skip=true
exec java -Xmx512m -Drebound.project.root="$(pwd)" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" dev.rebound.bench.VolumeBenchmark "$@"
