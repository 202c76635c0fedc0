"""circle_flows.py: helpers for peer circles, shared by test_circles.py
and the proof tests' world (routes_table.World)."""

from harness import fmt_time, parse_time
import datetime as _dt

API = "/api/v1"


def circ(cid, tail=""):
    return f"{API}/circles/{cid}{tail}"


class Circle:
    """A circle: its id, program, members (Person list) and facilitator."""

    def __init__(self, cid, program_id, members, facilitator):
        self.id, self.program_id = cid, program_id
        self.members, self.facilitator = members, facilitator

    @property
    def people(self):
        return self.members + ([self.facilitator] if self.facilitator else [])


def form_circle(h, n=4, program_id=None, facilitator=True, members=None, name="Circle"):
    """A program (new unless given) with n new learners (or `members`) and
    a facilitator (a guide) in a circle formed by the site admin; every one
    accepted, so the circle is active."""
    if program_id is None:
        program_id = h.program("mentoring")
    if members is None:
        members = [h.person(f"Member {i + 1}") for i in range(n)]
        for m in members:
            h.enroll(program_id, m, "learner")
    fac = None
    if facilitator:
        fac = h.person("Facilitator")
        h.enroll(program_id, fac, "guide")
    body = {"program_id": program_id, "name": name, "member_ids": [m.id for m in members]}
    if fac:
        body["facilitator_id"] = fac.id
    c = h.ok(h.post(f"{API}/circles", body, h.admin), 201)
    for who in members + ([fac] if fac else []):
        got = h.ok(h.post(circ(c["id"], "/accept"), {}, who))
    h.assertEqual(got["state"], "active")
    return Circle(c["id"], program_id, members, fac)


def circle_checkin(h, c, who, marks=None, at=None, members=None):
    """Records a check-in of c by who; marks is {person id: status} and
    every other member of `members` (default c.members) is present."""
    members = c.members if members is None else members
    body = {"attendance": [{"person_id": m.id, "status": (marks or {}).get(m.id, "present")}
                           for m in members]}
    if at:
        body["at"] = at
    return h.ok(h.post(circ(c.id, "/checkins"), body, who), 201)


def shift(s, **delta):
    return fmt_time(parse_time(s) + _dt.timedelta(**delta))
