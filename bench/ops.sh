#!/usr/bin/env bash
# bench/ops.sh: what metrics and JSON logs cost the authenticated read, in
# one session on one database: GET /api/v1/relationships/ID (wrk, 50
# connections) against a server with both off (the default text log, no
# metrics listener) and with both on (--log-format json --metrics), the
# two alternating twice so drift hits both alike; the best run of each
# counts. Also with the log quiet (--log-level warn: no request lines) for
# what the request lines themselves cost. Target: on >= 95% of off.
# Usage: bench/ops.sh [seconds per run, default 10]
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

serve_with() { # flags...
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  BENCH_SERVE_FLAGS="$*" bench_serve "$TMP/b.db" "$SERVER_THREADS"
  sleep 0.5
}
read_rps() { # name
  bench_wrk "$1" get.lua "$BASE" "$WRK_THREADS" "$CONNS" "$DUR" "/api/v1/relationships/$REL" "$GUIDE"
}

echo "Metrics and JSON logs: wrk -t$WRK_THREADS -c$CONNS -d${DUR}s, server --threads $SERVER_THREADS, $(nproc) cores" >&2
OFF=0 ON=0 QUIET=0
for round in 1 2; do
  serve_with --log-file "$TMP/off.log"
  x=$(read_rps "off-$round"); OFF=$(python3 -c "print(max($OFF, $x))")
  serve_with --log-file "$TMP/on.log" --log-format json --metrics 127.0.0.1:0
  x=$(read_rps "on-$round"); ON=$(python3 -c "print(max($ON, $x))")
  curl -sf "$(sed -n 's/^Metrics at //p' "$TMP/b.db.serve.out")" >/dev/null  # the listener answers
done
serve_with --log-file "$TMP/quiet.log" --log-level warn
QUIET=$(read_rps quiet)

python3 - "$OFF" "$ON" "$QUIET" <<'PY'
import sys
off, on, quiet = (float(x) for x in sys.argv[1:])
print(f"read, metrics + JSON log on / both off  {on / off:6.1%}   "
      f"({on:.0f} / {off:.0f} req/s; target >= 95%: {'met' if on >= 0.95 * off else 'NOT met'})")
print(f"read, no request lines (--log-level warn) {quiet:.0f} req/s: "
      f"the text request line costs {1 - off / quiet:5.1%}")
PY
