-- wrk script: one registration per request (POST .../tickets), each with a unique email.
-- args: event_id access_token email_prefix. It runs until wrk's duration ends or wrk gets
-- SIGINT (bench/run.py sends it once the database holds the number of registrants it wanted).
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  event_id, token, prefix = args[1], args[2], args[3]
  sent, done_count, refused = 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
  path = "/v2/zoom_events/events/" .. event_id .. "/tickets"
end

function request()
  sent = sent + 1
  local body = string.format('{"tickets":[{"email":"%s-%d-%d@example.com","first_name":"Bench","last_name":"User"}]}', prefix, id, sent)
  return wrk.format(nil, path, nil, body)
end

function response(status, headers, body)
  done_count = done_count + 1
  if status ~= 201 or not string.find(body, '"errors":[]', 1, true) then
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
