"""test_demo_warnings.py: `rapport demo` shows early warnings on its
struggling relationships and none on its healthy ones.

The demo (src/cli/demo.c) lives six months of twenty relationships, each
active pair by a profile. This runs it into a temporary directory, serves
the result, and checks which relationships carry which open warnings, in
the database and through the API signed in as the parties (the demo
password is the same for everyone).
"""

import datetime as dt
import unittest

from harness import Server, fmt_time

DEMO_PASSWORD = "rapport-demo"

# (guide, learner) -> the warnings the profile must raise, as (code, whose):
# whose is "guide", "learner" or None (the pair). Every other active or
# paused pair is healthy and must carry none at all.
STRUGGLING = {
    ("Jonas Berg", "Emma Larsen"): {("LATE_CANCELLATIONS", "guide")},  # late_canceller
    ("Amara Okafor", "Nadia Karim"): {("FOLLOW_THROUGH", "learner")},  # silent_misser
    ("Fatima Haddad", "Diego Morales"): {("CRITICISM_HEAVY", "guide")},  # critic
    ("Daniel Weiss", "Ines Duarte"): {("ONE_WAY_FEEDBACK", None),      # one_way
                                      ("SLOW_REPLIES", "guide")},
    ("Amara Okafor", "Sam Porter"): {("CADENCE_GAP", None)},           # fading
}
HEALTHY = {
    ("Amara Okafor", "Leo Martin"), ("Daniel Weiss", "Yuki Tanaka"), ("Jonas Berg", "Kofi Asante"),
    ("Fatima Haddad", "Sara Lindqvist"), ("Grace Mensah", "Ivan Petrov"),
    ("Priya Raman", "Hannah Lee"), ("Sofia Rossi", "Lucas Moreau"),  # the last two paused
}


class DemoServer(Server):
    """A server on a database `rapport demo` filled (instead of `init`),
    its clock fixed at the wall clock so the demo's history is recent."""

    def __init__(self):
        super().__init__(clock=fmt_time(dt.datetime.now(dt.timezone.utc)))

    def cli(self, *args, check=True):
        if args and args[0] == "init":
            args = ("demo", "--db", self.db)
        return super().cli(*args, check=check)


class DemoWarnings(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.server = DemoServer()
        try:
            cls.server.start()
        except BaseException:
            cls.server.kill()
            cls.server.cleanup()
            raise
        rows = cls.server.query(
            "SELECT r.id, g.name, l.name, r.state, r.guide_id, r.learner_id, g.email, l.email"
            " FROM relationships r JOIN persons g ON g.id = r.guide_id"
            " JOIN persons l ON l.id = r.learner_id")
        cls.rels = {(g, l): dict(id=i, state=s, guide=gid, learner=lid, guide_email=ge,
                                 learner_email=le)
                    for i, g, l, s, gid, lid, ge, le in rows}

    @classmethod
    def tearDownClass(cls):
        problems = cls.server.stop()
        cls.server.cleanup(keep=bool(problems))
        if problems:
            raise AssertionError(problems)

    def open_warnings(self, pair):
        """{(code, whose)} of the pair's open warnings, from the database."""
        r = self.rels[pair]
        whose = {r["guide"]: "guide", r["learner"]: "learner", None: None}
        return {(code, whose[party]) for code, party in self.server.query(
            "SELECT code, party_id FROM warnings WHERE relationship_id = ?"
            " AND cleared_at IS NULL", r["id"])}

    def sign_in(self, email):
        r = self.server.request("POST", "/api/v1/session",
                                {"email": email, "password": DEMO_PASSWORD})
        self.assertEqual(r.status, 201, r)
        return r.json["token"]

    def test_struggling_relationships_carry_their_warnings(self):
        for pair, expected in STRUGGLING.items():
            with self.subTest(pair=pair):
                self.assertEqual(self.rels[pair]["state"], "active")
                self.assertLessEqual(expected, self.open_warnings(pair))

    def circle_warnings(self, email, name):
        token = self.sign_in(email)
        mine = self.server.request("GET", "/api/v1/circles", token=token).json["items"]
        cid = [c["id"] for c in mine if c["name"] == name][0]
        r = self.server.request("GET", f"/api/v1/circles/{cid}/warnings", token=token)
        self.assertEqual(r.status, 200, r)
        return [(w["code"], w["anonymous"]) for w in r.json["items"]]

    def test_the_thriving_circle_has_no_warning_the_drifting_member_has(self):
        for email in ("mei.chen", "mateo.silva", "aisha.bello", "noah.fischer", "lina.haddad"):
            with self.subTest(who=email):
                self.assertEqual(self.circle_warnings(f"{email}@rapport.demo", "Thesis Writers"),
                                 [])
        drifting = "New Managers"
        self.assertIn(("MEMBER_DRIFTING", False),
                      self.circle_warnings("tariq.hussain@rapport.demo", drifting))
        self.assertIn(("MEMBER_DRIFTING", True),
                      self.circle_warnings("sofia.rossi@rapport.demo", drifting))
        for email in ("arjun.mehta", "elif.yilmaz", "jack.murphy", "nora.jensen"):
            with self.subTest(who=email):
                self.assertEqual(self.circle_warnings(f"{email}@rapport.demo", drifting), [])

    def test_healthy_relationships_carry_none_at_all(self):
        for pair in HEALTHY:
            with self.subTest(pair=pair):
                self.assertIn(self.rels[pair]["state"], ("active", "paused"))
                self.assertEqual(self.open_warnings(pair), set())

    def test_only_active_and_paused_relationships_carry_warnings(self):
        rows = self.server.query(
            "SELECT DISTINCT r.state FROM warnings w JOIN relationships r"
            " ON r.id = w.relationship_id WHERE w.cleared_at IS NULL")
        self.assertLessEqual({s for (s,) in rows}, {"active", "paused"})
        self.assertEqual({p for p in self.rels if self.rels[p]["state"] in ("active", "paused")},
                         set(STRUGGLING) | HEALTHY)

    def test_the_parties_see_them_through_the_api(self):
        for pair in (("Amara Okafor", "Sam Porter"), ("Jonas Berg", "Emma Larsen"),
                     ("Amara Okafor", "Leo Martin")):
            r = self.rels[pair]
            expected = self.open_warnings(pair)
            for email in (r["guide_email"], r["learner_email"]):
                token = self.sign_in(email)
                got = self.server.request("GET", f"/api/v1/relationships/{r['id']}/warnings",
                                          token=token)
                self.assertEqual(got.status, 200, got)
                whose = {r["guide"]: "guide", r["learner"]: "learner", None: None}
                self.assertEqual({(w["code"], whose[w["party"]]) for w in got.json["items"]},
                                 expected)
        admin = self.sign_in("admin@rapport.demo")
        r = self.rels[("Amara Okafor", "Sam Porter")]
        got = self.server.request("GET", f"/api/v1/relationships/{r['id']}/warnings",
                                  token=admin)
        self.assertEqual(got.status, 404, got)
