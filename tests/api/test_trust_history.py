"""test_trust_history.py: GET /relationships/{id}/trust/history?points=N,
the trust index evaluated at N evenly spaced times from the relationship's
proposal to now from the evidence up to each time (app/trust/history.c).

Expected figures come from the model's definition, as in test_trust.py:
P = (r + a W) / (r + s + W), TI = 100 * mean P over the four components.
"""

import datetime as dt

from flows import FlowTestCase, T, rel, shift, ts
from test_trust import expected_p

POINT_KEYS = ["at", "index", "index_value", "label", "label_code", "lower", "upper"]


def point_times(start, end, n):
    """The times the server evaluates: start + span * i // (n - 1), end last."""
    t0, t1 = int(T(start).timestamp()), int(T(end).timestamp())
    secs = [t0 + (t1 - t0) * i // (n - 1) for i in range(n - 1)] + [t1]
    return [ts(dt.datetime.fromtimestamp(x, dt.timezone.utc)) for x in secs]


class TrustHistory(FlowTestCase):
    def history(self, pair, who, points=None):
        q = "" if points is None else f"?points={points}"
        h = self.ok(self.get(rel(pair.rel_id, "/trust/history" + q), who))
        self.assertEqual(sorted(h), ["at", "directions", "relationship_id", "start"])
        self.assertEqual(h["relationship_id"], pair.rel_id)
        self.assertEqual([d["about"] for d in h["directions"]], ["guide", "learner"])
        for d in h["directions"]:
            self.assertEqual(sorted(d), ["about", "from", "items", "to"])
            for p in d["items"]:
                self.assertEqual(sorted(p), POINT_KEYS)
        return h

    def about(self, view, party):
        return next(d for d in view["directions"] if d["about"] == party)

    def test_points_run_from_the_proposal_to_now_and_the_last_is_todays_index(self):
        pair = self.history_pair(days=50)
        g, l = pair.guide, pair.learner
        when = shift(pair.start, days=22)
        ck = self.schedule(pair, g, when, at=shift(pair.start, days=21))
        self.checkin_outcome(ck["id"], g, "held", at=shift(when, minutes=30))
        cm = self.commit(pair, l, l, "send the plan", shift(when, days=5), at=shift(when, hours=1))
        self.commitment_outcome(cm["id"], l, "kept", at=shift(when, days=4))
        h = self.history(pair, l)  # default: 12 points
        trust = self.ok(self.get(rel(pair.rel_id, "/trust"), l))
        self.assertEqual(h["start"], pair.start)
        self.assertEqual(h["at"], trust["at"])
        for d, now in zip(h["directions"], trust["directions"]):
            self.assertEqual((d["from"], d["to"]), (now["from"], now["to"]))
            self.assertEqual(len(d["items"]), 12)
            ats = [p["at"] for p in d["items"]]
            self.assertEqual(ats, point_times(pair.start, trust["at"], 12))
            self.assertEqual(ats, sorted(set(ats)))  # strictly ascending in time
            last = d["items"][-1]
            self.assertEqual(last["at"], trust["at"])
            self.assertEqual(last["index"], now["index"])
            self.assertEqual(last["index_value"], now["index_value"])
            self.assertEqual((last["label"], last["label_code"]), (now["label"], now["label_code"]))
            comps = now["components"].values()
            self.assertAlmostEqual(last["lower"], 100 * sum(c["low"] for c in comps) / 4, places=9)
            self.assertAlmostEqual(last["upper"], 100 * sum(c["high"] for c in comps) / 4, places=9)
        # The other party sees the same figures (nothing unrevealed here).
        self.assertEqual(self.history(pair, g)["directions"], h["directions"])

    def test_points_before_any_evidence_are_the_prior_and_later_ones_count_only_earlier_evidence(self):
        pair = self.history_pair(days=50)
        g, l = pair.guide, pair.learner
        when = shift(pair.start, days=22)
        ck = self.schedule(pair, g, when, at=shift(pair.start, days=21))
        held = shift(when, minutes=30)
        self.checkin_outcome(ck["id"], g, "held", at=held)
        cm = self.commit(pair, l, l, "send the plan", shift(when, days=5), at=shift(when, hours=1))
        kept = shift(when, days=4)
        self.commitment_outcome(cm["id"], l, "kept", at=kept)
        h = self.history(pair, g, points=11)  # one point every 5 days
        guide, learner = self.about(h, "guide"), self.about(h, "learner")
        ats = [p["at"] for p in guide["items"]]
        self.assertEqual(ats, [shift(pair.start, days=5 * i) for i in range(11)])
        for d in (guide, learner):
            for p in d["items"][:5]:  # days 0..20: before the check-in was held
                self.assertIsNone(p["index"])
                self.assertEqual(p["label"], "not enough evidence yet")
                self.assertEqual(p["label_code"], "not_enough_evidence")
                self.assertAlmostEqual(p["index_value"], 50.0, places=9)
                self.assertAlmostEqual(p["lower"], 10.0, places=6)  # Beta(1, 1): uniform
                self.assertAlmostEqual(p["upper"], 90.0, places=6)
        # Day 25: the check-in held (day 22) counts for both; the kept commitment (day 26) not yet.
        day25 = guide["items"][5]["at"]
        self.assertAlmostEqual(guide["items"][5]["index_value"],
                               25.0 * (expected_p([(held, 1.0, 1.0, 2.0)], day25) + 1.5), places=9)
        self.assertAlmostEqual(learner["items"][5]["index_value"],
                               25.0 * (expected_p([(held, 1.0, 1.0, 2.0)], day25) + 1.5), places=9)
        # Day 30 on: the learner's kept commitment counts too, decayed to each point.
        for p in learner["items"][6:]:
            items = [(held, 1.0, 1.0, 2.0), (kept, 1.0, 1.0, 2.0)]
            self.assertAlmostEqual(p["index_value"], 25.0 * (expected_p(items, p["at"]) + 1.5),
                                   places=9)
        for p in guide["items"][6:]:
            self.assertAlmostEqual(p["index_value"],
                                   25.0 * (expected_p([(held, 1.0, 1.0, 2.0)], p["at"]) + 1.5),
                                   places=9)
        self.assertGreater(learner["items"][6]["index_value"], learner["items"][5]["index_value"])

    def test_anyone_but_the_parties_gets_404(self):
        pair = self.history_pair(days=10)
        for label, who in self.outsiders(pair):
            with self.subTest(who=label):
                self.assertProblem(self.get(rel(pair.rel_id, "/trust/history"), who), 404)
        self.assertProblem(self.get(rel(999999, "/trust/history"), pair.guide), 404)

    def test_points_outside_2_to_52_are_a_validation_error_at_points(self):
        pair = self.history_pair(days=10)
        for bad in ("1", "53", "0", "-3", "abc", "", "12.5"):
            with self.subTest(points=bad):
                self.assertProblem(self.get(rel(pair.rel_id, f"/trust/history?points={bad}"),
                                            pair.guide), 422, "validation", "/points")
        for good in (2, 52):
            h = self.history(pair, pair.learner, points=good)
            self.assertEqual([len(d["items"]) for d in h["directions"]], [good, good])
            self.assertEqual(h["directions"][0]["items"][0]["at"], pair.start)
