"""Confidentiality: what the pair writes is stored sealed and read only by
the pair.

Known plaintexts go into every confidential field (notes private and
shared, feedback, requests and replies, the agreement's texts, the goal's
texts and levels, a milestone title, a commitment text, a transition
reason). Then: none of them is in the database file or its write-ahead log
(while a non-confidential name written at the same time is, so the check
can see what is stored), nor, for texts written last, in the write-ahead
log read while the server runs and in a backup made by `rapport db
backup`, in UTF-8 or UTF-16; the site admin and an admin of the program get 404
on every content route and see only metadata in the relationship and its
events; the other party never sees a private note.
"""

import os
import re
import unittest

from flows import API, FlowTestCase, rel
from routes_table import World
from harness import sqlite_only

# Each confidential text carries a unique marker; the rest of each text is
# ordinary words so that the sealing is tested on realistic input too.
SECRETS = {
    "note_private": "Private note QX7-NOTEPRIV: worried about the reorg.",
    "note_shared": "Shared note QX7-NOTESHARED: agenda for Tuesday.",
    "note_private_learner": "Learner's private QX7-NOTELEARNER: ask for a raise.",
    "feedback": "Feedback QX7-FEEDBACK: you interrupted twice.",
    "feedback_ask": "Ask QX7-FEEDASK: was I clear enough?",
    "request": "Request QX7-REQUEST: can we move Friday?",
    "reply": "Reply QX7-REPLY: yes, to Monday.",
    "purpose": "Purpose QX7-PURPOSE: prepare for the promotion panel.",
    "channel": "Channel QX7-CHANNEL",
    "confidentiality": "Terms QX7-CONFTERMS: nothing leaves this room.",
    "boundaries": "Boundaries QX7-BOUNDS: no talk of salaries.",
    "feedback_preferences": "Preferences QX7-FEEDPREF: written first.",
    "goal_title": "Goal QX7-GOALTITLE",
    "goal_specific": "Specific QX7-SPECIFIC: chair the panel prep",
    "goal_measurable": "Measurable QX7-MEASURE: three mock panels",
    "goal_achievable": "Achievable QX7-ACHIEVE: with HR's help",
    "goal_relevant": "Relevant QX7-RELEVANT: the panel is in June",
    "goal_level": "Level QX7-LEVELTWO: passes the panel",
    "milestone": "Milestone QX7-MILESTONE",
    "commitment": "Commitment QX7-COMMIT: book the mock panel",
    "reason": "Reason QX7-PAUSEREASON: surgery next week",
    "unicode": "Ünïcödé QX7-UNICODE: naïve café, 東京",
}
MARKER = re.compile(rb"QX7-[A-Z]+")


class Confidentiality(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.pair = p = h.active_relationship()
        cls.program_admin_ = h.program_admin(p.program_id)
        cls.stranger_ = h.stranger()
        # A non-confidential name stored in plain text at the same time: the
        # byte check below must find it, or it is not looking at the data.
        cls.visible_name = "Visible Name QX8-PLAIN"
        h.enroll(p.program_id, h.person(cls.visible_name), "learner")
        g, l, s = p.guide, p.learner, SECRETS
        cls.ids = ids = {}
        ids["note_private"] = h.note(p, g, "private", s["note_private"])["id"]
        ids["note_shared"] = h.note(p, g, "shared", s["note_shared"])["id"]
        ids["note_private_learner"] = h.note(p, l, "private", s["note_private_learner"])["id"]
        ids["note_unicode"] = h.note(p, l, "shared", s["unicode"])["id"]
        h.feedback(p, g, "constructive", "person", s["feedback"])
        h.feedback(p, l, "ask", text=s["feedback_ask"])
        ids["request"] = h.ask(p, l, s["request"])["id"]
        h.reply(ids["request"], g, s["reply"])
        ids["open_request"] = h.ask(p, g, s["request"] + " (second)")["id"]
        h.put_agreement(p, g, purpose=s["purpose"], channels=[s["channel"]],
                        confidentiality=s["confidentiality"], boundaries=s["boundaries"],
                        feedback_preferences=s["feedback_preferences"])
        goal = h.add_goal(p, l, s["goal_title"], specific=s["goal_specific"],
                          measurable=s["goal_measurable"], achievable=s["goal_achievable"],
                          relevant=s["goal_relevant"], levels={"2": s["goal_level"]})
        ids["goal"] = goal["id"]
        ids["milestone"] = h.add_milestone(goal["id"], g, s["milestone"])["id"]
        h.review(p, g, {goal["id"]: 1})
        ids["commitment"] = h.commit(p, l, l, s["commitment"], h.at(days=3))["id"]
        ids["checkin"] = h.schedule(p, g, h.at(days=2))["id"]
        h.ok(h.transition(p.rel_id, l, "paused", reason=s["reason"]))
        h.ok(h.transition(p.rel_id, g, "active"))

    def test_no_plaintext_in_the_database_or_its_log(self):
        files = self.server.file_bytes()
        self.assertIn("db", files)
        both = b"".join(files.values())
        self.assertIn(self.visible_name.encode(), both,
                      "the plain name must be found, or the check sees nothing")
        for name, data in files.items():
            for key, text in SECRETS.items():
                with self.subTest(file=name, secret=key):
                    raw = text.encode("utf-8")
                    self.assertNotIn(raw, data)
                    # Nor any recognisable part of it.
                    self.assertNotIn(MARKER.search(raw).group(0), data)
                    self.assertNotIn(text.encode("utf-16-le"), data)
            self.assertEqual(MARKER.findall(data), [], name)

    def test_parties_read_the_texts_back(self):
        p, s = self.pair, SECRETS
        agreement = self.ok(self.get(rel(p.rel_id, "/agreement"), p.learner))["latest"]
        self.assertEqual((agreement["purpose"], agreement["channels"], agreement["boundaries"]),
                         (s["purpose"], [s["channel"]], s["boundaries"]))
        goal = self.ok(self.get(f"{API}/goals/{self.ids['goal']}", p.guide))
        self.assertEqual((goal["title"], goal["levels"]["2"], goal["milestones"][0]["title"]),
                         (s["goal_title"], s["goal_level"], s["milestone"]))
        self.assertEqual(self.ok(self.get(f"{API}/notes/{self.ids['note_unicode']}",
                                          p.guide))["text"], s["unicode"])
        req = self.ok(self.get(f"{API}/requests/{self.ids['request']}", p.learner))
        self.assertEqual((req["text"], req["reply"]), (s["request"], s["reply"]))
        reasons = [e.get("reason") for e in self.events(p.rel_id, p.guide)]
        self.assertIn(s["reason"], reasons)

    def content_routes(self, who):
        """One request per content route, each with a valid body, so that
        the only reason to refuse is who asks."""
        p, ids, soon = self.pair, self.ids, self.at(days=5)
        r = p.rel_id
        return [
            lambda: self.get(rel(r, "/agreement"), who),
            lambda: self.get(rel(r, "/agreement/versions"), who),
            lambda: self.put(rel(r, "/agreement"), {"purpose": "x", "cadence_days": 7,
                                                    "channels": ["x"], "reply_window_hours": 24,
                                                    "confidentiality": "x"}, who),
            lambda: self.post(rel(r, "/agreement/acknowledge"), {"version": 1}, who),
            lambda: self.get(rel(r, "/checkins"), who),
            lambda: self.post(rel(r, "/checkins"), {"scheduled_at": soon}, who),
            lambda: self.get(rel(r, "/commitments"), who),
            lambda: self.get(rel(r, "/commitments?state=open"), who),
            lambda: self.post(rel(r, "/commitments"), {"owner_id": p.learner.id, "text": "x",
                                                       "due_at": soon}, who),
            lambda: self.get(rel(r, "/goals"), who),
            lambda: self.post(rel(r, "/goals"), {"title": "x"}, who),
            lambda: self.get(rel(r, "/goal-reviews"), who),
            lambda: self.post(rel(r, "/goal-reviews"), {"levels": {str(ids["goal"]): 0}}, who),
            lambda: self.get(rel(r, "/requests"), who),
            lambda: self.post(rel(r, "/requests"), {"text": "x"}, who),
            lambda: self.get(rel(r, "/feedback"), who),
            lambda: self.post(rel(r, "/feedback"), {"kind": "ask"}, who),
            lambda: self.get(rel(r, "/notes"), who),
            lambda: self.post(rel(r, "/notes"), {"visibility": "shared", "text": "x"}, who),
            lambda: self.get(f"{API}/checkins/{ids['checkin']}", who),
            lambda: self.post(f"{API}/checkins/{ids['checkin']}/outcome",
                              {"outcome": "mutual_cancel"}, who),
            lambda: self.get(f"{API}/commitments/{ids['commitment']}", who),
            lambda: self.post(f"{API}/commitments/{ids['commitment']}/outcome",
                              {"outcome": "dropped"}, who),
            lambda: self.get(f"{API}/goals/{ids['goal']}", who),
            lambda: self.post(f"{API}/goals/{ids['goal']}/status", {"status": "dropped"}, who),
            lambda: self.post(f"{API}/goals/{ids['goal']}/milestones", {"title": "x"}, who),
            lambda: self.post(f"{API}/milestones/{ids['milestone']}/reached", {}, who),
            lambda: self.get(f"{API}/requests/{ids['request']}", who),
            lambda: self.post(f"{API}/requests/{ids['open_request']}/reply", {"text": "x"}, who),
            lambda: self.get(f"{API}/notes/{ids['note_private']}", who),
            lambda: self.get(f"{API}/notes/{ids['note_shared']}", who),
        ]

    def test_admins_and_strangers_get_404_on_every_content_route(self):
        for label, who in (("site admin", self.admin), ("program admin", self.program_admin_),
                           ("stranger", self.stranger_)):
            with self.subTest(label):
                with self.unchanged():
                    responses = [send() for send in self.content_routes(who)]
                for r in responses:
                    self.assertProblem(r, 404, "not_found")
                    self.assertEqual(MARKER.findall(r.body), [], r)
        # The same routes work for a party, so the 404s are about who asks.
        for send in self.content_routes(self.pair.learner)[:2]:
            self.ok(send())

    def test_admins_see_metadata_only(self):
        p = self.pair
        for who in (self.admin, self.program_admin_):
            with self.subTest(who.email):
                r = self.get(rel(p.rel_id), who)
                got = self.ok(r)
                self.assertEqual(sorted(got), ["accepted", "agreement", "counts", "guide_id", "id",
                                               "learner_id", "my_role", "program_id",
                                               "proposed_at", "proposed_by", "state",
                                               "state_since"])
                self.assertEqual(got["my_role"], "admin")
                # notes: the shared ones only; private notes leave admins no trace.
                self.assertEqual(got["counts"], {"checkins": 1, "checkins_held": 0,
                                                 "commitments": 1, "commitments_open": 1,
                                                 "goals": 1, "notes": 2, "feedback": 2,
                                                 "requests": 2})
                self.assertEqual(got["agreement"], {"latest_version": 1, "in_force_version": 0})
                self.assertEqual(MARKER.findall(r.body), [])
                evs = self.get(rel(p.rel_id, "/events"), who)
                self.assertEqual(MARKER.findall(evs.body), [])
                for e in self.events(p.rel_id, who):
                    self.assertEqual(sorted(set(e) - {"from", "to"}),
                                     ["actor_id", "at", "id", "kind", "recorded_at",
                                      "subject_id"], e)
                for path in (f"{API}/programs/{p.program_id}/relationships",
                             f"{API}/programs/{p.program_id}", f"{API}/me"):
                    r = self.get(path, who)
                    self.ok(r)
                    self.assertEqual(MARKER.findall(r.body), [], path)

    def test_the_other_party_never_sees_a_private_note(self):
        p, ids = self.pair, self.ids
        for reader, hidden, own in ((p.learner, ids["note_private"], ids["note_private_learner"]),
                                    (p.guide, ids["note_private_learner"], ids["note_private"])):
            listed = self.items(rel(p.rel_id, "/notes"), reader)
            self.assertNotIn(hidden, [n["id"] for n in listed])
            self.assertIn(own, [n["id"] for n in listed])
            self.assertIn(ids["note_shared"], [n["id"] for n in listed])
            r = self.get(f"{API}/notes/{hidden}", reader)
            self.assertProblem(r, 404, "not_found")
            body = b"".join(self.get(rel(p.rel_id, "/notes") + q, reader).body
                            for q in ("", "?limit=1", f"?after={hidden - 1}"))
            secret = SECRETS["note_private" if hidden == ids["note_private"]
                             else "note_private_learner"]
            self.assertNotIn(secret.encode(), body + r.body)
            self.assertEqual(self.ok(self.get(f"{API}/notes/{own}", reader))["readable_by"],
                             [reader.id])

    def test_the_events_carry_no_text_but_the_reason_for_the_pair(self):
        p = self.pair
        for who in (p.guide, p.learner):
            body = self.get(rel(p.rel_id, "/events"), who).body
            self.assertEqual(set(MARKER.findall(body)), {b"QX7-PAUSEREASON"})


@sqlite_only("reads the SQLite files, their WAL and a backup file")
class RawFiles(FlowTestCase):
    """Its own server: what it writes must not change the counts the class
    above checks."""

    def test_fresh_texts_are_sealed_in_the_wal_and_in_a_backup(self):
        """Notes, feedback, requests and replies written just now, read from
        the write-ahead log while the server runs (before any checkpoint
        could move them into the database file), then from a backup made
        by `rapport db backup` while it still runs: none of the texts, in
        UTF-8 or UTF-16, in any of them. A plain name written last must be
        in the log and in the backup, or the check is not looking at the
        fresh pages."""
        p = self.active_relationship()
        fresh = {
            "note_private": "Fresh private QX7-FRESHNOTEPRIV: my manager shouts at me.",
            "note_shared": "Fresh shared QX7-FRESHNOTESHARED: read the chapter on delegation.",
            "feedback": "Fresh feedback QX7-FRESHFEEDBACK: the demo ran long.",
            "request": "Fresh request QX7-FRESHREQUEST: could you review my CV?",
            "reply": "Fresh reply QX7-FRESHREPLY: gladly, send it by Friday.",
            "unicode": "Frisch QX7-FRESHUNICODE: Größe, 東京, ñandú",
        }
        self.note(p, p.learner, "private", fresh["note_private"])
        self.note(p, p.guide, "shared", fresh["note_shared"])
        self.note(p, p.guide, "shared", fresh["unicode"])
        self.feedback(p, p.guide, "constructive", "task", fresh["feedback"])
        req = self.ask(p, p.learner, fresh["request"])["id"]
        self.reply(req, p.guide, fresh["reply"])
        plain = "Plainly Named QX8-FRESHPLAIN"
        self.enroll(p.program_id, self.person(plain), "learner")
        wal = self.server.file_bytes().get("wal")
        self.assertIsNotNone(wal, "the server keeps a write-ahead log")
        backup_path = os.path.join(self.server.dir, "backup.db")
        self.server.cli("db", "backup", "--db", self.server.db, "--to", backup_path)
        self.assertFalse(os.path.exists(backup_path + "-wal"))
        with open(backup_path, "rb") as f:
            backup = f.read()
        for name, data in (("wal", wal), ("backup", backup)):
            self.assertTrue(plain.encode() in data, f"the plain name is not in the {name}")
            for key, text in fresh.items():
                with self.subTest(file=name, secret=key):
                    for form in (text.encode("utf-8"), text.encode("utf-16-le"),
                                 text.encode("utf-16-be"),
                                 MARKER.search(text.encode()).group(0)):
                        # assertNotIn would print the whole file.
                        self.assertFalse(form in data, f"{form!r} is in the {name}")
            self.assertEqual(MARKER.findall(data), [], name)
        # The parties still read every fresh text back.
        notes = [n["text"] for n in self.items(rel(p.rel_id, "/notes"), p.learner)]
        self.assertIn(fresh["note_private"], notes)
        self.assertIn(fresh["unicode"], notes)
        got = self.ok(self.get(f"{API}/requests/{req}", p.learner))
        self.assertEqual((got["text"], got["reply"]), (fresh["request"], fresh["reply"]))

    def test_every_kind_of_text_is_sealed_in_the_files_and_a_backup(self):
        """routes_table.World writes every kind of confidential text (the
        kinds above, and incident texts, a repair plan's acknowledgement
        and responsibility, an amends commitment, the reasons of a pause
        and a resume), each with a QX7 marker: no marker in the database
        file, its write-ahead log, a backup or the server's log; no token
        or password in the log."""
        world = World(self, "QX7").build()
        plain = "Plainly Named QX8-WORLDPLAIN"
        self.enroll(world.pair.program_id, self.person(plain), "learner")
        backup_path = os.path.join(self.server.dir, "backup-world.db")
        self.server.cli("db", "backup", "--db", self.server.db, "--to", backup_path)
        files = self.server.file_bytes(backup=backup_path)
        self.assertIn("backup", files)
        self.assertTrue(plain.encode() in b"".join(files.values()))
        self.assertTrue(plain.encode() in files["backup"])
        # The server's own log (standard error) is a file too.
        for who in (world.pair.guide, world.pair.learner):
            self.items(rel(world.pair.rel_id, "/notes"), who)
        files["server log"] = self.server.stderr_text().encode()
        for name, data in files.items():
            found = sorted(set(MARKER.findall(data)))
            self.assertEqual(found, [], f"plaintext in the {name}")
            for text in world.texts.values():
                self.assertFalse(text.encode("utf-16-le") in data, f"UTF-16 text in the {name}")
        for who in (self.admin, world.pair.guide, world.pair.learner):
            self.assertFalse(who.token.encode() in files["server log"], "a token in the log")
            self.assertFalse(who.password.encode() in files["server log"], "a password in the log")


if __name__ == "__main__":
    unittest.main()
