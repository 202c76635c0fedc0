"""test_feedback360.py: 360-degree feedback, black-box.

POST /api/v1/feedback360 {program_id, purpose, deadline, self, raters:
[{person_id, circle_id?, group?}], outside: [{email, group}]} asks members
(the requester's guide is always "guide"; members of the requester's
circles picked with circle_id are "peers") and outside raters by e-mail:
each is mailed a one-time link the requester never sees (the mails are
read from a real SMTP server, smtp_sink.py). Members find what they were
asked at /api/v1/rater/feedback360, outside raters post the link's token
to /api/v1/feedback360-link. The report
(/feedback360/{id}/report) exists once the request closed; per group only
with at least k raters, small groups merged into "others", complementary
suppression as in program health; the guide's answers apart only when
signed; open answers unnamed in a random order; gaps per item; the
practices of the lowest items. Anonymity: every way the API offers is
tried (small groups, deadline changes, re-requests to subsets, outside
raters at the requester's own addresses, the timing of views and
results).
"""

import datetime as dt
import os
import re
import urllib.parse

from flows import API, FlowTestCase, shift
from harness import PG_BASE
from smtp_sink import SinkServerMixin

F = f"{API}/feedback360"
R = f"{API}/rater/feedback360"
LINK = f"{API}/feedback360-link"
FEWER = {"suppressed": True, "reason": "fewer than k"}
COMPLEMENTARY = {"suppressed": True, "reason": "complementary"}
CODES = ["REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2"]
SELF = [4, 4, 5, 5, 4, 3, 4]


def group(report, name):
    for g in report["groups"]:
        if g["group"] == name:
            return g
    return None


def means(g):
    return [x.get("mean", x) if "mean" in x else {k: x[k] for k in ("suppressed", "reason")}
            for x in g["items"]]


class Feedback360Base(SinkServerMixin, FlowTestCase):
    """A server whose sender delivers to cls.sink (outside raters' mail)."""

    def setUp(self):
        super().setUp()
        self.set_clock("2026-03-01T09:00:00Z")

    def outside_address(self, name="rater"):
        return f"{name}.{self.server.next_id()}@outside.example"

    def mailed_link(self, email):
        """The one mail to email: (the mail, the link, its token)."""
        [mail] = self.sink.wait_for(email)
        text = mail.part("text/plain")
        links = [u for u in re.findall(r"https?://\S+", text) if "/#/rate/" in u]
        self.assertEqual(len(links), 1, text)
        self.assertIn(f'href="{links[0]}"', mail.part("text/html"))
        frag = urllib.parse.urlsplit(links[0]).fragment
        self.assertTrue(frag.startswith("/rate/"), links[0])
        return mail, links[0], frag[len("/rate/"):]

    def team(self, peers=4):
        """An active pair and `peers` more learners of its program."""
        program_id = self.program(settings={"k_anonymity": 3})
        pair = self.active_relationship(program_id=program_id)
        others = []
        for i in range(peers):
            p = self.person(f"Peer {i + 1}")
            self.enroll(pair.program_id, p, "learner")
            others.append(p)
        return pair, others

    def ask(self, who, program_id, raters, outside=(), days=14, status=201, self_=SELF):
        """raters: (person, group or None[, circle_id]); outside: (email, group)."""
        body = {"program_id": program_id, "purpose": "How do I come across in our work?",
                "deadline": self.at(days=days), "self": self_,
                "raters": [{"person_id": r[0].id, **({"group": r[1]} if r[1] else {}),
                            **({"circle_id": r[2]} if len(r) > 2 else {})} for r in raters],
                "outside": [{"email": m, "group": g} for m, g in outside]}
        r = self.post(F, body, who)
        if status != 201:
            return r
        return self.ok(r, 201)

    def answer(self, who, rid, ratings, keep="", change="", sign=False):
        body = {"ratings": ratings, "keep": keep, "change": change}
        if sign:
            body["sign"] = True
        return self.ok(self.post(f"{R}/{rid}/answer", body, who))

    def link_answer(self, token, ratings, keep="", change=""):
        return self.ok(self.post(f"{LINK}/answer", {"token": token, "ratings": ratings,
                                                     "keep": keep, "change": change}))

    def run_jobs(self):
        self.sign_in(self.admin)
        self.ok(self.post(f"{API}/dev/jobs", {}, self.admin))

    def report(self, who, rid):
        return self.ok(self.get(f"{F}/{rid}/report", who))


class Feedback360Story(Feedback360Base):
    def test_a_learner_asks_raters_answer_and_the_report_is_k_anonymous(self):
        pair, peers = self.team(4)
        me, guide = pair.learner, pair.guide
        colleague = self.outside_address("colleague")
        req = self.ask(me, pair.program_id,
                       [(guide, None)] + [(p, "peers") for p in peers],
                       outside=[(colleague, "colleagues")])
        rid = req["id"]
        self.assertEqual(req["state"], "open")
        self.assertEqual(req["raters_asked"], 6)
        self.assertEqual([r["group"] for r in req["raters"]],
                         ["guide", "peers", "peers", "peers", "peers", "colleagues"])
        self.assertNotIn("state", req["raters"][0])
        self.assertEqual(req["mailed"], [{"email": colleague, "group": "colleagues"}])
        _, _, token = self.mailed_link(colleague)

        # every rater is told who asks and why
        asks = self.ok(self.get(R, peers[0]))["items"]
        self.assertEqual([(a["id"], a["requester"], a["purpose"]) for a in asks],
                         [(rid, me.name, "How do I come across in our work?")])
        self.assertFalse(self.ok(self.get(f"{R}/{rid}", peers[0]))["may_sign"])
        self.assertTrue(self.ok(self.get(f"{R}/{rid}", guide))["may_sign"])
        outside = self.ok(self.post(LINK, {"token": token}))
        self.assertEqual((outside["requester"], outside["group"]), (me.name, "colleagues"))

        self.answer(guide, rid, [5, 5, 5, 5, 5, 5, 5], "Your preparation", "Ask more", sign=True)
        self.answer(peers[0], rid, [4, 3, 4, 5, 4, 2, 3], "Keep-A", "Change-A")
        self.answer(peers[1], rid, [5, 3, 4, 4, 4, 2, None], "Keep-B", "Change-B")
        self.answer(peers[2], rid, [3, 3, 5, 5, 4, 3, 3], "Keep-C", "Change-C")
        self.ok(self.post(f"{R}/{rid}/decline", {}, peers[3]))
        self.link_answer(token, [2, 2, 2, 2, 2, 2, 2], "Keep-X", "Change-X")

        # a rater answers once; a decline is final
        self.assertProblem(self.post(f"{R}/{rid}/answer", {"ratings": [1] * 7}, peers[0]),
                           409, "answered")
        self.assertProblem(self.post(f"{R}/{rid}/answer", {"ratings": [1] * 7}, peers[3]),
                           409, "declined")
        self.assertProblem(self.post(f"{LINK}/answer", {"token": token, "ratings": [1] * 7}),
                           409, "answered")
        # only the guide signs
        self.assertProblem(self.get(f"{F}/{rid}/report", me), 409, "not_closed")

        self.advance(days=15)
        self.run_jobs()
        self.sign_in(me)
        rep = self.report(me, rid)
        self.assertEqual(rep["k"], 3)
        # the guide's signed answers, apart and named
        self.assertEqual(rep["signed"], [{"group": "guide", "person_id": guide.id,
                                          "name": guide.name, "ratings": [5] * 7,
                                          "keep": "Your preparation", "change": "Ask more"}])
        # every unsigned rater: 3 members and 1 outside rater; units are members
        all_ = group(rep, "all")
        self.assertEqual(all_["answers"], 4)
        # EMP2: one peer could not say, so two members rated it: hidden
        self.assertEqual(means(all_), [3.5, 2.75, 3.75, 4.0, 3.5, 2.25, FEWER])
        # the one outside colleague is merged into others, which rests on
        # fewer than k: hidden; peers then hidden as its complement
        self.assertEqual(group(rep, "colleagues")["merged_into"], "others")
        self.assertEqual(means(group(rep, "others")), [FEWER] * 7)
        self.assertEqual(means(group(rep, "peers")), [COMPLEMENTARY] * 6 + [FEWER])
        self.assertNotIn("answers", group(rep, "peers"))
        # gaps: self minus every rater, per item shown
        self.assertEqual([(g["code"], g["gap"]) for g in rep["gaps"]],
                         [("REL1", 0.5), ("REL2", 1.25), ("INT1", 1.25), ("INT2", 1.0),
                          ("COM1", 0.5), ("EMP1", 0.75)])
        # open answers: four each, no names, any order
        self.assertEqual(sorted(rep["open_answers"]["keep"]),
                         ["Keep-A", "Keep-B", "Keep-C", "Keep-X"])
        self.assertEqual(sorted(rep["open_answers"]["change"]),
                         ["Change-A", "Change-B", "Change-C", "Change-X"])
        # the reflection: the two lowest items' practices, lowest first
        self.assertEqual([(x["code"], x["practice"]["slug"]) for x in rep["reflection"]],
                         [("EMP1", "ask-for-feedback"), ("REL2", "reply-within-window")])
        self.assertGreaterEqual(len(rep["reflection"][0]["practice"]["questions"]), 2)
        text = str(rep)
        for p in peers:
            self.assertNotIn(p.name, text)

    def test_sharing_with_the_guide_is_an_event_and_withdrawable(self):
        pair, peers = self.team(3)
        me, guide = pair.learner, pair.guide
        rid = self.ask(me, pair.program_id, [(p, None) for p in peers])["id"]
        for i, p in enumerate(peers):
            self.answer(p, rid, [3 + i % 2] * 7, f"keep {i}", f"change {i}")
        self.assertProblem(self.put(f"{F}/{rid}/share", {"relationship_id": pair.rel_id}, me),
                           409, "not_closed")
        closed = self.ok(self.post(f"{F}/{rid}/close", {}, me))
        self.assertEqual(closed["state"], "closed")
        self.assertProblem(self.get(f"{F}/{rid}/report", guide), 404)
        shared = self.ok(self.put(f"{F}/{rid}/share", {"relationship_id": pair.rel_id}, me))
        self.assertEqual(shared["shared_with"], guide.name)
        rep = self.report(guide, rid)
        self.assertEqual(group(rep, "peers")["answers"], 3)
        kinds = [e["kind"] for e in self.events(pair.rel_id, me)]
        self.assertIn("feedback360_shared", kinds)
        # an administrator does not learn of it: not even that a report exists
        kinds = [e["kind"] for e in self.events(pair.rel_id, self.admin)]
        self.assertNotIn("feedback360_shared", kinds)
        # the guide's reading is in the requester's access log
        log = self.ok(self.get(f"{API}/me/access-log", me))["items"]
        self.assertIn(f"{guide.name} read your 360 feedback.", [x["sentence"] for x in log])
        # the requester's export holds the request and its report; a rater's, nothing of it
        self.ok(self.confirm(me))
        ex = self.ok(self.get(f"{API}/me/export", me))["feedback360"]
        self.assertEqual([(x["id"], x["purpose"]) for x in ex],
                         [(rid, "How do I come across in our work?")])
        self.assertEqual(sorted(ex[0]["report"]["open_answers"]["keep"]),
                         ["keep 0", "keep 1", "keep 2"])
        self.ok(self.confirm(peers[0]))
        self.assertEqual(self.ok(self.get(f"{API}/me/export", peers[0]))["feedback360"], [])
        self.ok(self.delete(f"{F}/{rid}/share", me))
        self.assertProblem(self.get(f"{F}/{rid}/report", guide), 404)
        kinds = [e["kind"] for e in self.events(pair.rel_id, me)]
        self.assertIn("feedback360_unshared", kinds)
        # the learner cannot share with someone who is not their guide
        other = self.active_relationship()
        self.assertProblem(self.put(f"{F}/{rid}/share", {"relationship_id": other.rel_id}, me),
                           404)

    def test_nobody_else_sees_a_request_and_admins_see_k_anonymous_counts(self):
        pair, peers = self.team(3)
        me = pair.learner
        rid = self.ask(me, pair.program_id, [(p, None) for p in peers])["id"]
        stranger = self.person("Stranger")
        for who in (self.admin, pair.guide, stranger, peers[0]):
            self.assertProblem(self.get(f"{F}/{rid}", who), 404)
            self.assertProblem(self.get(f"{F}/{rid}/report", who), 404)
        self.assertProblem(self.get(f"{R}/{rid}", stranger), 404)
        self.assertProblem(self.post(f"{LINK}", {"token": "x" * 43}), 404)
        counts = self.ok(self.get(f"{API}/programs/{pair.program_id}/feedback360", self.admin))
        self.assertEqual((counts["requests"], counts["completed"]), (FEWER, FEWER))
        for p in peers[:2]:
            rid2 = self.ask(p, pair.program_id,
                            [(q, None) for q in peers if q is not p] + [(me, None)])["id"]
            self.ok(self.post(f"{F}/{rid2}/close", {}, p))
        counts = self.ok(self.get(f"{API}/programs/{pair.program_id}/feedback360", self.admin))
        # three requests, two completed (fewer than k)
        self.assertEqual((counts["requests"], counts["completed"]), (3, FEWER))
        self.assertProblem(self.get(f"{API}/programs/{pair.program_id}/feedback360", me), 403)

    def test_bad_requests_change_nothing(self):
        pair, peers = self.team(3)
        me = pair.learner
        outsider = self.person("Not in program")
        with self.unchanged():
            self.assertProblem(self.ask(me, pair.program_id, [(peers[0], None)], status=422),
                               422, pointer="/raters")
            self.assertProblem(self.ask(me, pair.program_id, [(p, None) for p in peers],
                                        days=0, status=422), 422, pointer="/deadline")
            self.assertProblem(self.ask(me, pair.program_id, [(p, None) for p in peers],
                                        self_=[None] * 7, status=422), 422, pointer="/ratings")
            self.assertProblem(self.ask(me, pair.program_id,
                                        [(p, "guide") for p in peers], status=422),
                               422, pointer="/raters/0/group")
            self.assertProblem(self.ask(me, pair.program_id,
                                        [(p, None) for p in peers] + [(outsider, None)],
                                        status=422), 422, pointer="/raters/3/person_id")


    def test_raters_may_be_named_by_e_mail(self):
        pair, peers = self.team(3)
        me = pair.learner
        body = {"program_id": pair.program_id, "purpose": "By e-mail",
                "deadline": self.at(days=7), "self": SELF,
                "raters": [{"email": p.email, "group": "colleagues"} for p in peers]}
        req = self.ok(self.post(F, body, me), 201)
        self.assertEqual([(r["person_id"], r["group"]) for r in req["raters"]],
                         [(p.id, "colleagues") for p in peers])
        stranger = self.person("Elsewhere")
        body["raters"] = [{"email": "nobody@rapport.test"}, {"email": stranger.email},
                          {"email": pair.guide.email}]
        with self.unchanged():
            self.assertProblem(self.post(F, body, me), 422, pointer="/raters/0/email")


class Feedback360Anonymity(Feedback360Base):
    """A requester cannot learn who answered or declined, nor the answers
    of any group under three, by any route, combination, or timing."""

    def view(self, who, rid):
        v = self.ok(self.get(f"{F}/{rid}", who))
        return v

    def test_the_requesters_view_does_not_change_when_raters_answer_or_decline(self):
        pair, peers = self.team(4)
        me = pair.learner
        other = self.outside_address()
        req = self.ask(me, pair.program_id, [(p, None) for p in peers], outside=[(other, "others")])
        rid = req["id"]
        before = self.view(me, rid)
        listing = self.ok(self.get(F, me))
        self.answer(peers[0], rid, [1] * 7, "k", "c")
        self.assertEqual(self.view(me, rid), before)
        self.ok(self.post(f"{R}/{rid}/decline", {}, peers[1]))
        self.assertEqual(self.view(me, rid), before)
        self.link_answer(self.mailed_link(other)[2], [2] * 7)
        self.assertEqual(self.view(me, rid), before)
        self.assertEqual(self.ok(self.get(F, me)), listing)
        # no report, nor any count, until the request closes
        self.assertProblem(self.get(f"{F}/{rid}/report", me), 409, "not_closed")

    def test_small_groups_show_nothing(self):
        pair, peers = self.team(3)
        me = pair.learner
        rid = self.ask(me, pair.program_id, [(p, None) for p in peers])["id"]
        self.answer(peers[0], rid, [1] * 7, "only one", "alone")
        self.answer(peers[1], rid, [5] * 7, "second", "two")
        self.ok(self.post(f"{R}/{rid}/decline", {}, peers[2]))
        self.ok(self.post(f"{F}/{rid}/close", {}, me))
        rep = self.report(me, rid)
        self.assertEqual(means(group(rep, "all")), [FEWER] * 7)
        self.assertNotIn("answers", group(rep, "all"))
        self.assertEqual(group(rep, "peers")["merged_into"], "others")
        self.assertEqual(rep["open_answers"], FEWER)
        self.assertEqual(rep["gaps"], [])
        self.assertNotIn("only one", str(rep))
        # the reflection falls back on the self-assessment
        self.assertEqual([x["code"] for x in rep["reflection"]], ["EMP1"])

    def test_an_unsigned_guide_is_not_shown_as_the_guide(self):
        pair, peers = self.team(3)
        me, guide = pair.learner, pair.guide
        rid = self.ask(me, pair.program_id, [(guide, None)] + [(p, None) for p in peers])["id"]
        self.answer(guide, rid, [1] * 7, "guide keep", "guide change")
        for p in peers:
            self.answer(p, rid, [4] * 7)
        self.ok(self.post(f"{F}/{rid}/close", {}, me))
        rep = self.report(me, rid)
        self.assertEqual(rep["signed"], [])
        self.assertEqual(group(rep, "guide")["merged_into"], "others")
        self.assertEqual(means(group(rep, "others")), [FEWER] * 7)
        self.assertEqual(means(group(rep, "peers")), [COMPLEMENTARY] * 7)
        self.assertEqual(means(group(rep, "all")), [3.25] * 7)

    def test_outside_raters_the_requester_answers_never_uncover_a_member(self):
        pair, peers = self.team(1)
        me = pair.learner
        mine = [self.outside_address("my.other.address") for _ in range(2)]
        req = self.ask(me, pair.program_id, [(peers[0], None)],
                       outside=[(m, "peers") for m in mine])
        rid = req["id"]
        for m in mine:  # the requester answers at addresses of their own
            self.link_answer(self.mailed_link(m)[2], [3] * 7)
        self.answer(peers[0], rid, [1, 2, 3, 4, 5, 1, 2], "member text", "member change")
        self.ok(self.post(f"{F}/{rid}/close", {}, me))
        rep = self.report(me, rid)
        self.assertEqual(means(group(rep, "all")), [FEWER] * 7)
        self.assertEqual(means(group(rep, "peers")), [FEWER] * 7)
        self.assertEqual(rep["open_answers"], FEWER)
        self.assertNotIn("member text", str(rep))

    def test_deadline_changes_cannot_reopen_or_recompute(self):
        pair, peers = self.team(4)
        me = pair.learner
        rid = self.ask(me, pair.program_id, [(p, None) for p in peers])["id"]
        for p in peers[:3]:
            self.answer(p, rid, [4] * 7)
        # a deadline today or in the past is refused: no closing at a chosen instant
        self.assertProblem(self.post(f"{F}/{rid}/deadline", {"deadline": self.at(hours=1)}, me),
                           422, pointer="/deadline")
        v = self.ok(self.post(f"{F}/{rid}/deadline", {"deadline": self.at(days=20)}, me))
        self.assertEqual(v["deadline"], self.at(days=20))
        self.advance(days=21)
        self.sign_in(me)
        self.run_jobs()
        first = self.report(me, rid)
        self.assertEqual(group(first, "peers")["answers"], 3)
        # closed for good: no new deadline, no answer from the fourth peer
        self.assertProblem(self.post(f"{F}/{rid}/deadline", {"deadline": self.at(days=5)}, me),
                           409, "closed")
        self.assertProblem(self.post(f"{F}/{rid}/close", {}, me), 409, "closed")
        self.sign_in(peers[3])
        self.assertProblem(self.post(f"{R}/{rid}/answer", {"ratings": [1] * 7}, peers[3]),
                           409, "closed")
        again = self.report(me, rid)
        self.assertEqual({k: v for k, v in again.items() if k != "open_answers"},
                         {k: v for k, v in first.items() if k != "open_answers"})
        # the answers are gone from the database once the report is built
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM f360_answers WHERE request_id = ?",
                                           rid)[0][0], 0)
        states = {r[0] for r in self.server.query(
            "SELECT state FROM f360_raters WHERE request_id = ?", rid)}
        self.assertEqual(states, {"done"})

    def test_re_requests_to_subsets_are_refused(self):
        pair, peers = self.team(4)
        me = pair.learner
        rid = self.ask(me, pair.program_id, [(p, None) for p in peers])["id"]
        for p in peers:
            self.answer(p, rid, [4] * 7)
        self.ok(self.post(f"{F}/{rid}/close", {}, me))
        # the same raters minus one, again: refused, for any of them
        r = self.ask(me, pair.program_id, [(p, None) for p in peers[:3]], status=409)
        self.assertProblem(r, 409, "rater_recent")
        r = self.ask(me, pair.program_id, [(peers[0], "colleagues")],
                     outside=[(self.outside_address(), "others") for _ in range(2)], status=409)
        self.assertProblem(r, 409, "rater_recent")
        # a year later the same people may be asked again
        self.advance(days=366)
        self.sign_in(me)
        self.ask(me, pair.program_id, [(p, None) for p in peers[:3]])

    def test_no_other_route_or_export_tells_who_answered(self):
        pair, peers = self.team(3)
        me = pair.learner
        rid = self.ask(me, pair.program_id, [(p, None) for p in peers])["id"]
        self.ok(self.get(f"{R}/{rid}", peers[0]))
        self.ok(self.get(R, peers[1]))
        self.answer(peers[0], rid, [2] * 7, "marker-secret-answer", "x")
        self.ok(self.post(f"{R}/{rid}/decline", {}, peers[1]))
        export = self.get(f"{API}/me/export", me)
        if export.status == 403:  # the export needs the password re-check
            self.ok(self.confirm(me))
            export = self.get(f"{API}/me/export", me)
        self.assertNotIn("marker-secret-answer", export.body.decode() if isinstance(
            export.body, bytes) else str(export.json))
        self.assertNotIn("answered", str(self.ok(self.get(F, me))))
        # raters reading the request leave no trace the requester can see
        log = self.ok(self.get(f"{API}/me/access-log", me))
        self.assertEqual(log["items"], [])


class Feedback360OutsideByMail(Feedback360Base):
    """Outside raters are mailed their one-time link: the requester never
    holds it, the mail says who asks and why in fixed words, and only the
    token's keyed hash is stored."""

    def test_the_mailed_link_is_followed_and_answered(self):
        pair, peers = self.team(3)
        me = pair.learner
        email = self.outside_address("Outside.Colleague")
        purpose = "MARKER-PURPOSE: how do I come across when I chair the meeting?"
        body = {"program_id": pair.program_id, "purpose": purpose, "deadline": self.at(days=10),
                "self": SELF, "raters": [{"person_id": p.id} for p in peers],
                "outside": [{"email": email, "group": "colleagues"}]}
        r = self.post(F, body, me)
        req = self.ok(r, 201)
        rid = req["id"]
        # the answer carries no link or token: nothing the requester could follow
        raw = r.body.decode() if isinstance(r.body, bytes) else str(r.json)
        self.assertNotIn("/rate/", raw)
        self.assertNotIn("token", raw)
        self.assertEqual(req["raters"][-1], {"person_id": None, "name": None,
                                             "group": "colleagues", "outside": True})
        self.assertNotIn("mailed", self.ok(self.get(f"{F}/{rid}", me)))
        # the mail: written in the request's transaction, to the address as typed
        [(kind, person)] = self.server.query(
            "SELECT kind, person_id FROM outbox WHERE to_email = ?", email)
        self.assertEqual((kind, person), ("feedback360_request", None))
        mail, link, token = self.mailed_link(email)
        self.assertEqual(str(mail.msg["Subject"]), f"{me.name} asks for your feedback")
        self.assertTrue(link.startswith(self.server.base + "/#/rate/"), link)
        text = mail.part("text/plain")
        self.assertIn(f"{me.name} asks you for feedback through Rapport", text)
        self.assertIn("anonymous", text)
        self.assertIn("2026-03-11", text)  # the deadline
        for part in (text, mail.part("text/html"), str(mail.msg["Subject"])):
            self.assertNotIn("MARKER-PURPOSE", part)
        self.assertIsNone(mail.msg["List-Unsubscribe"])
        # only the token's keyed hash is stored; the token nowhere in plain
        [(h,)] = self.server.query("SELECT token_hash FROM f360_raters WHERE request_id = ?"
                                   " AND person_id IS NULL", rid)
        self.assertEqual(len(bytes(h)), 32)
        self.assertNotIn(token.encode(), bytes(h))
        if not PG_BASE:
            for path in (self.server.db, self.server.db + "-wal"):
                if os.path.exists(path):
                    with open(path, "rb") as f:
                        self.assertNotIn(token.encode(), f.read(), path)
        # the page of the link loads; the link tells who asks and why
        self.assertEqual(self.server.request("GET", "/").status, 200)
        ask = self.ok(self.post(LINK, {"token": token}))
        self.assertEqual((ask["requester"], ask["purpose"], ask["group"], ask["state"]),
                         (me.name, purpose, "colleagues", "invited"))
        self.link_answer(token, [3] * 7, "Outside keep", "Outside change")
        self.assertProblem(self.post(f"{LINK}/answer", {"token": token, "ratings": [1] * 7}),
                           409, "answered")
        for i, p in enumerate(peers):
            self.answer(p, rid, [4] * 7, f"keep {i}", f"change {i}")
        self.ok(self.post(f"{F}/{rid}/close", {}, me))
        rep = self.report(me, rid)
        self.assertEqual(group(rep, "all")["answers"], 4)
        self.assertIn("Outside keep", rep["open_answers"]["keep"])
        # a closed request's link says so
        self.assertProblem(self.post(f"{LINK}/answer", {"token": token, "ratings": [1] * 7}),
                           409)

    def test_hand_over_links_are_gone_and_bad_addresses_change_nothing(self):
        pair, peers = self.team(3)
        me = pair.learner
        base = {"program_id": pair.program_id, "purpose": "Why", "deadline": self.at(days=7),
                "self": SELF, "raters": [{"person_id": p.id} for p in peers]}
        addr = self.outside_address()
        bad = [({"links": [{"group": "colleagues"}]}, "/links"),
               ({"outside": [{"email": "not an address"}]}, "/outside/0/email"),
               ({"outside": [{"group": "peers"}]}, "/outside/0/email"),
               ({"outside": [{"email": me.email.upper()}]}, "/outside/0/email"),
               ({"outside": [{"email": addr}, {"email": addr.upper()}]}, "/outside/1/email"),
               ({"outside": [{"email": addr, "group": "guide"}]}, "/outside/0/group")]
        for extra, pointer in bad:
            with self.subTest(pointer=pointer), self.unchanged():
                self.assertProblem(self.post(F, dict(base, **extra), me), 422, pointer=pointer)
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM outbox WHERE to_email = ?"
                                           " OR to_email = ?", addr, addr.upper()), [(0,)])

    def test_an_address_is_asked_once_a_year_also_a_members(self):
        pair, peers = self.team(3)
        me = pair.learner
        addr = self.outside_address()
        rid = self.ask(me, pair.program_id, [(p, None) for p in peers[:2]],
                       outside=[(addr, "others")])["id"]
        self.ok(self.post(f"{F}/{rid}/close", {}, me))
        again = self.ask(me, pair.program_id, [(peers[2], None)],
                         outside=[(addr.upper(), "others"), (self.outside_address(), "others")],
                         status=409)
        self.assertProblem(again, 409, "rater_recent")
        # a member asked before cannot come back as an outside rater by address
        r = self.ask(me, pair.program_id, [(peers[2], None)],
                     outside=[(peers[0].email, "others"), (self.outside_address(), "others")],
                     status=409)
        self.assertProblem(r, 409, "rater_recent")
        self.assertEqual(len(self.sink.wait_for(addr)), 1)
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM outbox WHERE lower(to_email) = ?",
                                           addr.lower()), [(1,)])


class Feedback360CirclePeers(Feedback360Base):
    """Raters picked from the requester's circles are "peers", under the
    same rules: only members of a circle the requester is in, k-anonymous."""

    def circle(self, program_id, members):
        cid = self.ok(self.post(f"{API}/circles", {"program_id": program_id, "name": "Peers",
                                                   "member_ids": [m.id for m in members]},
                                self.admin), 201)["id"]
        for m in members:
            self.ok(self.post(f"{API}/circles/{cid}/accept", {}, m))
        return cid

    def test_circle_peers_are_peers_and_only_the_requesters_circle_members(self):
        pair, people = self.team(6)
        me = pair.learner
        circle_peers, outsider = people[:4], people[4]
        cid = self.circle(pair.program_id, [me] + circle_peers)
        other_cid = self.circle(pair.program_id, [outsider] + people[1:3])
        # a program member outside the requester's circles cannot be picked this way
        with self.unchanged():
            r = self.ask(me, pair.program_id,
                         [(p, None, cid) for p in circle_peers[:2]] + [(outsider, None, cid)],
                         status=422)
            self.assertProblem(r, 422, pointer="/raters/2/circle_id")
            # nor through a circle the requester is not in
            r = self.ask(me, pair.program_id, [(people[1], None, other_cid)] +
                         [(p, None, cid) for p in circle_peers[2:]], status=422)
            self.assertProblem(r, 422, pointer="/raters/0/circle_id")
            # nor through a circle that does not exist (the same answer)
            r = self.ask(me, pair.program_id, [(people[1], None, 999999)] +
                         [(p, None, cid) for p in circle_peers[2:]], status=422)
            self.assertProblem(r, 422, pointer="/raters/0/circle_id")
            # a circle peer is a peer
            r = self.ask(me, pair.program_id, [(circle_peers[0], "colleagues", cid)] +
                         [(p, None, cid) for p in circle_peers[1:]], status=422)
            self.assertProblem(r, 422, pointer="/raters/0/group")
        # after leaving the circle, a person cannot be picked from it
        self.ok(self.post(f"{API}/circles/{cid}/leave", {}, circle_peers[3]))
        r = self.ask(me, pair.program_id, [(p, None, cid) for p in circle_peers], status=422)
        self.assertProblem(r, 422, pointer="/raters/3/circle_id")
        req = self.ask(me, pair.program_id, [(p, None, cid) for p in circle_peers[:3]])
        self.assertEqual([(r["person_id"], r["group"]) for r in req["raters"]],
                         [(p.id, "peers") for p in circle_peers[:3]])
        # the same anonymity: two answers of three show nothing
        rid = req["id"]
        self.answer(circle_peers[0], rid, [1] * 7, "alone", "alone")
        self.answer(circle_peers[1], rid, [5] * 7, "second", "second")
        self.ok(self.post(f"{F}/{rid}/close", {}, me))
        rep = self.report(me, rid)
        self.assertEqual(means(group(rep, "all")), [FEWER] * 7)
        self.assertEqual(group(rep, "peers")["merged_into"], "others")
        self.assertEqual(rep["open_answers"], FEWER)
        self.assertNotIn("alone", str(rep))
        # and the re-rating rule holds for circle peers too
        r = self.ask(me, pair.program_id, [(p, None, cid) for p in circle_peers[:3]], status=409)
        self.assertProblem(r, 409, "rater_recent")

    def test_three_circle_peers_who_answer_are_shown_as_peers(self):
        pair, people = self.team(3)
        me = pair.learner
        cid = self.circle(pair.program_id, [me] + people)
        rid = self.ask(me, pair.program_id, [(p, None, cid) for p in people])["id"]
        for i, p in enumerate(people):
            self.answer(p, rid, [3 + i % 2] * 7, f"k{i}", f"c{i}")
        self.ok(self.post(f"{F}/{rid}/close", {}, me))
        rep = self.report(me, rid)
        self.assertEqual(group(rep, "peers")["answers"], 3)
        self.assertEqual(means(group(rep, "peers")), [3.33] * 7)
        self.assertEqual(sorted(rep["open_answers"]["keep"]), ["k0", "k1", "k2"])
