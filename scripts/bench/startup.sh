#!/usr/bin/env bash
# Start and idle memory of `./airlock serve`: the time from the command to the first 200 on /healthz (launcher
# included), then the node's resident memory after it has idled, with a native-memory summary and a heap histogram
# of the last run. Bounded: each start waits at most 120 s.
#
#   scripts/bench/startup.sh                                   # the lean benchmark config, 5 starts
#   scripts/bench/startup.sh --config examples/loan-risk/airlock.yaml --runs 3 --idle 10
#   AIRLOCK_JAVA_OPTS=-XX:NativeMemoryTracking=summary scripts/bench/startup.sh --nmt   # where memory goes
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
config="$here/airlock-lean.yaml" runs=5 idle=10 port=18990 nmt=false
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --idle) idle="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --nmt) nmt=true; shift ;;
    *) echo "startup.sh: unknown option '$1' (see the head of $0)" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d /tmp/airlock-startup.XXXXXX)"
node=""
trap '[ -z "$node" ] || kill "$node" 2>/dev/null || true' EXIT
echo "startup: load average $(cut -d' ' -f1-3 /proc/loadavg) before" >&2
for run in $(seq 1 "$runs"); do
  rm -rf "$work/db" && mkdir -p "$work/db"
  start=$(date +%s%N)
  BENCH_DIR="$work/db" BENCH_AIRLOCK_PORT="$port" AIRLOCK_PORT="$port" \
    AIRLOCK_STORE_URL="jdbc:sqlite:$work/db/airlock.db" \
    "$root/airlock" serve --config "$config" >"$work/serve-$run.log" 2>&1 &
  node=$!
  deadline=$((SECONDS + 120))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" 2>/dev/null)" = 200 ]; do
    kill -0 "$node" 2>/dev/null || { echo "startup: the node exited; see $work/serve-$run.log" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "startup: no 200 on /healthz after 120 s" >&2; exit 1; }
    sleep 0.02
  done
  ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep "$idle"
  rss_mb=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$node/status")
  echo "run $run: ready after $ready_ms ms; RSS after $idle s idle: $rss_mb MB"
  if [ "$run" = "$runs" ] && [ "$nmt" = true ]; then
    java_home="$(dirname "$(dirname "$(readlink -f "/proc/$node/exe")")")"
    "$java_home/bin/jcmd" "$node" VM.native_memory summary >"$work/nmt.txt" 2>&1 || true
    "$java_home/bin/jcmd" "$node" GC.class_histogram >"$work/histogram.txt" 2>&1 || true
    echo "native memory summary: $work/nmt.txt; heap histogram: $work/histogram.txt"
  fi
  kill "$node"; wait "$node" 2>/dev/null || true; node=""
done
echo "startup: load average $(cut -d' ' -f1-3 /proc/loadavg) after" >&2
