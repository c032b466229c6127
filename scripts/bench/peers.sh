#!/usr/bin/env bash
# The peer benchmark: the same canned OpenAI-protocol upstream (nginx `return 200`) called directly, through nginx
# `proxy_pass` (the floor), through Portkey's gateway (npm, pinned) and through Airlock lean and full, each driven by
# wrk closed-loop at c=1 and c=32 and by an open-loop rate sweep (dev.airlock.bench.RateSweep). Everything listens on
# 127.0.0.1; every run is bounded in time. Installs what is missing (apt: nginx-light, wrk; npm: the gateway).
#
#   scripts/bench/peers.sh                         # 10 s per wrk run, sweep 200,500,1000 req/s x 10 s
#   scripts/bench/peers.sh --duration 30 --write   # and replace the table in docs/benchmarks.md
#   scripts/bench/peers.sh soak [--minutes 10 | --short]   # see scripts/bench/soak.sh
#
# Options: --duration S (each wrk run), --warmup S, --rates LIST, --sweep-seconds S, --targets LIST (of direct,
# floor, portkey, lean, full-heuristics, full), --port-base N (default 18930), --write (docs/benchmarks.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ "${1:-}" = soak ]; then shift; exec "$here/soak.sh" "$@"; fi

PORTKEY_VERSION=1.15.2
duration=10 warmup=5 rates=200,500,1000 sweep_seconds=10 write=false port_base=18930
targets=direct,floor,portkey,lean,full-heuristics,full
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --sweep-seconds) sweep_seconds="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --port-base) port_base="$2"; shift 2 ;;
    --write) write=true; shift ;;
    *) echo "peers.sh: unknown option '$1' (see the head of $0)" >&2; exit 2 ;;
  esac
done

source "$here/common.sh"
ensure_tools
portkey_dir="$(ensure_portkey "$PORTKEY_VERSION")"
build_airlock

work="$(mktemp -d /tmp/airlock-peers.XXXXXX)"
echo "peers: work directory $work" >&2
pids=()
cleanup() {
  local pid
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${pids[@]+"${pids[@]}"}; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

upstream_port=$((port_base + 1)) faulty_port=$((port_base + 2)) floor_port=$((port_base + 3))
portkey_port=$((port_base + 4)) airlock_port=$((port_base + 10))
start_nginx "$work" "$upstream_port" "$faulty_port" "$floor_port"

key="ak_bench_bench-secret-0123456789abcdef"
upstream="http://127.0.0.1:$upstream_port/v1"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/results.txt"
: >"$results"

# target NAME URL MODEL HEADERS: wrk warm-up, c=1, c=32, then the sweep; one line per figure in $results
measure() {
  local name="$1" url="$2" model="$3" headers="$4" line c threads
  echo "peers: $name ($url)" >&2
  BENCH_MODEL="$model" BENCH_HEADERS="$headers" wrk -t2 -c32 -d"${warmup}s" -s "$here/post.lua" "$url" >/dev/null
  for c in 1 32; do
    threads=$(( c == 1 ? 1 : 2 ))
    line="$(BENCH_MODEL="$model" BENCH_HEADERS="$headers" \
      wrk -t"$threads" -c"$c" -d"${duration}s" --timeout 10s -s "$here/post.lua" "$url" | grep '^RESULT')"
    echo "$name c=$c $line" | tee -a "$results" >&2
  done
  # the open loop only at rates under 80% of what the target carried at c=32: above, it measures a growing queue
  local rps32 sweep_rates="" rate sweep_headers=()
  rps32="$(awk '/ c=32 / {for (i = 1; i <= NF; i++) if ($i ~ /^rps=/) {sub("rps=", "", $i); print int($i)}}' \
    <(grep "^$name c=32 " "$results"))"
  for rate in ${rates//,/ }; do
    if [ "$((rate * 10))" -le "$((${rps32:-0} * 8))" ]; then sweep_rates="${sweep_rates:+$sweep_rates,}$rate"; fi
  done
  [ -n "$sweep_rates" ] || { echo "peers: $name carried ${rps32:-0} req/s at c=32; no sweep rate under 80% of it" >&2; return 0; }
  IFS='|' read -r -a sweep_headers <<<"$headers"
  "$JAVA_HOME/bin/java" -cp "$bench_classpath" dev.airlock.bench.RateSweep "$url" "$model" "$sweep_rates" "$sweep_seconds" \
      ${sweep_headers[@]+"${sweep_headers[@]}"} 2>>"$work/sweep-errors.log" \
    | sed "s/^/$name /" | tee -a "$results" >&2
}

# airlock NAME CONFIG [ENV=VALUE...]: starts a node, measures it, stops it
airlock_target() {
  local name="$1" config="$2"; shift 2
  rm -f "$work"/*.db "$work"/*.db-*
  env "$@" BENCH_DIR="$work" BENCH_AIRLOCK_PORT="$airlock_port" BENCH_UPSTREAM="$upstream" \
    "$root/airlock" serve --config "$config" >"$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_http "http://127.0.0.1:$airlock_port/readyz" 120 || { tail -20 "$work/$name.log" >&2; exit 1; }
  measure "$name" "http://127.0.0.1:$airlock_port/v1/chat/completions" assistant "Authorization: Bearer $key"
  echo "$name rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")" | tee -a "$results" >&2
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

IFS=',' read -r -a wanted <<<"$targets"
for target in "${wanted[@]}"; do
  case "$target" in
    direct) measure direct "$upstream/chat/completions" bench-model "" ;;
    floor) measure floor "http://127.0.0.1:$floor_port/v1/chat/completions" bench-model "" ;;
    portkey)
      (cd "$portkey_dir" && NODE_ENV=production exec node node_modules/@portkey-ai/gateway/build/start-server.js \
        --port="$portkey_port" --headless) >"$work/portkey.log" 2>&1 &
      pids+=("$!")
      wait_port "$portkey_port" 60
      measure portkey "http://127.0.0.1:$portkey_port/v1/chat/completions" bench-model \
        "Authorization: Bearer sk-bench|x-portkey-provider: openai|x-portkey-custom-host: $upstream"
      kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true ;;
    lean) airlock_target lean "$here/airlock-lean.yaml" ;;
    full-heuristics) airlock_target full-heuristics "$here/airlock-full.yaml" BENCH_CLASSIFIER=false ;;
    full) airlock_target full "$here/airlock-full.yaml" BENCH_CLASSIFIER=true ;;
    *) echo "peers.sh: unknown target '$target'" >&2; exit 2 ;;
  esac
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

command_line="scripts/bench/peers.sh --duration $duration --warmup $warmup --rates $rates --sweep-seconds $sweep_seconds --targets $targets"
python3 "$here/table.py" "$results" "$command_line" "$load_before" "$load_after" "$PORTKEY_VERSION" >"$work/table.md"
cat "$work/table.md"
if [ "$write" = true ]; then
  python3 "$here/table.py" --write "$root/docs/benchmarks.md" "$work/table.md"
  echo "peers: table written to docs/benchmarks.md" >&2
fi
