"""OWASP ASVS 5.0 items of SECURITY.md's checklist that had no test of
their own (docs/security.md maps every item to its test or says why
not). Each test is named after its item.

- 6.2.1  passwords of at least 8 characters
- 6.2.4  the common-password list: at least 3,000 entries that fit the
         policy, and the server refuses them
- 6.2.8/6.2.9  passwords of 64 characters and more are permitted, and
         used whole (no truncation, no case folding)
- 7.2.3  session tokens: unique, 256 random bits, stored only as a keyed hash
- 3.3.2, 3.3.4  every answer that sets the session cookie sets it HttpOnly
         and SameSite
- 14.2.1 a session token in the URL is not accepted
- 3.4.3, 3.4.4, 3.4.5, 14.3.2  the security headers on every answer of
         every route (read from the route tables), problems and the web
         client's files included
- 1.2.4  SQL metacharacters in input are data
- 1.4.1/1.4.2  no unbounded string call or unchecked number reader in src/
- 16.5.1 a failure of the database answers a generic problem
"""

import base64
import os
import re
import unittest

from flows import API, FlowTestCase
from routes_table import REPO, World, classify, routes
from harness import PG_BASE, sqlite_only

LIMIT = f"{API}/dev/storage-limit"


class Passwords(FlowTestCase):

    def add_user(self, password, check=False):
        n = self.server.next_id()
        email = f"asvs.pw.{n}@rapport.test"
        status, out, err = self.server.cli("user", "add", "--db", self.server.db, "--email",
                                           email, "--password", password, "--name", "Pw",
                                           check=check)
        return status, email, out + err

    def sign_in_status(self, email, password):
        return self.post(f"{API}/session", {"email": email, "password": password}).status

    def test_6_2_1_seven_characters_are_refused_eight_accepted(self):
        with self.unchanged():
            status, _, text = self.add_user("kq3vz8w")
        self.assertNotEqual(status, 0, text)
        self.assertIn("Use 8 to 128 characters.", text)
        status, email, text = self.add_user("kq3vz8wp")
        self.assertEqual(status, 0, text)
        self.assertEqual(self.sign_in_status(email, "kq3vz8wp"), 201)

    def test_6_2_9_long_passwords_are_permitted_and_used_whole(self):
        for length in (64, 100, 128):
            with self.subTest(length=length):
                pw = ("Tangerine kite over the harbour " * 5)[:length - 2] + f"{length % 100:02d}"
                self.assertEqual(len(pw), length)
                status, email, text = self.add_user(pw)
                self.assertEqual(status, 0, text)
                self.assertEqual(self.sign_in_status(email, pw), 201)
                # 6.2.8: not truncated, not case-folded.
                self.assertEqual(self.sign_in_status(email, pw[:-1]), 401)
                self.assertEqual(self.sign_in_status(email, pw.upper()), 401)
        status, _, text = self.add_user("x" * 129)
        self.assertNotEqual(status, 0, text)
        self.assertIn("Use 8 to 128 characters.", text)

    def test_6_2_4_the_common_password_list_has_3000_in_policy_and_they_are_refused(self):
        with open(os.path.join(REPO, "data", "common-passwords.txt"), encoding="utf-8") as f:
            entries = [line.strip() for line in f
                       if line.strip() and not line.startswith("#")]
        in_policy = [e for e in entries if 8 <= len(e) <= 128]
        self.assertGreaterEqual(len(in_policy), 3000)
        # A spread of them, each in a case the list does not spell.
        sample = in_policy[::len(in_policy) // 12][:12]
        with self.unchanged():
            for pw in sample:
                status, _, text = self.add_user(pw.swapcase())
                self.assertNotEqual(status, 0, pw)
                self.assertIn("most common passwords", text, pw)


class SessionTokens(FlowTestCase):

    def test_7_2_3_tokens_are_unique_256_bit_and_stored_only_hashed(self):
        who = self.person("Token Holder")
        tokens = [who.token] + [self.sign_in(who).token for _ in range(11)]
        self.assertEqual(len(set(tokens)), len(tokens))
        for t in tokens:
            self.assertRegex(t, r"^[A-Za-z0-9_-]{43}$")
            self.assertEqual(len(base64.urlsafe_b64decode(t + "=")), 32)
        # Over 12 tokens of 32 bytes, every byte value position varies:
        # a counter or a timestamp would repeat its leading bytes.
        raw = [base64.urlsafe_b64decode(t + "=") for t in tokens]
        self.assertGreater(len({r[:4] for r in raw}), 10)
        # Neither the token nor its base64 form is stored.
        rows = self.server.query("SELECT * FROM sessions WHERE person_id = ?", who.id)
        self.assertEqual(len(rows), len(tokens))
        stored = repr(rows).encode()
        files = self.server.file_bytes()
        on_disk = files["db"] + files.get("wal", b"")
        for t, r in zip(tokens, raw):
            self.assertFalse(t.encode() in stored + on_disk, "a session token is stored")
            self.assertFalse(r in on_disk, "a session token's bytes are stored")

    def test_14_2_1_a_token_in_the_url_is_not_accepted(self):
        who = self.person("Url Token")
        for name in ("token", "access_token", "session", "rapport_session", "auth"):
            r = self.get(f"{API}/me?{name}={who.token}")
            self.assertProblem(r, 401, "no_session")
        self.ok(self.get(f"{API}/me", who))


class Cookies(FlowTestCase):
    """3.3.2 and 3.3.4: every answer that sets the session cookie (sign-in,
    accepting an invitation, signing out, deleting one's account) sets it
    HttpOnly and SameSite, for the whole site. A sign-in also sets the
    long-lived device cookie (a new-device sign-in is mailed), the same
    way, and no other."""

    def cookie_of(self, r):
        cookies = r.headers.get_all("Set-Cookie") or []
        self.assertIn(len(cookies), (1, 2), r)
        session = []
        for c in cookies:
            parts = [p.strip() for p in c.split(";")]
            attrs = {p.split("=")[0].lower(): p for p in parts[1:]}
            name = parts[0].partition("=")[0]
            self.assertIn(name, ("rapport_session", "__Host-rapport_session", "rapport_device",
                                 "__Host-rapport_device"), c)
            self.assertIn("httponly", attrs, c)
            self.assertEqual(attrs.get("samesite", "").lower(), "samesite=lax", c)
            self.assertEqual(attrs.get("path"), "Path=/", c)
            if name.endswith("rapport_device"):
                self.assertEqual(attrs.get("max-age"), f"Max-Age={400 * 86400}", c)
                self.assertRegex(parts[0], r"=[A-Za-z0-9_-]{43}$")
            else:
                session.append((parts[0], attrs))
        self.assertEqual(len(session), 1, r)
        return session[0]

    def assertSessionCookie(self, r, cleared=False):
        first, attrs = self.cookie_of(r)
        name, _, value = first.partition("=")
        self.assertIn(name, ("rapport_session", "__Host-rapport_session"), first)
        self.assertEqual(value == "", cleared, first)
        self.assertIn("httponly", attrs, attrs)
        self.assertIn(attrs.get("samesite", "").lower(), ("samesite=lax", "samesite=strict"),
                      attrs)
        self.assertEqual(attrs.get("path"), "Path=/", attrs)
        if cleared:
            self.assertEqual(attrs.get("max-age"), "Max-Age=0", attrs)

    def test_3_3_2_and_3_3_4_every_session_cookie_is_httponly_and_samesite(self):
        who = self.person("Cookie Jar")
        r = self.post(f"{API}/session", {"email": who.email, "password": who.password})
        self.assertEqual(r.status, 201, r)
        self.assertSessionCookie(r)
        token = r.json["token"]
        # Failures set no cookie.
        r = self.post(f"{API}/session", {"email": who.email, "password": "not it at all"})
        self.assertIsNone(r.headers.get("Set-Cookie"), r)
        r = self.delete(f"{API}/session", token)
        self.assertEqual(r.status, 204, r)
        self.assertSessionCookie(r, cleared=True)
        # Accepting an invitation signs the person in.
        email = f"cookie.invited.{self.server.next_id()}@rapport.test"
        program_id = self.program()
        self.ok(self.post(f"{API}/programs/{program_id}/members",
                          {"email": email, "name": "Invited", "role": "learner"}, self.admin), 201)
        found = re.findall(r"dev: invitation for (\S+): /invitation#([A-Za-z0-9_-]{43})",
                           self.server.stderr_text())
        invite = [t for e, t in found if e == email][0]
        r = self.post(f"{API}/invitations/accept", {"token": invite,
                                                    "password": "tangerine kite 42"})
        self.assertEqual(r.status, 201, r)
        self.assertSessionCookie(r)
        # Deleting one's account clears it.
        self.ok(self.confirm(self.sign_in(who)))
        r = self.delete(f"{API}/me", who)
        self.assertEqual(r.status, 204, r)
        self.assertSessionCookie(r, cleared=True)


class Headers(FlowTestCase):
    """The security headers on every answer of every GET route (a party's,
    so most are 200), on problems (401, 404, 405, 422) and on the web
    client's files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world = World(cls.helper(), "HDR").build()

    def check(self, r, where, api=True):
        csp = r.headers.get("Content-Security-Policy", "")
        directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
        problems = []
        # 3.4.3: object-src 'none' and base-uri 'none' must be defined.
        if directives.get("object-src") != "object-src 'none'":
            problems.append(f"{where}: CSP without object-src 'none': {csp!r}")
        if directives.get("base-uri") != "base-uri 'none'":
            problems.append(f"{where}: CSP without base-uri 'none': {csp!r}")
        if directives.get("frame-ancestors") != "frame-ancestors 'none'":
            problems.append(f"{where}: CSP without frame-ancestors 'none': {csp!r}")
        if r.headers.get("X-Content-Type-Options") != "nosniff":  # 3.4.4
            problems.append(f"{where}: no nosniff")
        if r.headers.get("Referrer-Policy") != "no-referrer":  # 3.4.5
            problems.append(f"{where}: Referrer-Policy {r.headers.get('Referrer-Policy')!r}")
        if api and r.headers.get("Cache-Control") != "no-store":  # 14.3.2
            problems.append(f"{where}: Cache-Control {r.headers.get('Cache-Control')!r}")
        return problems

    def test_3_4_3_and_14_3_2_every_route_answers_with_the_headers(self):
        p, problems, calls = self.world.pair, [], 0
        for route in routes():
            if route.method != "GET" or classify(route)[0] == "dev":
                continue
            for path in self.world.paths(route.pattern):
                r = self.get(path, p.guide)
                problems += self.check(r, f"GET {path} ({r.status})",
                                       api=path.startswith("/api"))
                calls += 1
        self.assertGreaterEqual(calls, 30)
        for r, where in ((self.get(f"{API}/me"), "401"),
                         (self.get(f"{API}/notes/999999", p.guide), "404"),
                         (self.request("PATCH", f"{API}/me", {}, p.guide), "405"),
                         (self.post(f"{API}/programs", {"x": 1}, self.admin), "422"),
                         (self.post(f"{API}/session", {"email": "a@b.c", "password": "wrong pw"}),
                          "sign-in 401")):
            problems += self.check(r, where)
        r = self.get("/")
        problems += self.check(r, f"GET / ({r.status})", api=False)
        self.assertEqual(problems, [])


class Injection(FlowTestCase):

    def test_1_2_4_sql_metacharacters_are_data(self):
        p = self.active_relationship()
        texts = ["Robert'); DROP TABLE notes; --", "x' OR '1'='1", "$1 $2 ?1 :name @p %s %n",
                 "\\'; SELECT * FROM persons; --", "\"quoted\" `backticks` ;;; \x7f"]
        ids = [self.note(p, p.guide, "shared", t)["id"] for t in texts]
        for i, t in zip(ids, texts):
            self.assertEqual(self.ok(self.get(f"{API}/notes/{i}", p.learner))["text"], t)
        name = "O'Brien\"; DROP TABLE persons; --"
        pid = self.ok(self.post(f"{API}/programs", {"name": name, "kind": "coaching"},
                                self.admin), 201)["id"]
        self.assertEqual(self.ok(self.get(f"{API}/programs/{pid}", self.admin))["name"], name)
        self.assertTrue({"notes", "persons", "programs"} <= self.server.tables())
        if not PG_BASE:
            self.assertEqual(self.server.query("PRAGMA integrity_check"), [("ok",)])
        # Ids and paging arguments are numbers or 400/404, never SQL.
        for q in ("?after=1%20OR%201=1", "?limit=1;DROP%20TABLE%20notes", "?after=0x10"):
            self.assertProblem(self.get(f"{API}/relationships/{p.rel_id}/notes{q}", p.guide),
                               400, "bad_query")
        self.assertProblem(self.get(f"{API}/notes/1%20OR%201=1", p.guide), 404, "not_found")


class MemorySafety(unittest.TestCase):
    """1.4.1 and 1.4.2 cannot be proven by calling the server; what can be
    checked is that the code keeps to the rules that guard them
    (STYLE.md): none of the unbounded string calls, nor the number
    readers without range checks, anywhere in src/."""

    BANNED = re.compile(r"\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|atoll)\s*\(")

    def test_1_4_1_and_1_4_2_no_banned_calls_in_the_sources(self):
        comment = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
        found, files = [], 0
        for root, _, names in os.walk(os.path.join(REPO, "src")):
            for name in names:
                if not name.endswith((".c", ".h")):
                    continue
                files += 1
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    text = comment.sub(" ", f.read())
                for m in self.BANNED.finditer(text):
                    found.append(f"{os.path.relpath(path, REPO)}: {m.group(1)}")
        self.assertGreater(files, 50)
        self.assertEqual(found, [])
        # The pattern does find what it looks for (and not snprintf).
        self.assertTrue(self.BANNED.search("x = atoi(s);"))
        self.assertFalse(self.BANNED.search("snprintf(b, n, \"%d\", i);"))


class Errors(FlowTestCase):

    LEAKS = re.compile(r"sqlite|SQLITE|sql|SQL|INSERT|SELECT|database or disk|\.db\b|/tmp/|"
                       r"errno|\.c:\d+|0x[0-9a-f]{6,}", re.I)

    @sqlite_only("a full disk is simulated with SQLite's page cap")
    def test_16_5_1_a_failing_database_answers_a_generic_problem(self):
        p = self.active_relationship()
        self.ok(self.post(LIMIT, {"pages": 1}, self.admin))
        try:
            big = "".join(chr(0x41 + (i * 7919) % 26) for i in range(12000))
            r = None
            for i in range(400):
                r = self.post(f"{API}/relationships/{p.rel_id}/notes",
                              {"visibility": "shared", "text": f"{i} {big}"}, p.guide)
                if r.status != 201:
                    break
            prob = self.assertProblem(r, 507, "storage_full")
            for key in ("title", "detail"):
                self.assertIsNone(self.LEAKS.search(prob[key]), prob)
            self.assertEqual(sorted(set(prob) - {"instance"}),
                             ["code", "detail", "status", "title", "type"])
            self.assertEqual(prob.get("instance", f"{API}/relationships/{p.rel_id}/notes"),
                             f"{API}/relationships/{p.rel_id}/notes")
        finally:
            self.ok(self.post(LIMIT, {"pages": 0}, self.admin))
        self.ok(self.post(f"{API}/relationships/{p.rel_id}/notes",
                          {"visibility": "shared", "text": "after"}, p.guide), 201)


if __name__ == "__main__":
    unittest.main()
