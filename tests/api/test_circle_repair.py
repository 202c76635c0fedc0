"""Circles, beyond the practices of test_circles.py: incidents and repair
as in pairs (an acknowledged incident is evidence about the member it
concerns, a confidentiality breach caps their P_INT at 0.85, the repair
plan's steps and its closing by the job), goal reviews with Goal
Attainment Scaling feeding the circle's trust in the member, the item
lists paged as a relationship's, and account deletion shredding what the
person wrote in circles."""

import math
import unittest

from circle_flows import circ, circle_checkin, form_circle
from flows import API, FlowTestCase
from harness import PG_BASE


def item(iid, tail=""):
    return f"{API}/circle-items/{iid}{tail}"


def plan_url(pid, tail=""):
    return f"{API}/circle-repair-plans/{pid}{tail}"


class Practices(FlowTestCase):
    """Incidents and repair, goal reviews and paging: one server, a circle each."""

    def trust_in(self, c, who):
        return self.ok(self.get(circ(c.id, "/trust"), who))["circle_in_me"]

    def kinds(self, c, who):
        return [e["kind"] for e in self.items(circ(c.id, "/events"), who)]

    def test_a_breach_acknowledged_caps_integrity_and_its_plan_is_repaired(self):
        c = form_circle(self, 4)
        a, b, other = c.members[0], c.members[1], c.members[2]
        self.assertEqual(self.trust_in(c, b)["components"]["INT"]["p"], 0.5)
        inc = self.ok(self.post(circ(c.id, "/incidents"), {
            "kind": "confidentiality", "concerning_id": b.id,
            "text": "REPAIRMARK what I said was repeated outside"}, a), 201)
        self.assertEqual((inc["state"], inc["concerning_id"], inc["repair_plan_id"]),
                         ("reported", b.id, None))
        # A report is an allegation: no evidence yet.
        self.assertEqual(self.trust_in(c, b)["components"]["INT"]["p"], 0.5)
        for who in (a, other, c.facilitator):
            self.assertRefused(lambda: self.post(item(inc["id"], "/acknowledge"), {}, who),
                               403, "not_concerned")
        got = self.ok(self.post(item(inc["id"], "/acknowledge"), {}, b))
        self.assertEqual(got["state"], "acknowledged")
        self.assertIsNotNone(got["repair_plan_id"])
        self.assertRefused(lambda: self.post(item(inc["id"], "/acknowledge"), {}, b),
                           409, "already_acknowledged")
        # INT v 0, w 5 about b: P = (0 + 2 * 0.5) / (0 + 10 + 2).
        t = self.trust_in(c, b)
        self.assertAlmostEqual(t["components"]["INT"]["p"], 1 / 12, places=9)
        self.assertEqual(self.trust_in(c, a)["components"]["INT"]["p"], 0.5)
        pid = got["repair_plan_id"]
        plan = self.ok(self.get(plan_url(pid), other))
        self.assertEqual((plan["state"], plan["party_id"], plan["acknowledgement"],
                          plan["follow_through_days"], plan["circle_id"]),
                         ("open", b.id, None, 56, c.id))
        self.assertRefused(lambda: self.post(plan_url(pid, "/amends"), {"commitment_ids": [1]}, a),
                           409, "not_acknowledged")
        self.assertRefused(lambda: self.post(plan_url(pid, "/acknowledge"), {
            "text": "x", "responsibility": "y"}, a), 403, "not_concerned")
        self.assertRefused(lambda: self.post(plan_url(pid, "/acknowledge"), {
            "text": "", "responsibility": "y"}, b), 422, "validation", ["/text"])
        plan = self.ok(self.post(plan_url(pid, "/acknowledge"), {
            "text": "REPAIRMARK I repeated it", "responsibility": "REPAIRMARK it was mine to keep"},
            b))
        self.assertEqual(plan["acknowledgement"]["text"], "REPAIRMARK I repeated it")
        cm = self.ok(self.post(circ(c.id, "/commitments"), {
            "text": "Ask before sharing anything", "due_at": self.at(days=14)}, b), 201)
        mine = self.ok(self.post(circ(c.id, "/commitments"), {
            "text": "Not b's", "due_at": self.at(days=14)}, a), 201)
        far = self.ok(self.post(circ(c.id, "/commitments"), {
            "text": "Too late", "due_at": self.at(days=90)}, b), 201)
        self.assertRefused(lambda: self.post(plan_url(pid, "/amends"), {
            "commitment_ids": [mine["id"], far["id"]]}, c.facilitator), 422, "validation",
            ["/commitment_ids/0", "/commitment_ids/1"])
        plan = self.ok(self.post(plan_url(pid, "/amends"), {"commitment_ids": [cm["id"]]},
                                 c.facilitator))
        self.assertEqual(([x["id"] for x in plan["commitments"]], plan["open"]), ([cm["id"]], 1))
        self.assertIsNotNone(plan["amends_agreed_at"])
        self.assertRefused(lambda: self.post(plan_url(pid, "/amends"), {
            "commitment_ids": [cm["id"]]}, b), 409, "amends_agreed")
        # Each repair step INT v 1, w 0.5: P = (1 + 1) / (1 + 10 + 2).
        self.assertAlmostEqual(self.trust_in(c, b)["components"]["INT"]["p"], 2 / 13, places=9)
        self.ok(self.post(item(cm["id"], "/outcome"), {"outcome": "kept"}, b))
        for k in ("incident_reported", "incident_acknowledged", "repair_acknowledged",
                  "repair_amends_agreed", "commitment_closed"):
            self.assertIn(k, self.kinds(c, other))
        # Nobody outside the circle reads the plan; its text is sealed.
        admin = self.program_admin(c.program_id)
        for who in (admin, self.admin, self.stranger()):
            self.assertEqual(self.get(plan_url(pid), who).status, 404)
            self.assertEqual(self.get(circ(c.id, "/repair-plans"), who).status, 404)
        if not PG_BASE:
            for name, data in self.server.file_bytes().items():
                self.assertNotIn(b"REPAIRMARK", data, name)
        # Reading the plan is in the access log of the others in the circle.
        self.ok(self.get(plan_url(pid), other))
        log = self.ok(self.get(f"{API}/me/access-log", b))["items"]
        self.assertTrue([x for x in log if x.get("circle_id") == c.id
                         and x["actor"]["id"] == other.id])
        # The period ends; the job closes the plan as repaired.
        ends = plan["ends_at"]
        self.move_clock(self.now() + __import__("datetime").timedelta(days=57), *c.people)
        self.run_jobs()
        plan = self.ok(self.get(plan_url(pid), a))
        self.assertEqual((plan["state"], plan["outcome"], plan["kept"]), ("closed", "repaired", 1))
        self.assertLessEqual(plan["closed_at"], self.ok(self.get(plan_url(pid), a))["closed_at"])
        closed = [e for e in self.items(circ(c.id, "/events"), a) if e["kind"] == "repair_closed"]
        self.assertEqual([(e["subject_id"], e["to_state"], e["actor_id"], e["at"]) for e in closed],
                         [(pid, "repaired", None, ends)])
        # A confidentiality breach caps P_INT at 0.85 for 180 days.
        t = self.trust_in(c, b)
        self.assertLessEqual(t["components"]["INT"]["p"], 0.85)
        listed = self.items(circ(c.id, "/repair-plans"), other)
        self.assertEqual([x["id"] for x in listed], [pid])

    def test_resolving_reports_about_nobody_and_a_plan_ended_by_the_circle(self):
        c = form_circle(self, 3)
        a, b = c.members[0], c.members[1]
        outsider = self.person("Not in it")
        self.enroll(c.program_id, outsider, "learner")
        self.assertRefused(lambda: self.post(circ(c.id, "/incidents"), {
            "kind": "bias", "concerning_id": outsider.id, "text": "x"}, a), 422, "validation",
            ["/concerning_id"])
        general = self.ok(self.post(circ(c.id, "/incidents"), {
            "kind": "other", "text": "The meeting ran over and nobody minded the time."}, a), 201)
        self.assertIsNone(general["concerning_id"])
        self.assertRefused(lambda: self.post(item(general["id"], "/acknowledge"), {}, b),
                           403, "not_concerned")
        got = self.ok(self.post(item(general["id"], "/resolve"), {}, b))
        self.assertEqual(got["state"], "resolved")
        self.assertEqual(got["resolved_at"], self.at())
        self.assertRefused(lambda: self.post(item(general["id"], "/resolve"), {}, a),
                           409, "incident_resolved")
        # Not an incident: no such incident.
        note = self.ok(self.post(circ(c.id, "/notes"), {"visibility": "shared", "text": "n"}, a),
                       201)
        self.assertRefused(lambda: self.post(item(note["id"], "/resolve"), {}, a),
                           404, "not_found")
        judged = self.ok(self.post(circ(c.id, "/incidents"), {
            "kind": "judgment", "concerning_id": b.id, "text": "A harsh remark."}, a), 201)
        pid = self.ok(self.post(item(judged["id"], "/acknowledge"), {}, b))["repair_plan_id"]
        plan = self.ok(self.post(plan_url(pid, "/close"), {}, c.facilitator))
        self.assertEqual((plan["state"], plan["outcome"]), ("closed", "ended_by_circle"))
        self.assertRefused(lambda: self.post(plan_url(pid, "/close"), {}, a), 409, "plan_closed")
        # Not a breach of confidentiality: evidence, but no cap.
        t = self.trust_in(c, b)
        self.assertAlmostEqual(t["components"]["INT"]["p"], 1 / 12, places=9)
        listed = self.items(circ(c.id, "/incidents"), a)
        self.assertEqual([(x["id"], x["state"]) for x in listed],
                         [(general["id"], "resolved"), (judged["id"], "acknowledged")])


    def test_a_review_of_a_members_goals_feeds_the_circles_trust_in_them(self):
        c = form_circle(self, 3)
        a, b = c.members[0], c.members[1]
        g1 = self.ok(self.post(circ(c.id, "/goals"), {"text": "Write the plan"}, b), 201)
        g2 = self.ok(self.post(circ(c.id, "/goals"), {"text": "Find a reader"}, b), 201)
        ga = self.ok(self.post(circ(c.id, "/goals"), {"text": "a's own"}, a), 201)
        levels = {str(g1["id"]): 0, str(g2["id"]): 0}
        self.assertRefused(lambda: self.post(circ(c.id, "/goal-reviews"), {
            "levels": levels, "member_id": b.id}, a), 403, "role")
        self.assertRefused(lambda: self.post(circ(c.id, "/goal-reviews"), {
            "levels": {str(g1["id"]): 3}}, b), 422, "validation", [f"/levels/{g1['id']}"])
        self.assertRefused(lambda: self.post(circ(c.id, "/goal-reviews"), {
            "levels": {str(ga["id"]): 0}}, b), 422, "validation", [f"/levels/{ga['id']}"])
        rv = self.ok(self.post(circ(c.id, "/goal-reviews"), {"levels": levels}, b), 201)
        self.assertEqual((rv["member_id"], rv["reviewer_id"], rv["t_score"], rv["levels"]),
                         (b.id, b.id, 50.0, levels))
        # T 50 gives COM v 1, w 1: P = (1 + 2 * 0.5) / (1 + 0 + 2).
        t = self.ok(self.get(circ(c.id, "/trust"), b))["circle_in_me"]
        self.assertAlmostEqual(t["components"]["COM"]["p"], 2 / 3, places=9)
        self.assertEqual(self.ok(self.get(circ(c.id, "/trust"), a))["circle_in_me"]["components"]
                         ["COM"]["p"], 0.5)
        # The facilitator reviews with the member: T = 50 + 10 (-2 - 2) /
        # sqrt(0.7 * 2 + 0.3 * 4) = 25.19, v = 0 (a failure weighs wneg 2):
        # P = (1 + 1) / (1 + 2 + 2).
        rv2 = self.ok(self.post(circ(c.id, "/goal-reviews"), {
            "levels": {str(g1["id"]): -2, str(g2["id"]): -2}, "member_id": b.id},
            c.facilitator), 201)
        self.assertAlmostEqual(rv2["t_score"], 50 - 40 / math.sqrt(2.6), places=9)
        t = self.ok(self.get(circ(c.id, "/trust"), b))["circle_in_me"]
        self.assertAlmostEqual(t["components"]["COM"]["p"], 2 / 5, places=9)
        # An achieved goal is no longer reviewed.
        self.ok(self.post(item(g1["id"], "/outcome"), {"outcome": "achieved"}, b))
        self.assertRefused(lambda: self.post(circ(c.id, "/goal-reviews"), {"levels": levels}, b),
                           422, "validation", [f"/levels/{g1['id']}"])
        page = self.ok(self.get(circ(c.id, "/goal-reviews?limit=1"), a))
        self.assertEqual(([x["id"] for x in page["items"]], page["next"]), ([rv["id"]], rv["id"]))
        self.assertEqual([x["id"] for x in self.items(circ(c.id, "/goal-reviews"), c.members[2])],
                         [rv["id"], rv2["id"]])
        self.assertIn("goal_review", [e["kind"] for e in self.items(circ(c.id, "/events"), a)])
        self.assertEqual(self.get(circ(c.id, "/goal-reviews"), self.admin).status, 404)


    def test_every_list_of_a_circle_pages_as_a_relationships_lists(self):
        c = form_circle(self, 3)
        a, b = c.members[0], c.members[1]
        made = {
            "notes": [self.ok(self.post(circ(c.id, "/notes"), {
                "visibility": "shared", "text": f"Note {i}"}, a), 201)["id"] for i in range(5)],
            "requests": [self.ok(self.post(circ(c.id, "/requests"), {
                "text": f"Question {i}"}, a), 201)["id"] for i in range(3)],
            "commitments": [self.ok(self.post(circ(c.id, "/commitments"), {
                "text": f"Do {i}", "due_at": self.at(days=3)}, a), 201)["id"] for i in range(3)],
            "feedback": [self.ok(self.post(circ(c.id, "/feedback"), {
                "to_id": b.id, "kind": "recognition", "focus": "task", "text": f"Thanks {i}"},
                a), 201)["id"] for i in range(3)],
            "goals": [self.ok(self.post(circ(c.id, "/goals"), {"text": f"Goal {i}"}, a),
                              201)["id"] for i in range(3)],
            "incidents": [self.ok(self.post(circ(c.id, "/incidents"), {
                "kind": "other", "text": f"Incident {i}"}, a), 201)["id"] for i in range(3)],
            "checkins": [circle_checkin(self, c, c.facilitator)["id"] for _ in range(3)],
        }
        # a private note of b's is in none of a's pages
        self.ok(self.post(circ(c.id, "/notes"), {"visibility": "private", "text": "b's"}, b), 201)
        for tail, ids in made.items():
            first = self.ok(self.get(circ(c.id, f"/{tail}?limit=2"), b if tail != "notes" else a))
            self.assertEqual(([x["id"] for x in first["items"]], first["next"]),
                             (ids[:2], ids[1]), tail)
            rest = self.ok(self.get(circ(c.id, f"/{tail}?limit=2&after={ids[1]}"), a))
            self.assertEqual([x["id"] for x in rest["items"]], ids[2:4], tail)
            self.assertEqual([x["id"] for x in self.items(circ(c.id, f"/{tail}?limit=2"), a)],
                             ids, tail)
            for bad in ("limit=0", "limit=101", "after=-1", "limit=x"):
                self.assertProblem(self.get(circ(c.id, f"/{tail}?{bad}"), a), 400, "bad_query")
        events = self.items(circ(c.id, "/events?limit=3"), a)
        self.assertEqual([e["id"] for e in events], sorted(e["id"] for e in events))
        self.assertGreater(len(events), 20)

    def test_whom_the_facilitator_may_add(self):
        c = form_circle(self, 3)
        newcomer, guide = self.person("Newcomer"), self.person("Guide too")
        self.enroll(c.program_id, newcomer, "learner")
        self.enroll(c.program_id, guide, "guide")
        self.enroll(c.program_id, guide, "learner")
        got = self.items(circ(c.id, "/candidates?limit=1"), c.facilitator)
        self.assertEqual([(x["person_id"], x["role"]) for x in got],
                         [(newcomer.id, "learner"), (guide.id, "guide")])
        self.assertEqual(len(self.items(circ(c.id, "/candidates"), self.admin)), 2)
        self.assertRefused(lambda: self.get(circ(c.id, "/candidates"), c.members[0]), 403, "role")
        self.assertEqual(self.get(circ(c.id, "/candidates"), newcomer).status, 404)
        self.ok(self.post(circ(c.id, "/members"), {"person_id": newcomer.id}, c.facilitator))
        self.assertEqual([x["person_id"] for x in self.items(circ(c.id, "/candidates"),
                                                             c.facilitator)], [guide.id])


class Deletion(FlowTestCase):

    def test_deleting_an_account_shreds_what_its_owner_wrote_in_circles(self):
        c = form_circle(self, 4)
        a, gone = c.members[0], c.members[3]
        kept = self.ok(self.post(circ(c.id, "/notes"), {"visibility": "shared",
                                                        "text": "KEEP a's note"}, a), 201)
        written = [
            self.ok(self.post(circ(c.id, "/notes"), {"visibility": "shared",
                                                     "text": "GONE shared note"}, gone), 201),
            self.ok(self.post(circ(c.id, "/feedback"), {
                "to_id": a.id, "kind": "recognition", "focus": "task", "text": "GONE feedback"},
                gone), 201),
            self.ok(self.post(circ(c.id, "/requests"), {"text": "GONE request"}, gone), 201),
        ]
        private = self.ok(self.post(circ(c.id, "/notes"), {"visibility": "private",
                                                           "text": "GONE diary"}, gone), 201)
        reply = self.ok(self.post(item(written[2]["id"], "/reply"), {"text": "KEEP reply"}, a),
                        201)
        inc = self.ok(self.post(circ(c.id, "/incidents"), {
            "kind": "other", "concerning_id": gone.id, "text": "KEEP a's report"}, a), 201)
        pid = self.ok(self.post(item(inc["id"], "/acknowledge"), {}, gone))["repair_plan_id"]
        self.ok(self.post(plan_url(pid, "/acknowledge"), {"text": "GONE ack",
                                                          "responsibility": "GONE mine"}, gone))
        sealed = [bytes(self.server.query("SELECT text_ct FROM circle_items WHERE id = ?",
                                          x["id"])[0][0]) for x in written + [private]]
        sealed += [bytes(x) for x in self.server.query(
            "SELECT acknowledgement_ct FROM circle_repairs WHERE id = ?", pid)[0]]
        keys = "SELECT COUNT(*) FROM data_keys WHERE author_id = ? AND relationship_id = ?"
        self.assertEqual(self.server.query(keys, gone.id, -c.id)[0][0], 1)  # their own key
        self.ok(self.confirm(gone))
        r = self.delete(f"{API}/me", gone)
        self.assertEqual(r.status, 204, r)
        # The others keep the circle and what they wrote; what the deleted
        # member wrote is there without its text.
        got = self.ok(self.get(circ(c.id), a))
        self.assertEqual(got["state"], "active")
        left = [m for m in got["members"] if m["person_id"] == gone.id][0]
        self.assertIsNotNone(left["left_at"])
        notes = {x["id"]: x["text"] for x in self.items(circ(c.id, "/notes"), a)}
        self.assertEqual(notes, {kept["id"]: "KEEP a's note", written[0]["id"]: None})
        self.assertEqual([x["text"] for x in self.items(circ(c.id, "/feedback"), a)], [None])
        req = self.items(circ(c.id, "/requests"), a)[0]
        self.assertEqual((req["text"], [x["text"] for x in req["replies"]]),
                         (None, ["KEEP reply"]))
        self.assertEqual(self.ok(self.get(item(reply["id"]), a))["text"], "KEEP reply")
        self.assertEqual(self.ok(self.get(item(inc["id"]), a))["text"], "KEEP a's report")
        plan = self.ok(self.get(plan_url(pid), a))
        self.assertEqual(plan["acknowledgement"], {"text": None, "responsibility": None,
                                                   "at": plan["acknowledgement"]["at"]})
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM circle_items WHERE id = ?",
                                           private["id"])[0][0], 0)
        kinds = [(e["kind"], e["subject_id"]) for e in self.items(circ(c.id, "/events"), a)]
        self.assertIn(("member_left", gone.id), kinds)
        self.assertIn(("account_deleted", gone.id), kinds)
        # Their keys in the circle are destroyed (and listed in the
        # destroyed-key log, so a restored backup loses them too).
        self.assertEqual(self.server.query(keys, gone.id, -c.id)[0][0], 0)
        if not PG_BASE:
            raw = b"".join(self.server.file_bytes().values())
            for ct in sealed:
                self.assertNotIn(ct, raw)
        # The export of a member still holds the circle, without the texts.
        self.ok(self.confirm(a))
        x = self.get(f"{API}/me/export", a)
        self.assertEqual(x.status, 200, x)
        self.assertIn(b"KEEP a's note", x.body)
        self.assertNotIn(b"GONE", x.body)

    def test_a_circle_left_below_three_by_a_deletion_pauses(self):
        c = form_circle(self, 3, facilitator=False)
        gone = c.members[2]
        self.ok(self.confirm(gone))
        self.assertEqual(self.delete(f"{API}/me", gone).status, 204)
        got = self.ok(self.get(circ(c.id), c.members[0]))
        self.assertEqual(got["state"], "paused")

    def test_a_proposed_circle_that_waited_for_the_deleted_account_becomes_active(self):
        pid = self.program("mentoring")
        people = [self.person(f"Waiting {i}") for i in range(4)]
        for m in people:
            self.enroll(pid, m, "learner")
        c = self.ok(self.post(f"{API}/circles", {"program_id": pid, "name": "Waiting",
                                                 "member_ids": [m.id for m in people]},
                              self.admin), 201)
        for m in people[:3]:
            self.ok(self.post(circ(c["id"], "/accept"), {}, m))
        self.ok(self.confirm(people[3]))
        self.assertEqual(self.delete(f"{API}/me", people[3]).status, 204)
        self.assertEqual(self.ok(self.get(circ(c["id"]), people[0]))["state"], "active")


if __name__ == "__main__":
    unittest.main()
