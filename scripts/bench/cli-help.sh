#!/usr/bin/env bash
# Wall time of `./airlock COMMAND --help` for every command and subcommand the CLI lists, launcher included: one
# run first (it makes the command's class-data archive), then the median and the slowest of --runs more.
#
#   scripts/bench/cli-help.sh [--runs 3]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs=3
[ "${1:-}" = --runs ] && runs="$2"
cd "$root"

commands_of() { # the names listed under "Commands:" in a help text
  awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}'
}
time_ms() { local start; start=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - start) / 1000000 )); }

echo "load average $(cut -d' ' -f1-3 /proc/loadavg) before"
all=()
for top in $(./airlock --help 2>/dev/null | commands_of); do
  [ "$top" = help ] && continue
  all+=("$top")
  for sub in $(./airlock "$top" --help 2>/dev/null | commands_of); do
    [ "$sub" = help ] || all+=("$top $sub")
  done
done
slowest_all=0
printf '%-28s %10s %10s\n' command "median ms" "max ms"
for command in "${all[@]}"; do
  # shellcheck disable=SC2086
  time_ms ./airlock $command --help >/dev/null
  times=()
  for _ in $(seq 1 "$runs"); do
    # shellcheck disable=SC2086
    times+=("$(time_ms ./airlock $command --help)")
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  max=${sorted[-1]}
  [ "$max" -gt "$slowest_all" ] && slowest_all=$max
  printf '%-28s %10s %10s\n' "$command" "${sorted[$(( ${#sorted[@]} / 2 ))]}" "$max"
done
echo "slowest: $slowest_all ms over ${#all[@]} commands; load average $(cut -d' ' -f1-3 /proc/loadavg) after"
