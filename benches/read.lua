-- wrk script: readers of a surge, each request alternating between the article page and
-- the petition's JSON count (the two things a crowd reads while others sign).
local paths = {}

function init(args)
  paths = { args[1], args[2] }
  n = 0
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % 2) + 1])
end
