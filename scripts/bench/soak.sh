#!/usr/bin/env bash
# The soak run: one Airlock node under mixed load (chat on an upstream failing 10% of calls with 503, loan-risk
# predictions on ONNX, MiniLM embeddings) for a fixed time, sampling from /proc the node's resident memory, threads
# and open file descriptors, and its GC pauses from a GC log. Everything on 127.0.0.1; bounded in time.
#
#   scripts/bench/soak.sh                 # 10 minutes, a sample every 30 s
#   scripts/bench/soak.sh --short         # 60 s, a sample every 5 s (a smoke test)
#   scripts/bench/soak.sh --minutes 30 --connections 8 --write   # and append the table to docs/benchmarks.md
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds=600 every=30 connections=8 port_base=18950 write=false
while [ $# -gt 0 ]; do
  case "$1" in
    --short) seconds=60 every=5; shift ;;
    --minutes) seconds=$(($2 * 60)); shift 2 ;;
    --every) every="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --port-base) port_base="$2"; shift 2 ;;
    --write) write=true; shift ;;
    *) echo "soak.sh: unknown option '$1' (see the head of $0)" >&2; exit 2 ;;
  esac
done

source "$here/common.sh"
ensure_tools
[ -f "$root/airlock-server/target/airlock.jar" ] || build_airlock

work="$(mktemp -d /tmp/airlock-soak.XXXXXX)"
echo "soak: work directory $work" >&2
pids=()
cleanup() {
  local pid
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${pids[@]+"${pids[@]}"}; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

upstream_port=$((port_base + 1)) faulty_port=$((port_base + 2)) floor_port=$((port_base + 3))
airlock_port=$((port_base + 10))
start_nginx "$work" "$upstream_port" "$faulty_port" "$floor_port"

AIRLOCK_JAVA_OPTS="-Xlog:gc:file=$work/gc.log:uptime" BENCH_DIR="$work" BENCH_AIRLOCK_PORT="$airlock_port" \
  BENCH_UPSTREAM="http://127.0.0.1:$faulty_port/v1" \
  "$root/airlock" serve --config "$here/airlock-soak.yaml" >"$work/airlock.log" 2>&1 &
node=$!
pids+=("$node")
wait_http "http://127.0.0.1:$airlock_port/readyz" 120 || { tail -20 "$work/airlock.log" >&2; exit 1; }
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

sample() { # elapsed-seconds rss-MB threads fds lines-of-the-GC-log
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$node/status")" \
    "$(awk '/^Threads/ {print $2}' "/proc/$node/status")" "$(ls "/proc/$node/fd" | wc -l)" \
    "$(wc -l <"$work/gc.log")"
}
start=$SECONDS
sample 0 >"$work/samples.tsv"
BENCH_KEY="ak_bench_bench-secret-0123456789abcdef" wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s \
  -s "$here/mixed.lua" "http://127.0.0.1:$airlock_port" >"$work/wrk.out" 2>&1 &
load=$!
pids+=("$load")
while kill -0 "$load" 2>/dev/null; do
  sleep "$every"
  kill -0 "$load" 2>/dev/null || break
  sample $((SECONDS - start)) >>"$work/samples.tsv"
done
wait "$load" || true
sample $((SECONDS - start)) >>"$work/samples.tsv"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

command_line="scripts/bench/soak.sh $( [ "$seconds" = 60 ] && [ "$every" = 5 ] && echo --short || echo "--minutes $((seconds / 60))") --connections $connections"
python3 "$here/soak_table.py" "$work/samples.tsv" "$work/gc.log" "$work/wrk.out" "$command_line" \
  "$load_before" "$load_after" "$every" >"$work/soak.md"
cat "$work/soak.md"
if [ "$write" = true ]; then
  { echo; cat "$work/soak.md"; } >>"$root/docs/benchmarks.md"
  echo "soak: table appended to docs/benchmarks.md" >&2
fi
