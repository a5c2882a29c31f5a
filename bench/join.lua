-- wrk script: every registrant opens their personal join link (GET /j/{token}); the tokens are
-- shared out between wrk's threads and, if the run goes on, opened again (people click twice).
-- args: tokens_file threads. bench/run.py stops wrk once everyone's attendance is recorded.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(args[2])
  tokens = {}
  local index = 0
  for line in io.lines(args[1]) do
    if index % count == id - 1 then
      table.insert(tokens, line)
    end
    index = index + 1
  end
  next_token, done_count, refused = 1, 0, 0
end

function request()
  local token = tokens[next_token]
  next_token = next_token % #tokens + 1
  return wrk.format("GET", "/j/" .. token)
end

function response(status, headers, body)
  done_count = done_count + 1
  if status ~= 303 then
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local refused_total = 0
  for _, thread in ipairs(threads) do
    refused_total = refused_total + thread:get("refused")
  end
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "refused": %d, "errors": %d, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, refused_total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
