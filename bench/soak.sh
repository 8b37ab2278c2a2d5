#!/usr/bin/env bash
# Issue 21: the soak under faults. Two Gatehouse instances on PostgreSQL and Redis behind nginx,
# the load driver (src/test/java/io/gatehouse/soak) checking every answer for the whole duration
# while faults strike on a schedule: the upstream resets and stalls, kill -9 of each instance and
# its restart, Redis killed and restarted, PostgreSQL "restarted", latency and connection resets
# on the relays to Redis and PostgreSQL. Writes report.md, the series (*.tsv) and soak.png to the
# output folder (bench/soak/README.md explains them).
#
#   flock /tmp/gatehouse-build.lock bash bench/soak.sh [--duration 10m] [--rate 40] [--out bench/soak]
#
# Run it under the build lock as above (it builds, then loads both cores). Needs: JDK 17+, Maven,
# nginx and gnuplot (apt-get install nginx gnuplot-nox), redis-server, and PostgreSQL on
# 127.0.0.1:5432 with trust auth for user postgres. The machine's PostgreSQL and Redis stay up:
# the soak runs a redis-server of its own (AOF, fsync always) on a free port, and reaches
# PostgreSQL through a relay in the driver that it cuts; "PostgreSQL restarted" is that relay
# refusing connections plus pg_terminate_backend on the soak database's backends.
# Exit code: 0 when no promise broke and no acknowledged write was lost.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10m RATE=40 OUT=bench/soak
while [[ $# -gt 0 ]]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
  esac
done
export PATH="$PATH:/usr/sbin:/sbin"
for tool in nginx gnuplot redis-server psql; do
  command -v "$tool" > /dev/null || { echo "needs $tool (see the top of $0)" >&2; exit 2; }
done
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

log "building the jar and the driver"
mvn -B -o -q -DskipTests package
mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=target/soak.classpath -Dmdep.includeScope=test
jar=$PWD/target/gatehouse.jar
classpath="$PWD/target/test-classes:$PWD/target/classes:$(cat target/soak.classpath)"
routes=$PWD/src/test/resources/io/gatehouse/soak/routes.yaml

work=$(mktemp -d -t gh-soak-XXXXXX)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
LB=$(free_port) UP=$(free_port) REDIS=$(free_port) REDIS_RELAY=$(free_port) PG_RELAY=$(free_port)
A=$(free_port) A_MGMT=$(free_port) B=$(free_port) B_MGMT=$(free_port)
db=gh_soak_$$
driver=""
cleanup() {
  [[ -n $driver ]] && kill "$driver" 2>/dev/null || true
  for pidfile in "$work"/a/pid "$work"/b/pid "$work"/redis/pid; do
    [[ -f $pidfile ]] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  done
  [[ -f $work/nginx.pid ]] && nginx -p "$work" -c "$work/nginx.conf" -s stop 2>/dev/null || true
  sleep 1
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true
  rm -rf "$work"/a/data "$work"/b/data "$work"/redis/*.aof* "$work"/redis/appendonlydir
  log "logs kept in $work"
}
trap cleanup EXIT

psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db"
export GATEHOUSE_MASTER_KEY=$(openssl rand -base64 32)
export UP="http://127.0.0.1:$UP" EXT_JWKS=$work/ext-jwks.json GATEHOUSE_LOG_LEVEL=WARN

# Redis of its own, durable (appendfsync always), so kill -9 loses nothing it acknowledged.
mkdir -p "$work/redis"
cat > "$work/redis/start.sh" <<SH
redis-server --daemonize yes --bind 127.0.0.1 --port $REDIS --dir $work/redis --pidfile $work/redis/pid \
  --appendonly yes --appendfsync always --save "" --logfile $work/redis/redis.log
for i in \$(seq 100); do redis-cli -p $REDIS ping > /dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1
SH
bash "$work/redis/start.sh"

# The administrator, made with the CLI straight on PostgreSQL (which migrates the schema too).
cat > "$work/cli.yaml" <<YAML
store:
  embedded: { path: $work/cli-data }
  postgres: { url: "jdbc:postgresql://127.0.0.1:5432/$db", user: postgres }
YAML
ADMIN_PASSWORD="soak admin $(openssl rand -hex 8)"
echo "$ADMIN_PASSWORD" | java -jar "$jar" user add soak-admin --role admin --password-stdin --config "$work/cli.yaml" \
  > "$work/cli.log" 2>&1

instance() { # instance <name> <port> <management port>: its config and start script
  local dir=$work/$1
  mkdir -p "$dir"
  cat > "$dir/gatehouse.yaml" <<YAML
issuer: http://127.0.0.1:$LB
server:
  http: { host: 127.0.0.1, port: $2 }
  https: { enabled: false }
  trusted_proxies: [127.0.0.1/32]
  limits: { max_body_bytes: 16MiB }
management: { host: 127.0.0.1, port: $3 }
store:
  embedded: { path: $dir/data }
  postgres: { url: "jdbc:postgresql://127.0.0.1:$PG_RELAY/$db", user: postgres }
  redis: { url: "redis://127.0.0.1:$REDIS_RELAY", prefix: soak }
$(cat "$routes")
YAML
  cat > "$dir/start.sh" <<SH
cd $dir
nohup java -Xmx512m -jar $jar serve --config gatehouse.yaml >> out.log 2>&1 < /dev/null &
echo \$! > pid
SH
}
instance a "$A" "$A_MGMT"
instance b "$B" "$B_MGMT"

cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $work/nginx-tmp; proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
  access_log off;
  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  upstream gatehouse { server 127.0.0.1:$A; server 127.0.0.1:$B; keepalive 64; }
  server {
    listen 127.0.0.1:$LB;
    client_max_body_size 16m;
    location / {
      proxy_pass http://gatehouse;
      proxy_http_version 1.1;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_request_buffering off;   # bodies stream both ways: slow writers and readers reach Gatehouse
      proxy_buffering off;
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout;   # an instance that is down is skipped
    }
  }
}
CONF
mkdir -p "$work/nginx-tmp"

spec() { # spec <name> <port> <management port>: the driver's --instance
  echo "name=$1,http=http://127.0.0.1:$2,management=http://127.0.0.1:$3,pid-file=$work/$1/pid,start=$work/$1/start.sh"
}
log "driver: upstream $UP, relays Redis :$REDIS_RELAY -> :$REDIS and PostgreSQL :$PG_RELAY -> :5432"
GATEHOUSE_LOG_LEVEL=INFO java -Xmx1g -cp "$classpath" io.gatehouse.soak.LoadDriver \
  --out "$OUT" --duration "$DURATION" --rate "$RATE" \
  --label "Gatehouse $(git rev-parse --short HEAD), 2 instances behind nginx, PostgreSQL + Redis" \
  --entry "http://127.0.0.1:$LB/" --upstream-port "${UP##*:}" --issuer-jwks "$EXT_JWKS" --ready "$work/ready" \
  --redis-relay "$REDIS_RELAY:$REDIS" --redis-pid-file "$work/redis/pid" --redis-start "$work/redis/start.sh" \
  --postgres-relay "$PG_RELAY:5432" --postgres-database "$db" --admin "soak-admin:$ADMIN_PASSWORD" \
  --instance "$(spec a "$A" "$A_MGMT")" --instance "$(spec b "$B" "$B_MGMT")" \
  > "$work/driver.log" 2>&1 &
driver=$!
until [[ -f $work/ready ]]; do kill -0 "$driver" || { tail "$work/driver.log"; exit 1; }; sleep 0.2; done

# A first (it makes the signing keys), then B, then the load balancer.
bash "$work/a/start.sh"
until curl -fs "http://127.0.0.1:$A_MGMT/health/ready" > /dev/null; do sleep 0.5; done
bash "$work/b/start.sh"
until curl -fs "http://127.0.0.1:$B_MGMT/health/ready" > /dev/null; do sleep 0.5; done
nginx -p "$work" -c "$work/nginx.conf"
log "two instances ready behind nginx on :$LB; soaking for $DURATION (driver log: $work/driver.log)"

status=0
wait "$driver" || status=$?
driver=""
grep -h '"level":"ERROR"' "$work"/a/out.log "$work"/b/out.log > "$OUT/instance-errors.jsonl" || true
log "instances logged $(wc -l < "$OUT/instance-errors.jsonl") errors (instance-errors.jsonl)"

# The chart: throughput, p99 and each instance's RSS and heap over time, the faults shaded and numbered.
for i in a b; do
  awk -F'\t' -v i="$i" '$2 == i && $4 != "NaN"' "$OUT/instances.tsv" > "$work/instance-$i.tsv"
done
case $DURATION in
  *m) seconds=$((${DURATION%m} * 60)) ;;
  *s) seconds=${DURATION%s} ;;
  *) seconds=$DURATION ;;
esac
title=$(head -1 "$OUT/report.md" | sed "s/^# Soak report: //; s/'//g")
{
  echo "set terminal pngcairo size 1400,1000 font ',10'"
  echo "set output '$OUT/soak.png'"
  echo "set multiplot layout 3,1 title 'Soak: $title (faults shaded, numbered as in report.md)'"
  echo "set key top left; set grid; set lmargin 10; set xrange [0:$seconds]; set xlabel 'seconds of load'"
  echo "set datafile separator '\t'"
  awk -F'\t' 'NR > 1 { n++
    printf "set object %d rect from %s, graph 0 to %s, graph 1 fc rgb \"#f4c7c3\"", n, $2, $3
    printf " fs solid 0.6 noborder behind\n"
    printf "set label %d \"%d\" at %s, graph 0.93 offset 0.3,0\n", n, n, $2 }' "$OUT/faults.tsv"
  # The load's samples only: after it come the final checks, which are not load.
  awk -F'\t' -v end="$seconds" 'NR > 1 && $1 <= end' "$OUT/load.tsv" > "$work/load.tsv"
  echo "set ylabel 'requests / s'; plot '$work/load.tsv' using 1:2 with lines lw 2 title 'throughput'"
  echo "set ylabel 'ms'; set logscale y"
  echo "plot '$work/load.tsv' using 1:4 with lines lw 2 title 'p99', '' using 1:3 with lines title 'p50'"
  echo "unset logscale y; set ylabel 'MiB'"
  echo "plot '$work/instance-a.tsv' using 1:4 with linespoints pt 7 ps 0.4 title 'RSS a', \\"
  echo "  '$work/instance-b.tsv' using 1:4 with linespoints pt 7 ps 0.4 title 'RSS b', \\"
  echo "  '$work/instance-a.tsv' using 1:5 with lines dt 2 title 'heap a', \\"
  echo "  '$work/instance-b.tsv' using 1:5 with lines dt 2 title 'heap b'"
  echo "unset multiplot"
} > "$work/chart.gp"
gnuplot "$work/chart.gp" && log "chart: $OUT/soak.png"
log "report: $OUT/report.md (exit $status)"
exit "$status"
