-- wrk script: a durable write per request. BENCH_PATH, BENCH_TOKEN and
-- BENCH_BODY come from the environment set by run.sh.
wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH")
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
