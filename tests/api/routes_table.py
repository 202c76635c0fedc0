"""routes_table.py: the server's routes, read from its source, and a
relationship "world" to call them against.

The proof tests (test_admin_sees_no_text.py, test_idor.py) are driven by
the route tables of src/http/*.c, parsed at test time, so a route added
later is either covered by them or makes them fail as unclassified:

    for route in routes():          # Route(method, pattern, file, line, access)
        ...

Every route must have an entry in CLASSES (method, pattern) -> (class,
why). The classes:

    content  reads or writes a relationship's confidential text (or rows
             only its parties may see): every outsider gets 404
    meta     metadata an admin may see (relationships, programs, events,
             health): never confidential text
    self     the caller's own account (me, sessions, export, access log)
    public   no session needed (sign-in, invitations, the API root, the
             web client's files)
    library  the same for everyone (the practice library)
    dev      --dev and bench only: skipped by the proof tests

World.build() writes a marker-carrying text through every kind of
confidential content of one relationship and keeps the ids, so that
World.fill(pattern) can put a real id into every {id}.
"""

import os
import re
from collections import namedtuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
HTTP_SRC = os.path.join(REPO, "src", "http")

# access: the entry's http_access (HTTP_PUBLIC, HTTP_SIGNED_IN,
# HTTP_OPENS_TEXT, ...), or "" when the parser could not read it.
Route = namedtuple("Route", "method pattern file line access")

_ENTRY = re.compile(r'\{\s*"(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)"\s*,\s*"(/[^"]*)"'
                    r'(?:\s*,\s*\w+\s*,\s*(\w+))?')
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def _strip_comments(text):
    """Comments blanked out, newlines kept (so line numbers stay right)."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def routes(src=HTTP_SRC):
    """Every {"METHOD", "/path", ...} entry of the C files under src/http,
    in file and line order, without duplicates."""
    out, seen = [], set()
    for name in sorted(os.listdir(src)):
        if not name.endswith(".c"):
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f:
            text = _strip_comments(f.read())
        for m in _ENTRY.finditer(text):
            key = (m.group(1), m.group(2))
            if key in seen:
                continue
            seen.add(key)
            out.append(Route(m.group(1), m.group(2), name, text.count("\n", 0, m.start()) + 1,
                             m.group(3) or ""))
    return out


API = "/api/v1"
R = API + "/relationships/{id}"
C = API + "/circles/{id}"

# (method, pattern) -> (class, why). A route missing here fails the proof
# tests; add it with its class and the reason.
CLASSES = {
    # ---- public ----
    ("GET", API): ("public", "the API's name and version"),
    ("POST", API + "/session"): ("public", "sign-in: email and password in, a session out"),
    ("POST", API + "/invitations/accept"): ("public", "sets the invited person's own password"),
    ("GET", API + "/sso/providers"): ("public", "single sign-on providers' ids and names"),
    ("POST", API + "/sso/providers/{id}/begin"): ("public", "begins a single sign-on"),
    ("POST", API + "/sso/callback"): ("public", "single sign-on: a verified ID token in, a session out"),
    ("POST", API + "/sso/link"): ("public", "links a verified identity with the account's password"),
    ("GET", API + "/calendar.ics"): ("public", "the feed of the person whose secret key is in the URL; no text"),
    ("GET", API + "/me/calendar-feed"): ("self", "whether the caller has a calendar feed"),
    ("POST", API + "/me/calendar-feed"): ("self", "a new secret URL for the caller's calendar feed"),
    ("DELETE", API + "/me/calendar-feed"): ("self", "ends the caller's calendar feed"),
    ("GET", API + "/me/mail-preferences"): ("self", "the caller's own wishes about mail"),
    ("PUT", API + "/me/mail-preferences"): ("self", "sets the caller's own wishes about mail"),
    ("POST", API + "/unsubscribe"): ("public", "turns off one kind of mail with a link signed by the server"),
    ("GET", API + "/me/notifications"): ("self", "the caller's own notifications: titles without text"),
    ("POST", API + "/me/notifications/read"): ("self", "marks the caller's notifications read"),
    ("POST", API + "/me/notifications/{id}/read"): ("self", "marks one of the caller's notifications read"),
    ("POST", API + "/password-reset"): ("public", "mails a one-time link to an account's own address; answers alike for any address"),
    # ---- the caller's own account ----
    ("DELETE", API + "/session"): ("self", "signs the caller out"),
    ("POST", API + "/session/confirm"): ("self", "re-checks the caller's password"),
    ("GET", API + "/me"): ("self", "the caller's person and memberships"),
    ("DELETE", API + "/me"): ("self", "deletes the caller's account"),
    ("GET", API + "/me/sessions"): ("self", "the caller's sessions"),
    ("DELETE", API + "/me/sessions"): ("self", "ends the caller's other sessions"),
    ("DELETE", API + "/me/sessions/{id}"): ("self", "ends one of the caller's sessions"),
    ("GET", API + "/me/export"): ("self", "everything about the caller"),
    ("GET", API + "/me/access-log"): ("self", "who read the caller's confidential data"),
    ("PUT", API + "/me/sso-only"): ("self", "the caller signs in only through single sign-on"),
    # ---- programs and relationships: metadata ----
    ("POST", API + "/programs"): ("meta", "creates a program (site admin)"),
    ("GET", API + "/programs/{id}"): ("meta", "a program's name, kind and settings"),
    ("POST", API + "/programs/{id}/members"): ("meta", "enrolls a person (admins)"),
    ("GET", API + "/programs/{id}/members"): ("meta", "names, e-mails and roles"),
    ("GET", API + "/programs/{id}/relationships"): ("meta", "who is paired with whom, states"),
    ("GET", API + "/programs/{id}/health"): ("meta", "k-anonymous aggregates for admins"),
    ("GET", API + "/programs/{id}/settings"): ("meta", "a program's terms and warning switches"),
    ("PUT", API + "/programs/{id}/settings"): ("meta", "changes them (admins); no text"),
    ("GET", API + "/programs/{id}/settings/changes"): ("meta", "who changed which setting, when"),
    ("POST", API + "/sso/providers"): ("meta", "configures a sign-in provider (site admin)"),
    ("GET", API + "/sso/providers/{id}"): ("meta", "a sign-in provider's configuration (site admin)"),
    ("DELETE", API + "/sso/providers/{id}"): ("meta", "removes a sign-in provider (site admin)"),
    ("POST", API + "/programs/{id}/roster"): ("meta", "imports members from CSV (admins)"),
    ("GET", API + "/programs/{id}/exports/members.csv"): ("meta", "names, e-mails, roles as CSV"),
    ("GET", API + "/programs/{id}/exports/relationships.csv"): ("meta", "pairings and states as CSV"),
    ("GET", API + "/programs/{id}/exports/counts.csv"): ("meta", "members by role, relationships by state"),
    ("GET", API + "/programs/{id}/exports/health.csv"): ("meta", "the k-anonymous health figures as CSV"),
    ("POST", API + "/relationships"): ("meta", "proposes a pairing (admins, guides)"),
    ("GET", API + "/relationships"): ("meta", "the caller's relationships"),
    ("GET", R): ("meta", "state, parties and counts; no text"),
    ("DELETE", R): ("meta", "deletes a relationship and shreds its key"),
    ("POST", R + "/transition"): ("meta", "state change; its reason is party-only text"),
    ("GET", R + "/events"): ("meta", "the history; reasons only for the parties"),
    # ---- content: the parties only ----
    ("PUT", R + "/agreement"): ("content", "agreement free text"),
    ("GET", R + "/agreement"): ("content", "agreement free text"),
    ("POST", R + "/agreement/acknowledge"): ("content", "a party accepts the terms"),
    ("GET", R + "/agreement/versions"): ("content", "every version's text"),
    ("POST", R + "/checkins"): ("content", "the pair's schedule"),
    ("GET", R + "/checkins"): ("content", "the pair's schedule"),
    ("GET", API + "/checkins/{id}"): ("content", "a check-in"),
    ("POST", API + "/checkins/{id}/outcome"): ("content", "a check-in's outcome"),
    ("POST", R + "/commitments"): ("content", "commitment text"),
    ("GET", R + "/commitments"): ("content", "commitment text"),
    ("GET", API + "/commitments/{id}"): ("content", "commitment text"),
    ("POST", API + "/commitments/{id}/outcome"): ("content", "a commitment's outcome"),
    ("POST", R + "/goals"): ("content", "goal texts and levels"),
    ("GET", R + "/goals"): ("content", "goal texts and levels"),
    ("GET", API + "/goals/{id}"): ("content", "goal texts, milestone titles"),
    ("POST", API + "/goals/{id}/status"): ("content", "a goal's status"),
    ("POST", API + "/goals/{id}/milestones"): ("content", "milestone title"),
    ("POST", API + "/milestones/{id}/reached"): ("content", "a milestone reached"),
    ("POST", R + "/goal-reviews"): ("content", "attainment levels"),
    ("GET", R + "/goal-reviews"): ("content", "attainment levels"),
    ("POST", R + "/requests"): ("content", "request text"),
    ("GET", R + "/requests"): ("content", "request and reply text"),
    ("GET", API + "/requests/{id}"): ("content", "request and reply text"),
    ("POST", API + "/requests/{id}/reply"): ("content", "reply text"),
    ("POST", R + "/feedback"): ("content", "feedback text"),
    ("GET", R + "/feedback"): ("content", "feedback text"),
    ("POST", R + "/notes"): ("content", "note text"),
    ("GET", R + "/notes"): ("content", "note text"),
    ("GET", API + "/notes/{id}"): ("content", "note text"),
    ("GET", R + "/warnings"): ("content", "the pair's early warnings"),
    ("POST", R + "/pulses"): ("content", "a party's ratings of the other"),
    ("GET", R + "/pulses"): ("content", "the caller's own ratings"),
    ("GET", R + "/pulse-schedule"): ("content", "when the caller's next pulse is due"),
    ("POST", R + "/incidents"): ("content", "incident text"),
    ("GET", R + "/incidents"): ("content", "incident text"),
    ("GET", API + "/incidents/{id}"): ("content", "incident text"),
    ("POST", API + "/incidents/{id}/acknowledge"): ("content", "the party concerned owns it"),
    ("POST", API + "/incidents/{id}/resolve"): ("content", "an incident resolved"),
    ("GET", R + "/repair-plans"): ("content", "acknowledgement texts, amends"),
    ("GET", API + "/repair-plans/{id}"): ("content", "acknowledgement texts, amends"),
    ("POST", API + "/repair-plans/{id}/acknowledge"): ("content", "acknowledgement texts"),
    ("POST", API + "/repair-plans/{id}/amends"): ("content", "amends (commitment texts)"),
    ("POST", API + "/repair-plans/{id}/close"): ("content", "a plan ended by the pair"),
    ("GET", R + "/trust"): ("content", "the trust index with its explanations"),
    ("GET", R + "/trust/history"): ("content", "the trust index over time (figures only)"),
    ("GET", R + "/timeline"): ("content", "the pair's history with texts"),
    # ---- matching: profiles, runs, self-match ----
    ("GET", API + "/programs/{id}/topics"): ("meta", "the program's topic list"),
    ("POST", API + "/programs/{id}/topics"): ("meta", "adds a topic (admins)"),
    ("DELETE", API + "/programs/{id}/topics/{id}"): ("meta", "deletes a topic (admins)"),
    ("GET", API + "/programs/{id}/attributes"): ("meta", "the attribute names, never values"),
    ("POST", API + "/programs/{id}/attributes"): ("meta", "adds an attribute (admins)"),
    ("DELETE", API + "/programs/{id}/attributes/{id}"): ("meta", "deletes one (admins)"),
    ("GET", API + "/programs/{id}/profile"): ("self", "the caller's own profile, attributes, "
                                                      "wishes and blocks included"),
    ("PUT", API + "/programs/{id}/profile"): ("self", "the caller's own profile"),
    ("GET", API + "/programs/{id}/profiles/{id}"): ("meta", "a member's public profile: no "
                                                            "attributes, wishes or blocks"),
    ("POST", API + "/programs/{id}/blocks"): ("self", "the caller's private block list"),
    ("PUT", API + "/programs/{id}/reporting-lines/{id}"): ("meta", "a manager (admins)"),
    ("GET", API + "/programs/{id}/matching-settings"): ("meta", "weights and mode (admins)"),
    ("PUT", API + "/programs/{id}/matching-settings"): ("meta", "weights and mode (admins)"),
    ("POST", API + "/programs/{id}/matching-runs"): ("meta", "a draft assignment (admins)"),
    ("GET", API + "/programs/{id}/matching-runs"): ("meta", "the program's runs (admins)"),
    ("GET", API + "/matching-runs/{id}"): ("meta", "pairs, scores, reasons; no attributes"),
    ("POST", API + "/matching-runs/{id}/lock"): ("meta", "locks or swaps a pair (admins)"),
    ("POST", API + "/matching-runs/{id}/exclude"): ("meta", "excludes a pair (admins)"),
    ("POST", API + "/matching-runs/{id}/rerun"): ("meta", "solves again (admins)"),
    ("POST", API + "/matching-runs/{id}/publish"): ("meta", "proposes the pairs (admins)"),
    ("GET", API + "/programs/{id}/suggestions"): ("self", "the caller's top five guides"),
    ("POST", API + "/programs/{id}/match-requests"): ("self", "the caller asks a guide"),
    ("GET", API + "/match-requests"): ("self", "requests the caller made or received"),
    ("POST", API + "/match-requests/{id}/accept"): ("self", "the guide asked accepts"),
    ("POST", API + "/match-requests/{id}/decline"): ("self", "the guide asked declines"),
    ("POST", API + "/match-requests/{id}/withdraw"): ("self", "the learner withdraws"),
    ("GET", R + "/exit-answer"): ("content", "a party's private exit answer"),
    ("PUT", R + "/exit-answer"): ("content", "a party's private exit answer"),
    ("GET", API + "/programs/{id}/matching-learning"): ("meta", "k-anonymous figures (admins)"),
    # ---- 360 feedback ----
    ("POST", API + "/feedback360"): ("self", "the caller asks for feedback about themselves"),
    ("GET", API + "/feedback360"): ("self", "the caller's own requests"),
    ("GET", API + "/feedback360/{id}"): ("content", "the requester's purpose and raters"),
    ("POST", API + "/feedback360/{id}/deadline"): ("content", "the requester's own request"),
    ("POST", API + "/feedback360/{id}/close"): ("content", "the requester's own request"),
    ("GET", API + "/feedback360/{id}/report"): ("content", "the sealed report: requester, "
                                                "and the guide it is shared with"),
    ("PUT", API + "/feedback360/{id}/share"): ("content", "the requester shares with a guide"),
    ("DELETE", API + "/feedback360/{id}/share"): ("content", "the requester withdraws it"),
    ("GET", API + "/rater/feedback360"): ("self", "what the caller was asked to rate"),
    ("GET", API + "/rater/feedback360/{id}"): ("content", "a rater reads who asks and why"),
    ("POST", API + "/rater/feedback360/{id}/answer"): ("content", "a rater's answer"),
    ("POST", API + "/rater/feedback360/{id}/decline"): ("content", "a rater declines"),
    ("POST", API + "/feedback360-link"): ("public", "an outside rater's one-time link"),
    ("POST", API + "/feedback360-link/answer"): ("public", "an outside rater answers"),
    ("POST", API + "/feedback360-link/decline"): ("public", "an outside rater declines"),
    ("GET", API + "/programs/{id}/feedback360"): ("meta", "k-anonymous counts for admins"),
    # ---- the alumni network ----
    ("PUT", API + "/programs/{id}/alumni/me"): ("self", "the caller's own directory entry"),
    ("DELETE", API + "/programs/{id}/alumni/me"): ("self", "the caller leaves the network"),
    ("GET", API + "/programs/{id}/alumni"): ("meta", "the directory: only what owners show"),
    ("POST", API + "/programs/{id}/alumni/me/guide"): ("self", "a former learner guides"),
    ("GET", R + "/long-term"): ("content", "the former partners' long-term check-ins"),
    ("PUT", R + "/long-term"): ("content", "a party wants long-term check-ins"),
    ("POST", R + "/long-term/checkins"): ("content", "a party's short pulse"),
    ("POST", R + "/long-term/cadence/proposal"): ("content", "a party proposes a cadence"),
    ("DELETE", R + "/long-term/cadence/proposal"): ("content", "a party withdraws or declines it"),
    ("POST", R + "/long-term/cadence/agree"): ("content", "the other party agrees to it"),
    # ---- circles: metadata ----
    ("POST", API + "/circles"): ("meta", "forms a circle (admins of the program)"),
    ("GET", API + "/circles"): ("meta", "the caller's circles: names, states, dates"),
    ("GET", API + "/programs/{id}/circles"): ("meta", "the program's circles (admins)"),
    ("GET", C): ("meta", "states, dates, members and counts; no text"),
    ("POST", C + "/transition"): ("meta", "pauses, resumes or ends a circle (facilitator, admins)"),
    ("POST", C + "/members"): ("meta", "adds a member (facilitator, admins)"),
    ("GET", C + "/candidates"): ("meta", "names and roles of whom the facilitator or an admin "
                                         "may add; no text"),
    ("GET", C + "/events"): ("meta", "the circle's history: kinds, people, times; no text"),
    # ---- circles: content, its members only ----
    ("POST", C + "/accept"): ("content", "a member accepts the circle"),
    ("POST", C + "/leave"): ("content", "a member leaves the circle"),
    ("PUT", C + "/agreement"): ("content", "the circle agreement's text"),
    ("GET", C + "/agreement"): ("content", "the circle agreement's text"),
    ("POST", C + "/agreement/acknowledge"): ("content", "a member accepts the terms"),
    ("POST", C + "/checkins"): ("content", "attendance per member"),
    ("GET", C + "/checkins"): ("content", "attendance per member"),
    ("POST", C + "/commitments"): ("content", "commitment text"),
    ("GET", C + "/commitments"): ("content", "commitment text"),
    ("POST", C + "/requests"): ("content", "request text"),
    ("GET", C + "/requests"): ("content", "request and reply text"),
    ("POST", C + "/feedback"): ("content", "feedback text"),
    ("GET", C + "/feedback"): ("content", "feedback text"),
    ("POST", C + "/notes"): ("content", "note text"),
    ("GET", C + "/notes"): ("content", "note text"),
    ("POST", C + "/goals"): ("content", "goal text"),
    ("GET", C + "/goals"): ("content", "goal text"),
    ("POST", C + "/incidents"): ("content", "incident text"),
    ("GET", C + "/incidents"): ("content", "incident text"),
    ("GET", API + "/circle-items/{id}"): ("content", "any text a member wrote"),
    ("POST", API + "/circle-items/{id}/reply"): ("content", "reply text"),
    ("POST", API + "/circle-items/{id}/outcome"): ("content", "a commitment's or goal's outcome"),
    ("POST", C + "/pulse"): ("content", "a member's ratings of the circle"),
    ("GET", C + "/pulse"): ("content", "the caller's own ratings and the aggregate"),
    ("GET", C + "/trust"): ("content", "the caller's trust figures with explanations"),
    ("GET", C + "/warnings"): ("content", "the circle's warnings, the caller's own first"),
    ("POST", C + "/warnings/share"): ("content", "a member shows the facilitator a warning"),
    # ---- the matcher's proposals of circles: the program's admins only ----
    ("POST", API + "/programs/{id}/circle-proposals"): ("meta", "drafts circles (admins)"),
    ("GET", API + "/programs/{id}/circle-proposals"): ("meta", "the program's drafts (admins)"),
    ("GET", API + "/circle-proposals/{id}"): ("meta", "names, scores, admin's sentences; no "
                                               "attribute, wish or block"),
    ("POST", API + "/circle-proposals/{id}/drop"): ("meta", "takes a person out of a draft"),
    ("POST", API + "/circle-proposals/{id}/publish"): ("meta", "proposes the draft's circles"),
    ("POST", API + "/circle-proposals/{id}/discard"): ("meta", "discards a draft"),
    ("POST", API + "/circle-items/{id}/acknowledge"): ("content", "the member concerned "
                                                       "acknowledges an incident"),
    ("POST", API + "/circle-items/{id}/resolve"): ("content", "an incident resolved"),
    ("GET", C + "/repair-plans"): ("content", "repair plans' acknowledgement text"),
    ("GET", API + "/circle-repair-plans/{id}"): ("content", "a repair plan's acknowledgement text"),
    ("POST", API + "/circle-repair-plans/{id}/acknowledge"): ("content", "acknowledgement text"),
    ("POST", API + "/circle-repair-plans/{id}/amends"): ("content", "the amends' commitments"),
    ("POST", API + "/circle-repair-plans/{id}/close"): ("content", "ends a repair plan"),
    ("POST", C + "/goal-reviews"): ("content", "a member's goal levels"),
    ("GET", C + "/goal-reviews"): ("content", "members' goal levels"),
    # ---- the practice library ----
    ("GET", API + "/practices"): ("library", "the same library for everyone"),
    ("GET", API + "/practices/{id}"): ("library", "the same library for everyone"),
    # ---- development only ----
    ("POST", API + "/dev/clock"): ("dev", "--dev only: moves the server's clock"),
    ("POST", API + "/dev/jobs"): ("dev", "--dev only: runs the jobs now"),
    ("POST", API + "/dev/storage-limit"): ("dev", "--dev only: simulates a full disk"),
    ("GET", API + "/bench/fixed"): ("dev", "bench builds only: a fixed answer"),
}


def classify(route):
    """(class, why) of a route. Paths outside /api/v1 are the web client's
    files (public); a route neither there nor in CLASSES is None."""
    got = CLASSES.get((route.method, route.pattern))
    if got:
        return got
    if route.pattern.startswith(API + "/dev/") or route.pattern.startswith(API + "/bench/"):
        return ("dev", "development and bench routes are not served in production")
    if not route.pattern.startswith(API):
        return ("public", "the web client's files: no data")
    return None


def unclassified(all_routes):
    return [r for r in all_routes if classify(r) is None]


# ---- the world ----

# Which id kind each {id} stands for, by the path segment before it.
ID_KIND = {
    "relationships": "relationship", "programs": "program", "checkins": "checkin",
    "commitments": "commitment", "goals": "goal", "milestones": "milestone",
    "requests": "request", "notes": "note", "incidents": "incident",
    "repair-plans": "plan", "practices": "practice", "sessions": "session",
    "providers": "provider",
    "notifications": "notification",
    "circles": "circle", "circle-items": "circle_item", "circle-repair-plans": "circle_plan",
}


def id_kind(pattern):
    """The id kind of a pattern's {id}, or None when it has none."""
    parts = pattern.split("/")
    for i, part in enumerate(parts):
        if part == "{id}":
            return ID_KIND.get(parts[i - 1], parts[i - 1])
    return None


def texts(tag):
    """{name: text} of one world: each text carries the marker
    "<tag>-<NAME>" (upper case) and ordinary words around it."""
    names = ["note_private_guide", "note_private_learner", "note_shared", "feedback",
             "feedback_ask", "request", "reply", "open_request", "purpose", "channel",
             "confidentiality", "boundaries", "feedback_preferences", "goal_title",
             "goal_specific", "goal_measurable", "goal_achievable", "goal_relevant",
             "goal_level", "milestone", "commitment", "amends_commitment", "incident",
             "plan_text", "plan_responsibility", "pause_reason", "resume_reason",
             "review_purpose", "review_keep", "review_change",
             "circle_agreement", "circle_note", "circle_note_private", "circle_request",
             "circle_reply", "circle_feedback", "circle_commitment", "circle_goal",
             "circle_incident", "circle_plan_text", "circle_plan_responsibility"]
    return {n: f"Words before {tag}-{n.upper().replace('_', '')} and after, naïve café."
            for n in names}


def marker_re(tag):
    return re.compile((tag + r"-[A-Z]+").encode())


class World:
    """One active relationship (pair) with every kind of confidential
    content written, each text carrying a marker of `tag`. ids: {kind:
    [ids]} for World.fill."""

    def __init__(self, h, tag, pair=None):
        self.h = h
        self.tag = tag
        self.texts = texts(tag)
        self.pair = pair or h.active_relationship()
        self.ids = {}

    def add(self, kind, value):
        self.ids.setdefault(kind, []).append(value)
        return value

    def build(self):
        h, p, t = self.h, self.pair, self.texts
        g, l = p.guide, p.learner
        self.add("relationship", p.rel_id)
        self.add("program", p.program_id)
        self.add("practice", 11)
        # A single sign-on provider that cannot be reached (nothing listens
        # on port 9): its routes answer without a network.
        self.add("provider", h.ok(h.post(f"{API}/sso/providers", {
            "name": f"World {self.tag}", "issuer": "http://127.0.0.1:9", "client_id": f"world-{self.tag}",
            "redirect_uri": "http://127.0.0.1:9/sso/callback", "domains": ["world.test"]},
            h.admin), 201)["id"])
        # The guide's session: nobody else may end it.
        self.add("session", h.server.query(
            "SELECT max(id) FROM sessions WHERE person_id = ?", g.id)[0][0])
        self.add("note", h.note(p, g, "private", t["note_private_guide"])["id"])
        self.add("note", h.note(p, l, "private", t["note_private_learner"])["id"])
        self.add("note", h.note(p, g, "shared", t["note_shared"])["id"])
        h.feedback(p, g, "constructive", "task", t["feedback"])
        h.feedback(p, l, "ask", text=t["feedback_ask"])
        req = self.add("request", h.ask(p, l, t["request"])["id"])
        h.reply(req, g, t["reply"])
        self.add("request", h.ask(p, g, t["open_request"])["id"])
        h.put_agreement(p, g, purpose=t["purpose"], channels=[t["channel"]],
                        confidentiality=t["confidentiality"], boundaries=t["boundaries"],
                        feedback_preferences=t["feedback_preferences"])
        goal = h.add_goal(p, l, t["goal_title"], specific=t["goal_specific"],
                          measurable=t["goal_measurable"], achievable=t["goal_achievable"],
                          relevant=t["goal_relevant"], levels={"2": t["goal_level"]})
        self.add("goal", goal["id"])
        self.add("milestone", h.add_milestone(goal["id"], g, t["milestone"])["id"])
        h.review(p, g, {goal["id"]: 1})
        self.add("commitment", h.commit(p, l, l, t["commitment"], h.at(days=3))["id"])
        self.add("checkin", h.schedule(p, g, h.at(days=2))["id"])
        inc = h.ok(h.post(f"{API}/relationships/{p.rel_id}/incidents",
                          {"kind": "confidentiality", "text": t["incident"]}, l), 201)
        self.add("incident", inc["id"])
        plan = h.ok(h.post(f"{API}/incidents/{inc['id']}/acknowledge", {}, g))["repair_plan_id"]
        self.add("plan", plan)
        h.ok(h.post(f"{API}/repair-plans/{plan}/acknowledge",
                    {"text": t["plan_text"], "responsibility": t["plan_responsibility"]}, g))
        amends = h.commit(p, g, g, t["amends_commitment"], h.at(days=10))["id"]
        self.add("commitment", amends)
        h.ok(h.post(f"{API}/repair-plans/{plan}/amends", {"commitment_ids": [amends]}, l))
        self.build_circle()
        h.ok(h.transition(p.rel_id, l, "paused", reason=t["pause_reason"]))
        h.ok(h.transition(p.rel_id, g, "active", reason=t["resume_reason"]))
        # A commitment due within the day: the jobs tell the learner (a
        # notification, and a mail when the server sends any).
        self.add("commitment", h.commit(p, g, l, t["commitment"], h.at(hours=2))["id"])
        h.ok(h.post(f"{API}/dev/jobs", {}, h.admin))
        self.add("notification", h.server.query(
            "SELECT max(id) FROM notifications WHERE person_id = ?", l.id)[0][0])
        self.build_matching()
        # 360 feedback: the learner asks their guide and two outside raters
        # by e-mail (mailed their links; they do not answer here); the
        # guide signs; the report is shared with the guide.
        rq = h.ok(h.post(f"{API}/feedback360", {
            "program_id": p.program_id, "purpose": t["review_purpose"],
            "deadline": h.at(days=14), "self": [3] * 7, "raters": [{"person_id": g.id}],
            "outside": [{"email": f"outside.{i}.{h.server.next_id()}@example.org",
                         "group": "colleagues"} for i in range(2)]}, l), 201)
        self.add("feedback360", rq["id"])
        h.ok(h.post(f"{API}/rater/feedback360/{rq['id']}/answer",
                    {"ratings": [4] * 7, "keep": t["review_keep"], "change": t["review_change"],
                     "sign": True}, g))
        h.ok(h.post(f"{API}/feedback360/{rq['id']}/close", {}, l))
        h.ok(h.put(f"{API}/feedback360/{rq['id']}/share", {"relationship_id": p.rel_id}, l))
        return self

    def build_matching(self):
        """Matching: each party's private attribute value and wish (not
        relationship text: they are the person's profile, which
        test_matching.py checks route by route); the learner asks a second
        guide; the site admin runs the matcher (ids "matching-runs",
        "match-requests")."""
        h, p = self.h, self.pair
        prog = p.program_id
        dept = h.ok(h.post(f"{API}/programs/{prog}/attributes", {"name": "department"},
                           h.admin), 201)["id"]
        week = [{"start": 540, "end": 840}]
        for who in (p.learner, p.guide):
            h.ok(h.put(f"{API}/programs/{prog}/profile",
                       {"languages": ["en"], "windows": week,
                        "attributes": [{"attribute_id": dept, "value": f"Dept of {who.name}",
                                        "wish": "different"}]}, who))
        other = h.person("Second Guide")
        h.enroll(prog, other, "guide")
        h.ok(h.put(f"{API}/programs/{prog}/profile", {"languages": ["en"], "windows": week},
                   other))
        self.second_guide = other
        self.add("match-requests", h.ok(h.post(f"{API}/programs/{prog}/match-requests",
                                               {"guide_id": other.id}, p.learner), 201)["id"])
        self.add("matching-runs", h.ok(h.post(f"{API}/programs/{prog}/matching-runs", {},
                                              h.admin), 201)["id"])
        # the matcher's circles: the parties and the second guide, whose
        # attributes must show nowhere (id "circle-proposals")
        cp = h.ok(h.post(f"{API}/programs/{prog}/circle-proposals",
                         {"size": 3, "pool": "everyone", "include_active": True,
                          "mix_attributes": True, "facilitator": True}, h.admin), 201)
        assert cp["summary"]["circles"] >= 1, cp
        self.add("circle-proposals", cp["id"])
    def build_circle(self):
        """A circle of the pair's program: the guide, the learner and a
        third learner, with a facilitator, and every kind of its text."""
        h, p, t = self.h, self.pair, self.texts
        g, l = p.guide, p.learner
        third = h.person("Circle member")
        h.enroll(p.program_id, third, "learner")
        fac = h.person("Circle facilitator")
        h.enroll(p.program_id, fac, "guide")
        self.circle_members = [g, l, third]
        self.circle_extra = h.person("Circle newcomer")
        h.enroll(p.program_id, self.circle_extra, "learner")
        cid = h.ok(h.post(f"{API}/circles", {"program_id": p.program_id, "name": "World circle",
                                             "member_ids": [g.id, l.id, third.id],
                                             "facilitator_id": fac.id}, h.admin), 201)["id"]
        for who in (g, l, third, fac):
            h.ok(h.post(f"{API}/circles/{cid}/accept", {}, who))
        self.add("circle", cid)
        c = f"{API}/circles/{cid}"
        h.ok(h.put(c + "/agreement", {"text": t["circle_agreement"], "cadence_days": 7}, g))
        req = h.ok(h.post(c + "/requests", {"text": t["circle_request"]}, l), 201)["id"]
        self.add("circle_item", req)
        self.add("circle_item", h.ok(h.post(f"{API}/circle-items/{req}/reply",
                                            {"text": t["circle_reply"]}, g), 201)["id"])
        self.add("circle_item", h.ok(h.post(c + "/commitments", {
            "text": t["circle_commitment"], "due_at": h.at(days=7)}, l), 201)["id"])
        self.add("circle_item", h.ok(h.post(c + "/feedback", {
            "to_id": l.id, "kind": "constructive", "focus": "task",
            "text": t["circle_feedback"]}, g), 201)["id"])
        self.add("circle_item", h.ok(h.post(c + "/notes", {
            "visibility": "shared", "text": t["circle_note"]}, l), 201)["id"])
        self.add("circle_item", h.ok(h.post(c + "/notes", {
            "visibility": "private", "text": t["circle_note_private"]}, g), 201)["id"])
        self.add("circle_item", h.ok(h.post(c + "/goals", {"text": t["circle_goal"]}, l),
                                     201)["id"])
        self.add("circle_item", h.ok(h.post(c + "/incidents", {
            "kind": "other", "text": t["circle_incident"]}, g), 201)["id"])
        # an incident concerning the learner, acknowledged, with its repair plan
        inc = h.ok(h.post(c + "/incidents", {"kind": "judgment", "concerning_id": l.id,
                                             "text": t["circle_incident"]}, g), 201)["id"]
        self.add("circle_item", inc)
        plan = h.ok(h.post(f"{API}/circle-items/{inc}/acknowledge", {}, l))["repair_plan_id"]
        h.ok(h.post(f"{API}/circle-repair-plans/{plan}/acknowledge", {
            "text": t["circle_plan_text"], "responsibility": t["circle_plan_responsibility"]}, l))
        self.add("circle_plan", plan)
        items = h.ok(h.get(c + "/goals", l))["items"]
        self.circle_goal = items[0]["id"]
        self.circle_commitment = h.ok(h.post(c + "/commitments", {
            "text": t["circle_commitment"], "due_at": h.at(days=7)}, l), 201)["id"]
        h.ok(h.post(c + "/goal-reviews", {"levels": {str(self.circle_goal): 0}}, l), 201)
        h.ok(h.post(c + "/checkins", {"attendance": [
            {"person_id": m.id, "status": "present"} for m in self.circle_members]}, fac), 201)
        h.ok(h.post(c + "/pulse", {"answers": {"REL1": 4}}, l), 201)

    def fill(self, pattern, index=0):
        """pattern with its {id} replaced by the world's id of that kind
        (the index-th), or None when the world has none."""
        kind = id_kind(pattern)
        if kind is None:
            return pattern
        got = self.ids.get(kind, [])
        if index >= len(got):
            return None
        return pattern.replace("{id}", str(got[index]), 1)

    def paths(self, pattern):
        """Every filled path of pattern (one per id of its kind)."""
        kind = id_kind(pattern)
        if kind is None:
            return [pattern]
        return [pattern.replace("{id}", str(i), 1) for i in self.ids.get(kind, [])]

    def body(self, route):
        """A valid body for a write route, so that a refusal can only be
        about who asks. Unknown routes get {}."""
        p, h = self.pair, self.h
        soon = h.at(days=5)
        goal = self.ids["goal"][0]
        bodies = {
            ("PUT", R + "/agreement"): {"purpose": "x", "cadence_days": 7, "channels": ["x"],
                                        "reply_window_hours": 24, "confidentiality": "x"},
            ("POST", R + "/agreement/acknowledge"): {"version": 1},
            ("POST", R + "/checkins"): {"scheduled_at": soon},
            ("POST", API + "/checkins/{id}/outcome"): {"outcome": "mutual_cancel"},
            ("POST", R + "/commitments"): {"owner_id": p.learner.id, "text": "x",
                                           "due_at": soon},
            ("POST", API + "/commitments/{id}/outcome"): {"outcome": "dropped"},
            ("POST", R + "/goals"): {"title": "x"},
            ("POST", API + "/goals/{id}/status"): {"status": "dropped"},
            ("POST", API + "/goals/{id}/milestones"): {"title": "x"},
            ("POST", R + "/goal-reviews"): {"levels": {str(goal): 0}},
            ("POST", R + "/requests"): {"text": "x"},
            ("POST", API + "/requests/{id}/reply"): {"text": "x"},
            ("POST", R + "/feedback"): {"kind": "ask"},
            ("POST", R + "/notes"): {"visibility": "shared", "text": "x"},
            ("POST", R + "/pulses"): {"answers": {k: 3 for k in ("REL1", "REL2", "INT1", "INT2",
                                                                 "COM1", "EMP1", "EMP2")},
                                      "overall": 7},
            ("POST", R + "/incidents"): {"kind": "other", "text": "x"},
            ("POST", API + "/repair-plans/{id}/acknowledge"): {"text": "x",
                                                               "responsibility": "x"},
            ("POST", API + "/repair-plans/{id}/amends"): {"commitment_ids":
                                                          [self.ids["commitment"][-1]]},
            ("POST", R + "/transition"): {"to": "paused", "reason": "x"},
            ("POST", API + "/feedback360/{id}/deadline"): {"deadline": h.at(days=20)},
            ("PUT", R + "/long-term"): {"want": True},
            ("POST", R + "/long-term/checkins"): {"answers": {"REL1": 3}, "overall": 5},
            ("POST", R + "/long-term/cadence/proposal"): {"days": 30},
            ("POST", R + "/long-term/cadence/agree"): {"days": 30},
            ("PUT", API + "/feedback360/{id}/share"): {"relationship_id": p.rel_id},
            ("POST", API + "/rater/feedback360/{id}/answer"): {"ratings": [3] * 7},
            ("POST", API + "/circles"): {"program_id": p.program_id, "name": "x",
                                         "member_ids": [m.id for m in self.circle_members]},
            ("POST", C + "/transition"): {"to": "paused"},
            ("POST", C + "/members"): {"person_id": self.circle_extra.id},
            ("PUT", C + "/agreement"): {"text": "x", "cadence_days": 7},
            ("POST", C + "/agreement/acknowledge"): {"version": 1},
            ("POST", C + "/checkins"): {"attendance": [
                {"person_id": m.id, "status": "present"} for m in self.circle_members]},
            ("POST", C + "/commitments"): {"text": "x", "due_at": soon},
            ("POST", C + "/requests"): {"text": "x"},
            ("POST", C + "/feedback"): {"to_id": p.learner.id, "kind": "recognition",
                                        "focus": "task", "text": "x"},
            ("POST", C + "/notes"): {"visibility": "shared", "text": "x"},
            ("POST", C + "/goals"): {"text": "x"},
            ("POST", C + "/incidents"): {"kind": "other", "text": "x"},
            ("POST", API + "/circle-items/{id}/reply"): {"text": "x"},
            ("POST", API + "/circle-items/{id}/outcome"): {"outcome": "dropped"},
            ("POST", C + "/pulse"): {"answers": {"REL1": 3}},
            ("POST", C + "/warnings/share"): {"code": "MEMBER_DRIFTING"},
            ("POST", API + "/circle-repair-plans/{id}/acknowledge"): {"text": "x",
                                                                      "responsibility": "x"},
            ("POST", API + "/circle-repair-plans/{id}/amends"): {"commitment_ids":
                                                                 [self.circle_commitment]},
            ("POST", C + "/goal-reviews"): {"levels": {str(self.circle_goal): 0}},
            ("POST", API + "/programs"): {"name": f"Admin program {h.server.next_id()}",
                                          "kind": "coaching"},
            ("POST", API + "/programs/{id}/members"): {
                "email": f"enrolled.{h.server.next_id()}@rapport.test", "name": "Enrolled",
                "role": "learner"},
            ("POST", API + "/programs/{id}/topics"): {"name": "Topic"},
            ("POST", API + "/programs/{id}/attributes"): {"name": "Attribute"},
            ("POST", API + "/programs/{id}/blocks"): {"person_id": p.guide.id},
            ("PUT", API + "/programs/{id}/reporting-lines/{id}"): {"manager_email":
                                                                    "boss@rapport.test"},
            ("POST", API + "/programs/{id}/match-requests"): {"guide_id": p.guide.id},
            ("POST", API + "/matching-runs/{id}/lock"): {"learner_id": p.learner.id,
                                                         "guide_id": p.guide.id},
            ("POST", API + "/matching-runs/{id}/exclude"): {"learner_id": p.learner.id},
            ("POST", API + "/programs/{id}/circle-proposals"): {"size": 3},
            ("POST", API + "/circle-proposals/{id}/drop"): {"person_id": p.learner.id},
            ("PUT", R + "/exit-answer"): {"reasons": ["topics"]},
            ("POST", API + "/relationships"): {"program_id": p.program_id,
                                               "guide_id": p.guide.id,
                                               "learner_id": p.learner.id},
        }
        return bodies.get((route.method, route.pattern), {})
