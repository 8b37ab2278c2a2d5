#!/usr/bin/env bash
# The floor of Gatehouse's stack: a bare Netty 4.2 reverse proxy (bench/floor/NettyFloor.java: the
# same codecs, epoll, pooled allocator and per-event-loop keep-alive pools, nothing else) measured
# in the shared interleaved harness beside nginx and Gatehouse. The floor runs in the
# "gatehouse-jdk25" slot of the harness, on JDK 17 like the "gatehouse" peer.
#   bash bench/floor.sh [harness options, e.g. --rounds 5]
# Needs wrk and nginx (apt-get install -y wrk nginx), and target/gatehouse.jar (its classpath is reused).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/gatehouse.jar ] || { echo "no target/gatehouse.jar: run mvn -q -DskipTests package first" >&2; exit 1; }
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
javac -d "$classes" -cp target/gatehouse.jar bench/floor/NettyFloor.java
cat > "$classes/peer.sh" <<PEER
#!/usr/bin/env bash
# gatehouse: Gatehouse on JDK 17; gatehouse-jdk25 slot: the Netty floor on JDK 17
if [[ \$GATEHOUSE_JAVA == java ]]; then exec bash ../shared/bench/gatehouse-peer.sh; fi
up=\${BENCH_UPSTREAM_URL##*:}; up=\${up%%/*}
exec java -Xmx512m -cp "$PWD/target/gatehouse.jar:$classes" NettyFloor "\$GATEHOUSE_PORT" "\$up" > "\$BENCH_ACCESS_LOG"
PEER
GATEHOUSE_CMD="bash $classes/peer.sh" GATEHOUSE_AUTH=none bash ../shared/bench/run.sh "$@" nginx gatehouse gatehouse-jdk25
