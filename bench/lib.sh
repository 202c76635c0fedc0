# shellcheck shell=bash disable=SC2034 # sets variables for the scripts that source it
# bench/lib.sh: what the whole-program benchmarks share, sourced by
# run.sh, limit.sh and trust_recompute.sh from the repository's root.
#
#   bench_build               the release build with the bench-only baseline
#                             route in $BUILD (default build-bench); sets R
#   bench_serve DB THREADS    `rapport serve` on a free loopback port (with
#                             $BENCH_SERVE_FLAGS, split on spaces); sets
#                             SERVER (its pid) and BASE (its URL). The
#                             caller stops it (kill "$SERVER"). A DB that is
#                             a postgresql:// URI uses the key file
#                             $BENCH_KEY.
#   bench_read_fixture DIR THREADS [DB]
#                             a fresh database (DIR/b.db, or DB, an empty
#                             PostgreSQL database) with an admin, a guide
#                             and a learner, served (bench_serve), with one
#                             active relationship between the two: sets
#                             ADMIN, GUIDE, LEARNER (session tokens), PROG,
#                             GID, LID and REL besides SERVER and BASE
#   bench_rels N              after bench_read_fixture: N active
#                             relationships of the same guide and learner
#                             in all (REL's and N - 1 more, each in a
#                             program of its own); sets RELS (their ids,
#                             separated by spaces)
#   bench_cpu PID...          the processor time so far, in clock ticks,
#                             of each PID and its children (reaped ones
#                             too: a postmaster's exited backends), summed
#   bench_wrk NAME SCRIPT URL THREADS CONNS SECONDS [PATH TOKEN BODY]
#                             one wrk run with a wrk script of bench/ (or a
#                             path); prints its req/s on stdout (0 when not
#                             every answer was 2xx) and a line about it on
#                             stderr
#   bench_api, bench_login, bench_jid   curl and JSON helpers against BASE
#   bench_pg_start            a private PostgreSQL cluster with a database
#                             `bench` (postgres.sh, pg_trips.sh; below)
#   bench_pg_fixture          bench_pg_start and bench_read_fixture there

BUILD=${BENCH_BUILD:-build-bench}

bench_build() {
  if [ ! -d "$BUILD" ]; then
    meson setup "$BUILD" -Dbench_routes=true --buildtype=release >/dev/null
  fi
  ninja -C "$BUILD" src/rapport >/dev/null
  R="$(cd "$BUILD" && pwd)/src/rapport"
}

# A private PostgreSQL cluster with fsync on (tests/api/pgcluster.py),
# reached through its Unix socket (PG_TCP=1: loopback TCP), with an empty
# database `bench`: sets PG_BASE, PG_DIR, TMP (a scratch folder), PIDS
# (servers to stop: add to it) and BENCH_KEY, and stops it all on exit.
bench_pg_start() {
  TMP=$(mktemp -d)
  # shellcheck disable=SC2046
  read -r PG_BASE PG_DIR < <(python3 tests/api/pgcluster.py start --fsync \
    $([ -n "${PG_TCP:-}" ] || echo --socket))
  PIDS=()
  trap bench_pg_stop EXIT
  psql -q "$PG_BASE/postgres" -c "CREATE DATABASE bench"
  export BENCH_KEY="$TMP/pg.key"
}
# bench_pg_start, then the fixture of bench_read_fixture in its database
# `bench`, served by BENCH_PG_THREADS threads (default 4).
bench_pg_fixture() {
  bench_pg_start
  mkdir -p "$TMP/pg"
  bench_read_fixture "$TMP/pg" "${BENCH_PG_THREADS:-4}" "$PG_BASE/bench"
  PIDS+=("$SERVER")
}
bench_pg_stop() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  python3 tests/api/pgcluster.py stop "$PG_DIR" || true
  rm -rf "$TMP"
}

bench_key() { # db: the --key flag a postgresql:// database needs
  case $1 in postgres*://*) echo "--key=$BENCH_KEY" ;; esac
}

bench_serve() { # db threads
  local out="${BENCH_OUT:-$1}.serve.out" err="${BENCH_OUT:-$1}.serve.err"
  rm -f "$out"
  # shellcheck disable=SC2046
  "$R" serve --db "$1" $(bench_key "$1") --listen 127.0.0.1:0 --threads "$2" \
    ${BENCH_SERVE_FLAGS:-} >"$out" 2>"$err" &
  SERVER=$!
  for _ in $(seq 200); do grep -q serving "$out" 2>/dev/null && break; sleep 0.05; done
  BASE=$(sed -n 's/^Rapport is serving //p' "$out")
  [ -n "$BASE" ] || { echo "bench: rapport serve did not start: $(cat "$err")" >&2; return 1; }
}

bench_api() { # method path token [body]
  curl -sf -X "$1" "$BASE$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"}
}
bench_login() { # email password
  curl -sf -X POST "$BASE/api/v1/session" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}
bench_jid() { python3 -c 'import sys,json; d=json.load(sys.stdin); print(d.get("id", d.get("person_id")))'; }

bench_read_fixture() { # dir threads [db]
  local db="${3:-$1/b.db}"
  [ -z "${3:-}" ] || BENCH_OUT="$1/pg"
  # shellcheck disable=SC2046
  "$R" init --db "$db" $(bench_key "$db") --admin-email admin@bench.test \
    --admin-password 'bench admin pw' >/dev/null
  # shellcheck disable=SC2046
  "$R" user add --db "$db" $(bench_key "$db") --email guide@bench.test \
    --password 'bench guide pw' --name Guide >/dev/null
  # shellcheck disable=SC2046
  "$R" user add --db "$db" $(bench_key "$db") --email learner@bench.test \
    --password 'bench learner pw' --name Learner >/dev/null
  bench_serve "$db" "$2"
  unset BENCH_OUT
  ADMIN=$(bench_login admin@bench.test 'bench admin pw')
  PROG=$(bench_api POST /api/v1/programs "$ADMIN" '{"name":"Bench","kind":"coaching"}' | bench_jid)
  GID=$(bench_api POST "/api/v1/programs/$PROG/members" "$ADMIN" \
        '{"email":"guide@bench.test","name":"Guide","role":"guide"}' | bench_jid)
  LID=$(bench_api POST "/api/v1/programs/$PROG/members" "$ADMIN" \
        '{"email":"learner@bench.test","name":"Learner","role":"learner"}' | bench_jid)
  GUIDE=$(bench_login guide@bench.test 'bench guide pw')
  LEARNER=$(bench_login learner@bench.test 'bench learner pw')
  REL=$(bench_api POST /api/v1/relationships "$GUIDE" \
        "{\"program_id\":$PROG,\"guide_id\":$GID,\"learner_id\":$LID}" | bench_jid)
  bench_api POST "/api/v1/relationships/$REL/transition" "$LEARNER" '{"to":"active"}' >/dev/null
}

bench_rels() { # n
  RELS=$REL
  local i prog
  for i in $(seq 2 "$1"); do
    prog=$(bench_api POST /api/v1/programs "$ADMIN" "{\"name\":\"Bench $i\",\"kind\":\"coaching\"}" | bench_jid)
    bench_api POST "/api/v1/programs/$prog/members" "$ADMIN" \
      '{"email":"guide@bench.test","name":"Guide","role":"guide"}' >/dev/null
    bench_api POST "/api/v1/programs/$prog/members" "$ADMIN" \
      '{"email":"learner@bench.test","name":"Learner","role":"learner"}' >/dev/null
    local r
    r=$(bench_api POST /api/v1/relationships "$GUIDE" \
        "{\"program_id\":$prog,\"guide_id\":$GID,\"learner_id\":$LID}" | bench_jid)
    bench_api POST "/api/v1/relationships/$r/transition" "$LEARNER" '{"to":"active"}' >/dev/null
    RELS="$RELS $r"
  done
}

bench_cpu() { # pid...: utime + stime + cutime + cstime of each and of its live children
  local p total=0 c
  for p in "$@"; do
    for c in "$p" $(pgrep -P "$p" || true); do
      [ -r "/proc/$c/stat" ] || continue
      total=$((total + $(awk '{sub(/^.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$c/stat")))
    done
  done
  echo "$total"
}

bench_wrk() { # name script url threads conns seconds [path token body]
  local script=$2 out rps p99 bad
  case $script in */*) ;; *) script="bench/$script" ;; esac
  out=$(BENCH_PATH="${7:-/}" BENCH_TOKEN="${8:-}" BENCH_BODY="${9:-}" \
        wrk -t"$4" -c"$5" -d"$6s" --latency -s "$script" "$3" 2>&1)
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  # wrk's own count of answers other than 2xx and 3xx (it prints none when 0)
  bad=$(awk '/^ *Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  printf '%-9s %10.0f req/s   p99 %-9s non-2xx %s\n' "$1" "${rps:-0}" "$p99" "${bad:-0}" >&2
  if [ -z "$rps" ] || [ "${bad:-0}" != 0 ]; then
    echo "bench: $1 got answers other than 2xx (or none); its figure does not count" >&2
    echo 0
    return
  fi
  echo "$rps"
}
