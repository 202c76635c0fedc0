#!/usr/bin/env bash
# bench/roster.sh: importing a roster of 10,000 people (POST
# /api/v1/programs/{id}/roster, text/csv) on a release build: the dry run,
# applying it (10,000 new accounts, invitations sealed into the outbox,
# memberships and matching profiles with time zone, languages, a manager
# and topics, in one write transaction), and the same file again (a no-op).
# The baseline, measured in the same run on the same server: enrolling
# people one request at a time (POST /api/v1/programs/{id}/members), per
# person. Prints seconds per step and the import's cost per row as a share
# of one enrolment.
#
#   bash bench/roster.sh [rows, default 10000] [enrolments for the baseline, default 500]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
ROWS=${1:-10000}
SINGLE=${2:-500}
bench_build
DIR=$(mktemp -d)
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$DIR"' EXIT
bench_read_fixture "$DIR" 2
python3 - "$BASE" "$ADMIN" "$PROG" "$ROWS" "$SINGLE" <<'PY'
import json, sys, time, urllib.request
base, token, prog, rows, single = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def call(method, path, data, ctype):
    req = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": ctype})
    with opener.open(req, timeout=600) as r:
        return json.loads(r.read())

lines = ["email,name,role,manager_email,time zone,languages,topics"]
for i in range(rows):
    role = "guide" if i % 10 == 0 else "learner"
    lines.append(f"p{i}@bench.test,Person {i},{role},boss{i % 50}@bench.test,Europe/Paris,en;fr,"
                 f"Topic {i % 7};Topic {(i + 3) % 7}")
csv = ("\r\n".join(lines) + "\r\n").encode()

def timed(label, path):
    t0 = time.monotonic()
    rep = call("POST", path, csv, "text/csv")
    dt = time.monotonic() - t0
    print(f"{label:<28} {dt:7.2f} s  {rep['counts']}")
    return dt, rep

dry, rep = timed("dry run", f"/api/v1/programs/{prog}/roster")
assert rep["counts"]["create"] == rows, rep["counts"]
applied, rep = timed("apply", f"/api/v1/programs/{prog}/roster?apply=true")
assert rep["counts"]["create"] == rows, rep["counts"]
again, rep = timed("apply again (no-op)", f"/api/v1/programs/{prog}/roster?apply=true")
assert rep["counts"]["unchanged"] == rows, rep["counts"]

t0 = time.monotonic()
for i in range(single):
    call("POST", f"/api/v1/programs/{prog}/members",
         json.dumps({"email": f"one{i}@bench.test", "name": f"One {i}", "role": "learner"}).encode(),
         "application/json")
per_enrol = (time.monotonic() - t0) / single
per_row = applied / rows
print(f"baseline: one enrolment      {per_enrol * 1000:7.2f} ms per person ({single} requests)")
print(f"import: applied              {per_row * 1000:7.3f} ms per row: "
      f"{100 * per_row / per_enrol:.1f}% of an enrolment")
print(f"{rows} rows: dry run {dry:.2f} s, apply {applied:.2f} s, again {again:.2f} s")
PY
