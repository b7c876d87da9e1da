-- wrk script: grabs with the tokens of `voucherctl loadtest-prepare` (lines `orgID token`).
--   wrk -t1 -c64 -d10s --latency -s LoadTests/wrk-grab.lua http://127.0.0.1:38080 -- TOKENS_FILE CAMPAIGN_ID LOT_ID
-- Each request takes the next token (threads start at different offsets), so a run walks all
-- enterprises in turn. Status codes and problem codes are counted and printed at the end.
-- wrk is a closed-loop tool: its latencies are NOT corrected for coordinated omission; use
-- rush-load's open model (or wrk2 with -R) for honest tail latency. 127.0.0.1 only.

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  if wrk.host ~= "127.0.0.1" then
    error("wrk-grab.lua loads 127.0.0.1 only, not " .. tostring(wrk.host))
  end
  local file, campaign, lot = args[1], args[2], args[3]
  if file == nil or campaign == nil or lot == nil then
    error("usage: wrk ... -s LoadTests/wrk-grab.lua http://127.0.0.1:PORT -- TOKENS_FILE CAMPAIGN_ID LOT_ID")
  end
  tokens = {}
  for line in io.lines(file) do
    local token = line:match("^%S+%s+(%S+)$") or line:match("^(%S+)$")
    if token then tokens[#tokens + 1] = token end
  end
  if #tokens == 0 then error("no tokens in " .. file) end
  path = "/v1/campaigns/" .. campaign .. "/lots/" .. lot .. "/grab"
  counter = thread_index * 7919
  codes = {}
end

function request()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  return wrk.format("POST", path, { ["Authorization"] = "Bearer " .. token, ["Content-Length"] = "0" }, nil)
end

function response(status, headers, body)
  local key = tostring(status)
  if status >= 400 and body then
    local code = body:match('"code"%s*:%s*"([^"]+)"')
    if code then key = key .. " " .. code end
  end
  codes[key] = (codes[key] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("codes") or {}
    for key, count in pairs(counts) do totals[key] = (totals[key] or 0) + count end
  end
  io.write("answers by status and code:\n")
  for key, count in pairs(totals) do io.write(string.format("  %-28s %d\n", key, count)) end
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms (closed loop, uncorrected)\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
