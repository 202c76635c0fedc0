"""Goals: SMART fields and their hints, weights and GAS levels, status
changes, milestones, reviews and their T scores; who may see and change
them, the states that allow them, validation and paging."""

import unittest

from flows import API, FlowTestCase, gas_t, rel, shift

LEVELS = {"-2": "Much less", "-1": "Less", "0": "As expected", "1": "More", "2": "Much more"}
SMART = {"specific": "Run the weekly stand-up", "measurable": "Eight in a row",
         "achievable": "With a script", "relevant": "Needed for the lead role",
         "due_on": "2026-05-31", "levels": LEVELS}
ALL_HINTS = ["specific", "measurable", "achievable", "relevant", "due_on", "level -2",
             "level -1", "level 0", "level 1", "level 2"]


class Goals(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = cls.helper().history_pair(days=30)

    def test_smart_goal_has_no_hints_a_bare_one_names_everything_missing(self):
        p = self.shared
        full = self.add_goal(p, p.guide, "Lead the stand-up", weight=3.5, **SMART)
        self.assertEqual(full, {"id": full["id"], "relationship_id": p.rel_id,
                                "created_by": p.guide.id, "created_at": self.at(),
                                "title": "Lead the stand-up", **SMART, "weight": 3.5,
                                "status": "active", "hints": [], "latest_level": None,
                                "milestones": []})
        bare = self.add_goal(p, p.learner, "Be braver")
        self.assertEqual((bare["weight"], bare["hints"], bare["due_on"], bare["specific"]),
                         (1.0, ALL_HINTS, None, None))
        self.assertEqual(bare["levels"], {k: None for k in LEVELS})
        # Blank texts count as missing, but are kept as written.
        blank = self.add_goal(p, p.learner, "Sleep more", specific="   ", measurable="7 h",
                              levels={"0": "\t"})
        self.assertEqual(blank["hints"], ["specific", "achievable", "relevant", "due_on",
                                          "level -2", "level -1", "level 0", "level 1",
                                          "level 2"])
        self.assertEqual(blank["specific"], "   ")
        self.assertEqual(self.ok(self.get(f"{API}/goals/{full['id']}", p.learner)), full)
        last = self.events(p.rel_id, p.guide)[-1]
        self.assertEqual((last["kind"], last["subject_id"], last["actor_id"]),
                         ("goal_added", blank["id"], p.learner.id))

    def test_status_changes_any_way_but_not_to_itself(self):
        p = self.shared
        goal = self.add_goal(p, p.guide, "Status goal", at=self.at(days=-5))
        path = f"{API}/goals/{goal['id']}/status"
        self.assertRefused(lambda: self.post(path, {"status": "active"}, p.learner), 409,
                           "status_unchanged", detail="The goal is already active.")
        steps = [("achieved", p.learner, self.at(days=-4)), ("active", p.guide, self.at(days=-3)),
                 ("dropped", p.guide, None), ("achieved", p.learner, None)]
        prev = "active"
        for status, who, at in steps:
            body = {"status": status, **({"at": at} if at else {})}
            self.assertEqual(self.ok(self.post(path, body, who))["status"], status)
            last = self.events(p.rel_id, who)[-1]
            self.assertEqual((last["kind"], last["from"], last["to"], last["actor_id"],
                              last["at"], last["subject_id"]),
                             ("goal_status", prev, status, who.id, at or self.at(), goal["id"]))
            prev = status
        self.assertRefused(lambda: self.post(path, {"status": "achieved"}, p.guide), 409,
                           "status_unchanged")
        for body, pointers, detail in (
                ({}, ["/status"], "Required."),
                ({"status": "done"}, ["/status"],
                 'Must be one of "active", "achieved", "dropped".'),
                ({"status": "active", "at": shift(goal["created_at"], seconds=-1)}, ["/at"],
                 "The time may not be before the goal was added."),
                ({"status": "active", "at": self.at(seconds=1)}, ["/at"],
                 "The time may not be in the future."),
                ({"status": "active", "why": "x"}, ["/why"], "Unknown field.")):
            with self.subTest(body):
                self.assertRefused(lambda: self.post(path, body, p.guide), 422, "validation",
                                   pointers, detail)

    def test_milestones_are_added_to_active_goals_and_reached_once(self):
        p = self.shared
        goal = self.add_goal(p, p.learner, "Milestone goal", at=self.at(days=-10))
        ms = self.add_milestone(goal["id"], p.guide, "First step", at=self.at(days=-9))
        self.assertEqual(ms, {"id": ms["id"], "goal_id": goal["id"], "title": "First step",
                              "created_at": self.at(days=-9), "reached_at": None})
        second = self.add_milestone(goal["id"], p.learner, "Second step")
        mpath = f"{API}/goals/{goal['id']}/milestones"
        for body, pointers, detail in (
                ({}, ["/title"], "Required."),
                ({"title": "  "}, ["/title"], "Give the milestone a title."),
                ({"title": "m" * 201}, ["/title"], "Must be at most 200 bytes."),
                ({"title": "x", "at": shift(goal["created_at"], seconds=-1)}, ["/at"],
                 "The time may not be before the goal was added."),
                ({"title": "x", "at": self.at(seconds=1)}, ["/at"], "in the future"),
                ({"title": "x", "due": "2026-04-01"}, ["/due"], "Unknown field.")):
            with self.subTest(body):
                self.assertRefused(lambda: self.post(mpath, body, p.guide), 422, "validation",
                                   pointers, detail)
        reached_path = f"{API}/milestones/{ms['id']}/reached"
        self.assertRefused(lambda: self.post(reached_path, {"at": self.at(days=-9, seconds=-1)},
                                             p.guide), 422, "validation", ["/at"],
                           "The time may not be before the milestone was added.")
        got = self.ok(self.post(reached_path, {"at": self.at(days=-2)}, p.guide))
        self.assertEqual(got, {**ms, "reached_at": self.at(days=-2)})
        self.assertRefused(lambda: self.post(reached_path, {}, p.learner), 409, "already_reached")
        view = self.ok(self.get(f"{API}/goals/{goal['id']}", p.learner))
        self.assertEqual(view["milestones"], [got, second])

        # Achieved goals take no new milestones, but their milestones may be reached.
        self.ok(self.post(f"{API}/goals/{goal['id']}/status", {"status": "achieved"}, p.guide))
        self.assertRefused(lambda: self.post(mpath, {"title": "Third"}, p.guide), 409,
                           "goal_not_active", detail="this one is achieved")
        self.ok(self.post(f"{API}/milestones/{second['id']}/reached", {}, p.learner))
        # Dropped goals: neither.
        dropped = self.add_goal(p, p.learner, "Dropped goal")
        left = self.add_milestone(dropped["id"], p.learner, "Never")
        self.ok(self.post(f"{API}/goals/{dropped['id']}/status", {"status": "dropped"}, p.guide))
        self.assertRefused(lambda: self.post(f"{API}/goals/{dropped['id']}/milestones",
                                             {"title": "Nope"}, p.guide), 409, "goal_not_active")
        self.assertRefused(lambda: self.post(f"{API}/milestones/{left['id']}/reached", {},
                                             p.guide), 409, "goal_dropped")
        kinds = [(e["kind"], e["subject_id"]) for e in self.events(p.rel_id, p.guide)
                 if e["kind"].startswith("milestone")]
        self.assertEqual(kinds, [("milestone_added", ms["id"]), ("milestone_added", second["id"]),
                                 ("milestone_reached", ms["id"]),
                                 ("milestone_reached", second["id"]),
                                 ("milestone_added", left["id"])])

    def test_latest_level_is_that_of_the_latest_review_in_time(self):
        p = self.shared
        goal = self.add_goal(p, p.learner, "Latest level", at=self.at(days=-20))
        self.review(p, p.guide, {goal["id"]: 2}, at=self.at(days=-1))
        self.review(p, p.learner, {goal["id"]: -1}, at=self.at(days=-5))  # entered later
        self.assertEqual(self.ok(self.get(f"{API}/goals/{goal['id']}", p.guide))["latest_level"],
                         2)

    def test_add_validation(self):
        p = self.shared
        path = rel(p.rel_id, "/goals")
        cases = [
            ({}, ["/title"], "Required."),
            ({"title": ""}, ["/title"], "Must not be empty."),
            ({"title": " \n "}, ["/title"], "Give the goal a title."),
            ({"title": "t" * 201}, ["/title"], "Must be at most 200 bytes."),
            ({"title": 5}, ["/title"], "Must be a string."),
            ({"title": "T", "specific": "s" * 2001}, ["/specific"], "Must be at most 2000 bytes."),
            ({"title": "T", "relevant": ["x"]}, ["/relevant"], "Must be a string."),
            ({"title": "T", "weight": 0}, ["/weight"], "Must be greater than 0 and at most 100."),
            ({"title": "T", "weight": -1.5}, ["/weight"], "Must be greater than 0"),
            ({"title": "T", "weight": 100.5}, ["/weight"], "at most 100"),
            ({"title": "T", "weight": "2"}, ["/weight"], "Must be a number."),
            ({"title": "T", "due_on": "next month"}, ["/due_on"], "Must be a date such as"),
            ({"title": "T", "due_on": "2026-02-30"}, ["/due_on"], "Must be a date such as"),
            ({"title": "T", "levels": ["a"]}, ["/levels"], "Must be an object."),
            ({"title": "T", "levels": {"3": "x", "+1": "y", "01": "z"}},
             ["/levels/+1", "/levels/01", "/levels/3"], "Unknown field."),
            ({"title": "T", "levels": {"1": 1}}, ["/levels/1"], "Must be a string."),
            ({"title": "T", "levels": {"-1": "l" * 501}}, ["/levels/-1"],
             "Must be at most 500 bytes."),
            ({"title": "T", "owner": 3}, ["/owner"], "Unknown field."),
            ({"title": "T", "at": self.at(seconds=1)}, ["/at"], "in the future"),
            ({"title": "T", "at": shift(p.start, seconds=-1)}, ["/at"],
             "before the relationship was proposed"),
            ({"title": "", "weight": 0, "due_on": 1, "x": 1},
             ["/due_on", "/title", "/weight", "/x"], None),
        ]
        for body, pointers, detail in cases:
            with self.subTest(sorted(body)):
                self.assertRefused(lambda: self.post(path, body, p.learner), 422, "validation",
                                   pointers, detail)
        edge = self.add_goal(p, p.learner, "t" * 200, weight=100, specific="s" * 2000)
        self.assertEqual(edge["weight"], 100.0)


class Reviews(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.shared = h.history_pair(days=30)
        p = cls.shared
        cls.a = h.add_goal(p, p.guide, "A", weight=2.5, at=h.at(days=-20))
        cls.b = h.add_goal(p, p.learner, "B", weight=0.5, at=h.at(days=-20))
        cls.c = h.add_goal(p, p.learner, "C", at=h.at(days=-2))

    def test_t_score_follows_the_gas_formula_with_the_weights(self):
        p, a, b, c = self.shared, self.a, self.b, self.c
        cases = [
            ({a["id"]: 2, b["id"]: -2, c["id"]: 1}, [(2.5, 2), (0.5, -2), (1.0, 1)]),
            ({a["id"]: -2, b["id"]: -1}, [(2.5, -2), (0.5, -1)]),
            ({b["id"]: 0}, [(0.5, 0)]),
            ({c["id"]: 2}, [(1.0, 2)]),
        ]
        for levels, weighted in cases:
            got = self.review(p, p.guide, levels)
            self.assertEqual(got["t_score"], gas_t(weighted))
            self.assertEqual(got["levels"], {str(k): v for k, v in levels.items()})
            self.assertEqual((got["reviewer_id"], got["at"]), (p.guide.id, self.at()))
        # By hand: 50 + 10 * 5 / sqrt(0.7 * 7.5 + 0.3 * 16) = 50 + 50 / sqrt(10.05).
        self.assertEqual(round(gas_t([(2.5, 2), (0.5, -2), (1.0, 1)]), 3), 65.772)
        self.assertEqual(gas_t([(1.0, 2)]), 70.0)
        # Each goal shows its level in the latest review that named it.
        levels = {g["id"]: g["latest_level"] for g in self.items(rel(p.rel_id, "/goals"),
                                                                   p.learner)
                  if g["id"] in (a["id"], b["id"], c["id"])}
        self.assertEqual(levels, {a["id"]: -2, b["id"]: 0, c["id"]: 2})

    def test_review_refusals(self):
        p, a, b, c = self.shared, self.a, self.b, self.c
        other = self.active_relationship()
        foreign = self.add_goal(other, other.guide, "Not theirs")
        path = rel(p.rel_id, "/goal-reviews")
        ida, idb, idc = str(a["id"]), str(b["id"]), str(c["id"])
        cases = [
            ({}, ["/levels"], "Required."),
            ({"levels": []}, ["/levels"], "Must be an object."),
            ({"levels": {}}, ["/levels"], "Give a level for at least one active goal."),
            ({"levels": {ida: 3}}, [f"/levels/{ida}"], "Must be between -2 and 2."),
            ({"levels": {ida: -3}}, [f"/levels/{ida}"], "Must be between -2 and 2."),
            ({"levels": {ida: 1.0}}, [f"/levels/{ida}"], "Must be an integer."),
            ({"levels": {ida: "1"}}, [f"/levels/{ida}"], "Must be an integer."),
            ({"levels": {"abc": 1}}, ["/levels/abc"],
             "Must be the id of an active goal of this relationship."),
            ({"levels": {"0" + ida: 1}}, ["/levels/0" + ida], "Must be the id of an active goal"),
            ({"levels": {"999999": 1}}, ["/levels/999999"], "Must be the id of an active goal"),
            ({"levels": {str(foreign["id"]): 1}}, [f"/levels/{foreign['id']}"],
             "Must be the id of an active goal"),
            ({"levels": {idc: 1}, "at": self.at(days=-3)}, [f"/levels/{idc}"],
             "The goal did not exist yet at the time of the review."),
            ({"levels": {ida: 0}, "at": self.at(seconds=1)}, ["/at"], "in the future"),
            ({"levels": {ida: 0}, "at": shift(p.start, seconds=-1)}, ["/at"],
             "before the relationship was proposed"),
            ({"levels": {ida: 0}, "note": "good"}, ["/note"], "Unknown field."),
            ({"levels": {ida: 5, "x": 0, idb: 1}}, [f"/levels/{ida}", "/levels/x"], None),
        ]
        for body, pointers, detail in cases:
            with self.subTest(body):
                self.assertRefused(lambda: self.post(path, body, p.learner), 422, "validation",
                                   pointers, detail)
        # Only active goals are reviewed.
        gone = self.add_goal(p, p.guide, "Gone")
        self.ok(self.post(f"{API}/goals/{gone['id']}/status", {"status": "dropped"}, p.guide))
        self.assertRefused(lambda: self.post(path, {"levels": {str(gone["id"]): 0}}, p.guide),
                           422, "validation", [f"/levels/{gone['id']}"],
                           "Must be the id of an active goal")

    def test_backdated_review_covers_goals_that_existed_then(self):
        p, a, b = self.shared, self.a, self.b
        at = self.at(days=-10)
        got = self.review(p, p.learner, {a["id"]: 1, b["id"]: 1}, at=at)
        self.assertEqual((got["at"], got["reviewer_id"]), (at, p.learner.id))
        self.assertEqual(got["t_score"], gas_t([(2.5, 1), (0.5, 1)]))
        last = self.events(p.rel_id, p.guide)[-1]
        self.assertEqual((last["kind"], last["subject_id"], last["at"], last["actor_id"]),
                         ("goal_review", got["id"], at, p.learner.id))


class Access(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.shared = h.active_relationship()
        p = cls.shared
        cls.goal = h.add_goal(p, p.guide, "Visible to the pair only")
        cls.ms = h.add_milestone(cls.goal["id"], p.guide, "Step")
        h.review(p, p.guide, {cls.goal["id"]: 0})
        cls.others = h.outsiders(p)

    def test_admins_and_strangers_get_404(self):
        rid, gid, mid = self.shared.rel_id, self.goal["id"], self.ms["id"]
        for label, who in self.others:
            with self.subTest(label):
                self.assertAllNotFound([
                    lambda: self.post(rel(rid, "/goals"), {"title": "Mine now"}, who),
                    lambda: self.get(rel(rid, "/goals"), who),
                    lambda: self.post(rel(rid, "/goal-reviews"), {"levels": {str(gid): 1}}, who),
                    lambda: self.get(rel(rid, "/goal-reviews"), who),
                ], "No such relationship.")
                self.assertAllNotFound([
                    lambda: self.get(f"{API}/goals/{gid}", who),
                    lambda: self.post(f"{API}/goals/{gid}/status", {"status": "dropped"}, who),
                    lambda: self.post(f"{API}/goals/{gid}/milestones", {"title": "x"}, who),
                ], "No such goal.")
                self.assertAllNotFound([
                    lambda: self.post(f"{API}/milestones/{mid}/reached", {}, who),
                ], "No such milestone.")
        self.assertAllNotFound([
            lambda: self.get(f"{API}/goals/999999", self.shared.guide),
            lambda: self.post(f"{API}/milestones/999999/reached", {}, self.shared.guide),
        ])

    def test_both_parties_see_goals_and_reviews(self):
        for who in (self.shared.guide, self.shared.learner):
            goals = self.ok(self.get(rel(self.shared.rel_id, "/goals"), who))["items"]
            self.assertEqual([(g["id"], g["latest_level"]) for g in goals], [(self.goal["id"], 0)])
            reviews = self.ok(self.get(rel(self.shared.rel_id, "/goal-reviews"), who))["items"]
            self.assertEqual([r["t_score"] for r in reviews], [50.0])


class States(FlowTestCase):

    def test_new_goals_need_active_reviews_work_until_completed(self):
        pair = self.pair()
        self.propose(pair)
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/goals"), {"title": "Early"},
                                             pair.learner), 409, "relationship_state")
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.learner, "active"))
        goal = self.add_goal(pair, pair.learner, "Goal")
        ms = self.add_milestone(goal["id"], pair.learner, "Step")
        self.ok(self.transition(pair.rel_id, pair.learner, "paused"))
        for send in (lambda: self.post(rel(pair.rel_id, "/goals"), {"title": "More"}, pair.guide),
                     lambda: self.post(f"{API}/goals/{goal['id']}/milestones", {"title": "More"},
                                       pair.guide)):
            p = self.assertRefused(send, 409, "relationship_state")
            self.assertEqual(p["detail"], "The relationship is paused: this cannot be done now.")
        self.review(pair, pair.guide, {goal["id"]: 1})
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.guide, "completed"))
        self.review(pair, pair.learner, {goal["id"]: 2})
        self.ok(self.post(f"{API}/milestones/{ms['id']}/reached", {}, pair.learner))
        self.ok(self.post(f"{API}/goals/{goal['id']}/status", {"status": "achieved"}, pair.guide))
        self.ok(self.transition(pair.rel_id, pair.guide, "alumni"))
        for send in (lambda: self.post(rel(pair.rel_id, "/goal-reviews"),
                                       {"levels": {str(goal["id"]): 0}}, pair.guide),
                     lambda: self.post(f"{API}/goals/{goal['id']}/status", {"status": "active"},
                                       pair.guide)):
            self.assertRefused(send, 409, "relationship_state")
        # Still readable.
        self.assertEqual(self.ok(self.get(f"{API}/goals/{goal['id']}", pair.learner))
                         ["latest_level"], 2)


class Paging(FlowTestCase):

    def test_goals_and_reviews_page(self):
        pair = self.active_relationship()
        goals = [self.add_goal(pair, pair.learner, f"Goal {i}")["id"] for i in range(5)]
        for i, gid in enumerate(goals):
            self.add_milestone(gid, pair.guide, f"Step of {i}")
        self.assertPages(rel(pair.rel_id, "/goals"), pair.guide, goals)
        # Each goal of a page carries its own milestones, whatever the page.
        page = self.ok(self.get(rel(pair.rel_id, f"/goals?limit=2&after={goals[1]}"),
                                pair.learner))
        self.assertEqual([[m["title"] for m in g["milestones"]] for g in page["items"]],
                         [["Step of 2"], ["Step of 3"]])
        reviews = [self.review(pair, pair.guide, {gid: 1})["id"] for gid in goals[:3]]
        self.assertPages(rel(pair.rel_id, "/goal-reviews"), pair.learner, reviews)


if __name__ == "__main__":
    unittest.main()
