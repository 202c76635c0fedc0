#!/usr/bin/env python3
"""suggestions.py BIN [GUIDES] [ROUNDS]: GET /programs/{id}/suggestions
through a real server, for one learner in a program of GUIDES guides
(default 5,000) with realistic profiles (bench_match.c's: 10 topics, five
languages, weekday windows in three regions, capacities 1 to 5), written
straight into a fresh SQLite database; prints the median and slowest of
ROUNDS (default 50) answers, each built from the store as in production
(the whole program's instance, then the learner's top five), and the
server's CPU time per request (/proc), which other load does not inflate."""
import os
import random
import sqlite3
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "api"))
os.environ.setdefault("RAPPORT_TEST_BIN", sys.argv[1] if len(sys.argv) > 1 else "build/src/rapport")
import harness  # noqa: E402


def main():
    guides = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    rng = random.Random(7)
    srv = harness.Server()
    srv.start()
    try:
        admin = srv.request("POST", "/api/v1/session", {"email": harness.ADMIN_EMAIL,
                                                         "password": harness.ADMIN_PASSWORD})
        tok = admin.json["token"]
        prog = srv.request("POST", "/api/v1/programs", {"name": "Bench", "kind": "mentoring"},
                           tok).json["id"]
        topics = [srv.request("POST", f"/api/v1/programs/{prog}/topics", {"name": f"Topic {i}"},
                              tok).json["id"] for i in range(10)]
        con = sqlite3.connect(srv.db, timeout=30)
        now = 1780000000
        with con:
            def person(i, role):
                cur = con.execute("INSERT INTO persons (email, name, created_at) VALUES (?, ?, ?)",
                                  (f"{role}{i}@bench.test", f"{role.title()} {i}", now))
                pid = cur.lastrowid
                con.execute("INSERT INTO memberships (program_id, person_id, role, created_at)"
                            " VALUES (?, ?, ?, ?)", (prog, pid, role, now))
                langs = ",".join(["en"] * (rng.random() < 0.85) +
                                 ([rng.choice(["fr", "de", "es", "pt"])] if rng.random() < 0.35 else []))
                con.execute("INSERT INTO match_profiles (program_id, person_id, languages, capacity,"
                            " updated_at) VALUES (?, ?, ?, ?, ?)",
                            (prog, pid, langs or "fr", rng.randint(1, 5), now))
                offset = rng.choice([-300, 60, 330])
                for start in sorted({(rng.randint(0, 4) * 1440 + rng.randint(8, 16) * 60 - offset)
                                     % 9000 for _ in range(rng.randint(2, 4))}):
                    con.execute("INSERT INTO match_windows VALUES (?, ?, ?, ?)",
                                (prog, pid, start, start + rng.randint(2, 6) * 30))
                side = "offers" if role == "guide" else "wants"
                for rank, t in enumerate(rng.sample(topics, rng.randint(2, 5)), 1):
                    con.execute("INSERT INTO match_profile_topics VALUES (?, ?, ?, ?, ?)",
                                (prog, pid, side, t, rank if side == "wants" else 0))
                return pid
            for i in range(guides):
                person(i, "guide")
            learner = person(0, "learner")
            con.execute("UPDATE persons SET password_hash = (SELECT password_hash FROM persons"
                        " WHERE email = ?) WHERE id = ?", (harness.ADMIN_EMAIL, learner))
        con.close()
        tok = srv.request("POST", "/api/v1/session", {"email": "learner0@bench.test",
                                                       "password": harness.ADMIN_PASSWORD}).json["token"]
        def cpu():
            with open(f"/proc/{srv.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        times = []
        cpu0 = cpu()
        for _ in range(rounds):
            t0 = time.perf_counter()
            r = srv.request("GET", f"/api/v1/programs/{prog}/suggestions", token=tok)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status == 200, r
        used = (cpu() - cpu0) * 1000 / rounds
        print(f"suggestions among {guides} guides through the API: {len(r.json['items'])} shown;"
              f" median {statistics.median(times):.1f} ms, slowest {max(times):.1f} ms wall;"
              f" the server's CPU {used:.1f} ms a request ({rounds} requests, one at a time)")
    finally:
        srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
