#!/usr/bin/env python3
"""kill9.py: every acknowledged write survives `kill -9` (SECURITY.md,
Reliability).

    RAPPORT_TEST_BIN=build/src/rapport python3 tests/reliability/kill9.py [--kills N]

Starts `rapport serve` on a fresh database with one active relationship,
and runs a write load: WRITERS threads, each over its own keep-alive
connection, POST notes and commitments as the guide or the learner and
remember every id the server answered 201 for. The server is killed with
SIGKILL at random moments (KILLS times; a sanitizer build, found by its
runtime in the binary, gets ASAN_KILLS) and started again on the same
database each time; the writers reconnect to the new server. A request cut
off by the kill has no answer and is not counted. Afterwards, with the
server stopped cleanly:

  - every acknowledged note and commitment is there, with the text it was
    written with (read back through the API by both parties), and no id was
    acknowledged twice (a lost write would free its id for the next one),
  - PRAGMA integrity_check says ok and PRAGMA foreign_key_check finds nothing,
  - the server answered nothing but 201 (no 5xx under the load),
  - no server life reported a sanitizer error,
  - and the test did test something: enough writes were acknowledged, and
    some requests were cut off by kills.

Python standard library only. Exits 0 when every check holds; prints a
summary line with the counts and timings, and the KILL9_SEED that repeats
the kill timings.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "api"))

from harness import SANITIZER_MARKERS, child_env, rapport_bin  # noqa: E402

KILLS = 60        # normal build: at least 50
ASAN_KILLS = 20   # sanitizer build: at least 10, it starts and runs slower
WRITERS = 6
ADMIN = ("admin@rapport.test", "kill nine admin password")
PASSWORD = "kill nine test password"


def is_sanitizer_build(path):
    with open(path, "rb") as f:
        return b"__asan_init" in f.read()  # linked in (clang) or imported (gcc)


class Server:
    """`rapport serve` on one database, started again after every kill."""

    def __init__(self, binary, workdir):
        self.bin = binary
        self.dir = workdir
        self.db = os.path.join(workdir, "k.db")
        self.proc = None
        self.port = None
        self.lives = 0
        self.generation = 0           # bumps on every start; writers watch it
        self.up = threading.Event()
        self.problems = []

    def cli(self, *args):
        p = subprocess.run([self.bin, *args], capture_output=True, text=True, env=child_env(),
                           stdin=subprocess.DEVNULL, timeout=120)
        if p.returncode != 0:
            raise RuntimeError(f"rapport {args[0]} exited {p.returncode}: {p.stdout}{p.stderr}")
        return p.stdout

    def start(self):
        self.lives += 1
        err = open(os.path.join(self.dir, f"stderr.{self.lives}.log"), "wb")
        self.proc = subprocess.Popen(
            [self.bin, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--threads", "4"],
            stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=child_env())
        err.close()
        line = self.proc.stdout.readline().decode("utf-8", "replace").strip()
        m = re.match(r"^Rapport is serving http://127\.0\.0\.1:(\d+)$", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"the server did not start (life {self.lives}): {line!r}\n"
                               f"{self.stderr(self.lives)}")
        self.port = int(m.group(1))
        self.generation += 1
        self.up.set()

    def kill(self):
        self.up.clear()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()
        self.check_stderr(self.lives)

    def stop(self):
        """SIGTERM; the last life must exit 0."""
        self.up.clear()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.problems.append("the server did not stop within 60 s of SIGTERM")
        self.proc.stdout.close()
        if self.proc.returncode != 0:
            self.problems.append(f"the server exited {self.proc.returncode} on SIGTERM")
        self.check_stderr(self.lives)

    def stderr(self, life):
        try:
            with open(os.path.join(self.dir, f"stderr.{life}.log"), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def check_stderr(self, life):
        text = self.stderr(life)
        if any(m in text for m in SANITIZER_MARKERS):
            self.problems.append(f"server life {life} reported:\n{text[-4000:]}")


def call(conn, method, path, body=None, token=None):
    """One request on conn; returns (status, json or None)."""
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=data, headers=headers)
    resp = conn.getresponse()
    raw = resp.read()
    try:
        return resp.status, json.loads(raw) if raw else None
    except ValueError:
        return resp.status, None


def setup(server):
    """An active relationship; returns (rel_id, guide (id, token), learner (id, token))."""
    ids = {}
    for who in ("guide", "learner"):
        out = server.cli("user", "add", "--db", server.db, "--email", f"{who}@rapport.test",
                         "--password", PASSWORD, "--name", who.title())
        ids[who] = int(re.search(r"\(id (\d+)\)", out).group(1))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)

    def ok(expect, method, path, body=None, token=None):
        status, out = call(conn, method, path, body, token)
        if status != expect:
            raise RuntimeError(f"{method} {path}: {status} {out}")
        return out

    def sign_in(email, password):
        return ok(201, "POST", "/api/v1/session", {"email": email, "password": password})["token"]

    admin = sign_in(*ADMIN)
    prog = ok(201, "POST", "/api/v1/programs", {"name": "Kill nine", "kind": "coaching"}, admin)
    for who in ("guide", "learner"):
        ok(201, "POST", f"/api/v1/programs/{prog['id']}/members",
           {"email": f"{who}@rapport.test", "name": who.title(), "role": who}, admin)
    rel = ok(201, "POST", "/api/v1/relationships",
             {"program_id": prog["id"], "guide_id": ids["guide"], "learner_id": ids["learner"]},
             admin)
    tokens = {}
    for who in ("guide", "learner"):
        tokens[who] = sign_in(f"{who}@rapport.test", PASSWORD)
        ok(200, "POST", f"/api/v1/relationships/{rel['id']}/transition", {"to": "active"},
           tokens[who])
    conn.close()
    return rel["id"], (ids["guide"], tokens["guide"]), (ids["learner"], tokens["learner"])


class Writer(threading.Thread):
    """POSTs notes and commitments until told to stop; keeps the ids
    acknowledged with 201, and counts requests cut off by kills."""

    def __init__(self, n, server, rel_id, guide, learner, stop):
        super().__init__(daemon=True)
        self.n = n
        self.server = server
        self.rel_id = rel_id
        self.parties = (guide, learner)
        self.stop = stop
        self.rng = random.Random(1000 + n)
        self.acked = {"note": [], "commitment": []}
        self.cut = 0
        self.unexpected = []
        self.due = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")

    def request(self, conn, i):
        (me_id, token), (other_id, _) = self.parties if i % 2 else self.parties[::-1]
        text = f"writer {self.n} write {i} " + "x" * self.rng.randrange(10, 3000)
        if self.rng.random() < 0.6:
            kind = "note"
            path = f"/api/v1/relationships/{self.rel_id}/notes"
            body = {"visibility": self.rng.choice(("private", "shared")), "text": text}
        else:
            kind = "commitment"
            path = f"/api/v1/relationships/{self.rel_id}/commitments"
            body = {"owner_id": self.rng.choice((me_id, other_id)), "text": text[:1900],
                    "due_at": self.due}
        status, out = call(conn, "POST", path, body, token)
        if status == 201 and out and isinstance(out.get("id"), int):
            self.acked[kind].append((out["id"], body["text"]))
        else:
            self.unexpected.append((status, out))

    def run(self):
        i = 0
        conn, gen = None, 0
        while not self.stop.is_set():
            if conn is None:
                if not self.server.up.wait(timeout=0.5):
                    continue
                gen = self.server.generation
                conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
            try:
                self.request(conn, i)
                i += 1
            except (OSError, http.client.HTTPException):
                self.cut += 1
                conn.close()
                conn = None
                # Do not spin on a dead port: wait for the next life (or a
                # second, should the connection have ended for another reason).
                deadline = time.monotonic() + 1.0
                while (self.server.generation == gen and not self.stop.is_set()
                       and time.monotonic() < deadline):
                    time.sleep(0.005)
        if conn is not None:
            conn.close()


def read_back(server, rel_id, guide, learner):
    """{kind: {id: text}} of what the server holds, through the API: the
    notes each party may read (private ones only their author) and the
    commitments, following the pages."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    held = {"note": {}, "commitment": {}}
    try:
        for kind, what, tokens in (("note", "notes", (guide[1], learner[1])),
                                   ("commitment", "commitments", (guide[1],))):
            for token in tokens:
                after = None
                while True:
                    q = f"?limit=100&after={after}" if after else "?limit=100"
                    status, page = call(conn, "GET", f"/api/v1/relationships/{rel_id}/{what}{q}",
                                        token=token)
                    if status != 200:
                        raise RuntimeError(f"reading {what} back: {status} {page}")
                    for item in page["items"]:
                        held[kind][item["id"]] = item["text"]
                    after = page["next"]
                    if after is None:
                        break
    finally:
        conn.close()
    return held


def verify(db, acked, held):
    """Problems found after the run, as text lines."""
    problems = []
    for kind, pairs in acked.items():
        ids = [i for i, _ in pairs]
        if len(set(ids)) != len(ids):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            problems.append(f"{kind} ids acknowledged twice: {twice[:20]}")
        lost = [i for i, _ in pairs if i not in held[kind]]
        if lost:
            problems.append(f"{len(lost)} acknowledged {kind}s are missing: ids {lost[:20]}")
        wrong = [i for i, text in pairs if i in held[kind] and held[kind][i] != text]
        if wrong:
            problems.append(f"{len(wrong)} acknowledged {kind}s read back with another text: "
                            f"ids {wrong[:20]}")
    con = sqlite3.connect(db, timeout=30)
    try:
        ic = con.execute("PRAGMA integrity_check").fetchall()
        if ic != [("ok",)]:
            problems.append(f"integrity_check: {ic[:10]}")
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:10]}")
    finally:
        con.close()
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    try:
        binary = rapport_bin()
    except RuntimeError as err:
        sys.exit(f"kill9: {err}")
    sanitized = is_sanitizer_build(binary)
    kills = args.kills or (ASAN_KILLS if sanitized else KILLS)
    # Time between a start and the kill: long enough for writes to be in
    # flight, random so the kill lands anywhere in a request.
    low, high = (0.15, 0.8) if sanitized else (0.05, 0.35)
    seed = int(os.environ.get("KILL9_SEED") or random.randrange(1, 10**9))
    rng = random.Random(seed)

    workdir = tempfile.mkdtemp(prefix="rapport-kill9-")
    server = Server(binary, workdir)
    t0 = time.monotonic()
    failed = []
    try:
        server.cli("init", "--db", server.db, "--admin-email", ADMIN[0], "--admin-password",
                   ADMIN[1], "--admin-name", "Site Admin")
        server.start()
        rel_id, guide, learner = setup(server)
        stop = threading.Event()
        writers = [Writer(n, server, rel_id, guide, learner, stop) for n in range(WRITERS)]
        for w in writers:
            w.start()
        restarts = []
        for _ in range(kills):
            time.sleep(rng.uniform(low, high))
            server.kill()
            t = time.monotonic()
            server.start()
            restarts.append(time.monotonic() - t)
        time.sleep(high)  # a last stretch of load on the last life
        stop.set()
        for w in writers:
            w.join(timeout=60)
        held = read_back(server, rel_id, guide, learner)
        server.stop()

        acked = {"note": [], "commitment": []}
        for w in writers:
            for kind in acked:
                acked[kind] += w.acked[kind]
        cut = sum(w.cut for w in writers)
        unexpected = [u for w in writers for u in w.unexpected]
        failed += server.problems
        failed += verify(server.db, acked, held)
        if unexpected:
            failed.append(f"{len(unexpected)} answers were not 201, e.g. {unexpected[:5]}")
        total = len(acked["note"]) + len(acked["commitment"])
        if total < 5 * kills:
            failed.append(f"only {total} writes were acknowledged over {kills} kills")
        if cut == 0:
            failed.append("no request was cut off by a kill: the kills missed the load")
        wall = time.monotonic() - t0
        print(f"kill9: {kills} kills ({'sanitizer' if sanitized else 'normal'} build, "
              f"KILL9_SEED={seed}), "
              f"{len(acked['note'])} notes and {len(acked['commitment'])} commitments "
              f"acknowledged; {cut} requests cut off by kills; restart "
              f"{1000 * sum(restarts) / len(restarts):.0f} ms on average, "
              f"{1000 * max(restarts):.0f} ms at most; {wall:.1f} s in all")
    except Exception as exc:  # a setup or start failure: report it as the failure
        failed.append(f"{type(exc).__name__}: {exc}")
        if server.proc and server.proc.poll() is None:
            server.proc.kill()
    if failed:
        print(f"kill9 FAILED (KILL9_SEED={seed}):\n  " + "\n  ".join(failed))
        print(f"(files kept in {workdir})")
        return 1
    if args.keep:
        print(f"(files kept in {workdir})")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
