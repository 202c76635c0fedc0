#!/usr/bin/env bash
# Rapport's whole-program benchmarks, in one session so the ratios compare
# like with like. Builds a release binary with the bench-only baseline route,
# starts `rapport serve` on loopback with a fresh database, and drives it with
# wrk at 50 connections:
#   baseline  GET /api/v1/bench/fixed      (a fixed small JSON from memory)
#   read      GET /api/v1/relationships/ID (authenticated, from the store)
#   write     POST /api/v1/relationships/ID/notes (durable: encrypted, fsynced)
# and reads the server's idle resident memory from /proc.
# Usage: bench/run.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DUR=${1:-${BENCH_SECONDS:-10}}
CONNS=50
WRK_THREADS=${BENCH_WRK_THREADS:-2}
SERVER_THREADS=${BENCH_SERVER_THREADS:-2}

bench_build

TMP=$(mktemp -d)
SERVER=
trap 'kill $SERVER 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$TMP"' EXIT
bench_read_fixture "$TMP" "$SERVER_THREADS"

run_wrk() { # name script path token [body]
  bench_wrk "$1" "$2" "$BASE" "$WRK_THREADS" "$CONNS" "$DUR" "$3" "$4" "${5:-}"
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER/status"; }

echo "Rapport benchmarks: wrk -t$WRK_THREADS -c$CONNS -d${DUR}s, server --threads $SERVER_THREADS, $(nproc) cores" >&2
sleep 1
IDLE_KB=$(rss_kb)
BASELINE=$(run_wrk baseline get.lua /api/v1/bench/fixed "")
READ=$(run_wrk read get.lua "/api/v1/relationships/$REL" "$GUIDE")
WRITE=$(run_wrk write post.lua "/api/v1/relationships/$REL/notes" "$GUIDE" \
        '{"visibility":"shared","text":"Bench note: what we agreed today and what comes next."}')
sleep 2
AFTER_KB=$(rss_kb)

python3 - "$BASELINE" "$READ" "$WRITE" "$IDLE_KB" "$AFTER_KB" <<'PY'
import sys
base, read, write, idle, after = (float(x) for x in sys.argv[1:])
print(f"read/baseline  {read / base:6.1%}   (target >= 50% and >= 15000 req/s: "
      f"{'met' if read / base >= 0.5 and read >= 15000 else 'NOT met'})")
print(f"write          {write:8.0f} req/s (target >= 2000: {'met' if write >= 2000 else 'NOT met'})")
print(f"idle RSS       {idle / 1024:6.1f} MB at start, {after / 1024:.1f} MB idle after load "
      f"(target <= 20 MB: {'met' if max(idle, after) <= 20 * 1024 else 'NOT met'})")
PY

# ---- the trust view (app/trust/view.c) ------------------------------------------
# GET /api/v1/relationships/ID/trust, both directions with their top evidence
# and warnings, on a relationship with three months of history entered
# through the API (bench/trust_fixture.py), against the relationship GET above.
TREL=$(python3 bench/trust_fixture.py "$BASE" "$R" "$TMP/b.db")
TRUST=$(run_wrk trust get.lua "/api/v1/relationships/$TREL/trust" "$GUIDE")
python3 - "$READ" "$TRUST" <<'PY'
import sys
read, trust = (float(x) for x in sys.argv[1:])
ratio = trust / read if read else 0.0
print(f"trust/read     {ratio:6.1%}   (GET /relationships/{{id}}/trust, target >= 70% of the "
      f"relationship GET: {'met' if ratio >= 0.7 else 'NOT met'})")
PY
