"""Story 1: a coaching engagement from proposal to alumni.

The whole engagement is entered after the fact with `at` (the server's
clock stands at 2026-03-01T09:00:00Z): the program is dated 5 January, the
pair agrees, meets weekly for six weeks, keeps and breaks commitments,
sets and reviews goals, asks and answers, gives feedback and writes notes.
Then the clock moves past the due time of the one commitment left open,
which breaks by itself, and the pair completes and becomes alumni. Every
step's answer is checked, and at the end the event log and the
relationship's counts must tell the same story.
"""

import unittest

from flows import (API, AGREEMENT, EventLog, FlowTestCase, Pair, gas_t, hours_between, rel,
                   shift)

START = "2026-01-05T09:00:00Z"  # a Monday, eight weeks before the clock


def day(month_day, hhmm="09:00"):
    """2026-MM-DDTHH:MM:00Z from "01-12" and "10:30"."""
    return f"2026-{month_day}T{hhmm}:00Z"


class CoachingEngagement(FlowTestCase):

    def test_from_proposal_to_alumni(self):
        self.log = EventLog()
        self.clock0 = self.at()
        self.engage()
        self.agree()
        self.meet_weekly()
        self.commit_and_account()
        self.set_and_review_goals()
        self.ask_and_answer()
        self.exchange_feedback()
        self.write_notes()
        self.check_lists_before_the_end()
        self.open_commitment_breaks_by_itself()
        self.complete_and_become_alumni()
        self.check_event_log()
        self.check_counts()

    # ---- proposal and acceptance ----

    def engage(self):
        prog = self.ok(self.post(f"{API}/programs", {"name": "Leadership coaching",
                                                      "kind": "coaching", "at": START},
                                 self.admin), 201)
        self.assertEqual(prog["created_at"], START)
        self.assertEqual(prog["settings"]["cadence_days"], 7)
        # People with passwords first, then enrolled by e-mail: not invited.
        guide, learner = self.person("Grace Guide"), self.person("Leo Learner")
        for who, role in ((guide, "guide"), (learner, "learner")):
            got = self.ok(self.post(f"{API}/programs/{prog['id']}/members",
                                    {"email": who.email, "name": who.name, "role": role},
                                    self.admin), 201)
            self.assertEqual(got, {"person_id": who.id, "role": role, "invited": False})
        self.g, self.l = guide, learner
        self.pair_ = pair = Pair(prog["id"], guide, learner)

        proposed_at = day("01-05", "10:00")
        r = self.ok(self.post(f"{API}/relationships",
                              {"program_id": pair.program_id, "guide_id": guide.id,
                               "learner_id": learner.id, "at": proposed_at}, self.admin), 201)
        pair.rel_id = r["id"]
        self.assertEqual(r, {"id": r["id"], "program_id": pair.program_id, "guide_id": guide.id,
                             "learner_id": learner.id, "state": "proposed",
                             "accepted": {"guide": False, "learner": False},
                             "proposed_by": self.admin.id, "proposed_at": proposed_at,
                             "state_since": proposed_at})
        self.log.add("proposed", self.admin.id, proposed_at, to="proposed")

        at = day("01-05", "11:00")
        r = self.ok(self.transition(pair.rel_id, guide, "active", at=at))
        self.assertEqual((r["state"], r["accepted"]), ("proposed", {"guide": True,
                                                                    "learner": False}))
        self.log.add("accepted", guide.id, at, frm="proposed", to="proposed")
        at = day("01-05", "12:00")
        r = self.ok(self.transition(pair.rel_id, learner, "active", at=at))
        self.assertEqual((r["state"], r["state_since"]), ("active", at))
        self.assertEqual(r["accepted"], {"guide": True, "learner": True})
        self.log.add("transition", learner.id, at, frm="proposed", to="active")

    # ---- the agreement ----

    def agree(self):
        pair, g, l = self.pair_, self.g, self.l
        self.assertEqual(self.ok(self.get(rel(pair.rel_id, "/agreement"), l)),
                         {"latest": None, "in_force": None})
        at = day("01-05", "13:00")
        v1 = self.put_agreement(pair, g, at=at)
        expected = {"version": 1, "author_id": g.id, "created_at": at,
                    **{k: AGREEMENT[k] for k in AGREEMENT}, "quiet_hours": None,
                    "acknowledged_by": [g.id], "in_force": False}
        self.assertEqual(v1, expected)
        self.log.add("agreement_version", g.id, at, subject=None)
        state = self.ok(self.get(rel(pair.rel_id, "/agreement"), l))
        self.assertEqual(state, {"latest": expected, "in_force": None})
        self.assertEqual(self.ok(self.get(rel(pair.rel_id), g))["agreement"],
                         {"latest_version": 1, "in_force_version": 0})

        at = day("01-05", "15:30")
        acked = self.acknowledge(pair, l, 1, at=at)
        expected.update(acknowledged_by=[g.id, l.id], in_force=True)
        self.assertEqual(acked, expected)
        self.log.add("agreement_acknowledged", l.id, at, subject=None)
        self.log.add("agreement_in_force", l.id, at, subject=None)
        self.assertEqual(self.ok(self.get(rel(pair.rel_id, "/agreement"), g)),
                         {"latest": expected, "in_force": expected})
        got = self.ok(self.get(rel(pair.rel_id), l))
        self.assertEqual(got["agreement"], {"latest_version": 1, "in_force_version": 1})
        versions = self.ok(self.get(rel(pair.rel_id, "/agreement/versions"), g))
        self.assertEqual(versions, {"items": [expected], "next": None})

    # ---- six weekly check-ins ----

    def meet_weekly(self):
        pair, g, l = self.pair_, self.g, self.l
        weeks = [day(d) for d in ("01-12", "01-19", "01-26", "02-02", "02-09", "02-16")]
        self.checkins = []
        for i, when in enumerate(weeks):
            at = day("01-05", f"16:0{i}")
            ck = self.schedule(pair, g, when, at=at)
            self.assertEqual(ck, {"id": ck["id"], "relationship_id": pair.rel_id,
                                  "scheduled_at": when, "created_at": at, "outcome": None,
                                  "class": None, "caused_by": None, "outcome_at": None,
                                  "notice_hours": None, "late_hours": None,
                                  "rescheduled_to": None})
            self.log.add("checkin_scheduled", g.id, at, ck["id"])
            self.checkins.append(ck["id"])
        c = self.checkins

        def outcome(idx, who, what, at, **kw):
            got = self.checkin_outcome(c[idx], who, what, at=at, **kw)
            self.log.add("checkin_outcome", who.id, at, c[idx])
            return got

        # 1. Held on time (an hour after the start is within tau = 1.4 days).
        got = outcome(0, l, "held", day("01-12", "10:00"))
        self.assertEqual((got["outcome"], got["class"], got["caused_by"], got["outcome_at"],
                          got["late_hours"], got["notice_hours"]),
                         ("held", "held", None, day("01-12", "10:00"), None, None))
        # 2. Held two days late, because of the guide: 48 h > 33.6 h.
        got = outcome(1, g, "held", day("01-21"), caused_by=g)
        self.assertEqual((got["class"], got["caused_by"], got["late_hours"]),
                         ("held_late", g.id, 48.0))
        # 3. Cancelled by the learner two hours before.
        got = outcome(2, l, "cancelled", day("01-26", "07:00"), caused_by=l)
        self.assertEqual((got["outcome"], got["class"], got["caused_by"], got["notice_hours"],
                          got["late_hours"]), ("cancelled", "cancelled_late", l.id, 2.0, None))
        # 4. Rescheduled three days ahead to the next day; the follow-up is held.
        follow_at = day("02-03")
        got = self.checkin_outcome(c[3], g, "rescheduled", at=day("01-30"), caused_by=g,
                                   new_scheduled_at=follow_at)
        self.assertEqual((got["class"], got["notice_hours"], got["caused_by"]),
                         ("rescheduled_with_notice", 72.0, g.id))
        follow = got["rescheduled_to"]
        self.assertIsInstance(follow, int)
        self.log.add("checkin_outcome", g.id, day("01-30"), c[3])
        self.log.add("checkin_scheduled", g.id, day("01-30"), follow)
        fu = self.ok(self.get(f"{API}/checkins/{follow}", l))
        self.assertEqual((fu["scheduled_at"], fu["created_at"], fu["outcome"]),
                         (follow_at, day("01-30"), None))
        fu = self.checkin_outcome(follow, l, "held", at=day("02-03", "09:20"))
        self.assertEqual((fu["class"], fu["late_hours"]), ("held", None))
        self.log.add("checkin_outcome", l.id, day("02-03", "09:20"), follow)
        # 5. The learner did not show up.
        got = outcome(4, g, "no_show", day("02-09", "09:45"), caused_by=l)
        self.assertEqual((got["class"], got["caused_by"], got["notice_hours"]),
                         ("no_show", l.id, None))
        # 6. Both agreed to skip a week.
        got = outcome(5, l, "mutual_cancel", day("02-14", "12:00"))
        self.assertEqual((got["class"], got["caused_by"], got["notice_hours"]),
                         ("mutual_cancel", None, None))

        listed = self.ok(self.get(rel(pair.rel_id, "/checkins"), g))
        self.assertIsNone(listed["next"])
        self.assertEqual([(x["id"], x["class"]) for x in listed["items"]],
                         [(c[0], "held"), (c[1], "held_late"), (c[2], "cancelled_late"),
                          (c[3], "rescheduled_with_notice"), (c[4], "no_show"),
                          (c[5], "mutual_cancel"), (follow, "held")])
        self.follow_up = follow

    # ---- commitments ----

    def commit_and_account(self):
        pair, g, l = self.pair_, self.g, self.l
        cm = {}

        def add(name, who, owner, text, due, at):
            got = self.commit(pair, who, owner, text, due, at=at)
            self.assertEqual(got, {"id": got["id"], "relationship_id": pair.rel_id,
                                   "owner_id": owner.id, "text": text, "created_at": at,
                                   "due_at": due, "original_due_at": due, "state": "open",
                                   "closed_at": None, "closed_by": None,
                                   "broken_automatically": False, "revisions": []})
            self.log.add("commitment_added", who.id, at, got["id"])
            cm[name] = got["id"]

        def close(name, who, outcome, at, state):
            got = self.commitment_outcome(cm[name], who, outcome, at=at)
            self.assertEqual((got["state"], got["closed_at"], got["closed_by"],
                              got["broken_automatically"]), (state, at, who.id, False))
            self.log.add("commitment_outcome", who.id, at, cm[name])
            return got

        add("kept", l, l, "Read two chapters on delegation", day("01-19"), day("01-12", "10:30"))
        add("late", g, g, "Send the learner the reading list", day("01-19"), day("01-12", "10:35"))
        add("moved", l, l, "Draft the team charter", day("01-28"), day("01-21", "10:00"))
        add("broken", l, l, "Ask the manager for a stretch project", day("01-28"),
            day("01-21", "10:05"))
        add("dropped", g, l, "Shadow the Friday planning meeting", day("02-10"),
            day("02-03", "10:00"))
        add("open", l, l, "Run the planning meeting alone", day("02-28", "10:00"),
            day("02-16", "10:00"))
        self.commitments = cm

        close("kept", l, "kept", day("01-18", "18:00"), "kept")
        close("late", g, "kept", day("01-20"), "kept_late")
        # Renegotiated before its due time: the history is kept in revisions.
        at = day("01-26", "10:00")
        got = self.commitment_outcome(cm["moved"], l, "renegotiated", at=at,
                                      new_due_at=day("02-04"))
        self.assertEqual((got["state"], got["due_at"], got["original_due_at"], got["closed_at"]),
                         ("open", day("02-04"), day("01-28"), None))
        revision = {"at": at, "by": l.id, "old_due_at": day("01-28"), "new_due_at": day("02-04")}
        self.assertEqual(got["revisions"], [revision])
        self.log.add("commitment_renegotiated", l.id, at, cm["moved"])
        got = close("moved", l, "kept", day("02-03", "09:30"), "kept")
        self.assertEqual((got["due_at"], got["original_due_at"], got["revisions"]),
                         (day("02-04"), day("01-28"), [revision]))
        close("broken", g, "broken", day("01-29"), "broken")
        close("dropped", l, "dropped", day("02-05"), "dropped")

        still = self.ok(self.get(rel(pair.rel_id, "/commitments?state=open"), g))
        self.assertEqual([x["id"] for x in still["items"]], [cm["open"]])
        done = self.ok(self.get(rel(pair.rel_id, "/commitments?state=closed"), l))
        self.assertEqual([(x["id"], x["state"]) for x in done["items"]],
                         [(cm["kept"], "kept"), (cm["late"], "kept_late"), (cm["moved"], "kept"),
                          (cm["broken"], "broken"), (cm["dropped"], "dropped")])

    # ---- goals, a milestone and two reviews ----

    def set_and_review_goals(self):
        pair, g, l = self.pair_, self.g, self.l
        levels = {"-2": "Avoids planning meetings", "-1": "Attends but stays silent",
                  "0": "Leads one planning meeting", "1": "Leads them every month",
                  "2": "Trains a colleague to lead them"}
        smart = dict(specific="Lead the team's quarterly planning meeting",
                     measurable="The meeting ends with an agreed plan",
                     achievable="With the guide's agenda template",
                     relevant="Planning is half of the next role", due_on="2026-06-30",
                     weight=2, levels=levels)
        at = day("01-12", "11:00")
        g1 = self.add_goal(pair, l, "Lead quarterly planning", at=at, **smart)
        self.assertEqual(g1, {"id": g1["id"], "relationship_id": pair.rel_id,
                              "created_by": l.id, "created_at": at,
                              "title": "Lead quarterly planning",
                              **{k: v for k, v in smart.items() if k != "weight"},
                              "weight": 2.0, "status": "active", "hints": [],
                              "latest_level": None, "milestones": []})
        self.log.add("goal_added", l.id, at, g1["id"])

        at = day("01-12", "11:05")
        g2 = self.add_goal(pair, g, "Speak up in meetings", at=at,
                           specific="Say one thing in every team meeting", weight=1,
                           levels={"0": "Speaks once a meeting"})
        self.assertEqual(g2["hints"], ["measurable", "achievable", "relevant", "due_on",
                                       "level -2", "level -1", "level 1", "level 2"])
        self.assertEqual((g2["measurable"], g2["due_on"], g2["weight"], g2["created_by"]),
                         (None, None, 1.0, g.id))
        self.assertEqual(g2["levels"], {"-2": None, "-1": None, "0": "Speaks once a meeting",
                                        "1": None, "2": None})
        self.log.add("goal_added", g.id, at, g2["id"])

        at = day("01-20", "10:00")
        ms = self.add_milestone(g1["id"], l, "Draft the planning agenda", at=at)
        self.assertEqual(ms, {"id": ms["id"], "goal_id": g1["id"],
                              "title": "Draft the planning agenda", "created_at": at,
                              "reached_at": None})
        self.log.add("milestone_added", l.id, at, ms["id"])

        at = day("01-26", "12:00")
        r1 = self.review(pair, g, {g1["id"]: -1, g2["id"]: 0}, at=at)
        t1 = gas_t([(2, -1), (1, 0)])
        self.assertAlmostEqual(t1, 50 - 20 / 6.2 ** 0.5, places=12)
        self.assertEqual(r1["t_score"], t1)
        self.assertEqual(round(r1["t_score"], 3), 41.968)
        self.assertEqual((r1["at"], r1["reviewer_id"], r1["levels"]),
                         (at, g.id, {str(g1["id"]): -1, str(g2["id"]): 0}))
        self.log.add("goal_review", g.id, at, r1["id"])

        at = day("02-02", "10:00")
        reached = self.ok(self.post(f"{API}/milestones/{ms['id']}/reached", {"at": at}, l))
        self.assertEqual(reached, {**ms, "reached_at": at})
        self.log.add("milestone_reached", l.id, at, ms["id"])

        at = day("02-16", "12:00")
        r2 = self.review(pair, l, {g1["id"]: 1, g2["id"]: 2}, at=at)
        t2 = gas_t([(2, 1), (1, 2)])
        self.assertEqual(r2["t_score"], t2)
        self.assertEqual(round(r2["t_score"], 3), 66.064)
        self.assertEqual(r2["reviewer_id"], l.id)
        self.log.add("goal_review", l.id, at, r2["id"])

        at = day("02-20", "10:00")
        done = self.ok(self.post(f"{API}/goals/{g1['id']}/status",
                                 {"status": "achieved", "at": at}, g))
        self.assertEqual((done["status"], done["latest_level"]), ("achieved", 1))
        self.assertEqual(done["milestones"], [{**ms, "reached_at": day("02-02", "10:00")}])
        self.log.add("goal_status", g.id, at, g1["id"], frm="active", to="achieved")

        goals = self.ok(self.get(rel(pair.rel_id, "/goals"), l))
        self.assertEqual([(x["id"], x["status"], x["latest_level"], len(x["milestones"]))
                          for x in goals["items"]],
                         [(g1["id"], "achieved", 1, 1), (g2["id"], "active", 2, 0)])
        reviews = self.ok(self.get(rel(pair.rel_id, "/goal-reviews"), g))
        self.assertEqual([x["id"] for x in reviews["items"]], [r1["id"], r2["id"]])
        self.assertEqual(reviews["items"][1], r2)
        self.goals = (g1["id"], g2["id"])

    # ---- requests: answered fast and slow ----

    def ask_and_answer(self):
        pair, g, l = self.pair_, self.g, self.l
        asked, answered = day("01-13"), day("01-13", "10:30")
        q1 = self.ask(pair, l, "Could you send the agenda template?", at=asked)
        self.assertEqual(q1, {"id": q1["id"], "relationship_id": pair.rel_id,
                              "requester_id": l.id, "responder_id": g.id, "created_at": asked,
                              "text": "Could you send the agenda template?",
                              "replied_at": None, "reply": None, "latency_hours": None})
        self.log.add("request_made", l.id, asked, q1["id"])
        a1 = self.reply(q1["id"], g, "Attached, with my notes.", at=answered)
        self.assertEqual(a1, {**q1, "replied_at": answered, "reply": "Attached, with my notes.",
                              "latency_hours": 1.5})
        self.log.add("request_replied", g.id, answered, q1["id"])

        asked, answered = day("01-27"), day("01-29", "11:00")
        q2 = self.ask(pair, g, "Which meeting will you lead first?", at=asked)
        self.assertEqual((q2["requester_id"], q2["responder_id"]), (g.id, l.id))
        self.log.add("request_made", g.id, asked, q2["id"])
        a2 = self.reply(q2["id"], l, "The February one.", at=answered)
        self.assertEqual(a2["latency_hours"], 50.0)
        self.assertEqual(a2["latency_hours"], hours_between(asked, answered))
        self.log.add("request_replied", l.id, answered, q2["id"])
        self.requests = (q1["id"], q2["id"])

    # ---- feedback both ways, with an ask ----

    def exchange_feedback(self):
        pair, g, l = self.pair_, self.g, self.l
        plan = [
            (g, l, "recognition", "task", "The agenda was clear and short.", day("01-19", "12:00"),
             "feedback_given"),
            (l, g, "constructive", "task", "I would like the template a day earlier.",
             day("01-26", "12:30"), "feedback_given"),
            (l, g, "ask", None, "How did I come across in the meeting?", day("02-02", "12:00"),
             "feedback_asked"),
            (g, l, "constructive", "person", "You rushed the last item; pause more.",
             day("02-03", "12:00"), "feedback_given"),
        ]
        self.feedback_ids = []
        for giver, receiver, kind, focus, text, at, event in plan:
            got = self.feedback(pair, giver, kind, focus, text, at)
            self.assertEqual(got, {"id": got["id"], "relationship_id": pair.rel_id,
                                   "giver_id": giver.id, "receiver_id": receiver.id,
                                   "kind": kind, "focus": focus, "text": text, "at": at})
            self.log.add(event, giver.id, at, got["id"])
            self.feedback_ids.append(got["id"])
        for who in (g, l):
            listed = self.ok(self.get(rel(pair.rel_id, "/feedback"), who))
            self.assertEqual([(x["giver_id"], x["kind"], x["text"]) for x in listed["items"]],
                             [(p[0].id, p[2], p[4]) for p in plan])

    # ---- notes, private and shared ----

    def write_notes(self):
        pair, g, l = self.pair_, self.g, self.l
        plan = [(g, "private", "Leo seems anxious about the promotion.", day("01-12", "12:00")),
                (l, "shared", "Agenda template v2 is in the shared folder.",
                 day("01-12", "12:05")),
                (l, "private", "Ask HR about the leadership course.", day("02-16", "13:00"))]
        ids = []
        for who, vis, text, at in plan:
            got = self.note(pair, who, vis, text, at)
            other = l if who is g else g
            self.assertEqual(got, {"id": got["id"], "relationship_id": pair.rel_id,
                                   "author_id": who.id, "visibility": vis,
                                   "readable_by": [who.id] + ([other.id] if vis == "shared"
                                                              else []),
                                   "created_at": at, "text": text})
            # self.log is the learner's view: the guide's private note leaves
            # no event there (test_private_notes_metadata.py).
            if vis == "shared" or who is l:
                self.log.add("note_added", who.id, at, got["id"])
            ids.append(got["id"])
        self.assertEqual([x["id"] for x in self.ok(self.get(rel(pair.rel_id, "/notes"),
                                                            g))["items"]], ids[:2])
        self.assertEqual([x["id"] for x in self.ok(self.get(rel(pair.rel_id, "/notes"),
                                                            l))["items"]], ids[1:])
        self.assertProblem(self.get(f"{API}/notes/{ids[0]}", l), 404, "not_found")
        self.assertProblem(self.get(f"{API}/notes/{ids[2]}", g), 404, "not_found")
        self.assertEqual(self.ok(self.get(f"{API}/notes/{ids[1]}", g))["text"], plan[1][2])
        self.notes = ids

    def check_lists_before_the_end(self):
        got = self.ok(self.get(rel(self.pair_.rel_id), self.admin))
        # An admin counts the shared notes only.
        self.assertEqual(got["counts"], {"checkins": 7, "checkins_held": 3, "commitments": 6,
                                         "commitments_open": 1, "goals": 2, "notes": 1,
                                         "feedback": 4, "requests": 2})

    # ---- the clock passes due + 24 h ----

    def open_commitment_breaks_by_itself(self):
        pair, g, l = self.pair_, self.g, self.l
        cm = self.commitments["open"]
        due = day("02-28", "10:00")
        breaks_at = shift(due, hours=24)
        self.assertEqual(self.ok(self.get(f"{API}/commitments/{cm}", l))["state"], "open")
        self.move_clock(shift(breaks_at, minutes=5), g, l)
        self.run_jobs()
        got = self.ok(self.get(f"{API}/commitments/{cm}", g))
        self.assertEqual((got["state"], got["broken_automatically"], got["closed_at"],
                          got["closed_by"], got["due_at"]), ("broken", True, breaks_at, None, due))
        self.log.add("commitment_broken", None, breaks_at, cm)
        # The others were closed by the parties and stay as they were.
        closed = self.ok(self.get(rel(pair.rel_id, "/commitments?state=closed"), l))["items"]
        self.assertEqual([(x["state"], x["broken_automatically"]) for x in closed],
                         [("kept", False), ("kept_late", False), ("kept", False),
                          ("broken", False), ("dropped", False), ("broken", True)])
        self.assertProblem(self.commitment_outcome_raw(cm, l, "kept"), 409, "commitment_closed")

    def commitment_outcome_raw(self, cm_id, who, outcome):
        with self.unchanged():
            return self.post(f"{API}/commitments/{cm_id}/outcome", {"outcome": outcome}, who)

    # ---- completion and alumni ----

    def complete_and_become_alumni(self):
        pair, g = self.pair_, self.g
        now = self.at()
        r = self.ok(self.transition(pair.rel_id, g, "completed"))
        self.assertEqual((r["state"], r["state_since"]), ("completed", now))
        self.log.add("transition", g.id, now, frm="active", to="completed")
        r = self.ok(self.transition(pair.rel_id, self.admin, "alumni"))
        self.assertEqual((r["state"], r["state_since"]), ("alumni", now))
        self.log.add("transition", self.admin.id, now, frm="completed", to="alumni")
        # Nothing new can start any more.
        self.assertRefused(lambda: self.post(rel(pair.rel_id, "/checkins"),
                                             {"scheduled_at": shift(now, days=7)}, g),
                           409, "relationship_state")

    # ---- the whole story, as the event log and the counts tell it ----

    def check_event_log(self):
        pair = self.pair_
        events = self.events(pair.rel_id, self.l)
        got = EventLog.of(events)
        # The agreement's events name the version's row, which the API does
        # not show: they must all name the same one.
        agreement_subjects = {e["subject_id"] for e in events if e["kind"].startswith("agreement")}
        self.assertEqual(len(agreement_subjects), 1, events)
        self.assertIsInstance(agreement_subjects.pop(), int)
        got = [(k, a, at, None if k.startswith("agreement") else s, f, t)
               for k, a, at, s, f, t in got]
        self.assertEqual(got, self.log.items)
        # Entered after the fact: everything was recorded at the clock of
        # the day, the break and the last two steps after it moved.
        recorded = [e["recorded_at"] for e in events]
        self.assertEqual(set(recorded[:-3]), {self.clock0})
        self.assertEqual(set(recorded[-3:]), {self.at()})
        self.assertTrue(all("reason" not in e for e in events))
        # The admin sees the same metadata, but for the learner's private note.
        admin_view = self.events(pair.rel_id, self.admin)
        self.assertEqual(admin_view, [e for e in events if not (
            e["kind"] == "note_added" and e["subject_id"] == self.notes[2])])

    def check_counts(self):
        pair = self.pair_
        expected = {"checkins": 7, "checkins_held": 3, "commitments": 6, "commitments_open": 0,
                    "goals": 2, "feedback": 4, "requests": 2}
        # notes: what each can list (a party: the shared one and their own
        # private one; the admin: the shared one).
        for who, role, notes in ((self.g, "guide", 2), (self.l, "learner", 2),
                                 (self.admin, "admin", 1)):
            got = self.ok(self.get(rel(pair.rel_id), who))
            self.assertEqual((got["state"], got["my_role"]), ("alumni", role))
            self.assertEqual(got["counts"], {**expected, "notes": notes})
            self.assertEqual(got["agreement"], {"latest_version": 1, "in_force_version": 1})
        # The counts agree with the lists.
        g = self.g
        self.assertEqual(len(self.items(rel(pair.rel_id, "/checkins"), g)), 7)
        self.assertEqual(len([x for x in self.items(rel(pair.rel_id, "/checkins"), g)
                              if x["outcome"] == "held"]), 3)
        self.assertEqual(len(self.items(rel(pair.rel_id, "/commitments"), g)), 6)
        self.assertEqual(self.items(rel(pair.rel_id, "/commitments?state=open"), g), [])
        self.assertEqual(len(self.items(rel(pair.rel_id, "/goals"), g)), 2)
        self.assertEqual(len(self.items(rel(pair.rel_id, "/feedback"), g)), 4)
        self.assertEqual(len(self.items(rel(pair.rel_id, "/requests"), g)), 2)
        # Notes: two readable by each party, three in all.
        self.assertEqual(len(self.items(rel(pair.rel_id, "/notes"), g)), 2)
        self.assertEqual(len(self.items(rel(pair.rel_id, "/notes"), self.l)), 2)


if __name__ == "__main__":
    unittest.main()
