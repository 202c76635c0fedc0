#!/usr/bin/env bash
# bench/pg_writes.sh: the durable note write on PostgreSQL, what it costs
# and whether it slows as a relationship's history grows. The fixture of
# bench/postgres.sh (a private cluster through its Unix socket, fsync and
# synchronous_commit on, a server of BENCH_PG_THREADS threads, default 4),
# then:
#   trips   a second server of one thread on the same database, 50 note
#           writes sent one at a time with strace on it: the messages sent
#           to PostgreSQL (sendto on its Unix socket) per write, each a
#           round trip (the session's lookup and the flush after the commit
#           included; the statements run under the relationship's lock are
#           the rest)
#   rounds  ROUNDS rounds of SECONDS of note writes (wrk -t1 -c50) to ONE
#           relationship, which grows by every write: per round the writes
#           per second and the processor time per write of the server and
#           of PostgreSQL (the postmaster, its backends and those that
#           exited), from /proc before and after
#   spread  one round of the same writes spread over BENCH_SPREAD_RELS
#           (default 64) relationships (bench/post_spread.lua)
# The figures of one round swing with the machine's load; the trips and
# the processor time per write do much less. Compare builds with
# BENCH_BUILD=... in the same session, alternating.
# Usage: bench/pg_writes.sh [seconds, default 5] [rounds, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DUR=${1:-5}
ROUNDS=${2:-10}
bench_build

bench_pg_fixture
MAIN=$SERVER MAIN_BASE=$BASE
bench_rels "${BENCH_SPREAD_RELS:-64}"
POSTMASTER=$(head -1 "$PG_DIR/data/postmaster.pid")
NOTE='{"visibility":"shared","text":"Bench note: what we agreed today and what comes next."}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# Round trips of one note write, on a server of one thread.
BENCH_OUT="$TMP/pg/one" bench_serve "$PG_BASE/bench" 1
PIDS+=("$SERVER")
post() { curl -sf -o /dev/null -X POST "$BASE/api/v1/relationships/$REL/notes" \
  -H "Authorization: Bearer $GUIDE" -H 'Content-Type: application/json' -d "$NOTE"; }
post # the first write of a server prepares its statements
strace -f -yy -qq -e trace=sendto -o "$TMP/trips" -p "$SERVER" &
TRACER=$!
sleep 1
for _ in $(seq 50); do post; done
kill -INT "$TRACER"
wait "$TRACER" 2>/dev/null || true
kill "$SERVER"
python3 - "$TMP/trips" <<'PY'
import re, sys
n = sum(1 for line in open(sys.argv[1])
        if re.match(r"\d+\s+sendto\(\d+<UNIX", line))
print(f"trips   {n / 50:5.2f} messages to PostgreSQL per note write (50 writes, one at a time)")
PY

HZ=$(getconf CLK_TCK)
round() { # name relationship-path script
  local s0 p0 s1 p1 out n
  s0=$(bench_cpu "$MAIN")
  p0=$(bench_cpu "$POSTMASTER")
  out=$(BENCH_PATH="$2" BENCH_TOKEN="$GUIDE" BENCH_BODY="$NOTE" \
        wrk -t1 -c50 -d"${DUR}s" -s "bench/$3" "$MAIN_BASE" 2>&1)
  s1=$(bench_cpu "$MAIN")
  p1=$(bench_cpu "$POSTMASTER")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "bench: $1 got answers other than 2xx" >&2; fi
  python3 - "$1" "$n" "$DUR" "$((s1 - s0))" "$((p1 - p0))" "$HZ" \
    "$(psql -Atq "$PG_BASE/bench" -c "SELECT COUNT(*) FROM notes WHERE relationship_id = $REL")" \
    "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import sys
name, n, dur, s, p, hz, notes, load = sys.argv[1:]
n, dur, s, p, hz = int(n), float(dur), int(s), int(p), int(hz)
us = lambda t: t / hz * 1e6 / max(n, 1)
print(f"{name:9} {n / dur:7.0f} writes/s   CPU per write: server {us(s):6.0f} us,"
      f" PostgreSQL {us(p):6.0f} us   (notes in the relationship after: {notes}; load {load})")
PY
}
for i in $(seq "$ROUNDS"); do
  round "round $i" "/api/v1/relationships/$REL/notes" post.lua
done
export BENCH_RELS=$RELS
round "spread" "/api/v1/relationships/%s/notes" post_spread.lua
