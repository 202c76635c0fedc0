"""Feedback: recognition and constructive feedback about the task or the
person, and asking for feedback; the other party receives it; who may
give and read it, the states that allow it, validation and paging."""

import unittest

from flows import FlowTestCase, rel, shift


class Giving(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = cls.helper().history_pair(days=20)

    def test_every_kind_and_focus_goes_to_the_other_party(self):
        p = self.shared
        cases = [(p.guide, p.learner, "recognition", "task", "Great plan.", self.at(days=-3)),
                 (p.guide, p.learner, "recognition", "person", "You were patient.", None),
                 (p.learner, p.guide, "constructive", "task", "Slides too dense.", None),
                 (p.learner, p.guide, "constructive", "person", "Let me finish.", None),
                 (p.learner, p.guide, "ask", None, "What should I improve?", None),
                 (p.guide, p.learner, "ask", None, None, self.at(days=-1))]
        for giver, receiver, kind, focus, text, at in cases:
            got = self.feedback(p, giver, kind, focus, text, at)
            self.assertEqual(got, {"id": got["id"], "relationship_id": p.rel_id,
                                   "giver_id": giver.id, "receiver_id": receiver.id,
                                   "kind": kind, "focus": focus, "text": text,
                                   "at": at or self.at()})
            last = self.events(p.rel_id, receiver)[-1]
            self.assertEqual((last["kind"], last["actor_id"], last["subject_id"], last["at"]),
                             ("feedback_asked" if kind == "ask" else "feedback_given", giver.id,
                              got["id"], at or self.at()))
        # An empty text when asking is no text.
        got = self.feedback(p, p.learner, "ask", text="")
        self.assertIsNone(got["text"])
        for who in (p.guide, p.learner):
            listed = self.items(rel(p.rel_id, "/feedback"), who)
            self.assertEqual([(x["kind"], x["focus"], x["text"]) for x in listed][:6],
                             [(c[2], c[3], c[4]) for c in cases])

    def test_validation(self):
        p = self.shared
        path = rel(p.rel_id, "/feedback")
        cases = [
            ({}, ["/kind"], "Required."),
            ({"kind": "praise"}, ["/kind"],
             'Must be one of "recognition", "constructive", "ask".'),
            ({"kind": "recognition", "focus": "team", "text": "x"}, ["/focus"],
             'Must be one of "task", "person".'),
            ({"kind": "recognition", "text": "x"}, ["/focus"],
             "Required: say whether the feedback is about the task or the person."),
            ({"kind": "constructive", "focus": "task"}, ["/text"], "Required."),
            ({"kind": "recognition", "focus": "task", "text": ""}, ["/text"], "Required."),
            ({"kind": "constructive", "focus": "person", "text": "t" * 4001}, ["/text"],
             "Must be at most 4000 bytes."),
            ({"kind": "ask", "focus": "task"}, ["/focus"],
             "Not allowed when asking for feedback."),
            ({"kind": "ask", "text": 3}, ["/text"], "Must be a string."),
            ({"kind": "recognition"}, ["/focus", "/text"], None),
            ({"kind": "ask", "to": p.guide.id}, ["/to"], "Unknown field."),
            ({"kind": "ask", "at": self.at(seconds=1)}, ["/at"],
             "The time may not be in the future."),
            ({"kind": "ask", "at": shift(p.start, seconds=-1)}, ["/at"],
             "The time may not be before the relationship was proposed."),
            ({"kind": "ask", "at": "now"}, ["/at"], "RFC 3339"),
        ]
        for body, pointers, detail in cases:
            with self.subTest(body):
                self.assertRefused(lambda: self.post(path, body, p.guide), 422, "validation",
                                   pointers, detail)
        got = self.feedback(p, p.guide, "constructive", "person", "t" * 4000)
        self.assertEqual(len(got["text"]), 4000)


class Access(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.shared = h.active_relationship()
        h.feedback(cls.shared, cls.shared.guide, "recognition", "task", "Well done")
        cls.others = h.outsiders(cls.shared)

    def test_admins_and_strangers_get_404(self):
        rid = self.shared.rel_id
        for label, who in self.others:
            with self.subTest(label):
                self.assertAllNotFound([
                    lambda: self.post(rel(rid, "/feedback"), {"kind": "ask"}, who),
                    lambda: self.post(rel(rid, "/feedback"),
                                      {"kind": "recognition", "focus": "task", "text": "x"}, who),
                    lambda: self.get(rel(rid, "/feedback"), who),
                ], "No such relationship.")
        self.assertAllNotFound([lambda: self.get(rel(999999, "/feedback"), self.shared.guide)])

    def test_admin_sees_the_count_only(self):
        got = self.get(rel(self.shared.rel_id), self.admin)
        self.assertEqual(self.ok(got)["counts"]["feedback"], 1)
        self.assertNotIn(b"Well done", got.body)


class States(FlowTestCase):

    def test_feedback_needs_an_active_relationship(self):
        pair = self.pair()
        self.propose(pair)
        body = {"kind": "recognition", "focus": "person", "text": "Thanks"}
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/feedback"), body, pair.guide),
                           409, "relationship_state")
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.learner, "active"))
        self.feedback(pair, pair.guide, **body)
        for step in ("paused", "active", "completed", "alumni"):
            self.ok(self.transition(pair.rel_id, pair.learner, step))
            if step != "active":
                p = self.assertRefused(lambda: self.post(rel(pair.rel_id, "/feedback"),
                                                         {"kind": "ask"}, pair.learner),
                                       409, "relationship_state")
                self.assertIn(step, p["detail"])
        self.assertEqual(len(self.ok(self.get(rel(pair.rel_id, "/feedback"),
                                              pair.learner))["items"]), 1)


class Paging(FlowTestCase):

    def test_list_pages(self):
        pair = self.active_relationship()
        ids = [self.feedback(pair, pair.learner if i % 2 else pair.guide, "ask")["id"]
               for i in range(5)]
        self.assertPages(rel(pair.rel_id, "/feedback"), pair.guide, ids)


if __name__ == "__main__":
    unittest.main()
