#!/usr/bin/env bash
# GATEHOUSE_CMD for ../shared/bench/run.sh with a chosen transport: the same config as
# ../shared/bench/gatehouse-peer.sh (GATEHOUSE_AUTH=none: one open route /api/** to the bench
# upstream) plus server.transport: $GATEHOUSE_TRANSPORT (epoll, io_uring or nio).
#   GATEHOUSE_TRANSPORT=io_uring GATEHOUSE_CMD="bash bench/transport-peer.sh" GATEHOUSE_AUTH=none \
#     bash ../shared/bench/run.sh nginx gatehouse gatehouse-jdk25
set -euo pipefail
jar=${GATEHOUSE_JAR:-$PWD/target/gatehouse.jar}
dir=$(mktemp -d -t gh-bench-XXXXXX)
cat > "$dir/gatehouse.yaml" <<CONF
server:
  transport: ${GATEHOUSE_TRANSPORT:-io_uring}
  http: { port: $GATEHOUSE_PORT, host: 127.0.0.1 }
  https: { enabled: false }
management: { enabled: false }
store: { embedded: { path: $dir/data } }
routes:
  - id: api
    path: /api/**
    upstream: $BENCH_UPSTREAM_URL
    auth: [none]
CONF
# shellcheck disable=SC2086 # GATEHOUSE_JAVA_OPTS is a list of flags
exec "${GATEHOUSE_JAVA:-java}" ${GATEHOUSE_JAVA_OPTS:--Xmx512m} -jar "$jar" serve --config "$dir/gatehouse.yaml" > "$BENCH_ACCESS_LOG"
