#!/usr/bin/env bash
# Regenerates the loan-risk example from nothing: data/train.csv, data/production-sample.csv,
# model/loan-risk.onnx, model/loan-risk.schema.json and model/loan-risk.evaluation.json.
# Deterministic: on an unchanged checkout the files come out byte for byte as committed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

java_major() {
  "$1/bin/java" -version 2>&1 | head -n 1 | sed -E 's/.*version "([0-9]+)[^"]*".*/\1/'
}

pick_jdk() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && (( $(java_major "$JAVA_HOME") >= 21 )); then
    echo "$JAVA_HOME"
    return
  fi
  local candidate
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if [[ -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] && (( $(java_major "$candidate") >= 21 )); then
      echo "$candidate"
      return
    fi
  done
  echo "train.sh: no JDK 21 or newer found; set JAVA_HOME to one" >&2
  exit 1
}

export JAVA_HOME="$(pick_jdk)"
echo "Using JDK at $JAVA_HOME"
cd "$root"
./mvnw -B -q -pl examples/loan-risk -am install -DskipTests
./mvnw -B -q -pl examples/loan-risk exec:java
git -C "$root" status --short -- examples/loan-risk/data examples/loan-risk/model || true
