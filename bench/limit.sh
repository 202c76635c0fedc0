#!/usr/bin/env bash
# The authenticated read against the stack's ceiling, in one session.
#
# ../shared/bench/limit-server.c is the least a server on Rapport's stack
# can do for one JSON read (libmicrohttpd's epoll thread pool, one SQLite
# handle per thread, a prepared point query, jansson; no auth, no routing,
# no logging). This script compiles it into the bench build directory with
# the command at its top, runs it in a scratch directory with a pool of
# $SERVER_THREADS threads (it listens on 127.0.0.1:8085 and makes limit.db
# there), serves the relationship GET's fixture of bench/run.sh with
# `rapport serve --threads $SERVER_THREADS` (bench/lib.sh), and drives
# both with wrk -t1 -c50 in alternating rounds (limit, rapport, limit,
# rapport, ...):
#   limit    GET /api/user?id=RANDOM          (../shared/bench/rnd.lua)
#   rapport  GET /api/v1/relationships/ID     (authenticated, bench/get.lua)
# It prints rapport/limit for each round (the rapport run over the limit
# run just before it) and their median. Target: >= 60%.
#
# Usage: bench/limit.sh [seconds per run, default 8] [rounds, default 5]
# Env:   LIMIT_DIR (default ../shared/bench), BENCH_BUILD (default
#        build-bench), BENCH_SERVER_THREADS (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DUR=${1:-${BENCH_SECONDS:-8}}
ROUNDS=${2:-${BENCH_ROUNDS:-5}}
SERVER_THREADS=${BENCH_SERVER_THREADS:-2}
LIMIT_DIR=${LIMIT_DIR:-../shared/bench}
LIMIT_PORT=8085

for f in limit-server.c rnd.lua; do
  [ -f "$LIMIT_DIR/$f" ] || { echo "bench: no $LIMIT_DIR/$f (the shared folder beside the repository)" >&2; exit 1; }
done
bench_build
# limit-server.c's own build command
cc -O2 -o "$BUILD/limit-server" "$LIMIT_DIR/limit-server.c" \
   $(pkg-config --cflags --libs libmicrohttpd sqlite3 jansson) -lpthread
LIMIT_BIN="$PWD/$BUILD/limit-server"
LIMIT_LUA="$PWD/$LIMIT_DIR/rnd.lua"

if ss -Hltn "sport = :$LIMIT_PORT" | grep -q .; then
  echo "bench: port $LIMIT_PORT is taken; limit-server needs it" >&2
  exit 1
fi

TMP=$(mktemp -d)
SERVER=
LIMIT=
cleanup() {
  for p in $SERVER $LIMIT; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

mkdir "$TMP/limit"
(cd "$TMP/limit" && exec "$LIMIT_BIN" "$SERVER_THREADS") &
LIMIT=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$LIMIT_PORT/api/user?id=1" >/dev/null && break; sleep 0.05; done
kill -0 "$LIMIT" 2>/dev/null || { echo "bench: limit-server did not start" >&2; exit 1; }

bench_read_fixture "$TMP" "$SERVER_THREADS"

echo "Read near the limit: wrk -t1 -c50 -d${DUR}s, $ROUNDS alternating rounds, $SERVER_THREADS server" \
     "threads each, $(nproc) cores" >&2
sleep 1
RATIOS=()
for i in $(seq "$ROUNDS"); do
  lim=$(bench_wrk "limit" "$LIMIT_LUA" "http://127.0.0.1:$LIMIT_PORT" 1 50 "$DUR")
  rap=$(bench_wrk "rapport" get.lua "$BASE" 1 50 "$DUR" "/api/v1/relationships/$REL" "$GUIDE")
  RATIOS+=("$rap/$lim")
  python3 -c "import sys; r, l = float('$rap'), float('$lim'); print(f'round $i: rapport/limit {r / l if l else 0:6.1%}')" >&2
done

python3 - "${RATIOS[@]}" <<'PY'
import statistics, sys
ratios = []
for pair in sys.argv[1:]:
    rap, lim = (float(x) for x in pair.split("/"))
    ratios.append(rap / lim if lim else 0.0)
med = statistics.median(ratios)
print("rapport/limit  " + ", ".join(f"{r:.1%}" for r in ratios) +
      f"   median {med:.1%} (target >= 60%: {'met' if med >= 0.6 else 'NOT met'})")
PY
