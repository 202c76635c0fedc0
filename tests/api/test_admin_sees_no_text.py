"""No admin session ever receives confidential text (SECURITY.md promise 2;
issue 4, item 5).

Table-driven over EVERY route of the server: the routes are read from the
route tables in src/http/*.c when the test runs (routes_table.py), so a
route added later is covered, or, when nobody has said what it is, fails
test_every_route_is_classified with its name.

A world is built with a marker in every kind of confidential text (private
notes of both parties, a shared note, feedback, an ask, a request with its
reply, an open request, every agreement text, the goal's texts and a level,
a milestone title, commitments, an incident, a repair plan's
acknowledgement and responsibility, the reasons of a pause and a resume).
Then, as the site admin and as an admin of the program:

- every GET route, with each {id} filled by every id of its kind in the
  world: no answer contains a marker, and content routes are 404;
- every write route, with a valid body: the answer contains no marker, and
  content routes are refused with 404 and change nothing.

The admins have re-typed their password (POST /session/confirm) before, so
the export and deletion routes run their real rules for them (the site
admin's export, and the site admin deleting the relationship last of all,
are answered and must carry no text).

The parties read the same GET routes and between them see every marker,
so the check can see text where there is text. Dev routes (/dev/*,
/bench/*) are skipped: they are not served without --dev.
"""

import unittest

from flows import API, FlowTestCase
from routes_table import World, classify, marker_re, routes, unclassified

TAG = "ZK4"
MARKERS = marker_re(TAG)


def kind_of(route):
    """The route's class, "unclassified" when it has none."""
    return (classify(route) or ("unclassified", ""))[0]


def _order(route):
    """Writes that end sessions or delete things go last, the caller's own
    account last of all."""
    if route.pattern == API + "/me" and route.method == "DELETE":
        return 3
    if route.method == "DELETE":
        return 2
    if route.pattern.startswith(API + "/session"):
        return 1
    return 0


class RouteTable(unittest.TestCase):

    def test_every_route_is_classified(self):
        all_routes = routes()
        # The tables are found: the core's routes at least.
        self.assertGreaterEqual(len(all_routes), 70)
        self.assertIn(("GET", API + "/notes/{id}"), [(r.method, r.pattern) for r in all_routes])
        missing = unclassified(all_routes)
        self.assertEqual(missing, [], "routes nobody classified (add them to "
                         "routes_table.CLASSES with why): " +
                         ", ".join(f"{r.method} {r.pattern} ({r.file}:{r.line})"
                                   for r in missing))

    def test_routes_that_open_text_are_not_classified_as_textless(self):
        """A route the server marks as opening confidential text (and so
        access-logs) must not be public, library or dev."""
        wrong = [f"{r.method} {r.pattern} is {r.access} but classified {classify(r)[0]}"
                 for r in routes() if r.access in ("HTTP_OPENS_TEXT", "HTTP_EXPORTS_TEXT")
                 and classify(r) and classify(r)[0] in ("public", "library", "dev")]
        self.assertEqual(wrong, [])

    def test_the_parser_reads_entries_split_over_lines_and_skips_comments(self):
        import os
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "routes_x.c"), "w") as f:
                f.write('const http_route t[] = {\n'
                        '    {"POST", "/api/v1/a/{id}/b", a_long_handler_name,\n'
                        '     HTTP_SIGNED_IN},\n'
                        '    /* {"GET", "/api/v1/commented", h, HTTP_PUBLIC}, */\n'
                        '    // {"GET", "/api/v1/also-commented", h, HTTP_PUBLIC},\n'
                        '    {"DELETE", "/api/v1/new-thing", h, HTTP_SIGNED_IN},\n'
                        '    {NULL, NULL, NULL, HTTP_PUBLIC},\n};\n')
            got = routes(d)
        self.assertEqual([(r.method, r.pattern, r.line, r.access) for r in got],
                         [("POST", "/api/v1/a/{id}/b", 2, "HTTP_SIGNED_IN"),
                          ("DELETE", "/api/v1/new-thing", 6, "HTTP_SIGNED_IN")])
        self.assertEqual([r.pattern for r in unclassified(got)],
                         ["/api/v1/a/{id}/b", "/api/v1/new-thing"])


class AdminWorld(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.world = World(h, TAG).build()
        cls.program_admin_ = h.program_admin(cls.world.pair.program_id)
        cls.admins = [("site admin", cls.admin), ("program admin", cls.program_admin_)]

    def setUp(self):
        # The admins have just re-typed their password: routes that need
        # it (export, deletion) go on to their real rules.
        for _, who in self.admins:
            self.ok(self.confirm(who))

    def served(self, want):
        """The routes to call: want(method) is true, dev routes left out.
        Unclassified routes are called too (RouteTable fails on them
        anyway): no text may reach an admin through them either."""
        return [r for r in routes() if want(r.method) and kind_of(r) != "dev"]

    def filled(self, route):
        paths = self.world.paths(route.pattern)
        self.assertTrue(paths, f"the world has no id for {route.method} {route.pattern}")
        return paths

    def markers(self, r):
        return sorted(set(m.decode() for m in MARKERS.findall(r.body)))


class AdminReads(AdminWorld):

    def test_no_get_route_gives_an_admin_any_text(self):
        gets = self.served(lambda m: m == "GET")
        self.assertGreaterEqual(len(gets), 30)
        leaks, wrong = [], []
        for route in gets:
            cls_ = kind_of(route)
            for path in self.filled(route):
                for label, who in self.admins:
                    r = self.get(path, who)
                    found = self.markers(r)
                    if found:
                        leaks.append(f"{label}: GET {path} -> {r.status} carries {found}")
                    if cls_ == "content" and r.status != 404:
                        wrong.append(f"{label}: GET {path} -> {r.status}, not 404")
        self.assertEqual(leaks, [], "confidential text reached an admin")
        self.assertEqual(wrong, [], "content routes must be 404 for admins")

    def test_the_parties_see_every_marker_on_the_same_routes(self):
        """So the admin check above is looking where the text is."""
        p = self.world.pair
        seen = set()
        for route in self.served(lambda m: m == "GET"):
            for path in self.filled(route):
                for who in (p.guide, p.learner):
                    seen |= set(self.markers(self.get(path, who)))
        expected = {m.decode() for t in self.world.texts.values()
                    for m in MARKERS.findall(t.encode())}
        self.assertEqual(sorted(expected - seen), [], "texts no party can read back")


class AdminWrites(AdminWorld):

    def test_no_write_route_gives_an_admin_any_text(self):
        writes = sorted(self.served(lambda m: m != "GET"), key=_order)
        self.assertGreaterEqual(len(writes), 30)
        leaks, wrong, calls = [], [], 0
        for route in writes:
            cls_ = kind_of(route)
            path = self.world.fill(route.pattern)
            self.assertIsNotNone(path, f"the world has no id for {route.pattern}")
            for label, who in self.admins:
                if route.method == "DELETE" and route.pattern == API + "/me" \
                        and who is self.admin:
                    continue  # the site admin is still needed; the program admin tries it
                body = self.world.body(route)
                if route.method == "DELETE":
                    body = None
                elif route.pattern == API + "/session":  # the admin's own sign-in
                    body = {"email": who.email, "password": who.password}
                elif route.pattern == API + "/session/confirm":
                    body = {"password": who.password}
                elif route.pattern == API + "/invitations/accept":
                    body = {"token": "A" * 43, "password": "tangerine kite 42"}
                kw = {}
                if route.pattern == API + "/programs/{id}/roster":  # a CSV upload
                    body, kw = None, {"raw": "email,name,role\r\n", "content_type": "text/csv"}
                if cls_ == "content":
                    with self.unchanged():
                        r = self.request(route.method, path, body, who, **kw)
                else:
                    r = self.request(route.method, path, body, who, **kw)
                status = r.status
                # The world's sign-in provider is unreachable on purpose.
                if status == 503 and (r.json or {}).get("code") == "sso_provider_unreachable":
                    status = 200
                calls += 1
                found = self.markers(r)
                if found:
                    leaks.append(f"{label}: {route.method} {path} -> {status} carries {found}")
                if cls_ == "content" and status != 404:
                    wrong.append(f"{label}: {route.method} {path} -> {status}, not 404")
                if status not in (404, 403, 422) and not 200 <= status < 300:
                    if status not in (400, 401, 405, 409):
                        wrong.append(f"{label}: {route.method} {path} -> {status}")
                # Routes that end sessions: sign in again for the next call.
                if _order(route) < 3 and self.get(f"{API}/me", who).status == 401:
                    self.ok(self.confirm(self.sign_in(who)))
        self.assertEqual(leaks, [], "confidential text reached an admin")
        self.assertEqual(wrong, [], "content routes must be 404 for admins")
        self.assertGreaterEqual(calls, 2 * len(writes) - 1)


if __name__ == "__main__":
    unittest.main()
