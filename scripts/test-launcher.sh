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

echo "launcher checks: $passed ok, $failed failed"
[ "$failed" -eq 0 ]
