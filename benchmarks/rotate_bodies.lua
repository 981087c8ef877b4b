-- wrk script for load_generator.py: the bodies file (one JSON body per line) is sent in
-- rotation, one body per request across all connections; done() prints one JSON line.
local requests = {}
local turn = 0

function init(args)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/graphql-response+json",
  }
  for line in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("POST", "/graphql", headers, line)
  end
end

function request()
  turn = turn % #requests + 1
  return requests[turn]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"status":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"timeout":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
