"""Notes: private to their author or shared with the other party; never
read by admins or strangers; the states that allow them; validation and
paging (pages stay full though the other party's private notes are
skipped)."""

import unittest

from flows import API, FlowTestCase, rel, shift


class Visibility(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = cls.helper().history_pair(days=10)

    def test_private_is_for_the_author_shared_for_both(self):
        p = self.shared
        mine = self.note(p, p.guide, "private", "Only for me", at=self.at(days=-2))
        ours = self.note(p, p.guide, "shared", "For both of us")
        self.assertEqual(mine, {"id": mine["id"], "relationship_id": p.rel_id,
                                "author_id": p.guide.id, "visibility": "private",
                                "readable_by": [p.guide.id], "created_at": self.at(days=-2),
                                "text": "Only for me"})
        self.assertEqual((ours["readable_by"], ours["created_at"]),
                         ([p.guide.id, p.learner.id], self.at()))
        theirs = self.note(p, p.learner, "private", "The learner's own")
        self.assertEqual(self.ok(self.get(f"{API}/notes/{mine['id']}", p.guide)), mine)
        self.assertEqual(self.ok(self.get(f"{API}/notes/{ours['id']}", p.learner)), ours)
        self.assertAllNotFound([lambda: self.get(f"{API}/notes/{mine['id']}", p.learner),
                                lambda: self.get(f"{API}/notes/{theirs['id']}", p.guide)],
                               "No such note.")
        g_ids = [n["id"] for n in self.items(rel(p.rel_id, "/notes"), p.guide)]
        l_ids = [n["id"] for n in self.items(rel(p.rel_id, "/notes"), p.learner)]
        self.assertIn(mine["id"], g_ids)
        self.assertNotIn(theirs["id"], g_ids)
        self.assertIn(theirs["id"], l_ids)
        self.assertNotIn(mine["id"], l_ids)
        self.assertIn(ours["id"], g_ids)
        self.assertIn(ours["id"], l_ids)
        # Events are metadata: both see that a shared note was added, not its
        # text; a private note's event is seen by its author alone.
        evs = self.events(p.rel_id, p.learner)
        self.assertEqual([(e["kind"], e["actor_id"], e["subject_id"]) for e in evs[-2:]],
                         [("note_added", p.guide.id, ours["id"]),
                          ("note_added", p.learner.id, theirs["id"])])
        self.assertNotIn(mine["id"], [e["subject_id"] for e in evs if e["kind"] == "note_added"])
        self.assertNotIn(b"Only for me", self.get(rel(p.rel_id, "/events"), p.learner).body)

    def test_validation(self):
        p = self.shared
        path = rel(p.rel_id, "/notes")
        cases = [
            ({}, ["/text", "/visibility"], "Required."),
            ({"visibility": "public", "text": "x"}, ["/visibility"],
             'Must be one of "private", "shared".'),
            ({"visibility": True, "text": "x"}, ["/visibility"], "Must be one of"),
            ({"visibility": "private", "text": ""}, ["/text"], "Must not be empty."),
            ({"visibility": "private", "text": ["x"]}, ["/text"], "Must be a string."),
            ({"visibility": "shared", "text": "n" * 20001}, ["/text"],
             "Must be at most 20000 bytes."),
            ({"visibility": "shared", "text": "x", "title": "t"}, ["/title"], "Unknown field."),
            ({"visibility": "shared", "text": "x", "at": self.at(seconds=1)}, ["/at"],
             "The time may not be in the future."),
            ({"visibility": "shared", "text": "x", "at": shift(p.start, seconds=-1)}, ["/at"],
             "The time may not be before the relationship was proposed."),
            ({"visibility": "shared", "text": "x", "at": 0}, ["/at"], "RFC 3339"),
        ]
        for body, pointers, detail in cases:
            with self.subTest(sorted(body)):
                self.assertRefused(lambda: self.post(path, body, p.learner), 422, "validation",
                                   pointers, detail)
        self.assertEqual(len(self.note(p, p.learner, "shared", "n" * 20000)["text"]), 20000)


class Access(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.shared = h.active_relationship()
        cls.private = h.note(cls.shared, cls.shared.guide, "private", "Guide's private")
        cls.public = h.note(cls.shared, cls.shared.learner, "shared", "Learner's shared")
        cls.others = h.outsiders(cls.shared)

    def test_admins_and_strangers_never_read_or_write_notes(self):
        rid = self.shared.rel_id
        for label, who in self.others:
            with self.subTest(label):
                self.assertAllNotFound([
                    lambda: self.post(rel(rid, "/notes"), {"visibility": "shared", "text": "x"},
                                      who),
                    lambda: self.get(rel(rid, "/notes"), who),
                ], "No such relationship.")
                self.assertAllNotFound([lambda: self.get(f"{API}/notes/{self.private['id']}", who),
                                        lambda: self.get(f"{API}/notes/{self.public['id']}", who)],
                                       "No such note.")
        self.assertAllNotFound([lambda: self.get(f"{API}/notes/999999", self.shared.guide)],
                               "No such note.")
        # Admins count shared notes only: a private note leaves them no trace.
        counts = self.ok(self.get(rel(rid), self.admin))["counts"]
        self.assertEqual(counts["notes"], 1)


class States(FlowTestCase):

    def test_notes_from_proposal_to_alumni_not_when_declined_or_ended(self):
        pair = self.pair()
        self.propose(pair)
        self.note(pair, pair.learner, "private", "Before accepting")
        for who, step in ((pair.guide, "active"), (pair.learner, "active"),
                          (pair.guide, "paused"), (pair.guide, "active"),
                          (pair.learner, "completed"), (pair.learner, "alumni")):
            self.ok(self.transition(pair.rel_id, who, step))
            self.note(pair, pair.guide, "shared", f"While {step}")
        self.assertEqual(len(self.items(rel(pair.rel_id, "/notes"), pair.learner)), 7)

        declined = self.pair()
        self.propose(declined)
        self.ok(self.transition(declined.rel_id, declined.guide, "declined"))
        ended = self.active_relationship()
        self.ok(self.transition(ended.rel_id, ended.learner, "ended", reason="Over"))
        for closed, state in ((declined, "declined"), (ended, "ended")):
            p = self.assertRefused(lambda: self.post(rel(closed.rel_id, "/notes"),
                                                     {"visibility": "private", "text": "x"},
                                                     closed.guide), 409, "relationship_state")
            self.assertEqual(p["detail"], f"Notes cannot be added to a relationship that is "
                                          f"{state}.")


class Paging(FlowTestCase):

    def test_pages_hold_only_readable_notes_and_stay_full(self):
        pair = self.active_relationship()
        g, l = pair.guide, pair.learner
        plan = [(g, "shared"), (l, "private"), (g, "private"), (l, "private"), (g, "shared"),
                (l, "shared"), (l, "private"), (g, "shared")]
        ids = [self.note(pair, who, vis, f"Note {i}")["id"] for i, (who, vis) in enumerate(plan)]
        guide_sees = [i for i, (who, vis) in zip(ids, plan) if who is g or vis == "shared"]
        learner_sees = [i for i, (who, vis) in zip(ids, plan) if who is l or vis == "shared"]
        self.assertEqual(len(guide_sees), 5)
        self.assertPages(rel(pair.rel_id, "/notes"), g, guide_sees)
        self.assertPages(rel(pair.rel_id, "/notes"), l, learner_sees)


if __name__ == "__main__":
    unittest.main()
