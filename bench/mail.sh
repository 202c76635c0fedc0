#!/usr/bin/env bash
# bench/mail.sh [mails] [seconds] [rounds]: sending the outbox, and what it
# costs the readers. Run from the repository's root (make bench runs it).
#
#   1. the fixture of run.sh (bench/lib.sh) and `mails` (default 10,000)
#      invitations enrolled through the API: each a mail in the outbox,
#      waiting; the database is then copied aside, and every run below
#      starts from that copy;
#   2. in `rounds` (default 3) rounds, alternately in either order:
#      - without the sender: the server started without --smtp and the
#        authenticated relationship GET with wrk for `seconds` (default 8);
#      - with the sender: the server started with --smtp to a real SMTP
#        server on loopback (tests/api/smtp_sink.py: python3-aiosmtpd,
#        STARTTLS and AUTH) and, while the sender works through the outbox,
#        the same wrk run; then mails per second from the start until none
#        waits, and the processor time of the sender thread (rapport-mail)
#        and of the SMTP server in that time;
#   3. each round's read figure with the sender over the one without, and
#      their median and spread (target: >= 90%).
#
# The SMTP server stands in for a relay on another machine, yet shares the
# two cores here with the server and wrk. It only counts what it receives
# (Message-IDs, connections), without parsing or keeping the messages, and
# its processor time is reported beside the sender thread's. It runs at
# the niceness BENCH_SINK_NICE (default 0: it competes with the readers
# like any process; 19 gives it only what they leave, so that the sender,
# which waits on it, barely sends while wrk runs). BENCH_PIN=1 puts the
# server alone on CPU 0 and the rest on CPU 1 (taskset), for a machine
# that nothing else uses.
#
# Idle processors: on the shared 2-core virtual machine this was measured
# on, the relationship GET ran 1.6 to 3 times faster while any other
# process of the session kept a processor busy, even a nice-19 busy loop
# that does nothing (a processor that goes idle costs every request that
# wakes it), so a run with the sender would be compared with a run made
# slow by idleness. Both kinds of run therefore have a nice-19 busy loop
# on each processor (BENCH_SPIN=0: none), which takes only the time that
# would be idle: the server, wrk, the sender thread (nice 10) and the SMTP
# server all come first.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
MAILS=${1:-10000}
SECS=${2:-8}
ROUNDS=${3:-3}
bench_build
PIN_SERVER=()
if [ -n "${BENCH_PIN:-}" ]; then
  taskset -cp 1 $$ >/dev/null # this script and all it starts but the server
  PIN_SERVER=(taskset -c 0)
fi
DIR=$(mktemp -d)
SINK_PID=
SPINNERS=()
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  for p in "${SPINNERS[@]}"; do kill "$p" 2>/dev/null || true; done
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
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
SERVER=
count() { sqlite3 "$DIR/b.db" "SELECT COUNT(*) FROM outbox WHERE state = '$1'"; }
echo "mail: $(count waiting) mails waiting" >&2
FILES=(b.db b.db-wal b.db-shm b.audit.db b.audit.db-wal b.audit.db-shm) # store_audit_path
mkdir "$DIR/copy"
for f in "${FILES[@]}"; do [ -e "$DIR/$f" ] && cp "$DIR/$f" "$DIR/copy/"; done
restore() {
  for f in "${FILES[@]}"; do rm -f "${DIR:?}/$f"; done
  cp "$DIR"/copy/* "$DIR/"
}
serve() { # extra flags...
  "${PIN_SERVER[@]}" "$R" serve --db "$DIR/b.db" --listen "${BASE#http://}" --threads 2 "$@" \
    >"$DIR/serve.out" 2>"$DIR/serve.err" 9>&- &
  SERVER=$!
  for _ in $(seq 1200); do grep -q serving "$DIR/serve.out" 2>/dev/null && return; sleep 0.05; done
  echo "mail: rapport serve did not start: $(cat "$DIR/serve.err")" >&2
  exit 1
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }
ticks() { # the user + system clock ticks of /proc/$1/stat (a process or a task)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$1/stat"
}
mail_task() { # the sender thread of $SERVER (none: /dev/null)
  for t in /proc/"$SERVER"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = rapport-mail ] && { echo "$t"; return; }
  done
  echo /dev/null
}
task_ticks() { [ "$1" = /dev/null ] && echo 0 || ticks "$1"; }
read_run() { # name: one wrk run; sets RPS and PER_REQ, the microseconds of
  # processor time the server spent per request on anything but sending
  local s0 m0 task
  task=$(mail_task)
  s0=$(ticks "/proc/$SERVER"); m0=$(task_ticks "$task")
  RPS=$(bench_wrk "$1" get.lua "$BASE" 1 50 "$SECS" "/api/v1/relationships/$REL" "$LEARNER")
  PER_REQ=$(python3 -c 'import sys; s, m, rps, secs, hz = map(float, sys.argv[1:]); print(f"{1e6 * s / hz / max(rps * secs, 1):.1f}")' \
    "$(($(ticks "/proc/$SERVER") - s0 - ($(task_ticks "$task") - m0)))" 0 "$RPS" "$SECS" "$HZ")
}

# The SMTP server, for every round: its serve flags on the first line of its output.
mkfifo "$DIR/sink.in"
nice -n "${BENCH_SINK_NICE:-0}" python3 tests/api/smtp_sink.py - <"$DIR/sink.in" >"$DIR/sink.out" 2>"$DIR/sink.err" &
SINK_PID=$!
exec 9>"$DIR/sink.in"
for _ in $(seq 1200); do [ -s "$DIR/sink.out" ] && break; sleep 0.1; done
mapfile -t SMTP < <(head -1 "$DIR/sink.out" | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)))')
[ "${#SMTP[@]}" -gt 0 ] || { echo "mail: the SMTP server did not start: $(cat "$DIR/sink.err")" >&2; exit 1; }
HZ=$(getconf CLK_TCK)

alone() {
  restore
  serve
  read_run "$1-alone"
  ALONE=$RPS ALONE_US=$PER_REQ
  stop
}
sending() {
  restore
  local sink0 start end task left sender
  sink0=$(ticks "/proc/$SINK_PID")
  start=$(date +%s.%N)
  serve "${SMTP[@]}"
  read_run "$1-sending"
  WITH=$RPS WITH_US=$PER_REQ
  left=$(count waiting)
  while [ "$(count waiting)" != 0 ]; do sleep 0.2; done
  end=$(date +%s.%N)
  task=$(mail_task)
  sender=$(task_ticks "$task")
  SENT=$(count sent)
  FAILED=$(count failed)
  stop
  SEND_LINE=$(python3 -c '
import sys
n, start, end, left, sender, sink, hz, sent, failed, secs = sys.argv[1:]
t = float(end) - float(start)
print(f"{int(n) / t:.0f} mails/s ({n} in {t:.1f} s; {int(n) - int(left)} while wrk ran "
      f"{secs} s; sent {sent}, failed {failed}); CPU: sender thread "
      f"{int(sender) / int(hz):.1f} s, SMTP server {int(sink) / int(hz):.1f} s")' \
    "$MAILS" "$start" "$end" "$left" "$sender" "$(($(ticks "/proc/$SINK_PID") - sink0))" "$HZ" \
    "$SENT" "$FAILED" "$SECS")
  echo "mail: round $1: $SEND_LINE" >&2
}

if [ "${BENCH_SPIN:-1}" != 0 ]; then
  for _ in $(seq "$(nproc)"); do
    nice -n 19 sh -c 'while :; do :; done' 9>&- &
    SPINNERS+=($!)
  done
fi
RESULTS=()
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then alone "$round"; sending "$round"
  else sending "$round"; alone "$round"; fi
  RESULTS+=("$round $ALONE $WITH $ALONE_US $WITH_US")
done
exec 9>&-
wait "$SINK_PID" 2>/dev/null || true
SINK=$(tail -1 "$DIR/sink.out")
SINK_PID=
python3 - "$MAILS" "$ROUNDS" "$SINK" "${RESULTS[@]}" <<'PY'
import json, statistics, sys
mails, rounds, sink = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
ratios = []
cpu = []
for line in sys.argv[4:]:
    r, alone, with_, alone_us, with_us = line.split()
    if not float(alone) or not float(with_):
        print(f"mail: round {r} does not count (a wrk run got answers other than 2xx)")
        continue
    ratio = 100 * float(with_) / float(alone) if float(alone) else 0
    ratios.append(ratio)
    cpu.append(100 * float(alone_us) / float(with_us) if float(with_us) else 0)
    print(f"mail: round {r}: relationship GET {float(alone):.0f} req/s without the sender, "
          f"{float(with_):.0f} req/s with it: {ratio:.1f}%; server CPU a request (the sender "
          f"thread not counted) {alone_us} us without, {with_us} us with")
print(f"mail: the SMTP server received {sink['received']} messages "
      f"({sink['message_ids']} distinct Message-IDs; {mails} x {rounds} rounds expected) "
      f"over {sink['connections']} connections, in {sink['cpu_s']} s of CPU")
print(f"mail: reads with the sender / without: median {statistics.median(ratios):.1f}% "
      f"(rounds {min(ratios):.1f}-{max(ratios):.1f}%; target >= 90%)")
print(f"mail: CPU a read without the sender / with: median {statistics.median(cpu):.1f}% "
      f"(rounds {min(cpu):.1f}-{max(cpu):.1f}%)")
if sink["received"] != mails * rounds or sink["message_ids"] != mails:
    sys.exit("mail: mails were lost or doubled")
PY
