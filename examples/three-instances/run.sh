#!/usr/bin/env bash
# Three Gatehouse instances on one PostgreSQL database and one Redis, behind nginx on port 8000.
# Needs: the jar (mvn -q -DskipTests package at the top of the repository), nginx, and PostgreSQL
# and Redis on their usual ports. Stop everything with: bash stop.sh
set -euo pipefail
cd "$(dirname "$0")"
jar=${GATEHOUSE_JAR:-../../target/gatehouse.jar}
export PGDATABASE=${PGDATABASE:-gatehouse_example}
psql -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$PGDATABASE'" | grep -q 1 \
  || psql -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -d postgres -qc "CREATE DATABASE $PGDATABASE"
# Every instance must open the same signing keys: one master key for all (keep it safe).
[[ -f master.key ]] || (umask 077; openssl rand -base64 32 > master.key)
export GATEHOUSE_MASTER_KEY=$(cat master.key)
for i in 1 2 3; do
  PORT=808$i MGMT_PORT=909$i nohup java -Xmx256m -jar "$jar" serve --config gatehouse.yaml > "instance-$i.log" 2>&1 &
  echo $! > "instance-$i.pid"
done
for i in 1 2 3; do
  until curl -fs "http://127.0.0.1:909$i/health/ready" > /dev/null; do sleep 0.5; done
done
nginx -p "$PWD" -c nginx.conf
echo "Gatehouse x3 behind nginx on http://127.0.0.1:8000 (management on 9091-9093)"
