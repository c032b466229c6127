#!/usr/bin/env bash
# Retrains loan-risk from the data extract Airlock hands over: airlock.yaml names this script as the model's
# monitoring.retraining.command, and Airlock runs it (without a shell string) with AIRLOCK_EXTRACT, AIRLOCK_RUN_DIR,
# AIRLOCK_VERSION, AIRLOCK_RUN_ID, ... set. It trains with the example's own trainer (RetrainFromExtract), writes the
# ONNX model and its schema into the run's directory and prints the candidate as a JSON line; Airlock registers it.
#
# RETRAIN_CLASSPATH, when set, is the trainer's class path; otherwise it is built once with Maven and cached.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
classpath="${RETRAIN_CLASSPATH:-}"
if [[ -z "$classpath" ]]; then
  cache="$here/target/retrain.classpath"
  if [[ ! -f "$cache" || ! -d "$here/target/classes" ]]; then
    echo "building the trainer (once)"
    (cd "$root" && ./mvnw -B -q -pl examples/loan-risk -am compile dependency:build-classpath \
        -Dmdep.outputFile="$cache" -Dmdep.includeScope=runtime >&2)
  fi
  classpath="$here/target/classes:$(cat "$cache")"
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -cp "$classpath" dev.airlock.examples.loanrisk.RetrainFromExtract
