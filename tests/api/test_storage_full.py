"""Disk full: a write that does not fit fails with a problem response,
leaves nothing half-written, reads go on working, and writes work again
once there is space (SECURITY.md, Reliability).

A full disk is simulated with SQLite's max_page_count, set on every
connection of the server by the dev-only route

    POST /api/v1/dev/storage-limit {"pages": N}   -> 200 {"pages": N}
                                   {"pages": 0}   lifts the cap

A cap below the database's current size holds it at its current size, so
{"pages": 1} means "not one page more".
"""

import random

from harness import ApiTestCase, sqlite_only

LIMIT = "/api/v1/dev/storage-limit"
# Incompressible text, so each note takes pages of its own.
_rng = random.Random(20260301)
BIG = "".join(_rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12000))


@sqlite_only("a full disk is simulated with SQLite's page cap")
class StorageFull(ApiTestCase):

    def integrity(self):
        return self.server.query("PRAGMA integrity_check")

    def note(self, pair, text, who=None):
        return self.post(f"/api/v1/relationships/{pair.rel_id}/notes",
                         {"visibility": "shared", "text": text}, who or pair.guide)

    def until_refused(self, attempt, tries=400):
        """Calls attempt() (one write request) until it is not a 201;
        returns that Response and the JSON of the writes that fitted. The
        refused attempt must leave the database exactly as it was."""
        fitted = []
        for _ in range(tries):
            before = self.server.snapshot()
            r = attempt()
            if r.status == 201:
                fitted.append(r.json)
                continue
            self.assertEqual(self.server.snapshot(), before,
                             "a refused write changed the database")
            return r, fitted
        self.fail(f"{tries} writes fitted under the cap")

    def fill(self, pair):
        """Big notes until one is refused (see until_refused)."""
        n = iter(range(10**6))
        return self.until_refused(lambda: self.note(pair, f"{next(n)} {BIG}"))

    def test_write_refused_when_full_leaves_nothing_and_recovers(self):
        pair = self.active_relationship()
        first = self.ok(self.note(pair, "Before the disk filled up"), 201)

        self.assertEqual(self.ok(self.post(LIMIT, {"pages": 1}, self.admin)), {"pages": 1})
        r, fitted = self.fill(pair)
        self.assertProblem(r, 507, "storage_full")
        self.assertEqual(self.integrity(), [("ok",)])

        # Another kind of write is refused the same way (once whatever room
        # the rolled-back note left is used), and changes nothing.
        commitment = {"owner_id": pair.learner.id, "text": BIG[:1500],
                      "due_at": self.at(days=7)}
        r, _ = self.until_refused(lambda: self.post(
            f"/api/v1/relationships/{pair.rel_id}/commitments", commitment, pair.learner), 50)
        self.assertProblem(r, 507, "storage_full")

        # Reads that open no text go on. (Reads of text write their
        # access-log rows, which need room too: the next test.)
        self.ok(self.get(f"/api/v1/relationships/{pair.rel_id}", pair.guide))
        self.assertEqual(self.integrity(), [("ok",)])

        # Space returns: everything that fitted is there, and writes work
        # again, on every server thread.
        self.assertEqual(self.ok(self.post(LIMIT, {"pages": 0}, self.admin)), {"pages": 0})
        page = self.ok(self.get(f"/api/v1/relationships/{pair.rel_id}/notes?limit=100",
                                pair.learner))
        self.assertEqual([n["id"] for n in page["items"]],
                         [first["id"]] + [n["id"] for n in fitted])
        self.assertEqual(self.ok(self.get(f"/api/v1/notes/{first['id']}", pair.learner))["text"],
                         "Before the disk filled up")
        after = [self.ok(self.note(pair, f"After {i} {BIG}"), 201)["id"] for i in range(6)]
        self.assertEqual(len(set(after)), 6)
        got = self.ok(self.get(f"/api/v1/notes/{after[-1]}", pair.learner))
        self.assertEqual(got["text"], f"After 5 {BIG}")
        self.assertEqual(self.integrity(), [("ok",)])

    def log_rows(self, subject):
        return self.server.query("SELECT count(*) FROM audit.access_log WHERE subject_id = ?",
                                 subject.id)[0][0]

    def test_a_read_whose_log_rows_do_not_fit_sends_no_text_and_recovers(self):
        pair = self.active_relationship()
        secret = "Only for the two of us: the reorganisation plan"
        self.ok(self.note(pair, secret), 201)
        path = f"/api/v1/relationships/{pair.rel_id}/notes"
        self.ok(self.get(path, pair.learner))  # the log has a row for the guide

        self.assertEqual(self.ok(self.post(LIMIT, {"pages": 1}, self.admin)), {"pages": 1})
        # Each read of the guide's note is a row in the guide's log, until
        # the log's file cannot grow: that read is refused, shows no text
        # and adds no row.
        for _ in range(2000):
            rows = self.log_rows(pair.guide)
            r = self.get(path, pair.learner)
            if r.status == 200:
                self.assertEqual(self.log_rows(pair.guide), rows + 1, "a read left no row")
                continue
            self.assertProblem(r, 507, "storage_full")
            self.assertNotIn(secret.encode(), r.body)
            self.assertEqual(self.log_rows(pair.guide), rows)
            break
        else:
            self.fail("2000 reads were logged under the cap")
        self.assertEqual(self.integrity(), [("ok",)])

        self.assertEqual(self.ok(self.post(LIMIT, {"pages": 0}, self.admin)), {"pages": 0})
        rows = self.log_rows(pair.guide)
        self.assertIn(secret, str(self.ok(self.get(path, pair.learner))))
        self.assertEqual(self.log_rows(pair.guide), rows + 1)
        status, out, _ = self.server.cli("audit", "verify", "--db", self.server.db)
        self.assertEqual(status, 0, out)

    def test_storage_limit_is_validated(self):
        for body, pointer in (({"pages": -1}, "/pages"), ({"pages": "10"}, "/pages"),
                              ({"pages": 4294967295}, "/pages"), ({}, "/pages"),
                              ({"pages": 0, "disk": "full"}, "/disk")):
            with self.unchanged():
                r = self.post(LIMIT, body, self.admin)
            self.assertProblem(r, 422, "validation", pointer)

    def test_storage_limit_needs_a_session(self):
        r = self.request("POST", LIMIT, {"pages": 1})
        self.assertProblem(r, 401)


@sqlite_only("a full disk is simulated with SQLite's page cap")
class StorageLimitWithoutDev(ApiTestCase):
    """`rapport serve` without --dev."""

    server_args = {"dev": False}

    def test_storage_limit_is_404_without_dev(self):
        with self.unchanged():
            r = self.post(LIMIT, {"pages": 1}, self.admin)
        self.assertProblem(r, 404, "not_found")
        # and writes are not capped
        self.ok(self.post("/api/v1/programs", {"name": "Still room", "kind": "coaching"},
                          self.admin), 201)
