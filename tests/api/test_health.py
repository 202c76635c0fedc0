"""test_health.py: program health for administrators (TRUST-MODEL.md 7),
k-anonymous, and `rapport report`, which prints the same.

GET /api/v1/programs/{id}/health -> {program_id, k, as_of, period_days,
groups: [{kind: "program"|"guide", id, name, relationships, trust_index,
warnings, cadence_adherence, follow_through, pulse}]}; a figure resting on
too few raters or relationships is {"suppressed": true, "reason": "fewer
than k"} or, when it would let a hidden group be recovered by subtraction,
"complementary".
"""

import json

from flows import API, FlowTestCase, shift

FEWER = {"suppressed": True, "reason": "fewer than k"}
COMPLEMENTARY = {"suppressed": True, "reason": "complementary"}
CELLS = ("trust_index", "warnings", "cadence_adherence", "follow_through", "pulse")
ITEMS = ("REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2")
TEXT = "A confidential sentence about the work"


class HealthCase(FlowTestCase):
    def cohort(self, program_id, start, guide_name, learners, rated=None, agreement=False):
        """A guide with `learners` relationships in the program, active since
        `start` (mentoring: check-ins every 14 days, each learner keeping a
        commitment a month); the first `rated` learners (default all) answer
        three pulses about the guide. Returns (guide, [rel ids])."""
        guide = self.person(guide_name)
        self.enroll(program_id, guide, "guide")
        rels = []
        for i in range(learners):
            learner = self.person(f"{guide_name} learner {i + 1}")
            self.enroll(program_id, learner, "learner")
            r = self.ok(self.post(f"{API}/relationships",
                                  {"program_id": program_id, "guide_id": guide.id,
                                   "learner_id": learner.id, "at": start}, self.admin), 201)
            for who in (guide, learner):
                self.ok(self.transition(r["id"], who, "active", at=start))
            path = f"{API}/relationships/{r['id']}"
            if agreement:
                body = {"purpose": "Grow", "cadence_days": 14, "channels": ["call"],
                        "reply_window_hours": 48, "confidentiality": "Ours.", "boundaries": "-",
                        "feedback_preferences": "-", "ends_on": "2026-12-31",
                        "at": shift(start, days=1)}
                self.ok(self.put(f"{path}/agreement", body, guide), 201)
                self.ok(self.post(f"{path}/agreement/acknowledge",
                                  {"version": 1, "at": shift(start, days=1, hours=1)}, learner))
            for k in range(1, 14):
                when = shift(start, days=14 * k)
                ck = self.ok(self.post(f"{path}/checkins",
                                       {"scheduled_at": when, "at": shift(when, days=-2)},
                                       learner), 201)
                self.ok(self.post(f"{API}/checkins/{ck['id']}/outcome",
                                  {"outcome": "held", "at": when}, guide))
                if k % 2 == 0:
                    cm = self.ok(self.post(f"{path}/commitments",
                                           {"owner_id": learner.id, "text": TEXT,
                                            "due_at": shift(when, days=5), "at": when},
                                           learner), 201)
                    self.ok(self.post(f"{API}/commitments/{cm['id']}/outcome",
                                      {"outcome": "kept", "at": shift(when, days=4)}, learner))
            self.ok(self.post(f"{path}/feedback", {"kind": "recognition", "focus": "task",
                                                   "text": TEXT, "at": shift(start, days=100)},
                              learner), 201)
            for days in (50, 25, 3):  # three pulses: the guide's direction is established
                if rated is None or i < rated:
                    self.ok(self.post(f"{path}/pulses",
                                      {"answers": {item: 4 for item in ITEMS}, "overall": 8,
                                       "at": self.at(days=-days)}, learner), 201)
            rels.append(r["id"])
        return guide, rels

    def health(self, program_id, who):
        return self.ok(self.get(f"{API}/programs/{program_id}/health", who))

    def assertNotRecoverable(self, h):
        """Per figure: when any guide group is hidden, at least two are,
        and together they hold at least k relationships (subtracting the
        shown groups from the program reveals only their sum)."""
        program, guides = h["groups"][0], h["groups"][1:]
        for cell in CELLS:
            hidden = [g for g in guides if g[cell] in (FEWER, COMPLEMENTARY)]
            if not hidden or program[cell] in (FEWER, COMPLEMENTARY):
                continue
            self.assertGreaterEqual(len(hidden), 2, cell)
            self.assertGreaterEqual(sum(g["relationships"] for g in hidden), h["k"], cell)


class Cohorts(HealthCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t = cls.helper()
        start = t.at(days=-190)
        cls.program_id = t.program_at("mentoring", at=start)
        cls.admin_person = t.program_admin(cls.program_id)
        # A: four learners, all rated: a cohort below k = 5.
        cls.a, cls.a_rels = t.cohort(cls.program_id, start, "Guide A", 4)
        cls.b, cls.b_rels = t.cohort(cls.program_id, start, "Guide B", 5)
        cls.c, cls.c_rels = t.cohort(cls.program_id, start, "Guide C", 6, agreement=True)

    def test_only_administrators_see_health(self):
        self.health(self.program_id, self.admin_person)
        self.health(self.program_id, self.admin)
        self.assertProblem(self.get(f"{API}/programs/{self.program_id}/health", self.a), 403,
                           "role")
        self.assertProblem(self.get(f"{API}/programs/{self.program_id}/health", self.stranger()),
                           404, "not_found")
        self.assertProblem(self.get(f"{API}/programs/999999/health", self.admin), 404,
                           "not_found")

    def test_cohort_of_four_and_its_complement_cannot_be_recovered(self):
        h = self.health(self.program_id, self.admin_person)
        self.assertEqual((h["program_id"], h["k"], h["period_days"]), (self.program_id, 5, 90))
        program, a, b, c = h["groups"]
        self.assertEqual([g["kind"] for g in h["groups"]], ["program", "guide", "guide", "guide"])
        self.assertEqual([g["id"] for g in h["groups"][1:]], [self.a.id, self.b.id, self.c.id])
        self.assertEqual([g["relationships"] for g in h["groups"]], [15, 4, 5, 6])
        for cell in CELLS:
            self.assertEqual(a[cell], FEWER, cell)
            # B is the smallest group shown otherwise: hidden with A.
            self.assertEqual(b[cell], COMPLEMENTARY, cell)
            self.assertNotIn("suppressed", c[cell], cell)
            self.assertNotIn("suppressed", program[cell], cell)
        self.assertNotRecoverable(h)
        self.assertEqual(program["pulse"]["raters"], 15)
        self.assertEqual(program["pulse"]["items"], {item: 4.0 for item in ITEMS})
        self.assertEqual(c["pulse"]["raters"], 6)
        self.assertEqual(program["warnings"]["NO_AGREEMENT"], 0.6)  # A and B have none
        self.assertEqual(c["warnings"]["NO_AGREEMENT"], 0.0)
        self.assertEqual(program["follow_through"]["value"], 1.0)
        self.assertEqual(program["follow_through"]["relationships"], 15)
        # Both periods have 15 relationships meeting every 14 days.
        self.assertEqual(sorted(program["cadence_adherence"]["trend"]), ["change", "previous"])
        self.assertEqual(program["pulse"]["trend"], FEWER)  # no pulse in the period before
        self.assertNotIn(TEXT, json.dumps(h))

    def test_report_prints_the_same_suppression(self):
        _, out, _ = self.server.cli("report", "--db", self.server.db, "--program",
                                    str(self.program_id), "--at", self.at())
        blocks = out.split("\n\n")
        self.assertIn("k = 5", blocks[0])
        guide_a = next(b for b in blocks if b.startswith("Guide Guide A "))
        guide_b = next(b for b in blocks if b.startswith("Guide Guide B "))
        guide_c = next(b for b in blocks if b.startswith("Guide Guide C "))
        self.assertEqual(guide_a.count("suppressed (fewer than k)"), 5, guide_a)
        self.assertEqual(guide_b.count("suppressed (complementary)"), 5, guide_b)
        self.assertNotIn("suppressed (", guide_c.split("pulse items")[0].replace(
            "trend suppressed", ""), guide_c)
        self.assertIn("from 6 raters", guide_c)
        self.assertNotIn(TEXT, out)
        status, _, err = self.server.cli("report", "--db", self.server.db, "--program", "x",
                                         check=False)
        self.assertEqual(status, 2, err)


class OneGuide(HealthCase):
    def test_a_guide_rated_by_four_hides_the_program_figures_that_are_theirs(self):
        start = self.at(days=-190)
        program_id = self.program_at("mentoring", at=start)
        self.cohort(program_id, start, "Only guide", 6, rated=4)
        h = self.health(program_id, self.admin)
        program, guide = h["groups"]
        for cell in CELLS:
            self.assertEqual(guide[cell], FEWER, cell)
        self.assertEqual(program["pulse"], FEWER)  # four raters
        # Six relationships are enough on their own, but the program's
        # figures are the guide's: hidden with them.
        for cell in ("warnings", "cadence_adherence", "follow_through"):
            self.assertEqual(program[cell], COMPLEMENTARY, cell)
