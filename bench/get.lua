-- wrk script: an authenticated GET of BENCH_PATH with BENCH_TOKEN.
wrk.path = os.getenv("BENCH_PATH")
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
