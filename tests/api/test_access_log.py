"""The access log (SECURITY.md "Access log"; src/app/privacy/audit.c): every
opening of a person's confidential text is a row, committed before any of
the text is sent (a write's rows in its own transaction, a read's in the
log writer's next commit, which the answer waits for), that the person
reads at GET /api/v1/me/access-log; the
rows form a BLAKE2b-256 chain whose heads a job signs with Ed25519, and
`rapport audit verify` detects a changed, a deleted and an inserted row,
also when the attacker recomputes the hashes forward (only the signed heads
catch that).

Rules pinned down here: the subject of an entry is the other party of the
relationship (whose data the actor saw); a party's reading of any text of
their relationship, their own included, is logged for the other party, and
nobody's own log lists their own reads; admins open nothing and so cause no
entries. The log lives in its own SQLite file beside the database ("t.db" ->
"t.audit.db", attached as the schema `audit`), so a read of text writes that
file and never the main one, and `rapport db backup` copies both."""

import hashlib
import os
import shutil
import sqlite3
import struct
import threading
import time
import unittest

from flows import API, FlowTestCase, rel
from harness import PG_BASE, audit_path, pg_query, sqlite_only

LOG = f"{API}/me/access-log"


def audit_query(db, sql, *args):
    """Rows of a read-only query on the audit database of db (on PostgreSQL
    its schema `audit`, which pg_connect puts on the search path)."""
    if PG_BASE:
        return pg_query(db, sql, args)
    con = sqlite3.connect(f"file:{audit_path(db)}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def encode(row):
    """The canonical encoding of store/access_log.h, written independently."""
    def s(x):
        b = x.encode()
        return struct.pack(">I", len(b)) + b
    return (b"RAL1" + struct.pack(">qqq", row["seq"], row["at"], row["actor_id"])
            + s(row["action"]) + struct.pack(">qq", row["subject_id"], row["relationship_id"])
            + s(row["what"]) + s(row["purpose"]))


def row_hash(prev, row):
    return hashlib.blake2b(prev + encode(row), digest_size=32).digest()


class AccessLogCase(FlowTestCase):

    def named_pair(self, kind, guide_name, learner_name):
        """An active relationship between two named people."""
        program_id = self.program(kind)
        guide, learner = self.person(guide_name), self.person(learner_name)
        self.enroll(program_id, guide, "guide")
        self.enroll(program_id, learner, "learner")
        pair = type("P", (), {})()
        pair.program_id, pair.guide, pair.learner = program_id, guide, learner
        pair.rel_id = self.ok(self.post(f"{API}/relationships",
                                        {"program_id": program_id, "guide_id": guide.id,
                                         "learner_id": learner.id}, self.admin), 201)["id"]
        self.ok(self.transition(pair.rel_id, guide, "active"))
        self.ok(self.transition(pair.rel_id, learner, "active"))
        return pair

    def log_of(self, who):
        return self.items(LOG, who)


class WhoReadMyData(AccessLogCase):

    def test_guide_reading_notes_shows_in_the_learners_log_with_a_sentence(self):
        p = self.named_pair("mentoring", "Amara Okafor", "Ben Ito")
        self.note(p, p.learner, "shared", "What I am afraid of at work")
        before = self.log_of(p.learner)
        self.assertEqual(before, [])
        texts = [n["text"] for n in self.items(rel(p.rel_id, "/notes"), p.guide)]
        self.assertEqual(texts, ["What I am afraid of at work"])
        entries = self.log_of(p.learner)
        self.assertEqual(len(entries), 1, entries)
        e = entries[0]
        self.assertEqual(e["actor"], {"id": p.guide.id, "name": "Amara Okafor"})
        self.assertEqual(e["sentence"],
                         "Amara Okafor, your mentor, read notes in your mentoring relationship.")
        self.assertEqual((e["what"], e["why"], e["relationship_id"], e["at"]),
                         (["notes"], "shown in Rapport", p.rel_id, self.at()))
        self.assertEqual(sorted(e), ["actor", "at", "relationship_id", "sentence", "seq",
                                     "what", "why"])
        # The reader's own log lists nothing of their own reading.
        self.assertEqual(self.log_of(p.guide), [])

    def test_each_request_is_one_entry_naming_every_kind_it_opened(self):
        p = self.named_pair("coaching", "Chidi Obi", "Dana Roe")
        self.note(p, p.guide, "shared", "Prepare the talk")
        self.feedback(p, p.guide, "recognition", "task", "The talk went well")
        self.items(rel(p.rel_id, "/notes"), p.learner)
        self.items(rel(p.rel_id, "/feedback"), p.learner)
        entries = self.log_of(p.guide)
        self.assertEqual([(e["what"], e["sentence"]) for e in entries],
                         [(["notes"], "Dana Roe, your coachee, read notes in your coaching "
                                      "relationship."),
                          (["feedback"], "Dana Roe, your coachee, read feedback in your "
                                         "coaching relationship.")])
        self.assertLess(entries[0]["seq"], entries[1]["seq"])

    def test_reading_my_own_private_note_leaves_no_entry(self):
        # A private note is sealed with its author's own key and is nobody
        # else's data; an entry in the other party's log would tell them
        # that private notes exist.
        p = self.named_pair("mentoring", "Eve Park", "Finn Lund")
        self.note(p, p.guide, "private", "My own thoughts about Finn")
        self.assertEqual([n["text"] for n in self.items(rel(p.rel_id, "/notes"), p.guide)],
                         ["My own thoughts about Finn"])
        self.assertEqual(self.log_of(p.learner), [])
        self.assertEqual(self.log_of(p.guide), [])
        # a shared note read in the same list is logged as before
        self.note(p, p.guide, "shared", "Agenda for Thursday")
        self.items(rel(p.rel_id, "/notes"), p.guide)
        self.assertEqual([e["what"] for e in self.log_of(p.learner)], [["notes"]])

    def test_admins_read_nothing_and_cause_no_entries(self):
        p = self.named_pair("mentoring", "Gita Rao", "Hugo Varga")
        self.note(p, p.learner, "shared", "Private worries")
        padmin = self.program_admin(p.program_id)
        for who in (self.admin, padmin):
            self.assertEqual(self.get(rel(p.rel_id, "/notes"), who).status, 404)
            self.assertEqual(self.get(rel(p.rel_id, "/feedback"), who).status, 404)
        self.assertEqual(self.log_of(p.learner), [])
        self.assertEqual(self.log_of(p.guide), [])
        self.assertEqual(audit_query(self.server.db, "SELECT COUNT(*) FROM access_log "
                                     "WHERE relationship_id = ?", p.rel_id), [(0,)])

    def test_an_empty_read_opens_nothing_and_logs_nothing(self):
        p = self.named_pair("mentoring", "Ida Berg", "Jon Lee")
        self.assertEqual(self.items(rel(p.rel_id, "/notes"), p.guide), [])
        self.assertEqual(self.log_of(p.learner), [])

    def test_paging_follows_seq(self):
        p = self.named_pair("coaching", "Kai Moss", "Lia Noor")
        self.note(p, p.learner, "shared", "x")
        for _ in range(3):
            self.ok(self.get(rel(p.rel_id, "/notes"), p.guide))
        first = self.ok(self.get(f"{LOG}?limit=2", p.learner))
        self.assertEqual(len(first["items"]), 2)
        self.assertEqual(first["next"], first["items"][1]["seq"])
        rest = self.ok(self.get(f"{LOG}?limit=2&after={first['next']}", p.learner))
        self.assertEqual((len(rest["items"]), rest["next"]), (1, None))
        self.assertEqual(self.get(f"{LOG}?limit=x", p.learner).status, 400)
        self.assertEqual(self.get(LOG).status, 401)

    @sqlite_only("the audit database is a SQLite file of its own")
    def test_a_read_of_text_commits_to_the_audit_file_and_not_to_the_main_one(self):
        p = self.named_pair("coaching", "Ola Berg", "Per Lind")
        self.note(p, p.learner, "shared", "t")
        self.ok(self.get(rel(p.rel_id, "/notes"), p.guide))
        cons = [sqlite3.connect(f"file:{f}?mode=ro", uri=True, timeout=10)
                for f in (self.server.db, audit_path(self.server.db))]
        try:
            before = [c.execute("PRAGMA data_version").fetchone()[0] for c in cons]
            n = audit_query(self.server.db, "SELECT COUNT(*) FROM access_log")[0][0]
            self.ok(self.get(rel(p.rel_id, "/notes"), p.guide))
            after = [c.execute("PRAGMA data_version").fetchone()[0] for c in cons]
        finally:
            for c in cons:
                c.close()
        self.assertEqual(after[0], before[0])  # nobody committed to the main database
        self.assertNotEqual(after[1], before[1])
        self.assertEqual(audit_query(self.server.db, "SELECT COUNT(*) FROM access_log")[0][0],
                         n + 1)

    def chained_rows(self):
        """Every row, after checking seq 1, 2, ... and each hash link."""
        rows = audit_query(self.server.db, "SELECT seq, at, actor_id, action, subject_id,"
                           " relationship_id, what, purpose, prev_hash, hash FROM access_log"
                           " ORDER BY seq")
        prev = bytes(32)
        for i, r in enumerate(rows, 1):
            d = dict(zip(("seq", "at", "actor_id", "action", "subject_id", "relationship_id",
                          "what", "purpose"), r[:8]))
            self.assertEqual(d["seq"], i)
            self.assertEqual(bytes(r[8]), prev)
            self.assertEqual(bytes(r[9]), row_hash(prev, d))
            prev = bytes(r[9])
        return rows

    def test_rows_are_chained_and_written_with_the_read(self):
        p = self.named_pair("mentoring", "Mo Diaz", "Nia Holt")
        self.note(p, p.learner, "shared", "y")
        self.ok(self.get(rel(p.rel_id, "/notes"), p.guide))
        rows = self.chained_rows()
        self.assertEqual(rows[-1][2:8], (p.guide.id, "read", p.learner.id, p.rel_id, "notes",
                                         "shown in Rapport"))

    def test_concurrent_reads_are_each_one_row_of_one_chain_before_their_answer(self):
        p = self.named_pair("coaching", "Ivo Kern", "Uma Roy")
        self.note(p, p.learner, "shared", "z")
        mine = lambda: audit_query(self.server.db, "SELECT COUNT(*) FROM access_log"
                                   " WHERE subject_id = ?", p.learner.id)[0][0]
        before = mine()
        lock, answered, seen = threading.Lock(), [0], []

        def reader():
            for _ in range(20):
                r = self.get(rel(p.rel_id, "/notes"), p.guide)
                with lock:
                    answered[0] += 1
                    k = answered[0]
                # k answers have arrived, so at least k rows are committed
                seen.append((r.status, k, mine()))

        threads = [threading.Thread(target=reader) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted({st for st, _, _ in seen}), [200])
        self.assertEqual([(k, n) for _, k, n in seen if n < before + k], [])
        self.assertEqual(mine(), before + 160)
        rows = self.chained_rows()
        ours = [r for r in rows if r[4] == p.learner.id and r[5] == p.rel_id]
        self.assertEqual(len(ours), before + 160)


class StoppingUnderReads(AccessLogCase):
    """SIGTERM while reads wait for the log writer with their answers: the
    writer commits and releases what it holds before the HTTP daemon stops
    (which refuses to stop with answers still parked), the server exits 0,
    and every read that was answered has its row. This class stops its
    server, so it keeps to itself."""

    def test_a_stop_under_reads_exits_cleanly_with_every_answered_read_logged(self):
        p = self.named_pair("mentoring", "Rui Costa", "Ada Park")
        self.note(p, p.learner, "shared", "w")
        count = lambda: audit_query(self.server.db, "SELECT COUNT(*) FROM access_log"
                                    " WHERE subject_id = ?", p.learner.id)[0][0]
        before = count()
        lock, answered, done = threading.Lock(), [0], threading.Event()

        def reader():
            while not done.is_set():
                try:
                    r = self.get(rel(p.rel_id, "/notes"), p.guide)
                except OSError:
                    return  # the server has gone
                if r.status == 200:
                    with lock:
                        answered[0] += 1

        threads = [threading.Thread(target=reader) for _ in range(6)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while answered[0] < 200 and time.monotonic() < deadline:
            time.sleep(0.01)
        problems = self.server.stop()
        done.set()
        for t in threads:
            t.join()
        self.assertEqual(problems, "")
        self.server.proc = None  # stopped on purpose: not an exit for tearDown to report
        self.assertGreaterEqual(answered[0], 200)
        self.assertGreaterEqual(count() - before, answered[0])
        code, out, err = self.server.cli("audit", "verify", "--db", self.server.db, check=False)
        self.assertEqual(code, 0, out + err)


class SigningJob(AccessLogCase):
    """The jobs sign the head when it moved and the last signed head is at
    least five minutes old (APP_AUDIT_SIGN_EVERY_S); this class moves the
    clock, so it keeps to itself."""

    def heads(self):
        return audit_query(self.server.db, "SELECT seq, signed_at, length(signature),"
                           " length(public_key) FROM access_log_heads ORDER BY seq")

    def test_heads_are_signed_every_five_minutes_when_the_log_moved(self):
        p = self.named_pair("mentoring", "Quinn Ash", "Rosa Bell")
        self.note(p, p.learner, "shared", "v")
        self.assertEqual(self.heads(), [])
        self.ok(self.get(rel(p.rel_id, "/notes"), p.guide))
        self.run_jobs()
        head = audit_query(self.server.db, "SELECT MAX(seq) FROM access_log")[0][0]
        t0 = int(self.now().timestamp())
        self.assertEqual(self.heads(), [(head, t0, 64, 32)])
        # The log moves, but the last head is younger than five minutes.
        self.advance(minutes=4)
        self.ok(self.get(rel(p.rel_id, "/notes"), p.guide))
        self.run_jobs()
        self.assertEqual(len(self.heads()), 1)
        self.advance(minutes=1)
        self.run_jobs()
        head2 = audit_query(self.server.db, "SELECT MAX(seq) FROM access_log")[0][0]
        self.assertEqual(self.heads()[1:], [(head2, t0 + 300, 64, 32)])
        # Nothing new: no new head, however much time passes.
        self.advance(minutes=10)
        self.run_jobs()
        self.assertEqual(len(self.heads()), 2)


@sqlite_only("tampers with copies of the SQLite files, as an attacker with them would")
class Verify(AccessLogCase):
    """`rapport audit verify` on copies of a log with signed heads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        p = h.named_pair("mentoring", "Olu Ade", "Pia Sand")
        h.note(p, p.learner, "shared", "z")
        h.note(p, p.guide, "shared", "w")
        for who in (p.guide, p.learner, p.guide, p.learner, p.guide):
            h.ok(h.get(rel(p.rel_id, "/notes"), who))
        h.run_jobs()  # signs the head (seq 5)
        cls.rows = 5

    def copy(self, name):
        """A copy of the live database, its audit database and its key, as an
        attacker's files."""
        d = self.server.dir
        dst = os.path.join(d, f"{name}.db")
        for a, b in ((self.server.db, dst), (audit_path(self.server.db), audit_path(dst))):
            src = sqlite3.connect(a)
            out = sqlite3.connect(b)
            src.backup(out)
            src.close()
            out.close()
        shutil.copy(os.path.join(d, "t.key"), os.path.join(d, f"{name}.key"))
        return dst

    def verify(self, db, *extra):
        return self.server.cli("audit", "verify", "--db", db, *extra, check=False)

    def tamper(self, db, *sql):
        """Runs sql with the append-only triggers dropped, as an attacker with
        the file would."""
        con = sqlite3.connect(audit_path(db))
        for t in ("access_log_no_update", "access_log_no_delete"):
            con.execute(f"DROP TRIGGER {t}")
        for stmt in sql:
            con.execute(stmt)
        con.commit()
        con.close()

    def rows_of(self, db):
        con = sqlite3.connect(audit_path(db))
        rows = con.execute("SELECT seq, at, actor_id, action, subject_id, relationship_id,"
                           " what, purpose FROM access_log ORDER BY seq").fetchall()
        con.close()
        keys = ("seq", "at", "actor_id", "action", "subject_id", "relationship_id", "what",
                "purpose")
        return [dict(zip(keys, r)) for r in rows]

    def rechain(self, db):
        """Recomputes every prev_hash and hash from the first row."""
        rows = self.rows_of(db)
        con = sqlite3.connect(audit_path(db))
        prev = bytes(32)
        for r in rows:
            h = row_hash(prev, r)
            con.execute("UPDATE access_log SET prev_hash = ?, hash = ? WHERE seq = ?",
                        (prev, h, r["seq"]))
            prev = h
        con.commit()
        con.close()

    def test_an_untouched_log_verifies(self):
        code, out, err = self.verify(self.copy("intact"))
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"^\d+ entries, 1 signed heads, chain intact "
                              r"\(1 heads signed by this key file's signing key\)")
        self.assertGreaterEqual(int(out.split()[0]), self.rows)

    def test_a_changed_row_is_detected(self):
        db = self.copy("changed")
        self.tamper(db, "UPDATE access_log SET what = 'goals' WHERE seq = 2")
        code, out, err = self.verify(db)
        self.assertEqual(code, 1, out)
        self.assertIn("sequence 2: its hash does not match its fields", err)

    def test_a_deleted_row_is_detected(self):
        db = self.copy("deleted")
        self.tamper(db, "DELETE FROM access_log WHERE seq = 3")
        code, out, err = self.verify(db)
        self.assertEqual(code, 1, out)
        self.assertIn("sequence 3 is missing", err)

    def test_an_inserted_row_is_detected(self):
        db = self.copy("inserted")
        # Make room at seq 3 by moving the later rows up, then insert a row
        # with a hash chained correctly to row 2.
        rows = self.rows_of(db)
        con = sqlite3.connect(audit_path(db))
        prev2 = con.execute("SELECT hash FROM access_log WHERE seq = 2").fetchone()[0]
        con.close()
        fake = dict(rows[2], seq=3, what="agreement")
        self.tamper(db, *[f"UPDATE access_log SET seq = seq + 1 WHERE seq = {s}"
                          for s in range(len(rows), 2, -1)])
        con = sqlite3.connect(audit_path(db))
        con.execute("INSERT INTO access_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (3, fake["at"], fake["actor_id"], fake["action"], fake["subject_id"],
                     fake["relationship_id"], fake["what"], fake["purpose"], prev2,
                     row_hash(bytes(prev2), fake)))
        con.commit()
        con.close()
        code, out, err = self.verify(db)
        self.assertEqual(code, 1, out)
        self.assertIn("sequence 4: its previous hash is not the hash of the row before it", err)

    def test_a_change_with_hashes_recomputed_forward_is_caught_by_the_signed_head(self):
        db = self.copy("rechained")
        self.tamper(db, "UPDATE access_log SET actor_id = 1 WHERE seq = 2")
        self.rechain(db)
        code, out, err = self.verify(db)
        self.assertEqual(code, 1, out)
        self.assertIn("sequence 5: its hash differs from the signed head", err)

    def test_a_deletion_with_hashes_recomputed_forward_is_caught_by_the_signed_head(self):
        db = self.copy("deleted-rechained")
        n = len(self.rows_of(db))
        self.tamper(db, "DELETE FROM access_log WHERE seq = 1",
                    *[f"UPDATE access_log SET seq = seq - 1 WHERE seq = {s}"
                      for s in range(2, n + 1)])
        self.rechain(db)
        code, out, err = self.verify(db)
        self.assertEqual(code, 1, out)
        self.assertIn("sequence 5", err)

    def test_heads_signed_by_another_key_are_refused_given_the_key_file(self):
        # An attacker can sign heads with a key pair of their own and store
        # its public key beside them: such heads verify against the stored
        # key, and only the installation's key file tells them apart. Here
        # the roles are swapped (the same check): the copy's genuine heads
        # against the key file of another installation.
        db = self.copy("foreign")
        other = os.path.join(self.server.dir, "other.db")
        self.server.cli("init", "--db", other, "--admin-email", "x@rapport.test",
                        "--admin-password", "another admin password")
        code, out, err = self.verify(db, "--key", os.path.join(self.server.dir, "other.key"))
        self.assertEqual(code, 1, out)
        self.assertIn("no signed head is signed by this key file's signing key", err)

    def test_a_head_with_a_broken_signature_is_detected(self):
        db = self.copy("badsig")
        con = sqlite3.connect(audit_path(db))
        con.execute("DROP TRIGGER access_log_heads_no_update")
        con.execute("UPDATE access_log_heads SET signed_at = signed_at + 1")
        con.commit()
        con.close()
        code, out, err = self.verify(db)
        self.assertEqual(code, 1, out)
        self.assertIn("the signature of the head signed at this sequence is not valid", err)

    def test_the_tables_refuse_update_and_delete(self):
        for sql in ("UPDATE access_log SET what = 'x'", "DELETE FROM access_log",
                    "UPDATE access_log_heads SET signed_at = 0", "DELETE FROM access_log_heads"):
            con = sqlite3.connect(audit_path(self.server.db))
            with self.assertRaisesRegex(sqlite3.IntegrityError, "append-only"):
                con.execute(sql)
            con.close()

    def test_the_log_is_in_the_audit_file_and_a_backup_takes_it_along(self):
        self.assertEqual(self.server.query(
            "SELECT name FROM sqlite_master WHERE name LIKE 'access_log%'"), [])
        n = audit_query(self.server.db, "SELECT COUNT(*) FROM access_log")[0][0]
        self.assertGreaterEqual(n, self.rows)
        to = os.path.join(self.server.dir, "backup.db")
        self.server.cli("db", "backup", "--db", self.server.db, "--to", to)
        self.assertEqual(audit_query(to, "SELECT COUNT(*) FROM access_log")[0][0], n)
        shutil.copy(os.path.join(self.server.dir, "t.key"),
                    os.path.join(self.server.dir, "backup.key"))
        code, out, err = self.verify(to)
        self.assertEqual(code, 0, err)
        self.assertRegex(out, rf"^{n} entries, 1 signed heads, chain intact")


if __name__ == "__main__":
    unittest.main()
