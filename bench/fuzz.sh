#!/usr/bin/env bash
# Fuzzes Gatehouse's @FuzzTest targets with Jazzer, one after the other (FUZZING.md).
#   bash bench/fuzz.sh                          # every target, 60 s each
#   bash bench/fuzz.sh 5m                       # every target, 5 minutes each
#   bash bench/fuzz.sh 90s PathRoutingFuzzTest#normalisation HttpRequestFuzzTest#requestBytes
#
# Each target runs in its own Maven run (Jazzer fuzzes one test per JVM), under the shared build
# lock, with JAZZER_FUZZ=1. A target's @Timeout becomes libFuzzer's bound on each input (a slower
# input is a finding); JUnit's own timeouts are switched off, or they would end the whole session.
# Inputs that break a property are written next to the seeds, to
# src/test/resources/<package>/<Class>Inputs/<method>/crash-*, where `mvn verify` replays them;
# inputs that reached new code go to .cifuzz-corpus/ (not committed) and seed the next run.
# The summary line of each run (executions, seconds, exec/s) is appended to target/fuzz/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${1:-60s}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    HttpRequestFuzzTest#requestBytes
    HeaderFuzzTest#host
    HeaderFuzzTest#clientAddress
    HeaderFuzzTest#cookie
    CredentialsFuzzTest#authorization
    PathRoutingFuzzTest#normalisation
    PathRoutingFuzzTest#protectedPrefixStaysProtected
    JwtVerifierFuzzTest#compactStrings
    JwtVerifierFuzzTest#signedHeaderAndClaims
    OAuthEndpointsFuzzTest#requests
    ConfigLoaderFuzzTest#yaml
    PasswordHasherFuzzTest#storedHashes
    RedisValuesFuzzTest#storedValues
    MasterKeyFuzzTest#sealedValues
  )
fi

mkdir -p target/fuzz
flock /tmp/gatehouse-build.lock mvn -B -q -DskipTests test-compile
for target in "${targets[@]}"; do
  log="target/fuzz/${target/\#/.}.log"
  echo "== ${target} for ${duration} (log: ${log})"
  status=0
  # Audit lines (INFO) would fill the log at thousands of requests a second; warnings still show.
  # Jazzer's SSRF detector is off: the only connections are the OAuth target's client to the server
  # on loopback, made from the HTTP client's own threads, where its allow-list does not reach.
  GATEHOUSE_LOG_LEVEL=WARN JAZZER_DISABLED_HOOKS=com.code_intelligence.jazzer.sanitizers.ServerSideRequestForgery JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${duration}" flock /tmp/gatehouse-build.lock \
    mvn -B surefire:test -Dtest="${target}" -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false \
    -Djunit.jupiter.execution.timeout.mode=disabled \
    >"${log}" 2>&1 || status=$?
  summary=$(grep -aE '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs' "${log}" | tr '\n' ' ' || true)
  echo "${target} ${duration} exit=${status} ${summary}" | tee -a target/fuzz/summary.txt
  grep -aE 'Test unit written to|== Java Exception|FAILURE|Tests run:' "${log}" | head -5 || true
done
