-- wrk script: a durable write per request, each to one of several
-- relationships chosen at random (the program's real load: many people
-- writing at once, each in their own relationship). BENCH_PATH holds %s
-- where the relationship's id goes; BENCH_RELS the ids, separated by
-- spaces; BENCH_TOKEN and BENCH_BODY as in post.lua.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
local path = os.getenv("BENCH_PATH")
local rels = {}
for id in string.gmatch(os.getenv("BENCH_RELS") or "", "%d+") do rels[#rels + 1] = id end

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
end

request = function()
  return wrk.format(nil, string.format(path, rels[math.random(#rels)]))
end
