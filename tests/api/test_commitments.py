"""Commitments: adding them, their outcomes (kept, kept late, renegotiated
with its revisions, broken, dropped), the automatic break 24 h past due,
who may see and close them, the states that allow them, validation,
filtering and paging."""

import unittest

from flows import API, FlowTestCase, rel, shift


class Outcomes(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = cls.helper().history_pair(days=30)

    def add(self, due_days_ago=5, made_days_ago=10, who=None, owner=None, text="Do the thing"):
        p = self.shared
        return self.commit(p, who or p.learner, owner or p.learner, text,
                           self.at(days=-due_days_ago), at=self.at(days=-made_days_ago))

    def test_added_commitment_shape(self):
        p = self.shared
        got = self.commit(p, p.guide, p.learner, "Book the workshop room", self.at(days=3))
        self.assertEqual(got, {"id": got["id"], "relationship_id": p.rel_id,
                               "owner_id": p.learner.id, "text": "Book the workshop room",
                               "created_at": self.at(), "due_at": self.at(days=3),
                               "original_due_at": self.at(days=3), "state": "open",
                               "closed_at": None, "closed_by": None,
                               "broken_automatically": False, "revisions": []})
        self.assertEqual(self.ok(self.get(f"{API}/commitments/{got['id']}", p.learner)), got)
        last = self.events(p.rel_id, p.learner)[-1]
        self.assertEqual((last["kind"], last["actor_id"], last["subject_id"], last["at"]),
                         ("commitment_added", p.guide.id, got["id"], self.at()))

    def test_kept_on_the_due_time_is_kept_a_second_later_kept_late(self):
        on_time = self.add()
        got = self.commitment_outcome(on_time["id"], self.shared.guide, "kept",
                                      at=on_time["due_at"])
        self.assertEqual((got["state"], got["closed_at"], got["closed_by"]),
                         ("kept", on_time["due_at"], self.shared.guide.id))
        late = self.add()
        at = shift(late["due_at"], seconds=1)
        got = self.commitment_outcome(late["id"], self.shared.learner, "kept", at=at)
        self.assertEqual((got["state"], got["closed_at"]), ("kept_late", at))

    def test_an_outcome_may_not_predate_the_latest_renegotiation(self):
        cm = self.add(due_days_ago=1, made_days_ago=12)
        moved_at = shift(cm["due_at"], days=-3)
        self.commitment_outcome(cm["id"], self.shared.learner, "renegotiated", at=moved_at,
                                new_due_at=self.at(days=2))
        self.assertRefused(
            lambda: self.post(f"{API}/commitments/{cm['id']}/outcome",
                              {"outcome": "kept", "at": shift(moved_at, seconds=-1)},
                              self.shared.guide),
            422, "validation", ["/at"], "last renegotiated")
        got = self.commitment_outcome(cm["id"], self.shared.guide, "kept", at=moved_at)
        self.assertEqual((got["state"], got["closed_at"]), ("kept", moved_at))

    def test_renegotiations_keep_their_history(self):
        cm = self.add(due_days_ago=2, made_days_ago=12)
        first_due = cm["due_at"]
        r1 = shift(first_due, days=-5)
        second_due = shift(first_due, days=-1)  # earlier is a renegotiation too
        got = self.commitment_outcome(cm["id"], self.shared.learner, "renegotiated", at=r1,
                                      new_due_at=second_due)
        r2 = shift(second_due, hours=-1)
        third_due = self.at(days=4)
        got = self.commitment_outcome(cm["id"], self.shared.guide, "renegotiated", at=r2,
                                      new_due_at=third_due)
        self.assertEqual((got["state"], got["due_at"], got["original_due_at"], got["closed_at"]),
                         ("open", third_due, first_due, None))
        self.assertEqual(got["revisions"], [
            {"at": r1, "by": self.shared.learner.id, "old_due_at": first_due,
             "new_due_at": second_due},
            {"at": r2, "by": self.shared.guide.id, "old_due_at": second_due,
             "new_due_at": third_due}])
        kept = self.commitment_outcome(cm["id"], self.shared.learner, "kept")
        self.assertEqual((kept["state"], kept["revisions"]), ("kept", got["revisions"]))
        listed = [x for x in self.items(rel(self.shared.rel_id, "/commitments"),
                                        self.shared.guide) if x["id"] == cm["id"]]
        self.assertEqual(listed, [kept])
        kinds = [e["kind"] for e in self.events(self.shared.rel_id, self.shared.guide)
                 if e["subject_id"] == cm["id"] and e["kind"].startswith("commitment")]
        self.assertEqual(kinds, ["commitment_added", "commitment_renegotiated",
                                 "commitment_renegotiated", "commitment_outcome"])

    def test_renegotiating_after_the_due_time_is_409_past_due(self):
        cm = self.add()
        for at in (cm["due_at"], self.at()):
            self.assertRefused(lambda: self.post(f"{API}/commitments/{cm['id']}/outcome",
                                                 {"outcome": "renegotiated", "at": at,
                                                  "new_due_at": self.at(days=3)},
                                                 self.shared.learner), 409, "past_due")

    def test_broken_and_dropped_then_closed_for_good(self):
        broken, dropped = self.add(), self.add(due_days_ago=-3)
        got = self.commitment_outcome(broken["id"], self.shared.guide, "broken")
        self.assertEqual((got["state"], got["broken_automatically"], got["closed_by"]),
                         ("broken", False, self.shared.guide.id))
        got = self.commitment_outcome(dropped["id"], self.shared.learner, "dropped",
                                      at=self.at(days=-1))
        self.assertEqual((got["state"], got["closed_at"]), ("dropped", self.at(days=-1)))
        for cm, state in ((broken, "broken"), (dropped, "dropped")):
            for outcome in ("kept", "broken", "dropped"):
                p = self.assertRefused(lambda: self.post(f"{API}/commitments/{cm['id']}/outcome",
                                                         {"outcome": outcome},
                                                         self.shared.learner),
                                       409, "commitment_closed")
                self.assertEqual(p["detail"], f"This commitment is already {state}.")
            # The conflict comes before any complaint about the body's times.
            self.assertRefused(lambda: self.post(f"{API}/commitments/{cm['id']}/outcome",
                                                 {"outcome": "renegotiated",
                                                  "at": self.at(days=1)}, self.shared.guide),
                               409, "commitment_closed")

    def test_broken_by_a_party_at_the_break_time_is_not_automatic(self):
        cm = self.add()
        got = self.commitment_outcome(cm["id"], self.shared.guide, "broken",
                                      at=shift(cm["due_at"], hours=24))
        self.assertEqual((got["state"], got["broken_automatically"], got["closed_by"]),
                         ("broken", False, self.shared.guide.id))

    def test_state_filter(self):
        pair = self.active_relationship()
        a = self.commit(pair, pair.guide, pair.guide, "A", self.at(days=1))
        b = self.commit(pair, pair.guide, pair.learner, "B", self.at(days=1))
        c = self.commit(pair, pair.learner, pair.learner, "C", self.at(days=1))
        self.commitment_outcome(b["id"], pair.learner, "dropped")
        path = rel(pair.rel_id, "/commitments")
        self.assertEqual([x["id"] for x in self.ok(self.get(path, pair.guide))["items"]],
                         [a["id"], b["id"], c["id"]])
        self.assertEqual([x["id"] for x in self.ok(self.get(path + "?state=open",
                                                            pair.guide))["items"]],
                         [a["id"], c["id"]])
        self.assertEqual([x["id"] for x in self.ok(self.get(path + "?state=closed",
                                                            pair.learner))["items"]], [b["id"]])
        for bad in ("?state=dropped", "?state=", "?state=OPEN"):
            p = self.assertProblem(self.get(path + bad, pair.guide), 400, "bad_query")
            self.assertEqual(p["detail"], "state must be open or closed.")


class AutomaticBreak(FlowTestCase):
    """Open commitments break by themselves 24 h after their due time; the
    clock moves here, so this class has its own server."""

    def test_breaks_at_due_plus_24_hours_by_nobody(self):
        pair = self.active_relationship()
        g, l = pair.guide, pair.learner
        t0 = self.at()
        soon = self.commit(pair, l, l, "Call the client", self.at(hours=2))
        later = self.commit(pair, g, l, "Send the summary", self.at(hours=30))
        kept = self.commit(pair, l, l, "Read the brief", self.at(hours=1))
        moved = self.commit(pair, l, l, "Draft the plan", self.at(hours=3))
        self.commitment_outcome(kept["id"], l, "kept")
        self.commitment_outcome(moved["id"], g, "renegotiated", new_due_at=self.at(days=3))

        # Not yet: one second short of due + 24 h.
        self.move_clock(shift(soon["due_at"], hours=24, seconds=-1), g, l)
        self.run_jobs()
        self.assertEqual(self.ok(self.get(f"{API}/commitments/{soon['id']}", g))["state"], "open")

        self.move_clock(shift(soon["due_at"], hours=25), g, l)
        self.run_jobs()
        breaks_at = shift(soon["due_at"], hours=24)
        got = self.ok(self.get(f"{API}/commitments/{soon['id']}", l))
        self.assertEqual((got["state"], got["broken_automatically"], got["closed_at"],
                          got["closed_by"]), ("broken", True, breaks_at, None))
        for cm, state in ((later, "open"), (kept, "kept"), (moved, "open")):
            self.assertEqual(self.ok(self.get(f"{API}/commitments/{cm['id']}", g))["state"],
                             state)
        broken_events = [e for e in self.events(pair.rel_id, g) if e["kind"] == "commitment_broken"]
        self.assertEqual([(e["actor_id"], e["at"], e["subject_id"], e["recorded_at"])
                          for e in broken_events],
                         [(None, breaks_at, soon["id"], self.at())])
        self.assertRefused(lambda: self.post(f"{API}/commitments/{soon['id']}/outcome",
                                             {"outcome": "kept"}, l), 409, "commitment_closed")
        # A second run breaks nothing again.
        before = self.items(rel(pair.rel_id, "/commitments"), g)
        self.run_jobs()
        self.assertEqual(self.items(rel(pair.rel_id, "/commitments"), g), before)
        self.assertEqual(len([e for e in self.events(pair.rel_id, g)
                              if e["kind"] == "commitment_broken"]), 1)

        # The renegotiated one breaks 24 h after its new due time, the other
        # at its own; a party's late "kept" would have come too late.
        self.move_clock(shift(t0, days=5), g, l)
        self.run_jobs()
        for cm, due in ((later, later["due_at"]), (moved, shift(t0, days=3))):
            got = self.ok(self.get(f"{API}/commitments/{cm['id']}", g))
            self.assertEqual((got["state"], got["broken_automatically"], got["closed_at"],
                              got["due_at"]), ("broken", True, shift(due, hours=24), due))
        self.assertEqual(self.ok(self.get(rel(pair.rel_id), self.admin))["counts"]
                         ["commitments_open"], 0)
        self.assertEqual(len([e for e in self.events(pair.rel_id, l)
                              if e["kind"] == "commitment_broken"]), 3)

    def test_commitments_of_an_ended_relationship_are_left_as_they_were(self):
        pair = self.active_relationship()
        g, l = pair.guide, pair.learner
        cm = self.commit(pair, l, l, "Send the report", self.at(hours=2))
        self.ok(self.post(rel(pair.rel_id, "/transition"),
                          {"to": "ended", "reason": "Moving abroad."}, l))
        self.move_clock(shift(cm["due_at"], days=3), g, l)
        self.run_jobs()
        got = self.ok(self.get(f"{API}/commitments/{cm['id']}", g))
        self.assertEqual((got["state"], got["closed_at"]), ("open", None))
        self.assertEqual([e for e in self.events(pair.rel_id, g)
                          if e["kind"] == "commitment_broken"], [])


class Refusals(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.shared = h.history_pair(days=30)
        cls.others = h.outsiders(cls.shared)
        cls.cm = h.commit(cls.shared, cls.shared.learner, cls.shared.learner, "Shared commitment",
                          h.at(days=2), at=h.at(days=-3))

    def add_refused(self, body, pointers, detail=None):
        return self.assertRefused(lambda: self.post(rel(self.shared.rel_id, "/commitments"), body,
                                                    self.shared.guide),
                                  422, "validation", pointers, detail)

    def test_admins_and_strangers_get_404(self):
        rid, cid = self.shared.rel_id, self.cm["id"]
        body = {"owner_id": self.shared.learner.id, "text": "x", "due_at": self.at(days=1)}
        for label, who in self.others:
            with self.subTest(label):
                self.assertAllNotFound([
                    lambda: self.post(rel(rid, "/commitments"), body, who),
                    lambda: self.get(rel(rid, "/commitments"), who),
                    lambda: self.get(rel(rid, "/commitments?state=open"), who),
                ], "No such relationship.")
                self.assertAllNotFound([
                    lambda: self.get(f"{API}/commitments/{cid}", who),
                    lambda: self.post(f"{API}/commitments/{cid}/outcome", {"outcome": "kept"},
                                      who),
                ], "No such commitment.")
        self.assertAllNotFound([lambda: self.get(f"{API}/commitments/999999", self.shared.guide),
                                lambda: self.post(f"{API}/commitments/999999/outcome",
                                                  {"outcome": "dropped"}, self.shared.guide)])

    def test_add_validation(self):
        g, l = self.shared.guide, self.shared.learner
        ok = {"owner_id": l.id, "text": "Write it", "due_at": self.at(days=1)}
        self.add_refused({}, ["/due_at", "/owner_id", "/text"], "Required.")
        cases = [
            ({"owner_id": str(l.id)}, ["/owner_id"], "Must be a positive integer id."),
            ({"owner_id": 0}, ["/owner_id"], "Must be a positive integer id."),
            ({"owner_id": self.admin.id}, ["/owner_id"], "Must be the guide or the learner."),
            ({"owner_id": dict(self.others)["learner of the program"].id}, ["/owner_id"],
             "Must be the guide or the learner."),
            ({"text": 7}, ["/text"], "Must be a string."),
            ({"text": ""}, ["/text"], "Must not be empty."),
            ({"text": "t" * 2001}, ["/text"], "Must be at most 2000 bytes."),
            ({"due_at": "tomorrow"}, ["/due_at"], "RFC 3339"),
            ({"due_at": self.at()}, ["/due_at"], "The due time must be after the time"),
            ({"due_at": self.at(days=-1), "at": self.at(days=-1)}, ["/due_at"],
             "The due time must be after the time"),
            ({"priority": "high"}, ["/priority"], "Unknown field."),
            ({"at": self.at(seconds=1)}, ["/at"], "The time may not be in the future."),
            ({"at": shift(self.shared.start, seconds=-1)}, ["/at"],
             "The time may not be before the relationship was proposed."),
            ({"owner_id": self.admin.id, "due_at": self.at(hours=-1)}, ["/due_at", "/owner_id"],
             None),
            # Fields the parser refuses are reported before the rules are applied.
            ({"owner_id": self.admin.id, "text": "t" * 2001, "due_at": self.at(hours=-1)},
             ["/text"], "Must be at most 2000 bytes."),
        ]
        for change, pointers, detail in cases:
            with self.subTest(sorted(change)):
                self.add_refused({**ok, **change}, pointers, detail)
        # The limits are accepted: 2000 bytes, due one second after it is made.
        got = self.commit(self.shared, g, g, "t" * 2000, self.at(seconds=1))
        self.assertEqual(len(got["text"]), 2000)
        # A backdated commitment may already be past due.
        got = self.commit(self.shared, l, l, "Old", self.at(days=-1), at=self.at(days=-2))
        self.assertEqual((got["created_at"], got["state"]), (self.at(days=-2), "open"))

    def test_outcome_validation(self):
        cid = self.cm["id"]
        created = self.cm["created_at"]
        cases = [
            ({}, ["/outcome"], "Required."),
            ({"outcome": "done"}, ["/outcome"],
             'Must be one of "kept", "renegotiated", "broken", "dropped".'),
            ({"outcome": "kept_late"}, ["/outcome"], "Must be one of"),
            ({"outcome": "renegotiated"}, ["/new_due_at"], "Say when the commitment is now due."),
            ({"outcome": "kept", "new_due_at": self.at(days=5)}, ["/new_due_at"],
             "Give a new due time only when the commitment is renegotiated."),
            ({"outcome": "renegotiated", "new_due_at": self.at()}, ["/new_due_at"],
             "The new due time must be after the time of renegotiation."),
            ({"outcome": "renegotiated", "new_due_at": self.cm["due_at"]}, ["/new_due_at"],
             "The new due time must differ from the current one."),
            ({"outcome": "renegotiated", "new_due_at": 1}, ["/new_due_at"], "RFC 3339"),
            ({"outcome": "kept", "at": shift(created, seconds=-1)}, ["/at"],
             "The time may not be before the commitment was made."),
            ({"outcome": "kept", "at": self.at(seconds=1)}, ["/at"],
             "The time may not be in the future."),
            ({"outcome": "kept", "at": shift(self.shared.start, seconds=-1)}, ["/at"],
             "The time may not be before the relationship was proposed."),
            ({"outcome": "kept", "by": self.shared.guide.id}, ["/by"], "Unknown field."),
            ({"outcome": None, "at": False}, ["/at", "/outcome"], None),
        ]
        for body, pointers, detail in cases:
            with self.subTest(body):
                self.assertRefused(lambda: self.post(f"{API}/commitments/{cid}/outcome", body,
                                                     self.shared.learner),
                                   422, "validation", pointers, detail)
        self.assertEqual(self.ok(self.get(f"{API}/commitments/{cid}",
                                          self.shared.guide))["state"], "open")


class States(FlowTestCase):

    def test_added_only_while_active_closed_until_completed(self):
        pair = self.pair()
        self.propose(pair)
        body = {"owner_id": pair.learner.id, "text": "Plan", "due_at": self.at(days=2)}
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/commitments"), body,
                                             pair.learner), 409, "relationship_state")
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.learner, "active"))
        a = self.commit(pair, pair.learner, pair.learner, "A", self.at(days=2))
        b = self.commit(pair, pair.learner, pair.learner, "B", self.at(days=2))
        self.ok(self.transition(pair.rel_id, pair.guide, "paused"))
        p = self.assertRefused(lambda: self.post(rel(pair.rel_id, "/commitments"), body,
                                                 pair.guide), 409, "relationship_state")
        self.assertEqual(p["detail"], "Commitments can be added only while the relationship is "
                                      "active (it is paused).")
        # `at` is judged after the state: the state conflict comes first.
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/commitments"),
                                             {**body, "at": self.at(days=9)}, pair.guide),
                           409, "relationship_state")
        self.assertEqual(self.commitment_outcome(a["id"], pair.learner, "kept")["state"], "kept")
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.guide, "completed"))
        got = self.commitment_outcome(b["id"], pair.learner, "renegotiated",
                                      new_due_at=self.at(days=9))
        self.assertEqual(got["state"], "open")
        self.ok(self.transition(pair.rel_id, pair.learner, "alumni"))
        p = self.assertRefused(lambda: self.post(f"{API}/commitments/{b['id']}/outcome",
                                                 {"outcome": "kept"}, pair.learner),
                               409, "relationship_state")
        self.assertIn("alumni", p["detail"])


class Paging(FlowTestCase):

    def test_list_pages_with_and_without_the_filter(self):
        pair = self.active_relationship()
        ids = [self.commit(pair, pair.guide, pair.learner, f"C{i}", self.at(days=i + 1))["id"]
               for i in range(6)]
        self.commitment_outcome(ids[1], pair.learner, "kept")
        self.commitment_outcome(ids[4], pair.learner, "dropped")
        self.assertPages(rel(pair.rel_id, "/commitments"), pair.guide, ids)
        self.assertPages(rel(pair.rel_id, "/commitments?state=open"), pair.learner,
                         [ids[0], ids[2], ids[3], ids[5]])


if __name__ == "__main__":
    unittest.main()
