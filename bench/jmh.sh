#!/usr/bin/env bash
# JMH micro-benchmarks of Gatehouse's own per-request work (src/test/java/io/gatehouse/bench).
#   bash bench/jmh.sh                 # every benchmark
#   bash bench/jmh.sh Normalize -f 1  # any JMH arguments: a name filter, forks, -prof gc ...
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/test.classpath)" org.openjdk.jmh.Main "$@"
