-- A mix of requests for scripts/loadtest.py: wrk -s scripts/wrk_mix.lua URL -- PATHS
-- PATHS is a file of request paths, one a line, in the order to send them; each thread walks it
-- from its own starting line. With WRK_DELAY_MS in the environment each connection waits that
-- long after each response before its next request, which paces the run.
dofile("scripts/wrk_report.lua")

local paths = {}
local counter = 0
local thread_number = 0

setup = function(thread)
  thread:set("number", thread_number)
  thread_number = thread_number + 1
end

init = function(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  counter = (number or 0) * 7919
end

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[counter % #paths + 1])
end

local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "")
if delay_ms then
  delay = function()
    return delay_ms
  end
end
