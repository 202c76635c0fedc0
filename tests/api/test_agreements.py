"""Agreements: versions, acknowledgements and the version in force; who
may write and read them; the states that allow them; validation; paging."""

import unittest

from flows import AGREEMENT, FlowTestCase, rel, shift


class Versions(FlowTestCase):

    def test_a_version_is_in_force_once_both_acknowledged_it(self):
        pair = self.active_relationship()
        g, l = pair.guide, pair.learner
        v1 = self.put_agreement(pair, l)
        self.assertEqual((v1["version"], v1["author_id"], v1["acknowledged_by"], v1["in_force"],
                          v1["created_at"]), (1, l.id, [l.id], False, self.at()))
        self.advance(minutes=1)  # within one second, acknowledgements list the guide first
        self.assertEqual(self.acknowledge(pair, g, 1)["acknowledged_by"], [l.id, g.id])

        # A new version replaces the latest but not the one in force.
        self.advance(minutes=1)
        v2 = self.put_agreement(pair, g, cadence_days=14, channels=["phone"], boundaries=None,
                                feedback_preferences=None, ends_on=None)
        self.assertEqual((v2["version"], v2["cadence_days"], v2["channels"], v2["boundaries"],
                          v2["feedback_preferences"], v2["ends_on"], v2["in_force"]),
                         (2, 14, ["phone"], None, None, None, False))
        state = self.ok(self.get(rel(pair.rel_id, "/agreement"), l))
        self.assertEqual((state["latest"]["version"], state["in_force"]["version"]), (2, 1))
        self.assertEqual(self.ok(self.get(rel(pair.rel_id), g))["agreement"],
                         {"latest_version": 2, "in_force_version": 1})

        # The old version cannot be acknowledged any more; the author's own
        # writing counts as acknowledgement.
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/agreement/acknowledge"),
                                             {"version": 1}, l), 409, "agreement_superseded",
                           detail="Version 1 has been replaced by version 2")
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/agreement/acknowledge"),
                                             {"version": 2}, g), 409, "already_acknowledged")
        v2 = self.acknowledge(pair, l, 2)
        self.assertEqual((v2["in_force"], v2["acknowledged_by"]), (True, [g.id, l.id]))
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/agreement/acknowledge"),
                                             {"version": 2}, l), 409, "already_acknowledged")
        state = self.ok(self.get(rel(pair.rel_id, "/agreement"), g))
        self.assertEqual(state["latest"], state["in_force"])
        self.assertEqual(state["in_force"]["version"], 2)
        versions = self.ok(self.get(rel(pair.rel_id, "/agreement/versions"), l))["items"]
        self.assertEqual([(v["version"], v["in_force"]) for v in versions],
                         [(1, False), (2, True)])
        self.assertEqual(versions[0]["purpose"], AGREEMENT["purpose"])

        kinds = [(e["kind"], e["actor_id"]) for e in self.events(pair.rel_id, g)
                 if e["kind"].startswith("agreement")]
        self.assertEqual(kinds, [("agreement_version", l.id), ("agreement_acknowledged", g.id),
                                 ("agreement_in_force", g.id), ("agreement_version", g.id),
                                 ("agreement_acknowledged", l.id), ("agreement_in_force", l.id)])

    def test_acknowledging_a_version_that_does_not_exist_is_422(self):
        pair = self.active_relationship()
        path = rel(pair.rel_id, "/agreement/acknowledge")
        self.assertRefused(lambda: self.post(path, {"version": 1}, pair.guide), 422,
                           "validation", ["/version"], "There is no version 1")
        self.put_agreement(pair, pair.guide)
        self.assertRefused(lambda: self.post(path, {"version": 2}, pair.learner), 422,
                           "validation", ["/version"], "There is no version 2")

    def test_written_and_in_force_while_proposed_and_paused_not_after(self):
        pair = self.pair()
        self.propose(pair)
        self.put_agreement(pair, pair.guide)
        self.assertTrue(self.acknowledge(pair, pair.learner, 1)["in_force"])
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.learner, "active"))
        self.ok(self.transition(pair.rel_id, pair.learner, "paused"))
        self.assertEqual(self.put_agreement(pair, pair.learner)["version"], 2)
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.guide, "completed"))
        for send in (lambda: self.put(rel(pair.rel_id, "/agreement"), AGREEMENT, pair.guide),
                     lambda: self.post(rel(pair.rel_id, "/agreement/acknowledge"),
                                       {"version": 2}, pair.guide)):
            p = self.assertRefused(send, 409, "relationship_state")
            self.assertIn("completed", p["detail"])
        # Still readable by the parties.
        self.assertEqual(self.ok(self.get(rel(pair.rel_id, "/agreement"),
                                          pair.learner))["in_force"]["version"], 1)

    def test_no_agreement_in_a_declined_or_ended_relationship(self):
        declined = self.pair()
        self.propose(declined)
        self.ok(self.transition(declined.rel_id, declined.learner, "declined"))
        ended = self.active_relationship()
        self.put_agreement(ended, ended.guide)
        self.ok(self.transition(ended.rel_id, ended.learner, "ended", reason="Moved away"))
        for pair in (declined, ended):
            self.assertRefused(lambda: self.put(rel(pair.rel_id, "/agreement"), AGREEMENT,
                                                pair.guide), 409, "relationship_state")
        self.assertRefused(lambda: self.post(rel(ended.rel_id, "/agreement/acknowledge"),
                                             {"version": 1}, ended.learner), 409,
                           "relationship_state")

    def test_history_with_at_and_an_end_date_judged_on_its_own_day(self):
        pair = self.history_pair(days=40)
        written = shift(pair.start, days=1)
        # Planned to end before today's clock, but after the day it was written.
        v1 = self.put_agreement(pair, pair.guide, at=written, ends_on="2026-02-01")
        self.assertEqual((v1["created_at"], v1["ends_on"]), (written, "2026-02-01"))
        acked = shift(written, hours=5)
        self.assertTrue(self.acknowledge(pair, pair.learner, 1, at=acked)["in_force"])
        evs = [(e["kind"], e["at"]) for e in self.events(pair.rel_id, pair.guide)
               if e["kind"].startswith("agreement")]
        self.assertEqual(evs, [("agreement_version", written), ("agreement_acknowledged", acked),
                               ("agreement_in_force", acked)])
        self.assertRefused(lambda: self.put(rel(pair.rel_id, "/agreement"),
                                            {**AGREEMENT, "at": written, "ends_on": "2026-01-01"},
                                            pair.guide), 422, "validation", ["/ends_on"],
                           "The planned end may not be before the day of the agreement.")
        same_day = written[:10]
        self.assertEqual(self.put_agreement(pair, pair.guide, at=written,
                                            ends_on=same_day)["ends_on"], same_day)


    def test_an_acknowledgement_may_not_predate_its_version(self):
        pair = self.history_pair(days=10)
        written = self.at(days=-2)
        self.put_agreement(pair, pair.guide, at=written)
        # A second before the version existed: like a reply before its
        # request or an outcome before its check-in, refused at /at.
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/agreement/acknowledge"),
                                             {"version": 1, "at": shift(written, seconds=-1)},
                                             pair.learner), 422, "validation", ["/at"])
        acked = self.acknowledge(pair, pair.learner, 1, at=written)
        self.assertTrue(acked["in_force"])


class Access(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.shared = h.active_relationship()
        h.put_agreement(cls.shared, cls.shared.guide)
        cls.others = h.outsiders(cls.shared)

    def test_admins_and_strangers_get_404_on_every_agreement_route(self):
        rid = self.shared.rel_id
        for label, who in self.others:
            with self.subTest(label):
                self.assertAllNotFound([
                    lambda: self.put(rel(rid, "/agreement"), AGREEMENT, who),
                    lambda: self.get(rel(rid, "/agreement"), who),
                    lambda: self.post(rel(rid, "/agreement/acknowledge"), {"version": 1}, who),
                    lambda: self.get(rel(rid, "/agreement/versions"), who),
                ], "No such relationship.")

    def test_admins_see_only_the_version_numbers(self):
        got = self.ok(self.get(rel(self.shared.rel_id), self.admin))
        self.assertEqual(got["agreement"], {"latest_version": 1, "in_force_version": 0})
        self.assertNotIn(AGREEMENT["purpose"].encode(), self.get(rel(self.shared.rel_id),
                                                                 self.admin).body)

    def test_a_relationship_that_does_not_exist_is_404(self):
        self.assertAllNotFound([
            lambda: self.put(rel(999999, "/agreement"), AGREEMENT, self.shared.guide),
            lambda: self.get(rel(999999, "/agreement"), self.shared.guide),
            lambda: self.post(rel(999999, "/agreement/acknowledge"), {"version": 1},
                              self.shared.guide),
        ])

    def test_both_parties_read_it(self):
        for who in (self.shared.guide, self.shared.learner):
            self.assertEqual(self.ok(self.get(rel(self.shared.rel_id, "/agreement"),
                                              who))["latest"]["purpose"], AGREEMENT["purpose"])


class Validation(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = cls.helper().history_pair(days=10)

    def put_refused(self, body, pointers, detail=None, who=None):
        return self.assertRefused(
            lambda: self.put(rel(self.shared.rel_id, "/agreement"), body,
                             who or self.shared.guide), 422, "validation", pointers, detail)

    def test_missing_fields(self):
        self.put_refused({}, ["/cadence_days", "/channels", "/confidentiality", "/purpose",
                              "/reply_window_hours"])
        self.put_refused({k: v for k, v in AGREEMENT.items() if k != "purpose"}, ["/purpose"],
                         "Required.")
        self.put_refused({**AGREEMENT, "confidentiality": None}, ["/confidentiality"],
                         "Required.")

    def test_wrong_types(self):
        cases = [
            ({"purpose": 5}, "/purpose", "Must be a string."),
            ({"cadence_days": "7"}, "/cadence_days", "Must be an integer."),
            ({"cadence_days": 7.5}, "/cadence_days", "Must be an integer."),
            ({"channels": "chat"}, "/channels", "Must be an array."),
            ({"channels": ["chat", 3]}, "/channels/1", "Must be a string"),
            ({"reply_window_hours": True}, "/reply_window_hours", "Must be an integer."),
            ({"boundaries": ["x"]}, "/boundaries", "Must be a string."),
            ({"ends_on": "31/12/2026"}, "/ends_on", "Must be a date such as"),
            ({"ends_on": "2026-12-31T00:00:00Z"}, "/ends_on", "Must be a date such as"),
            ({"at": 1767225600}, "/at", "RFC 3339"),
        ]
        for change, pointer, detail in cases:
            with self.subTest(sorted(change)):
                self.put_refused({**AGREEMENT, **change}, [pointer], detail)

    def test_unknown_fields(self):
        self.put_refused({**AGREEMENT, "version": 3, "signed": True}, ["/signed", "/version"],
                         "Unknown field.")

    def test_out_of_range(self):
        cases = [
            ({"cadence_days": 0}, ["/cadence_days"], "Must be between 1 and 365."),
            ({"cadence_days": 366}, ["/cadence_days"], "Must be between 1 and 365."),
            ({"reply_window_hours": 0}, ["/reply_window_hours"], "Must be between 1 and 720."),
            ({"reply_window_hours": 721}, ["/reply_window_hours"], "Must be between 1 and 720."),
            ({"channels": []}, ["/channels"], "Name from 1 to 10 channels."),
            ({"channels": [f"c{i}" for i in range(11)]}, ["/channels"],
             "Must have at most 10 items."),
            ({"channels": ["", "x" * 101]}, ["/channels/0", "/channels/1"], "Must not be empty."),
            ({"purpose": ""}, ["/purpose"], "Must not be empty."),
            ({"purpose": "p" * 4001}, ["/purpose"], "Must be at most 4000 bytes."),
            ({"feedback_preferences": "f" * 4001}, ["/feedback_preferences"],
             "Must be at most 4000 bytes."),
            ({"ends_on": "2026-02-28"}, ["/ends_on"], "may not be before the day"),
            ({"cadence_days": 0, "reply_window_hours": 0, "channels": []},
             ["/cadence_days", "/channels", "/reply_window_hours"], None),
        ]
        for change, pointers, detail in cases:
            with self.subTest(sorted(change)):
                self.put_refused({**AGREEMENT, **change}, pointers, detail)
        # The limits themselves are accepted.
        v = self.put_agreement(self.shared, self.shared.learner, cadence_days=365,
                               reply_window_hours=720, purpose="p" * 4000,
                               channels=[f"c{i}" for i in range(9)] + ["x" * 100],
                               ends_on=self.at()[:10])
        self.assertEqual((v["cadence_days"], v["reply_window_hours"], len(v["channels"])),
                         (365, 720, 10))

    def test_at_in_the_future_or_before_the_proposal(self):
        self.put_refused({**AGREEMENT, "at": self.at(seconds=1)}, ["/at"],
                         "The time may not be in the future.")
        self.put_refused({**AGREEMENT, "at": shift(self.shared.start, seconds=-1)}, ["/at"],
                         "The time may not be before the relationship was proposed.")
        path = rel(self.shared.rel_id, "/agreement/acknowledge")
        self.assertRefused(lambda: self.post(path, {"version": 1, "at": self.at(minutes=1)},
                                             self.shared.guide), 422, "validation", ["/at"])

    def test_acknowledge_body(self):
        path = rel(self.shared.rel_id, "/agreement/acknowledge")
        for body, pointers in (({}, ["/version"]), ({"version": "1"}, ["/version"]),
                               ({"version": 0}, ["/version"]), ({"version": 1, "ok": 1}, ["/ok"]),
                               ({"version": -1, "at": "yesterday"}, ["/at", "/version"])):
            with self.subTest(body):
                self.assertRefused(lambda: self.post(path, body, self.shared.learner), 422,
                                   "validation", pointers)


class Paging(FlowTestCase):

    def test_versions_page_by_version_number(self):
        pair = self.active_relationship()
        for i in range(5):
            self.put_agreement(pair, pair.guide if i % 2 else pair.learner, cadence_days=i + 1)
        self.assertPages(rel(pair.rel_id, "/agreement/versions"), pair.learner,
                         [1, 2, 3, 4, 5], key="version")
        page = self.ok(self.get(rel(pair.rel_id, "/agreement/versions?limit=3&after=1"),
                                pair.guide))
        self.assertEqual([(v["version"], v["cadence_days"]) for v in page["items"]],
                         [(2, 2), (3, 3), (4, 4)])
        self.assertEqual(page["next"], 4)


if __name__ == "__main__":
    unittest.main()
