"""Your data, part one: the password re-check (POST /session/confirm) and
the export of everything about me (GET /me/export).

The export must hold what is mine and what I may read, and never the other
party's private notes nor their pulse answers; an admin's export holds none
of the members' content. Tests search the raw bytes of the answer, not
only its JSON, so text hidden anywhere in it would be found.

Classes that move the dev clock keep to themselves (ConfirmExpiry).
"""

import json

from flows import API, FlowTestCase, rel
from harness import PASSWORD

ITEMS = ("REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2")


class Confirm(FlowTestCase):

    def test_confirm_with_the_right_password_gives_five_minutes(self):
        who = self.person("Confirmer")
        got = self.ok(self.confirm(who))
        self.assertEqual(sorted(got), ["confirmed_until"])
        self.assertEqual(got["confirmed_until"], self.at(minutes=5))

    def test_wrong_password_is_403_and_leaves_the_session_unconfirmed(self):
        who = self.person("Forgetful")
        r = self.confirm(who, "not my password at all")
        p = self.assertProblem(r, 403, "wrong_password")
        self.assertNotIn("not my password", json.dumps(p))
        self.assertProblem(self.get(f"{API}/me/export", who), 403, "password_check_needed")

    def test_wrong_passwords_count_as_failed_sign_ins(self):
        who = self.person("Guesser")
        for _ in range(5):
            self.assertProblem(self.confirm(who, "wrong guess number x"), 403, "wrong_password")
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM login_failures WHERE email = ?", who.email)[0][0], 5)
        # The sixth attempt is throttled, the right password too, and so is
        # signing in to the same account.
        r = self.confirm(who)
        self.assertProblem(r, 429, "too_many_sign_ins")
        self.assertIn("Retry-After", r.headers)
        r = self.post(f"{API}/session", {"email": who.email, "password": PASSWORD})
        self.assertProblem(r, 429, "too_many_sign_ins")

    def test_a_right_password_clears_earlier_failures(self):
        who = self.person("Typo")
        for _ in range(2):
            self.assertProblem(self.confirm(who, "a typo in it here"), 403, "wrong_password")
        self.ok(self.confirm(who))
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM login_failures WHERE email = ?", who.email)[0][0], 0)

    def test_confirmation_belongs_to_one_session(self):
        who = self.person("Two Devices")
        first = who.token
        self.ok(self.confirm(who))
        self.sign_in(who)  # a second session
        self.assertNotEqual(first, who.token)
        self.assertProblem(self.get(f"{API}/me/export", who), 403, "password_check_needed")
        self.ok(self.get(f"{API}/me/export", first))

    def test_confirm_needs_a_session_and_a_password(self):
        self.assertProblem(self.post(f"{API}/session/confirm", {"password": "x"}), 401, "no_session")
        who = self.person("Empty")
        self.assertProblem(self.post(f"{API}/session/confirm", {}, who), 422, "validation",
                           "/password")
        self.assertProblem(self.post(f"{API}/session/confirm",
                                     {"password": who.password, "remember": True}, who),
                           422, "validation", "/remember")

    def test_unconfirmed_export_is_403_with_a_way_forward(self):
        who = self.person("Hasty")
        with self.unchanged():
            r = self.get(f"{API}/me/export", who)
        p = self.assertProblem(r, 403, "password_check_needed")
        self.assertIn("POST /api/v1/session/confirm", p["detail"])


class ConfirmExpiry(FlowTestCase):

    def test_confirmation_ends_after_five_minutes(self):
        who = self.person("Slow")
        self.ok(self.confirm(who))
        self.advance(minutes=4, seconds=59)
        self.ok(self.get(f"{API}/me/export", who))
        self.advance(seconds=2)
        self.assertProblem(self.get(f"{API}/me/export", who), 403, "password_check_needed")
        self.ok(self.confirm(who))
        self.ok(self.get(f"{API}/me/export", who))


class Export(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.pair = p = h.active_relationship("mentoring")
        g, l = p.guide, p.learner
        cls.texts = {
            "guide_private": "GUIDE-PRIVATE worries about the learner's manager",
            "guide_shared": "GUIDE-SHARED reading list for the quarter",
            "learner_private": "LEARNER-PRIVATE I am thinking of leaving",
            "learner_shared": "LEARNER-SHARED my plan for the first 90 days",
            "feedback_to_guide": "FEEDBACK-L2G your questions helped me see it",
            "feedback_to_learner": "FEEDBACK-G2L the plan was clear and kind",
            "request": "REQUEST could you review my draft",
            "reply": "REPLY yes, send it by Friday",
            "commitment": "COMMITMENT send the draft",
            "goal": "GOAL lead the planning meeting",
            "milestone": "MILESTONE first agenda written",
            "incident": "INCIDENT shared my story in the team chat",
        }
        t = cls.texts
        h.note(p, g, "private", t["guide_private"])
        h.note(p, g, "shared", t["guide_shared"])
        cls.learner_private_id = h.note(p, l, "private", t["learner_private"])["id"]
        h.note(p, l, "shared", t["learner_shared"])
        h.feedback(p, l, "recognition", "task", t["feedback_to_guide"])
        h.feedback(p, g, "constructive", "task", t["feedback_to_learner"])
        q = h.ask(p, l, t["request"])
        h.reply(q["id"], g, t["reply"])
        h.commit(p, l, l, t["commitment"], h.at(days=7))
        goal = h.add_goal(p, l, t["goal"])
        h.add_milestone(goal["id"], l, t["milestone"])
        h.put_agreement(p, g)
        h.ok(h.post(rel(p.rel_id, "/incidents"),
                    {"kind": "confidentiality", "text": t["incident"]}, l), 201)
        cls.guide_pulse = {"REL1": 2, "REL2": 2, "INT1": 2, "INT2": 2, "COM1": 2, "EMP1": 2,
                           "EMP2": 2}
        h.ok(h.post(rel(p.rel_id, "/pulses"), {"answers": cls.guide_pulse, "overall": 9}, g), 201)
        h.ok(h.post(rel(p.rel_id, "/pulses"),
                    {"answers": dict(zip(ITEMS, (5, 4, 5, 4, 5, 4, 5))), "overall": 8}, l), 201)

    def export(self, who):
        self.ok(self.confirm(who))
        r = self.get(f"{API}/me/export", who)
        self.assertEqual(r.status, 200, r)
        return r

    def test_export_is_a_file_to_save_and_never_cached(self):
        r = self.export(self.pair.learner)
        self.assertTrue(r.content_type.startswith("application/json"), r)
        self.assertEqual(r.headers["Content-Disposition"],
                         'attachment; filename="rapport-export-2026-03-01.json"')
        self.assertEqual(r.headers["Cache-Control"], "no-store")

    def test_learner_export_holds_their_data_and_the_shared_part_only(self):
        r = self.export(self.pair.learner)
        raw = r.body if isinstance(r.body, bytes) else r.body.encode()
        t = self.texts
        # Never the other party's private note, anywhere in the bytes.
        self.assertNotIn(t["guide_private"].encode(), raw)
        self.assertNotIn(b"GUIDE-PRIVATE", raw)
        for key in ("learner_private", "learner_shared", "guide_shared", "feedback_to_guide",
                    "feedback_to_learner", "request", "reply", "commitment", "goal",
                    "milestone", "incident"):
            self.assertIn(t[key].encode(), raw, key)
        x = r.json
        self.assertEqual(x["format"], "rapport-export/1")
        self.assertEqual(x["person"]["id"], self.pair.learner.id)
        self.assertEqual(x["person"]["email"], self.pair.learner.email)
        self.assertEqual([p["role"] for p in x["programs"]], ["learner"])
        self.assertTrue(any(s["current"] for s in x["sessions"]))
        for s in x["sessions"]:
            self.assertEqual(sorted(s), ["created_at", "current", "id", "last_seen_at"])
        [rx] = x["relationships"]
        self.assertEqual(rx["id"], self.pair.rel_id)
        self.assertEqual(rx["my_role"], "learner")
        notes = {(n["author_id"], n["visibility"]): n["text"] for n in rx["notes"]}
        self.assertEqual(notes, {
            (self.pair.guide.id, "shared"): t["guide_shared"],
            (self.pair.learner.id, "private"): t["learner_private"],
            (self.pair.learner.id, "shared"): t["learner_shared"],
        })
        self.assertEqual(sorted(f["text"] for f in rx["feedback"]),
                         sorted([t["feedback_to_guide"], t["feedback_to_learner"]]))
        self.assertEqual([(q["text"], q["reply"]) for q in rx["requests"]],
                         [(t["request"], t["reply"])])
        self.assertEqual([c["text"] for c in rx["commitments"]], [t["commitment"]])
        self.assertEqual([g["title"] for g in rx["goals"]], [t["goal"]])
        self.assertEqual([m["title"] for m in rx["goals"][0]["milestones"]], [t["milestone"]])
        self.assertEqual([a["version"] for a in rx["agreement_versions"]], [1])
        self.assertEqual([i["text"] for i in rx["incidents"]], [t["incident"]])
        self.assertIn("proposed", [e["kind"] for e in rx["events"]])
        self.assertIn("note_added", [e["kind"] for e in rx["events"]])
        # Pulses: my own answers only, never the guide's.
        self.assertEqual([(p["rater_id"], p["overall"]) for p in rx["my_pulses"]],
                         [(self.pair.learner.id, 8)])
        self.assertIsInstance(x["access_log"], list)

    def test_guide_export_mirrors_it(self):
        r = self.export(self.pair.guide)
        raw = r.body if isinstance(r.body, bytes) else r.body.encode()
        self.assertNotIn(b"LEARNER-PRIVATE", raw)
        self.assertIn(self.texts["guide_private"].encode(), raw)
        self.assertIn(self.texts["learner_shared"].encode(), raw)
        [rx] = r.json["relationships"]
        self.assertEqual(rx["my_role"], "guide")
        self.assertEqual([(p["rater_id"], p["overall"]) for p in rx["my_pulses"]],
                         [(self.pair.guide.id, 9)])

    def test_admin_export_holds_none_of_the_members_content(self):
        for who in (self.admin, self.program_admin(self.pair.program_id)):
            r = self.export(who)
            raw = r.body if isinstance(r.body, bytes) else r.body.encode()
            for key, text in self.texts.items():
                self.assertNotIn(text.encode(), raw, (who.email, key))
            for marker in (b"PRIVATE", b"SHARED", b"FEEDBACK", b"REQUEST", b"INCIDENT"):
                self.assertNotIn(marker, raw, who.email)
            self.assertEqual(r.json["relationships"], [], who.email)
            self.assertEqual(r.json["person"]["id"], who.id)

    def test_stranger_export_is_their_own_and_empty(self):
        who = self.person("Nobody")
        x = self.export(who).json
        self.assertEqual(x["relationships"], [])
        self.assertEqual(x["programs"], [])
        self.assertEqual(x["person"]["email"], who.email)

    def test_export_reads_are_in_the_access_log_as_export(self):
        self.export(self.pair.learner)
        rows = self.server.query(
            "SELECT actor_id, relationship_id, purpose FROM access_log"
            " WHERE actor_id = ? AND purpose = 'export'", self.pair.learner.id)
        self.assertIn((self.pair.learner.id, self.pair.rel_id, "export"), rows)
