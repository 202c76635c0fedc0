"""test_warnings.py: early warnings (TRUST-MODEL.md 4) raised by stories told
through the API, each asserting the warnings it raises and those it must not
(every test compares the whole set of open warnings).

GET /api/v1/relationships/{id}/warnings -> {items: [{id, code, severity,
party, components, since, evidence, practice}], next: null}, parties only.

Every story starts from a "settled" pair: an agreement acknowledged by both
and a complete SMART goal in the first days, so that NO_AGREEMENT and
NO_GOALS stay quiet unless a story wants them.
"""

import datetime as dt
import json

from flows import API, FlowTestCase, T, rel, shift, ts

GOAL = {
    "title": "Run the quarterly planning meeting",
    "specific": "Prepare and chair the Q3 planning meeting for the team.",
    "measurable": "Agenda out two days ahead; decisions minuted; ends on time.",
    "achievable": "The manager chairs the first half with me.",
    "relevant": "Planning is the core of the next role.",
    "due_on": "2026-09-30",
    "weight": 1,
    "levels": {"-2": "Did not run it", "-1": "Ran it, overran", "0": "Ran it on time",
               "1": "On time, clear decisions", "2": "The team asked me to run the next"},
}

SECRET = "Nobody else may read this sentence"

# What a satisfied party answers: mostly "usually" and "almost always".
HEALTHY_PULSE = {"REL1": 5, "REL2": 5, "INT1": 4, "INT2": 5, "COM1": 4, "EMP1": 4, "EMP2": 5}
# A delighted one: "almost always" throughout. Against balanced feedback
# (behavioural EMP near 0.78) and goals at the expected level this was a
# PERCEPTION_GAP before the calibration (docs/trust-model.md).
DELIGHTED_PULSE = {item: 5 for item in HEALTHY_PULSE}


class WarningsCase(FlowTestCase):
    """Helpers for warning stories."""

    def settle(self, pair):
        """Agreement in force on day 1, a complete SMART goal on day 2."""
        self.put_agreement(pair, pair.guide, at=shift(pair.start, days=1))
        self.acknowledge(pair, pair.learner, 1, at=shift(pair.start, days=1, hours=2))
        self.add_goal(pair, pair.learner, **GOAL, at=shift(pair.start, days=2))

    def meet(self, pair, when, outcome="held", **kw):
        """Schedules a check-in at `when` (entered up to three days before,
        never before the proposal) and records its outcome; returns the
        check-in's id."""
        made = max(T(shift(when, days=-3)), T(pair.start))
        made = min(made, self.now())
        ck = self.schedule(pair, pair.learner, when, at=ts(made))
        kw.setdefault("at", when)
        self.checkin_outcome(ck["id"], pair.guide, outcome, **kw)
        return ck["id"]

    def weekly(self, pair, weeks, skip=()):
        """Check-ins held every 7 days from the start, week 1..weeks, but
        those in skip."""
        return {k: self.meet(pair, shift(pair.start, days=7 * k))
                for k in range(1, weeks + 1) if k not in skip}

    def warnings(self, pair, who):
        page = self.ok(self.get(rel(pair.rel_id, "/warnings"), who))
        self.assertEqual(sorted(page), ["items", "next"])
        self.assertIsNone(page["next"])
        for w in page["items"]:
            self.assertEqual(sorted(w), ["code", "components", "evidence", "id", "party",
                                         "practice", "severity", "since"], w)
        return page["items"]

    def codes(self, pair, who):
        """{(code, party id or None)} of the open warnings who sees."""
        return {(w["code"], w["party"]) for w in self.warnings(pair, who)}

    def only(self, pair, who, code):
        """The one open warning with `code` that who sees."""
        found = [w for w in self.warnings(pair, who) if w["code"] == code]
        self.assertEqual(len(found), 1, found)
        return found[0]

    def assertBothSee(self, pair, expected):
        """Both parties see exactly `expected` ({(code, party)})."""
        self.assertEqual(self.codes(pair, pair.guide), expected)
        self.assertEqual(self.codes(pair, pair.learner), expected)

    def assertNoText(self, pair, *texts):
        """No confidential text in what the warnings say."""
        body = json.dumps(self.warnings(pair, pair.guide))
        for text in texts:
            self.assertNotIn(text, body)


class LateCancellations(WarningsCase):
    def test_guide_cancelling_late_twice_in_four_weeks_warns_about_the_guide_only(self):
        pair = self.history_pair(days=56)
        self.settle(pair)
        held = self.weekly(pair, 7, skip=(6,))
        # Week 6: the guide cancels three hours before.
        week6 = shift(pair.start, days=42)
        first = self.meet(pair, week6, "cancelled", caused_by=pair.guide,
                          at=shift(week6, hours=-3))
        self.assertBothSee(pair, set())
        # The next meeting, 20 hours from now: cancelled by the guide an hour ago.
        soon = self.at(hours=20)
        ck = self.schedule(pair, pair.learner, soon, at=self.at(hours=-2))
        self.checkin_outcome(ck["id"], pair.guide, "cancelled", caused_by=pair.guide,
                             at=self.at(hours=-1))
        self.assertBothSee(pair, {("LATE_CANCELLATIONS", pair.guide.id)})
        w = self.only(pair, pair.learner, "LATE_CANCELLATIONS")
        self.assertEqual(w["severity"], "alert")
        self.assertEqual(w["components"], ["REL"])
        self.assertEqual(w["practice"], "protect-checkins")
        self.assertEqual(w["since"], self.at(hours=-1))
        self.assertEqual(w["evidence"], {"checkins": [first, ck["id"]], "late_or_missed": 2,
                                         "of_expected": 4})
        self.assertEqual(len(held), 6)

    def test_cancellations_with_notice_mutual_ones_and_the_other_party_raise_nothing(self):
        pair = self.history_pair(days=56)
        self.settle(pair)
        self.weekly(pair, 8)  # the last one now
        for days, outcome, extra in ((-10, "cancelled", {"caused_by": pair.guide}),
                                     (-3, "mutual_cancel", {}),
                                     (2, "cancelled", {"caused_by": pair.guide})):
            when = self.at(days=days)
            self.meet(pair, when, outcome, at=min(shift(when, days=-2), self.at(hours=-1)),
                      **extra)
        # A learner's no-show is theirs, not the guide's; one is not a pattern.
        self.meet(pair, self.at(hours=-2), "no_show", caused_by=pair.learner,
                  at=self.at(hours=-1))
        self.assertBothSee(pair, set())

    def test_outsiders_get_404(self):
        pair = self.history_pair(days=10)
        for label, who in self.outsiders(pair):
            r = self.get(rel(pair.rel_id, "/warnings"), who)
            self.assertProblem(r, 404, "not_found")
        self.assertProblem(self.get(rel(999999, "/warnings"), pair.guide), 404, "not_found")


class SilentMisser(WarningsCase):
    def test_learner_letting_commitments_lapse_warns_once_the_job_breaks_them(self):
        pair = self.history_pair(days=60)
        self.settle(pair)
        self.weekly(pair, 8)
        kept, lapsed = [], []
        for k in range(1, 7):
            made = shift(pair.start, days=7 * k, hours=1)
            due = shift(made, days=5)
            mine = self.commit(pair, pair.learner, pair.learner, f"Draft step {k}", due, at=made)
            theirs = self.commit(pair, pair.guide, pair.guide, f"Send reading {k}", due, at=made)
            self.commitment_outcome(theirs["id"], pair.guide, "kept", at=shift(due, days=-1))
            if k <= 3:
                self.commitment_outcome(mine["id"], pair.learner, "kept", at=shift(due, days=-1))
                kept.append(mine["id"])
            else:
                lapsed.append(mine["id"])
        # Nothing said yet: open commitments are not broken ones.
        self.assertBothSee(pair, set())
        self.run_jobs()
        broken = [e for e in self.events(pair.rel_id, pair.guide)
                  if e["kind"] == "commitment_broken"]
        self.assertEqual(sorted(e["subject_id"] for e in broken), lapsed)
        self.assertBothSee(pair, {("FOLLOW_THROUGH", pair.learner.id)})
        w = self.only(pair, pair.guide, "FOLLOW_THROUGH")
        self.assertEqual(w["severity"], "alert")
        self.assertEqual(w["practice"], "keep-or-renegotiate")
        self.assertEqual(w["evidence"], {"rate": 0.5, "score": 0.5, "due": 6, "broken": lapsed,
                                         "broken_in_a_row": True})
        self.assertEqual(w["components"], ["REL", "INT"])
        self.assertNoText(pair, "Draft step", "Send reading")

    def test_a_commitment_kept_late_between_two_broken_ones_does_not_end_the_streak(self):
        # Kept late is not followed through either: broken, late, broken
        # warns (the latest two were not both broken, and before the
        # calibration it did not); one kept on time ends it.
        pair = self.history_pair(days=60)
        self.settle(pair)
        self.weekly(pair, 8)
        made = [shift(pair.start, days=7 * k, hours=1) for k in range(1, 8)]
        ids = [self.commit(pair, pair.guide, pair.guide, f"Send reading {k}", shift(m, days=5),
                           at=m)["id"] for k, m in enumerate(made, 1)]
        for i in range(3):
            self.commitment_outcome(ids[i], pair.guide, "kept", at=shift(made[i], days=4))
        self.commitment_outcome(ids[3], pair.guide, "broken", at=shift(made[3], days=6))
        self.commitment_outcome(ids[4], pair.guide, "kept", at=shift(made[4], days=6))
        self.assertBothSee(pair, set())
        self.commitment_outcome(ids[5], pair.guide, "broken", at=shift(made[5], days=6))
        self.assertBothSee(pair, {("FOLLOW_THROUGH", pair.guide.id)})
        w = self.only(pair, pair.learner, "FOLLOW_THROUGH")
        self.assertEqual(w["evidence"], {"rate": 0.5, "score": 0.58, "due": 6,
                                         "broken": [ids[3], ids[5]], "broken_in_a_row": True})
        self.commitment_outcome(ids[6], pair.guide, "kept", at=shift(made[6], days=4))
        self.assertBothSee(pair, set())

    def test_renegotiating_early_is_follow_through(self):
        pair = self.history_pair(days=60)
        self.settle(pair)
        self.weekly(pair, 8)
        for k in range(1, 7):
            made = shift(pair.start, days=7 * k, hours=1)
            due = shift(made, days=5)
            cm = self.commit(pair, pair.learner, pair.learner, f"Step {k}", due, at=made)
            new_due = shift(due, days=3)
            self.commitment_outcome(cm["id"], pair.learner, "renegotiated", new_due_at=new_due,
                                    at=shift(due, days=-2))
            self.commitment_outcome(cm["id"], pair.learner, "kept", at=shift(new_due, hours=-1))
        self.run_jobs()
        self.assertBothSee(pair, set())


class Criticism(WarningsCase):
    def test_guide_whose_feedback_is_all_criticism_of_the_person(self):
        pair = self.history_pair(days=60)
        self.settle(pair)
        self.weekly(pair, 8)
        given = [self.feedback(pair, pair.guide, "constructive", "person", SECRET,
                               at=shift(pair.start, days=7 * k, hours=2))["id"]
                 for k in range(2, 8)]
        for k in (3, 6):
            self.feedback(pair, pair.learner, "recognition", "task", "Clear agenda, thank you.",
                          at=shift(pair.start, days=7 * k, hours=3))
        self.assertBothSee(pair, {("CRITICISM_HEAVY", pair.guide.id)})
        w = self.only(pair, pair.learner, "CRITICISM_HEAVY")
        self.assertEqual(w["severity"], "watch")
        self.assertEqual(w["components"], ["EMP"])
        self.assertEqual(w["practice"], "balance-feedback")
        self.assertEqual(w["evidence"], {"recognitions": 0, "constructive": 6, "person_focused": 6,
                                         "p_criticism": 0.992, "window_days": 60,
                                         "feedback": given, "person_focused_of_last_6": 6})
        self.assertNoText(pair, SECRET)

    def test_three_of_the_last_six_aimed_at_the_person_warn_before_the_share_does(self):
        # Six recognitions, then three remarks about the person: the 60-day
        # share (Beta(7, 4): P(p < 0.5) = 0.17) is far from warning, three of
        # the last six is a pattern a balanced guide does not make by chance
        # (docs/trust-model.md, calibration 14).
        pair = self.history_pair(days=60)
        self.settle(pair)
        self.weekly(pair, 8)
        for k in range(1, 7):
            self.feedback(pair, pair.guide, "recognition", "task", "Good work on the plan.",
                          at=shift(pair.start, days=5 * k + 3))
        for day in (20, 35):
            self.feedback(pair, pair.learner, "recognition", "task", "Thank you.",
                          at=shift(pair.start, days=day))
        self.feedback(pair, pair.guide, "constructive", "person", SECRET,
                      at=shift(pair.start, days=40))
        self.feedback(pair, pair.guide, "constructive", "person", SECRET,
                      at=shift(pair.start, days=45))
        self.assertBothSee(pair, set())
        third = self.feedback(pair, pair.guide, "constructive", "person", SECRET,
                              at=shift(pair.start, days=50))
        self.assertBothSee(pair, {("CRITICISM_HEAVY", pair.guide.id)})
        w = self.only(pair, pair.learner, "CRITICISM_HEAVY")
        self.assertEqual(w["since"], shift(pair.start, days=50))
        self.assertEqual((w["evidence"]["person_focused_of_last_6"], w["evidence"]["p_criticism"]),
                         (3, 0.172))
        self.assertIn(third["id"], w["evidence"]["feedback"])
        # Four recognitions after it: the last six hold two at the person.
        for day in (52, 54, 56, 58):
            self.feedback(pair, pair.guide, "recognition", "task", "Well done.",
                          at=shift(pair.start, days=day))
        self.assertBothSee(pair, set())

    def test_five_criticisms_are_not_yet_a_pattern_and_recognition_balances(self):
        pair = self.history_pair(days=60)
        self.settle(pair)
        self.weekly(pair, 8)
        for k in range(2, 7):
            self.feedback(pair, pair.guide, "constructive", "task", "Add dates to the plan.",
                          at=shift(pair.start, days=7 * k, hours=2))
        for day in (45, 50):
            self.feedback(pair, pair.learner, "recognition", "task", "Thanks.",
                          at=shift(pair.start, days=day))
        self.assertBothSee(pair, set())
        # Task-focused suggestions are not criticism; and two recognitions
        # make 2 of 7 even on the old reading (Beta(3, 6): 0.855, not > 0.9).
        for k in (7, 8):
            self.feedback(pair, pair.guide, "recognition", "task", "Good meeting.",
                          at=shift(pair.start, days=7 * k - 1))
        self.assertBothSee(pair, set())


class OneWay(WarningsCase):
    def test_no_feedback_from_the_learner_in_three_months(self):
        pair = self.history_pair(days=100)
        self.settle(pair)
        self.weekly(pair, 14)
        # 97 days ago: outside the 90-day window.
        self.feedback(pair, pair.learner, "recognition", "task", "Great start.",
                      at=shift(pair.start, days=3))
        # Ten items from the guide, none back: with fewer, a learner who
        # gives feedback after a third of the meetings has none in 90 days
        # by chance too often (docs/trust-model.md, calibration; it was
        # eight, and none of eight is still 2.5% of a healthy pair's windows).
        for k, kind in enumerate(("recognition", "constructive", "recognition", "constructive",
                                  "recognition", "constructive", "recognition", "recognition",
                                  "constructive", "recognition"),
                                 start=3):
            self.feedback(pair, pair.guide, kind, "task", "About the plan.",
                          at=shift(pair.start, days=6 * k + 14))
        # Asking is not feedback given.
        self.feedback(pair, pair.learner, "ask", at=shift(pair.start, days=80))
        self.assertBothSee(pair, {("ONE_WAY_FEEDBACK", None)})
        w = self.only(pair, pair.guide, "ONE_WAY_FEEDBACK")
        self.assertEqual(w["evidence"], {"learner_to_guide": 0, "guide_to_learner": 10,
                                         "share": 0.0, "window_days": 90})
        self.assertEqual(w["practice"], "ask-for-feedback")
        # One item from the learner is 1 of 9 (0.11): a share is judged from
        # 20 items on, so the learner is heard.
        self.feedback(pair, pair.learner, "constructive", "task", "Shorter sessions?",
                      at=self.at(hours=-1))
        self.assertBothSee(pair, set())


class SlowReplies(WarningsCase):
    def test_reply_window_broken_again_and_again(self):
        pair = self.history_pair(days=60)
        self.settle(pair)
        self.weekly(pair, 8)
        asked = []
        for k, hours in zip(range(2, 7), (80, 96, 30, 75, 90)):
            at = shift(pair.start, days=7 * k, hours=3)
            q = self.ask(pair, pair.learner, "Could you look at my draft?", at=at)
            self.reply(q["id"], pair.guide, "Done.", at=shift(at, hours=hours))
            asked.append(q["id"])
        for k in (2, 4, 6):
            at = shift(pair.start, days=7 * k, hours=5)
            q = self.ask(pair, pair.guide, "Can you send the numbers?", at=at)
            self.reply(q["id"], pair.learner, "Sent.", at=shift(at, hours=2))
        self.assertBothSee(pair, {("SLOW_REPLIES", pair.guide.id)})
        w = self.only(pair, pair.learner, "SLOW_REPLIES")
        self.assertEqual(w["severity"], "watch")
        self.assertEqual(w["practice"], "reply-within-window")
        self.assertEqual(w["evidence"], {"median_hours": 80.0, "reply_window_hours": 48,
                                         "requests": asked, "unanswered": 0, "late": 4})
        # Two prompt replies leave two late among the last five, and the
        # latest prompt: most replies are no longer late.
        for k in (57, 58):
            at = shift(pair.start, days=k)
            q = self.ask(pair, pair.learner, "Quick check?", at=at)
            self.reply(q["id"], pair.guide, "Yes.", at=shift(at, hours=1))
        self.assertBothSee(pair, set())


class PulseDrop(WarningsCase):
    ALL = ("REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2")

    def pulse(self, pair, who, value, at):
        body = {"answers": {item: value for item in self.ALL}, "overall": 2 * value, "at": at}
        return self.ok(self.post(rel(pair.rel_id, "/pulses"), body, who), 201)

    def test_sharp_drop_warns_the_rater_at_once_and_the_rated_party_after_the_reveal(self):
        pair = self.history_pair(days=60)
        self.settle(pair)
        self.weekly(pair, 8)
        self.pulse(pair, pair.guide, 4, shift(pair.start, days=20))
        self.pulse(pair, pair.learner, 5, shift(pair.start, days=21))
        self.pulse(pair, pair.learner, 5, shift(pair.start, days=35))
        self.assertBothSee(pair, set())
        latest = self.pulse(pair, pair.learner, 3, self.at(hours=-2))
        # The learner (the rater) sees it; the guide does not until the reveal.
        w = self.only(pair, pair.learner, "PULSE_DROP")
        self.assertEqual(w["party"], pair.guide.id)
        self.assertEqual(w["severity"], "alert")
        self.assertEqual(w["practice"], "review-the-relationship")
        self.assertEqual(w["since"], self.at(hours=-2))
        self.assertEqual(w["evidence"]["pulse"], latest["id"])
        self.assertEqual(w["evidence"]["test"], "reliable_change")
        self.assertNotIn("INT2", json.dumps(w))
        self.assertNotIn("PULSE_DROP", {c for c, _ in self.codes(pair, pair.guide)})
        self.assertNotIn(("SAFETY_DOUBT", pair.guide.id), self.codes(pair, pair.learner))
        # The guide answers about the learner: the learner's pulse is revealed.
        self.pulse(pair, pair.guide, 4, self.at(hours=-1))
        self.assertIn(("PULSE_DROP", pair.guide.id), self.codes(pair, pair.guide))
        self.assertEqual(self.codes(pair, pair.guide), self.codes(pair, pair.learner))
        self.assertNotIn(("PULSE_DROP", pair.learner.id), self.codes(pair, pair.learner))
        # The next pulse holds steady: the drop is over.
        self.pulse(pair, pair.learner, 3, self.at(minutes=-30))
        self.assertNotIn("PULSE_DROP", {c for c, _ in self.codes(pair, pair.learner)})

    def test_low_safety_answer_is_a_safety_doubt(self):
        pair = self.history_pair(days=30)
        self.settle(pair)
        self.weekly(pair, 4)
        body = {"answers": {"REL1": 4, "REL2": 4, "INT1": 4, "INT2": 2, "COM1": 4, "EMP1": 4},
                "overall": 7, "at": self.at(hours=-1)}
        p = self.ok(self.post(rel(pair.rel_id, "/pulses"), body, pair.guide), 201)
        w = self.only(pair, pair.guide, "SAFETY_DOUBT")
        self.assertEqual(w["party"], pair.learner.id)
        self.assertEqual(w["evidence"], {"pulse": p["id"], "rater": pair.guide.id})
        self.assertEqual(self.codes(pair, pair.learner), set())


class Healthy(WarningsCase):
    def test_weekly_coaching_over_six_months_raises_no_warning_at_all(self):
        pair = self.history_pair(days=182)
        self.settle(pair)
        goal = self.items(rel(pair.rel_id, "/goals"), pair.learner)[0]["id"]
        for k in range(1, 26):
            week = shift(pair.start, days=7 * k)
            self.meet(pair, week)
            made = shift(week, hours=1)
            due = shift(made, days=5)
            cm = self.commit(pair, pair.learner, pair.learner, "Practise the agenda", due, at=made)
            self.commitment_outcome(cm["id"], pair.learner, "kept", at=shift(due, days=-1))
            if k % 2 == 0:
                cm = self.commit(pair, pair.guide, pair.guide, "Send an example", due, at=made)
                self.commitment_outcome(cm["id"], pair.guide, "kept", at=shift(due, days=-2))
                q = self.ask(pair, pair.learner, "Could you read my draft?",
                             at=shift(week, hours=4))
                self.reply(q["id"], pair.guide, "Read it, see comments.",
                           at=shift(week, hours=9))
            if k % 4 == 1:
                q = self.ask(pair, pair.guide, "How did the meeting go?", at=shift(week, days=1))
                self.reply(q["id"], pair.learner, "Well.", at=shift(week, days=1, hours=6))
            if k % 3 == 0:
                self.feedback(pair, pair.guide, "recognition" if k % 2 else "constructive",
                              "task", "About the agenda.", at=shift(week, hours=2))
            if k % 3 == 1:
                self.feedback(pair, pair.learner, "recognition" if k % 2 else "constructive",
                              "task", "About our sessions.", at=shift(week, hours=3))
            if k % 4 == 0:
                self.review(pair, pair.learner, {goal: min(2, k // 8)}, at=shift(week, hours=5))
                for who, answers in ((pair.guide, HEALTHY_PULSE), (pair.learner, DELIGHTED_PULSE)):
                    body = {"answers": answers, "overall": 9, "at": shift(week, hours=6)}
                    self.ok(self.post(rel(pair.rel_id, "/pulses"), body, who), 201)
        self.meet(pair, self.at(days=-3))
        self.assertBothSee(pair, set())
        self.run_jobs()
        self.assertBothSee(pair, set())
        opened = self.server.query("SELECT code FROM warnings WHERE relationship_id = ?"
                                   " AND cleared_at IS NULL", pair.rel_id)
        self.assertEqual(opened, [])  # nothing open, not even hidden from both


class TimePasses(WarningsCase):
    """Warnings the daily job raises as time passes (this class moves the
    clock, so its tests keep to themselves)."""

    def move(self, pair, **delta):
        self.move_clock(self.now() + dt.timedelta(**delta), pair.guide, pair.learner)
        self.run_jobs()

    def test_cadence_gap_grows_from_watch_to_alert_and_clears_when_they_meet(self):
        pair = self.history_pair(days=30)
        self.settle(pair)
        self.weekly(pair, 4)  # the last one 2 days ago
        last = shift(pair.start, days=28)
        self.assertBothSee(pair, set())
        # One or two missed weekly meetings are not a pattern (G 1.57, 2.86).
        self.move(pair, days=9)  # 11 days since: G = 1.57
        self.assertBothSee(pair, set())
        self.move(pair, days=9)  # 20 days: G = 2.86
        self.assertBothSee(pair, set())
        self.move(pair, days=5)  # 25 days: G = 3.57
        w = self.only(pair, pair.learner, "CADENCE_GAP")
        self.assertEqual((w["severity"], w["party"]), ("watch", None))
        self.assertEqual(w["since"], shift(last, days=24, hours=12))
        self.assertEqual(w["evidence"], {"gap_ratio": 3.57, "days_since": 25.0, "cadence_days": 7,
                                         "last_held": last})
        self.assertEqual(w["practice"], "agree-expectations")
        self.move(pair, days=7)  # 32 days: G = 4.57
        w2 = self.only(pair, pair.guide, "CADENCE_GAP")
        self.assertEqual((w2["id"], w2["severity"], w2["since"]), (w["id"], "alert", w["since"]))
        self.assertBothSee(pair, {("CADENCE_GAP", None)})
        self.meet(pair, self.at(hours=-1))
        self.assertBothSee(pair, set())
        cleared = self.server.query("SELECT cleared_at FROM warnings WHERE id = ?", w["id"])
        self.assertIsNotNone(cleared[0][0])

    def test_a_pair_without_agreement_or_goals_is_reminded_after_14_and_21_days(self):
        pair = self.active_relationship()
        pair.start = ts(self.now())
        # No meeting yet: G = 2.14 is not yet a pattern (test_trust's fresh
        # relationship shows CADENCE_GAP counted from activation).
        self.move(pair, days=15)
        self.assertBothSee(pair, {("NO_AGREEMENT", None)})
        self.meet(pair, self.at(hours=-2))
        self.move(pair, days=7)
        self.assertBothSee(pair, {("NO_AGREEMENT", None), ("NO_GOALS", None)})
        w = self.only(pair, pair.guide, "NO_GOALS")
        self.assertEqual(w["evidence"], {"goals": 0, "days_active": 22.0, "not_smart": []})
        # A goal with gaps keeps the reminder, saying what is missing.
        g = self.add_goal(pair, pair.learner, "Be a better lead", specific="Run the stand-up.")
        w = self.only(pair, pair.guide, "NO_GOALS")
        self.assertEqual(w["evidence"]["not_smart"],
                         [{"goal": g["id"], "missing": ["measurable", "achievable", "relevant",
                                                        "due_on"]}])
        self.put_agreement(pair, pair.guide)
        self.acknowledge(pair, pair.learner, 1)
        self.assertBothSee(pair, {("NO_GOALS", None)})
        self.add_goal(pair, pair.learner, **{**GOAL, "title": "Another"})
        self.assertBothSee(pair, {("NO_GOALS", None)})  # the first goal still has gaps
        self.ok(self.post(f"{API}/goals/{g['id']}/status", {"status": "dropped"}, pair.learner))
        self.assertBothSee(pair, set())

    def test_a_note_moves_no_warning_and_the_next_event_that_can_does(self):
        """A note is the pair's own words, which no rule reads: writing one
        does not refresh the warnings (the daily job does as time passes);
        any event that can move them does."""
        pair = self.active_relationship()
        pair.start = ts(self.now())
        self.move(pair, days=13, hours=12)  # the job refreshes: not yet 14 days
        self.assertBothSee(pair, set())
        # 14 days and 8 hours: NO_AGREEMENT holds, but the job refreshed
        # 20 hours ago and leaves the pair until a day has passed.
        self.move(pair, hours=20)
        self.assertBothSee(pair, set())
        self.note(pair, pair.learner, "shared", "What we will talk about first")
        self.note(pair, pair.guide, "private", "Ask about the new team")
        self.assertBothSee(pair, set())
        self.schedule(pair, pair.learner, self.at(days=2))
        self.assertBothSee(pair, {("NO_AGREEMENT", None)})

    def test_pausing_silences_the_cadence_gap_and_ending_clears_everything(self):
        pair = self.history_pair(days=30)
        self.settle(pair)
        self.weekly(pair, 2)
        self.move(pair, days=9)  # 25 days since the last meeting: G = 3.57
        self.assertBothSee(pair, {("CADENCE_GAP", None)})
        self.ok(self.transition(pair.rel_id, pair.learner, "paused", reason="Leave"))
        self.assertBothSee(pair, set())
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.move(pair, days=20)  # counted from the return: G = 2.86
        self.assertBothSee(pair, set())
        self.move(pair, days=5)
        self.assertBothSee(pair, {("CADENCE_GAP", None)})
        self.ok(self.transition(pair.rel_id, pair.guide, "ended", reason="Moved on"))
        self.assertBothSee(pair, set())
        self.move(pair, days=2)
        self.assertBothSee(pair, set())
