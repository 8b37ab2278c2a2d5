#!/usr/bin/env bash
# Interleaved proxy benchmark: wrk against the upstream directly, nginx proxy_pass, HAProxy and
# Gatehouse, round after round in one run, so drift on a shared machine hits every target alike.
# Prints median req/s, p50 and p99 per target and Gatehouse's ratios to nginx and HAProxy.
#
#   bash bench/run.sh                      # 3 rounds x 10s x 4 targets
#   ROUNDS=5 DURATION=15s CONNECTIONS=64 THREADS=2 WARMUP=60s bash bench/run.sh
#
# Needs: apt-get install -y wrk nginx haproxy, and a built jar (mvn -q -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-60s}   # the JIT needs a while on 2 cores; measuring a cold JVM measures the compiler
JAR=${GATEHOUSE_JAR:-target/gatehouse.jar}
UPSTREAM_PORT=18901 NGINX_PORT=18902 HAPROXY_PORT=18903 GATEHOUSE_PORT=18904 MGMT_PORT=18905

for tool in wrk nginx haproxy curl java; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y wrk nginx haproxy curl" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "no $JAR: run mvn -q -DskipTests package first" >&2; exit 1; }

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

nginx_config() { # name, body of the http block
  cat > "$WORK/$1.conf" <<CONF
worker_processes $2;
daemon off;
pid $WORK/$1.pid;
error_log $WORK/$1.error.log;
events { worker_connections 4096; }
http {
  client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;
  $3
}
CONF
  nginx -c "$WORK/$1.conf" -p "$WORK" & PIDS+=($!)
}

start_all() {
  nginx_config upstream 1 "access_log off;
  server { listen 127.0.0.1:$UPSTREAM_PORT; location / { default_type text/plain; return 200 'hello world\n'; } }"

  # nginx logs every request too, so both proxies pay for an access log.
  nginx_config nginx 2 "access_log $WORK/nginx.access.log;
  upstream up { server 127.0.0.1:$UPSTREAM_PORT; keepalive 64; }
  server { listen 127.0.0.1:$NGINX_PORT; location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"

  # HAProxy runs without a log target (it would need a syslog listener); noted in the README.
  cat > "$WORK/haproxy.cfg" <<CONF
global
  nbthread 2
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend be
backend be
  server up 127.0.0.1:$UPSTREAM_PORT
CONF
  haproxy -f "$WORK/haproxy.cfg" -db & PIDS+=($!)

  cat > "$WORK/gatehouse.yaml" <<CONF
server:
  http: { host: 127.0.0.1, port: $GATEHOUSE_PORT }
  https: { enabled: false }
management: { port: $MGMT_PORT }
store: { embedded: { path: "$WORK/data" } }
routes:
  - { id: bench, path: /**, upstream: "http://127.0.0.1:$UPSTREAM_PORT", auth: [none] }
CONF
  # The access log stays on (JSON lines on stdout, to a file): that is part of the target.
  java -jar "$JAR" serve --config "$WORK/gatehouse.yaml" > "$WORK/gatehouse.out" 2>&1 & PIDS+=($!)
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$MGMT_PORT/health/ready" >/dev/null && break; sleep 0.5; done
}

check() { # name port
  local body
  body=$(curl -sf "http://127.0.0.1:$2/") || { echo "$1 does not answer on $2" >&2; exit 1; }
  [ "$body" = "hello world" ] || { echo "$1 answered '$body'" >&2; exit 1; }
}

to_ms() { # wrk latency such as 512.00us, 1.20ms, 1.01s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

measure() { # name port -> appends "name rps p50 p99 errors" to results
  local out rps p50 p99 errors
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$2/")
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  errors=$(awk '/Non-2xx|Socket errors/ { sub(/^ +/, ""); printf "%s; ", $0 }' <<<"$out")
  echo "$1 $rps $p50 $p99 ${errors:-none}" | tee -a "$RESULTS"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

start_all
TARGETS=("direct $UPSTREAM_PORT" "nginx $NGINX_PORT" "haproxy $HAPROXY_PORT" "gatehouse $GATEHOUSE_PORT")
for target in "${TARGETS[@]}"; do check $target; done

mkdir -p bench/results
RESULTS="bench/results/$(date -u +%Y%m%dT%H%M%SZ).txt"
echo "# rounds=$ROUNDS duration=$DURATION connections=$CONNECTIONS threads=$THREADS warmup=$WARMUP commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" > "$RESULTS"
echo "warming up every target ($WARMUP on Gatehouse)..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$GATEHOUSE_PORT/" >/dev/null
for target in "${TARGETS[@]:0:3}"; do set -- $target; wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$2/" >/dev/null; done

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS"
  for target in "${TARGETS[@]}"; do measure $target; done
done

echo
printf '%-10s %12s %10s %10s\n' target "req/s" "p50 ms" "p99 ms"
declare -A RPS
for name in direct nginx haproxy gatehouse; do
  RPS[$name]=$(awk -v n="$name" '$1 == n { print $2 }' "$RESULTS" | median)
  printf '%-10s %12.0f %10.3f %10.3f\n' "$name" "${RPS[$name]}" \
    "$(awk -v n="$name" '$1 == n { print $3 }' "$RESULTS" | median)" \
    "$(awk -v n="$name" '$1 == n { print $4 }' "$RESULTS" | median)"
done
awk -v g="${RPS[gatehouse]}" -v n="${RPS[nginx]}" -v h="${RPS[haproxy]}" \
  'BEGIN { printf "\ngatehouse/nginx   %.2f\ngatehouse/haproxy %.2f\n", g / n, g / h }' | tee -a "$RESULTS"
echo "raw results: $RESULTS"
