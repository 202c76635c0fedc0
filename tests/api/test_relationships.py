"""Relationships: proposals, acceptance, the life cycle, who may see and
move what, events, and recording history with `at`."""

import datetime as dt
import os
import unittest

from harness import ApiTestCase, fmt_time


class Lifecycle(ApiTestCase):

    def test_mentoring_proposal_declined_by_the_learner(self):
        pair = self.pair(kind="mentoring")
        rel = self.propose(pair)
        self.assertEqual(rel["state"], "proposed")
        self.assertEqual(rel["accepted"], {"guide": False, "learner": False})
        self.assertEqual(rel["proposed_by"], self.admin.id)
        self.assertEqual(rel["proposed_at"], fmt_time(self.now()))
        rel = self.ok(self.transition(pair.rel_id, pair.learner, "declined"))
        self.assertEqual(rel["state"], "declined")
        with self.unchanged():
            r = self.transition(pair.rel_id, pair.guide, "active")
        p = self.assertProblem(r, 409, "invalid_transition")
        self.assertEqual(p["detail"], "A relationship that is declined cannot become active.")
        kinds = [(e["kind"], e.get("from"), e.get("to"), e["actor_id"])
                 for e in self.events(pair.rel_id, pair.guide)]
        self.assertEqual(kinds, [("proposed", None, "proposed", self.admin.id),
                                 ("transition", "proposed", "declined", pair.learner.id)])

    def test_accepted_by_both_then_paused_resumed_completed_alumni(self):
        pair = self.pair()
        self.propose(pair)
        rel = self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.assertEqual(rel["state"], "proposed")
        self.assertEqual(rel["accepted"], {"guide": True, "learner": False})
        with self.unchanged():
            again = self.transition(pair.rel_id, pair.guide, "active")
        self.assertProblem(again, 409, "already_accepted")
        rel = self.ok(self.transition(pair.rel_id, pair.learner, "active"))
        self.assertEqual(rel["state"], "active")
        self.assertEqual(rel["accepted"], {"guide": True, "learner": True})

        self.advance(minutes=5)
        rel = self.ok(self.transition(pair.rel_id, pair.learner, "paused"))
        self.assertEqual(rel["state"], "paused")
        self.assertEqual(rel["state_since"], fmt_time(self.now()))
        self.advance(minutes=5)
        self.assertEqual(self.ok(self.transition(pair.rel_id, pair.guide, "active"))["state"],
                         "active")
        self.assertEqual(self.ok(self.transition(pair.rel_id, pair.guide, "completed"))["state"],
                         "completed")
        self.assertEqual(self.ok(self.transition(pair.rel_id, self.admin, "alumni"))["state"],
                         "alumni")

        got = self.ok(self.get(f"/api/v1/relationships/{pair.rel_id}", pair.learner))
        self.assertEqual(got["state"], "alumni")
        self.assertEqual(got["my_role"], "learner")
        steps = [(e["kind"], e.get("from"), e.get("to"), e["actor_id"])
                 for e in self.events(pair.rel_id, pair.learner)]
        self.assertEqual(steps, [
            ("proposed", None, "proposed", self.admin.id),
            ("accepted", "proposed", "proposed", pair.guide.id),
            ("transition", "proposed", "active", pair.learner.id),
            ("transition", "active", "paused", pair.learner.id),
            ("transition", "paused", "active", pair.guide.id),
            ("transition", "active", "completed", pair.guide.id),
            ("transition", "completed", "alumni", self.admin.id),
        ])
        for terminal_try in ("active", "ended", "paused"):
            self.assertProblem(self.transition(pair.rel_id, pair.guide, terminal_try, reason="x"),
                               409, "invalid_transition")

    def test_a_party_who_proposes_has_accepted(self):
        pair = self.pair()
        rel = self.propose(pair, by=pair.guide)
        self.assertEqual(rel["accepted"], {"guide": True, "learner": False})
        self.assertEqual(rel["proposed_by"], pair.guide.id)
        rel = self.ok(self.transition(pair.rel_id, pair.learner, "active"))
        self.assertEqual(rel["state"], "active")

    def test_one_open_relationship_per_pair_and_program(self):
        pair = self.pair()
        self.propose(pair)
        body = {"program_id": pair.program_id, "guide_id": pair.guide.id,
                "learner_id": pair.learner.id}
        with self.unchanged():
            r = self.post("/api/v1/relationships", body, self.admin)
        self.assertProblem(r, 409, "relationship_exists")
        # Once declined, the pair may be proposed again.
        self.ok(self.transition(pair.rel_id, pair.guide, "declined"))
        self.ok(self.post("/api/v1/relationships", body, self.admin), 201)

    def test_ended_requires_a_reason(self):
        pair = self.active_relationship()
        with self.unchanged():
            r1 = self.transition(pair.rel_id, pair.guide, "ended")
            r2 = self.transition(pair.rel_id, pair.guide, "ended", reason="")
        for r in (r1, r2):
            self.assertProblem(r, 422, "validation", "/reason", "Say why")
        rel = self.ok(self.transition(pair.rel_id, pair.learner, "ended",
                                      reason="We both moved on to other projects."))
        self.assertEqual(rel["state"], "ended")
        last = self.events(pair.rel_id, pair.guide)[-1]
        self.assertEqual((last["from"], last["to"]), ("active", "ended"))
        self.assertEqual(last["reason"], "We both moved on to other projects.")
        # The reason is sealed: its text is nowhere in the database file.
        rows = self.server.query("SELECT reason_ct FROM events WHERE relationship_id = ? AND "
                                 "to_state = 'ended'", pair.rel_id)
        self.assertEqual(len(rows), 1)
        self.assertGreater(len(rows[0][0]), len("We both moved on to other projects."))
        self.assertNotIn(b"moved on", bytes(rows[0][0]))
        for suffix in ("", "-wal"):
            if os.path.exists(self.server.db + suffix):
                with open(self.server.db + suffix, "rb") as f:
                    self.assertNotIn(b"moved on to other", f.read())

    def test_admin_ends_with_reason_but_cannot_pause_or_accept(self):
        pair = self.pair()
        self.propose(pair)
        with self.unchanged():
            r = self.transition(pair.rel_id, self.admin, "active")
        self.assertProblem(r, 403, "role")
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        self.ok(self.transition(pair.rel_id, pair.learner, "active"))
        with self.unchanged():
            r = self.transition(pair.rel_id, self.admin, "paused")
        self.assertProblem(r, 403, "role")
        rel = self.ok(self.transition(pair.rel_id, self.admin, "ended", reason="Program closed"))
        self.assertEqual(rel["state"], "ended")

    def test_unknown_target_state_is_422(self):
        pair = self.active_relationship()
        with self.unchanged():
            r1 = self.transition(pair.rel_id, pair.guide, "proposed")
            r2 = self.transition(pair.rel_id, pair.guide, "Active")
        for r in (r1, r2):
            self.assertProblem(r, 422, "validation", "/to", "Must be one of")


class Visibility(ApiTestCase):

    def test_admin_sees_metadata_and_strangers_get_404(self):
        pair = self.active_relationship()
        path = f"/api/v1/relationships/{pair.rel_id}"
        seen = self.ok(self.get(path, self.admin))
        self.assertEqual(seen["my_role"], "admin")
        self.assertEqual(seen["state"], "active")
        self.assertEqual(seen["guide_id"], pair.guide.id)
        self.assertEqual(seen["learner_id"], pair.learner.id)
        self.assertEqual(sorted(seen["counts"]), ["checkins", "checkins_held", "commitments",
                                                  "commitments_open", "feedback", "goals",
                                                  "notes", "requests"])
        self.assertEqual(sorted(seen["agreement"]), ["in_force_version", "latest_version"])
        self.ok(self.get(path + "/events", self.admin))

        stranger = self.person("Stranger")
        other_guide = self.person("Other Guide")
        self.enroll(pair.program_id, other_guide, "guide")
        for who in (stranger, other_guide):
            with self.unchanged():
                responses = [self.get(path, who), self.get(path + "/events", who),
                             self.transition(pair.rel_id, who, "paused"),
                             self.transition(pair.rel_id, who, "ended", reason="no")]
            for r in responses:
                p = self.assertProblem(r, 404, "not_found")
                self.assertEqual(p["detail"], "No such relationship.")

    def test_program_admin_who_is_not_site_admin_sees_only_their_program(self):
        pair = self.active_relationship()
        program_admin = self.person("Program Admin")
        self.enroll(pair.program_id, program_admin, "admin")
        path = f"/api/v1/relationships/{pair.rel_id}"
        self.assertEqual(self.ok(self.get(path, program_admin))["my_role"], "admin")
        listed = self.ok(self.get(f"/api/v1/programs/{pair.program_id}/relationships",
                                  program_admin))
        self.assertEqual([r["id"] for r in listed["items"]], [pair.rel_id])

        elsewhere = self.active_relationship()
        with self.unchanged():
            responses = [
                self.get(f"/api/v1/relationships/{elsewhere.rel_id}", program_admin),
                self.get(f"/api/v1/relationships/{elsewhere.rel_id}/events", program_admin),
                self.transition(elsewhere.rel_id, program_admin, "ended", reason="not mine"),
                self.get(f"/api/v1/programs/{elsewhere.program_id}", program_admin),
                self.get(f"/api/v1/programs/{elsewhere.program_id}/members", program_admin),
                self.get(f"/api/v1/programs/{elsewhere.program_id}/relationships", program_admin),
                self.post(f"/api/v1/programs/{elsewhere.program_id}/members",
                          {"email": "x@rapport.test", "name": "X", "role": "learner"},
                          program_admin),
            ]
        for r in responses:
            self.assertProblem(r, 404, "not_found")

    def test_admin_sees_no_reasons_in_events(self):
        pair = self.active_relationship()
        self.ok(self.transition(pair.rel_id, pair.guide, "ended", reason="Private matter"))
        admin_view = self.events(pair.rel_id, self.admin)[-1]
        self.assertEqual(admin_view["to"], "ended")
        self.assertNotIn("reason", admin_view)
        self.assertEqual(self.events(pair.rel_id, pair.learner)[-1]["reason"], "Private matter")

    def test_participant_sees_only_their_own_relationships(self):
        pair = self.active_relationship()
        other = self.pair(program_id=pair.program_id)
        self.propose(other)
        # The same guide with a second learner.
        second_learner = self.person("Second Learner")
        self.enroll(pair.program_id, second_learner, "learner")
        third = self.ok(self.post("/api/v1/relationships",
                                  {"program_id": pair.program_id, "guide_id": pair.guide.id,
                                   "learner_id": second_learner.id}, pair.guide), 201)

        mine = self.ok(self.get("/api/v1/relationships", pair.guide))
        self.assertEqual([r["id"] for r in mine["items"]], [pair.rel_id, third["id"]])
        self.assertIsNone(mine["next"])
        theirs = self.ok(self.get("/api/v1/relationships", pair.learner))
        self.assertEqual([r["id"] for r in theirs["items"]], [pair.rel_id])
        me = self.ok(self.get("/api/v1/me", pair.guide))
        self.assertEqual([(r["id"], r["my_role"]) for r in me["relationships"]],
                         [(pair.rel_id, "guide"), (third["id"], "guide")])
        self.assertEqual([(p["id"], p["role"]) for p in me["programs"]],
                         [(pair.program_id, "guide")])
        self.assertIs(me["site_admin"], False)
        self.assertProblem(self.get(f"/api/v1/relationships/{other.rel_id}", pair.guide), 404,
                           "not_found")
        admin_list = self.ok(self.get("/api/v1/relationships", self.admin))
        self.assertEqual(admin_list["items"], [])  # a site admin is a party to none

    def test_members_and_program_lists_need_a_program_admin(self):
        pair = self.active_relationship()
        pid = pair.program_id
        with self.unchanged():
            r1 = self.get(f"/api/v1/programs/{pid}/members", pair.guide)
            r2 = self.get(f"/api/v1/programs/{pid}/relationships", pair.learner)
            r3 = self.post(f"/api/v1/programs/{pid}/members",
                           {"email": "new@rapport.test", "name": "New", "role": "learner"},
                           pair.guide)
        for r in (r1, r2, r3):
            self.assertProblem(r, 403, "role")
        program = self.ok(self.get(f"/api/v1/programs/{pid}", pair.learner))
        self.assertEqual(program["id"], pid)
        stranger = self.person("Outsider")
        self.assertProblem(self.get(f"/api/v1/programs/{pid}", stranger), 404, "not_found")
        self.assertProblem(self.get(f"/api/v1/programs/{pid}/members", stranger), 404,
                           "not_found")

    def test_only_site_admins_create_programs(self):
        who = self.person("Ambitious")
        with self.unchanged():
            r = self.post("/api/v1/programs", {"name": "Mine", "kind": "coaching"}, who)
        self.assertProblem(r, 403, "role")

    def test_proposals_by_non_admins(self):
        pair = self.pair()
        third = self.person("Third Guide")
        self.enroll(pair.program_id, third, "guide")
        body = {"program_id": pair.program_id, "guide_id": pair.guide.id,
                "learner_id": pair.learner.id}
        with self.unchanged():
            r = self.post("/api/v1/relationships", body, third)  # not a party, not an admin
        self.assertProblem(r, 404, "not_found")
        rel = self.ok(self.post("/api/v1/relationships", body, pair.learner), 201)
        self.assertEqual(rel["accepted"], {"guide": False, "learner": True})


class Proposals(ApiTestCase):

    def test_roles_are_checked_in_the_program(self):
        pair = self.pair()
        base = {"program_id": pair.program_id}
        cases = [
            ({"guide_id": pair.learner.id, "learner_id": pair.guide.id},
             ["/guide_id", "/learner_id"]),
            ({"guide_id": pair.guide.id, "learner_id": pair.guide.id}, ["/learner_id", "/learner_id"]),
            ({"guide_id": pair.guide.id, "learner_id": self.admin.id}, ["/learner_id"]),
        ]
        for ids, pointers in cases:
            with self.unchanged():
                r = self.post("/api/v1/relationships", {**base, **ids}, self.admin)
            self.assertProblem(r, 422, "validation")
            self.assertEqual(self.pointers(r), pointers, r)

    def test_people_of_another_program_cannot_be_matched(self):
        here = self.pair()
        there = self.pair()
        with self.unchanged():
            r = self.post("/api/v1/relationships",
                          {"program_id": here.program_id, "guide_id": there.guide.id,
                           "learner_id": here.learner.id}, self.admin)
        self.assertProblem(r, 422, "validation", "/guide_id", "not a guide in the program")

    def test_missing_and_nonexistent_ids(self):
        pair = self.pair()
        with self.unchanged():
            r = self.post("/api/v1/relationships", {}, self.admin)
            self.assertProblem(r, 422, "validation")
            self.assertEqual(self.pointers(r), ["/guide_id", "/learner_id", "/program_id"])
            r = self.post("/api/v1/relationships",
                          {"program_id": 999999, "guide_id": pair.guide.id,
                           "learner_id": pair.learner.id}, self.admin)
            p = self.assertProblem(r, 404, "not_found")
            self.assertEqual(p["detail"], "No such program.")
            r = self.post("/api/v1/relationships",
                          {"program_id": pair.program_id, "guide_id": 999999,
                           "learner_id": pair.learner.id}, self.admin)
            self.assertProblem(r, 422, "validation", "/guide_id")


class History(ApiTestCase):
    """`at` records the past: never in the future, never before the
    relationship's proposal (nor the program's creation for a proposal)."""

    def test_backdated_proposal_and_transitions(self):
        pair = self.pair()
        created = self.now()
        self.advance(minutes=20)
        rel = self.propose(pair, at=fmt_time(created))
        self.assertEqual(rel["proposed_at"], fmt_time(created))
        r = self.transition(pair.rel_id, pair.guide, "active", at=self.at(minutes=-15))
        self.ok(r)
        rel = self.ok(self.transition(pair.rel_id, pair.learner, "active", at=self.at(minutes=-10)))
        self.assertEqual(rel["state_since"], self.at(minutes=-10))
        evs = self.events(pair.rel_id, pair.guide)
        self.assertEqual([e["at"] for e in evs],
                         [fmt_time(created), self.at(minutes=-15), self.at(minutes=-10)])
        self.assertEqual({e["recorded_at"] for e in evs}, {fmt_time(self.now())})

    def test_at_in_the_future_is_422(self):
        pair = self.active_relationship()
        with self.unchanged():
            r = self.transition(pair.rel_id, pair.guide, "paused", at=self.at(seconds=1))
        self.assertProblem(r, 422, "validation", "/at", "may not be in the future")
        self.ok(self.transition(pair.rel_id, pair.guide, "paused", at=self.at()))

    def test_at_before_the_proposal_is_422(self):
        pair = self.pair()
        self.advance(minutes=2)
        rel = self.propose(pair)
        with self.unchanged():
            r = self.transition(pair.rel_id, pair.guide, "active", at=self.at(seconds=-1))
        self.assertProblem(r, 422, "validation", "/at",
                           "may not be before the relationship was proposed")
        self.ok(self.transition(pair.rel_id, pair.guide, "active", at=rel["proposed_at"]))

    def test_proposal_at_checks(self):
        pair = self.pair()
        body = {"program_id": pair.program_id, "guide_id": pair.guide.id,
                "learner_id": pair.learner.id}
        with self.unchanged():
            future = self.post("/api/v1/relationships", {**body, "at": self.at(minutes=1)},
                               self.admin)
            early = self.post("/api/v1/relationships", {**body, "at": self.at(days=-1)},
                              self.admin)
            garbled = self.post("/api/v1/relationships", {**body, "at": "2026-03-01 09:00"},
                                self.admin)
        self.assertProblem(future, 422, "validation", "/at", "may not be in the future")
        self.assertProblem(early, 422, "validation", "/at", "before the program was created")
        self.assertProblem(garbled, 422, "validation", "/at", "RFC 3339")

    def test_at_with_an_offset_is_the_same_instant(self):
        pair = self.pair()
        self.advance(minutes=10)
        self.propose(pair)
        plus_0530 = dt.timezone(dt.timedelta(hours=5, minutes=30))
        self.assertTrue(self.now().astimezone(plus_0530).isoformat().endswith("+05:30"))
        rel = self.ok(self.transition(pair.rel_id, pair.guide, "declined",
                                      at=self.now().astimezone(plus_0530).isoformat()))
        self.assertEqual(rel["state_since"], fmt_time(self.now()))


if __name__ == "__main__":
    unittest.main()
