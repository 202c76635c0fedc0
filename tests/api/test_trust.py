"""test_trust.py: GET /relationships/{id}/trust and /timeline, and the
evidence behind them (TRUST-MODEL.md 2-3; app/trust/evidence.c, app/trust/view.c).

Expected scores are computed here from the model's definition (decayed sums
r and s, P = (r + a W) / (r + s + W) with W = 2 and a = 0.5), independently
of the server's arithmetic.
"""

import math

from flows import API, FlowTestCase, T, rel, shift, ts

DAY_S = 86400.0
H = {"REL": 90.0, "INT": 180.0, "COM": 90.0, "EMP": 90.0}
COMPS = ("REL", "INT", "COM", "EMP")


def expected_p(items, now, comp="REL"):
    """P of a component from [(at, v, w, wneg)] read at `now` (RFC 3339)."""
    r = s = 0.0
    for at, v, w, wneg in items:
        d = 2.0 ** (-(T(now) - T(at)).total_seconds() / (H[comp] * DAY_S))
        r += w * v * d
        s += w * wneg * (1.0 - v) * d
    return (r + 0.5 * 2.0) / (r + s + 2.0)


def day(at):
    """The day as the sentences write it within the year: '13 Feb'."""
    t = T(at)
    return f"{t.day} {t.strftime('%b')}"


class TrustCase(FlowTestCase):
    """Helpers shared by the trust tests."""

    def trust(self, pair, who):
        view = self.ok(self.get(rel(pair.rel_id, "/trust"), who))
        self.assertEqual(sorted(view), ["at", "directions", "relationship_id", "warnings"])
        self.assertEqual([d["about"] for d in view["directions"]], ["guide", "learner"])
        return view

    def about(self, view, party):
        """The direction that rates `party` ("guide" or "learner")."""
        return next(d for d in view["directions"] if d["about"] == party)

    def timeline(self, pair, who):
        return self.items(rel(pair.rel_id, "/timeline"), who)


class TrustView(TrustCase):
    def test_a_fresh_relationship_shows_both_directions_without_a_verdict(self):
        pair = self.history_pair(days=25)
        view = self.trust(pair, pair.guide)
        self.assertEqual(view["relationship_id"], pair.rel_id)
        # 25 days active with no check-in (3.5 weekly cadences) and no
        # agreement: the pair is warned.
        codes = {w["code"]: w for w in view["warnings"]}
        self.assertIn("CADENCE_GAP", codes)
        self.assertIn("NO_AGREEMENT", codes)
        for w in view["warnings"]:
            self.assertEqual(sorted(w), ["code", "components", "evidence", "party", "practice",
                                         "severity", "since"])
            self.assertIn(w["severity"], ("watch", "alert"))
            self.assertTrue(set(w["components"]) <= set(COMPS))
        self.assertEqual(codes["CADENCE_GAP"]["components"], ["REL"])
        guide_dir, learner_dir = view["directions"]
        self.assertEqual((guide_dir["from"], guide_dir["to"]), (pair.learner.id, pair.guide.id))
        self.assertEqual((learner_dir["from"], learner_dir["to"]),
                         (pair.guide.id, pair.learner.id))
        for d in view["directions"]:
            self.assertIsNone(d["index"])
            self.assertEqual(d["label"], "not enough evidence yet")
            self.assertEqual(d["label_code"], "not_enough_evidence")
            self.assertAlmostEqual(d["index_value"], 50.0, places=9)
            self.assertAlmostEqual(d["uncertainty"], 1.0, places=12)
            self.assertFalse(d["declining"])
            self.assertEqual(sorted(d["components"]), sorted(COMPS))
            for c in d["components"].values():
                self.assertEqual(sorted(c), ["evidence", "high", "low", "p", "trend", "u"])
                self.assertAlmostEqual(c["p"], 0.5, places=12)
                self.assertAlmostEqual(c["u"], 1.0, places=12)
                self.assertAlmostEqual(c["low"], 0.1, places=9)   # Beta(1, 1): uniform
                self.assertAlmostEqual(c["high"], 0.9, places=9)
                self.assertEqual(c["evidence"], [])
        self.assertEqual(self.trust(pair, pair.learner)["directions"], view["directions"])

    def test_kept_commitments_and_held_checkins_raise_trust_both_ways(self):
        pair = self.history_pair(days=50)
        g, l = pair.guide, pair.learner
        held, kept = [], []
        previous = None
        for k in range(5):
            when = shift(pair.start, days=7 * k + 2)
            ck = self.schedule(pair, g, when, at=shift(pair.start, days=7 * k + 1))
            self.checkin_outcome(ck["id"], g, "held", at=shift(when, minutes=30))
            held.append((shift(when, minutes=30), 1.0, 1.0, 2.0))
            cm = self.commit(pair, l, l, f"step {k}", shift(when, days=5), at=shift(when, hours=1))
            self.commitment_outcome(cm["id"], l, "kept", at=shift(when, days=4))
            kept.append((shift(when, days=4), 1.0, 1.0, 2.0))
            view = self.trust(pair, l)
            now = view["at"]
            rel_g = self.about(view, "guide")["components"]["REL"]
            rel_l = self.about(view, "learner")["components"]["REL"]
            self.assertAlmostEqual(rel_g["p"], expected_p(held, now), places=9)
            self.assertAlmostEqual(rel_l["p"], expected_p(held + kept, now), places=9)
            if previous:
                self.assertGreater(rel_g["p"], previous[0])
                self.assertGreater(rel_l["p"], previous[1])
            previous = (rel_g["p"], rel_l["p"])
        view = self.trust(pair, g)
        learner_rel = self.about(view, "learner")["components"]["REL"]
        self.assertGreater(learner_rel["p"], 0.85)
        self.assertLess(learner_rel["u"], 0.25)
        self.assertLess(learner_rel["low"], learner_rel["p"])
        self.assertGreater(learner_rel["high"], learner_rel["p"])
        sentences = [e["sentence"] for e in learner_rel["evidence"]]
        self.assertEqual(len(sentences), 3)
        last_kept = shift(pair.start, days=7 * 4 + 2 + 4)
        self.assertIn(f"Kept the commitment 'step 4' on time ({day(last_kept)}).", sentences)
        for e in learner_rel["evidence"]:
            self.assertGreater(e["delta"], 0)
            self.assertIn(e["reason"], ("commitment_kept", "checkin_held"))
        # Nothing but reliability was observed: no verdict on the whole yet.
        for d in view["directions"]:
            self.assertIsNone(d["index"])
            self.assertEqual(d["label"], "not enough evidence yet")
            self.assertGreater(d["index_value"], 50)
            for comp in ("INT", "COM", "EMP"):
                self.assertEqual(d["components"][comp]["evidence"], [])

    def test_a_no_show_moves_the_reliability_of_the_one_who_caused_it_only(self):
        pair = self.history_pair(days=30)
        g, l = pair.guide, pair.learner
        when = shift(pair.start, days=3)
        ck = self.schedule(pair, g, when, at=shift(pair.start, days=1))
        self.checkin_outcome(ck["id"], g, "no_show", caused_by=l, at=shift(when, hours=1))
        view = self.trust(pair, g)
        learner_rel = self.about(view, "learner")["components"]["REL"]
        self.assertAlmostEqual(learner_rel["p"],
                               expected_p([(shift(when, hours=1), 0.0, 2.0, 2.0)], view["at"]),
                               places=9)
        self.assertLess(learner_rel["p"], 0.25)
        [item] = learner_rel["evidence"]
        self.assertEqual(item["sentence"], f"Did not show up for the check-in of {day(when)}.")
        self.assertEqual(item["reason"], "checkin_no_show")
        self.assertLess(item["delta"], 0)
        guide = self.about(view, "guide")
        for comp in COMPS:
            self.assertAlmostEqual(guide["components"][comp]["p"], 0.5, places=12)
            self.assertEqual(guide["components"][comp]["evidence"], [])
        # A mutual cancellation counts for nobody.
        ck2 = self.schedule(pair, g, shift(when, days=7), at=shift(when, days=1))
        self.checkin_outcome(ck2["id"], g, "mutual_cancel", at=shift(when, days=2))
        again = self.trust(pair, g)
        self.assertEqual(self.about(again, "guide")["components"]["REL"]["evidence"], [])
        self.assertEqual(len(self.about(again, "learner")["components"]["REL"]["evidence"]), 1)

    def test_kept_late_is_judged_against_the_time_given_after_renegotiation(self):
        pair = self.history_pair(days=40)
        l = pair.learner
        made = shift(pair.start, days=1)
        cm = self.commit(pair, l, l, "send the draft plan", shift(made, days=10), at=made)
        renegotiated = shift(made, days=5)
        self.commitment_outcome(cm["id"], l, "renegotiated", new_due_at=shift(made, days=20),
                                at=renegotiated)
        kept_at = shift(made, days=25)  # 5 days late on the 20 days given: v = 0.75
        self.commitment_outcome(cm["id"], l, "kept", at=kept_at)
        view = self.trust(pair, pair.guide)
        comps = self.about(view, "learner")["components"]
        rel_items = [(renegotiated, 0.75, 1.0, 2.0), (kept_at, 0.75, 1.0, 2.0)]
        self.assertAlmostEqual(comps["REL"]["p"], expected_p(rel_items, view["at"]), places=9)
        self.assertAlmostEqual(comps["INT"]["p"],
                               expected_p([(renegotiated, 1.0, 0.5, 2.0)], view["at"], "INT"),
                               places=9)
        sentences = {e["reason"]: e["sentence"] for e in comps["REL"]["evidence"]}
        self.assertEqual(sentences["commitment_kept_late"],
                         f"Kept the commitment 'send the draft plan' 5 days late ({day(kept_at)}).")
        self.assertEqual(sentences["commitment_renegotiated"],
                         "Renegotiated the commitment 'send the draft plan' before it was due, "
                         f"from {day(shift(made, days=10))} to {day(shift(made, days=20))}.")
        [openly] = comps["INT"]["evidence"]
        self.assertEqual(openly["reason"], "commitment_renegotiated_openly")
        self.assertGreater(openly["delta"], 0)

    def test_feedback_counts_for_the_giver_and_asking_for_the_guide_only(self):
        pair = self.history_pair(days=20)
        g, l = pair.guide, pair.learner
        a1, a2, a3, a4 = (shift(pair.start, days=d) for d in (2, 3, 4, 5))
        self.feedback(pair, l, "recognition", "task", "Clear agenda, thank you.", at=a1)
        self.feedback(pair, g, "constructive", "person", "You never listen.", at=a2)
        self.feedback(pair, l, "ask", at=a3)
        self.feedback(pair, g, "ask", at=a4)
        view = self.trust(pair, g)
        now = view["at"]
        emp_l = self.about(view, "learner")["components"]["EMP"]
        emp_g = self.about(view, "guide")["components"]["EMP"]
        self.assertAlmostEqual(emp_l["p"], expected_p([(a1, 1.0, 0.5, 2.0)], now, "EMP"), places=9)
        self.assertAlmostEqual(emp_g["p"], expected_p([(a2, 0.25, 0.5, 2.0), (a4, 1.0, 0.5, 2.0)],
                                                      now, "EMP"), places=9)
        self.assertEqual(sorted(e["reason"] for e in emp_g["evidence"]),
                         ["feedback_asked", "feedback_constructive_person"])
        self.assertIn(f"Gave criticism aimed at the person rather than the task ({day(a2)}).",
                      [e["sentence"] for e in emp_g["evidence"]])

    def test_a_goal_review_counts_for_the_guides_competence(self):
        pair = self.history_pair(days=20)
        g = pair.guide
        goal = self.add_goal(pair, g, "Lead the planning", weight=1,
                             at=shift(pair.start, days=1))
        at = shift(pair.start, days=8)
        # T = 60: v = 1 (the expected outcome, T = 50, is already a success)
        self.review(pair, pair.learner, {goal["id"]: 1}, at=at)
        view = self.trust(pair, pair.learner)
        com = self.about(view, "guide")["components"]["COM"]
        self.assertAlmostEqual(com["p"], expected_p([(at, 1.0, 1.0, 2.0)], view["at"], "COM"),
                               places=9)
        self.assertEqual(com["evidence"][0]["sentence"],
                         f"The goal review of {day(at)} scored T = 60 on the goal "
                         "'Lead the planning' (50 is as expected).")
        self.assertEqual(self.about(view, "learner")["components"]["COM"]["evidence"], [])

    def test_an_acknowledged_confidentiality_breach_counts_and_caps_integrity(self):
        pair = self.history_pair(days=20)
        g, l = pair.guide, pair.learner
        reported = shift(pair.start, days=3)
        inc = self.ok(self.post(rel(pair.rel_id, "/incidents"),
                                {"kind": "confidentiality", "text": "My notes reached my manager.",
                                 "at": reported}, l), 201)
        before = self.about(self.trust(pair, l), "guide")
        self.assertFalse(before["int_capped"])  # an allegation is not evidence
        self.assertEqual(before["components"]["INT"]["evidence"], [])
        acked = shift(pair.start, days=4)
        self.ok(self.post(f"{API}/incidents/{inc['id']}/acknowledge", {"at": acked}, g))
        view = self.trust(pair, l)
        guide = self.about(view, "guide")
        self.assertTrue(guide["int_capped"])
        self.assertFalse(self.about(view, "learner")["int_capped"])
        integrity = guide["components"]["INT"]
        self.assertAlmostEqual(integrity["p"], expected_p([(acked, 0.0, 5.0, 2.0)], view["at"], "INT"),
                               places=9)
        self.assertLessEqual(integrity["high"], 0.85)
        [item] = integrity["evidence"]
        self.assertEqual(item["reason"], "incident_confirmed")
        self.assertEqual(item["sentence"], "An incident about confidentiality concerning them was "
                                           f"acknowledged ({day(acked)}).")

    def test_only_the_two_parties_see_trust_and_timeline(self):
        pair = self.history_pair(days=10)
        for _, who in self.outsiders(pair):
            self.assertAllNotFound([lambda w=who: self.get(rel(pair.rel_id, "/trust"), w),
                                    lambda w=who: self.get(rel(pair.rel_id, "/timeline"), w)])
        self.assertProblem(self.get(rel(999999, "/trust"), pair.guide), 404, "not_found")
        self.assertProblem(self.get(rel(pair.rel_id, "/trust")), 401)

    def test_timeline_is_newest_first_paginated_and_marks_celebrations(self):
        pair = self.history_pair(days=30)
        g, l = pair.guide, pair.learner
        goal = self.add_goal(pair, l, "Delegate the weekly report", weight=1,
                             at=shift(pair.start, days=1))
        ms = self.add_milestone(goal["id"], l, "First report delegated",
                                at=shift(pair.start, days=2))
        when = shift(pair.start, days=9)
        ck = self.schedule(pair, g, when, at=shift(pair.start, days=8))
        self.checkin_outcome(ck["id"], l, "held", at=when)
        # Entered late but dated earlier: it sorts by its time, not its id.
        self.ok(self.post(f"{API}/milestones/{ms['id']}/reached", {"at": shift(pair.start, days=5)},
                          l))
        items = self.timeline(pair, g)
        keys = [(T(i["at"]), i["id"]) for i in items]
        self.assertEqual(keys, sorted(keys, reverse=True))
        self.assertEqual({i["id"] for i in items},
                         {e["id"] for e in self.events(pair.rel_id, g)})
        by_kind = {i["kind"]: i for i in items}
        reached = by_kind["milestone_reached"]
        self.assertTrue(reached["celebration"])
        self.assertEqual(reached["sentence"], "Milestone reached: 'First report delegated', on the "
                                              "way to 'Delegate the weekly report'.")
        self.assertEqual(sum(1 for i in items if i["celebration"]), 1)
        outcome = by_kind["checkin_outcome"]
        self.assertEqual(outcome["sentence"], f"The check-in of {day(when)} was held.")
        self.assertEqual(sorted((e["component"], e["about"]) for e in outcome["evidence"]),
                         [("REL", "guide"), ("REL", "learner")])
        for e in outcome["evidence"]:
            self.assertGreater(e["delta"], 0)
        self.assertEqual(by_kind["goal_added"]["sentence"],
                         "The learner set the goal 'Delegate the weekly report'.")
        self.assertEqual(by_kind["proposed"]["sentence"],
                         "An administrator proposed the relationship.")
        for i in items:
            self.assertEqual(sorted(i), ["actor_id", "at", "celebration", "evidence", "id",
                                         "kind", "sentence"])
            self.assertTrue(i["sentence"])
        self.assertPages(rel(pair.rel_id, "/timeline"), g, [i["id"] for i in items])


class Requests(TrustCase):
    """The no-reply job (request_unanswered) and what a later reply does."""

    def responder_rel(self, pair, who=None):
        view = self.trust(pair, who or pair.learner)
        return view, self.about(view, "guide")["components"]["REL"]

    def test_no_reply_by_three_windows_is_recorded_once_with_double_weight(self):
        pair = self.history_pair(days=20)
        asked = shift(pair.start, days=2)
        q = self.ask(pair, pair.learner, "Could you look at my plan?", at=asked)
        self.run_jobs()
        self.run_jobs()
        marks = [e for e in self.events(pair.rel_id, pair.guide) if e["kind"] == "request_unanswered"]
        self.assertEqual(len(marks), 1)
        self.assertEqual((marks[0]["actor_id"], marks[0]["subject_id"]), (None, q["id"]))
        deadline = shift(asked, hours=3 * 48)
        self.assertEqual(marks[0]["at"], deadline)
        view, rel_g = self.responder_rel(pair)
        self.assertAlmostEqual(rel_g["p"], expected_p([(deadline, 0.0, 2.0, 2.0)], view["at"]),
                               places=9)
        [item] = rel_g["evidence"]
        self.assertEqual(item["reason"], "no_reply")
        self.assertEqual(item["sentence"], "Did not reply to the request 'Could you look at my "
                                           f"plan?' of {day(asked)} within three times the agreed "
                                           "48 hours.")
        # A reply now gives nothing more.
        self.reply(q["id"], pair.guide, "Sorry, yes.")
        view2, rel_g2 = self.responder_rel(pair)
        self.assertAlmostEqual(rel_g2["p"], rel_g["p"], places=12)
        self.assertEqual([e["reason"] for e in rel_g2["evidence"]], ["no_reply"])
        replied = next(i for i in self.timeline(pair, pair.guide) if i["kind"] == "request_replied")
        self.assertEqual(replied["evidence"], [])
        self.assertEqual(self.server.query("SELECT unanswered_at FROM requests WHERE id = ?",
                                           q["id"]), [(int(T(deadline).timestamp()),)])

    def test_a_reply_within_the_window_counts_on_time(self):
        pair = self.history_pair(days=20)
        asked = shift(pair.start, days=2)
        q = self.ask(pair, pair.learner, "Do you have a template?", at=asked)
        self.reply(q["id"], pair.guide, "Attached.", at=shift(asked, hours=5))
        view, rel_g = self.responder_rel(pair)
        [item] = rel_g["evidence"]
        self.assertEqual(item["reason"], "reply_on_time")
        self.assertEqual(item["sentence"], "Replied to the request 'Do you have a template?' in 5 "
                                           "hours, within the agreed 48 hours "
                                           f"({day(shift(asked, hours=5))}).")
        self.run_jobs()
        self.assertEqual([e for e in self.events(pair.rel_id, pair.guide)
                          if e["kind"] == "request_unanswered"], [])

    def test_a_reply_dated_before_the_mark_takes_the_mark_back(self):
        pair = self.history_pair(days=20)
        asked = shift(pair.start, days=2)
        q = self.ask(pair, pair.learner, "Can we move Thursday?", at=asked)
        self.run_jobs()
        _, before = self.responder_rel(pair)
        self.assertEqual([e["reason"] for e in before["evidence"]], ["no_reply"])
        replied_at = shift(asked, hours=60)  # 1 < q <= 2: late
        self.reply(q["id"], pair.guide, "Yes, Friday works.", at=replied_at)
        view, rel_g = self.responder_rel(pair)
        self.assertEqual([e["reason"] for e in rel_g["evidence"]], ["reply_late"])
        self.assertAlmostEqual(rel_g["p"], expected_p([(replied_at, 0.5, 1.0, 2.0)], view["at"]),
                               places=9)
        mark = next(i for i in self.timeline(pair, pair.guide) if i["kind"] == "request_unanswered")
        self.assertEqual(mark["evidence"], [])
        self.assertIn("the mark counts for nothing", mark["sentence"])
        rows = self.server.query("SELECT COUNT(*) FROM evidence WHERE relationship_id = ? AND "
                                 "reason = 35", pair.rel_id)
        self.assertEqual(rows, [(0,)])


class DoubleBlind(TrustCase):
    """A pulse moves the rated party's view only once revealed (TRUST-MODEL.md
    3.7). Moves the clock: keeps to itself."""

    LOW = {"REL1": 2, "REL2": 2, "INT1": 2, "INT2": 3, "COM1": 2, "EMP1": 2, "EMP2": 3}
    HIGH = {"REL1": 5, "REL2": 5, "INT1": 5, "INT2": 5, "COM1": 4, "EMP1": 5, "EMP2": 5}

    def pulse(self, pair, who, answers, at=None):
        body = {"answers": answers, "overall": 7}
        if at is not None:
            body["at"] = at
        return self.ok(self.post(rel(pair.rel_id, "/pulses"), body, who), 201)

    def test_a_pulse_shows_to_its_rater_at_once_and_to_the_rated_party_when_revealed(self):
        pair = self.history_pair(days=20)
        g, l = pair.guide, pair.learner
        self.pulse(pair, g, self.LOW, at=self.at(hours=-2))
        rater_view = self.about(self.trust(pair, g), "learner")
        rated_view = self.about(self.trust(pair, l), "learner")
        self.assertLess(rater_view["components"]["REL"]["p"], 0.5)
        statements = [e["sentence"] for e in rater_view["components"]["INT"]["evidence"]]
        self.assertTrue(any("they were straight with me" in s for s in statements), statements)
        for comp in COMPS:
            self.assertAlmostEqual(rated_view["components"][comp]["p"], 0.5, places=12)
            self.assertEqual(rated_view["components"][comp]["evidence"], [])
        pulse_events = [i for i in self.timeline(pair, l) if i["kind"] == "pulse_answered"]
        self.assertEqual([i["evidence"] for i in pulse_events], [[]])
        # The learner answers about the guide: the guide's pulse is revealed to
        # the learner; the learner's own is not yet revealed to the guide.
        self.pulse(pair, l, self.HIGH, at=self.at(hours=-1))
        rated_now = self.about(self.trust(pair, l), "learner")
        self.assertAlmostEqual(rated_now["components"]["REL"]["p"],
                               rater_view["components"]["REL"]["p"], places=12)
        for e in rated_now["components"]["INT"]["evidence"]:
            self.assertEqual(e["sentence"],
                             f"A pulse answer from the other party ({day(self.at(hours=-2))}).")
        guide_about_self = self.about(self.trust(pair, g), "guide")
        self.assertAlmostEqual(guide_about_self["components"]["REL"]["p"], 0.5, places=12)
        learner_about_guide = self.about(self.trust(pair, l), "guide")
        self.assertGreater(learner_about_guide["components"]["REL"]["p"], 0.7)
        # Seven days later the learner's pulse is revealed to the guide too.
        self.advance(days=7, hours=1)
        for who in (self.admin, g, l):  # sessions idle for 30 minutes expire
            self.sign_in(who)
        later = self.about(self.trust(pair, g), "guide")
        self.assertGreater(later["components"]["REL"]["p"], 0.7)

    def test_enough_evidence_on_every_part_gives_an_index(self):
        pair = self.history_pair(days=40)
        g, l = pair.guide, pair.learner
        for k in range(4):
            when = shift(pair.start, days=7 * k + 2)
            ck = self.schedule(pair, g, when, at=shift(pair.start, days=7 * k + 1))
            self.checkin_outcome(ck["id"], g, "held", at=when)
        self.pulse(pair, l, self.HIGH, at=self.at(days=-3))
        self.pulse(pair, l, self.HIGH, at=self.at(hours=-1))
        guide_dir = self.about(self.trust(pair, l), "guide")
        self.assertLessEqual(guide_dir["uncertainty"], 0.5)
        self.assertIn(guide_dir["label"], ("provisional", "established"))
        self.assertEqual(guide_dir["index"], math.floor(guide_dir["index_value"] + 0.5))
        self.assertGreater(guide_dir["index"], 70)
