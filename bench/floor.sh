#!/usr/bin/env bash
# The floor of the stack: nginx proxy_pass against a bare vertx-http-proxy reverse proxy and a
# bare Vert.x HttpClient pipe (bench/floor/Floor.java), interleaved, same nginx upstream as run.sh.
# Tells how much of the gap to nginx is the library and how much is Gatehouse's own pipeline.
#   bash bench/floor.sh        # needs nginx, wrk, and target/gatehouse.jar (its classpath is reused)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10s}; WARMUP=${WARMUP:-50s}
WORK=$(mktemp -d); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
nginx_conf() { # name workers body
  cat > "$WORK/$1.conf" <<CONF
worker_processes $2; daemon off; pid $WORK/$1.pid; error_log $WORK/$1.err;
events { worker_connections 4096; }
http { client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;
$3 }
CONF
  nginx -c "$WORK/$1.conf" -p "$WORK" & PIDS+=($!)
}
nginx_conf upstream 1 "access_log off; server { listen 127.0.0.1:18921; location / { default_type text/plain; return 200 'hello world\n'; } }"
nginx_conf proxy 2 "access_log $WORK/access.log; upstream up { server 127.0.0.1:18921; keepalive 64; }
  server { listen 127.0.0.1:18922; location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
javac -d "$WORK" -cp target/gatehouse.jar bench/floor/Floor.java
java -cp "target/gatehouse.jar:$WORK" Floor reverse 18923 18921 > "$WORK/reverse.log" 2>&1 & PIDS+=($!)
java -cp "target/gatehouse.jar:$WORK" Floor lean 18924 18921 > "$WORK/lean.log" 2>&1 & PIDS+=($!)
sleep 3
for port in 18923 18924; do wrk -t2 -c64 -d"$WARMUP" "http://127.0.0.1:$port/" > /dev/null; done
for round in $(seq 1 "$ROUNDS"); do
  for target in "nginx 18922" "reverse 18923" "lean 18924"; do
    set -- $target
    echo "$1 $(wrk -t2 -c64 -d"$DURATION" "http://127.0.0.1:$2/" | awk '/Requests\/sec/ { print $2 }')"
  done
done
