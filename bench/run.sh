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
DUR=${1:-${BENCH_SECONDS:-10}}
BUILD=${BENCH_BUILD:-build-bench}
CONNS=50
WRK_THREADS=${BENCH_WRK_THREADS:-2}
SERVER_THREADS=${BENCH_SERVER_THREADS:-2}

if [ ! -d "$BUILD" ]; then
  meson setup "$BUILD" -Dbench_routes=true --buildtype=release >/dev/null
fi
ninja -C "$BUILD" src/rapport >/dev/null
R="$PWD/$BUILD/src/rapport"

TMP=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$TMP"' EXIT
"$R" init --db "$TMP/b.db" --admin-email admin@bench.test --admin-password 'bench admin pw' >/dev/null
"$R" user add --db "$TMP/b.db" --email guide@bench.test --password 'bench guide pw' --name Guide >/dev/null
"$R" user add --db "$TMP/b.db" --email learner@bench.test --password 'bench learner pw' --name Learner >/dev/null

"$R" serve --db "$TMP/b.db" --listen 127.0.0.1:0 --threads "$SERVER_THREADS" >"$TMP/out" 2>"$TMP/err" &
SERVER=$!
for _ in $(seq 100); do grep -q serving "$TMP/out" 2>/dev/null && break; sleep 0.05; done
BASE=$(sed -n 's/^Rapport is serving //p' "$TMP/out")

api() { # method path token [body]
  curl -sf -X "$1" "$BASE$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"}
}
login() {
  curl -sf -X POST "$BASE/api/v1/session" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}
jid() { python3 -c 'import sys,json; d=json.load(sys.stdin); print(d.get("id", d.get("person_id")))'; }

ADMIN=$(login admin@bench.test 'bench admin pw')
PROG=$(api POST /api/v1/programs "$ADMIN" '{"name":"Bench","kind":"coaching"}' | jid)
GID=$(api POST "/api/v1/programs/$PROG/members" "$ADMIN" '{"email":"guide@bench.test","name":"Guide","role":"guide"}' | jid)
LID=$(api POST "/api/v1/programs/$PROG/members" "$ADMIN" '{"email":"learner@bench.test","name":"Learner","role":"learner"}' | jid)
GUIDE=$(login guide@bench.test 'bench guide pw')
LEARNER=$(login learner@bench.test 'bench learner pw')
REL=$(api POST /api/v1/relationships "$GUIDE" "{\"program_id\":$PROG,\"guide_id\":$GID,\"learner_id\":$LID}" | jid)
api POST "/api/v1/relationships/$REL/transition" "$LEARNER" '{"to":"active"}' >/dev/null

run_wrk() { # name script path token [body]
  local out
  out=$(BENCH_PATH="$3" BENCH_TOKEN="$4" BENCH_BODY="${5:-}" \
        wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DUR}s" --latency -s "bench/$2" "$BASE" 2>&1)
  local rps p99 bad
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  bad=$(sed -n 's/^non2xx=//p' <<<"$out")
  printf '%-9s %10.0f req/s   p99 %-9s non-2xx %s\n' "$1" "$rps" "$p99" "${bad:-?}" >&2
  if [ "${bad:-1}" != 0 ]; then
    echo "bench: $1 got answers other than 2xx; its figure does not count" >&2
    echo 0
    return
  fi
  echo "$rps"
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
