"""Incidents and repair plans (TRUST-MODEL.md 3.6 and 5).

A report is an allegation: an alert, no evidence. Only the party concerned
acknowledges; that is INT evidence (v 0, w 5), starts the P_INT cap for a
confidentiality breach, and opens a repair plan whose steps (the party's
acknowledgement, the agreed amends) each add INT v 1, w 0.5. The plan
closes by itself when its follow-through period ends (repaired or not
repaired), or when the pair ends it.

Classes that move the dev clock keep to themselves (RepairOverTime,
ConfidentialityBreach).
"""

import datetime as dt

from flows import API, FlowTestCase, T, rel, shift, ts

ITEMS = ("REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2")
TEXT = "QX9-INCIDENT: my situation at work was mentioned in the team meeting."


def all_of(x):
    return {k: x for k in ITEMS}


class IncidentHelpers(FlowTestCase):

    def report(self, pair, who, kind="confidentiality", text=TEXT, status=201, **kw):
        body = {"kind": kind, "text": text, **kw}
        return self.ok(self.post(rel(pair.rel_id, "/incidents"), body, who), status)

    def ack(self, incident_id, who, at=None):
        body = {} if at is None else {"at": at}
        return self.ok(self.post(f"{API}/incidents/{incident_id}/acknowledge", body, who))

    def plan(self, plan_id, who):
        return self.ok(self.get(f"{API}/repair-plans/{plan_id}", who))

    def plan_ack(self, plan_id, who, text="I told a colleague what you had said about your"
                 " manager; that was not mine to share.", responsibility="It was my mistake;"
                 " nobody asked me to.", status=200):
        return self.ok(self.post(f"{API}/repair-plans/{plan_id}/acknowledge",
                                 {"text": text, "responsibility": responsibility}, who), status)

    def amends(self, plan_id, who, ids, status=200):
        return self.ok(self.post(f"{API}/repair-plans/{plan_id}/amends",
                                 {"commitment_ids": ids}, who), status)

    def trust(self, pair, who):
        return self.ok(self.get(rel(pair.rel_id, "/trust"), who))

    def about_guide(self, pair, who):
        view = self.trust(pair, who)
        return [d for d in view["directions"] if d["about"] == "guide"][0], view["warnings"]

    def evidence_of(self, kind, subject):
        return self.server.query(
            "SELECT e.about, e.comp, e.source, e.v, e.w FROM evidence e JOIN events ev"
            " ON ev.id = e.event_id WHERE ev.kind = ? AND ev.subject_id = ? ORDER BY e.id",
            kind, subject)

    def evidence_count(self, pair):
        return self.server.query("SELECT COUNT(*) FROM evidence WHERE relationship_id = ?",
                                 pair.rel_id)[0][0]

    def later(self, *people, **delta):
        """Moves the dev clock forward and signs the admin and people in again."""
        self.advance(**delta)
        for who in (self.admin, *people):
            self.sign_in(who)


class Reporting(IncidentHelpers):

    def test_a_report_is_an_alert_with_a_sealed_text_and_no_evidence(self):
        pair = self.active_relationship()
        before = self.evidence_count(pair)
        got = self.report(pair, pair.learner)
        self.assertEqual(got, {
            "id": got["id"], "relationship_id": pair.rel_id, "kind": "confidentiality",
            "state": "reported", "reporter_id": pair.learner.id,
            "concerning_id": pair.guide.id, "text": TEXT, "reported_at": ts(self.now()),
            "acknowledged_at": None, "acknowledged_by": None, "resolved_at": None,
            "resolved_by": None, "repair_plan_id": None})
        self.assertEqual(self.evidence_count(pair), before)
        stored = self.server.query("SELECT text_ct FROM incidents WHERE id = ?", got["id"])[0][0]
        self.assertNotIn(b"QX9-INCIDENT", stored)
        # Both parties read it, text included.
        for who in (pair.guide, pair.learner):
            self.assertEqual(self.ok(self.get(f"{API}/incidents/{got['id']}", who)), got)
            self.assertEqual(self.ok(self.get(rel(pair.rel_id, "/incidents"), who)),
                             {"items": [got], "next": None})
        kinds = [(e["kind"], e["actor_id"], e["subject_id"])
                 for e in self.events(pair.rel_id, pair.guide)]
        self.assertIn(("incident_reported", pair.learner.id, got["id"]), kinds)
        # The alert: an INCIDENT warning about the guide for the pair.
        _, warnings = self.about_guide(pair, pair.learner)
        incident = [w for w in warnings if w["code"] == "INCIDENT"]
        self.assertEqual(len(incident), 1, warnings)
        self.assertEqual(incident[0]["severity"], "alert")

    def test_concerning_defaults_to_the_other_party_and_may_be_oneself(self):
        pair = self.active_relationship()
        self.assertEqual(self.report(pair, pair.guide, "bias")["concerning_id"], pair.learner.id)
        own = self.report(pair, pair.guide, "judgment", concerning_id=pair.guide.id)
        self.assertEqual(own["concerning_id"], pair.guide.id)
        # Reporting oneself: the reporter is the party concerned, and acknowledges.
        self.assertEqual(self.ack(own["id"], pair.guide)["state"], "acknowledged")

    def test_bad_reports_are_refused(self):
        pair = self.active_relationship()
        path = rel(pair.rel_id, "/incidents")
        stranger = self.stranger()
        cases = [
            ({"kind": "gossip", "text": "x"}, ["/kind"]),
            ({"kind": "other"}, ["/text"]),
            ({"kind": "other", "text": ""}, ["/text"]),
            ({"kind": "other", "text": "x" * 4001}, ["/text"]),
            ({"kind": "other", "text": "x", "concerning_id": stranger.id}, ["/concerning_id"]),
            ({"kind": "other", "text": "x", "concerning_id": 0}, ["/concerning_id"]),
            ({"kind": "other", "text": "x", "severity": "high"}, ["/severity"]),
            ({"kind": "other", "text": "x", "at": self.at(hours=1)}, ["/at"]),
        ]
        for body, pointers in cases:
            with self.subTest(body=body):
                self.assertRefused(lambda: self.post(path, body, pair.learner), 422, "validation",
                                   pointers)
        self.report(pair, pair.learner, "other", "x" * 4000)

    def test_reports_need_a_relationship_that_takes_outcomes(self):
        pair = self.pair()
        self.propose(pair)
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/incidents"),
                                             {"kind": "other", "text": "x"}, pair.learner),
                           409, "relationship_state")

    def test_outsiders_get_404_on_every_incident_and_plan_route(self):
        pair = self.active_relationship()
        inc = self.report(pair, pair.learner)
        plan_id = self.ack(inc["id"], pair.guide)["repair_plan_id"]
        sends = []
        for _, who in self.outsiders(pair):
            sends += [
                lambda who=who: self.post(rel(pair.rel_id, "/incidents"),
                                          {"kind": "other", "text": "x"}, who),
                lambda who=who: self.get(rel(pair.rel_id, "/incidents"), who),
                lambda who=who: self.get(f"{API}/incidents/{inc['id']}", who),
                lambda who=who: self.post(f"{API}/incidents/{inc['id']}/acknowledge", {}, who),
                lambda who=who: self.post(f"{API}/incidents/{inc['id']}/resolve", {}, who),
                lambda who=who: self.get(rel(pair.rel_id, "/repair-plans"), who),
                lambda who=who: self.get(f"{API}/repair-plans/{plan_id}", who),
                lambda who=who: self.post(f"{API}/repair-plans/{plan_id}/acknowledge",
                                          {"text": "x", "responsibility": "y"}, who),
                lambda who=who: self.post(f"{API}/repair-plans/{plan_id}/amends",
                                          {"commitment_ids": [1]}, who),
                lambda who=who: self.post(f"{API}/repair-plans/{plan_id}/close", {}, who),
                lambda who=who: self.get(rel(pair.rel_id, "/trust"), who),
            ]
        self.assertAllNotFound(sends)


class Acknowledging(IncidentHelpers):

    def test_only_the_party_concerned_acknowledges(self):
        pair = self.active_relationship()
        inc = self.report(pair, pair.learner)
        self.assertRefused(lambda: self.post(f"{API}/incidents/{inc['id']}/acknowledge", {},
                                             pair.learner), 403, "not_concerned")
        got = self.ack(inc["id"], pair.guide)
        self.assertEqual(got["state"], "acknowledged")
        self.assertEqual(got["acknowledged_by"], pair.guide.id)
        self.assertEqual(got["acknowledged_at"], ts(self.now()))
        self.assertIsNotNone(got["repair_plan_id"])
        # INT (comp 1), behaviour (source 0), v 0, w 5, about the guide (0).
        self.assertEqual(self.evidence_of("incident_acknowledged", inc["id"]),
                         [(0, 1, 0, 0.0, 5.0)])
        self.assertRefused(lambda: self.post(f"{API}/incidents/{inc['id']}/acknowledge", {},
                                             pair.guide), 409, "already_acknowledged")

    def test_acknowledging_a_confidentiality_breach_caps_integrity(self):
        pair = self.active_relationship()
        inc = self.report(pair, pair.learner)
        d, _ = self.about_guide(pair, pair.learner)
        self.assertFalse(d["int_capped"])
        self.ack(inc["id"], pair.guide)
        for who in (pair.guide, pair.learner):
            d, _ = self.about_guide(pair, who)
            self.assertTrue(d["int_capped"])
            self.assertLessEqual(d["components"]["INT"]["p"], 0.85)

    def test_other_kinds_give_evidence_without_the_cap(self):
        pair = self.active_relationship()
        inc = self.report(pair, pair.guide, "judgment")
        self.ack(inc["id"], pair.learner)
        self.assertEqual(self.evidence_of("incident_acknowledged", inc["id"]),
                         [(1, 1, 0, 0.0, 5.0)])
        d = [x for x in self.trust(pair, pair.guide)["directions"] if x["about"] == "learner"][0]
        self.assertFalse(d["int_capped"])

    def test_either_party_resolves_once(self):
        pair = self.active_relationship()
        inc = self.report(pair, pair.learner, "other")
        got = self.ok(self.post(f"{API}/incidents/{inc['id']}/resolve", {}, pair.guide))
        self.assertEqual((got["state"], got["resolved_by"]), ("resolved", pair.guide.id))
        self.assertEqual(self.evidence_of("incident_resolved", inc["id"]), [])
        self.assertRefused(lambda: self.post(f"{API}/incidents/{inc['id']}/resolve", {},
                                             pair.learner), 409, "incident_resolved")
        self.assertRefused(lambda: self.post(f"{API}/incidents/{inc['id']}/acknowledge", {},
                                             pair.guide), 409, "incident_resolved")
        # Resolved: the alert is gone.
        _, warnings = self.about_guide(pair, pair.learner)
        self.assertNotIn("INCIDENT", [w["code"] for w in warnings])

    def test_steps_may_not_predate_the_report(self):
        pair = self.history_pair(days=10)
        inc = self.report(pair, pair.learner, at=self.at(days=-2))
        self.assertRefused(lambda: self.post(f"{API}/incidents/{inc['id']}/acknowledge",
                                             {"at": self.at(days=-3)}, pair.guide),
                           422, "validation", ["/at"])
        got = self.ack(inc["id"], pair.guide, at=self.at(days=-1))
        self.assertEqual(got["acknowledged_at"], self.at(days=-1))
        self.assertRefused(lambda: self.post(f"{API}/incidents/{inc['id']}/resolve",
                                             {"at": self.at(days=-1, hours=-1)}, pair.learner),
                           422, "validation", ["/at"])


class RepairPlanSteps(IncidentHelpers):

    def opened(self):
        pair = self.active_relationship()
        inc = self.report(pair, pair.learner)
        plan_id = self.ack(inc["id"], pair.guide)["repair_plan_id"]
        return pair, inc, plan_id

    def test_an_acknowledgement_opens_a_plan_for_the_party_concerned(self):
        pair, inc, plan_id = self.opened()
        got = self.plan(plan_id, pair.learner)
        now = ts(self.now())
        self.assertEqual({k: v for k, v in got.items() if k != "trust"}, {
            "id": plan_id, "incident_id": inc["id"], "relationship_id": pair.rel_id,
            "party_id": pair.guide.id, "state": "open", "outcome": None, "opened_at": now,
            "follow_through_days": 56, "ends_at": shift(now, days=56), "closed_at": None,
            "acknowledgement": None, "amends_agreed_at": None, "commitments": [], "kept": 0,
            "broken": 0, "open": 0, "dropped": 0, "checkins_held": 0,
            "practice": {"id": 11, "slug": "rebuild-after-breach",
                         "title": "Rebuild after a breach"}})
        self.assertEqual(sorted(got["trust"]), ["index", "index_value", "int_capped", "label",
                                                "p_int", "uncertainty"])
        self.assertEqual((got["trust"]["index"], got["trust"]["label"]),
                         (None, "not_enough_evidence"))
        self.assertTrue(got["trust"]["int_capped"])
        self.assertEqual(self.plan(plan_id, pair.guide), got)
        self.assertEqual(self.ok(self.get(rel(pair.rel_id, "/repair-plans"), pair.guide)),
                         {"items": [got], "next": None})

    def test_the_party_acknowledges_in_their_own_words_once(self):
        pair, inc, plan_id = self.opened()
        self.assertRefused(lambda: self.post(f"{API}/repair-plans/{plan_id}/acknowledge",
                                             {"text": "x", "responsibility": "y"}, pair.learner),
                           403, "not_concerned")
        self.assertRefused(lambda: self.post(f"{API}/repair-plans/{plan_id}/acknowledge",
                                             {"text": "", "responsibility": "y" * 4001},
                                             pair.guide),
                           422, "validation", ["/responsibility", "/text"])
        got = self.plan_ack(plan_id, pair.guide, "QX9-ACK I shared it.", "QX9-RESP Mine.")
        self.assertEqual(got["acknowledgement"], {"text": "QX9-ACK I shared it.",
                                                  "responsibility": "QX9-RESP Mine.",
                                                  "at": ts(self.now())})
        self.assertEqual(self.plan(plan_id, pair.learner)["acknowledgement"],
                         got["acknowledgement"])
        stored = self.server.query("SELECT acknowledgement_ct, responsibility_ct"
                                   " FROM repair_plans WHERE id = ?", plan_id)[0]
        self.assertNotIn(b"QX9", stored[0] + stored[1])
        self.assertEqual(self.evidence_of("repair_acknowledged", plan_id), [(0, 1, 0, 1.0, 0.5)])
        self.assertRefused(lambda: self.post(f"{API}/repair-plans/{plan_id}/acknowledge",
                                             {"text": "x", "responsibility": "y"}, pair.guide),
                           409, "already_acknowledged")

    def test_amends_follow_the_acknowledgement_and_link_the_partys_commitments(self):
        pair, inc, plan_id = self.opened()
        due = self.at(days=14)
        mine = self.commit(pair, pair.guide, pair.guide, "Restate our confidentiality terms",
                           due)
        other = self.commit(pair, pair.learner, pair.learner, "Write down my concerns", due)
        too_late = self.commit(pair, pair.guide, pair.guide, "Review in the autumn",
                               self.at(days=57))
        path = f"{API}/repair-plans/{plan_id}/amends"
        self.assertRefused(lambda: self.post(path, {"commitment_ids": [mine["id"]]}, pair.guide),
                           409, "not_acknowledged")
        self.plan_ack(plan_id, pair.guide)
        cases = [
            ({"commitment_ids": []}, ["/commitment_ids"]),
            ({"commitment_ids": [mine["id"], mine["id"]]}, ["/commitment_ids/1"]),
            ({"commitment_ids": [other["id"]]}, ["/commitment_ids/0"]),
            ({"commitment_ids": [mine["id"], too_late["id"]]}, ["/commitment_ids/1"]),
            ({"commitment_ids": [999999]}, ["/commitment_ids/0"]),
            ({"commitment_ids": ["x"]}, ["/commitment_ids/0"]),
            ({}, ["/commitment_ids"]),
        ]
        for body, pointers in cases:
            with self.subTest(body=body):
                self.assertRefused(lambda: self.post(path, body, pair.guide), 422, "validation",
                                   pointers)
        # Either party records what the pair agreed.
        got = self.amends(plan_id, pair.learner, [mine["id"]])
        self.assertEqual(got["amends_agreed_at"], ts(self.now()))
        self.assertEqual(got["commitments"], [{"id": mine["id"],
                                               "text": "Restate our confidentiality terms",
                                               "state": "open", "due_at": due,
                                               "closed_at": None}])
        self.assertEqual((got["open"], got["kept"], got["broken"]), (1, 0, 0))
        self.assertEqual(self.evidence_of("repair_amends_agreed", plan_id),
                         [(0, 1, 0, 1.0, 0.5)])
        self.assertRefused(lambda: self.post(path, {"commitment_ids": [mine["id"]]}, pair.guide),
                           409, "amends_agreed")
        self.commitment_outcome(mine["id"], pair.guide, "kept")
        self.assertEqual(self.plan(plan_id, pair.guide)["kept"], 1)

    def test_the_pair_may_end_a_plan(self):
        pair, inc, plan_id = self.opened()
        got = self.ok(self.post(f"{API}/repair-plans/{plan_id}/close", {}, pair.learner))
        self.assertEqual((got["state"], got["outcome"], got["closed_at"]),
                         ("closed", "ended_by_pair", ts(self.now())))
        events = [(e["kind"], e["actor_id"], e["subject_id"])
                  for e in self.events(pair.rel_id, pair.guide)]
        self.assertIn(("repair_closed", pair.learner.id, plan_id), events)
        for send in (lambda: self.post(f"{API}/repair-plans/{plan_id}/close", {}, pair.guide),
                     lambda: self.post(f"{API}/repair-plans/{plan_id}/acknowledge",
                                       {"text": "x", "responsibility": "y"}, pair.guide)):
            self.assertRefused(send, 409, "plan_closed")

    def test_no_plan_and_no_prompt_before_an_acknowledgement(self):
        pair = self.active_relationship()
        inc = self.report(pair, pair.learner)
        self.assertEqual(self.ok(self.get(rel(pair.rel_id, "/repair-plans"), pair.guide)),
                         {"items": [], "next": None})
        _, warnings = self.about_guide(pair, pair.guide)
        for w in warnings:
            if w["code"] == "INCIDENT":
                self.assertNotEqual(w["practice"], "rebuild-after-breach")
        practice = self.ok(self.get(f"{API}/practices/10", pair.guide))
        self.assertEqual(practice["slug"], "respond-to-concern")
        self.assertFalse(any("apolog" in q.lower() for q in practice["questions"]))
        self.assertEqual(self.ok(self.get(f"{API}/incidents/{inc['id']}", pair.guide))
                         ["repair_plan_id"], None)


class RepairOverTime(IncidentHelpers):
    """The closing job; moves the clock (each test from its own start)."""

    def opened_with_amend(self, due_days):
        pair = self.active_relationship()
        inc = self.report(pair, pair.learner)
        plan_id = self.ack(inc["id"], pair.guide)["repair_plan_id"]
        self.plan_ack(plan_id, pair.guide)
        cm = self.commit(pair, pair.guide, pair.guide, "Check with you before sharing anything",
                         self.at(days=due_days))
        self.amends(plan_id, pair.guide, [cm["id"]])
        return pair, plan_id, cm

    def test_a_broken_amend_means_not_repaired_at_the_periods_end(self):
        pair, plan_id, cm = self.opened_with_amend(14)
        ends = self.plan(plan_id, pair.guide)["ends_at"]
        self.later(pair.guide, pair.learner, days=15)
        self.run_jobs()  # the commitment breaks by itself a day after its due time
        got = self.plan(plan_id, pair.guide)
        self.assertEqual((got["state"], got["broken"]), ("open", 1))
        self.later(pair.guide, pair.learner, days=41, hours=1)
        self.run_jobs()
        got = self.plan(plan_id, pair.guide)
        self.assertEqual((got["state"], got["outcome"], got["closed_at"]),
                         ("closed", "not_repaired", ends))
        closed = [e for e in self.events(pair.rel_id, pair.learner) if e["kind"] == "repair_closed"]
        self.assertEqual([(e["actor_id"], e["at"], e["subject_id"]) for e in closed],
                         [(None, ends, plan_id)])

    def test_an_open_allegation_holds_the_plan_until_the_pair_settles_it(self):
        pair, plan_id, cm = self.opened_with_amend(7)
        self.later(pair.guide, pair.learner, days=6)
        self.commitment_outcome(cm["id"], pair.guide, "kept")
        self.later(pair.guide, pair.learner, days=4)
        again = self.report(pair, pair.learner, "other", "Another remark in public.")
        self.later(pair.guide, pair.learner, days=47)
        self.run_jobs()
        got = self.plan(plan_id, pair.guide)
        self.assertEqual((got["state"], got["kept"]), ("open", 1))
        self.ok(self.post(f"{API}/incidents/{again['id']}/resolve", {}, pair.learner))
        settled = ts(self.now())
        self.run_jobs()
        got = self.plan(plan_id, pair.guide)
        self.assertEqual((got["state"], got["outcome"], got["closed_at"]),
                         ("closed", "repaired", settled))


class ConfidentialityBreach(IncidentHelpers):
    """The story of a breach: sixteen good weeks, a reported breach (an
    alert, no evidence), its acknowledgement (evidence and the P_INT cap), a
    repair plan kept over eight weeks (closes "repaired"): the index
    recovers but P_INT stays at most 0.85. Moves the clock."""

    def week(self, pair, when):
        """One good week ending at `when`: a check-in held, and both parties
        answer a pulse of 5s (dated `when`, as history or live)."""
        ck = self.schedule(pair, pair.guide, shift(when, hours=-1), at=shift(when, hours=-26))
        self.checkin_outcome(ck["id"], pair.guide, "held", at=shift(when, hours=-1))
        for who in (pair.learner, pair.guide):
            self.ok(self.post(rel(pair.rel_id, "/pulses"),
                              {"answers": all_of(5), "overall": 9, "at": when}, who), 201)

    def test_breach_acknowledged_and_repaired_over_eight_weeks(self):
        pair = self.history_pair(days=113)
        for k in range(16, 0, -1):
            self.week(pair, self.at(days=-7 * k + 1))
        good, _ = self.about_guide(pair, pair.learner)
        self.assertFalse(good["int_capped"])
        self.assertGreater(good["components"]["INT"]["p"], 0.85)

        # Reported: an alert, no evidence, no change to the scores.
        before = self.evidence_count(pair)
        inc = self.report(pair, pair.learner)
        self.assertEqual(self.evidence_count(pair), before)
        reported, warnings = self.about_guide(pair, pair.learner)
        self.assertEqual(reported["components"]["INT"]["p"], good["components"]["INT"]["p"])
        self.assertIn("INCIDENT", [w["code"] for w in warnings])

        # Acknowledged: INT evidence and the cap.
        plan_id = self.ack(inc["id"], pair.guide)["repair_plan_id"]
        self.assertEqual(self.evidence_count(pair), before + 1)
        hit, _ = self.about_guide(pair, pair.learner)
        self.assertTrue(hit["int_capped"])
        self.assertLess(hit["components"]["INT"]["p"], reported["components"]["INT"]["p"])
        self.assertLessEqual(hit["components"]["INT"]["p"], 0.85)
        self.assertLess(hit["index_value"], reported["index_value"])

        # The plan: acknowledgement, three amends over the eight weeks.
        self.plan_ack(plan_id, pair.guide)
        cms = [self.commit(pair, pair.guide, pair.guide, text, self.at(days=days))
               for text, days in (("Restate our confidentiality terms", 6),
                                  ("Ask before sharing anything about you", 20),
                                  ("Review how it feels to talk openly", 41))]
        self.amends(plan_id, pair.guide, [c["id"] for c in cms])
        opened = self.plan(plan_id, pair.learner)
        self.assertEqual((opened["open"], opened["kept"]), (3, 0))

        # Eight weeks of follow-through: a good week every week, each amend kept
        # the day before it is due.
        steps = [(5, cms[0]), (7, None), (14, None), (19, cms[1]), (21, None), (28, None),
                 (35, None), (40, cms[2]), (42, None), (49, None), (56, None)]
        day = 0
        for when, cm in steps:
            self.later(pair.guide, pair.learner, days=when - day)
            day = when
            if cm is None:
                self.week(pair, ts(self.now()))
            else:
                self.commitment_outcome(cm["id"], pair.guide, "kept")
        self.run_jobs()

        closed = self.plan(plan_id, pair.learner)
        self.assertEqual((closed["state"], closed["outcome"]), ("closed", "repaired"))
        self.assertEqual(closed["closed_at"], opened["ends_at"])
        self.assertEqual((closed["kept"], closed["broken"], closed["open"]), (3, 0, 0))
        self.assertEqual(closed["checkins_held"], 8)
        recovered, _ = self.about_guide(pair, pair.learner)
        self.assertGreater(recovered["index_value"], hit["index_value"])
        self.assertTrue(recovered["int_capped"])
        # Without the cap P_INT would be above 0.85 again: the cap holds it there.
        self.assertAlmostEqual(recovered["components"]["INT"]["p"], 0.85, places=9)
        self.assertEqual(closed["trust"]["p_int"], recovered["components"]["INT"]["p"])
        self.assertEqual(closed["trust"]["index_value"], recovered["index_value"])
        self.assertEqual(closed["trust"]["index"], recovered["index"])
        events = [e for e in self.events(pair.rel_id, pair.guide) if e["kind"] == "repair_closed"]
        self.assertEqual([(e["actor_id"], e["at"]) for e in events], [(None, opened["ends_at"])])
