#!/usr/bin/env bash
# bench/pg_trips.sh: what one request costs in exchanges with PostgreSQL.
# The fixture of bench/postgres.sh on a private cluster (through its Unix
# socket), then for the authenticated relationship GET and the trust GET
# (three months of history, warm body cache) a wrk run (-t1 -c10) with
# strace on the server: per request, the messages sent to PostgreSQL
# (sendto on its Unix socket: each is a batch of statements that the server
# must wake up for), the answers read from it (recvfrom on its socket,
# including those that found nothing yet) and the server threads' waits
# in poll (each is a wake-up when it returns). strace slows everything; the
# figures are counts, not speeds.
# Usage: bench/pg_trips.sh [seconds, default 3]   (BENCH_BUILD: the build;
# not with PG_TCP: loopback TCP sockets would count as the clients')
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DUR=${1:-3}
bench_build

bench_pg_fixture
TREL=$(RAPPORT_KEY=$BENCH_KEY python3 bench/trust_fixture.py "$BASE" "$R" "$PG_BASE/bench")

count() { # name path
  local trace="$TMP/$1.trace" out n
  bench_wrk "$1-warm" get.lua "$BASE" 1 10 1 "$2" "$GUIDE" >/dev/null
  strace -f -yy -qq -e trace=sendto,recvfrom,poll,ppoll -o "$trace" -p "$SERVER" &
  local tracer=$!
  sleep 1
  out=$(BENCH_PATH="$2" BENCH_TOKEN="$GUIDE" wrk -t1 -c10 -d"${DUR}s" -s bench/get.lua "$BASE")
  kill -INT "$tracer"
  wait "$tracer" 2>/dev/null || true
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  python3 - "$trace" "$n" "$1" <<'PY'
import re, sys
trace, n, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sent = got = polls = 0
for line in open(trace):
    m = re.match(r"\d+\s+(\w+)\((\d+)<([^>]*)>", line)
    if m:
        call, target = m.group(1), m.group(3)
        if target.startswith("UNIX"):  # TCP: the clients; UNIX: the cluster
            sent += call == "sendto"
            got += call == "recvfrom"
    elif re.match(r"\d+\s+p?poll\(", line):
        polls += 1
print(f"{name:6} {n:7d} requests: to PostgreSQL {sent / n:5.2f} sends, {got / n:5.2f} reads;"
      f" {polls / n:5.2f} polls of the server's threads a request")
PY
}
count read "/api/v1/relationships/$REL"
count trust "/api/v1/relationships/$TREL/trust"
