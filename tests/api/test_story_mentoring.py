"""Stories 2 and 3: a mentoring proposal declined, and a pause and resume.

Story 2: the learner declines a mentoring proposal with a reason. The
parties read the reason in the event log, the program's admin does not.
Nothing can happen in a declined relationship (409, nothing written), and
the same pair can be proposed again and work in the new relationship.

Story 3: a pair pauses. While paused nothing new starts (409), but what
was already under way can be closed: check-in outcomes, commitment
outcomes, replies, reviews, goal status, milestones reached; notes and
the agreement can still be written. Once resumed, new activity works.
"""

import unittest

from flows import API, AGREEMENT, FlowTestCase, Pair, hours_between, rel, shift


class MentoringDeclined(FlowTestCase):

    REASON = "I am starting a new role and cannot give this the time it needs."

    def test_declined_with_reason_then_nothing_then_proposed_again(self):
        program_id = self.program_at("mentoring")
        guide, learner = self.person("Maya Mentor"), self.person("Tom Mentee")
        self.enroll(program_id, guide, "guide")
        self.enroll(program_id, learner, "learner")
        program_admin = self.program_admin(program_id)
        pair = Pair(program_id, guide, learner)
        first = self.propose(pair, by=program_admin)
        self.assertEqual((first["state"], first["proposed_by"]), ("proposed", program_admin.id))
        self.ok(self.transition(pair.rel_id, guide, "active"))  # the guide accepts first

        r = self.ok(self.transition(pair.rel_id, learner, "declined", reason=self.REASON))
        self.assertEqual((r["state"], r["state_since"]), ("declined", self.at()))
        self.assertEqual(r["accepted"], {"guide": True, "learner": False})

        # The reason: the parties read it, the admins do not.
        for who in (guide, learner):
            last = self.events(pair.rel_id, who)[-1]
            self.assertEqual((last["kind"], last["from"], last["to"], last["actor_id"],
                              last["reason"]),
                             ("transition", "proposed", "declined", learner.id, self.REASON))
        for who in (self.admin, program_admin):
            evs = self.events(pair.rel_id, who)
            self.assertEqual([(e["kind"], e.get("to")) for e in evs],
                             [("proposed", "proposed"), ("accepted", "proposed"),
                              ("transition", "declined")])
            self.assertTrue(all("reason" not in e for e in evs), evs)
            got = self.get(rel(pair.rel_id, "/events"), who)
            self.assertNotIn(b"new role", got.body)
            self.assertEqual(self.ok(self.get(rel(pair.rel_id), who))["state"], "declined")

        # No activity of any kind in a declined relationship.
        soon = shift(self.at(), days=7)
        refusals = [
            (rel(pair.rel_id, "/checkins"), {"scheduled_at": soon}, "relationship_state"),
            (rel(pair.rel_id, "/commitments"),
             {"owner_id": learner.id, "text": "Read the book", "due_at": soon},
             "relationship_state"),
            (rel(pair.rel_id, "/goals"), {"title": "Find a sponsor"}, "relationship_state"),
            (rel(pair.rel_id, "/requests"), {"text": "Can we talk?"}, "relationship_state"),
            (rel(pair.rel_id, "/feedback"),
             {"kind": "recognition", "focus": "task", "text": "Thanks"}, "relationship_state"),
            (rel(pair.rel_id, "/notes"), {"visibility": "private", "text": "Pity."},
             "relationship_state"),
            (rel(pair.rel_id, "/transition"), {"to": "active"}, "invalid_transition"),
            (rel(pair.rel_id, "/transition"), {"to": "paused"}, "invalid_transition"),
        ]
        for who in (guide, learner):
            for path, body, code in refusals:
                self.assertRefused(lambda: self.post(path, body, who), 409, code)
            self.assertRefused(lambda: self.put(rel(pair.rel_id, "/agreement"), AGREEMENT, who),
                               409, "relationship_state")
        for path in ("/checkins", "/commitments", "/goals", "/requests", "/feedback", "/notes",
                     "/goal-reviews"):
            self.assertEqual(self.ok(self.get(rel(pair.rel_id, path), guide)),
                             {"items": [], "next": None}, path)
        counts = self.ok(self.get(rel(pair.rel_id), learner))["counts"]
        self.assertEqual(set(counts.values()), {0})

        # The same pair may be proposed again, and this time it works.
        self.advance(minutes=10)
        second = self.propose(pair)
        self.assertNotEqual(second["id"], first["id"])
        self.assertEqual((second["state"], second["accepted"]),
                         ("proposed", {"guide": False, "learner": False}))
        self.ok(self.transition(second["id"], learner, "active"))
        self.assertEqual(self.ok(self.transition(second["id"], guide, "active"))["state"],
                         "active")
        ck = self.schedule(pair, guide, shift(self.at(), days=7))
        self.assertEqual(ck["relationship_id"], second["id"])
        self.assertEqual(self.ok(self.get(rel(first["id"]), guide))["state"], "declined")
        mine = self.ok(self.get(f"{API}/relationships", learner))
        self.assertEqual([(x["id"], x["state"]) for x in mine["items"]],
                         [(first["id"], "declined"), (second["id"], "active")])


class PauseAndResume(FlowTestCase):

    def test_paused_refuses_new_activity_but_closes_open_items(self):
        pair = self.history_pair(days=14)
        g, l = pair.guide, pair.learner
        now = self.at()
        # Under way before the pause.
        ck = self.schedule(pair, g, shift(now, days=2))
        past_ck = self.schedule(pair, g, shift(now, days=-3), at=shift(now, days=-10))
        cm = self.commit(pair, l, l, "Write the project brief", shift(now, days=5))
        cm2 = self.commit(pair, g, g, "Introduce the learner to Sam", shift(now, days=5))
        q = self.ask(pair, l, "Can you review my brief?")
        goal = self.add_goal(pair, l, "Ship the brief", weight=1)
        ms = self.add_milestone(goal["id"], l, "Outline done")

        self.advance(minutes=5)
        r = self.ok(self.transition(pair.rel_id, g, "paused", reason="Parental leave"))
        self.assertEqual((r["state"], r["state_since"]), ("paused", self.at()))

        # Nothing new starts while paused.
        soon = shift(self.at(), days=7)
        for who in (g, l):
            for path, body, code in [
                ("/checkins", {"scheduled_at": soon}, "relationship_state"),
                ("/commitments", {"owner_id": l.id, "text": "More", "due_at": soon},
                 "relationship_state"),
                ("/goals", {"title": "Another goal"}, "relationship_state"),
                ("/requests", {"text": "Anything new?"}, "relationship_state"),
                ("/feedback", {"kind": "ask"}, "relationship_state"),
            ]:
                p = self.assertRefused(lambda: self.post(rel(pair.rel_id, path), body, who), 409,
                                       code)
                self.assertIn("paused", p["detail"])
            self.assertRefused(lambda: self.post(f"{API}/goals/{goal['id']}/milestones",
                                                 {"title": "Later"}, who), 409, "relationship_state")
        # A check-in cannot be scheduled even with `at` before the pause.
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/checkins"),
                                             {"scheduled_at": soon,
                                              "at": shift(self.at(), minutes=-10)}, g),
                           409, "relationship_state")

        # What was under way can still be closed.
        got = self.checkin_outcome(ck["id"], g, "cancelled", caused_by=g)
        self.assertEqual((got["class"], got["notice_hours"]),
                         ("cancelled_with_notice", hours_between(self.at(), ck["scheduled_at"])))
        self.assertAlmostEqual(got["notice_hours"], 48 - 5 / 60, places=9)
        got = self.checkin_outcome(past_ck["id"], l, "held", at=shift(now, days=-3, hours=1))
        self.assertEqual(got["class"], "held")
        self.assertEqual(self.commitment_outcome(cm["id"], l, "kept")["state"], "kept")
        got = self.commitment_outcome(cm2["id"], g, "renegotiated",
                                      new_due_at=shift(now, days=30))
        self.assertEqual((got["state"], len(got["revisions"])), ("open", 1))
        self.assertIsNotNone(self.reply(q["id"], g, "Yes, after my leave.")["replied_at"])
        review = self.review(pair, l, {goal["id"]: 0})
        self.assertEqual(review["t_score"], 50.0)
        reached = self.ok(self.post(f"{API}/milestones/{ms['id']}/reached", {}, l))
        self.assertEqual(reached["reached_at"], self.at())
        self.assertEqual(self.ok(self.post(f"{API}/goals/{goal['id']}/status",
                                           {"status": "achieved"}, g))["status"], "achieved")
        self.note(pair, l, "private", "Use the pause to finish the course.")
        v1 = self.put_agreement(pair, g, cadence_days=14)
        self.assertEqual(self.acknowledge(pair, l, v1["version"])["in_force"], True)

        # Resumed: activity works again.
        self.advance(minutes=5)
        r = self.ok(self.transition(pair.rel_id, l, "active"))
        self.assertEqual((r["state"], r["state_since"]), ("active", self.at()))
        new_ck = self.schedule(pair, l, shift(self.at(), days=14))
        self.assertIsNone(new_ck["outcome"])
        self.commit(pair, g, l, "Send the revised brief", shift(self.at(), days=3))
        self.ask(pair, g, "How was the leave?")
        self.feedback(pair, l, "recognition", "person", "Thanks for waiting for me.")
        self.add_goal(pair, g, "Present the brief")

        steps = [(e["kind"], e.get("from"), e.get("to"), e["actor_id"])
                 for e in self.events(pair.rel_id, g) if e["kind"] == "transition"]
        self.assertEqual(steps, [("transition", "proposed", "active", l.id),
                                 ("transition", "active", "paused", g.id),
                                 ("transition", "paused", "active", l.id)])
        # An admin counts shared notes only: the learner's note is private.
        counts = self.ok(self.get(rel(pair.rel_id), self.admin))["counts"]
        self.assertEqual(counts, {"checkins": 3, "checkins_held": 1, "commitments": 3,
                                  "commitments_open": 2, "goals": 2, "notes": 0, "feedback": 1,
                                  "requests": 2})


if __name__ == "__main__":
    unittest.main()
