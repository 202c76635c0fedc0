"""Sessions: signing in and out, bearer and cookie authentication, CSRF,
and the idle and absolute session timeouts on the dev clock."""

import datetime as dt
import unittest

from harness import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, ApiTestCase, Person, fmt_time, parse_time


class SignIn(ApiTestCase):

    def test_sign_in_gives_token_csrf_token_person_and_cookie(self):
        r = self.post("/api/v1/session", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        body = self.ok(r, 201)
        self.assertEqual(sorted(body), ["csrf_token", "person", "token"])
        self.assertEqual(body["person"], {"id": 1, "email": ADMIN_EMAIL, "name": "Site Admin"})
        self.assertRegex(body["token"], r"^[A-Za-z0-9_-]{43}$")
        self.assertRegex(body["csrf_token"], r"^[A-Za-z0-9_-]{43}$")
        self.assertNotEqual(body["token"], body["csrf_token"])
        cookie = r.headers["Set-Cookie"]
        self.assertEqual(cookie, f"rapport_session={body['token']}; Path=/; HttpOnly; SameSite=Lax")
        me = self.ok(self.get("/api/v1/me", body["token"]))
        self.assertEqual(me["person"]["email"], ADMIN_EMAIL)
        self.assertIs(me["site_admin"], True)

    def test_every_sign_in_is_a_new_session(self):
        a = self.ok(self.post("/api/v1/session", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}), 201)
        b = self.ok(self.post("/api/v1/session", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}), 201)
        self.assertNotEqual(a["token"], b["token"])
        self.assertNotEqual(a["csrf_token"], b["csrf_token"])

    def test_email_is_matched_without_case(self):
        r = self.post("/api/v1/session", {"email": "ADMIN@Rapport.TEST", "password": ADMIN_PASSWORD})
        self.assertEqual(self.ok(r, 201)["person"]["id"], 1)

    def test_wrong_password_and_unknown_email_are_the_same_401(self):
        with self.unchanged():
            wrong = self.post("/api/v1/session", {"email": ADMIN_EMAIL, "password": "not the password"})
            unknown = self.post("/api/v1/session", {"email": "nobody@rapport.test", "password": ADMIN_PASSWORD})
        p1 = self.assertProblem(wrong, 401, "bad_credentials")
        p2 = self.assertProblem(unknown, 401, "bad_credentials")
        self.assertEqual(p1["detail"], p2["detail"])
        self.assertNotIn("Set-Cookie", wrong.headers)

    def test_sign_in_needs_email_and_password(self):
        r = self.post("/api/v1/session", {})
        self.assertProblem(r, 422, "validation")
        self.assertEqual(self.pointers(r), ["/email", "/password"])
        r = self.post("/api/v1/session", {"email": ADMIN_EMAIL, "password": 12345678})
        self.assertProblem(r, 422, "validation", "/password", "Must be a string.")

    def test_invited_person_without_password_cannot_sign_in(self):
        program_id = self.program()
        invited = Person(0, "invited@rapport.test", "Invited", PASSWORD)
        r = self.post(f"/api/v1/programs/{program_id}/members",
                      {"email": invited.email, "name": invited.name, "role": "learner"}, self.admin)
        self.assertIs(self.ok(r, 201)["invited"], True)
        r = self.post("/api/v1/session", {"email": invited.email, "password": PASSWORD})
        self.assertProblem(r, 401, "bad_credentials")

    def test_security_headers_on_answers_and_problems(self):
        for r in (self.get("/api/v1/me", self.admin), self.get("/api/v1/me")):
            self.assertEqual(r.headers["Cache-Control"], "no-store")
            self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
            self.assertEqual(r.headers["X-Frame-Options"], "DENY")
            self.assertEqual(r.headers["Referrer-Policy"], "no-referrer")


class SignOut(ApiTestCase):

    def test_logout_ends_the_session_and_clears_the_cookie(self):
        who = self.person("Leaving")
        self.ok(self.get("/api/v1/me", who))
        r = self.delete("/api/v1/session", who)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(r.body, b"")
        self.assertIn("Max-Age=0", r.headers["Set-Cookie"])
        self.assertTrue(r.headers["Set-Cookie"].startswith("rapport_session=;"))
        self.assertProblem(self.get("/api/v1/me", who), 401, "no_session")

    def test_logout_ends_only_that_session(self):
        who = self.person("Two Devices")
        first = who.token
        self.sign_in(who)
        second = who.token
        self.assertEqual(self.delete("/api/v1/session", first).status, 204)
        self.assertProblem(self.get("/api/v1/me", first), 401, "no_session")
        self.ok(self.get("/api/v1/me", second))

    def test_logout_needs_a_session(self):
        self.assertProblem(self.delete("/api/v1/session"), 401, "no_session")


class MissingSession(ApiTestCase):

    def test_no_credentials_is_401_no_session(self):
        for method, path in (("GET", "/api/v1/me"), ("GET", "/api/v1/relationships"),
                             ("POST", "/api/v1/programs"), ("POST", "/api/v1/relationships")):
            with self.unchanged():
                r = self.request(method, path, {} if method == "POST" else None)
            self.assertProblem(r, 401, "no_session")

    def test_malformed_or_unknown_tokens_are_401(self):
        bad = ["x", "A" * 43, "A" * 200, self.admin.token[:-1], self.admin.token + "A"]
        for token in bad:
            self.assertProblem(self.get("/api/v1/me", token), 401, "no_session")
        r = self.get("/api/v1/me", headers={"Authorization": "Basic YWRtaW46cGFzcw=="})
        self.assertProblem(r, 401, "no_session")

    def test_bearer_header_wins_over_cookie(self):
        # A broken Authorization header is not rescued by a good cookie.
        r = self.get("/api/v1/me", cookie=self.admin.token, headers={"Authorization": "Bearer nope"})
        self.assertProblem(r, 401, "no_session")


class CookieAuth(ApiTestCase):
    """Browsers use the cookie; their writes need the X-CSRF-Token header
    from sign-in and must not be cross-site. Bearer requests need neither."""

    def program_body(self):
        return {"name": f"Cookie program {self.server.next_id()}", "kind": "mentoring"}

    def test_cookie_reads_need_no_csrf_token(self):
        me = self.ok(self.get("/api/v1/me", cookie=self.admin.token))
        self.assertEqual(me["person"]["id"], 1)

    def test_cookie_write_without_csrf_token_is_403(self):
        with self.unchanged():
            r = self.post("/api/v1/programs", self.program_body(), cookie=self.admin.token)
        self.assertProblem(r, 403, "csrf")

    def test_cookie_write_with_wrong_csrf_token_is_403(self):
        other = Person(1, ADMIN_EMAIL, "Site Admin", ADMIN_PASSWORD)
        self.sign_in(other)  # a second session: its CSRF token is not this session's
        with self.unchanged():
            r1 = self.post("/api/v1/programs", self.program_body(), cookie=self.admin.token,
                           csrf=other.csrf)
            r2 = self.post("/api/v1/programs", self.program_body(), cookie=self.admin.token,
                           csrf=self.admin.token)
            r3 = self.post("/api/v1/programs", self.program_body(), cookie=self.admin.token,
                           csrf=self.admin.csrf[:-1])
        for r in (r1, r2, r3):
            self.assertProblem(r, 403, "csrf")

    def test_cookie_write_with_csrf_token_succeeds(self):
        r = self.post("/api/v1/programs", self.program_body(), cookie=self.admin.token,
                      csrf=self.admin.csrf)
        self.ok(r, 201)
        r = self.post("/api/v1/programs", self.program_body(), cookie=self.admin.token,
                      csrf=self.admin.csrf, headers={"Sec-Fetch-Site": "same-origin"})
        self.ok(r, 201)

    def test_cross_site_cookie_write_is_refused_even_with_csrf_token(self):
        with self.unchanged():
            r = self.post("/api/v1/programs", self.program_body(), cookie=self.admin.token,
                          csrf=self.admin.csrf, headers={"Sec-Fetch-Site": "cross-site"})
        p = self.assertProblem(r, 403, "csrf")
        self.assertIn("Cross-site", p["detail"])

    def test_cookie_logout_needs_csrf_token(self):
        who = self.person("Cookie User")
        r = self.delete("/api/v1/session", cookie=who.token)
        self.assertProblem(r, 403, "csrf")
        self.ok(self.get("/api/v1/me", who))  # still signed in
        r = self.delete("/api/v1/session", cookie=who.token, csrf=who.csrf)
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.get("/api/v1/me", who), 401, "no_session")

    def test_bearer_writes_need_no_csrf_token(self):
        r = self.post("/api/v1/programs", self.program_body(), self.admin,
                      headers={"Sec-Fetch-Site": "cross-site"})
        self.ok(r, 201)


class SessionExpiry(ApiTestCase):
    """Sessions end after 30 minutes without use and 12 hours after sign-in
    (README.md). Each test moves the clock, so each signs in afresh."""

    def test_session_idle_31_minutes_is_401_session_expired(self):
        who = self.person("Idle")
        self.ok(self.get("/api/v1/me", who))
        self.advance(minutes=31)
        with self.unchanged():
            r = self.get("/api/v1/me", who)
        self.assertProblem(r, 401, "session_expired")
        self.assertProblem(self.post("/api/v1/programs", {"name": "x", "kind": "coaching"}, who),
                           401)
        self.sign_in(who)
        self.ok(self.get("/api/v1/me", who))

    def test_session_idle_29_minutes_stays_valid(self):
        who = self.person("Busy")
        for _ in range(3):  # 87 minutes in all, never 30 idle
            self.advance(minutes=29)
            self.ok(self.get("/api/v1/me", who))

    def test_session_ends_12_hours_after_sign_in_however_busy(self):
        who = self.person("Marathon")
        started = self.now()
        # The person moves the clock themselves (any signed-in person may in
        # --dev), 25 minutes at a time, so the session is never idle long.
        while self.now() < started + dt.timedelta(hours=12) - dt.timedelta(minutes=25):
            r = self.post("/api/v1/dev/clock", {"now": self.at(minutes=25)}, who)
            self.assertEqual(r.status, 200, r)  # never signs in again
            self.server.clock = parse_time(r.json["now"])
        self.assertLessEqual(self.now() - started, dt.timedelta(hours=12))
        self.ok(self.get("/api/v1/me", who))
        r = self.post("/api/v1/dev/clock",
                      {"now": fmt_time(started + dt.timedelta(hours=12, minutes=1))}, who)
        self.assertEqual(r.status, 200, r)
        self.server.clock = parse_time(r.json["now"])
        self.assertProblem(self.get("/api/v1/me", who), 401, "session_expired")

    def test_dev_clock_needs_a_session_and_an_rfc3339_time(self):
        r = self.post("/api/v1/dev/clock", {"now": self.at(minutes=1)})
        self.assertProblem(r, 401, "no_session")
        r = self.post("/api/v1/dev/clock", {"now": "tomorrow"}, self.admin)
        if r.status == 401:  # the admin's session may have expired with the clock
            self.sign_in(self.admin)
            r = self.post("/api/v1/dev/clock", {"now": "tomorrow"}, self.admin)
        self.assertProblem(r, 422, "validation", "/now")


if __name__ == "__main__":
    unittest.main()
