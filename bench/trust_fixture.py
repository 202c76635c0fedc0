#!/usr/bin/env python3
"""trust_fixture.py: a relationship with three months of history for the
trust benchmark in run.sh (GET /api/v1/relationships/{id}/trust).

Usage: trust_fixture.py BASE RAPPORT DB
  BASE     the server's base URL (http://127.0.0.1:PORT)
  RAPPORT  the rapport binary (to add the second learner)
  DB       the server's database

Signs in as the bench's admin and guide (run.sh's credentials), adds a
learner, and enters through the API, each with `at` in the past: a program
and the pair's relationship from 91 days ago, weekly held check-ins,
commitments of both parties (kept, one renegotiated, one kept late),
requests and replies, feedback both ways, a goal with monthly reviews.
Prints the relationship's id. Standard library only.
"""

import datetime as dt
import json
import subprocess
import sys
import urllib.request

BASE, RAPPORT, DB = sys.argv[1:4]
ADMIN = ("admin@bench.test", "bench admin pw")
GUIDE = ("guide@bench.test", "bench guide pw")
LEARNER = ("learner2@bench.test", "bench learner2 pw")
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def ago(days, hours=0):
    return NOW - dt.timedelta(days=days, hours=hours)


def call(method, path, token=None, body=None):
    req = urllib.request.Request(BASE + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


def login(who):
    return call("POST", "/api/v1/session", body={"email": who[0], "password": who[1]})["token"]


def main():
    subprocess.run([RAPPORT, "user", "add", "--db", DB, "--email", LEARNER[0], "--password",
                    LEARNER[1], "--name", "Learner Two"], check=True, capture_output=True)
    admin, guide = login(ADMIN), login(GUIDE)
    start = ago(91)
    prog = call("POST", "/api/v1/programs", admin,
                {"name": "Bench trust", "kind": "coaching", "at": ts(start)})["id"]
    gid = call("POST", f"/api/v1/programs/{prog}/members", admin,
               {"email": GUIDE[0], "name": "Guide", "role": "guide"})["person_id"]
    lid = call("POST", f"/api/v1/programs/{prog}/members", admin,
               {"email": LEARNER[0], "name": "Learner Two", "role": "learner"})["person_id"]
    learner = login(LEARNER)
    rel = call("POST", "/api/v1/relationships", guide,
               {"program_id": prog, "guide_id": gid, "learner_id": lid, "at": ts(start)})["id"]
    call("POST", f"/api/v1/relationships/{rel}/transition", learner, {"to": "active",
                                                                       "at": ts(start)})
    r = f"/api/v1/relationships/{rel}"
    goal = call("POST", r + "/goals", learner,
                {"title": "Lead the quarterly planning", "weight": 1, "at": ts(ago(90))})["id"]
    for week in range(12):
        day = 88 - 7 * week
        ck = call("POST", r + "/checkins", guide,
                  {"scheduled_at": ts(ago(day)), "at": ts(ago(day + 3))})["id"]
        call("POST", f"/api/v1/checkins/{ck}/outcome", learner,
             {"outcome": "held", "at": ts(ago(day, -1))})
        for owner, token, who in ((lid, learner, "learner"), (gid, guide, "guide")):
            cm = call("POST", r + "/commitments", token,
                      {"owner_id": owner, "text": f"Week {week}: the {who}'s next step",
                       "due_at": ts(ago(day - 6)), "at": ts(ago(day, -2))})["id"]
            if week == 11:
                continue  # still open
            if week % 5 == 2:
                call("POST", f"/api/v1/commitments/{cm}/outcome", token,
                     {"outcome": "renegotiated", "new_due_at": ts(ago(day - 8)),
                      "at": ts(ago(day - 3))})
            late = week % 4 == 3
            call("POST", f"/api/v1/commitments/{cm}/outcome", token,
                 {"outcome": "kept", "at": ts(ago(day - (7 if late else 4)))})
        q = call("POST", r + "/requests", learner,
                 {"text": "Could you look at my draft before Thursday?", "at": ts(ago(day - 1))})
        call("POST", f"/api/v1/requests/{q['id']}/reply", guide,
             {"text": "Done, see my comments.", "at": ts(ago(day - 1, -(6 + week * 4)))})
        giver, kind, focus = ((learner, "recognition", "task") if week % 2 else
                              (guide, "constructive", "task"))
        call("POST", r + "/feedback", giver, {"kind": kind, "focus": focus,
                                              "text": "Specific and useful.",
                                              "at": ts(ago(day, -3))})
        if week % 4 == 3:
            call("POST", r + "/goal-reviews", learner,
                 {"levels": {str(goal): week // 4 - 1}, "at": ts(ago(day, -4))})
    print(rel)


if __name__ == "__main__":
    main()
