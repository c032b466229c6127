#!/usr/bin/env bash
# Drives a running node with a standard mix of calls and counts the series its /metrics then holds.
#   scripts/metrics-mix.sh http://127.0.0.1:8080 "$AIRLOCK_KEY"
# The mix (against the loan-risk example): 20 predictions, 5 invalid predictions (400), 10 embeddings, 3 chat calls
# (answered with an upstream, 502 without), 3 calls to an unknown model (404), 3 calls with a wrong key (401).
set -euo pipefail
base="${1:?base url}"
key="${2:?api key}"
features='{"features":{"annual_income":38000,"debt_to_income":0.46,"employment_years":1,"loan_amount":22000,"loan_term_months":60,"credit_history_years":3,"delinquencies_2y":2,"open_credit_lines":9,"home_ownership":"rent","purpose":"small_business","region":"south"}}'
call() { # path key body
  curl -s -o /dev/null -w '%{http_code}\n' "$base$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"
}
{
  for _ in $(seq 20); do call /v1/models/loan-risk/predict "$key" "$features"; done
  for _ in $(seq 5); do call /v1/models/loan-risk/predict "$key" '{"features":{"annual_income":"lots"}}'; done
  for _ in $(seq 10); do call /v1/embeddings "$key" '{"model":"embed","input":"a loan application"}'; done
  for _ in $(seq 3); do call /v1/chat/completions "$key" '{"model":"assistant","messages":[{"role":"user","content":"explain"}]}'; done
  for _ in $(seq 3); do call /v1/chat/completions "$key" '{"model":"nope","messages":[{"role":"user","content":"x"}]}'; done
  for _ in $(seq 3); do call /v1/models/loan-risk/predict ak_nobody_wrong-secret-0000000000000000 "$features"; done
} | sort | uniq -c | awk '{printf "status %s: %s calls\n", $2, $1}'
scrape="$(curl -s "$base/metrics")"
series() { grep -v '^#' | grep -c . || true; }
echo "series: $(series <<<"$scrape")"
echo "airlock series: $(grep '^airlock_' <<<"$scrape" | series)"
echo "airlock histogram bucket series: $(grep -E '^airlock_[a-z_]+_bucket' <<<"$scrape" | series)"
