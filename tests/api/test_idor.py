"""Cross-relationship and cross-program access (IDOR) all 404 (issue 4,
item 5; ASVS 5.0 8.2.2).

Two programs: P1 holds relationships A and B, P2 holds relationship C;
each program has an admin who is not a site admin. A and C are worlds
(routes_table.World): every kind of confidential content written, each
text with a marker. Table-driven from the route tables of src/http/*.c
(routes_table.py): every route with an {id}, the id filled with every id
of its kind in the target world, is called by

    against A: a party of B (same program, other relationship),
               a guide of P2 (a member of another program),
               the admin of P2 (a program admin of another program);
    against C: a guide of P1, the admin of P1, the learner of B.

Every answer is 404 not_found, carries no marker, and a write changes
nothing. The callers have re-typed their password just before (POST
/session/confirm), so routes that need that get as far as their access
rules; without it, deletion answers the same for a foreign id and a
missing one. Program routes are left out for a caller who is a member of that
program (being one is their right to them). The practice library (the
same for everyone) and the dev routes are skipped. The GET routes without
an id (my relationships, my export, my access log, ...) show the same
outsiders nothing of A.
"""

import unittest

from flows import API, FlowTestCase
from routes_table import World, classify, id_kind, marker_re, routes

SKIP = ("library", "dev", "public")


class Idor(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.a = World(h, "IDA").build()
        p1 = cls.a.pair.program_id
        cls.b = World(h, "IDB", h.active_relationship(program_id=p1)).build()
        cls.c = World(h, "IDC").build()
        cls.admin1 = h.program_admin(p1)
        cls.admin2 = h.program_admin(cls.c.pair.program_id)

    def setUp(self):
        # Every attacker has just re-typed their password, so routes that
        # need that (deletion, export) get as far as their access rules.
        for who in (self.b.pair.learner, self.c.pair.guide, self.admin2, self.a.pair.guide,
                    self.admin1):
            self.ok(self.confirm(who))

    def id_routes(self):
        # Unclassified routes too: they fail test_admin_sees_no_text's
        # RouteTable, and must not leak meanwhile.
        out = [r for r in routes() if "{id}" in r.pattern
               and (classify(r) or ("unclassified",))[0] not in SKIP]
        self.assertGreaterEqual(len(out), 50)
        return out

    def attempts(self, world, attackers):
        """Calls every {id} route against world as each attacker; returns
        the list of failures (empty when all is well) and the call count.
        The database is compared before and after each write route's
        calls (every attacker, every id), and the route named when it
        changed."""
        markers = marker_re(world.tag)
        failures, calls = [], 0
        before = self.server.snapshot()
        for route in self.id_routes():
            paths = world.paths(route.pattern)
            self.assertTrue(paths, f"the world has no id for {route.method} {route.pattern}")
            for label, who, same_program in attackers:
                if same_program and id_kind(route.pattern) == "program":
                    continue
                for path in paths:
                    body = None if route.method in ("GET", "DELETE") else world.body(route)
                    r = self.request(route.method, path, body, who)
                    calls += 1
                    if r.status != 404 or (r.json or {}).get("code") != "not_found":
                        failures.append(f"{label}: {route.method} {path} -> {r.status} "
                                        f"{r.body[:120]!r}")
                    found = markers.findall(r.body)
                    if found:
                        failures.append(f"{label}: {route.method} {path} carries {found}")
            if route.method != "GET":
                after = self.server.snapshot()
                if after != before:
                    changed = sorted(t for t in set(before) | set(after)
                                     if before.get(t) != after.get(t))
                    failures.append(f"{route.method} {route.pattern} by outsiders changed "
                                    f"{changed}")
                before = after
        return failures, calls

    def test_every_id_route_of_relationship_a_is_404_for_outsiders(self):
        attackers = [("party of B", self.b.pair.learner, True),
                     ("guide of P2", self.c.pair.guide, False),
                     ("admin of P2", self.admin2, False)]
        failures, calls = self.attempts(self.a, attackers)
        self.assertEqual(failures, [])
        self.assertGreaterEqual(calls, 150)

    def test_every_id_route_of_relationship_c_is_404_for_outsiders(self):
        attackers = [("guide of P1", self.a.pair.guide, False),
                     ("admin of P1", self.admin1, False),
                     ("learner of B", self.b.pair.learner, False)]
        failures, calls = self.attempts(self.c, attackers)
        self.assertEqual(failures, [])
        self.assertGreaterEqual(calls, 150)

    def test_routes_without_ids_show_outsiders_nothing_of_a(self):
        """The lists (my relationships, my export, my access log, ...)
        hold nothing of A for the same outsiders."""
        markers = marker_re(self.a.tag)
        found = []
        for route in routes():
            if route.method != "GET" or "{id}" in route.pattern \
                    or (classify(route) or ("unclassified",))[0] in ("dev", "library"):
                continue
            for label, who in (("party of B", self.b.pair.learner),
                               ("guide of P2", self.c.pair.guide), ("admin of P2", self.admin2)):
                r = self.get(route.pattern, who)
                if markers.findall(r.body):
                    found.append(f"{label}: GET {route.pattern} carries A's text")
                if route.pattern == API + "/relationships" and r.status == 200:
                    ids = [x["id"] for x in r.json["items"]]
                    if self.a.pair.rel_id in ids:
                        found.append(f"{label}: GET {route.pattern} lists A")
        self.assertEqual(found, [])

    def test_an_unconfirmed_delete_answers_alike_for_a_foreign_and_a_missing_id(self):
        """Without a password re-check, deleting is refused before the
        access rules run: the same answer for someone else's relationship
        as for one that does not exist, so it tells nothing."""
        who = self.person("Unconfirmed")
        self.enroll(self.c.pair.program_id, who, "guide")
        with self.unchanged():
            foreign = self.delete(f"{API}/relationships/{self.a.pair.rel_id}", who)
            missing = self.delete(f"{API}/relationships/999999", who)
        def answer(r):
            return r.status, {k: v for k, v in (r.json or {}).items() if k != "instance"}
        self.assertEqual(answer(foreign), answer(missing))
        self.assertIn(foreign.status, (403, 404), foreign)

    def test_the_same_routes_answer_the_parties(self):
        """The 404s are about who asks: A's guide reads A's content routes."""
        for route in self.id_routes():
            if route.method != "GET" or (classify(route) or ("",))[0] != "content":
                continue
            # A 360 request's own view is its requester's (A's learner),
            # not their guide's, with whom only the report is shared.
            reader = self.a.pair.learner if route.pattern == f"{API}/feedback360/{{id}}" \
                else self.a.pair.guide
            for path in self.a.paths(route.pattern):
                r = self.get(path, reader)
                if path.startswith(f"{API}/notes/") and r.status == 404:
                    continue  # the learner's private note
                self.assertEqual(r.status, 200, (path, r))


if __name__ == "__main__":
    unittest.main()
