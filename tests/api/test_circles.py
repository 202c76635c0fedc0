"""Peer circles: forming and membership, the agreement acknowledged by
all, check-ins with attendance, what members write (sealed with the
circle's key, access-logged, closed to those who left), pulses shown as
aggregates over three raters, trust in both directions, and the
warnings of the three stories: a thriving circle stays free of them, a
drifting member is warned within four missed check-ins and the others
are not, and a member who left cannot read what came after."""

import re
import unittest

from circle_flows import circ, circle_checkin, form_circle, shift
from flows import API, FlowTestCase

PULSE = {k: 4 for k in ("REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2")}


class Forming(FlowTestCase):

    def test_formed_by_an_admin_active_once_everyone_accepted(self):
        pid = self.program("mentoring")
        members = [self.person(f"M{i}") for i in range(3)]
        for m in members:
            self.enroll(pid, m, "learner")
        c = self.ok(self.post(f"{API}/circles", {"program_id": pid, "name": "Writers",
                                                 "member_ids": [m.id for m in members]},
                              self.admin), 201)
        self.assertEqual((c["state"], c["facilitator_id"], len(c["members"])),
                         ("proposed", None, 3))
        self.ok(self.post(circ(c["id"], "/accept"), {}, members[0]))
        self.assertEqual(self.ok(self.post(circ(c["id"], "/accept"), {}, members[1]))["state"],
                         "proposed")
        self.assertEqual(self.ok(self.post(circ(c["id"], "/accept"), {}, members[2]))["state"],
                         "active")
        kinds = [e["kind"] for e in self.ok(self.get(circ(c["id"], "/events"), members[0]))["items"]]
        self.assertEqual(kinds, ["proposed", "accepted", "accepted", "accepted", "state_changed"])
        mine = self.ok(self.get(f"{API}/circles", members[1]))["items"]
        self.assertEqual([x["id"] for x in mine], [c["id"]])

    def test_size_membership_and_who_may_form(self):
        pid = self.program("mentoring")
        people = [self.person(f"P{i}") for i in range(9)]
        for m in people:
            self.enroll(pid, m, "learner")
        outsider = self.person("Outsider")
        for ids, pointer in (([people[0].id, people[1].id], "/member_ids"),
                             ([m.id for m in people], "/member_ids"),
                             ([people[0].id, people[1].id, outsider.id], "/member_ids"),
                             ([people[0].id, people[0].id, people[1].id], "/member_ids")):
            self.assertRefused(lambda: self.post(f"{API}/circles", {
                "program_id": pid, "name": "x", "member_ids": ids}, self.admin),
                422, "validation", [pointer])
        # A member of the program is no admin of it: the program is not found.
        self.assertRefused(lambda: self.post(f"{API}/circles", {
            "program_id": pid, "name": "x", "member_ids": [m.id for m in people[:3]]},
            people[0]), 404, "not_found")

    def test_leaving_pauses_a_circle_below_three_and_the_facilitator_adds(self):
        c = form_circle(self, 3)
        newcomer = self.person("Newcomer")
        self.enroll(c.program_id, newcomer, "learner")
        self.assertRefused(lambda: self.post(circ(c.id, "/members"), {"person_id": newcomer.id},
                                             c.members[0]), 403, "role")
        got = self.ok(self.post(circ(c.id, "/members"), {"person_id": newcomer.id},
                                c.facilitator))
        self.assertEqual(len([m for m in got["members"] if m["role"] == "member"]), 4)
        self.ok(self.post(circ(c.id, "/leave"), {}, c.members[0]))
        self.assertEqual(self.ok(self.get(circ(c.id), c.members[1]))["state"], "active")
        self.assertEqual(self.ok(self.post(circ(c.id, "/leave"), {}, c.members[1]))["state"],
                         "paused")
        kinds = [e["kind"] for e in self.ok(self.get(circ(c.id, "/events"), self.admin))["items"]]
        self.assertEqual(kinds[-4:], ["member_added", "member_left", "member_left",
                                      "state_changed"])
        self.assertRefused(lambda: self.post(circ(c.id, "/transition"), {"to": "active"},
                                             c.facilitator), 409, "too_few_members")


class Practices(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.c = form_circle(cls.helper(), 4)

    def test_agreement_in_force_once_every_member_acknowledged(self):
        c = self.c
        ag = self.ok(self.put(circ(c.id, "/agreement"), {"text": "We meet weekly; what is said "
                                                          "here stays here.", "cadence_days": 7},
                              c.facilitator))
        self.assertEqual((ag["version"], ag["acknowledged_by"], ag["in_force"]), (1, [], False))
        for i, m in enumerate(c.members):
            ag = self.ok(self.post(circ(c.id, "/agreement/acknowledge"), {"version": 1}, m))
            self.assertEqual(ag["in_force"], i == len(c.members) - 1)
        self.assertEqual(self.ok(self.get(circ(c.id), self.admin))["counts"],
                         {"checkins": 0, "agreement_version": 1, "agreement_in_force": True})
        self.assertRefused(lambda: self.post(circ(c.id, "/agreement/acknowledge"),
                                             {"version": 1}, c.facilitator), 403, "role")

    def test_checkin_attendance_of_every_member_once(self):
        c = self.c
        ck = circle_checkin(self, c, c.facilitator, {c.members[1].id: "late",
                                                     c.members[2].id: "absent_with_notice"})
        self.assertEqual([a["status"] for a in ck["attendance"]],
                         ["present", "late", "absent_with_notice", "present"])
        self.assertRefused(lambda: self.post(circ(c.id, "/checkins"), {"attendance": [
            {"person_id": c.members[0].id, "status": "present"}]}, c.facilitator),
            422, "validation", ["/attendance"])
        got = self.ok(self.get(circ(c.id, "/checkins"), c.members[3]))["items"]
        self.assertIn(ck["id"], [x["id"] for x in got])

    def test_requests_replies_feedback_commitments_notes(self):
        c = self.c
        a, b = c.members[0], c.members[1]
        q = self.ok(self.post(circ(c.id, "/requests"), {"text": "Who has read chapter two?"}, a),
                    201)
        self.assertRefused(lambda: self.post(f"{API}/circle-items/{q['id']}/reply",
                                             {"text": "Me!"}, a), 409, "own_request")
        rep = self.ok(self.post(f"{API}/circle-items/{q['id']}/reply", {"text": "I have."}, b),
                      201)
        got = self.ok(self.get(circ(c.id, "/requests"), c.members[2]))["items"]
        mine = [x for x in got if x["id"] == q["id"]][0]
        self.assertEqual([r["id"] for r in mine["replies"]], [rep["id"]])
        fb = self.ok(self.post(circ(c.id, "/feedback"), {"to_id": b.id, "kind": "recognition",
                                                         "focus": "task", "text": "Clear notes."},
                               a), 201)
        self.assertEqual((fb["to_id"], fb["kind"], fb["focus"]), (b.id, "recognition", "task"))
        self.assertRefused(lambda: self.post(circ(c.id, "/feedback"), {
            "to_id": a.id, "kind": "recognition", "focus": "task", "text": "Me"}, a),
            422, "validation", ["/to_id"])
        cm = self.ok(self.post(circ(c.id, "/commitments"), {"text": "Draft the outline",
                                                            "due_at": self.at(days=3)}, a), 201)
        self.assertRefused(lambda: self.post(f"{API}/circle-items/{cm['id']}/outcome",
                                             {"outcome": "kept"}, b), 403, "role")
        self.assertEqual(self.ok(self.post(f"{API}/circle-items/{cm['id']}/outcome",
                                           {"outcome": "kept"}, a))["status"], "kept")
        private = self.ok(self.post(circ(c.id, "/notes"), {"visibility": "private",
                                                           "text": "Mine alone"}, a), 201)
        shared = self.ok(self.post(circ(c.id, "/notes"), {"visibility": "shared",
                                                          "text": "For all of us"}, a), 201)
        b_notes = [x["id"] for x in self.ok(self.get(circ(c.id, "/notes"), b))["items"]]
        self.assertEqual((shared["id"] in b_notes, private["id"] in b_notes), (True, False))
        self.assertRefused(lambda: self.get(f"{API}/circle-items/{private['id']}", b),
                           404, "not_found")
        goal = self.ok(self.post(circ(c.id, "/goals"), {"text": "Finish the thesis plan"}, b), 201)
        self.assertEqual(goal["status"], "active")
        inc = self.ok(self.post(circ(c.id, "/incidents"), {"kind": "confidentiality",
                                                           "text": "Something was repeated."},
                                b), 201)
        self.assertEqual(inc["kind"], "confidentiality")

    def test_pulse_shown_only_over_three_raters(self):
        c = self.c
        got = self.ok(self.post(circ(c.id, "/pulse"), {"answers": PULSE}, c.members[0]), 201)
        self.assertEqual((got["raters"], got["circle"], got["mine"]["REL1"]), (1, None, 4))
        self.ok(self.post(circ(c.id, "/pulse"), {"answers": dict(PULSE, REL1=2)}, c.members[1]),
                201)
        self.assertIsNone(self.ok(self.get(circ(c.id, "/pulse"), c.members[2]))["circle"])
        self.assertIsNone(self.ok(self.get(circ(c.id, "/pulse"), c.members[2]))["mine"])
        got = self.ok(self.post(circ(c.id, "/pulse"), {"answers": dict(PULSE, REL1=3)},
                                c.members[2]), 201)
        self.assertEqual((got["raters"], got["circle"]["REL1"], got["circle"]["EMP2"]),
                         (3, 3.0, 4.0))
        self.assertRefused(lambda: self.post(circ(c.id, "/pulse"), {"answers": PULSE},
                                             c.facilitator), 403, "role")
        trust = self.ok(self.get(circ(c.id, "/trust"), c.members[0]))
        self.assertEqual(trust["circle"]["raters"], 3)
        self.assertIsInstance(trust["circle"]["index"], int)
        self.assertEqual(set(trust["me_in_circle"]["components"]), {"REL", "INT", "COM", "EMP"})


class Stories(FlowTestCase):
    """The three stories, each on a circle formed 70 days before the clock
    moves; check-ins and texts are dated weekly with `at`."""

    def start(self, n=4):
        c = form_circle(self, n)
        t0 = self.now()
        self.move_clock(shift_dt(t0, days=70), *c.people)
        self.t0 = t0
        return c

    def week(self, k, **delta):
        from harness import fmt_time
        import datetime as dt
        return fmt_time(self.t0 + dt.timedelta(days=7 * k, **delta))

    def warnings(self, c, who):
        return self.ok(self.get(circ(c.id, "/warnings"), who))["items"]

    def test_a_thriving_circle_stays_free_of_warnings(self):
        c = self.start(4)
        ms = c.members
        for k in range(1, 10):
            circle_checkin(self, c, c.facilitator, {ms[k % 4].id: "late"} if k == 3 else {},
                           at=self.week(k))
            giver, to = ms[k % 4], ms[(k + 1) % 4]
            self.ok(self.post(circ(c.id, "/feedback"), {
                "to_id": to.id, "kind": "recognition" if k % 2 else "constructive",
                "focus": "task", "text": f"Week {k}: good work.", "at": self.week(k, hours=2)},
                giver), 201)
            q = self.ok(self.post(circ(c.id, "/requests"), {
                "text": f"Week {k} question", "at": self.week(k, hours=3)}, to), 201)
            self.ok(self.post(f"{API}/circle-items/{q['id']}/reply", {
                "text": "An answer", "at": self.week(k, hours=5)}, ms[(k + 2) % 4]), 201)
            self.ok(self.post(f"{API}/circle-items/{q['id']}/reply", {
                "text": "Another answer", "at": self.week(k, hours=6)}, ms[(k + 3) % 4]), 201)
        for who in c.people:
            self.assertEqual(self.warnings(c, who), [], who.name)
        t = self.ok(self.get(circ(c.id, "/trust"), ms[0]))["circle_in_me"]
        # Attendance, replies and feedback only: REL and EMP are high, INT
        # and COM (no pulses about them, no commitments) stay at the base rate.
        self.assertGreater(t["components"]["REL"]["p"], 0.85)
        self.assertGreater(t["components"]["EMP"]["p"], 0.5)
        self.assertEqual((t["components"]["INT"]["p"], t["components"]["COM"]["p"]), (0.5, 0.5))
        self.assertTrue(t["explanation"])

    def test_a_drifting_member_is_warned_within_four_missed_checkins(self):
        c = self.start(4)
        ms = c.members
        drifter = ms[3]
        warned_at = None
        for k in range(1, 9):
            missed = k > 4
            circle_checkin(self, c, c.facilitator,
                           {drifter.id: "absent_without_notice"} if missed else {},
                           at=self.week(k))
            for i, m in enumerate(ms[:3]):
                self.ok(self.post(circ(c.id, "/feedback"), {
                    "to_id": ms[(i + 1) % 3].id, "kind": "recognition", "focus": "task",
                    "text": "Thanks", "at": self.week(k, hours=1 + i)}, m), 201)
            if k <= 4:
                self.ok(self.post(circ(c.id, "/requests"), {
                    "text": "A question", "at": self.week(k, hours=5)}, drifter), 201)
            codes = [w["code"] for w in self.warnings(c, drifter)]
            if missed and "MEMBER_DRIFTING" in codes and warned_at is None:
                warned_at = k - 4
            for m in ms[:3]:
                self.assertEqual([w for w in self.warnings(c, m) if w["member_id"]], [], m.name)
        self.assertIsNotNone(warned_at)
        self.assertLessEqual(warned_at, 4)
        mine = [w for w in self.warnings(c, drifter) if w["code"] == "MEMBER_DRIFTING"][0]
        self.assertEqual((mine["member_id"], mine["anonymous"]), (drifter.id, False))
        self.assertEqual(len(mine["questions"]), 3)
        self.assertIsNotNone(mine["practice"])
        # The facilitator is told only that a member may need a check-in...
        fac = [w for w in self.warnings(c, c.facilitator) if w["code"] == "MEMBER_DRIFTING"]
        self.assertEqual([(w["member_id"], w["anonymous"], w["sentence"]) for w in fac],
                         [(None, True, "A member may need a check-in.")])
        self.assertNotIn(drifter.name, str(self.warnings(c, c.facilitator)))
        # ... until the member shares it.
        r = self.post(circ(c.id, "/warnings/share"), {"code": "MEMBER_DRIFTING"}, drifter)
        self.assertEqual(r.status, 204)
        fac = [w for w in self.warnings(c, c.facilitator) if w["code"] == "MEMBER_DRIFTING"]
        self.assertEqual([(w["member_id"], w["anonymous"]) for w in fac], [(drifter.id, False)])
        # The others never see it.
        for m in ms[:3]:
            self.assertNotIn("MEMBER_DRIFTING", [w["code"] for w in self.warnings(c, m)])
        # The circle's trust in the drifting member fell below the others'.
        rel = lambda who: self.ok(self.get(circ(c.id, "/trust"), who))["circle_in_me"]
        drift, steady = rel(drifter), rel(ms[0])
        self.assertLess(drift["components"]["REL"]["p"], steady["components"]["REL"]["p"] - 0.3)
        self.assertEqual(drift["explanation"][0]["reason"], "checkin_no_show")

    def test_a_member_who_left_cannot_read_what_came_after(self):
        c = self.start(4)
        a, b, leaver = c.members[0], c.members[1], c.members[2]
        before = self.ok(self.post(circ(c.id, "/notes"), {
            "visibility": "shared", "text": "Before LEAVEMARKERBEFORE", "at": self.week(1)}, a),
            201)
        q_before = self.ok(self.post(circ(c.id, "/requests"), {
            "text": "Asked before", "at": self.week(1, hours=1)}, a), 201)
        self.advance(minutes=5)
        self.ok(self.post(circ(c.id, "/leave"), {}, leaver))
        self.advance(minutes=5)
        after = self.ok(self.post(circ(c.id, "/notes"), {
            "visibility": "shared", "text": "After LEAVEMARKERAFTER"}, a), 201)
        backdated = self.ok(self.post(circ(c.id, "/notes"), {
            "visibility": "shared", "text": "Dated before LEAVEMARKERAFTER", "at": self.week(1)},
            a), 201)
        fb = self.ok(self.post(circ(c.id, "/feedback"), {
            "to_id": b.id, "kind": "recognition", "focus": "task", "text": "After, too"}, a), 201)
        notes = self.ok(self.get(circ(c.id, "/notes"), leaver))
        ids = [x["id"] for x in notes["items"]]
        self.assertIn(before["id"], ids)
        self.assertNotIn(after["id"], ids)
        self.assertNotIn("LEAVEMARKERAFTER", str(notes))
        self.assertEqual(self.ok(self.get(circ(c.id, "/feedback"), leaver))["items"], [])
        self.assertNotIn(backdated["id"], ids)  # written after they left, however dated
        for item in (after, fb, backdated):
            self.assertRefused(lambda: self.get(f"{API}/circle-items/{item['id']}", leaver),
                               404, "not_found")
        # Nor may they write or answer any more.
        self.assertRefused(lambda: self.post(circ(c.id, "/notes"), {
            "visibility": "shared", "text": "x"}, leaver), 403, "left_circle")
        self.assertRefused(lambda: self.post(f"{API}/circle-items/{q_before['id']}/reply", {
            "text": "x"}, leaver), 403, "left_circle")
        # The others still read both, and their readings are in the access
        # log of everyone in the circle, not of the member who left.
        ids_b = [x["id"] for x in self.ok(self.get(circ(c.id, "/notes"), b))["items"]]
        self.assertEqual(set(ids_b) >= {before["id"], after["id"]}, True)
        log = self.ok(self.get(f"{API}/me/access-log", a))["items"]
        mine = [x for x in log if x.get("circle_id") == c.id and x["actor"]["id"] == b.id]
        self.assertTrue(mine)
        self.assertIn("notes", mine[-1]["what"])
        self.assertIn("of your circle", mine[-1]["sentence"])
        # A commitment left open past its due time counts as broken.
        cm = self.ok(self.post(circ(c.id, "/commitments"), {
            "text": "Send the survey", "due_at": self.week(2, hours=48), "at": self.week(2)}, b), 201)
        why = self.ok(self.get(circ(c.id, "/trust"), b))["circle_in_me"]["explanation"]
        self.assertIn("commitment_broken", [x["reason"] for x in why])
        got = self.ok(self.post(f"{API}/circle-items/{cm['id']}/outcome", {"outcome": "kept"}, b))
        self.assertEqual(got["status"], "kept_late")
        # Nor what happened after they left, even without the text.
        kinds = [(e["kind"], e["at"]) for e in self.ok(self.get(circ(c.id, "/events"), leaver))["items"]]
        self.assertEqual(kinds[-1][0], "member_left")
        log_leaver = self.ok(self.get(f"{API}/me/access-log", leaver))["items"]
        self.assertEqual([x for x in log_leaver if x.get("circle_id") == c.id
                          and x["actor"]["id"] == b.id and x["at"] > after["created_at"]], [])


class Confidentiality(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.c = form_circle(h, 3)
        m = cls.c.members
        h.ok(h.put(circ(cls.c.id, "/agreement"), {"text": "CIRCLEMARK-AGREEMENT",
                                                  "cadence_days": 7}, m[0]))
        cls.note = h.ok(h.post(circ(cls.c.id, "/notes"), {"visibility": "shared",
                                                          "text": "CIRCLEMARK-NOTE"}, m[0]), 201)
        h.ok(h.post(circ(cls.c.id, "/feedback"), {"to_id": m[1].id, "kind": "constructive",
                                                  "focus": "task",
                                                  "text": "CIRCLEMARK-FEEDBACK"}, m[0]), 201)
        h.ok(h.post(circ(cls.c.id, "/goals"), {"text": "CIRCLEMARK-GOAL"}, m[1]), 201)

    def test_no_plaintext_in_the_database_files(self):
        files = self.server.file_bytes()
        for name, data in files.items():
            self.assertNotIn(b"CIRCLEMARK", data, name)

    def test_admins_and_outsiders_see_no_text(self):
        c = self.c
        admin = self.program_admin(c.program_id)
        neighbour = self.person("Neighbour")
        self.enroll(c.program_id, neighbour, "learner")
        meta = self.ok(self.get(circ(c.id), admin))
        self.assertEqual(meta["state"], "active")
        self.assertNotIn("CIRCLEMARK", str(meta))
        for tail in ("/agreement", "/notes", "/feedback", "/goals", "/requests", "/checkins",
                     "/commitments", "/incidents", "/trust", "/warnings", "/pulse"):
            for who in (admin, self.admin, neighbour):
                r = self.get(circ(c.id, tail), who)
                self.assertEqual(r.status, 404, (tail, who.name))
                self.assertNotIn("CIRCLEMARK", r.text if hasattr(r, "text") else str(r.json))
        for who in (neighbour,):
            self.assertEqual(self.get(circ(c.id), who).status, 404)
            self.assertEqual(self.get(f"{API}/circle-items/{self.note['id']}", who).status, 404)
        self.assertEqual(self.get(f"{API}/circle-items/{self.note['id']}", admin).status, 404)

    def test_the_export_holds_the_circle_as_its_member_reads_it(self):
        c, m = self.c, self.c.members[1]
        self.ok(self.confirm(m))
        x = self.ok(self.get(f"{API}/me/export", m))
        got = [k for k in x["circles"] if k["id"] == c.id]
        self.assertEqual(len(got), 1)
        text = str(got[0])
        for mark in ("CIRCLEMARK-AGREEMENT", "CIRCLEMARK-NOTE", "CIRCLEMARK-FEEDBACK",
                     "CIRCLEMARK-GOAL"):
            self.assertIn(mark, text)
        log = self.ok(self.get(f"{API}/me/access-log", c.members[0]))["items"]
        self.assertIn("export", [e["why"] for e in log if e.get("circle_id") == c.id
                                 and e["actor"]["id"] == m.id])

    def test_every_reading_is_in_the_access_log(self):
        c = self.c
        reader = c.members[2]
        self.ok(self.get(circ(c.id, "/agreement"), reader))
        for subject in (c.members[0], c.members[1], c.facilitator):
            log = self.ok(self.get(f"{API}/me/access-log", subject))["items"]
            got = [x for x in log if x.get("circle_id") == c.id and x["actor"]["id"] == reader.id]
            self.assertTrue(got, subject.name)
            self.assertIn("agreement", got[-1]["what"])
            self.assertIsNone(got[-1]["relationship_id"])


class Rotation(FlowTestCase):

    def test_circle_texts_are_reencrypted_with_a_new_data_key(self):
        import time
        from test_keys_restore import key_version, restart
        c = form_circle(self, 3)
        a, b = c.members[0], c.members[1]
        shared = self.ok(self.post(circ(c.id, "/notes"), {"visibility": "shared",
                                                          "text": "ROTATE circle note"}, a), 201)
        private = self.ok(self.post(circ(c.id, "/notes"), {"visibility": "private",
                                                           "text": "ROTATE circle mine"}, a), 201)
        self.ok(self.put(circ(c.id, "/agreement"), {"text": "ROTATE terms", "cadence_days": 7}, b))
        self.server.cli("keys", "rotate", "--db", self.server.db, "--data")
        self.assertEqual(self.server.stop(), "")
        restart(self.server)  # the jobs run at start
        status = lambda: self.server.cli("keys", "status", "--db", self.server.db)[1]
        deadline = time.monotonic() + 20
        while "re-encryption:         done" not in status() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertRegex(status(), r"on older versions: +0 ")
        for (ct,) in self.server.query("SELECT text_ct FROM circle_items WHERE circle_id = ?",
                                       c.id):
            self.assertEqual(key_version(bytes(ct)), 2)
        self.sign_in_again(a, b)
        self.assertEqual(self.ok(self.get(f"{API}/circle-items/{shared['id']}", b))["text"],
                         "ROTATE circle note")
        self.assertEqual(self.ok(self.get(f"{API}/circle-items/{private['id']}", a))["text"],
                         "ROTATE circle mine")
        self.assertEqual(self.ok(self.get(circ(c.id, "/agreement"), a))["text"], "ROTATE terms")


class Health(FlowTestCase):

    def test_program_health_counts_circles_with_k_and_complements(self):
        pid = self.program("mentoring", settings={"k_anonymity": 3})
        for _ in range(3):
            form_circle(self, 3, program_id=pid, facilitator=False)
        members = [self.person(f"Proposed {i}") for i in range(3)]
        for m in members:
            self.enroll(pid, m, "learner")
        self.ok(self.post(f"{API}/circles", {"program_id": pid, "name": "Waiting",
                                             "member_ids": [m.id for m in members]},
                          self.admin), 201)
        got = self.ok(self.get(f"{API}/programs/{pid}/health", self.admin))["circles"]
        # 3 active are shown; the one proposed is fewer than k, and the
        # active count must go too, or total - active would give it away.
        self.assertEqual(got["total"], 4)
        self.assertEqual(got["proposed"], {"suppressed": True, "reason": "fewer than k"})
        self.assertEqual(got["active"], {"suppressed": True, "reason": "complementary"})
        self.assertEqual(got["paused"], {"suppressed": True, "reason": "fewer than k"})
        self.assertNotIn("Waiting", str(got))
        form_circle(self, 3, program_id=pid, facilitator=False)
        for m in members:
            self.ok(self.post(f"{API}/circles/{self.ok(self.get(f'{API}/circles', m))['items'][0]['id']}/accept", {}, m))
        got = self.ok(self.get(f"{API}/programs/{pid}/health", self.admin))["circles"]
        self.assertEqual((got["total"], got["active"]), (5, 5))


def shift_dt(t, **delta):
    import datetime as dt
    return t + dt.timedelta(**delta)


if __name__ == "__main__":
    unittest.main()
