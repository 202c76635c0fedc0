"""Pulse surveys (TRUST-MODEL.md 3.7): answering, who sees raw answers,
the double-blind reveal (as the rated party's trust view and as the stored
evidence's visible_at), the schedule, the CUSUM state, and the practice
library's routes.

Classes that move the dev clock keep to themselves (DoubleBlindOverTime).
"""

import datetime as dt

from flows import API, FlowTestCase, T, rel, shift, ts

ITEMS = ("REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2")
WEEK = 7 * 24 * 3600


def answers(*values):
    """{REL1: v1, ...} from seven values (None for "no chance to tell")."""
    return dict(zip(ITEMS, values))


def all_of(x):
    return answers(*([x] * 7))


class PulseHelpers(FlowTestCase):

    def answer(self, pair, who, ans, overall=7, at=None, status=201):
        body = {"answers": ans, "overall": overall}
        if at is not None:
            body["at"] = at
        return self.ok(self.post(rel(pair.rel_id, "/pulses"), body, who), status)

    def later(self, *people, **delta):
        """Moves the dev clock forward by timedelta(**delta) and signs the
        site admin and people in again (a move expires every session)."""
        self.advance(**delta)
        for who in (self.admin, *people):
            self.sign_in(who)

    def trust(self, pair, who):
        return self.ok(self.get(rel(pair.rel_id, "/trust"), who))

    def about(self, view, party):
        """The direction of a trust view about "guide" or "learner"."""
        found = [d for d in view["directions"] if d["about"] == party]
        self.assertEqual(len(found), 1, view)
        return found[0]

    def evidence_of(self, pulse_id):
        """(about, comp, v, w, t, visible_at) of the evidence of a pulse."""
        return self.server.query(
            "SELECT e.about, e.comp, e.v, e.w, e.t, e.visible_at FROM evidence e"
            " JOIN events ev ON ev.id = e.event_id WHERE ev.kind = 'pulse_answered'"
            " AND ev.subject_id = ? ORDER BY e.id", pulse_id)


class Answering(PulseHelpers):

    def test_answer_returns_the_pulse_with_its_reveal_time(self):
        pair = self.active_relationship()
        got = self.answer(pair, pair.guide, answers(4, 5, 3, None, 2, 1, None), overall=6)
        self.assertEqual(sorted(got), ["answered_at", "answers", "id", "overall", "ratee_id",
                                       "rater_id", "relationship_id", "revealed_at"])
        self.assertEqual(got["rater_id"], pair.guide.id)
        self.assertEqual(got["ratee_id"], pair.learner.id)
        self.assertEqual(got["relationship_id"], pair.rel_id)
        self.assertEqual(got["answers"], answers(4, 5, 3, None, 2, 1, None))
        self.assertEqual(got["overall"], 6)
        self.assertEqual(got["answered_at"], ts(self.now()))
        self.assertEqual(T(got["revealed_at"]) - T(got["answered_at"]), dt.timedelta(days=7))
        events = [e for e in self.events(pair.rel_id, pair.guide) if e["kind"] == "pulse_answered"]
        self.assertEqual([(e["actor_id"], e["subject_id"]) for e in events],
                         [(pair.guide.id, got["id"])])

    def test_each_answered_item_is_evidence_about_the_ratee(self):
        pair = self.active_relationship()
        got = self.answer(pair, pair.learner, answers(5, 4, 3, 2, 1, None, 5))
        rows = self.evidence_of(got["id"])
        # about 0 = the guide; comp 0 REL, 1 INT, 2 COM, 3 EMP; v = (x - 1) / 4, w = 2.
        t = int(T(got["answered_at"]).timestamp())
        reveal = int(T(got["revealed_at"]).timestamp())
        self.assertEqual(rows, [(0, 0, 1.0, 2.0, t, reveal), (0, 0, 0.75, 2.0, t, reveal),
                                (0, 1, 0.5, 2.0, t, reveal), (0, 1, 0.25, 2.0, t, reveal),
                                (0, 2, 0.0, 2.0, t, reveal), (0, 3, 1.0, 2.0, t, reveal)])

    def test_bad_answers_are_refused_at_their_pointer(self):
        pair = self.active_relationship()
        path = rel(pair.rel_id, "/pulses")
        g = pair.guide
        cases = [
            ({"answers": {"REL1": 4, "REL9": 3}, "overall": 5}, ["/answers/REL9"]),
            ({"answers": {"INT1": 6, "EMP2": 0}, "overall": 5}, ["/answers/EMP2", "/answers/INT1"]),
            ({"answers": {"COM1": "4"}, "overall": 5}, ["/answers/COM1"]),
            ({"answers": all_of(3)}, ["/overall"]),
            ({"answers": all_of(3), "overall": 11}, ["/overall"]),
            ({"answers": [3, 3], "overall": 5}, ["/answers"]),
            ({"overall": 5}, ["/answers"]),
            ({"answers": all_of(3), "overall": 5, "mood": "fine"}, ["/mood"]),
            ({"answers": all_of(3), "overall": 5, "at": shift(self.at(), hours=1)}, ["/at"]),
        ]
        for body, pointers in cases:
            with self.subTest(body=body):
                self.assertRefused(lambda: self.post(path, body, g), 422, "validation", pointers)

    def test_pulses_need_an_active_paused_or_completed_relationship(self):
        pair = self.pair()
        self.propose(pair)
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/pulses"),
                                             {"answers": all_of(4), "overall": 7}, pair.guide),
                           409, "relationship_state")
        pair = self.active_relationship()
        self.ok(self.transition(pair.rel_id, pair.learner, "paused"))
        self.answer(pair, pair.learner, all_of(4))
        self.ok(self.transition(pair.rel_id, pair.guide, "ended", reason="Moved on"))
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/pulses"),
                                             {"answers": all_of(4), "overall": 7}, pair.guide),
                           409, "relationship_state")

    def test_raw_answers_are_shown_only_to_their_rater(self):
        pair = self.active_relationship()
        mine = self.answer(pair, pair.guide, all_of(2), overall=3)
        theirs = self.answer(pair, pair.learner, all_of(5), overall=10)
        g_list = self.ok(self.get(rel(pair.rel_id, "/pulses"), pair.guide))
        l_list = self.ok(self.get(rel(pair.rel_id, "/pulses"), pair.learner))
        self.assertEqual(g_list, {"items": [mine | {"revealed_at": theirs["answered_at"]}],
                                  "next": None})
        self.assertEqual(l_list, {"items": [theirs], "next": None})
        # Nothing of the other's answers appears anywhere the other party reads.
        for path in ("/events", "/pulse-schedule", "/trust"):
            body = self.get(rel(pair.rel_id, path), pair.learner).body.decode()
            self.assertNotIn('"REL1"', body, path)
            self.assertNotIn('"overall"', body, path)

    def test_own_pulses_page_in_id_order(self):
        pair = self.active_relationship()
        ids = [self.answer(pair, pair.learner, all_of(x))["id"] for x in (1, 2, 3, 4)]
        self.answer(pair, pair.guide, all_of(3))
        self.assertPages(rel(pair.rel_id, "/pulses"), pair.learner, ids)

    def test_outsiders_get_404_on_every_pulse_route(self):
        pair = self.active_relationship()
        self.answer(pair, pair.guide, all_of(4))
        sends = []
        for _, who in self.outsiders(pair):
            sends += [
                lambda who=who: self.post(rel(pair.rel_id, "/pulses"),
                                          {"answers": all_of(4), "overall": 7}, who),
                lambda who=who: self.get(rel(pair.rel_id, "/pulses"), who),
                lambda who=who: self.get(rel(pair.rel_id, "/pulse-schedule"), who),
            ]
        self.assertAllNotFound(sends)


class Reveal(PulseHelpers):

    def test_answering_back_reveals_the_other_partys_earlier_pulse_and_its_evidence(self):
        pair = self.history_pair(days=20)
        first = self.answer(pair, pair.guide, all_of(2), at=self.at(days=-5))
        self.assertEqual(first["revealed_at"], self.at(days=2))
        rows = self.evidence_of(first["id"])
        self.assertEqual({r[5] for r in rows}, {int(T(self.at(days=2)).timestamp())})
        back = self.answer(pair, pair.learner, all_of(4), at=self.at(days=-1))
        # The learner answered after the guide: the guide's pulse is revealed then ...
        stored = self.server.query("SELECT revealed_at FROM pulses WHERE id = ?", first["id"])
        when = int(T(back["answered_at"]).timestamp())
        self.assertEqual(stored, [(when,)])
        self.assertEqual({r[5] for r in self.evidence_of(first["id"])}, {when})
        # ... while the learner's own pulse waits for the guide's answer or seven days.
        self.assertEqual(back["revealed_at"], self.at(days=6))

    def test_a_pulse_answered_before_the_others_latest_is_revealed_by_it(self):
        pair = self.history_pair(days=20)
        later = self.answer(pair, pair.learner, all_of(4), at=self.at(days=-3))
        # History entered late: the guide's pulse dated before the learner's.
        early = self.answer(pair, pair.guide, all_of(3), at=self.at(days=-4))
        self.assertEqual(early["revealed_at"], later["answered_at"])
        self.assertEqual(self.server.query("SELECT revealed_at FROM pulses WHERE id = ?",
                                           later["id"]),
                         [(int(T(self.at(days=4)).timestamp()),)])

    def test_old_pulses_are_revealed_already(self):
        pair = self.history_pair(days=20)
        got = self.answer(pair, pair.guide, all_of(1), at=self.at(days=-8))
        self.assertEqual(got["revealed_at"], self.at(days=-1))
        learner_view = self.about(self.trust(pair, pair.learner), "learner")
        self.assertLess(learner_view["components"]["REL"]["p"], 0.5)

    def test_the_rater_sees_their_direction_move_at_once_the_rated_party_does_not(self):
        pair = self.history_pair(days=1)
        before_g = self.about(self.trust(pair, pair.guide), "learner")
        before_l = self.about(self.trust(pair, pair.learner), "learner")
        self.answer(pair, pair.guide, all_of(1), at=self.at(hours=-2))
        after_g = self.about(self.trust(pair, pair.guide), "learner")
        after_l = self.about(self.trust(pair, pair.learner), "learner")
        for comp in ("REL", "INT", "COM", "EMP"):
            self.assertLess(after_g["components"][comp]["p"], before_g["components"][comp]["p"],
                            comp)
            self.assertEqual(after_l["components"][comp]["p"], before_l["components"][comp]["p"],
                             comp)
        self.assertEqual(after_l["index_value"], before_l["index_value"])
        # The learner answers about the guide: now the guide's pulse shows for them too.
        self.answer(pair, pair.learner, all_of(5), at=self.at(hours=-1))
        revealed = self.about(self.trust(pair, pair.learner), "learner")
        for comp in ("REL", "INT", "COM", "EMP"):
            self.assertAlmostEqual(revealed["components"][comp]["p"],
                                   after_g["components"][comp]["p"], places=9)
        # The learner's own pulse is not revealed to the guide yet (the guide answered
        # before it, and seven days have not passed).
        g_about_g = self.about(self.trust(pair, pair.guide), "guide")
        l_about_g = self.about(self.trust(pair, pair.learner), "guide")
        self.assertLess(g_about_g["components"]["REL"]["p"], l_about_g["components"]["REL"]["p"])


class DoubleBlindOverTime(PulseHelpers):
    """Moves the clock: keeps to itself."""

    def test_the_rated_partys_view_moves_seven_days_later(self):
        pair = self.active_relationship()
        self.answer(pair, pair.guide, all_of(1))
        base = self.about(self.trust(pair, pair.learner), "learner")["components"]["REL"]["p"]
        self.later(pair.guide, pair.learner, days=6, hours=23)
        still = self.about(self.trust(pair, pair.learner), "learner")["components"]["REL"]["p"]
        self.assertEqual(still, base)
        self.later(pair.guide, pair.learner, hours=1)
        moved = self.about(self.trust(pair, pair.learner), "learner")["components"]["REL"]["p"]
        self.assertLess(moved, base)
        self.assertAlmostEqual(
            moved, self.about(self.trust(pair, pair.guide), "learner")["components"]["REL"]["p"],
            places=9)


class Schedule(PulseHelpers):

    def schedule_of(self, pair, who):
        return self.ok(self.get(rel(pair.rel_id, "/pulse-schedule"), who))

    def hold(self, pair, when):
        ck = self.schedule(pair, pair.guide, when, at=shift(when, hours=-1))
        self.checkin_outcome(ck["id"], pair.guide, "held", at=when)

    def test_a_new_relationship_is_due_a_pulse_after_its_cadence(self):
        pair = self.active_relationship()
        got = self.schedule_of(pair, pair.learner)
        self.assertEqual(got, {"due": False, "due_at": self.at(days=28), "reason": "cadence",
                               "last_answered_at": None})

    def test_cadence_counts_from_the_callers_last_pulse(self):
        pair = self.history_pair(days=60)
        self.assertEqual(self.schedule_of(pair, pair.guide),
                         {"due": True, "due_at": shift(pair.start, days=28), "reason": "cadence",
                          "last_answered_at": None})
        last = self.answer(pair, pair.guide, all_of(4), at=self.at(days=-10))
        self.assertEqual(self.schedule_of(pair, pair.guide),
                         {"due": False, "due_at": self.at(days=18), "reason": "cadence",
                          "last_answered_at": last["answered_at"]})
        # The other party's schedule is their own.
        self.assertEqual(self.schedule_of(pair, pair.learner)["due_at"],
                         shift(pair.start, days=28))

    def test_the_third_held_checkin_since_the_last_pulse_makes_it_due(self):
        pair = self.history_pair(days=60)
        self.hold(pair, self.at(days=-50))  # before the pulse: does not count
        self.answer(pair, pair.learner, all_of(4), at=self.at(days=-45))
        self.hold(pair, self.at(days=-40))
        self.hold(pair, self.at(days=-35))
        self.assertEqual(self.schedule_of(pair, pair.learner)["reason"], "cadence")
        self.assertEqual(self.schedule_of(pair, pair.learner)["due_at"], self.at(days=-17))
        self.hold(pair, self.at(days=-30))
        got = self.schedule_of(pair, pair.learner)
        self.assertEqual(got, {"due": True, "due_at": self.at(days=-30), "reason": "checkins",
                               "last_answered_at": self.at(days=-45)})

    def test_the_programs_pulse_setting_is_the_cadence(self):
        program_id = self.program("mentoring", settings={"cadence_days": 14,
                                                         "reply_window_hours": 48,
                                                         "pulse_every_days": 14,
                                                         "k_anonymity": 5})
        pair = self.active_relationship("mentoring", program_id)
        self.assertEqual(self.schedule_of(pair, pair.guide)["due_at"], self.at(days=14))

    def test_only_an_active_relationship_has_a_schedule(self):
        pair = self.active_relationship()
        self.ok(self.transition(pair.rel_id, pair.guide, "paused"))
        self.assertEqual(self.schedule_of(pair, pair.guide),
                         {"due": False, "due_at": None, "reason": None, "last_answered_at": None})


class Cusum(PulseHelpers):

    def test_cusum_state_follows_the_raters_pulses_and_alarms(self):
        # All within the last week, so that none is revealed to the learner yet.
        pair = self.history_pair(days=10)
        t = [self.at(days=d) for d in (-6, -5, -4, -3, -2)]
        for when in t[:3]:
            self.answer(pair, pair.guide, all_of(4), at=when)
        row = self.server.query("SELECT n, first_sum, s, alarm_at FROM pulse_cusum"
                                " WHERE relationship_id = ? AND rater_id = ?",
                                pair.rel_id, pair.guide.id)
        self.assertEqual(row, [(3, 12.0, 0.0, None)])
        # A new program: its mean is the midpoint 3, so mu = (12 + 2*3) / 5 = 3.6 and a
        # pulse of all 1s gives z = -3.25, S = 2.75; the next one S = 5.5 >= 5: alarm.
        self.answer(pair, pair.guide, all_of(1), at=t[3])
        s = self.server.query("SELECT n, s, alarm_at FROM pulse_cusum WHERE rater_id = ?",
                              pair.guide.id)
        self.assertEqual(s[0][0], 4)
        self.assertAlmostEqual(s[0][1], 2.75, places=12)
        self.assertIsNone(s[0][2])
        self.answer(pair, pair.guide, all_of(1), at=t[4])
        s = self.server.query("SELECT n, s, alarm_at FROM pulse_cusum WHERE rater_id = ?",
                              pair.guide.id)
        self.assertEqual(s, [(5, 0.0, int(T(t[4]).timestamp()))])
        # The rater sees the PULSE_DROP their answer raised at once; the rated party
        # only after the reveal.
        codes = [w["code"] for w in self.trust(pair, pair.guide)["warnings"]]
        self.assertIn("PULSE_DROP", codes)
        self.assertNotIn("PULSE_DROP",
                         [w["code"] for w in self.trust(pair, pair.learner)["warnings"]])
        # A pulse that answers nothing is no step.
        self.answer(pair, pair.guide, all_of(None))
        self.assertEqual(self.server.query("SELECT n FROM pulse_cusum WHERE rater_id = ?",
                                           pair.guide.id), [(5,)])


class Practices(PulseHelpers):

    def test_the_library_lists_every_practice_with_questions(self):
        who = self.person("Reader")
        page = self.ok(self.get(f"{API}/practices", who))
        self.assertIsNone(page["next"])
        items = page["items"]
        self.assertEqual([p["id"] for p in items], list(range(1, len(items) + 1)))
        linked = set()
        for p in items:
            self.assertEqual(sorted(p), ["id", "questions", "slug", "summary", "title",
                                         "warnings"])
            self.assertIn(len(p["questions"]), (2, 3))
            linked |= set(p["warnings"])
            self.assertEqual(self.ok(self.get(f"{API}/practices/{p['id']}", who)), p)
        self.assertEqual(linked, {"CADENCE_GAP", "LATE_CANCELLATIONS", "FOLLOW_THROUGH",
                                  "SLOW_REPLIES", "CRITICISM_HEAVY", "NO_CONSTRUCTIVE",
                                  "ONE_WAY_FEEDBACK", "SAFETY_DOUBT", "PULSE_DROP", "INCIDENT",
                                  "NO_AGREEMENT", "NO_GOALS", "PERCEPTION_GAP",
                                  "ONE_SIDED_DRIFT", "DECLINING"})
        self.assertProblem(self.get(f"{API}/practices/{len(items) + 1}", who), 404, "not_found")
        self.assertProblem(self.get(f"{API}/practices"), 401)
