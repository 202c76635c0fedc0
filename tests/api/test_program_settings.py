"""test_program_settings.py: a program's trust settings, for its
administrators (docs/trust-model.md, "A program's settings").

GET /api/v1/programs/{id}/settings -> {program_id, name, cadence_days,
  reply_window_hours, pulse_every_days, k_anonymity, warnings: [{code,
  severity, on, can_turn_off}]}
PUT /api/v1/programs/{id}/settings {cadence_days?, reply_window_hours?,
  pulse_every_days?, warnings_off?: [code]} -> the same, and change:
  {changed, relationships_refreshed, warnings_withdrawn}
GET /api/v1/programs/{id}/settings/changes -> {items: [{id, kind, by, at,
  changes}], next}

Administrators of the program (and site admins) only: other members get
403, anyone else 404. A change refreshes the warnings of the program's
current relationships at once; a warning it clears gets a
"warning_withdrawn" event that says the program's settings withdrew it.
"""

from flows import API, shift
from test_warnings import WarningsCase

CODES = ["CADENCE_GAP", "LATE_CANCELLATIONS", "FOLLOW_THROUGH", "SLOW_REPLIES",
         "CRITICISM_HEAVY", "NO_CONSTRUCTIVE", "ONE_WAY_FEEDBACK", "SAFETY_DOUBT", "PULSE_DROP",
         "INCIDENT", "NO_AGREEMENT", "NO_GOALS", "PERCEPTION_GAP", "ONE_SIDED_DRIFT",
         "DECLINING"]
ALERTS = {"CADENCE_GAP", "LATE_CANCELLATIONS", "FOLLOW_THROUGH", "SAFETY_DOUBT", "PULSE_DROP",
          "INCIDENT"}


def settings_url(program_id, tail=""):
    return f"{API}/programs/{program_id}/settings{tail}"


class ProgramSettings(WarningsCase):

    def one_way_pair(self):
        """A settled pair whose guide gave ten items of feedback in 90 days
        and the learner none: ONE_WAY_FEEDBACK is open."""
        pair = self.history_pair(days=100)
        self.settle(pair)
        self.weekly(pair, 14)
        for k in range(3, 13):
            self.feedback(pair, pair.guide, "recognition" if k % 2 else "constructive", "task",
                          "About the plan.", at=shift(pair.start, days=6 * k + 14))
        self.assertBothSee(pair, {("ONE_WAY_FEEDBACK", None)})
        return pair

    def put_settings(self, program_id, body, who, status=200):
        return self.ok(self.put(settings_url(program_id), body, who), status)

    def test_the_administrator_reads_the_programs_terms_and_every_warning(self):
        program_id = self.program_at("mentoring")
        admin = self.program_admin(program_id)
        got = self.ok(self.get(settings_url(program_id), admin))
        self.assertEqual(sorted(got), ["cadence_days", "k_anonymity", "name", "program_id",
                                       "pulse_every_days", "reply_window_hours", "warnings"])
        self.assertEqual((got["program_id"], got["cadence_days"], got["reply_window_hours"],
                          got["pulse_every_days"], got["k_anonymity"]),
                         (program_id, 14, 48, 28, 5))
        self.assertEqual([w["code"] for w in got["warnings"]], CODES)
        for w in got["warnings"]:
            self.assertEqual(w, {"code": w["code"], "on": True,
                                 "severity": "alert" if w["code"] in ALERTS else "watch",
                                 "can_turn_off": w["code"] != "INCIDENT"})
        # The site admin may read them too; the changes list starts empty.
        self.ok(self.get(settings_url(program_id), self.admin))
        self.assertEqual(self.ok(self.get(settings_url(program_id, "/changes"), admin)),
                         {"items": [], "next": None})

    def test_only_the_programs_administrators_may_read_or_change_them(self):
        pair = self.history_pair(days=10)
        stranger = self.stranger()
        for who, status in ((pair.guide, 403), (pair.learner, 403), (stranger, 404)):
            with self.subTest(who=who.name):
                with self.unchanged():
                    self.assertProblem(self.get(settings_url(pair.program_id), who), status)
                    self.assertProblem(self.get(settings_url(pair.program_id, "/changes"), who),
                                       status)
                    self.assertProblem(self.put(settings_url(pair.program_id),
                                                {"warnings_off": ["DECLINING"]}, who), status)
        self.assertProblem(self.get(settings_url(pair.program_id)), 401)
        self.assertProblem(self.get(settings_url(999999), self.admin), 404)

    def test_turning_a_warning_off_withdraws_it_and_turning_it_on_opens_it_again(self):
        pair = self.one_way_pair()
        admin = self.program_admin(pair.program_id)
        before = self.only(pair, pair.guide, "ONE_WAY_FEEDBACK")
        got = self.put_settings(pair.program_id, {"warnings_off": ["ONE_WAY_FEEDBACK"]}, admin)
        self.assertEqual(got["change"], {"changed": True, "relationships_refreshed": 1,
                                         "warnings_withdrawn": 1})
        self.assertEqual([w["code"] for w in got["warnings"] if not w["on"]],
                         ["ONE_WAY_FEEDBACK"])
        self.assertBothSee(pair, set())
        cleared = self.server.query("SELECT cleared_at FROM warnings WHERE id = ?", before["id"])
        self.assertIsNotNone(cleared[0][0])
        # The pair is told why, in words that say nothing of the feedback.
        withdrawn = [e for e in self.events(pair.rel_id, pair.learner)
                     if e["kind"] == "warning_withdrawn"]
        self.assertEqual([e["subject_id"] for e in withdrawn], [before["id"]])
        timeline = self.ok(self.get(f"{API}/relationships/{pair.rel_id}/timeline", pair.guide))
        self.assertEqual(timeline["items"][0]["sentence"],
                         "The early warning ONE_WAY_FEEDBACK was withdrawn: the program's "
                         "settings changed and no longer raise it.")
        # Members see which warnings the program raises on the program itself.
        self.assertEqual(self.ok(self.get(f"{API}/programs/{pair.program_id}",
                                          pair.learner))["warnings_off"], ["ONE_WAY_FEEDBACK"])
        # More one-way feedback: still nothing, the engine honours the switch.
        self.feedback(pair, pair.guide, "recognition", "task", "Good.", at=self.at(hours=-1))
        self.assertBothSee(pair, set())
        self.run_jobs()
        self.assertBothSee(pair, set())
        # Back on: it opens again as a new warning, with nothing withdrawn.
        got = self.put_settings(pair.program_id, {"warnings_off": []}, admin)
        self.assertEqual(got["change"], {"changed": True, "relationships_refreshed": 1,
                                         "warnings_withdrawn": 0})
        after = self.only(pair, pair.learner, "ONE_WAY_FEEDBACK")
        self.assertNotEqual(after["id"], before["id"])
        # The history of changes, newest first, by whom.
        changes = self.ok(self.get(settings_url(pair.program_id, "/changes"), admin))
        self.assertIsNone(changes["next"])
        self.assertEqual([(c["kind"], c["by"], c["changes"]) for c in changes["items"]], [
            ("settings_changed", {"id": admin.id, "name": admin.name},
             {"warnings_off": {"from": ["ONE_WAY_FEEDBACK"], "to": []}}),
            ("settings_changed", {"id": admin.id, "name": admin.name},
             {"warnings_off": {"from": [], "to": ["ONE_WAY_FEEDBACK"]}}),
        ])
        self.assertEqual(changes["items"][0]["at"], self.at())
        page = self.ok(self.get(settings_url(pair.program_id, "/changes?limit=1"), admin))
        self.assertEqual(len(page["items"]), 1)
        rest = self.ok(self.get(settings_url(pair.program_id, f"/changes?after={page['next']}"),
                                admin))
        self.assertEqual([c["id"] for c in page["items"] + rest["items"]],
                         [c["id"] for c in changes["items"]])

    def test_the_same_settings_again_change_and_record_nothing(self):
        program_id = self.program_at("coaching")
        admin = self.program_admin(program_id)
        body = {"cadence_days": 7, "reply_window_hours": 48, "pulse_every_days": 28,
                "warnings_off": []}
        with self.unchanged():
            got = self.put_settings(program_id, body, admin)
        self.assertEqual(got["change"], {"changed": False, "relationships_refreshed": 0,
                                         "warnings_withdrawn": 0})

    def test_the_programs_cadence_is_the_one_pairs_without_an_agreement_are_judged_by(self):
        pair = self.history_pair(days=30)  # coaching: weekly; no agreement, no goal
        self.meet(pair, shift(pair.start, days=5))
        self.assertBothSee(pair, {("CADENCE_GAP", None), ("NO_AGREEMENT", None),
                                  ("NO_GOALS", None)})
        gap = self.only(pair, pair.guide, "CADENCE_GAP")
        self.assertEqual(gap["evidence"]["cadence_days"], 7)
        admin = self.program_admin(pair.program_id)
        # Every two weeks: 25 days since they met is G = 1.79, no gap.
        got = self.put_settings(pair.program_id, {"cadence_days": 14, "reply_window_hours": 72,
                                                  "pulse_every_days": 42}, admin)
        self.assertEqual(got["change"]["warnings_withdrawn"], 1)
        self.assertEqual((got["cadence_days"], got["reply_window_hours"],
                          got["pulse_every_days"]), (14, 72, 42))
        self.assertBothSee(pair, {("NO_AGREEMENT", None), ("NO_GOALS", None)})
        prog = self.ok(self.get(f"{API}/programs/{pair.program_id}", pair.guide))
        self.assertEqual(prog["settings"], {"cadence_days": 14, "reply_window_hours": 72,
                                            "pulse_every_days": 42, "k_anonymity": 5})
        change = self.ok(self.get(settings_url(pair.program_id, "/changes"), admin))["items"][0]
        self.assertEqual(change["changes"], {
            "cadence_days": {"from": 7, "to": 14},
            "pulse_every_days": {"from": 28, "to": 42},
            "reply_window_hours": {"from": 48, "to": 72}})

    def test_bad_settings_are_refused_and_change_nothing(self):
        program_id = self.program_at("coaching")
        admin = self.program_admin(program_id)
        url = settings_url(program_id)
        with self.unchanged():
            r = self.put(url, {"cadence_days": 0, "reply_window_hours": 721,
                               "pulse_every_days": 6}, admin)
            self.assertProblem(r, 422, pointer="/cadence_days", detail="between 1 and 365")
            self.assertEqual(self.pointers(r), ["/cadence_days", "/pulse_every_days",
                                                "/reply_window_hours"])
            r = self.put(url, {"warnings_off": ["DECLINING", "NOT_A_CODE", 3, "DECLINING"]},
                         admin)
            self.assertEqual(self.pointers(r), ["/warnings_off/1", "/warnings_off/2",
                                                "/warnings_off/3"])
            self.assertProblem(self.put(url, {"warnings_off": ["INCIDENT"]}, admin), 422,
                               pointer="/warnings_off", detail="always warns")
            self.assertProblem(self.put(url, {"warnings_off": "DECLINING"}, admin), 422,
                               pointer="/warnings_off")
            # The privacy threshold and the model's figures are not the admin's.
            r = self.put(url, {"k_anonymity": 3, "half_life_days": 30, "at": self.at()}, admin)
            self.assertEqual(self.pointers(r), ["/at", "/half_life_days", "/k_anonymity"])
            self.assertProblem(self.put(url, [], admin), 400, code="body_not_object")


class RecomputeHonoursTheSwitches(WarningsCase):
    """`rapport trust recompute` refreshes every relationship at the wall
    clock (its own server: the refresh moves every pair of the database)."""

    def test_a_warning_turned_off_stays_off_through_a_recompute(self):
        pair = self.history_pair(days=30)  # no agreement, no goal, never met
        admin = self.program_admin(pair.program_id)
        self.assertBothSee(pair, {("CADENCE_GAP", None), ("NO_AGREEMENT", None),
                                  ("NO_GOALS", None)})
        got = self.ok(self.put(settings_url(pair.program_id),
                               {"warnings_off": ["NO_AGREEMENT", "CADENCE_GAP"]}, admin))
        self.assertEqual(got["change"]["warnings_withdrawn"], 2)
        self.assertBothSee(pair, {("NO_GOALS", None)})
        self.server.cli("trust", "recompute", "--db", self.server.db)
        self.assertBothSee(pair, {("NO_GOALS", None)})
        codes = self.server.query("SELECT DISTINCT code FROM warnings WHERE relationship_id = ?",
                                  pair.rel_id)
        self.assertEqual(sorted(c for (c,) in codes), ["CADENCE_GAP", "NO_AGREEMENT", "NO_GOALS"])
        # The withdrawals were the program's; the recompute had nothing to add.
        kinds = [(e["kind"], e["subject_id"]) for e in self.events(pair.rel_id, pair.guide)
                 if e["kind"] == "warning_withdrawn"]
        self.assertEqual(len(kinds), 2)
