#!/usr/bin/env bash
# How long `rapport trust recompute` takes on a large store: 100,000
# relationships with 200 evidence items each (20 million items), one write
# transaction per relationship. Target: under 60 s.
#
# The store is made by `rapport init` (schema, key file) and then filled
# directly with SQL through the sqlite3 shell (generate_series), which takes
# a few minutes and about 3 GB of disk; the items are behaviour and pulse
# evidence spread over all parties, components and two years, with values
# and weights from a fixed arithmetic pattern. No trust_sums rows are
# generated: the recompute writes them all (the first run reports that no
# stored sums were there to compare). A second run then compares against
# the first.
#
# With --postgres the same store is made in a private PostgreSQL cluster
# (tests/api/pgcluster.py, fsync and synchronous_commit on, reached through
# its Unix socket), filled through psql with the same generate_series SQL,
# and `rapport trust recompute` runs against it. Target there: 120 s.
#
# With --pulses (PostgreSQL only) each relationship also has pulses, as a
# program's pairs answer them: each party one every 28, 35 or 42 days (by
# relationship) over the two years, about 21 each, seven answers of 2 to 5
# from a rater's own level; every pulse with its "pulse_answered" event and
# its seven evidence items valued as the server values them when it
# arrives (docs/trust-model.md, change 15: read against the rater's own
# level and the program's, the running means summed in id order as the
# server sums them), so that a recompute finds them as the server left
# them. All relationships are in one program (the worst case for reading
# the program's pulse means). The pulses' items come on top of the
# relationship's items (about 290 more each).
#
# With --read (PostgreSQL only), after the runs: the authenticated
# relationship GET and the trust GET on this store against the same on the
# small fixture of bench/postgres.sh, both in this cluster (its settings),
# alternating, wrk -t1 -c50 as postgres.sh runs them; each round prints
# big/small (target: the read within 20% of the small store's, >= 80%) and
# the processor time per request of the server and of the cluster. The
# store's relationships are all between the same two people; for the read
# one of them, in the middle, is given a guide and a learner of its own,
# added and signed in as the server adds and signs in people
# (`rapport user add`, the program's members through the API,
# POST /api/v1/session).
#
# A store kept in BENCH_DIR is generated once and its first run can be run
# again on a fresh copy of it: `BENCH_DIR=... bench/trust_recompute.sh
# --postgres` a second time takes the copy (a minute or so) and the runs,
# not the generation. --no-runs (with --read) skips the runs too and reads
# the store as the last run left it.
#
# Usage: bench/trust_recompute.sh [--postgres [--pulses] [--read [--no-runs]]]
#                                 [relationships, default 100000] [items each, default 200]
# Env:   BENCH_BUILD (default build-bench), BENCH_DIR (default a temporary directory,
#        removed at the end; set it to keep the store), BENCH_SECONDS (wrk runs of
#        --read, default 5), BENCH_ROUNDS (default 3), BENCH_PG_THREADS (default 4).
set -euo pipefail
cd "$(dirname "$0")/.."
PG= PULSES= READ= RUNS=1
while [ $# -gt 0 ]; do
  case $1 in
    --postgres) PG=1 ;;
    --pulses) PULSES=1 ;;
    --read) READ=1 ;;
    --no-runs) RUNS= ;;
    --*) echo "bench: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
if [ -z "$PG" ] && [ -n "$PULSES$READ" ]; then echo "bench: --pulses and --read need --postgres" >&2; exit 2; fi
if [ -z "$RUNS" ] && { [ -z "${BENCH_DIR:-}" ] || [ -z "$READ" ]; }; then echo "bench: --no-runs needs --read and a kept store (BENCH_DIR)" >&2; exit 2; fi
NREL=${1:-100000}
NITEM=${2:-200}
. bench/lib.sh
bench_build
if [ -z "$PG" ]; then
  command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
fi

PG_DIR=
cleanup() {
  if [ -n "$PG_DIR" ]; then python3 tests/api/pgcluster.py stop "$PG_DIR" ${BENCH_DIR:+--keep} || true; fi
  if [ -z "${BENCH_DIR:-}" ]; then rm -rf "$DIR"; fi
}
if [ -n "${BENCH_DIR:-}" ]; then
  DIR=$BENCH_DIR
  mkdir -p "$DIR"
else
  DIR=$(mktemp -d)
fi
trap cleanup EXIT
KEYARG=()
# A store kept in BENCH_DIR is generated once: what it was generated with
# is written beside it, and a later run with the same arguments starts from
# it again (on PostgreSQL a fresh copy of it, so that the first run finds
# no sums, as after generating).
STAMP="$NREL $NITEM ${PULSES:-0}"
KEPT=
if [ -n "${BENCH_DIR:-}" ] && [ "$(cat "$DIR/generated" 2>/dev/null)" = "$STAMP" ]; then KEPT=1; fi
if [ -z "$RUNS" ] && [ -z "$KEPT" ]; then
  echo "bench: --no-runs: no store of $STAMP kept in $DIR" >&2
  exit 1
fi
rm -f "$DIR/generated"
if [ -n "$PG" ]; then
  # shellcheck disable=SC2046
  read -r PG_BASE PG_DIR < <(python3 tests/api/pgcluster.py start --fsync --socket \
    $([ -z "${BENCH_DIR:-}" ] || echo --dir "$DIR/pg"))
  DB="$PG_BASE/recompute"
  GEN_DB="$PG_BASE/recompute_gen"
  KEYARG=(--key "$DIR/recompute.key")
  if [ -n "$RUNS" ]; then psql -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS recompute"; fi
  if [ -z "$KEPT" ]; then
    psql -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS recompute_gen" -c "CREATE DATABASE recompute_gen"
    rm -f "$DIR/recompute.key"
  fi
else
  DB="$DIR/recompute.db"
  GEN_DB=$DB
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DIR/recompute.key"
  KEPT=
fi

if [ -z "$KEPT" ]; then
"$R" init --db "$GEN_DB" "${KEYARG[@]}" --admin-email admin@bench.test --admin-password 'bench admin pw' >/dev/null 2>&1

echo "Generating $NREL relationships x $NITEM evidence items..." >&2
T0=$(date +%s.%N)
PULSE_SQL=
if [ -n "$PULSES" ]; then
PULSE_SQL=$(cat <<'PULSESQL'
-- Pulses: party q (0 the guide, 1 the learner) of relationship r answers
-- every 28 + 7 * ((r + q) % 3) days from a start of its own; ids in the
-- order they were answered. Answer i of pulse k: 2 + (r + q) % 3 (the
-- rater's level) + (3k + 5i + r) % 3, at most 5.
CREATE TEMP TABLE bp AS
  SELECT row_number() OVER (ORDER BY t, r, q) AS id, r, q, t, k
  FROM (SELECT r.value AS r, q.value AS q, k.value AS k,
               1700000000 + ((r.value * 13 + q.value * 17) % 28) * 86400 + (r.value % 10) * 3600
               + k.value * (28 + 7 * ((r.value + q.value) % 3)) * 86400 AS t
        FROM generate_series(1, :nrel) AS r(value), generate_series(0, 1) AS q(value),
             generate_series(0, 26) AS k(value)) s
  WHERE t < 1700000000 + 63072000;
INSERT INTO pulses (id, relationship_id, rater_id, ratee_id, answered_at, rel1, rel2, int1, int2,
                    com1, emp1, emp2, overall, revealed_at)
  SELECT id, r, 1001 + q, 1002 - q, t,
         LEAST(5, 2 + (r + q) % 3 + (3 * k + r) % 3), LEAST(5, 2 + (r + q) % 3 + (3 * k + 5 + r) % 3),
         LEAST(5, 2 + (r + q) % 3 + (3 * k + 10 + r) % 3), LEAST(5, 2 + (r + q) % 3 + (3 * k + 15 + r) % 3),
         LEAST(5, 2 + (r + q) % 3 + (3 * k + 20 + r) % 3), LEAST(5, 2 + (r + q) % 3 + (3 * k + 25 + r) % 3),
         LEAST(5, 2 + (r + q) % 3 + (3 * k + 30 + r) % 3), NULL, t
  FROM bp ORDER BY id;
-- (Without the events' triggers, session_replication_role below: each
-- would update its relationship's row once per event, 42 times per
-- relationship; the recompute reads no trust_seq, and this store has none
-- to keep.)
INSERT INTO events (id, relationship_id, kind, actor_id, at, recorded_at, subject_id)
  SELECT id, r, 'pulse_answered', 1001 + q, t, t, id FROM bp ORDER BY id;
SELECT setval(pg_get_serial_sequence('pulses', 'id'), (SELECT MAX(id) FROM bp));
SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT MAX(id) FROM bp));
-- What each answer counts as when the pulse arrives: x + shift, shift the
-- program's mean of the earlier pulses' means minus the rater's own,
-- within 0.5, 0 for a first pulse or before the program has 10; the
-- means as the server reads them (numeric, then a double) and summed in
-- id order (a window's running float8 sum adds in that order).
CREATE TEMP TABLE bm AS
  SELECT id, r, q, t, m, a,
         SUM(m) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS psum,
         id - 1 AS pn,
         SUM(m) OVER (PARTITION BY r, q ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS rsum,
         COUNT(*) OVER (PARTITION BY r, q ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS rn
  FROM (SELECT id, relationship_id AS r, rater_id - 1001 AS q, answered_at AS t,
               ((rel1 + rel2 + int1 + int2 + com1 + emp1 + emp2) * 1.0 / 7)::text::float8 AS m,
               ARRAY[rel1, rel2, int1, int2, com1, emp1, emp2] AS a
        FROM pulses) p;
INSERT INTO evidence (relationship_id, about, comp, source, reason, v, w, t, event_id, visible_at)
  SELECT r, 1 - q, (ARRAY[0, 0, 1, 1, 2, 3, 3])[i + 1], 1, 96 + i,
         LEAST(1::float8, GREATEST(0::float8, (a[i + 1] + sh - 1) / 4::float8)), 2.0, t, id, t
  FROM (SELECT *, CASE WHEN rn = 0 OR pn < 10 THEN 0::float8
                       ELSE LEAST(0.5::float8, GREATEST(-0.5::float8, psum / pn - rsum / rn)) END AS sh
        FROM bm) b, generate_series(0, 6) AS g(i)
  ORDER BY id, i;
PULSESQL
)
fi
if [ -n "$PG" ]; then
  # The same rows as the SQLite store below, in PostgreSQL's spelling
  # (booleans cast, generate_series as a table of one column).
  psql -q -v ON_ERROR_STOP=1 -v nrel="$NREL" "$GEN_DB" <<SQL
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
-- Neither triggers nor foreign-key checks while the rows go in (the
-- checks are triggers too): every row refers to rows made here first, and
-- checking 20 M evidence items (and each pulse's three references) one
-- by one was most of the time the store took to make.
SET session_replication_role = replica;
BEGIN;
INSERT INTO persons (id, email, name, created_at) VALUES
  (1001, 'guide@bench.test', 'Guide', 1700000000),
  (1002, 'learner@bench.test', 'Learner', 1700000000);
INSERT INTO programs (id, name, kind, cadence_days, reply_window_hours, pulse_every_days,
                      k_anonymity, created_by, created_at)
  VALUES (1, 'Bench', 'coaching', 7, 48, 28, 5, 1, 1700000000);
INSERT INTO relationships (id, program_id, guide_id, learner_id, state, guide_accepted,
                           learner_accepted, proposed_by, proposed_at, state_since)
  SELECT value, 1, 1001, 1002, 'active', 1, 1, 1001, 1700000000, 1700000000
  FROM generate_series(1, $NREL) AS g(value);
DROP INDEX evidence_relationship;
DROP INDEX evidence_unrevealed;
DROP INDEX evidence_event;
INSERT INTO evidence (relationship_id, about, comp, source, reason, v, w, t, event_id, visible_at)
  SELECT r.value, i.value % 2, (i.value / 2) % 4, (i.value % 10 = 9)::int,
         CASE WHEN i.value % 10 = 9 THEN 96 ELSE 1 END,
         ((i.value * 37 + r.value * 11) % 5) / 4.0,
         CASE WHEN i.value % 10 = 9 THEN 2.0 ELSE 1.0 + (i.value % 7 = 3)::int END,
         1700000000 + i.value * (63072000 / $NITEM) + r.value % 86400,
         NULL,
         1700000000 + i.value * (63072000 / $NITEM) + r.value % 86400
  FROM generate_series(1, $NREL) AS r(value), generate_series(0, $NITEM - 1) AS i(value);
$PULSE_SQL
CREATE INDEX evidence_relationship ON evidence(relationship_id, about, comp, t);
CREATE INDEX evidence_unrevealed ON evidence(relationship_id, visible_at);
CREATE INDEX evidence_event ON evidence(relationship_id, event_id);
SELECT setval(pg_get_serial_sequence('relationships', 'id'), $NREL);
SELECT setval(pg_get_serial_sequence('persons', 'id'), 1002);
COMMIT;
VACUUM ANALYZE;
SQL
else
sqlite3 "$DB" <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -400000;
BEGIN;
INSERT INTO persons (id, email, name, created_at) VALUES
  (1001, 'guide@bench.test', 'Guide', 1700000000),
  (1002, 'learner@bench.test', 'Learner', 1700000000);
INSERT INTO programs (id, name, kind, cadence_days, reply_window_hours, pulse_every_days,
                      k_anonymity, created_by, created_at)
  VALUES (1, 'Bench', 'coaching', 7, 48, 28, 5, 1, 1700000000);
INSERT INTO relationships (id, program_id, guide_id, learner_id, state, guide_accepted,
                           learner_accepted, proposed_by, proposed_at, state_since)
  SELECT value, 1, 1001, 1002, 'active', 1, 1, 1001, 1700000000, 1700000000
  FROM generate_series(1, $NREL);
DROP INDEX evidence_relationship;
DROP INDEX evidence_unrevealed;
DROP INDEX evidence_event;
-- Item i of relationship r: about i % 2, component (i / 2) % 4, every tenth a
-- pulse answer; v in {0, 0.25, 0.5, 0.75, 1}; w 1 or 2 (2 for pulses); times
-- spread over two years, in order within a relationship.
INSERT INTO evidence (relationship_id, about, comp, source, reason, v, w, t, event_id, visible_at)
  SELECT r.value, i.value % 2, (i.value / 2) % 4, (i.value % 10 = 9),
         CASE WHEN i.value % 10 = 9 THEN 96 ELSE 1 END,
         ((i.value * 37 + r.value * 11) % 5) / 4.0,
         CASE WHEN i.value % 10 = 9 THEN 2.0 ELSE 1.0 + (i.value % 7 = 3) END,
         1700000000 + i.value * (63072000 / $NITEM) + r.value % 86400,
         NULL,
         1700000000 + i.value * (63072000 / $NITEM) + r.value % 86400
  FROM generate_series(1, $NREL) AS r, generate_series(0, $NITEM - 1) AS i;
CREATE INDEX evidence_relationship ON evidence(relationship_id, about, comp, t);
CREATE INDEX evidence_unrevealed ON evidence(relationship_id, visible_at);
CREATE INDEX evidence_event ON evidence(relationship_id, event_id);
COMMIT;
SQL
fi
T1=$(date +%s.%N)
python3 -c "import sys; print(f'generated in {float(sys.argv[2]) - float(sys.argv[1]):.1f} s')" "$T0" "$T1" >&2
fi # generating
if [ -n "$PG" ]; then
  psql -Atq "$GEN_DB" -c "SELECT pg_database_size('recompute_gen')" | awk '{printf "store: %.2f GB\n", $1 / 1e9}' >&2
  if [ -z "$RUNS" ]; then
    [ "$(psql -Atq "$PG_BASE/postgres" -c "SELECT count(*) FROM pg_database WHERE datname = 'recompute'")" = 1 ] ||
      { echo "bench: --no-runs: no run has left its store in $DIR" >&2; exit 1; }
  elif [ -n "${BENCH_DIR:-}" ]; then
    # The runs work on a copy; the generated store stays as it was.
    C0=$(date +%s.%N)
    psql -q "$PG_BASE/postgres" -c "CREATE DATABASE recompute TEMPLATE recompute_gen STRATEGY FILE_COPY"
    C1=$(date +%s.%N)
    python3 -c "import sys; print(f'copied in {float(sys.argv[2]) - float(sys.argv[1]):.1f} s')" "$C0" "$C1" >&2
  else
    psql -q "$PG_BASE/postgres" -c "ALTER DATABASE recompute_gen RENAME TO recompute"
  fi
else
  ls -l "$DB" | awk '{printf "store: %.2f GB\n", $5 / 1e9}' >&2
fi
if [ -n "${BENCH_DIR:-}" ] && [ -n "$PG" ]; then echo "$STAMP" >"$DIR/generated"; fi

# Each run timed on the wall and in processor time: the client's (user +
# system, from wait4) and, on PostgreSQL, the cluster's (the postmaster and
# every process under it, those that ended included: /proc/PID/stat's own
# and children's times), the figures that a loaded machine leaves as they are.
PGPID=
if [ -n "$PG" ]; then PGPID=$(head -1 "$PG_DIR/data/postmaster.pid"); fi
for run in ${RUNS:+first second}; do
  python3 - "$run" "$([ -n "$PG" ] && echo 120 || echo 60)" "$([ -n "$PG" ] && echo PostgreSQL || echo SQLite)" \
    "$PGPID" "$NREL" "$R" trust recompute --db "$DB" "${KEYARG[@]}" <<'PY'
import os, subprocess, sys, time
run, target, backend, pgpid, nrel = sys.argv[1:6]
cmd = sys.argv[6:]
tick = os.sysconf("SC_CLK_TCK")

def cluster_cpu():
    """CPU seconds of the postmaster and its processes, living and ended."""
    if not pgpid:
        return 0.0
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                st = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15)
        if pid == pgpid:
            total += sum(int(x) for x in st[11:15]) / tick
        elif st[1] == pgpid:
            total += (int(st[11]) + int(st[12])) / tick
    return total

c0, w0 = cluster_cpu(), time.monotonic()
p = subprocess.Popen(cmd)
_, status, ru = os.wait4(p.pid, 0)
w1 = time.monotonic()
time.sleep(0.2)  # the backends that served it end and are reaped
c1 = cluster_cpu()
if status:
    sys.exit(f"bench: {' '.join(cmd)} failed")
secs, client, pgcpu, n = w1 - w0, ru.ru_utime + ru.ru_stime, c1 - c0, int(nrel)
print(f"trust recompute on {backend} ({run} run): {secs:.1f} s wall (target < {target} s: "
      f"{'met' if secs < int(target) else 'NOT met'}); processor time: client {client:.1f} s "
      f"({client / n * 1000:.3f} ms a relationship)"
      + (f", PostgreSQL {pgcpu:.1f} s ({pgcpu / n * 1000:.3f} ms a relationship)" if pgpid else "")
      + f"; load average {os.getloadavg()[0]:.1f}")
PY
done

[ -n "$READ" ] || exit 0

# ---- the read at scale (--read) ----
command -v wrk >/dev/null || { echo "bench: --read needs wrk (apt-get install wrk)" >&2; exit 1; }
DUR=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
PG_THREADS=${BENCH_PG_THREADS:-4}
TMP=$(mktemp -d)
PIDS=()
read_cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
  cleanup
}
trap read_cleanup EXIT

# The small store: postgres.sh's fixture, in a database of this cluster.
psql -q "$PG_BASE/postgres" -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench"
export BENCH_KEY="$TMP/small.key"
mkdir -p "$TMP/small"
bench_read_fixture "$TMP/small" "$PG_THREADS" "$PG_BASE/bench"
S_BASE=$BASE S_TOKEN=$GUIDE S_REL=$REL S_PID=$SERVER
PIDS+=("$SERVER")
S_TREL=$(RAPPORT_KEY=$BENCH_KEY python3 bench/trust_fixture.py "$S_BASE" "$R" "$PG_BASE/bench")

# The big store: relationship NREL / 2 given a pair of its own.
export BENCH_KEY="$DIR/recompute.key"
B_REL=$((NREL / 2))
for who in guide learner; do
  "$R" user add --db "$DB" "--key=$BENCH_KEY" --email "read-$who@bench.test" \
    --password "bench $who pw" --name "Read ${who^}" >/dev/null 2>&1 || true # kept from a run before
done
BENCH_OUT="$TMP/big" bench_serve "$DB" "$PG_THREADS"
B_BASE=$BASE B_PID=$SERVER
PIDS+=("$SERVER")
ADMIN=$(bench_login admin@bench.test 'bench admin pw')
for who in guide learner; do
  bench_api POST /api/v1/programs/1/members "$ADMIN" \
    "{\"email\":\"read-$who@bench.test\",\"name\":\"Read ${who^}\",\"role\":\"$who\"}" >/dev/null || true
done
psql -q -v ON_ERROR_STOP=1 "$DB" -c "UPDATE relationships SET
  guide_id = (SELECT id FROM persons WHERE email = 'read-guide@bench.test'),
  learner_id = (SELECT id FROM persons WHERE email = 'read-learner@bench.test'),
  proposed_by = (SELECT id FROM persons WHERE email = 'read-guide@bench.test')
  WHERE id = $B_REL"
B_TOKEN=$(bench_login read-guide@bench.test 'bench guide pw')
bench_api GET "/api/v1/relationships/$B_REL/trust" "$B_TOKEN" >/dev/null
# What the runs left for the cluster to do (autovacuum of the tables they
# wrote, a checkpoint of their WAL) done now, as an operator would after a
# recompute (docs/operations.md), not in the middle of the rounds.
psql -q "$DB" -c "VACUUM (ANALYZE) relationships, trust_sums, warnings, persons, memberships, sessions" -c CHECKPOINT

# Processor time (clock ticks) of the server `$1` and of the cluster (the
# postmaster and every process under it, those that ended included).
cpu_ticks() {
  python3 - "$1" "$PGPID" <<'PY'
import os, sys
server, pg = sys.argv[1:3]
total = [0, 0]
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        st = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    if pid == server:
        total[0] += int(st[11]) + int(st[12])
    elif pid == pg:
        total[1] += sum(int(x) for x in st[11:15])
    elif st[1] == pg:
        total[1] += int(st[11]) + int(st[12])
print(*total)
PY
}
# One wrk run of GET path as token against the server base (pid): prints
# req/s, server and cluster microseconds of processor time per request.
read_run() { # name base pid path token
  local c0 c1 out n
  c0=$(cpu_ticks "$3")
  out=$(BENCH_PATH="$4" BENCH_TOKEN="$5" wrk -t1 -c50 -d"${DUR}s" --latency -s bench/get.lua "$2" 2>&1)
  c1=$(cpu_ticks "$3")
  python3 - "$1" "$c0" "$c1" "$(getconf CLK_TCK)" "$out" <<'PY'
import re, sys
out = sys.argv[5]
name, tick = sys.argv[1], int(sys.argv[4])
c0, c1 = [int(x) for x in sys.argv[2].split()], [int(x) for x in sys.argv[3].split()]
rps = float(re.search(r"^Requests/sec:\s+(\S+)", out, re.M).group(1))
n = int(re.search(r"(\d+) requests in", out).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
srv, pg = ((c1[i] - c0[i]) / tick * 1e6 / max(n, 1) for i in (0, 1))
print(f"{name:<11} {rps:9.0f} req/s  p99 {p99:<9} server {srv:6.1f} us  PostgreSQL {pg:6.1f} us a request"
      f"{'  NON-2xx: ' + bad.group(1) if bad else ''}", file=sys.stderr)
print(0 if bad else rps, srv, pg)
PY
}

for i in $(seq "$ROUNDS"); do
  echo "round $i (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
  sr=$(read_run small-read "$S_BASE" "$S_PID" "/api/v1/relationships/$S_REL" "$S_TOKEN")
  br=$(read_run big-read "$B_BASE" "$B_PID" "/api/v1/relationships/$B_REL" "$B_TOKEN")
  st=$(read_run small-trust "$S_BASE" "$S_PID" "/api/v1/relationships/$S_TREL/trust" "$S_TOKEN")
  bt=$(read_run big-trust "$B_BASE" "$B_PID" "/api/v1/relationships/$B_REL/trust" "$B_TOKEN")
  echo "$sr $br $st $bt" >>"$TMP/rounds"
done
python3 - "$TMP/rounds" "$NREL" <<'PY'
import statistics, sys
rows = [[float(x) for x in line.split()] for line in open(sys.argv[1])]
for n, r in enumerate(rows, 1):
    print(f"round {n}: read big/small {r[3] / r[0]:6.1%} ({r[3]:.0f} / {r[0]:.0f} req/s; server "
          f"{r[4]:.1f} / {r[1]:.1f} us, PostgreSQL {r[5]:.1f} / {r[2]:.1f} us a request)   "
          f"trust big/small {r[9] / r[6]:6.1%} ({r[9]:.0f} / {r[6]:.0f} req/s)")
med = statistics.median(r[3] / r[0] for r in rows)
print(f"read on {int(sys.argv[2]):,} relationships / on the small store, median of the rounds: {med:.1%} "
      f"(target >= 80%: {'met' if med >= 0.8 else 'NOT met'}); trust: "
      f"{statistics.median(r[9] / r[6] for r in rows):.1%}")
PY
