-- wrk script: POSTs the sign form replaying its hidden fields (first argument, an
-- urlencoded string) with a unique email per request, and counts answers by status.
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  base = args[1]
  path = args[2]
  -- Emails unique across runs: the run's connection count is part of each address.
  run = args[3] or "0"
  -- "random": each address starts with random hex, as real supporters' addresses fall
  -- anywhere in the email index; otherwise they count up and land near each other.
  spread = args[4] == "random"
  -- "spread": each request from a random address, named in X-Forwarded-For.
  clients = args[5] == "spread"
  math.randomseed(os.time() + id)
  counter = 0
  statuses = {}
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  counter = counter + 1
  local prefix = spread and string.format("%08x-", math.random(0, 0x7fffffff)) or ""
  local body = base .. "&first_name=Load&last_name=Test&country=FR&email=" .. prefix .. "load-" .. run .. "-" .. id .. "-" .. counter .. "%40example.org"
  local headers = nil
  if clients then
    -- A table of headers replaces wrk.headers: it names the content type again.
    headers = { ["Content-Type"] = wrk.headers["Content-Type"],
      ["X-Forwarded-For"] = string.format("%d.%d.%d.%d", math.random(1, 223),
        math.random(0, 255), math.random(0, 255), math.random(1, 254)) }
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + n
    end
  end
  io.write("answers by status:")
  for status, n in pairs(totals) do io.write(string.format(" %d=%d", status, n)) end
  io.write("\n")
  local seconds = summary.duration / 1e6
  io.write(string.format("accepted (303) per second: %.0f\n", (totals[303] or 0) / seconds))
  io.write(string.format("latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
