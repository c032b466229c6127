#!/usr/bin/env bash
# A throwaway PostgreSQL server for Airlock's tests.
#
#   eval "$(scripts/test-postgres.sh start)"   # start, or find already running; prints the exports tests read
#   ./mvnw -B -pl airlock-store test
#   scripts/test-postgres.sh stop              # stop it and delete its data
#   scripts/test-postgres.sh status
#
# The server listens on 127.0.0.1 only, on a free port, with trust authentication and no Unix socket; fsync is
# off, so it is fast and must never hold anything that matters. Its data lives in $AIRLOCK_TEST_POSTGRES_DIR
# (default /tmp/airlock-test-postgres-<hash of this checkout's path>), so each checkout has its own server.
# As root, the server runs as the OS user $PG_OS_USER (default postgres), because PostgreSQL refuses root.
# Binaries: $PG_BIN, else the newest /usr/lib/postgresql/*/bin (Debian: apt-get install -y postgresql),
# else whatever initdb is on the PATH. Only the export lines go to stdout; progress goes to stderr.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${AIRLOCK_TEST_POSTGRES_DIR:-/tmp/airlock-test-postgres-$(printf '%s' "$repo" | sha256sum | cut -c1-12)}
pgdata=$dir/pgdata
os_user=${PG_OS_USER:-postgres}
db_user=postgres

die() {
  echo "test-postgres: $*" >&2
  exit 1
}

say() {
  echo "test-postgres: $*" >&2
}

# Runs a command as the user that owns the server.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$os_user" -- "$@"
  else
    "$@"
  fi
}

find_bin() {
  if [[ -n ${PG_BIN:-} ]]; then
    echo "$PG_BIN"
    return
  fi
  local newest
  newest=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n1)
  if [[ -n $newest ]]; then
    echo "$newest"
  elif command -v initdb >/dev/null; then
    dirname "$(command -v initdb)"
  else
    die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin or on the PATH;" \
      "install them (Debian: apt-get install -y postgresql) or set PG_BIN"
  fi
}

running() {
  [[ -f $pgdata/PG_VERSION ]] && as_owner "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1
}

free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "found no free port on 127.0.0.1"
}

prepare_dir() {
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then
    id -u "$os_user" >/dev/null 2>&1 || die "running as root needs OS user '$os_user' to own the server (set PG_OS_USER)"
    chown "$os_user" "$dir"
  fi
}

init_cluster() {
  if [[ -f $pgdata/PG_VERSION ]]; then
    return
  fi
  rm -rf "$pgdata"
  say "creating a cluster in $pgdata with $bin/initdb"
  as_owner "$bin/initdb" -D "$pgdata" -U "$db_user" -E UTF8 --no-locale --auth=trust >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  printf '%s\n' "# Tests only: anyone on this machine may connect, over TCP to 127.0.0.1, as anyone." \
    "host all all 127.0.0.1/32 trust" | as_owner tee "$pgdata/pg_hba.conf" >/dev/null
  printf '%s\n' "listen_addresses = '127.0.0.1'" "unix_socket_directories = ''" \
    "fsync = off" "synchronous_commit = off" "full_page_writes = off" "max_connections = 200" \
    | as_owner tee -a "$pgdata/postgresql.conf" >/dev/null
}

print_exports() {
  local port
  port=$(cat "$dir/port")
  echo "export AIRLOCK_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$port/postgres"
  echo "export AIRLOCK_TEST_POSTGRES_USER=$db_user"
}

start() {
  if running; then
    say "already running ($pgdata)"
    print_exports
    return
  fi
  prepare_dir
  init_cluster
  local port
  port=$(free_port)
  echo "$port" >"$dir/port"
  say "starting on 127.0.0.1:$port"
  as_owner "$bin/pg_ctl" -D "$pgdata" -l "$dir/server.log" -o "-p $port" -w -t 60 start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; die "the server did not start; log: $dir/server.log"; }
  print_exports
}

stop() {
  if running; then
    as_owner "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
    say "stopped"
  else
    say "not running"
  fi
  rm -rf "$dir"
}

status() {
  if running; then
    say "running on 127.0.0.1:$(cat "$dir/port") ($pgdata)"
  else
    say "not running"
    return 3
  fi
}

bin=$(find_bin)
case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
