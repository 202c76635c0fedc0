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
# run just before it) and their median (target: >= 60%), and each server's
# CPU time per request (user + system, from /proc/PID/stat), which the
# other load of a shared machine moves much less than req/s.
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
# shellcheck disable=SC2046 # pkg-config's flags are words
cc -O2 -o "$BUILD/limit-server" "$LIMIT_DIR/limit-server.c" \
   $(pkg-config --cflags --libs libmicrohttpd sqlite3 jansson) -lpthread
LIMIT_BIN="$(cd "$BUILD" && pwd)/limit-server"
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
# A server's CPU time so far (user + system, in clock ticks), from /proc.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))

# One wrk run: prints "req/s cpu-us-per-request" (the server's CPU time
# over the requests wrk counted, which other load on the machine moves much
# less than req/s).
measure() { # name pid wrk-args...
  local name=$1 pid=$2 t0 t1 rps
  shift 2
  t0=$(cpu_ticks "$pid")
  rps=$(bench_wrk "$name" "$@")
  t1=$(cpu_ticks "$pid")
  echo "$rps $(( (t1 - t0) * TICK_US )) $DUR"
}

ROWS=()
for i in $(seq "$ROUNDS"); do
  lim=$(measure limit "$LIMIT" "$LIMIT_LUA" "http://127.0.0.1:$LIMIT_PORT" 1 50 "$DUR")
  rap=$(measure rapport "$SERVER" get.lua "$BASE" 1 50 "$DUR" "/api/v1/relationships/$REL" "$GUIDE")
  ROWS+=("$lim $rap")
  # shellcheck disable=SC2086 # each is three numbers
  python3 - "$i" $lim $rap <<'PY' >&2
import sys
i = sys.argv[1]
lr, lc, ld, rr, rc, rd = (float(x) for x in sys.argv[2:])
ratio = rr / lr if lr else 0.0
lus = lc / (lr * ld) if lr else 0.0
rus = rc / (rr * rd) if rr else 0.0
print(f"round {i}: rapport/limit {ratio:6.1%}   server CPU per request: limit {lus:5.1f} us, "
      f"rapport {rus:5.1f} us")
PY
done

python3 - "${ROWS[@]}" <<'PY'
import statistics, sys
ratios, lim_us, rap_us = [], [], []
for row in sys.argv[1:]:
    lr, lc, ld, rr, rc, rd = (float(x) for x in row.split())
    ratios.append(rr / lr if lr else 0.0)
    lim_us.append(lc / (lr * ld) if lr else 0.0)
    rap_us.append(rc / (rr * rd) if rr else 0.0)
med = statistics.median(ratios)
print("rapport/limit  " + ", ".join(f"{r:.1%}" for r in ratios) +
      f"   median {med:.1%} (target >= 60%: {'met' if med >= 0.6 else 'NOT met'})")
lm, rm = statistics.median(lim_us), statistics.median(rap_us)
print(f"server CPU per request, median: limit {lm:.1f} us, rapport {rm:.1f} us "
      f"(limit/rapport {lm / rm if rm else 0:.1%})")
PY
