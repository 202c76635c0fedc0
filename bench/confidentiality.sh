#!/usr/bin/env bash
# What confidentiality costs (issue 4, item 7): note read and note write
# throughput of a normal release build (text sealed with per-relationship
# keys, every opening written to the hash-chained access log) against a
# bench-only release build with both switched off (-Dbench_plain=true:
# RAPPORT_BENCH_PLAIN stores text in the clear and writes no access log).
#
# Each build gets its own build directory and its own demo database made by
# `rapport demo` (the same people, relationships and history in both), is
# served on loopback, and is driven with wrk at 50 connections like
# bench/run.sh, in one session so the ratios compare like with like:
#   read   GET  /api/v1/relationships/ID/notes   (Amara Okafor's first relationship)
#   write  POST /api/v1/relationships/ID/notes   (durable: synchronous=FULL)
# and prints ratio = with / without for each (target >= 85%).
#
# Usage: bench/confidentiality.sh [seconds per run, default 10]
#   BENCH_ROUNDS=N        alternate the two builds N times and keep each best (default 2)
#   BENCH_FULL_SYNC=1     also measure a third build whose audit database
#                         (the access log's own file) commits with
#                         synchronous=FULL (-DRAPPORT_ACCESS_FULL_SYNC;
#                         store/sqlite/db_sqlite.c, app/privacy/audit.c)
#   BENCH_BUILD_ON, BENCH_BUILD_OFF, BENCH_BUILD_FULL   the build directories
#                         (default build-bench-conf, build-bench-plain,
#                         build-bench-conf-fullsync)
#   BENCH_WRK_THREADS, BENCH_SERVER_THREADS   wrk -t and serve --threads (2, 2)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DUR=${1:-${BENCH_SECONDS:-10}}
ROUNDS=${BENCH_ROUNDS:-2}
CONNS=50
WRK_THREADS=${BENCH_WRK_THREADS:-2}
SERVER_THREADS=${BENCH_SERVER_THREADS:-2}
ON=${BENCH_BUILD_ON:-build-bench-conf}
OFF=${BENCH_BUILD_OFF:-build-bench-plain}
FULL=${BENCH_BUILD_FULL:-build-bench-conf-fullsync}
PASSWORD=rapport-demo
NOTE='{"visibility":"shared","text":"Bench note: what we agreed today and what comes next."}'

build() { # dir [meson options...]
  local dir=$1
  shift
  if [ ! -d "$dir" ]; then
    meson setup "$dir" --buildtype=release "$@" >/dev/null
  fi
  ninja -C "$dir" src/rapport >/dev/null
}
build "$ON"
build "$OFF" -Dbench_plain=true
VARIANTS=(on off)
if [ "${BENCH_FULL_SYNC:-0}" = 1 ]; then
  build "$FULL" -Dc_args=-DRAPPORT_ACCESS_FULL_SYNC
  VARIANTS+=(full)
fi

TMP=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

bin_of() { case $1 in on) echo "$PWD/$ON/src/rapport" ;; off) echo "$PWD/$OFF/src/rapport" ;;
                      full) echo "$PWD/$FULL/src/rapport" ;; esac; }

# The same demo for each build, made by that build (a plain build's text
# is stored in the clear, which a normal build refuses to open).
for v in "${VARIANTS[@]}"; do
  "$(bin_of "$v")" demo --db "$TMP/$v.db" >/dev/null 2>&1
done

start() { # variant
  R=$(bin_of "$1") bench_serve "$TMP/$1.db" "$SERVER_THREADS"
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }

login() { bench_login "$1" "$PASSWORD"; }
first_rel() {
  curl -sf "$BASE/api/v1/relationships" -H "Authorization: Bearer $1" |
    python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["id"])'
}

run_wrk() { # script path token [body] -> req/s (0 when any answer was not 2xx)
  bench_wrk note "$1" "$BASE" "$WRK_THREADS" "$CONNS" "$DUR" "$2" "$3" "${4:-}"
}

declare -A BEST
measure() { # variant read|write: one wrk run on a fresh server of that build
  start "$1"
  local tok rel x
  tok=$(login amara.okafor@rapport.demo)
  rel=$(first_rel "$tok")
  if [ "$2" = read ]; then
    x=$(run_wrk get.lua "/api/v1/relationships/$rel/notes" "$tok")
  else
    x=$(run_wrk post.lua "/api/v1/relationships/$rel/notes" "$tok" "$NOTE")
  fi
  stop
  printf '  %-5s %-5s %9.0f req/s\n' "$1" "$2" "$x" >&2
  BEST[$1-$2]=$(python3 -c "print(max(float('$x'), float('${BEST[$1-$2]:-0}')))")
}

echo "Confidentiality cost: wrk -t$WRK_THREADS -c$CONNS -d${DUR}s, server --threads $SERVER_THREADS," \
     "$(nproc) cores, best of $ROUNDS alternating rounds" >&2
# Every read round before any write, so each read sees the demo's notes.
for what in read write; do
  for _ in $(seq "$ROUNDS"); do
    for v in "${VARIANTS[@]}"; do measure "$v" "$what"; done
  done
done

python3 - "${BEST[on-read]}" "${BEST[off-read]}" "${BEST[on-write]}" "${BEST[off-write]}" \
  "${BEST[full-read]:-0}" "${BEST[full-write]:-0}" <<'PY'
import sys
on_r, off_r, on_w, off_w, full_r, full_w = (float(x) for x in sys.argv[1:])
def line(name, on, off):
    ratio = on / off if off else 0.0
    verdict = "met" if ratio >= 0.85 else "NOT met"
    print(f"note {name:<5} with {on:8.0f} req/s, without {off:8.0f} req/s: "
          f"ratio {ratio:6.1%} (target >= 85%: {verdict})")
line("read", on_r, off_r)
line("write", on_w, off_w)
if full_r:
    print(f"note read with access-only commits at synchronous=FULL: {full_r:8.0f} req/s, "
          f"ratio {full_r / off_r if off_r else 0:6.1%}")
PY
