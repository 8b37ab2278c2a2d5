#!/usr/bin/env bash
# GATEHOUSE_CMD for ../shared/bench/run.sh that measures two jars in one interleaved run: the
# harness's "gatehouse" peer runs $GATEHOUSE_JAR_A and its "gatehouse-jdk25" peer $GATEHOUSE_JAR_B,
# both on the JDK that SCG_JDK25_JAVA names (point it at JDK 17 so that the only difference is the
# jar; the table still labels the B row "gatehouse-jdk25"). Everything else is gatehouse-peer.sh's.
#   SCG_JDK25_JAVA=$(readlink -f "$(command -v java)") GATEHOUSE_AUTH=none \
#   GATEHOUSE_JAR_A=/tmp/before.jar GATEHOUSE_JAR_B=/tmp/after.jar GATEHOUSE_CMD="bash bench/ab-peer.sh" \
#     bash ../shared/bench/run.sh --rounds 3 nginx gatehouse gatehouse-jdk25
set -euo pipefail
if [[ $GATEHOUSE_PORT == "${GATEHOUSE_JDK25_PORT:-18088}" ]]; then
  export GATEHOUSE_JAR=$GATEHOUSE_JAR_B
else
  export GATEHOUSE_JAR=$GATEHOUSE_JAR_A
fi
exec bash "$(dirname "$0")/../../shared/bench/gatehouse-peer.sh"
