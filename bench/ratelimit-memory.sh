#!/usr/bin/env bash
# Heap taken by a full rate-limit key table (rate_limits.max_keys, default 1,000,000), measured
# under the heap size README.md states, so the run fails with OutOfMemoryError if it does not fit.
#   bash bench/ratelimit-memory.sh [keys] [max heap, default 256m]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
exec java -Xmx"${2:-256m}" -cp "target/test-classes:target/classes:$(cat target/test.classpath)" \
  io.gatehouse.ratelimit.RateLimiterMemory "${1:-1000000}"
