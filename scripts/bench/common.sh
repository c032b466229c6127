# Shared by scripts/bench/peers.sh and scripts/bench/soak.sh (sourced; expects $here and $root).

# Installs nginx, wrk and python3 from Debian when missing (as root, or says what to run).
ensure_tools() {
  local missing=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench: missing ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 3
  fi
  echo "bench: installing ${missing[*]} (apt)" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  # Debian starts the packaged nginx on port 80; the benchmark runs its own, so the service is stopped again.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop nginx >/dev/null 2>&1 || true; fi
}

# Prints the folder holding Portkey's gateway at the given version, installed from npm there when missing.
ensure_portkey() {
  local version="$1" dir="${XDG_CACHE_HOME:-$HOME/.cache}/airlock-bench/portkey-$1"
  if [ ! -f "$dir/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
    command -v npm >/dev/null 2>&1 || { echo "bench: npm is needed for Portkey's gateway (apt-get install npm)" >&2; exit 3; }
    echo "bench: installing @portkey-ai/gateway@$version (npm) in $dir" >&2
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-audit --no-fund --silent --no-save "@portkey-ai/gateway@$version" >&2)
  fi
  echo "$dir"
}

# Sets JAVA_HOME to the JDK the launcher chose (21 or newer; it caches its choice), for Maven and the load generator.
use_launchers_jdk() {
  local cache
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/airlock/jdk-$(printf '%s' "$root" | cksum | cut -d' ' -f1)"
  [ -f "$cache" ] || "$root/airlock" --version >/dev/null 2>&1 || true
  if [ -f "$cache" ]; then JAVA_HOME="$(sed -n 2p "$cache")"; export JAVA_HOME; fi
}

# Builds the server jar and the bench classes, and sets $bench_classpath.
build_airlock() {
  use_launchers_jdk
  local cp_file="$root/airlock-bench/target/bench-classpath.txt" jar="$root/airlock-server/target/airlock.jar"
  if [ -f "$cp_file" ] && [ -f "$jar" ] && [ -f "$root/airlock-bench/target/classes/dev/airlock/bench/RateSweep.class" ] \
     && [ -z "$(find "$root" \( -name node_modules -o -name target -o -name .git \) -prune \
          -o \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)" ]; then
    bench_classpath="$root/airlock-bench/target/classes:$(cat "$cp_file")"
    return 0
  fi
  echo "bench: building airlock-server and airlock-bench (./mvnw package)" >&2
  (cd "$root" && ./mvnw -q -B -pl airlock-bench -am package -DskipTests -Dspotless.check.skip=true \
    dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime >&2)
  bench_classpath="$root/airlock-bench/target/classes:$(cat "$cp_file")"
}

# wait_port PORT SECONDS: until something listens on 127.0.0.1:PORT
wait_port() {
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "bench: nothing listens on port $1 after $2 s" >&2; return 1; }
    sleep 0.1
  done
}

# wait_http URL SECONDS: until the URL answers 200
wait_http() {
  local deadline=$((SECONDS + $2))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null)" = 200 ]; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "bench: $1 not ready after $2 s" >&2; return 1; }
    sleep 0.1
  done
}

# start_nginx DIR UPSTREAM_PORT FAULTY_PORT FLOOR_PORT: the canned upstream (and its faulty twin) and the floor
start_nginx() {
  local dir="$1" completion nginx
  completion="$(tr -d '\n' <"$here/completion.json")"
  sed -e "s|@DIR@|$dir|g" -e "s|@UPSTREAM_PORT@|$2|g" -e "s|@FAULTY_PORT@|$3|g" -e "s|@FLOOR_PORT@|$4|g" \
      -e "s|@COMPLETION@|$completion|g" "$here/nginx.conf.template" >"$dir/nginx.conf"
  nginx="$(command -v nginx || echo /usr/sbin/nginx)"
  "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" >"$dir/nginx.out" 2>&1 &
  pids+=("$!")
  wait_port "$2" 20 && wait_port "$3" 20 && wait_port "$4" 20
}
