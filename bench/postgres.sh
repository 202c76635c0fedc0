#!/usr/bin/env bash
# bench/postgres.sh: Rapport on PostgreSQL against Rapport on SQLite, in one
# session. A private PostgreSQL cluster on the same machine
# (tests/api/pgcluster.py, fsync on, synchronous_commit on), reached through
# its Unix socket as an instance on the database's machine should be
# (PG_TCP=1: loopback TCP instead), and a SQLite file each get the read
# fixture of bench/lib.sh; wrk -t1 -c50 then drives, alternating the two
# backends for ROUNDS rounds:
#   read    GET /api/v1/relationships/ID (authenticated)
#   trust   GET /api/v1/relationships/ID/trust on PostgreSQL, of a relationship
#           with three months of history (bench/trust_fixture.py)
#   write   POST /api/v1/relationships/ID/notes (durable), all to one
#           relationship (the writes queue on its lock)
#   spread  the same write, each to one of BENCH_SPREAD_RELS (default 64)
#           relationships chosen at random (bench/post_spread.lua): the
#           program's real load, many people each writing in their own
# and a second instance on the same PostgreSQL database serves the read
# alongside the first (wrk against each at once; this 2-core machine cannot
# show scaling, the figure says what two instances cost each other).
# SQLite's server runs BENCH_SERVER_THREADS threads (default 2, one a core);
# PostgreSQL's BENCH_PG_THREADS (default 4): a thread waits on the database
# for each statement, so twice as many threads as cores keep them busy.
# Usage: bench/postgres.sh [seconds per run, default 5] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DUR=${1:-${BENCH_SECONDS:-5}}
ROUNDS=${2:-3}
THREADS=${BENCH_SERVER_THREADS:-2}
PG_THREADS=${BENCH_PG_THREADS:-4}
bench_build

bench_pg_start

mkdir -p "$TMP/sqlite" "$TMP/pg"
SPREAD=${BENCH_SPREAD_RELS:-64}
bench_read_fixture "$TMP/sqlite" "$THREADS"
bench_rels "$SPREAD"
S_BASE=$BASE S_TOKEN=$GUIDE S_REL=$REL S_RELS=$RELS
PIDS+=("$SERVER")
bench_read_fixture "$TMP/pg" "$PG_THREADS" "$PG_BASE/bench"
bench_rels "$SPREAD"
P_BASE=$BASE P_TOKEN=$GUIDE P_REL=$REL P_RELS=$RELS
PIDS+=("$SERVER")
P_TREL=$(RAPPORT_KEY=$BENCH_KEY python3 bench/trust_fixture.py "$P_BASE" "$R" "$PG_BASE/bench")
NOTE='{"visibility":"shared","text":"Bench note: what we agreed today and what comes next."}'

for i in $(seq "$ROUNDS"); do
  echo "round $i" >&2
  sr=$(bench_wrk "sqlite-r" get.lua "$S_BASE" 1 50 "$DUR" "/api/v1/relationships/$S_REL" "$S_TOKEN")
  pr=$(bench_wrk "pg-read" get.lua "$P_BASE" 1 50 "$DUR" "/api/v1/relationships/$P_REL" "$P_TOKEN")
  pt=$(bench_wrk "pg-trust" get.lua "$P_BASE" 1 50 "$DUR" "/api/v1/relationships/$P_TREL/trust" "$P_TOKEN")
  sw=$(bench_wrk "sqlite-w" post.lua "$S_BASE" 1 50 "$DUR" "/api/v1/relationships/$S_REL/notes" "$S_TOKEN" "$NOTE")
  pw=$(bench_wrk "pg-write" post.lua "$P_BASE" 1 50 "$DUR" "/api/v1/relationships/$P_REL/notes" "$P_TOKEN" "$NOTE")
  export BENCH_RELS=$S_RELS
  ss=$(bench_wrk "sqlite-ws" post_spread.lua "$S_BASE" 1 50 "$DUR" "/api/v1/relationships/%s/notes" "$S_TOKEN" "$NOTE")
  export BENCH_RELS=$P_RELS
  ps=$(bench_wrk "pg-ws" post_spread.lua "$P_BASE" 1 50 "$DUR" "/api/v1/relationships/%s/notes" "$P_TOKEN" "$NOTE")
  echo "$sr $pr $pt $sw $pw $ss $ps" >>"$TMP/rounds"
done

# Two instances on the one PostgreSQL database, read at once.
BENCH_OUT="$TMP/pg/second" bench_serve "$PG_BASE/bench" "$PG_THREADS"
PIDS+=("$SERVER")
bench_wrk "pg-read-1" get.lua "$P_BASE" 1 50 "$DUR" "/api/v1/relationships/$P_REL" "$P_TOKEN" \
  >"$TMP/two1" &
FIRST=$!
bench_wrk "pg-read-2" get.lua "$BASE" 1 50 "$DUR" "/api/v1/relationships/$P_REL" "$P_TOKEN" \
  >"$TMP/two2"
wait "$FIRST"

SPREAD=$SPREAD python3 - "$TMP/rounds" "$(cat "$TMP/two1")" "$(cat "$TMP/two2")" <<'PY'
import os, statistics, sys
rows = [[float(x) for x in line.split()] for line in open(sys.argv[1])]
two = float(sys.argv[2]) + float(sys.argv[3])
med = lambda i: statistics.median(r[i] for r in rows)
sr, pr, pt, sw, pw, ss, ps = (med(i) for i in range(7))
for n, r in enumerate(rows, 1):
    print(f"round {n}: read pg/sqlite {r[1] / r[0]:6.1%}   trust/read (pg) {r[2] / r[1]:6.1%}"
          f"   write pg {r[4]:7.0f}/s, sqlite {r[3]:7.0f}/s"
          f"   spread pg {r[6]:7.0f}/s, sqlite {r[5]:7.0f}/s")
print(f"PostgreSQL read  {pr:8.0f} req/s, {pr / sr:6.1%} of SQLite's {sr:.0f} "
      f"(target >= 15000 and >= 40%: {'met' if pr >= 15000 and pr / sr >= 0.4 else 'NOT met'})")
print(f"PostgreSQL trust {pt:8.0f} req/s, {pt / pr:6.1%} of the read "
      f"(target >= 70%: {'met' if pt / pr >= 0.7 else 'NOT met'})")
print(f"PostgreSQL write {pw:8.0f} req/s durable (target >= 1500: "
      f"{'met' if pw >= 1500 else 'NOT met'}); SQLite {sw:.0f} req/s  (one relationship)")
print(f"PostgreSQL write {ps:8.0f} req/s durable over {os.environ.get('SPREAD', '64')} relationships;"
      f" SQLite {ss:.0f} req/s")
print(f"two instances    {two:8.0f} req/s together (one: {pr:.0f}; 2 cores: no room to scale)")
PY
