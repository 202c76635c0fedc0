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
# Usage: bench/trust_recompute.sh [--postgres [--pulses]] [relationships, default 100000] [items each, default 200]
# Env:   BENCH_BUILD (default build-bench), BENCH_DIR (default a temporary directory,
#        removed at the end; set it to keep the store).
set -euo pipefail
cd "$(dirname "$0")/.."
PG=
if [ "${1:-}" = --postgres ]; then
  PG=1
  shift
fi
PULSES=
if [ -n "$PG" ] && [ "${1:-}" = --pulses ]; then
  PULSES=1
  shift
fi
NREL=${1:-100000}
NITEM=${2:-200}
. bench/lib.sh
bench_build
if [ -z "$PG" ]; then
  command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
fi

PG_DIR=
cleanup() {
  if [ -n "$PG_DIR" ]; then python3 tests/api/pgcluster.py stop "$PG_DIR" || true; fi
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
if [ -n "$PG" ]; then
  read -r PG_BASE PG_DIR < <(python3 tests/api/pgcluster.py start --fsync --socket)
  psql -q "$PG_BASE/postgres" -c "CREATE DATABASE recompute"
  DB="$PG_BASE/recompute"
  rm -f "$DIR/recompute.key"
  KEYARG=(--key "$DIR/recompute.key")
else
  DB="$DIR/recompute.db"
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DIR/recompute.key"
fi

"$R" init --db "$DB" "${KEYARG[@]}" --admin-email admin@bench.test --admin-password 'bench admin pw' >/dev/null 2>&1

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
-- Without the events' triggers (each would update its relationship's row
-- once per event, 42 times per relationship: the recompute reads no
-- trust_seq, and this store has none to keep).
SET session_replication_role = replica;
INSERT INTO events (id, relationship_id, kind, actor_id, at, recorded_at, subject_id)
  SELECT id, r, 'pulse_answered', 1001 + q, t, t, id FROM bp ORDER BY id;
SET session_replication_role = DEFAULT;
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
  psql -q -v ON_ERROR_STOP=1 -v nrel="$NREL" "$DB" <<SQL
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
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
if [ -n "$PG" ]; then
  psql -Atq "$DB" -c "SELECT pg_database_size('recompute')" | awk '{printf "store: %.2f GB\n", $1 / 1e9}' >&2
else
  ls -l "$DB" | awk '{printf "store: %.2f GB\n", $5 / 1e9}' >&2
fi

for run in first second; do
  S0=$(date +%s.%N)
  OUT=$("$R" trust recompute --db "$DB" "${KEYARG[@]}")
  S1=$(date +%s.%N)
  echo "$OUT"
  python3 - "$S0" "$S1" "$run" "$([ -n "$PG" ] && echo 120 || echo 60)" "$([ -n "$PG" ] && echo PostgreSQL || echo SQLite)" <<'PY'
import sys
secs = float(sys.argv[2]) - float(sys.argv[1])
target = int(sys.argv[4])
print(f"trust recompute on {sys.argv[5]} ({sys.argv[3]} run): {secs:.1f} s wall (target < {target} s: "
      f"{'met' if secs < target else 'NOT met'})")
PY
done
