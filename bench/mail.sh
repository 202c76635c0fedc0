#!/usr/bin/env bash
# bench/mail.sh [mails] [seconds]: sending the outbox, and what it costs
# the readers. Run from the repository's root (make bench runs it).
#
#   1. the fixture of run.sh (bench/lib.sh) served without --smtp, and
#      `mails` (default 10,000) invitations enrolled through the API: each
#      a mail in the outbox, waiting;
#   2. the authenticated relationship GET with wrk for `seconds` (default 8)
#      while nothing is sent: the read figure without the sender;
#   3. the server restarted with --smtp to a real SMTP server on loopback
#      (tests/api/smtp_sink.py: python3-aiosmtpd, STARTTLS and AUTH) and,
#      while the sender works through the outbox, the same wrk run: the
#      read figure with the sender;
#   4. mails per second: from the restart until none waits.
# Prints both read figures and their ratio (target: within 10%).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
MAILS=${1:-10000}
SECS=${2:-8}
bench_build
DIR=$(mktemp -d)
SINK_PID=
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT
bench_read_fixture "$DIR" 2
echo "mail: enrolling $MAILS new addresses (an invitation each)" >&2
python3 - "$BASE" "$ADMIN" "$PROG" "$MAILS" <<'PY'
import http.client, json, sys, urllib.parse
base, token, prog, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
u = urllib.parse.urlsplit(base)
c = http.client.HTTPConnection(u.hostname, u.port)
for i in range(n):
    body = json.dumps({"email": f"bench.{i}@mail.test", "name": f"Bench {i}", "role": "learner"})
    c.request("POST", f"/api/v1/programs/{prog}/members", body,
              {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    if r.status != 201:
        sys.exit(f"enrol {i}: {r.status}")
PY
waiting() { sqlite3 "$DIR/b.db" "SELECT COUNT(*) FROM outbox WHERE state = 'waiting'"; }
echo "mail: $(waiting) mails waiting" >&2
# Both read runs on a server started on the same database after the
# enrolments, one without --smtp, one with it.
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
"$R" serve --db "$DIR/b.db" --listen "${BASE#http://}" --threads 2 \
  >"$DIR/b.db.serve1.out" 2>"$DIR/b.db.serve1.err" &
SERVER=$!
for _ in $(seq 200); do grep -q serving "$DIR/b.db.serve1.out" 2>/dev/null && break; sleep 0.05; done
READ_ALONE=$(bench_wrk alone get.lua "$BASE" 1 50 "$SECS" "/api/v1/relationships/$REL" "$LEARNER")
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
# The SMTP server: its serve flags on the first line of its output.
mkfifo "$DIR/sink.in"
python3 tests/api/smtp_sink.py - <"$DIR/sink.in" >"$DIR/sink.out" 2>"$DIR/sink.err" &
SINK_PID=$!
exec 9>"$DIR/sink.in"
for _ in $(seq 100); do [ -s "$DIR/sink.out" ] && break; sleep 0.1; done
mapfile -t SMTP < <(head -1 "$DIR/sink.out" | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)))')
START=$(date +%s.%N)
"$R" serve --db "$DIR/b.db" --listen "${BASE#http://}" --threads 2 "${SMTP[@]}" \
  >"$DIR/b.db.serve2.out" 2>"$DIR/b.db.serve2.err" 9>&- &
SERVER=$!
for _ in $(seq 200); do grep -q serving "$DIR/b.db.serve2.out" 2>/dev/null && break; sleep 0.05; done
READ_SENDING=$(bench_wrk sending get.lua "$BASE" 1 50 "$SECS" "/api/v1/relationships/$REL" "$LEARNER")
LEFT_AFTER_WRK=$(waiting)
while [ "$(waiting)" != 0 ]; do sleep 0.2; done
END=$(date +%s.%N)
exec 9>&-
wait "$SINK_PID" 2>/dev/null || true
RECEIVED=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["received"])' "$DIR/sink.out")
SINK_PID=
FAILED=$(sqlite3 "$DIR/b.db" "SELECT COUNT(*) FROM outbox WHERE state = 'failed'")
python3 - "$MAILS" "$START" "$END" "$READ_ALONE" "$READ_SENDING" "$LEFT_AFTER_WRK" "$RECEIVED" "$FAILED" <<'PY'
import sys
n, start, end, alone, sending, left, received, failed = sys.argv[1:]
n, secs = int(n), float(end) - float(start)
print(f"mail: {n} mails sent in {secs:.1f} s: {n / secs:.0f} mails/s "
      f"(the SMTP server received {received}; failed {failed})")
print(f"mail: relationship GET {float(alone):.0f} req/s alone, {float(sending):.0f} req/s while "
      f"sending ({int(left)} mails still waiting when the run ended): "
      f"{100 * float(sending) / float(alone):.1f}% (target >= 90%)")
PY
