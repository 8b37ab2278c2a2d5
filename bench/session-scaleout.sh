#!/usr/bin/env bash
# Issue 11, point 7: proxied requests per second with auth: [session] and a Redis-backed limit,
# one instance and two instances behind nginx, in wrk rounds interleaved across the targets in
# one run (as ../shared/bench/run.sh does: wrk -t1 -c64, after a warm-up of each). The shared
# harness cannot measure this itself: it sends its own JWT, and a session is a token Gatehouse
# issued. Targets:
#   nginx        nginx proxying to the upstream, no auth (the proxy limit, as in the harness)
#   local        one Gatehouse, sessions in its embedded SQLite, the limit in memory
#   one          one Gatehouse, sessions and the limit in Redis, users in PostgreSQL
#   one-via-lb   the same instance, through nginx (the load balancer's own cost)
#   two-via-lb   two such instances behind nginx, round robin
# Needs: the jar (mvn -q -DskipTests package), wrk, nginx, PostgreSQL and Redis on 127.0.0.1.
#   bash bench/session-scaleout.sh            # ROUNDS=5 DURATION=20 WARMUP=30 by default
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${GATEHOUSE_JAR:-$PWD/target/gatehouse.jar}
ROUNDS=${ROUNDS:-5} DURATION=${DURATION:-20} WARMUP=${WARMUP:-30} CONNS=${CONNS:-64}
work=$(mktemp -d -t gh-scaleout-XXXXXX)
db=gh_scaleout_$$ prefix=gh-scaleout-$$
UP=18201 NGINX=18202 LB=18203 LB_ONE=18204 LOCAL=18211 A=18212 B=18213
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pidfile in "$work"/*.pid; do
    [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" 2>/dev/null || true
  redis-cli --scan --pattern "$prefix:*" | xargs -r redis-cli del > /dev/null || true
}
trap cleanup EXIT
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

nginx_conf() { # nginx_conf <name> <port> <server lines>: a proxy like the harness's nginx peer
  mkdir -p "$work/$1-tmp"
  cat > "$work/$1.conf" <<CONF
worker_processes 1;
pid $work/$1.pid;
error_log $work/$1.error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $work/$1-tmp; proxy_temp_path $work/$1-tmp; fastcgi_temp_path $work/$1-tmp;
  uwsgi_temp_path $work/$1-tmp; scgi_temp_path $work/$1-tmp;
  access_log off; keepalive_requests 10000000; keepalive_timeout 300s;
  upstream backend { $3 keepalive 128; keepalive_requests 10000000; }
  server {
    listen 127.0.0.1:$2 backlog=4096;
    location / {
      proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
CONF
  nginx -p "$work" -c "$work/$1.conf"
}

# The upstream answers every request with the harness's body.
mkdir -p "$work/upstream-tmp"
cat > "$work/upstream.conf" <<CONF
worker_processes 1;
pid $work/upstream.pid;
error_log $work/upstream.error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $work/upstream-tmp; proxy_temp_path $work/upstream-tmp; fastcgi_temp_path $work/upstream-tmp;
  uwsgi_temp_path $work/upstream-tmp; scgi_temp_path $work/upstream-tmp;
  access_log off; keepalive_requests 10000000; keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$UP backlog=4096; default_type application/json;
    location / { return 200 '{"service":"upstream","status":"ok","message":"hello from the benchmark upstream","items":[1,2,3]}\n'; }
  }
}
CONF
nginx -p "$work" -c "$work/upstream.conf"
nginx_conf nginx "$NGINX" "server 127.0.0.1:$UP;"

psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db"
export GATEHOUSE_MASTER_KEY=$(openssl rand -base64 32)
gatehouse() { # gatehouse <name> <port> <shared: yes|no>
  local dir=$work/$1
  mkdir -p "$dir"
  {
    echo "server: { http: { host: 127.0.0.1, port: $2 }, https: { enabled: false } }"
    echo "management: { host: 127.0.0.1, port: $(($2 + 100)) }"
    echo "store:"
    echo "  embedded: { path: $dir/data }"
    if [[ $3 == yes ]]; then
      echo "  postgres: { url: \"jdbc:postgresql://127.0.0.1:5432/$db\", user: postgres }"
      echo "  redis: { url: \"redis://127.0.0.1:6379\", prefix: $prefix }"
    fi
    echo "rate_limits: { login_failures: { address: 1000 } }"
    echo "routes:"
    echo "  - { id: api, path: /api/**, upstream: \"http://127.0.0.1:$UP\", auth: [session],"
    echo "      rate_limit: { key: subject, limit: 100000000, per: 1m } }"
  } > "$dir/gatehouse.yaml"
  java -Xmx512m -jar "$jar" serve --config "$dir/gatehouse.yaml" > "$dir/out.log" 2>&1 &
  pids+=($!)
}
gatehouse local "$LOCAL" no
gatehouse a "$A" yes
for port in "$LOCAL" "$A"; do
  until curl -fs "http://127.0.0.1:$((port + 100))/health/ready" > /dev/null; do sleep 0.5; done
done
gatehouse b "$B" yes   # after A: A made the signing keys, B reads them
until curl -fs "http://127.0.0.1:$((B + 100))/health/ready" > /dev/null; do sleep 0.5; done
nginx_conf lb "$LB" "server 127.0.0.1:$A; server 127.0.0.1:$B;"
nginx_conf lb-one "$LB_ONE" "server 127.0.0.1:$A;"

session() { # session <port>: signs a bench user up and in, prints the session token
  local body='{"username":"bench-user","password":"correct horse battery staple"}'
  curl -s -o /dev/null -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$1/auth/signup"
  curl -s -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$1/auth/login" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["session_token"])'
}
LOCAL_SESSION=$(session "$LOCAL")
SHARED_SESSION=$(session "$A")

declare -A URL=([nginx]="http://127.0.0.1:$NGINX/api/x" [local]="http://127.0.0.1:$LOCAL/api/x"
  [one]="http://127.0.0.1:$A/api/x" [one-via-lb]="http://127.0.0.1:$LB_ONE/api/x"
  [two-via-lb]="http://127.0.0.1:$LB/api/x")
declare -A TOKEN=([nginx]="$SHARED_SESSION" [local]="$LOCAL_SESSION" [one]="$SHARED_SESSION"
  [one-via-lb]="$SHARED_SESSION" [two-via-lb]="$SHARED_SESSION")
TARGETS=(nginx local one one-via-lb two-via-lb)

# Checks: 200 with the session on every target, on both instances; 401 without it.
for t in "${TARGETS[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKEN[$t]}" "${URL[$t]}")
  [[ $code == 200 ]] || { log "$t: $code with the session, want 200"; exit 1; }
done
for port in "$LOCAL" "$A" "$B"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/x")
  [[ $code == 401 ]] || { log "$port: $code without a session, want 401"; exit 1; }
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $SHARED_SESSION" "http://127.0.0.1:$B/api/x")
[[ $code == 200 ]] || { log "B: $code with A's session, want 200"; exit 1; }
log "checks passed: 200 with the session on every target and on B, 401 without"

# Whose CPU each target spends: the Gatehouse processes behind it, and the machine's Redis.
REDIS_PID=$(pgrep -x redis-server | head -1)
declare -A GH_PIDS=([nginx]="" [local]="${pids[0]}" [one]="${pids[1]}" [one-via-lb]="${pids[1]}"
  [two-via-lb]="${pids[1]} ${pids[2]}")
ticks() { # ticks <pid>...: user+system CPU ticks of the processes so far
  local total=0 pid
  for pid in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done
  echo "$total"
}
HZ=$(getconf CLK_TCK)
rate() { # rate <target> <seconds>: "req/s gatehouse-CPU-µs/req redis-CPU-µs/req" of one wrk run (non-2xx fail it)
  local out gh0 rd0 gh1 rd1 requests
  # shellcheck disable=SC2086 # the pid lists are words
  gh0=$(ticks ${GH_PIDS[$1]}) rd0=$(ticks $REDIS_PID)
  out=$(wrk -t1 -c"$CONNS" -d"${2}s" --timeout 5s -H "Authorization: Bearer ${TOKEN[$1]}" "${URL[$1]}")
  # shellcheck disable=SC2086
  gh1=$(ticks ${GH_PIDS[$1]}) rd1=$(ticks $REDIS_PID)
  if grep -q "Non-2xx" <<< "$out"; then log "$1: non-2xx answers: $(grep Non-2xx <<< "$out")"; exit 1; fi
  requests=$(awk '/requests in/ { print $1 }' <<< "$out")
  awk -v out="$out" -v n="$requests" -v g=$((gh1 - gh0)) -v r=$((rd1 - rd0)) -v hz="$HZ" 'BEGIN {
    split(out, lines, "\n"); for (i in lines) if (lines[i] ~ /Requests\/sec/) { split(lines[i], f, " "); rps = f[2] }
    printf "%s %.1f %.1f\n", rps, g * 1e6 / hz / n, r * 1e6 / hz / n }'
}
for t in "${TARGETS[@]}"; do
  log "warm-up $t: $(rate "$t" "$WARMUP" | cut -d' ' -f1) req/s"
done
declare -A RESULTS GH_CPU REDIS_CPU
for r in $(seq "$ROUNDS"); do
  for t in "${TARGETS[@]}"; do
    read -r rps gh rd <<< "$(rate "$t" "$DURATION")"
    RESULTS[$t]+="$rps " GH_CPU[$t]+="$gh " REDIS_CPU[$t]+="$rd "
    log "round $r $t: $rps req/s, Gatehouse $gh µs/req, Redis $rd µs/req"
  done
done
median() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "| target | req/s (median of $ROUNDS x ${DURATION}s) | of nginx | Gatehouse CPU µs/req | Redis CPU µs/req | rounds (req/s) |"
echo "|---|---:|---:|---:|---:|---|"
nginx_median=$(median "${RESULTS[nginx]}")
for t in "${TARGETS[@]}"; do
  m=$(median "${RESULTS[$t]}")
  printf '| %s | %.0f | %.2f | %s | %s | %s |\n' "$t" "$m" "$(awk -v a="$m" -v b="$nginx_median" 'BEGIN { print a / b }')" \
    "$(median "${GH_CPU[$t]}")" "$(median "${REDIS_CPU[$t]}")" "${RESULTS[$t]}"
done
