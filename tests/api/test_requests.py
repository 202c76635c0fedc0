"""Requests and replies: one party asks, the other replies once; latency
in hours; who may reply (the requester gets 403, outsiders 404); states;
validation and paging."""

import unittest

from flows import API, FlowTestCase, hours_between, rel, shift


class Replies(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = cls.helper().history_pair(days=20)

    def test_request_and_reply_shapes_and_latency(self):
        p = self.shared
        asked = self.at(days=-3)
        q = self.ask(p, p.guide, "Can you send me your CV?", at=asked)
        self.assertEqual(q, {"id": q["id"], "relationship_id": p.rel_id,
                             "requester_id": p.guide.id, "responder_id": p.learner.id,
                             "created_at": asked, "text": "Can you send me your CV?",
                             "replied_at": None, "reply": None, "latency_hours": None})
        self.assertEqual(self.ok(self.get(f"{API}/requests/{q['id']}", p.learner)), q)
        answered = shift(asked, minutes=20)
        a = self.reply(q["id"], p.learner, "Sent.", at=answered)
        self.assertEqual(a, {**q, "replied_at": answered, "reply": "Sent.",
                             "latency_hours": 1200 / 3600})
        for who in (p.guide, p.learner):
            self.assertEqual(self.ok(self.get(f"{API}/requests/{q['id']}", who)), a)
        evs = [(e["kind"], e["actor_id"], e["subject_id"], e["at"])
               for e in self.events(p.rel_id, p.guide)][-2:]
        self.assertEqual(evs, [("request_made", p.guide.id, q["id"], asked),
                               ("request_replied", p.learner.id, q["id"], answered)])

    def test_latency_is_exact_in_hours(self):
        p = self.shared
        for asked, delay, hours in ((self.at(days=-10), dict(hours=1, minutes=30), 1.5),
                                    (self.at(days=-10), dict(days=3, hours=2), 74.0),
                                    (self.at(days=-1), dict(seconds=0), 0.0)):
            q = self.ask(p, p.learner, "How long?", at=asked)
            answered = shift(asked, **delay)
            a = self.reply(q["id"], p.guide, "This long.", at=answered)
            self.assertEqual(a["latency_hours"], hours)
            self.assertEqual(a["latency_hours"], hours_between(asked, answered))
        # Without `at`, both are now.
        q = self.ask(p, p.guide, "Right now?")
        self.assertEqual(self.reply(q["id"], p.learner, "Yes.")["latency_hours"], 0.0)

    def test_only_the_responder_replies_and_only_once(self):
        p = self.shared
        q = self.ask(p, p.learner, "May I bring a colleague?")
        path = f"{API}/requests/{q['id']}/reply"
        prob = self.assertRefused(lambda: self.post(path, {"text": "Answering myself"},
                                                    p.learner), 403, "not_responder")
        self.assertEqual(prob["detail"], "Only the person the request was made of can reply to it.")
        self.reply(q["id"], p.guide, "Of course.")
        self.assertRefused(lambda: self.post(path, {"text": "Again"}, p.guide), 409,
                           "already_replied")
        # The requester is refused for who they are, even after the reply.
        self.assertRefused(lambda: self.post(path, {"text": "Thanks"}, p.learner), 403,
                           "not_responder")

    def test_validation(self):
        p = self.shared
        q = self.ask(p, p.guide, "Validation request", at=self.at(days=-2))
        rpath = f"{API}/requests/{q['id']}/reply"
        for path, who, extra in ((rel(p.rel_id, "/requests"), p.learner, []),
                                 (rpath, p.learner, [])):
            cases = [
                ({}, ["/text"], "Required."),
                ({"text": ""}, ["/text"], "Must not be empty."),
                ({"text": 12}, ["/text"], "Must be a string."),
                ({"text": "t" * 4001}, ["/text"], "Must be at most 4000 bytes."),
                ({"text": "ok", "urgent": True}, ["/urgent"], "Unknown field."),
                ({"text": "ok", "at": "2026-02-30T10:00:00Z"}, ["/at"], "RFC 3339"),
                ({"text": "ok", "at": self.at(seconds=1)}, ["/at"],
                 "The time may not be in the future."),
                ({"text": "ok", "at": shift(p.start, seconds=-1)}, ["/at"],
                 "The time may not be before the relationship was proposed."),
                ({"text": None, "at": 3, "to": 1}, ["/at", "/text", "/to"], None),
            ]
            for body, pointers, detail in cases:
                with self.subTest(path=path, body=sorted(body)):
                    self.assertRefused(lambda: self.post(path, body, who), 422, "validation",
                                       pointers, detail)
        self.assertRefused(lambda: self.post(rpath, {"text": "Early",
                                                     "at": shift(q["created_at"], seconds=-1)},
                                             p.learner), 422, "validation", ["/at"],
                           "The reply may not be before the request was made.")
        # The limit itself is accepted.
        self.assertEqual(len(self.reply(q["id"], p.learner, "r" * 4000,
                                        at=q["created_at"])["reply"]), 4000)


class Access(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.shared = h.active_relationship()
        cls.q = h.ask(cls.shared, cls.shared.learner, "Open request")
        cls.others = h.outsiders(cls.shared)

    def test_admins_and_strangers_get_404(self):
        rid, qid = self.shared.rel_id, self.q["id"]
        for label, who in self.others:
            with self.subTest(label):
                self.assertAllNotFound([
                    lambda: self.post(rel(rid, "/requests"), {"text": "Hello"}, who),
                    lambda: self.get(rel(rid, "/requests"), who),
                ], "No such relationship.")
                self.assertAllNotFound([
                    lambda: self.get(f"{API}/requests/{qid}", who),
                    lambda: self.post(f"{API}/requests/{qid}/reply", {"text": "Me"}, who),
                ], "No such request.")
        self.assertAllNotFound([
            lambda: self.get(f"{API}/requests/999999", self.shared.guide),
            lambda: self.post(f"{API}/requests/999999/reply", {"text": "x"}, self.shared.guide),
        ])


class States(FlowTestCase):

    def test_requests_need_active_replies_work_until_completed(self):
        pair = self.pair()
        self.propose(pair)
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/requests"), {"text": "Hi"},
                                             pair.learner), 409, "relationship_state")
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.learner, "active"))
        q1 = self.ask(pair, pair.learner, "One")
        q2 = self.ask(pair, pair.learner, "Two")
        q3 = self.ask(pair, pair.guide, "Three")
        self.ok(self.transition(pair.rel_id, pair.guide, "paused"))
        p = self.assertRefused(lambda: self.post(rel(pair.rel_id, "/requests"), {"text": "Four"},
                                                 pair.guide), 409, "relationship_state")
        self.assertEqual(p["detail"], "The relationship is paused: this cannot be done now.")
        self.reply(q1["id"], pair.guide, "Paused, but answering.")
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.guide, "completed"))
        self.reply(q2["id"], pair.guide, "Answered after the end.")
        self.ok(self.transition(pair.rel_id, pair.guide, "alumni"))
        self.assertRefused(lambda: self.post(f"{API}/requests/{q3['id']}/reply", {"text": "Late"},
                                             pair.learner), 409, "relationship_state")
        # Who may reply is judged before the state.
        self.assertRefused(lambda: self.post(f"{API}/requests/{q3['id']}/reply", {"text": "Me"},
                                             pair.guide), 403, "not_responder")


class Paging(FlowTestCase):

    def test_list_pages(self):
        pair = self.active_relationship()
        ids = [self.ask(pair, pair.guide if i % 2 else pair.learner, f"Q{i}")["id"]
               for i in range(5)]
        self.reply(ids[0], pair.guide, "A0")
        self.assertPages(rel(pair.rel_id, "/requests"), pair.guide, ids)
        first = self.ok(self.get(rel(pair.rel_id, "/requests?limit=1"), pair.learner))["items"][0]
        self.assertEqual((first["reply"], first["latency_hours"]), ("A0", 0.0))


if __name__ == "__main__":
    unittest.main()
