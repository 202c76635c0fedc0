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
# Usage: bench/trust_recompute.sh [--postgres] [relationships, default 100000] [items each, default 200]
# Env:   BENCH_BUILD (default build-bench), BENCH_DIR (default a temporary directory,
#        removed at the end; set it to keep the store).
set -euo pipefail
cd "$(dirname "$0")/.."
PG=
if [ "${1:-}" = --postgres ]; then
  PG=1
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
if [ -n "$PG" ]; then
  # The same rows as the SQLite store below, in PostgreSQL's spelling
  # (booleans cast, generate_series as a table of one column).
  psql -q -v ON_ERROR_STOP=1 "$DB" <<SQL
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
