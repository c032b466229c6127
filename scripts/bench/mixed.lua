-- wrk script for the soak run: chat, predict and embeddings in turn (4:1:1), with the key in BENCH_KEY;
-- prints the count of each status at the end.
local mix
-- built in init: wrk sets the Host header only after the script is loaded
function init(args)
  local key = os.getenv("BENCH_KEY") or ""
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key,
                   ["Host"] = wrk.headers["Host"]}
  local chat = wrk.format("POST", "/v1/chat/completions", headers,
    '{"model":"assistant","messages":[{"role":"user","content":"Summarise application 42 for jane.doe@example.com."}]}')
  local predict = wrk.format("POST", "/v1/models/loan-risk/predict", headers,
    '{"features":{"annual_income":38000,"debt_to_income":0.46,"employment_years":1,"loan_amount":22000,' ..
    '"loan_term_months":60,"credit_history_years":3,"delinquencies_2y":2,"open_credit_lines":9,' ..
    '"home_ownership":"rent","purpose":"small_business","region":"south"}}')
  local embed = wrk.format("POST", "/v1/embeddings", headers,
    '{"model":"embed","input":["How do I reset my password?","Where is my card?"]}')
  mix = {chat, chat, predict, chat, chat, embed}
end
local n = 0
statuses = {}

function request()
  n = n + 1
  return mix[(n % #mix) + 1]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(total) do table.insert(parts, status .. "=" .. count) end
  table.sort(parts)
  io.write(string.format("RESULT requests=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d socket_errors=%d statuses=%s\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    latency.max, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ",")))
end
