#!/usr/bin/env bash
# bench/circles.sh: the matcher's proposals of circles through the API on a
# program of 1,000 members (imported as a roster: two of ten topics each,
# en and fr, a guide in ten) with the program's minimum overlap set to
# none (a roster carries no weekly windows): POST
# /programs/{id}/circle-proposals for circles of 5 with a facilitator,
# three times (the instance read from the store, the circles formed, the
# draft written and its view computed), and GET of the draft. The
# baseline, in the same run on the same program: a pair matching run
# (POST /programs/{id}/matching-runs), which reads the same instance.
#
#   bash bench/circles.sh [members, default 1000] [size, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
ROWS=${1:-1000}
SIZE=${2:-5}
bench_build
DIR=$(mktemp -d)
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$DIR"' EXIT
bench_read_fixture "$DIR" 2
python3 - "$BASE" "$ADMIN" "$PROG" "$ROWS" "$SIZE" <<'PY'
import json, statistics, sys, time, urllib.request
base, token, prog, rows, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def call(method, path, data=None, ctype="application/json"):
    req = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": ctype})
    with opener.open(req, timeout=600) as r:
        return json.loads(r.read() or b"null")

lines = ["email,name,role,languages,topics"]
for i in range(rows):
    role = "guide" if i % 10 == 0 else "learner"
    lines.append(f"c{i}@bench.test,Member {i},{role},en;fr,Topic {i % 10};Topic {(i * 7 + 3) % 10}")
call("POST", f"/api/v1/programs/{prog}/roster?apply=true",
     ("\r\n".join(lines) + "\r\n").encode(), "text/csv")
call("PUT", f"/api/v1/programs/{prog}/matching-settings",
     json.dumps({"min_overlap_minutes": 0}).encode())

def timed(method, path, body=None):
    t0 = time.monotonic()
    got = call(method, path, json.dumps(body).encode() if body is not None else None)
    return time.monotonic() - t0, got

runs = [timed("POST", f"/api/v1/programs/{prog}/matching-runs", {}) for _ in range(3)]
pairs = statistics.median(t for t, _ in runs)
props = [timed("POST", f"/api/v1/programs/{prog}/circle-proposals",
               {"size": size, "facilitator": True, "seed": k + 1}) for k in range(3)]
draft = statistics.median(t for t, _ in props)
s = props[0][1]["summary"]
view, _ = timed("GET", f"/api/v1/circle-proposals/{props[0][1]['id']}")
print(f"members {rows} ({s['pool']} learners in the pool), circles of {size}: "
      f"{s['circles']} of {s['target']}, total {s['total']} (seeding {s['seeded_total']}), "
      f"{s['passes']} passes, {s['swaps']} swaps")
print(f"pair matching run (baseline)   {pairs:6.2f} s median of 3")
print(f"circle proposal, drafted       {draft:6.2f} s median of 3  ({draft / pairs:.2f} x the run)")
print(f"circle proposal, read again    {view:6.2f} s")
PY
