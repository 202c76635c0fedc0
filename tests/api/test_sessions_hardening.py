"""Session hardening (docs/security.md, the ASVS table):

- 7.2.4: a sign-in that presents the token of an earlier session (bearer or
  cookie) ends that session: a new token, the old one dead.
- 7.5.2: ending another session (DELETE /me/sessions/{id}, DELETE
  /me/sessions) needs the password re-check (POST /session/confirm);
  signing out (the current session) does not.
- 3.3.1 / 3.3.3: served over HTTPS (`rapport serve --public-url https://...`)
  the session cookie is `__Host-rapport_session` and Secure, and answers
  carry HSTS; on plain http (tests, make run) the cookie is as before and
  there is no HSTS.
- 16.3.1: sign-in successes and failures, throttling, password re-check
  failures and session ends are lines "security event=..." in the server
  log, with the client address, the person id on success, and on failure
  a keyed hash of the e-mail address, never the address or the password.
"""

import re

from harness import ApiTestCase, Person

API = "/api/v1"
PUBLIC_URL = "https://rapport.example.org"


def sign_in_response(case, who, password=None, **kw):
    return case.request("POST", f"{API}/session",
                        {"email": who.email, "password": password or who.password}, **kw)


class SignInEndsEarlierSession(ApiTestCase):
    """ASVS 7.2.4: new token at sign-in, the earlier one dead."""

    def test_sign_in_with_the_bearer_token_of_an_earlier_session_ends_it(self):
        who = self.person("Returning")
        old = who.token
        r = sign_in_response(self, who, token=old)
        new = self.ok(r, 201)["token"]
        self.assertNotEqual(new, old)
        self.assertProblem(self.get(f"{API}/me", old), 401, "no_session")
        self.ok(self.get(f"{API}/me", new))
        self.assertEqual(len(self.ok(self.get(f"{API}/me/sessions", new))["items"]), 1)

    def test_sign_in_with_the_cookie_of_an_earlier_session_ends_it(self):
        who = self.person("Browser")
        old = who.token
        r = sign_in_response(self, who, cookie=old)
        new = self.ok(r, 201)["token"]
        self.assertNotEqual(new, old)
        self.assertIn(f"rapport_session={new};", r.headers["Set-Cookie"])
        self.assertProblem(self.get(f"{API}/me", old), 401, "no_session")
        self.ok(self.get(f"{API}/me", new))

    def test_signing_in_as_someone_else_ends_the_session_the_browser_had(self):
        first = self.person("First")
        second = self.person("Second")
        r = sign_in_response(self, second, cookie=first.token)
        self.ok(r, 201)
        self.assertProblem(self.get(f"{API}/me", first.token), 401, "no_session")
        self.ok(self.get(f"{API}/me", second.token))

    def test_a_failed_sign_in_leaves_the_earlier_session_alone(self):
        who = self.person("Typo")
        r = sign_in_response(self, who, password="not the password", token=who.token)
        self.assertProblem(r, 401, "bad_credentials")
        self.ok(self.get(f"{API}/me", who))

    def test_a_sign_in_without_an_earlier_token_keeps_other_sessions(self):
        who = self.person("Two Devices")
        phone = who.token
        self.ok(sign_in_response(self, who), 201)
        self.ok(self.get(f"{API}/me", phone))


class EndingSessionsNeedsThePassword(ApiTestCase):
    """ASVS 7.5.2: re-authentication before ending other sessions."""

    def two_sessions(self, name):
        who = self.person(name)
        phone = who.token
        laptop = self.sign_in(Person(who.id, who.email, who.name, who.password)).token
        sessions = self.ok(self.get(f"{API}/me/sessions", laptop))["items"]
        (phone_id,) = [s["id"] for s in sessions if not s["current"]]
        (laptop_id,) = [s["id"] for s in sessions if s["current"]]
        return who, phone, phone_id, laptop, laptop_id

    def test_ending_another_session_without_the_recheck_is_403(self):
        who, phone, phone_id, laptop, _ = self.two_sessions("Unchecked")
        r = self.delete(f"{API}/me/sessions/{phone_id}", laptop)
        self.assertProblem(r, 403, "password_check_needed")
        self.ok(self.get(f"{API}/me", phone))
        self.ok(self.confirm(laptop, who.password))
        self.assertEqual(self.delete(f"{API}/me/sessions/{phone_id}", laptop).status, 204)
        self.assertProblem(self.get(f"{API}/me", phone), 401, "no_session")

    def test_ending_all_other_sessions_without_the_recheck_is_403(self):
        who, phone, _, laptop, _ = self.two_sessions("Unchecked All")
        with self.unchanged():
            r = self.delete(f"{API}/me/sessions", laptop)
        self.assertProblem(r, 403, "password_check_needed")
        self.ok(self.get(f"{API}/me", phone))
        self.ok(self.confirm(laptop, who.password))
        self.assertEqual(self.ok(self.delete(f"{API}/me/sessions", laptop)), {"ended": 1})
        self.assertProblem(self.get(f"{API}/me", phone), 401, "no_session")

    def test_a_wrong_password_does_not_unlock_ending_sessions(self):
        _, phone, phone_id, laptop, _ = self.two_sessions("Wrong")
        r = self.confirm(laptop, "not my password")
        self.assertProblem(r, 403, "wrong_password")
        self.assertProblem(self.delete(f"{API}/me/sessions/{phone_id}", laptop), 403,
                           "password_check_needed")
        self.ok(self.get(f"{API}/me", phone))

    def test_a_recheck_of_another_session_does_not_count(self):
        who, phone, phone_id, laptop, laptop_id = self.two_sessions("Elsewhere")
        self.ok(self.confirm(phone, who.password))
        self.assertProblem(self.delete(f"{API}/me/sessions/{phone_id}", laptop), 403,
                           "password_check_needed")
        self.assertEqual(self.delete(f"{API}/me/sessions/{laptop_id}", phone).status, 204)

    def test_ending_the_current_session_needs_no_recheck(self):
        _, phone, _, laptop, laptop_id = self.two_sessions("Leaving")
        r = self.delete(f"{API}/me/sessions/{laptop_id}", laptop)
        self.assertEqual(r.status, 204, r)
        self.assertIn("Max-Age=0", r.headers["Set-Cookie"])
        self.assertProblem(self.get(f"{API}/me", laptop), 401, "no_session")
        self.assertEqual(self.delete(f"{API}/session", phone).status, 204)
        self.assertProblem(self.get(f"{API}/me", phone), 401, "no_session")


class PlainHttpCookie(ApiTestCase):
    """On plain http (no --public-url) the cookie is as before: a browser on
    http://127.0.0.1 would drop a Secure or __Host- cookie."""

    def test_cookie_has_no_secure_and_no_host_prefix_and_there_is_no_hsts(self):
        who = self.person("Local")
        r = sign_in_response(self, who)
        token = self.ok(r, 201)["token"]
        self.assertEqual(r.headers["Set-Cookie"],
                         f"rapport_session={token}; Path=/; HttpOnly; SameSite=Lax")
        self.assertIsNone(r.headers.get("Strict-Transport-Security"))
        self.assertIsNone(self.get("/").headers.get("Strict-Transport-Security"))
        self.ok(self.request("GET", f"{API}/me", cookie=token))
        r = self.delete(f"{API}/session", token)
        self.assertEqual(r.headers["Set-Cookie"],
                         "rapport_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")


class HttpsCookie(ApiTestCase):
    """ASVS 3.3.1 / 3.3.3 when served over HTTPS (`rapport serve ...
    --public-url https://...`: behind a TLS proxy)."""

    server_args = {"serve_args": ("--public-url", PUBLIC_URL)}

    def test_cookie_is_secure_with_the_host_prefix_and_answers_carry_hsts(self):
        who = self.person("Remote")
        r = sign_in_response(self, who)
        token = self.ok(r, 201)["token"]
        self.assertEqual(r.headers["Set-Cookie"],
                         f"__Host-rapport_session={token}; Path=/; Secure; HttpOnly; SameSite=Lax")
        self.assertEqual(r.headers["Strict-Transport-Security"], "max-age=31536000")
        self.assertEqual(self.get("/").headers["Strict-Transport-Security"], "max-age=31536000")
        self.assertEqual(self.get(f"{API}/me", token).headers["Strict-Transport-Security"],
                         "max-age=31536000")

    def test_only_the_host_prefixed_cookie_authenticates(self):
        who = self.person("Cookie Jar")
        token = self.ok(sign_in_response(self, who), 201)["token"]
        self.ok(self.request("GET", f"{API}/me",
                             headers={"Cookie": f"__Host-rapport_session={token}"}))
        self.assertProblem(self.request("GET", f"{API}/me",
                                        headers={"Cookie": f"rapport_session={token}"}),
                           401, "no_session")
        r = self.request("DELETE", f"{API}/session", token=token)
        self.assertEqual(r.headers["Set-Cookie"],
                         "__Host-rapport_session=; Path=/; Secure; HttpOnly; SameSite=Lax; "
                         "Max-Age=0")

    def test_public_url_must_be_http_or_https(self):
        status, _, err = self.server.cli("serve", "--db", self.server.db, "--listen",
                                         "127.0.0.1:0", "--public-url", "ftp://rapport.example.org",
                                         check=False)
        self.assertEqual(status, 2)
        self.assertIn("--public-url", err)


class SecurityLog(ApiTestCase):
    """ASVS 16.3.1: security events in the server log (its text lines; the
    same messages are the "msg" of the JSON lines)."""

    server_args = {"log_format": "text"}

    def log_lines(self, since):
        return [line for line in self.server.stderr_text()[since:].splitlines()
                if " security event=" in line]

    def mark(self):
        return len(self.server.stderr_text())

    def test_a_successful_sign_in_is_logged_with_the_person_and_address(self):
        who = self.person("Logged In", sign_in=False)
        at = self.mark()
        self.ok(sign_in_response(self, who), 201)
        (line,) = self.log_lines(at)
        self.assertRegex(line, r" info security event=sign_in outcome=success "
                               rf"person={who.id} address=127\.0\.0\.1 ended_prior=no$")
        self.assertNotIn(who.email, line)

    def test_a_failed_sign_in_is_logged_without_the_email_or_the_password(self):
        who = self.person("Failing", sign_in=False)
        at = self.mark()
        wrong = "wrong password 7f3a"
        self.assertProblem(sign_in_response(self, who, password=wrong), 401, "bad_credentials")
        self.assertProblem(sign_in_response(self, who, password=wrong), 401, "bad_credentials")
        nobody = Person(0, "nobody.here@rapport.test", "Nobody", wrong)
        self.assertProblem(sign_in_response(self, nobody), 401, "bad_credentials")
        lines = self.log_lines(at)
        self.assertEqual(len(lines), 3, lines)
        tags = []
        for line in lines:
            m = re.search(r" warn security event=sign_in outcome=failure reason=bad_credentials "
                          r"account=([0-9a-f]{16}) address=127\.0\.0\.1$", line)
            self.assertTrue(m, line)
            tags.append(m.group(1))
        # The same account gets the same tag, another address another one.
        self.assertEqual(tags[0], tags[1])
        self.assertNotEqual(tags[0], tags[2])
        log = self.server.stderr_text()
        for secret in (wrong, who.email, nobody.email, who.email.split("@")[0]):
            self.assertNotIn(secret, log)

    def test_throttling_is_logged(self):
        who = self.person("Throttled", sign_in=False)
        for _ in range(5):
            self.assertProblem(sign_in_response(self, who, password="nope nope"), 401,
                               "bad_credentials")
        at = self.mark()
        r = sign_in_response(self, who)
        self.assertProblem(r, 429, "too_many_sign_ins")
        (line,) = self.log_lines(at)
        self.assertRegex(line, r" warn security event=sign_in_throttled account=[0-9a-f]{16} "
                               rf"address=127\.0\.0\.1 retry_after={r.headers['Retry-After']}$")

    def test_a_failed_password_recheck_is_logged(self):
        who = self.person("Rechecking")
        at = self.mark()
        r = self.confirm(who, "not it at all")
        self.assertProblem(r, 403, "wrong_password")
        (line,) = self.log_lines(at)
        self.assertRegex(line, r" warn security event=password_recheck outcome=failure "
                               rf"reason=wrong_password person={who.id} address=127\.0\.0\.1$")
        self.assertNotIn("not it at all", self.server.stderr_text())

    def test_session_ends_are_logged(self):
        who = self.person("Ending")
        phone = who.token
        laptop = self.sign_in(Person(who.id, who.email, who.name, who.password)).token
        third = self.sign_in(Person(who.id, who.email, who.name, who.password)).token
        items = self.ok(self.get(f"{API}/me/sessions", laptop))["items"]
        phone_id = items[0]["id"]  # in id order: the phone's came first
        self.assertFalse(items[0]["current"])
        self.ok(self.confirm(laptop, who.password))
        at = self.mark()
        self.assertEqual(self.delete(f"{API}/me/sessions/{phone_id}", laptop).status, 204)
        self.assertEqual(self.ok(self.delete(f"{API}/me/sessions", laptop)), {"ended": 1})
        self.assertEqual(self.delete(f"{API}/session", laptop).status, 204)
        lines = self.log_lines(at)
        self.assertEqual(len(lines), 3, lines)
        self.assertRegex(lines[0], r" info security event=session_ended how=ended_by_owner "
                                   rf"person={who.id} session={phone_id} address=127\.0\.0\.1$")
        self.assertRegex(lines[1], r" info security event=session_ended "
                                   rf"how=others_ended_by_owner person={who.id} count=1 "
                                   r"address=127\.0\.0\.1$")
        self.assertRegex(lines[2], r" info security event=session_ended how=sign_out "
                                   rf"person={who.id} address=127\.0\.0\.1$")
        log = self.server.stderr_text()
        for token in (phone, laptop, third):
            self.assertNotIn(token, log)
