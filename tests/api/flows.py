"""flows.py: helpers the story and area tests share, on top of harness.py.

FlowTestCase adds to ApiTestCase what the activity areas need:

- relationships whose history starts in the past (history_pair), so that
  check-ins, commitments and the rest can be entered with `at`;
- the people who must not see a relationship's content (outsiders: the
  site admin, an admin of the program, a guide of another program);
- one short method per write of each area, asserting its status;
- assertRefused (a problem with status, code and exact pointers, and the
  database unchanged), assertPages (limit/after/next over a list) and
  EventLog (the events a story expects, compared with /events);
- gas_t, the Goal Attainment Scaling T score computed independently of
  the server.

Times: `at` values are RFC 3339 strings; T("2026-01-05T09:00:00Z") parses,
ts(datetime) formats, shift(s, hours=2) moves a string.
"""

import datetime as dt
import math

from harness import ApiTestCase, Pair, fmt_time, parse_time

API = "/api/v1"

# The GAS intercorrelation of TRUST-MODEL.md 3.5.
GAS_RHO = 0.3


def T(s):
    """A datetime from an RFC 3339 string."""
    return parse_time(s)


def ts(t):
    """An RFC 3339 string (UTC, Z) from a datetime or a string."""
    return fmt_time(T(t) if isinstance(t, str) else t)


def shift(s, **delta):
    """The RFC 3339 time `delta` (timedelta keywords) after s."""
    return ts(T(s) + dt.timedelta(**delta))


def hours_between(a, b):
    """Hours from a to b (RFC 3339 strings), as the API's float."""
    return (T(b) - T(a)).total_seconds() / 3600.0


def gas_t(weighted_levels, rho=GAS_RHO):
    """The GAS T score of [(weight, level), ...]:
    T = 50 + 10 * sum(w x) / sqrt((1 - rho) sum(w^2) + rho (sum w)^2)."""
    wx = sum(w * x for w, x in weighted_levels)
    w2 = sum(w * w for w, _ in weighted_levels)
    w1 = sum(w for w, _ in weighted_levels)
    return 50.0 + 10.0 * wx / math.sqrt((1.0 - rho) * w2 + rho * w1 * w1)


def rel(rel_id, tail=""):
    return f"{API}/relationships/{rel_id}{tail}"


AGREEMENT = {
    "purpose": "Grow into leading the team's planning.",
    "cadence_days": 7,
    "channels": ["video call", "chat"],
    "reply_window_hours": 48,
    "confidentiality": "What we say stays between us, unless someone is at risk.",
    "boundaries": "No calls at weekends.",
    "feedback_preferences": "Direct, in writing first.",
    "ends_on": "2026-12-31",
}


class EventLog:
    """The events a story expects, in the order the server records them.
    Each entry: (kind, actor_id, at, subject_id, from, to)."""

    def __init__(self):
        self.items = []

    def add(self, kind, actor, at, subject=None, frm=None, to=None):
        self.items.append((kind, actor, ts(at), subject, frm, to))

    @staticmethod
    def of(events):
        """The same tuples from /events items (subject_id as given)."""
        return [(e["kind"], e["actor_id"], e["at"], e["subject_id"], e.get("from"), e.get("to"))
                for e in events]


class FlowTestCase(ApiTestCase):
    """ApiTestCase with the helpers of the activity areas (see the module
    docstring). Derive test classes from it."""

    # ---- relationships ----

    def program_at(self, kind="coaching", at=None, settings=None, name=None):
        """A program created by the site admin, dated `at` (now if None)."""
        body = {"name": name or f"Program {self.server.next_id()}", "kind": kind}
        if settings is not None:
            body["settings"] = settings
        if at is not None:
            body["at"] = at
        return self.ok(self.post(f"{API}/programs", body, self.admin), 201)["id"]

    def history_pair(self, kind="coaching", days=60, settings=None, active=True):
        """A pair whose program was created, proposed and (when active)
        accepted by both `days` days before the clock. pair.start is the
        proposal's time (an RFC 3339 string)."""
        start = self.at(days=-days)
        pair = self.pair(kind, self.program_at(kind, start, settings))
        self.propose(pair, at=start)
        pair.start = start
        if active:
            self.ok(self.transition(pair.rel_id, pair.guide, "active", at=start))
            self.assertEqual(self.ok(self.transition(pair.rel_id, pair.learner, "active",
                                                     at=start))["state"], "active")
        return pair

    def stranger(self):
        """A guide enrolled in another program: no business here."""
        who = self.person("Stranger")
        self.enroll(self.program_at(), who, "guide")
        return who

    def program_admin(self, program_id):
        """A person (not a site admin) who administers program_id."""
        who = self.person("Program Admin")
        self.enroll(program_id, who, "admin")
        return who

    def outsiders(self, pair):
        """[(label, Person)] of everyone who must get 404 on content: the
        site admin, an admin of the program, a learner of the same program
        who is not a party, and a stranger from another program."""
        neighbour = self.person("Neighbour")
        self.enroll(pair.program_id, neighbour, "learner")
        return [("site admin", self.admin), ("program admin", self.program_admin(pair.program_id)),
                ("learner of the program", neighbour), ("stranger", self.stranger())]

    def sign_in_again(self, *people):
        """Signs people in again (after the clock moved more than 30 min)."""
        for who in people:
            self.sign_in(who)

    def move_clock(self, when, *people):
        """Sets the dev clock to `when` and, since a move of more than 30
        minutes expires every session, signs the site admin and people in
        again (harness.set_clock re-signs only when the move itself is
        refused, not on the requests after it)."""
        self.set_clock(when)
        self.sign_in_again(self.admin, *people)
        return self.now()

    def run_jobs(self):
        """POST /dev/jobs; returns its JSON. Whether the server's own job
        thread got there first is not asserted: callers check the result."""
        return self.ok(self.post(f"{API}/dev/jobs", {}, self.admin))

    # ---- writes, each asserting success ----

    def put_agreement(self, pair, who, at=None, status=201, **terms):
        body = {**AGREEMENT, **terms}
        if at is not None:
            body["at"] = at
        return self.ok(self.put(rel(pair.rel_id, "/agreement"), body, who), status)

    def acknowledge(self, pair, who, version, at=None):
        body = {"version": version}
        if at is not None:
            body["at"] = at
        return self.ok(self.post(rel(pair.rel_id, "/agreement/acknowledge"), body, who))

    def schedule(self, pair, who, scheduled_at, at=None):
        body = {"scheduled_at": scheduled_at}
        if at is not None:
            body["at"] = at
        return self.ok(self.post(rel(pair.rel_id, "/checkins"), body, who), 201)

    def checkin_outcome(self, ck_id, who, outcome, **kw):
        """kw: caused_by (a Person or id), new_scheduled_at, at."""
        body = {"outcome": outcome, **kw}
        if hasattr(body.get("caused_by"), "id"):
            body["caused_by"] = body["caused_by"].id
        return self.ok(self.post(f"{API}/checkins/{ck_id}/outcome", body, who))

    def commit(self, pair, who, owner, text, due_at, at=None):
        body = {"owner_id": getattr(owner, "id", owner), "text": text, "due_at": due_at}
        if at is not None:
            body["at"] = at
        return self.ok(self.post(rel(pair.rel_id, "/commitments"), body, who), 201)

    def commitment_outcome(self, cm_id, who, outcome, **kw):
        """kw: new_due_at, at."""
        return self.ok(self.post(f"{API}/commitments/{cm_id}/outcome", {"outcome": outcome, **kw},
                                 who))

    def add_goal(self, pair, who, title, **kw):
        return self.ok(self.post(rel(pair.rel_id, "/goals"), {"title": title, **kw}, who), 201)

    def add_milestone(self, goal_id, who, title, at=None):
        body = {"title": title}
        if at is not None:
            body["at"] = at
        return self.ok(self.post(f"{API}/goals/{goal_id}/milestones", body, who), 201)

    def review(self, pair, who, levels, at=None):
        """levels: {goal id: level}."""
        body = {"levels": {str(k): v for k, v in levels.items()}}
        if at is not None:
            body["at"] = at
        return self.ok(self.post(rel(pair.rel_id, "/goal-reviews"), body, who), 201)

    def ask(self, pair, who, text, at=None):
        body = {"text": text}
        if at is not None:
            body["at"] = at
        return self.ok(self.post(rel(pair.rel_id, "/requests"), body, who), 201)

    def reply(self, req_id, who, text, at=None):
        body = {"text": text}
        if at is not None:
            body["at"] = at
        return self.ok(self.post(f"{API}/requests/{req_id}/reply", body, who))

    def feedback(self, pair, who, kind, focus=None, text=None, at=None):
        body = {"kind": kind}
        for key, value in (("focus", focus), ("text", text), ("at", at)):
            if value is not None:
                body[key] = value
        return self.ok(self.post(rel(pair.rel_id, "/feedback"), body, who), 201)

    def note(self, pair, who, visibility, text, at=None):
        body = {"visibility": visibility, "text": text}
        if at is not None:
            body["at"] = at
        return self.ok(self.post(rel(pair.rel_id, "/notes"), body, who), 201)

    def items(self, path, who):
        """Every item of a list, following the pages."""
        out, after = [], None
        while True:
            sep = "&" if "?" in path else "?"
            page = self.ok(self.get(path + (f"{sep}after={after}" if after else ""), who))
            out += page["items"]
            after = page["next"]
            if after is None:
                return out

    # ---- assertions ----

    def unchanged_by(self, send):
        """Calls send() and asserts the database (sessions aside) is as it
        was; the failure names the tables and shows the answer(s), which
        harness.unchanged() cannot. Returns what send() returned."""
        before = self.server.snapshot()
        got = send()
        after = self.server.snapshot()
        changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
        if changed:
            self.fail("the database changed: " + ", ".join(
                f"{t} rows {before.get(t, (0,))[0]} -> {after.get(t, (0,))[0]}"
                for t in changed) + f"; the answer was {got!r}")
        return got

    def assertRefused(self, send, status, code, pointers=None, detail=None):
        """Calls send() (which makes one request) and asserts the answer is
        the problem `status`/`code`, that its 422 errors sit at exactly
        `pointers` (a list, order ignored) and that the database did not
        change. detail, when given, must be contained in the problem's
        detail (or, for 422, in the first error's). Returns the problem."""
        r = self.unchanged_by(send)
        p = self.assertProblem(r, status, code)
        if pointers is not None:
            self.assertEqual(self.pointers(r), sorted(pointers), r)
        if detail is not None:
            where = p["errors"][0]["detail"] if status == 422 else p["detail"]
            self.assertIn(detail, where, r)
        return p

    def assertAllNotFound(self, sends, detail=None):
        """Each of sends (callables making one request) is 404 not_found,
        and together they change nothing."""
        responses = self.unchanged_by(lambda: [send() for send in sends])
        for r in responses:
            p = self.assertProblem(r, 404, "not_found")
            if detail is not None:
                self.assertEqual(p["detail"], detail, r)

    def assertPages(self, path, who, ids, key="id"):
        """Walks `path` (a list route) two items at a time and asserts it
        yields exactly `ids` (the values of `key`, in order), each page
        full but the last, `next` being the cursor of the page's last
        item, and nothing after the end. Also: a bad limit is 400."""
        self.assertGreaterEqual(len(ids), 3, "paginate over at least three items")
        sep = "&" if "?" in path else "?"
        seen, after = [], None
        while True:
            page = self.ok(self.get(f"{path}{sep}limit=2" + (f"&after={after}" if after else ""),
                                    who))
            self.assertEqual(sorted(page), ["items", "next"])
            got = [item[key] for item in page["items"]]
            seen += got
            if page["next"] is None:
                self.assertLessEqual(len(got), 2)
                break
            self.assertEqual(len(got), 2, page)
            self.assertEqual(page["next"], page["items"][-1]["id"] if key == "id" else got[-1])
            after = page["next"]
        self.assertEqual(seen, ids)
        whole = self.ok(self.get(path, who))
        self.assertEqual([item[key] for item in whole["items"]], ids)
        self.assertIsNone(whole["next"])
        last = whole["items"][-1]["id"] if key == "id" else ids[-1]
        tail = self.ok(self.get(f"{path}{sep}after={last}", who))
        self.assertEqual(tail, {"items": [], "next": None})
        for bad in ("limit=0", "limit=101", "after=-1", "limit=x"):
            self.assertProblem(self.get(f"{path}{sep}{bad}", who), 400, "bad_query")


__all__ = ["API", "AGREEMENT", "EventLog", "FlowTestCase", "Pair", "T", "gas_t", "hours_between",
           "rel", "shift", "ts"]
