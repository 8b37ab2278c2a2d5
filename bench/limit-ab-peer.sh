#!/usr/bin/env bash
# GATEHOUSE_CMD for an A/B of the per-subject rate limit in one interleaved harness run: the
# "gatehouse-jdk25" slot (port ${GATEHOUSE_JDK25_PORT:-18088}) gets GATEHOUSE_LIMIT=on, the
# "gatehouse" slot runs without it. Pair it with SCG_JDK25_JAVA pointing at the same JDK as the
# other slot, so the two differ only in the limit:
#   GATEHOUSE_CMD="bash bench/limit-ab-peer.sh" SCG_JDK25_JAVA=$(readlink -f "$(command -v java)") \
#     BENCH_RATE_LIMIT=100000000 bash ../shared/bench/run.sh --rounds 5 nginx haproxy gatehouse gatehouse-jdk25
set -euo pipefail
if [[ $GATEHOUSE_PORT == "${GATEHOUSE_JDK25_PORT:-18088}" ]]; then
  export GATEHOUSE_LIMIT=on
fi
exec bash "$(dirname "$0")/../../shared/bench/gatehouse-peer.sh"
