#!/usr/bin/env bash
cd "$(dirname "$0")"
[[ -f nginx.pid ]] && nginx -p "$PWD" -c nginx.conf -s stop
for f in instance-*.pid; do [[ -f $f ]] && kill "$(cat "$f")" && rm -f "$f"; done
true
