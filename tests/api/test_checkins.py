"""Check-ins: scheduling, outcomes and their classes (with the cadence in
force), follow-ups of a reschedule, who may see and record them, the
states that allow them, validation and paging."""

import unittest

from flows import API, FlowTestCase, hours_between, rel, shift


class Classes(FlowTestCase):
    """tau = max(1 day, 0.2 * cadence days); notice of 24 h or more is
    "with notice" (domain/checkin.h)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A program whose cadence is 14 days: tau = 2.8 days = 67.2 h.
        cls.shared = cls.helper().history_pair(days=60, settings={"cadence_days": 14})

    def past_checkin(self, days_ago=20, who=None):
        """A check-in scheduled `days_ago` days before the clock, booked a
        week before that."""
        when = self.at(days=-days_ago)
        return self.schedule(self.shared, who or self.shared.guide, when,
                             at=shift(when, days=-7))

    def test_held_within_tau_is_held_and_after_it_held_late(self):
        g, l = self.shared.guide, self.shared.learner
        on_edge = self.past_checkin()
        got = self.checkin_outcome(on_edge["id"], g, "held",
                                   at=shift(on_edge["scheduled_at"], hours=67, minutes=12))
        self.assertEqual((got["class"], got["late_hours"], got["caused_by"]), ("held", None, None))
        late = self.past_checkin()
        at = shift(late["scheduled_at"], hours=67, minutes=12, seconds=1)
        got = self.checkin_outcome(late["id"], l, "held", at=at, caused_by=l)
        self.assertEqual((got["class"], got["caused_by"], got["outcome_at"]),
                         ("held_late", l.id, at))
        self.assertEqual(got["late_hours"], hours_between(late["scheduled_at"], at))
        self.assertAlmostEqual(got["late_hours"], 67.2 + 1 / 3600, places=9)
        # A meeting held early is simply held.
        early = self.past_checkin()
        got = self.checkin_outcome(early["id"], g, "held",
                                   at=shift(early["scheduled_at"], days=-3))
        self.assertEqual(got["class"], "held")

    def test_notice_of_24_hours_is_with_notice(self):
        g, l = self.shared.guide, self.shared.learner
        cases = [("cancelled", 24 * 3600, "cancelled_with_notice"),
                 ("cancelled", 24 * 3600 - 1, "cancelled_late"),
                 ("cancelled", -2 * 3600, "cancelled_late"),  # recorded after the time
                 ("rescheduled", 24 * 3600, "rescheduled_with_notice"),
                 ("rescheduled", 3600, "rescheduled_late")]
        for outcome, notice_s, cls in cases:
            with self.subTest(outcome=outcome, notice_s=notice_s):
                ck = self.past_checkin()
                at = shift(ck["scheduled_at"], seconds=-notice_s)
                extra = {"new_scheduled_at": shift(ck["scheduled_at"], days=2)} \
                    if outcome == "rescheduled" else {}
                got = self.checkin_outcome(ck["id"], l, outcome, at=at, caused_by=g, **extra)
                self.assertEqual((got["outcome"], got["class"], got["caused_by"]),
                                 (outcome, cls, g.id))
                self.assertEqual(got["notice_hours"], notice_s / 3600)
                self.assertIsNone(got["late_hours"])

    def test_reschedule_creates_the_follow_up(self):
        g, l = self.shared.guide, self.shared.learner
        ck = self.past_checkin(days_ago=10)
        at = shift(ck["scheduled_at"], days=-2)
        new_time = shift(ck["scheduled_at"], days=1)
        got = self.checkin_outcome(ck["id"], g, "rescheduled", at=at, caused_by=l,
                                   new_scheduled_at=new_time)
        follow = self.ok(self.get(f"{API}/checkins/{got['rescheduled_to']}", l))
        self.assertEqual(follow, {"id": got["rescheduled_to"],
                                  "relationship_id": self.shared.rel_id,
                                  "scheduled_at": new_time, "created_at": at, "outcome": None,
                                  "class": None, "caused_by": None, "outcome_at": None,
                                  "notice_hours": None, "late_hours": None,
                                  "rescheduled_to": None})
        evs = [(e["kind"], e["subject_id"], e["at"], e["actor_id"])
               for e in self.events(self.shared.rel_id, l)][-2:]
        self.assertEqual(evs, [("checkin_outcome", ck["id"], at, g.id),
                               ("checkin_scheduled", follow["id"], at, g.id)])
        # The follow-up is an ordinary check-in.
        done = self.checkin_outcome(follow["id"], l, "no_show", caused_by=g,
                                    at=shift(new_time, minutes=30))
        self.assertEqual(done["class"], "no_show")

    def test_no_show_and_mutual_cancel(self):
        g, l = self.shared.guide, self.shared.learner
        ck = self.past_checkin()
        got = self.checkin_outcome(ck["id"], g, "no_show", caused_by=l,
                                   at=ck["scheduled_at"])
        self.assertEqual((got["class"], got["caused_by"], got["notice_hours"]),
                         ("no_show", l.id, None))
        ck = self.past_checkin()
        got = self.checkin_outcome(ck["id"], l, "mutual_cancel",
                                   at=shift(ck["scheduled_at"], days=-1))
        self.assertEqual((got["class"], got["caused_by"], got["notice_hours"]),
                         ("mutual_cancel", None, None))

    def test_an_outcome_is_recorded_once(self):
        ck = self.past_checkin()
        self.checkin_outcome(ck["id"], self.shared.guide, "held", at=ck["scheduled_at"])
        for who in (self.shared.guide, self.shared.learner):
            self.assertRefused(lambda: self.post(f"{API}/checkins/{ck['id']}/outcome",
                                                 {"outcome": "no_show", "caused_by": who.id},
                                                 who), 409, "outcome_recorded")
        # Even a bad `at` is second to the conflict.
        self.assertRefused(lambda: self.post(f"{API}/checkins/{ck['id']}/outcome",
                                             {"outcome": "held", "at": self.at(days=1)},
                                             self.shared.guide), 409, "outcome_recorded")

    def test_outcome_defaults_to_now(self):
        ck = self.schedule(self.shared, self.shared.learner, self.at(hours=-1))
        self.assertEqual(ck["created_at"], self.at())
        got = self.checkin_outcome(ck["id"], self.shared.guide, "held")
        self.assertEqual((got["outcome_at"], got["class"]), (self.at(), "held"))


class CadenceInForce(FlowTestCase):

    def test_the_agreement_in_force_sets_tau_not_a_newer_draft(self):
        pair = self.history_pair(days=30)  # coaching: program cadence 7, tau 33.6 h
        g, l = pair.guide, pair.learner

        def held_after(hours):
            ck = self.schedule(pair, g, self.at(days=-10), at=self.at(days=-20))
            return self.checkin_outcome(ck["id"], l, "held", caused_by=l,
                                        at=shift(ck["scheduled_at"], hours=hours))

        self.assertEqual(held_after(34)["class"], "held_late")
        self.put_agreement(pair, g, cadence_days=14)  # tau 67.2 h once in force
        self.acknowledge(pair, l, 1)
        self.put_agreement(pair, l, cadence_days=3)  # not in force: ignored
        with self.subTest("within the agreed tau"):
            ck = self.schedule(pair, g, self.at(days=-10), at=self.at(days=-20))
            got = self.checkin_outcome(ck["id"], l, "held",
                                       at=shift(ck["scheduled_at"], hours=60))
            self.assertEqual(got["class"], "held")
        self.assertEqual(held_after(68)["class"], "held_late")


class Refusals(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.shared = h.history_pair(days=30)
        cls.others = h.outsiders(cls.shared)
        cls.ck = h.schedule(cls.shared, cls.shared.guide, h.at(days=-5), at=h.at(days=-6))

    def outcome_refused(self, body, status, code, pointers=None, detail=None, who=None):
        return self.assertRefused(
            lambda: self.post(f"{API}/checkins/{self.ck['id']}/outcome", body,
                              who or self.shared.learner), status, code, pointers, detail)

    def schedule_refused(self, body, pointers, detail=None):
        return self.assertRefused(
            lambda: self.post(rel(self.shared.rel_id, "/checkins"), body, self.shared.guide),
            422, "validation", pointers, detail)

    def test_admins_and_strangers_get_404(self):
        rid, cid = self.shared.rel_id, self.ck["id"]
        for label, who in self.others:
            with self.subTest(label):
                self.assertAllNotFound([
                    lambda: self.post(rel(rid, "/checkins"), {"scheduled_at": self.at(days=1)},
                                      who),
                    lambda: self.get(rel(rid, "/checkins"), who),
                ], "No such relationship.")
                self.assertAllNotFound([
                    lambda: self.get(f"{API}/checkins/{cid}", who),
                    lambda: self.post(f"{API}/checkins/{cid}/outcome", {"outcome": "held"}, who),
                ], "No such check-in.")
        self.assertAllNotFound([
            lambda: self.get(f"{API}/checkins/999999", self.shared.guide),
            lambda: self.post(f"{API}/checkins/999999/outcome", {"outcome": "held"},
                              self.shared.guide),
            lambda: self.post(rel(999999, "/checkins"), {"scheduled_at": self.at(days=1)},
                              self.shared.guide),
        ])

    def test_both_parties_see_it(self):
        for who in (self.shared.guide, self.shared.learner):
            self.assertEqual(self.ok(self.get(f"{API}/checkins/{self.ck['id']}", who)), self.ck)

    def test_schedule_validation(self):
        self.schedule_refused({}, ["/scheduled_at"], "Required.")
        self.schedule_refused({"scheduled_at": 1772355600}, ["/scheduled_at"], "RFC 3339")
        self.schedule_refused({"scheduled_at": "2026-03-08"}, ["/scheduled_at"], "RFC 3339")
        self.schedule_refused({"scheduled_at": "2026-03-08T25:00:00Z"}, ["/scheduled_at"])
        self.schedule_refused({"scheduled_at": self.at(days=1), "where": "cafe"}, ["/where"],
                              "Unknown field.")
        self.schedule_refused({"scheduled_at": shift(self.shared.start, seconds=-1)},
                              ["/scheduled_at"], "before the relationship was proposed")
        self.schedule_refused({"scheduled_at": self.at(days=1), "at": self.at(seconds=1)},
                              ["/at"], "The time may not be in the future.")
        self.schedule_refused({"scheduled_at": self.at(days=1),
                               "at": shift(self.shared.start, seconds=-1)}, ["/at"],
                              "The time may not be before the relationship was proposed.")
        self.schedule_refused({"scheduled_at": None, "at": "soon", "x": 1},
                              ["/at", "/scheduled_at", "/x"])

    def test_outcome_fields(self):
        g, l = self.shared.guide, self.shared.learner
        sched = self.ck["scheduled_at"]
        cases = [
            ({}, ["/outcome"], "Required."),
            ({"outcome": "late"}, ["/outcome"], 'Must be one of "held", "rescheduled"'),
            ({"outcome": "Held"}, ["/outcome"], "Must be one of"),
            ({"outcome": 1}, ["/outcome"], "Must be one of"),
            ({"outcome": "no_show", "caused_by": "guide"}, ["/caused_by"],
             "Must be a positive integer id."),
            ({"outcome": "no_show", "caused_by": 0}, ["/caused_by"],
             "Must be a positive integer id."),
            ({"outcome": "held", "notes": "good"}, ["/notes"], "Unknown field."),
            ({"outcome": "no_show", "at": sched}, ["/caused_by"], "Say who caused it."),
            ({"outcome": "cancelled", "at": shift(sched, hours=-12)}, ["/caused_by"],
             "Say who caused it."),
            ({"outcome": "held", "caused_by": g.id, "at": sched}, ["/caused_by"],
             "A check-in held on time has no cause"),
            ({"outcome": "mutual_cancel", "caused_by": l.id}, ["/caused_by"],
             "A mutual cancellation has no cause"),
            ({"outcome": "no_show", "caused_by": self.admin.id, "at": sched}, ["/caused_by"],
             "Must be the guide or the learner."),
            ({"outcome": "rescheduled", "caused_by": g.id}, ["/new_scheduled_at"],
             "Say when the check-in is rescheduled to."),
            ({"outcome": "held", "at": sched, "new_scheduled_at": self.at(days=2)},
             ["/new_scheduled_at"],
             "Give a new time only when the check-in is rescheduled."),
            ({"outcome": "rescheduled", "caused_by": g.id, "new_scheduled_at": self.at()},
             ["/new_scheduled_at"], "must be after the time of rescheduling"),
            ({"outcome": "rescheduled", "caused_by": g.id, "at": shift(sched, days=-1),
              "new_scheduled_at": sched}, ["/new_scheduled_at"],
             "The new time must differ from the scheduled time."),
            ({"outcome": "no_show", "caused_by": g.id, "at": shift(sched, seconds=-1)}, ["/at"],
             "A no-show cannot be recorded before the scheduled time."),
            ({"outcome": "held", "at": shift(self.ck["created_at"], seconds=-1)}, ["/at"],
             "The time may not be before the check-in was scheduled."),
            ({"outcome": "held", "at": self.at(seconds=1)}, ["/at"],
             "The time may not be in the future."),
            ({"outcome": "held", "at": shift(self.shared.start, seconds=-1)}, ["/at"],
             "The time may not be before the relationship was proposed."),
            ({"outcome": "rescheduled", "at": "x", "new_scheduled_at": 5, "caused_by": -1},
             ["/at", "/caused_by", "/new_scheduled_at"], None),
            ({"outcome": "no_show", "caused_by": self.admin.id, "at": shift(sched, seconds=-1)},
             ["/at", "/caused_by"], None),
        ]
        for body, pointers, detail in cases:
            with self.subTest(body):
                self.outcome_refused(body, 422, "validation", pointers, detail)
        self.assertIsNone(self.ok(self.get(f"{API}/checkins/{self.ck['id']}", g))["outcome"])


class States(FlowTestCase):

    def test_scheduling_needs_an_active_relationship_outcomes_do_not(self):
        pair = self.pair()
        self.propose(pair)
        body = {"scheduled_at": self.at(days=7)}
        p = self.assertRefused(lambda: self.post(rel(pair.rel_id, "/checkins"), body,
                                                 pair.guide), 409, "relationship_state")
        self.assertEqual(p["detail"], "Check-ins can be scheduled only while the relationship is "
                                      "active (it is proposed).")
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.learner, "active"))
        first = self.schedule(pair, pair.guide, self.at(days=1))
        second = self.schedule(pair, pair.guide, self.at(days=2))
        self.ok(self.transition(pair.rel_id, pair.learner, "paused"))
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/checkins"), body, pair.learner),
                           409, "relationship_state")
        self.assertEqual(self.checkin_outcome(first["id"], pair.learner, "cancelled",
                                              caused_by=pair.learner)["class"],
                         "cancelled_with_notice")
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.guide, "completed"))
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/checkins"), body, pair.learner),
                           409, "relationship_state")
        third = self.checkin_outcome(second["id"], pair.guide, "mutual_cancel")
        self.assertEqual(third["class"], "mutual_cancel")
        self.ok(self.transition(pair.rel_id, pair.guide, "alumni"))
        p = self.assertRefused(lambda: self.post(f"{API}/checkins/{second['id']}/outcome",
                                                 {"outcome": "held"}, pair.guide), 409,
                               "relationship_state")
        self.assertIn("alumni", p["detail"])

    def test_ended_takes_no_outcomes(self):
        pair = self.active_relationship()
        ck = self.schedule(pair, pair.guide, self.at(days=1))
        self.ok(self.transition(pair.rel_id, pair.learner, "ended", reason="Not a fit"))
        self.assertRefused(lambda: self.post(f"{API}/checkins/{ck['id']}/outcome",
                                             {"outcome": "cancelled",
                                              "caused_by": pair.learner.id}, pair.learner),
                           409, "relationship_state")
        self.assertEqual(self.ok(self.get(f"{API}/checkins/{ck['id']}", pair.guide))["id"],
                         ck["id"])


class Paging(FlowTestCase):

    def test_list_pages_in_id_order(self):
        pair = self.active_relationship()
        ids = [self.schedule(pair, pair.guide if i % 2 else pair.learner,
                             self.at(days=7 - i))["id"] for i in range(5)]
        self.assertPages(rel(pair.rel_id, "/checkins"), pair.learner, ids)
        other = self.active_relationship()
        self.assertEqual(self.ok(self.get(rel(other.rel_id, "/checkins"), other.guide)),
                         {"items": [], "next": None})


if __name__ == "__main__":
    unittest.main()
