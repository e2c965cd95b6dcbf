-- wrk script for the benchmark: random Range requests and a JSON summary.
-- Arguments (after `--`): <file size in bytes> <range length in bytes, 0 = no Range header>
local size, length = 0, 0

-- BENCH_DELAY_MS paces each connection (the soak uses it to keep aborts at their share).
-- wrk decides whether to call delay() before init() runs, so this is read at load time.
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0") or 0
if pause > 0 then
  function delay()
    return pause
  end
end

function init(args)
  size = tonumber(args[1]) or 0
  length = tonumber(args[2]) or 0
  -- Each wrk thread has its own Lua state: seed each one differently.
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  if length <= 0 then
    return wrk.format("GET", wrk.path)
  end
  local start = math.random(0, size - length)
  local header = string.format("bytes=%d-%d", start, start + length - 1)
  return wrk.format("GET", wrk.path, { ["Range"] = header })
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"bytes":%d,"durationUs":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
    summary.requests, summary.bytes, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
