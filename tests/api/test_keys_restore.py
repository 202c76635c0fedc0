"""The key hierarchy end to end (src/app/privacy/crypt.c, `rapport keys`, `rapport
db restore`).

Rules pinned down here:
- a backup restored after a relationship was deleted does not bring its
  text back: `rapport db restore` replays the destroyed-key log beside the
  key file (t.destroyed), which destroys the relationship's keys, text and
  row in the restored copy; the other relationships read as before;
- `rapport keys rotate --wrap --data` while the server runs: new writes use
  data-key version 2 at once, and the server's job re-encrypts the older
  rows when it runs (at start), after which nothing is left on version 1
  and everything reads as before.
"""

import os
import re
import time

from flows import API, FlowTestCase, rel
from harness import PG_BASE


def restart(server):
    """Starts `rapport serve` again on the server's existing database."""
    server.launch(append=True)


def key_version(blob):
    """The data-key version in a sealed blob's header (format 2)."""
    assert blob[0] == 2, blob[:5]
    return int.from_bytes(blob[1:5], "big")


class RestoredBackup(FlowTestCase):

    def test_a_restored_backup_does_not_decrypt_a_deleted_relationship(self):
        gone, kept = self.active_relationship(), self.active_relationship()
        self.note(gone, gone.learner, "shared", "RESTORE-GONE what I told my guide")
        self.note(gone, gone.guide, "private", "RESTORE-GONE-PRIVATE my worry")
        kept_note = self.note(kept, kept.learner, "shared", "RESTORE-KEPT still mine")
        kept_private = self.note(kept, kept.guide, "private", "RESTORE-KEPT-PRIVATE mine too")
        sealed = [bytes(r[0]) for r in self.server.query(
            "SELECT text_ct FROM notes WHERE relationship_id = ?", gone.rel_id)]
        self.assertEqual(len(sealed), 2)
        backup = os.path.join(self.server.dir, "backup.db")
        self.server.cli("db", "backup", "--db", self.server.db, "--to", backup)

        self.ok(self.transition(gone.rel_id, gone.learner, "ended", reason="Done."))
        self.ok(self.confirm(gone.learner))
        self.assertEqual(self.delete(rel(gone.rel_id), gone.learner).status, 204)
        log = os.path.join(self.server.dir, "t.destroyed")
        with open(log) as f:
            ids = f.read().split()
        self.assertEqual(len(ids), 2)  # the shared key and the guide's own key
        self.assertTrue(all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids), ids)

        # The backup still holds the keys and the text (that is the point;
        # pg_dump's custom format compresses them, so only SQLite's shows).
        if not PG_BASE:
            with open(backup, "rb") as f:
                old = f.read()
            for blob in sealed:
                self.assertIn(blob, old)

        self.assertEqual(self.server.stop(), "")
        self.server.cli("db", "restore", "--from", backup, "--db", self.server.db)
        if not PG_BASE:
            with open(self.server.db, "rb") as f:
                raw = f.read()
            for blob in sealed:
                self.assertNotIn(blob, raw)
            for text in ("RESTORE-GONE", "RESTORE-KEPT"):
                self.assertNotIn(text.encode(), raw)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM data_keys WHERE relationship_id = ?", gone.rel_id)[0][0], 0)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM notes WHERE relationship_id = ?", gone.rel_id)[0][0], 0)

        restart(self.server)
        for who in (gone.guide, gone.learner):
            self.assertProblem(self.get(rel(gone.rel_id), who), 404, "not_found")
            self.assertProblem(self.get(rel(gone.rel_id, "/notes"), who), 404, "not_found")
        self.assertEqual(self.ok(self.get(f"{API}/notes/{kept_note['id']}", kept.guide))["text"],
                         "RESTORE-KEPT still mine")
        self.assertEqual(
            self.ok(self.get(f"{API}/notes/{kept_private['id']}", kept.guide))["text"],
            "RESTORE-KEPT-PRIVATE mine too")


class Rotation(FlowTestCase):

    def status(self):
        return self.server.cli("keys", "status", "--db", self.server.db)[1]

    def test_rotating_while_serving_then_the_job_reencrypts(self):
        pair = self.active_relationship()
        notes = [self.note(pair, pair.learner, "shared", f"ROTATE note {i}") for i in range(3)]
        private = self.note(pair, pair.guide, "private", "ROTATE private")
        q = self.ask(pair, pair.learner, "ROTATE can we meet")
        fb = self.feedback(pair, pair.guide, "recognition", "task", "ROTATE well done")
        self.assertEqual(key_version(bytes(self.server.query(
            "SELECT text_ct FROM notes WHERE id = ?", notes[0]["id"])[0][0])), 1)

        out = self.server.cli("keys", "rotate", "--db", self.server.db, "--wrap", "--data")[1]
        self.assertIn("re-wrapped", out)
        self.assertIn("Data-key version 2", out)
        fresh = self.note(pair, pair.learner, "shared", "ROTATE after")
        self.assertEqual(key_version(bytes(self.server.query(
            "SELECT text_ct FROM notes WHERE id = ?", fresh["id"])[0][0])), 2)
        self.assertRegex(self.status(), r"on older versions: +[1-9]")

        self.assertEqual(self.server.stop(), "")
        restart(self.server)  # the jobs run at start
        deadline = time.monotonic() + 20
        while "re-encryption:         done" not in self.status() and time.monotonic() < deadline:
            time.sleep(0.2)
        text = self.status()
        self.assertIn("re-encryption:         done", text)
        self.assertRegex(text, r"on older versions: +0 ")
        self.assertRegex(text, r"wrapping key version: +2")
        for row in self.server.query(
                "SELECT text_ct FROM notes WHERE relationship_id = ?", pair.rel_id):
            self.assertEqual(key_version(bytes(row[0])), 2)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM data_keys WHERE version = 1")[0][0], 0)

        for i, n in enumerate(notes):
            self.assertEqual(self.ok(self.get(f"{API}/notes/{n['id']}", pair.guide))["text"],
                             f"ROTATE note {i}")
        self.assertEqual(self.ok(self.get(f"{API}/notes/{private['id']}", pair.guide))["text"],
                         "ROTATE private")
        self.assertEqual(self.ok(self.get(f"{API}/requests/{q['id']}", pair.guide))["text"],
                         "ROTATE can we meet")
        items = self.ok(self.get(rel(pair.rel_id, "/feedback"), pair.learner))["items"]
        self.assertEqual([x["text"] for x in items if x["id"] == fb["id"]], ["ROTATE well done"])
