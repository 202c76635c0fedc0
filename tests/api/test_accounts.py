"""Accounts and sessions (SECURITY.md, docs/security.md): sign-in
throttling per account and per address, the common-password list, rehashing,
a person's list of sessions, the session timeouts, invitations, and the
per-connection caps of the HTTP server.

Throttling numbers (src/app/people/auth.c): 5 failed sign-ins per e-mail address
and 20 per client address within 15 minutes; past that, 429 with
Retry-After until the window has moved on. Every test here signs in from
127.0.0.1, so classes that fail sign-ins keep their counts apart by moving
the clock past the window first."""

import re
import socket
import sqlite3
import unittest

from harness import PASSWORD, ApiTestCase, Person

API = "/api/v1"
WINDOW_MIN = 15
# An Argon2id hash of OLD_PASSWORD made with weaker parameters (m = 8 KiB,
# t = 1) than the server uses (64 MiB, t = 3), as an older release or a
# changed setting would have left it.
OLD_PASSWORD = "an old weak hash pw"
OLD_HASH = "$argon2id$v=19$m=8,t=1,p=1$kEkYVQ/LaSwgiQd3P+EfPA$EGHgOfdo16DecpJBqqc+hQ3QwdaGadinZUEAIhR5Hjg"
CURRENT_PREFIX = "$argon2id$v=19$m=65536,t=3,p=1$"
SESSION_KEYS = ["created_at", "current", "id", "last_seen_at"]


class AccountsCase(ApiTestCase):
    """Helpers shared by the classes below."""

    def sign_in_raw(self, email, password, forwarded_for=None):
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else None
        return self.post(f"{API}/session", {"email": email, "password": password},
                         headers=headers)

    def fail_sign_in(self, who, times, forwarded_for=None):
        for _ in range(times):
            r = self.sign_in_raw(who.email, "not the password at all", forwarded_for)
            self.assertProblem(r, 401, "bad_credentials")

    def assertThrottled(self, r, retry_after):
        p = self.assertProblem(r, 429, "too_many_sign_ins")
        self.assertEqual(r.headers["Retry-After"], str(retry_after), r)
        self.assertNotIn("Set-Cookie", r.headers)
        self.assertNotIn("token", p)
        return p

    def sessions_of(self, who):
        return self.server.query("SELECT id FROM sessions WHERE person_id = ? ORDER BY id", who.id)

    def failures(self):
        return self.server.query("SELECT email, address, at FROM login_failures ORDER BY id")

    def fresh_window(self):
        """Moves the clock past the throttling window (and signs the admin
        in again if that ended their session)."""
        self.advance(minutes=WINDOW_MIN + 1)
        self.sign_in(self.admin)

    def invitation_token(self, email):
        """The token the dev server logged for email's invitation."""
        found = re.findall(r"dev: invitation for (\S+): /invitation#([A-Za-z0-9_-]{43})",
                           self.server.stderr_text())
        tokens = [t for e, t in found if e == email.lower()]
        self.assertEqual(len(tokens), 1, f"invitation log lines: {found!r}")
        return tokens[0]

    def invite(self, email, name="Invited Person"):
        """Enrolls a new e-mail address in a new program; returns (person id, token)."""
        program_id = self.program()
        r = self.post(f"{API}/programs/{program_id}/members",
                      {"email": email, "name": name, "role": "learner"}, self.admin)
        body = self.ok(r, 201)
        self.assertEqual(sorted(body), ["invited", "person_id", "role"])
        self.assertIs(body["invited"], True)
        return body["person_id"], self.invitation_token(email)

    def write_db(self, sql, *args):
        """A direct write to the database, for setting up what only an older
        release could have left (the server keeps running)."""
        self.server.execute(sql, *args)


class AccountThrottle(AccountsCase):

    def setUp(self):
        self.fresh_window()

    def test_five_bad_passwords_then_429_with_retry_after_even_for_the_right_password(self):
        who = self.person("Forgetful")
        self.fail_sign_in(who, 5)
        before = self.sessions_of(who)
        self.assertThrottled(self.sign_in_raw(who.email, "not the password at all"), 900)
        r = self.assertThrottled(self.sign_in_raw(who.email, who.password), 900)
        self.assertEqual(self.sessions_of(who), before)
        # Blocked attempts are not counted: five rows, not seven.
        self.assertEqual(len([f for f in self.failures() if f[0] == who.email]), 5)
        # Other accounts from the same address are not affected.
        other = self.person("Bystander")
        self.ok(self.get(f"{API}/me", other))
        self.advance(minutes=WINDOW_MIN - 1)
        self.assertThrottled(self.sign_in_raw(who.email, who.password), 60)
        self.advance(minutes=1)
        body = self.ok(self.sign_in_raw(who.email, who.password), 201)
        self.assertEqual(body["person"]["id"], who.id)
        # The success forgot the account's failures.
        self.assertEqual([f for f in self.failures() if f[0] == who.email], [])

    def test_a_successful_sign_in_resets_the_accounts_count(self):
        who = self.person("Clumsy")
        self.fail_sign_in(who, 4)
        self.sign_in(who)
        self.fail_sign_in(who, 5)  # would be 429 from the second on without the reset
        self.assertThrottled(self.sign_in_raw(who.email, who.password), 900)

    def test_the_email_is_matched_without_case(self):
        who = self.person("Shouty")
        for i in range(5):
            email = who.email.upper() if i % 2 else who.email
            self.assertProblem(self.sign_in_raw(email, "wrong wrong wrong"), 401, "bad_credentials")
        self.assertThrottled(self.sign_in_raw(who.email.upper(), who.password), 900)

    def test_unknown_accounts_are_throttled_alike(self):
        ghost = Person(0, "nobody.at.all@rapport.test", "Nobody", PASSWORD)
        self.fail_sign_in(ghost, 5)
        p1 = self.assertThrottled(self.sign_in_raw(ghost.email, PASSWORD), 900)
        who = self.person("Real")
        self.fail_sign_in(who, 5)
        p2 = self.assertThrottled(self.sign_in_raw(who.email, who.password), 900)
        self.assertEqual(p1["detail"], p2["detail"])

    def test_throttled_attempts_change_nothing(self):
        who = self.person("Locked")
        self.fail_sign_in(who, 5)
        before = self.server.snapshot()
        self.assertThrottled(self.sign_in_raw(who.email, who.password), 900)
        self.assertThrottled(self.sign_in_raw(who.email, "still wrong though"), 900)
        self.assertEqual(self.server.snapshot(), before)


class AddressThrottle(AccountsCase):
    """20 failures from one address, spread so that no account reaches its
    own limit, close the address to every account for the window."""

    def test_twenty_failures_across_accounts_block_the_address(self):
        people = [self.person(f"Spray {i}") for i in range(6)]
        for who in people[:5]:
            self.fail_sign_in(who, 4)
        self.assertThrottled(self.sign_in_raw(people[5].email, people[5].password), 900)
        self.assertThrottled(self.sign_in_raw(people[0].email, people[0].password), 900)
        # Signed-in people go on working: only signing in is refused.
        self.ok(self.get(f"{API}/me", people[5]))
        self.advance(minutes=WINDOW_MIN)
        self.ok(self.sign_in_raw(people[5].email, people[5].password), 201)
        self.ok(self.sign_in_raw(people[0].email, people[0].password), 201)


class ForwardedAddresses(AccountsCase):
    """Behind the TLS proxy of docs/operations.md every client connects from
    127.0.0.1; the address the proxy put last in X-Forwarded-For is the
    client's. The header counts only on connections from this machine."""

    def test_the_proxys_last_forwarded_address_is_the_one_throttled(self):
        people = [self.person(f"Proxied {i}") for i in range(7)]
        client = "203.0.113.7"
        for who in people[:5]:
            self.fail_sign_in(who, 4, client)
        self.assertThrottled(self.sign_in_raw(people[5].email, people[5].password, client), 900)
        # Addresses the client adds before the proxy's own do not help.
        spoofed = f"198.51.100.1, 10.0.0.1,{client}"
        self.assertThrottled(self.sign_in_raw(people[5].email, people[5].password, spoofed), 900)
        # Other clients of the same proxy, and direct connections, are not affected.
        self.ok(self.sign_in_raw(people[5].email, people[5].password, "203.0.113.8"), 201)
        self.ok(self.sign_in_raw(people[6].email, people[6].password), 201)

    def test_addresses_are_stored_as_ipv4_or_ipv6_64_prefixes(self):
        who = self.person("Addresses")
        cases = [("2001:db8:1:2:aaaa:bbbb:cccc:5", "2001:db8:1:2::/64"),
                 ("::ffff:203.0.113.9", "203.0.113.9"),
                 ("192.0.2.1 ", "192.0.2.1"),
                 ("unknown", "127.0.0.1"),
                 ("203.0.113.10, not-an-address", "127.0.0.1"),
                 (None, "127.0.0.1")]
        now = int(self.now().timestamp())
        for forwarded, stored in cases:
            self.assertProblem(self.sign_in_raw(who.email, "wrong wrong wrong", forwarded), 401)
            mine = [f for f in self.failures() if f[0] == who.email]
            self.assertEqual(mine, [(who.email, stored, now)], forwarded)
            self.sign_in(who)  # a success forgets the account's failures


class CommonPasswords(AccountsCase):

    def test_user_add_refuses_a_common_password_and_the_email_address(self):
        cases = [("Password123", "most common passwords"), ("QWERTYUIOP", "most common passwords"),
                 ("Common.Pw@Rapport.Test", "e-mail address")]
        for password, why in cases:
            with self.unchanged():
                status, out, err = self.server.cli(
                    "user", "add", "--db", self.server.db, "--email", "common.pw@rapport.test",
                    "--password", password, "--name", "Common", check=False)
            self.assertNotEqual(status, 0, out)
            self.assertIn(why, err)
        status, out, _ = self.server.cli("user", "add", "--db", self.server.db, "--email",
                                         "common.pw@rapport.test", "--password",
                                         "tangerine kite 42", "--name", "Common")
        self.assertIn("Added common.pw@rapport.test", out)

    def test_invitation_accept_refuses_common_passwords_and_the_email_address(self):
        email = "invited.common@rapport.test"
        person_id, token = self.invite(email)
        cases = [("password1", "most common passwords"), ("Sunshine123", "most common passwords"),
                 ("Iloveyou!", "most common passwords"), ("short", "Use 8 to 128 characters."),
                 ("Invited.Common@rapport.test", "e-mail address")]
        for password, why in cases:
            with self.unchanged():
                r = self.post(f"{API}/invitations/accept", {"token": token, "password": password})
            self.assertProblem(r, 422, "validation", "/password", why)
        # The invitation is still good for an acceptable password.
        body = self.ok(self.post(f"{API}/invitations/accept",
                                 {"token": token, "password": "tangerine kite 42"}), 201)
        self.assertEqual(body["person"]["id"], person_id)


class Rehash(AccountsCase):

    def test_a_hash_with_old_parameters_is_replaced_at_sign_in(self):
        who = self.person("Old Timer", sign_in=False)
        self.write_db("UPDATE persons SET password_hash = ? WHERE id = ?", OLD_HASH, who.id)
        self.assertProblem(self.sign_in_raw(who.email, PASSWORD), 401, "bad_credentials")
        self.ok(self.sign_in_raw(who.email, OLD_PASSWORD), 201)
        (stored,), = self.server.query("SELECT password_hash FROM persons WHERE id = ?", who.id)
        self.assertTrue(stored.startswith(CURRENT_PREFIX), stored)
        self.ok(self.sign_in_raw(who.email, OLD_PASSWORD), 201)
        (again,), = self.server.query("SELECT password_hash FROM persons WHERE id = ?", who.id)
        self.assertEqual(again, stored)  # current parameters: not hashed again

    def test_a_current_hash_is_left_alone(self):
        who = self.person("Current", sign_in=False)
        (before,), = self.server.query("SELECT password_hash FROM persons WHERE id = ?", who.id)
        self.assertTrue(before.startswith(CURRENT_PREFIX), before)
        self.sign_in(who)
        (after,), = self.server.query("SELECT password_hash FROM persons WHERE id = ?", who.id)
        self.assertEqual(after, before)


class Sessions(AccountsCase):

    def list_sessions(self, token):
        return self.ok(self.get(f"{API}/me/sessions", token))

    def test_a_new_token_at_each_sign_in(self):
        who = self.person("Twice")
        first = who.token
        second = self.sign_in(who).token
        self.assertNotEqual(first, second)
        self.ok(self.get(f"{API}/me", first))
        self.ok(self.get(f"{API}/me", second))
        self.assertEqual(len(self.sessions_of(who)), 2)

    def test_the_list_shows_my_sessions_marks_the_current_one_and_no_secrets(self):
        who = self.person("Three Devices")
        tokens = [who.token, self.sign_in(who).token, self.sign_in(who).token]
        stranger = self.person("Stranger")
        page = self.list_sessions(tokens[1])
        self.assertEqual(sorted(page), ["items", "next"])
        self.assertIsNone(page["next"])
        items = page["items"]
        self.assertEqual([s["id"] for s in items], [row[0] for row in self.sessions_of(who)])
        for s in items:
            self.assertEqual(sorted(s), SESSION_KEYS)
            self.assertEqual(s["created_at"], self.at())
            self.assertEqual(s["last_seen_at"], self.at())
        self.assertEqual([s["current"] for s in items], [False, True, False])
        text = self.get(f"{API}/me/sessions", tokens[1]).body.decode()
        for t in tokens:
            self.assertNotIn(t, text)
        # Someone else's list holds their own sessions only.
        theirs = self.list_sessions(stranger.token)["items"]
        self.assertEqual([s["id"] for s in theirs], [row[0] for row in self.sessions_of(stranger)])
        self.assertEqual([s["current"] for s in theirs], [True])

    def test_the_list_pages(self):
        who = self.person("Many Devices")
        for _ in range(3):
            self.sign_in(who)
        page = self.list_sessions_page(who, "?limit=2")
        self.assertEqual(len(page["items"]), 2)
        rest = self.list_sessions_page(who, f"?limit=2&after={page['next']}")
        self.assertEqual(len(rest["items"]), 2)
        self.assertIsNone(rest["next"])
        self.assertEqual([s["current"] for s in page["items"] + rest["items"]],
                         [False, False, False, True])

    def list_sessions_page(self, who, query):
        return self.ok(self.get(f"{API}/me/sessions{query}", who))

    def test_ending_one_of_my_sessions(self):
        who = self.person("Lost Phone")
        phone = who.token
        laptop = self.sign_in(who).token
        phone_id = [s for s in self.list_sessions(laptop)["items"] if not s["current"]][0]["id"]
        self.ok(self.confirm(laptop, who.password))
        r = self.delete(f"{API}/me/sessions/{phone_id}", laptop)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(r.body, b"")
        self.assertProblem(self.get(f"{API}/me", phone), 401, "no_session")
        self.ok(self.get(f"{API}/me", laptop))
        self.assertProblem(self.delete(f"{API}/me/sessions/{phone_id}", laptop), 404, "not_found")

    def test_nobody_ends_another_persons_session(self):
        victim = self.person("Victim")
        attacker = self.person("Attacker")
        (victim_session,), = self.sessions_of(victim)
        for who in (attacker, self.admin):
            self.ok(self.confirm(who))
            r = self.delete(f"{API}/me/sessions/{victim_session}", who)
            self.assertProblem(r, 404, "not_found")
        self.assertProblem(self.delete(f"{API}/me/sessions/999999", attacker), 404, "not_found")
        self.ok(self.get(f"{API}/me", victim))
        self.assertEqual(self.sessions_of(victim), [(victim_session,)])

    def test_ending_all_my_other_sessions(self):
        who = self.person("Worried")
        others = [who.token, self.sign_in(who).token]
        keep = self.sign_in(who).token
        bystander = self.person("Bystander")
        self.ok(self.confirm(keep, who.password))
        body = self.ok(self.delete(f"{API}/me/sessions", keep))
        self.assertEqual(body, {"ended": 2})
        for t in others:
            self.assertProblem(self.get(f"{API}/me", t), 401, "no_session")
        items = self.list_sessions(keep)["items"]
        self.assertEqual([s["current"] for s in items], [True])
        self.ok(self.get(f"{API}/me", bystander))
        self.assertEqual(self.ok(self.delete(f"{API}/me/sessions", keep)), {"ended": 0})

    def test_ending_my_current_session_signs_me_out(self):
        who = self.person("Leaving")
        current, = self.list_sessions(who.token)["items"]
        self.assertEqual(self.delete(f"{API}/me/sessions/{current['id']}", who).status, 204)
        self.assertProblem(self.get(f"{API}/me", who), 401, "no_session")

    def test_session_routes_need_a_session_and_csrf_with_a_cookie(self):
        for method in ("GET", "DELETE"):
            self.assertProblem(self.request(method, f"{API}/me/sessions"), 401, "no_session")
        self.assertProblem(self.delete(f"{API}/me/sessions/1"), 401, "no_session")
        who = self.person("Browser")
        other = self.sign_in(Person(who.id, who.email, who.name, who.password))
        r = self.request("DELETE", f"{API}/me/sessions", cookie=who.token)
        self.assertProblem(r, 403, "csrf")
        self.ok(self.get(f"{API}/me", other))
        self.ok(self.request("POST", f"{API}/session/confirm", {"password": who.password},
                             cookie=who.token, csrf=who.csrf))
        r = self.request("DELETE", f"{API}/me/sessions", cookie=who.token, csrf=who.csrf)
        self.assertEqual(self.ok(r), {"ended": 1})
        self.assertProblem(self.get(f"{API}/me", other), 401, "no_session")


class SessionTimeouts(AccountsCase):
    """30 minutes idle, 12 hours in all; expired sessions leave the list at
    once and the database an hour later (the jobs)."""

    def jobs(self):
        self.sign_in(self.admin)
        return self.ok(self.post(f"{API}/dev/jobs", {}, self.admin))

    def test_an_idle_session_expires_after_30_minutes_and_leaves_the_list(self):
        who = self.person("Two Tabs")
        idle = who.token
        busy = self.sign_in(who).token
        self.advance(minutes=20)
        self.ok(self.get(f"{API}/me", busy))
        self.advance(minutes=10)
        self.ok(self.get(f"{API}/me", busy))  # 30 minutes idle is still alive
        items = self.ok(self.get(f"{API}/me/sessions", busy))["items"]
        self.assertEqual(len(items), 2)
        self.advance(minutes=1)
        items = self.ok(self.get(f"{API}/me/sessions", busy))["items"]
        self.assertEqual([s["current"] for s in items], [True])
        self.assertEqual(items[0]["last_seen_at"], self.at(minutes=-1))
        self.assertProblem(self.get(f"{API}/me", idle), 401, "session_expired")

    def test_a_session_ends_12_hours_after_sign_in_however_busy(self):
        who = self.person("Marathon")
        for _ in range(28):  # 28 x 25 minutes = 11 h 40 min, never idle 30 minutes
            self.advance(minutes=25)
            self.ok(self.get(f"{API}/me", who))
        self.advance(minutes=20)
        self.ok(self.get(f"{API}/me", who))  # 12 h exactly
        self.advance(minutes=1)
        self.assertProblem(self.get(f"{API}/me", who), 401, "session_expired")
        self.sign_in(who)
        self.ok(self.get(f"{API}/me", who))

    def test_the_jobs_delete_sessions_an_hour_after_they_expired(self):
        who = self.person("Gone")
        rows = self.sessions_of(who)
        self.assertEqual(len(rows), 1)
        self.advance(minutes=31)
        self.jobs()
        self.assertEqual(self.sessions_of(who), rows)  # expired, and told so on every request
        self.assertProblem(self.get(f"{API}/me", who), 401, "session_expired")
        self.assertProblem(self.post(f"{API}/programs", {"name": "x", "kind": "coaching"}, who),
                           401, "session_expired")
        self.assertProblem(self.get(f"{API}/me", who), 401, "session_expired")
        self.advance(minutes=59)
        self.jobs()
        self.assertEqual(self.sessions_of(who), rows)
        self.advance(minutes=1)
        self.jobs()
        self.assertEqual(self.sessions_of(who), [])
        self.assertProblem(self.get(f"{API}/me", who), 401, "no_session")

    def test_the_jobs_forget_failures_older_than_the_window(self):
        who = self.person("Typo")
        self.fail_sign_in(who, 2)
        self.advance(minutes=WINDOW_MIN - 1)
        self.jobs()
        self.assertEqual(len([f for f in self.failures() if f[0] == who.email]), 2)
        self.advance(minutes=1)
        self.jobs()
        self.assertEqual([f for f in self.failures() if f[0] == who.email], [])


class Invitations(AccountsCase):
    """Admin-created accounts get an invitation, never a password. The dev
    server logs the invitation link; in production the outbox holds it
    (sealed) for the operator's mail relay."""

    def test_an_invited_person_sets_a_password_with_the_token_and_signs_in(self):
        email = "new.learner@rapport.test"
        person_id, token = self.invite(email, "New Learner")
        self.assertEqual(self.server.query("SELECT password_hash FROM persons WHERE id = ?",
                                           person_id), [(None,)])
        self.assertProblem(self.sign_in_raw(email, "tangerine kite 42"), 401, "bad_credentials")
        body = self.ok(self.post(f"{API}/invitations/accept",
                                 {"token": token, "password": "tangerine kite 42"}), 201)
        self.assertEqual(sorted(body), ["csrf_token", "person", "token"])
        self.assertEqual(body["person"], {"id": person_id, "email": email, "name": "New Learner"})
        me = self.ok(self.get(f"{API}/me", body["token"]))
        self.assertEqual(me["person"]["id"], person_id)
        signed = self.ok(self.sign_in_raw(email, "tangerine kite 42"), 201)
        self.assertEqual(signed["person"]["id"], person_id)
        self.assertNotEqual(signed["token"], body["token"])

    def test_an_invitation_works_once(self):
        email = "once.only@rapport.test"
        person_id, token = self.invite(email)
        self.ok(self.post(f"{API}/invitations/accept",
                          {"token": token, "password": "tangerine kite 42"}), 201)
        with self.unchanged():
            r = self.post(f"{API}/invitations/accept",
                          {"token": token, "password": "someone else's password"})
        self.assertProblem(r, 404, "no_invitation")
        self.ok(self.sign_in_raw(email, "tangerine kite 42"), 201)
        self.assertProblem(self.sign_in_raw(email, "someone else's password"), 401,
                           "bad_credentials")

    def test_unknown_and_malformed_tokens_are_404(self):
        for token in ("A" * 43, "not-a-token", "A" * 44):
            with self.unchanged():
                r = self.post(f"{API}/invitations/accept",
                              {"token": token, "password": "tangerine kite 42"})
            self.assertProblem(r, 404, "no_invitation")

    def test_no_route_lets_an_admin_set_or_learn_a_members_password(self):
        email = "guarded@rapport.test"
        program_id = self.program()
        with self.unchanged():
            r = self.post(f"{API}/programs/{program_id}/members",
                          {"email": email, "name": "Guarded", "role": "learner",
                           "password": "admin chosen pw"}, self.admin)
        self.assertProblem(r, 422, "validation", "/password", "Unknown field.")
        r = self.post(f"{API}/programs/{program_id}/members",
                      {"email": email, "name": "Guarded", "role": "learner"}, self.admin)
        enrolled = self.ok(r, 201)
        self.assertEqual(sorted(enrolled), ["invited", "person_id", "role"])
        pid = enrolled["person_id"]
        token = self.invitation_token(email)
        # Nothing the admin can read carries the invitation token or a hash.
        members = self.get(f"{API}/programs/{program_id}/members", self.admin)
        for item in self.ok(members)["items"]:
            self.assertFalse({"password", "password_hash", "token", "invitation"} & set(item), item)
        for r in (members, self.get(f"{API}/me", self.admin)):
            self.assertNotIn(token, r.body.decode())
            self.assertNotIn("argon2", r.body.decode())
        # The queued mail is sealed: the token is not in the database in clear.
        for (body,) in self.server.query("SELECT body_ct FROM outbox"):
            self.assertNotIn(token.encode(), bytes(body))
        # Routes an admin might try to set a password with do not exist.
        attempts = [("PUT", f"{API}/persons/{pid}/password"), ("POST", f"{API}/persons/{pid}/password"),
                    ("PATCH", f"{API}/persons/{pid}"), ("PUT", f"{API}/programs/{program_id}/members/{pid}"),
                    ("POST", f"{API}/users"), ("PUT", f"{API}/me/password")]
        with self.unchanged():
            for method, path in attempts:
                r = self.request(method, path, {"password": "admin chosen pw"}, self.admin)
                self.assertIn(r.status, (404, 405), (method, path, r))
            # The accept route needs the token, which only the invited person gets.
            r = self.post(f"{API}/invitations/accept", {"password": "admin chosen pw"}, self.admin)
            self.assertProblem(r, 422, "validation", "/token")
        self.assertEqual(self.server.query("SELECT password_hash FROM persons WHERE id = ?", pid),
                         [(None,)])
        self.assertProblem(self.sign_in_raw(email, "admin chosen pw"), 401, "bad_credentials")
        # And the member's own password, once set, is seen by nobody.
        self.ok(self.post(f"{API}/invitations/accept",
                          {"token": token, "password": "my own secret words"}), 201)
        members = self.get(f"{API}/programs/{program_id}/members", self.admin)
        self.assertNotIn("argon2", members.body.decode())
        self.assertNotIn("my own secret words", members.body.decode())


class InvitationExpiry(AccountsCase):

    def test_an_invitation_expires_after_7_days(self):
        _, token = self.invite("late.comer@rapport.test")
        self.advance(days=7, minutes=1)
        r = self.post(f"{API}/invitations/accept", {"token": token, "password": "tangerine kite 42"})
        self.assertProblem(r, 404, "no_invitation")


class ConnectionLimits(ApiTestCase):
    """Per-connection caps of the HTTP server (src/http/server.c)."""

    def connect(self):
        host, port = self.server.base.rsplit("/", 1)[1].split(":")
        return socket.create_connection((host, int(port)), timeout=30)

    @staticmethod
    def read_response(sock, buf):
        """(status, headers dict in lower case, rest of buf) of one response."""
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed before a response")
            buf += chunk
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        while len(buf) < n:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed inside a body")
            buf += chunk
        return status, headers, buf[n:]

    def test_a_64_kib_header_is_refused(self):
        with self.connect() as sock:
            sock.sendall(b"GET /api/v1 HTTP/1.1\r\nHost: t\r\nX-Padding: " + b"a" * 65536 +
                         b"\r\n\r\n")
            status, headers, _ = self.read_response(sock, b"")
        self.assertIn(status, (413, 431))
        self.assertEqual(headers.get("connection"), "close")
        self.ok(self.get(API))  # the server is fine

    def test_a_header_of_16_kib_is_accepted(self):
        r = self.get(f"{API}/me", self.admin, headers={"X-Padding": "a" * 16384})
        self.ok(r)

    def test_the_1001st_request_on_one_connection_gets_connection_close(self):
        with self.connect() as sock:
            buf = b""
            for i in range(1, 1002):
                sock.sendall(b"GET /api/v1 HTTP/1.1\r\nHost: t\r\n\r\n")
                status, headers, buf = self.read_response(sock, buf)
                self.assertEqual(status, 200)
                if i <= 1000:
                    self.assertNotEqual(headers.get("connection"), "close", f"request {i}")
                else:
                    self.assertEqual(headers.get("connection"), "close", f"request {i}")
            self.assertEqual(sock.recv(1), b"")  # and the server closed it
        self.ok(self.get(API))


if __name__ == "__main__":
    unittest.main()
