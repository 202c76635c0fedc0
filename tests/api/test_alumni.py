"""test_alumni.py: the alumni network, black-box.

PUT/DELETE /api/v1/programs/{id}/alumni/me join (after a completed
relationship in the program) with per-field consent, and leave;
GET /programs/{id}/alumni is the directory for the program's members,
each field only if its owner shows it; POST /programs/{id}/alumni/me/guide
is "pay it forward" (a former learner becomes a guide member), counted
k-anonymously in program health; /relationships/{id}/long-term are the
long-term check-ins of former partners who both want them: the
relationship becomes 'alumni', no warnings, a short pulse every 90 days
(the program's value) or at the cadence the pair agreed
(/long-term/cadence/proposal, /long-term/cadence/agree) that goes on
feeding its trust history, and a mail to each party when theirs is due.
"""

import datetime as dt

from flows import API, FlowTestCase
from harness import parse_time

FEWER = {"suppressed": True, "reason": "fewer than k"}


class AlumniCase(FlowTestCase):
    def completed(self, program_id):
        pair = self.active_relationship(program_id=program_id)
        self.ok(self.transition(pair.rel_id, pair.guide, "completed"))
        return pair

    def test_join_directory_with_consent_leave(self):
        program_id = self.program(settings={"k_anonymity": 3})
        pair = self.completed(program_id)
        peer = self.person("Peer")
        self.enroll(program_id, peer, "learner")
        mine = self.ok(self.put(f"{API}/programs/{program_id}/alumni/me",
                                {"show_name": True, "show_topics": True,
                                 "topics": "Career changes, public speaking"}, pair.learner))
        self.assertEqual((mine["mine"], mine["name"], mine["consent"]),
                         (True, pair.learner.name,
                          {"show_name": True, "show_topics": True, "show_contact": False}))
        self.ok(self.put(f"{API}/programs/{program_id}/alumni/me", {"show_contact": True,
                                                                     "topics": "Hidden topics"},
                         pair.guide))
        d = self.ok(self.get(f"{API}/programs/{program_id}/alumni", peer))["items"]
        self.assertEqual([(x["name"], x["topics"], x["contact_person_id"]) for x in d],
                         [(pair.learner.name, "Career changes, public speaking", None),
                          (None, None, pair.guide.id)])
        self.assertNotIn("Hidden topics", str(d))
        self.assertNotIn(pair.guide.name, str(d))
        # not a member: nothing; no completed relationship: cannot join
        stranger = self.person("Stranger")
        self.assertProblem(self.get(f"{API}/programs/{program_id}/alumni", stranger), 404)
        self.assertProblem(self.put(f"{API}/programs/{program_id}/alumni/me", {}, peer), 409,
                           "not_alumnus")
        self.ok(self.confirm(pair.learner))
        ex = self.ok(self.get(f"{API}/me/export", pair.learner))["alumni"]
        self.assertEqual([(x["program_id"], x["topics"], x["show_contact"]) for x in ex],
                         [(program_id, "Career changes, public speaking", False)])
        # leaving takes the entry away at once
        r = self.delete(f"{API}/programs/{program_id}/alumni/me", pair.learner)
        self.assertEqual(r.status, 204, r)
        d = self.ok(self.get(f"{API}/programs/{program_id}/alumni", peer))["items"]
        self.assertEqual([x["contact_person_id"] for x in d], [pair.guide.id])
        self.assertProblem(self.delete(f"{API}/programs/{program_id}/alumni/me", pair.learner),
                           404)
        # an entry that shows nothing is not listed at all
        self.ok(self.put(f"{API}/programs/{program_id}/alumni/me", {}, pair.learner))
        d = self.ok(self.get(f"{API}/programs/{program_id}/alumni", peer))["items"]
        self.assertEqual(len(d), 1)

    def test_pay_it_forward_and_health_counts_alumni_guides_k_anonymously(self):
        program_id = self.program(settings={"k_anonymity": 3})
        pairs = [self.completed(program_id) for _ in range(3)]
        first = pairs[0]
        self.assertProblem(self.post(f"{API}/programs/{program_id}/alumni/me/guide", {},
                                     first.learner), 409, "not_alumnus")
        self.ok(self.put(f"{API}/programs/{program_id}/alumni/me", {"show_name": True},
                         first.guide))
        self.assertProblem(self.post(f"{API}/programs/{program_id}/alumni/me/guide", {},
                                     first.guide), 409, "not_former_learner")
        health = f"{API}/programs/{program_id}/health"
        for i, p in enumerate(pairs):
            self.ok(self.put(f"{API}/programs/{program_id}/alumni/me", {"show_name": True},
                             p.learner))
            v = self.ok(self.post(f"{API}/programs/{program_id}/alumni/me/guide", {}, p.learner))
            self.assertTrue(v["guiding"])
            got = self.ok(self.get(health, self.admin))["alumni_guiding"]
            self.assertEqual(got, FEWER if i < 2 else 3)
        # a guide member of the program now: they may be proposed as a guide
        roles = self.ok(self.get(f"{API}/me", first.learner))["programs"]
        self.assertIn("guide", [x["role"] for x in roles if x["id"] == program_id])
        other = self.person("New learner")
        self.enroll(program_id, other, "learner")
        rel = self.ok(self.post(f"{API}/relationships",
                                {"program_id": program_id, "guide_id": first.learner.id,
                                 "learner_id": other.id}, self.admin), 201)
        self.assertEqual(rel["guide_id"], first.learner.id)

    def test_long_term_check_ins_need_both_and_carry_no_warnings(self):
        program_id = self.program()
        pair = self.completed(program_id)
        lt = f"{API}/relationships/{pair.rel_id}/long-term"
        short = {"answers": {"REL1": 4, "INT1": 5, "COM1": 4, "EMP1": 5}, "overall": 8}
        got = self.ok(self.put(lt, {"want": True}, pair.learner))
        self.assertEqual((got["wants"], got["on"]), ({"guide": False, "learner": True}, False))
        self.assertProblem(self.post(f"{lt}/checkins", short, pair.learner), 409, "long_term_off")
        got = self.ok(self.put(lt, {"want": True}, pair.guide))
        self.assertEqual((got["on"], got["cadence_days"]), (True, 90))
        rel = self.ok(self.get(f"{API}/relationships/{pair.rel_id}", pair.guide))
        self.assertEqual(rel["state"], "alumni")
        p = self.ok(self.post(f"{lt}/checkins", short, pair.learner), 201)
        self.assertEqual(p["answers"]["REL2"], None)
        got = self.ok(self.get(lt, pair.learner))
        self.assertEqual(got["next_due_at"], self.at(days=90))
        bad = dict(short, answers={"REL1": 4, "REL2": 4})
        self.assertProblem(self.post(f"{lt}/checkins", bad, pair.learner), 422,
                           pointer="/answers/REL2")
        # no cadence-gap or other warnings, however long it goes
        self.advance(days=200)
        self.sign_in(pair.learner)
        self.ok(self.post(f"{API}/dev/jobs", {}, self.sign_in(self.admin)))
        w = self.ok(self.get(f"{API}/relationships/{pair.rel_id}/warnings", pair.learner))
        self.assertEqual(w["items"], [])
        # either may stop; then no more check-ins
        self.ok(self.put(lt, {"want": False}, self.sign_in(pair.guide)))
        self.assertProblem(self.post(f"{lt}/checkins", short, pair.learner), 409, "long_term_off")
        # outsiders: 404
        stranger = self.person("Stranger")
        self.assertProblem(self.get(lt, stranger), 404)


class LongTermCadence(FlowTestCase):
    """The pair's own cadence, on the fixed clock: one proposes, the other
    agrees; due-ness and the reminders (outbox rows of kind long_term_due,
    mail waiting when no SMTP server is configured) follow it."""

    SHORT = {"answers": {"REL1": 4, "INT1": 4, "COM1": 4, "EMP1": 4}, "overall": 8}
    completed = AlumniCase.completed

    def reminders(self, who):
        return self.server.query("SELECT COUNT(*) FROM outbox WHERE kind = 'long_term_due'"
                                 " AND person_id = ?", who.id)[0][0]

    def jobs(self, *people):
        self.sign_in_again(self.admin, *people)
        self.run_jobs()

    def test_either_proposes_both_agree_and_reminders_follow_the_pairs_cadence(self):
        start = self.move_clock(parse_time("2026-05-04T09:00:00Z"))
        pair = self.completed(self.program())
        g, l = pair.guide, pair.learner
        lt = f"{API}/relationships/{pair.rel_id}/long-term"
        # a proposal is possible before both want them; the program's value holds until agreed
        got = self.ok(self.post(f"{lt}/cadence/proposal", {"days": 30}, l))
        self.assertEqual((got["cadence_days"], got["default_days"], got["cadence_agreed_at"]),
                         (90, 90, None))
        self.assertEqual(got["proposal"], {"days": 30, "by_me": True, "at": self.at()})
        self.assertEqual(self.ok(self.get(lt, g))["proposal"]["by_me"], False)
        stranger = self.person("Stranger")
        with self.unchanged():
            self.assertProblem(self.post(f"{lt}/cadence/agree", {"days": 30}, l), 409,
                               "own_proposal")
            self.assertProblem(self.post(f"{lt}/cadence/agree", {"days": 45}, g), 409,
                               "proposal_changed")
            self.assertProblem(self.post(f"{lt}/cadence/proposal", {"days": 7}, g), 422,
                               pointer="/days")
            self.assertProblem(self.post(f"{lt}/cadence/proposal", {"days": 400}, g), 422,
                               pointer="/days")
            self.assertProblem(self.post(f"{lt}/cadence/proposal", {"days": 30}, stranger), 404)
        # the guide declines; nothing waits any more
        got = self.ok(self.delete(f"{lt}/cadence/proposal", g))
        self.assertEqual((got["proposal"], got["cadence_days"]), (None, 90))
        self.assertProblem(self.delete(f"{lt}/cadence/proposal", g), 409, "no_proposal")
        self.assertProblem(self.post(f"{lt}/cadence/agree", {"days": 30}, g), 409, "no_proposal")
        # proposed again, agreed by the other
        self.ok(self.post(f"{lt}/cadence/proposal", {"days": 30}, l))
        got = self.ok(self.post(f"{lt}/cadence/agree", {"days": 30}, g))
        self.assertEqual((got["cadence_days"], got["cadence_agreed_at"], got["proposal"]),
                         (30, self.at(), None))
        self.assertProblem(self.post(f"{lt}/cadence/proposal", {"days": 30}, g), 409,
                           "cadence_unchanged")
        for who in (g, l):
            self.ok(self.put(lt, {"want": True}, who))
        # the learner's short pulse now; the guide has none yet: theirs is due at once
        self.ok(self.post(f"{lt}/checkins", self.SHORT, l), 201)
        self.assertEqual(self.ok(self.get(lt, l))["next_due_at"], self.at(days=30))
        self.jobs()
        self.assertEqual((self.reminders(g), self.reminders(l)), (1, 0))
        # 29 days on: not yet due at the pair's cadence; at 30 days: due, mailed once
        self.set_clock(start + dt.timedelta(days=29, hours=23))
        self.jobs(g, l)
        self.assertEqual((self.reminders(g), self.reminders(l)), (1, 0))
        self.set_clock(start + dt.timedelta(days=30))
        self.jobs(g, l)
        self.jobs(g, l)
        self.assertEqual((self.reminders(g), self.reminders(l)), (1, 1))
        [(subject,)] = self.server.query("SELECT subject FROM outbox WHERE kind = 'long_term_due'"
                                         " AND person_id = ?", l.id)
        self.assertEqual(subject, "Time for a long-term check-in")
        note = self.ok(self.get(f"{API}/me/notifications", l))["items"][0]
        self.assertEqual(note["link"], f"/#/relationships/{pair.rel_id}/long-term")
        # back to the program's value: proposed and agreed the same way
        self.ok(self.post(f"{lt}/checkins", self.SHORT, l), 201)
        self.ok(self.post(f"{lt}/cadence/proposal", {"days": 90}, g))
        got = self.ok(self.post(f"{lt}/cadence/agree", {"days": 90}, l))
        self.assertEqual((got["cadence_days"], got["cadence_agreed_at"]), (90, None))
        self.assertEqual(got["next_due_at"], self.at(days=90))
        self.set_clock(start + dt.timedelta(days=61))
        self.jobs(g, l)
        self.assertEqual(self.reminders(l), 1)


class AlumniDeletion(FlowTestCase):
    def test_deleting_an_account_removes_its_alumni_entry_and_360_requests(self):
        program_id = self.program(settings={"k_anonymity": 3})
        pair = self.active_relationship(program_id=program_id)
        self.ok(self.transition(pair.rel_id, pair.guide, "completed"))
        self.ok(self.put(f"{API}/programs/{program_id}/alumni/me", {"show_name": True},
                         pair.learner))
        peers = [self.person(f"P{i}") for i in range(3)]
        for p in peers:
            self.enroll(program_id, p, "learner")
        self.ok(self.post(f"{API}/feedback360", {
            "program_id": program_id, "purpose": "Before I leave", "deadline": self.at(days=5),
            "self": [3] * 7, "raters": [{"person_id": p.id} for p in peers]}, pair.learner), 201)
        self.ok(self.confirm(pair.learner))
        r = self.delete(f"{API}/me", pair.learner)
        self.assertIn(r.status, (200, 204), r)
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM alumni")[0][0], 0)
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM f360_requests")[0][0], 0)
        self.assertEqual(self.ok(self.get(f"{API}/rater/feedback360", peers[0]))["items"], [])
