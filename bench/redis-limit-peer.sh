#!/usr/bin/env bash
# GATEHOUSE_CMD for an A/B of where the per-subject limit is counted, in one interleaved harness
# run: the harness's JWT route with its per-subject limit in both slots, counted in memory in the
# "gatehouse" slot and in Redis (127.0.0.1:6379, store.redis) in the "gatehouse-jdk25" slot.
# Pair it with SCG_JDK25_JAVA pointing at the same JDK, so the two differ only there:
#   GATEHOUSE_CMD="bash bench/redis-limit-peer.sh" SCG_JDK25_JAVA=$(readlink -f "$(command -v java)") \
#     BENCH_RATE_LIMIT=100000000 bash ../shared/bench/run.sh --rounds 5 nginx haproxy gatehouse gatehouse-jdk25
set -euo pipefail
jar=${GATEHOUSE_JAR:-$PWD/target/gatehouse.jar}
dir=$(mktemp -d -t gh-bench-XXXXXX)
{
  echo "server:"
  echo "  http: { port: $GATEHOUSE_PORT, host: 127.0.0.1 }"
  echo "  https: { enabled: false }"
  echo "management: { enabled: false }"
  echo "store:"
  echo "  embedded: { path: $dir/data }"
  if [[ $GATEHOUSE_PORT == "${GATEHOUSE_JDK25_PORT:-18088}" ]]; then
    echo "  redis: { url: \"redis://127.0.0.1:6379\", prefix: bench-$$ }"
  fi
  echo "issuers:"
  echo "  - { name: bench, issuer: $BENCH_JWT_ISSUER, audience: $BENCH_JWT_AUDIENCE, jwks_file: $BENCH_JWKS_FILE }"
  echo "routes:"
  echo "  - id: api"
  echo "    path: /api/**"
  echo "    upstream: $BENCH_UPSTREAM_URL"
  echo "    auth: [jwt:bench]"
  echo "    rate_limit: { key: subject, limit: $BENCH_RATE_LIMIT, per: 1m }"
} > "$dir/gatehouse.yaml"
# shellcheck disable=SC2086 # GATEHOUSE_JAVA_OPTS is a list of flags
exec "${GATEHOUSE_JAVA:-java}" ${GATEHOUSE_JAVA_OPTS:--Xmx512m} -jar "$jar" serve --config "$dir/gatehouse.yaml" > "$BENCH_ACCESS_LOG"
