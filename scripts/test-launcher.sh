#!/usr/bin/env bash
# Checks the ./airlock launcher as a user meets it, after a build (.ci/run runs it after ./airlock test):
# no JVM warnings on the screen, the launcher's own commands in --help, the chosen JDK cached and the cache dropped
# when it no longer holds, and the class-data archive made once and then used.
#   scripts/test-launcher.sh
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0
check() { # check NAME COMMAND...: ok when the command succeeds
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok    $name"; else failed=$((failed + 1)); echo "FAIL  $name"; fi
}
archive_made() { compgen -G "airlock-server/target/cds/$1-*.jsa" >/dev/null; }
no_warning() { ! grep -E '^WARNING|\[warning\]|\[error *\]|picocli WARN' "$1"; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_CACHE_HOME="$scratch/cache"
unset AIRLOCK_CONFIG AIRLOCK_JAVA_OPTS

./airlock --help >"$scratch/help" 2>&1
check "--help exits 0" [ $? -eq 0 ]
check "--help prints no warning" no_warning "$scratch/help"
check "--help names the launcher's test command" grep -q '^  test ' "$scratch/help"
check "--help says where the configuration is read" grep -q 'AIRLOCK_CONFIG' "$scratch/help"
cache="$(ls "$XDG_CACHE_HOME"/airlock/jdk-* 2>/dev/null | head -1)"
check "the chosen JDK is cached" [ -n "$cache" ]

start=$(date +%s%N)
./airlock --help >/dev/null 2>&1
echo "time ./airlock --help (JDK cached, archive made): $(( ($(date +%s%N) - start) / 1000000 )) ms, load average $(cut -d' ' -f1-3 /proc/loadavg)"

rm -rf airlock-server/target/cds
for run in first second; do
  ./airlock config check --config examples/loan-risk/airlock.yaml >"$scratch/check-$run" 2>&1
  check "config check ($run run) exits 0" [ $? -eq 0 ]
  check "config check ($run run, loads CEL and protobuf) prints no warning" no_warning "$scratch/check-$run"
done
check "config check made its class-data archive" archive_made config

if [ -n "$cache" ]; then
  printf '%s\n%s\n%s\n' "${JAVA_HOME:-}" /nonexistent/jdk 99 >"$cache"
  ./airlock --version >"$scratch/version" 2>&1
  check "a cached JDK that is gone is looked for again" [ $? -eq 0 ]
  check "... and the cache rewritten" bash -c "! grep -q /nonexistent '$cache'"
fi
for old in /usr/lib/jvm/java-17-openjdk-*; do
  [ -x "$old/bin/java" ] || continue
  JAVA_HOME="$old" ./airlock --help >"$scratch/help-17" 2>&1
  check "JAVA_HOME on a JDK too old: a newer one is used, without warnings" no_warning "$scratch/help-17"
  check "... and the cache follows JAVA_HOME" grep -qx "$old" "$cache"
  break
done

# serve: its JVM options, and the AOT cache (JDK 25+) written when the first node after a build stops, used after
serve_until_healthy() { # serve_until_healthy LOG: starts a node on the lean benchmark config; sets $node
  BENCH_DIR="$scratch" BENCH_AIRLOCK_PORT=18989 ./airlock serve --config scripts/bench/airlock-lean.yaml >"$1" 2>&1 &
  node=$!
  local deadline=$((SECONDS + 180))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18989/healthz 2>/dev/null)" = 200 ]; do
    kill -0 "$node" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}
node_has_option() { tr '\0' '\n' <"/proc/$node/cmdline" | grep -q -- "$1"; }
rm -f airlock-server/target/cds/serve-*.aot "$scratch"/*.db
serve_until_healthy "$scratch/serve-first"
check "serve answers /healthz" [ $? -eq 0 ]
check "serve starts with a small initial heap" node_has_option '^-Xms32m$'
check "serve gives memory back when idle" node_has_option '^-XX:G1PeriodicGCInterval='
kill "$node"; wait "$node" 2>/dev/null
if [ "$(sed -n 3p "$cache" 2>/dev/null)" -ge 25 ] 2>/dev/null; then
  check "the first serve after a build leaves an AOT cache when it stops" bash -c "compgen -G 'airlock-server/target/cds/serve-*.aot' >/dev/null"
  serve_until_healthy "$scratch/serve-second"
  check "the next serve starts from it" node_has_option '^-XX:AOTCache='
  kill "$node"; wait "$node" 2>/dev/null
  check "... and prints no warning" no_warning "$scratch/serve-second"
fi
check "serve prints no warning" no_warning "$scratch/serve-first"

# the jar carries this platform's native libraries only, and no debug symbols
unzip -l airlock-server/target/airlock.jar >"$scratch/jar-list"
if [ "$(uname -sm)" = "Linux x86_64" ]; then
  check "the jar has ONNX Runtime for linux-x64" grep -q 'ai/onnxruntime/native/linux-x64/libonnxruntime.so' "$scratch/jar-list"
  check "the jar has no other platform's ONNX Runtime" \
    bash -c "! grep -Eq 'ai/onnxruntime/native/(osx|win|linux-aarch64)' '$scratch/jar-list'"
fi
check "the jar has no macOS debug symbols" bash -c "! grep -q '\.dSYM/' '$scratch/jar-list'"
echo "jar size: $(( $(stat -c %s airlock-server/target/airlock.jar) / 1048576 )) MiB"

echo "launcher checks: $passed ok, $failed failed"
[ "$failed" -eq 0 ]
