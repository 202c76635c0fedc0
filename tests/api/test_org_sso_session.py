"""Single sign-on and the session, against a real OpenID provider (the npm
package oidc-provider, tests/oidc/provider.mjs): the password re-check
through the provider (prompt=login, max_age=0, a fresh auth_time) for
accounts without a password, signing out at the provider too
(RP-initiated logout), and a confidential client's secret sealed at rest
and never shown."""

import base64
import datetime as _dt
import html.parser
import http.cookiejar
import json
import urllib.parse
import urllib.request

from harness import ApiTestCase, PG_BASE, fmt_time
from test_org_sso import Provider, SsoFlows, _Arrived, client

SECRET = "QZ9-client-secret-of-the-confidential-client"


def with_logout(c, base):
    """A client of the test provider that may send people back to
    Rapport's sign-in page once signed out there."""
    return {**c, "post_logout_redirect_uris": [base + "/signin"]}


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class _Form(html.parser.HTMLParser):
    """The action and hidden fields of the provider's logout form."""

    def __init__(self):
        super().__init__()
        self.action, self.fields = None, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action")
        elif tag == "input" and a.get("type") == "hidden":
            self.fields[a.get("name")] = a.get("value")


class SsoSessionTest(SsoFlows, ApiTestCase):
    server_args = {"clock": fmt_time(_dt.datetime.now(_dt.timezone.utc))}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        base = cls.server.base
        cls.redirect = base + "/sso/callback"
        def confidential(client_id):
            return {**client(client_id, cls.redirect),
                    "token_endpoint_auth_method": "client_secret_post", "client_secret": SECRET}
        cls.idp = Provider([with_logout(c, base) for c in (
            client("rapport", cls.redirect), client("rapport-quiet", cls.redirect),
            confidential("rapport-secret"), confidential("rapport-old"))], {})
        try:
            h = cls.helper()
            cls.rs = h.add_provider("Corp SSO", "rapport")
            cls.quiet = h.add_provider("Corp SSO (no logout)", "rapport-quiet")
        except BaseException:
            cls.idp.stop()
            raise

    # ---- helpers ----

    def sso_person(self, email, provider=None):
        """An enrolled account without a password, signed in through the
        provider (so linked): its session token."""
        self.invited(email)
        self.account(email, sub=f"sub-{email}")
        return self.signed_in(self.flow(provider or self.rs, email), email)["token"]

    def begin_recheck(self, token, provider=None, back=None):
        body = {} if back is None else {"back": back}
        r = self.post(f"/api/v1/sso/providers/{provider or self.rs}/confirm", body, token)
        url = self.ok(r)["authorization_url"]
        cookie = r.headers.get("Set-Cookie")
        self.assertIn("HttpOnly", cookie)
        state = cookie.split("rapport_sso=", 1)[1].split(";", 1)[0]
        return url, state

    def export_status(self, token):
        return self.get("/api/v1/me/export", token).status

    # ---- the re-check through the provider ----

    def test_an_account_without_a_password_rechecks_through_its_provider(self):
        token = self.sso_person("rita@corp.test")
        me = self.ok(self.get("/api/v1/me/sso", token))
        self.assertEqual((me["password"], me["sso_only"]), (False, False))
        self.assertEqual([(p["id"], p["name"]) for p in me["providers"]], [(self.rs, "Corp SSO")])
        self.assertProblem(self.get("/api/v1/me/export", token), 403, "password_check_needed")
        sessions = self.sessions()
        # the page to return to is kept with the flow, and checked
        for bad in ("//elsewhere.test/x", "https://elsewhere.test/", "/a b", "/a\\b", "x" * 10,
                    "/" + "x" * 200, 7):
            with self.subTest(back=bad), self.unchanged():
                self.assertProblem(self.post(f"/api/v1/sso/providers/{self.rs}/confirm",
                                             {"back": bad}, token), 422)
        url, state = self.begin_recheck(token, back="/me/export")
        q = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
        self.assertEqual((q["prompt"], q["max_age"]), (["login"], ["0"]))
        code, back = self.at_provider(url, "rita@corp.test")
        self.assertEqual(back, state)
        r = self.callback(code, state, state, token)
        body = self.ok(r)
        self.assertEqual(sorted(body), ["back", "confirmed_until"])
        self.assertEqual(body["back"], "/me/export")
        self.assertNotIn("rapport_session=", r.headers.get("Set-Cookie") or "")
        self.assertEqual(self.sessions(), sessions, "a re-check signs no one in")
        # every route that asks for the password again takes it; the export
        # lists the linked identity
        export = self.ok(self.get("/api/v1/me/export", token))
        self.assertEqual([(i["provider_id"], i["provider"], i["subject"])
                          for i in export["sign_in"]["identities"]],
                         [(self.rs, "Corp SSO", "sub-rita@corp.test")])
        self.assertFalse(export["sign_in"]["sso_only"])
        self.assertEqual(self.ok(self.put("/api/v1/me/sso-only", {"sso_only": True}, token)),
                         {"sso_only": True})
        self.assertEqual(self.ok(self.delete("/api/v1/me/sessions", token))["ended"], 0)
        # five minutes, as a password re-check
        self.advance(minutes=6)
        self.assertProblem(self.get("/api/v1/me/export", token), 403, "password_check_needed")

    def test_an_sso_only_account_rechecks_through_its_provider_not_its_password(self):
        email, password = "paula@corp.test", "paulas own password"
        self.server.cli("user", "add", "--db", self.server.db, "--email", email,
                        "--password", password, "--name", "Paula")
        self.account(email, sub="paula-sub")
        link = self.ok(self.flow(self.rs, email), 202)["link_token"]
        token = self.signed_in(self.post("/api/v1/sso/link", {
            "link_token": link, "password": password}), email)["token"]
        self.ok(self.post("/api/v1/session/confirm", {"password": password}, token))
        self.ok(self.put("/api/v1/me/sso-only", {"sso_only": True}, token))
        me = self.ok(self.get("/api/v1/me/sso", token))
        self.assertEqual((me["password"], me["sso_only"]), (True, True))
        # a new session (through the provider: the password signs in no more)
        token = self.signed_in(self.flow(self.rs, email), email)["token"]
        self.assertProblem(self.post("/api/v1/session/confirm", {"password": password}, token),
                           403, "sso_only")
        self.assertEqual(self.export_status(token), 403)
        url, state = self.begin_recheck(token)
        code, _ = self.at_provider(url, email)
        self.ok(self.callback(code, state, state, token))
        self.assertEqual(self.export_status(token), 200)

    def test_a_stale_auth_time_is_refused(self):
        token = self.sso_person("sam@corp.test")
        url, state = self.begin_recheck(token)
        code, _ = self.at_provider(url, "sam@corp.test")
        self.idp.mode("stale_auth")
        self.assertProblem(self.callback(code, state, state, token), 401, "sso_recheck_stale")
        self.assertEqual(self.export_status(token), 403)

    def test_a_recheck_of_another_accounts_session_is_refused(self):
        alice = self.sso_person("alice@corp.test")
        bob = self.sso_person("bob@corp.test")
        # alice's re-check, but bob signs in at the provider
        url, state = self.begin_recheck(alice)
        code, _ = self.at_provider(url, "bob@corp.test")
        self.assertProblem(self.callback(code, state, state, alice), 401,
                           "sso_recheck_other_account")
        # alice's re-check, completed with bob's session, or with none
        for other in (bob, None):
            url, state = self.begin_recheck(alice)
            code, _ = self.at_provider(url, "alice@corp.test")
            before = self.sessions()
            self.assertRefused(self.callback(code, state, state, other), "sso_recheck_session",
                               before)
        self.assertEqual((self.export_status(alice), self.export_status(bob)), (403, 403))
        # an account that has a password re-checks with it; a provider it is
        # not linked to cannot re-check it
        self.assertProblem(self.post(f"/api/v1/sso/providers/{self.rs}/confirm", {}, self.admin),
                           404, "not_found")
        self.assertProblem(self.post(f"/api/v1/sso/providers/{self.rs}/confirm", {}), 401)

    # ---- signing out at the provider ----

    def test_signing_out_returns_the_providers_logout_url(self):
        email = "lou@corp.test"
        self.invited(email)
        self.account(email, sub="lou-sub")
        jar = http.cookiejar.CookieJar()
        token = self.signed_in(self.flow(self.rs, email, jar=jar), email)["token"]
        r = self.delete("/api/v1/session", token)
        url = self.ok(r)["logout_url"]
        self.assertIn("rapport_session=;", r.headers.get("Set-Cookie"))
        self.assertProblem(self.get("/api/v1/me", token), 401)
        self.assertTrue(url.startswith(self.idp.issuer + "/session/end?"), url)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(url).query).items()}
        self.assertEqual(sorted(q), ["client_id", "id_token_hint", "post_logout_redirect_uri",
                                     "state"])
        self.assertEqual((q["client_id"], q["post_logout_redirect_uri"]),
                         ("rapport", self.server.base + "/signin"))
        hint = jwt_claims(q["id_token_hint"])
        self.assertEqual((hint["sub"], hint["aud"], hint["iss"]),
                         ("lou-sub", "rapport", self.idp.issuer))
        # the browser follows it: the provider asks, ends its session, and
        # sends it back to Rapport's sign-in page with the state
        opener = self.browser(jar)
        with opener.open(url, timeout=10) as page:
            form = _Form()
            form.feed(page.read().decode())
        self.assertIn("xsrf", form.fields)
        try:
            opener.open(urllib.parse.urljoin(url, form.action), timeout=10,
                        data=urllib.parse.urlencode({**form.fields, "logout": "yes"}).encode())
            self.fail("the provider did not send the browser back to Rapport")
        except _Arrived as back:
            got = urllib.parse.urlparse(back.url)
            self.assertEqual(got.path, "/signin")
            self.assertEqual(urllib.parse.parse_qs(got.query)["state"], [q["state"]])
        # the provider's session has ended: a new sign-in asks again
        auth, _ = self.begin(self.rs)
        try:
            with opener.open(auth, timeout=10) as page:
                self.assertIn('action="/interaction/', page.read().decode())
        except _Arrived as back:
            self.fail(f"the provider still had a session: {back.url}")

    def test_signing_out_stays_within_rapport_without_the_providers_logout(self):
        # a password session
        who = self.person("Pat Password")
        self.assertEqual(self.delete("/api/v1/session", who).status, 204)
        # a provider whose discovery document offers no logout
        self.idp.mode("no_end_session")
        token = self.sso_person("quinn@corp.test", self.quiet)
        r = self.delete("/api/v1/session", token)
        self.assertEqual(r.status, 204)
        self.assertProblem(self.get("/api/v1/me", token), 401)

    # ---- the confidential client's secret ----

    def stored_secret(self, pid):
        return self.server.query(
            "SELECT client_secret, client_secret_ct FROM oidc_providers WHERE id = ?", pid)[0]

    def assertSealed(self, pid):
        plain, sealed = self.stored_secret(pid)
        self.assertIsNone(plain)
        sealed = bytes(sealed)
        self.assertGreater(len(sealed), len(SECRET))
        self.assertFalse(SECRET.encode() in sealed, "the secret stored plain")
        if not PG_BASE:
            for name, data in self.server.file_bytes().items():
                self.assertFalse(SECRET.encode() in data, f"the secret in the {name}")
        return sealed

    def test_a_confidential_clients_secret_is_sealed_and_never_shown(self):
        r = self.post("/api/v1/sso/providers", {
            "name": "Corp SSO (confidential)", "issuer": self.idp.issuer,
            "client_id": "rapport-secret", "client_secret": SECRET,
            "redirect_uri": self.redirect, "domains": ["corp.test"]}, self.admin)
        pid = self.ok(r, 201)["id"]
        self.assertTrue(r.json["confidential"])
        answers = [r, self.get(f"/api/v1/sso/providers/{pid}", self.admin),
                   self.get("/api/v1/sso/providers"), self.get("/api/v1/sso/providers", self.admin)]
        for a in answers:
            self.assertNotIn(SECRET, json.dumps(a.json))
            self.assertNotIn("client_secret", json.dumps(a.json))
        first = self.assertSealed(pid)
        # the provider takes the code only with the secret: signing in shows
        # that Rapport opens it; the session's ID token is sealed too
        token = self.sso_person("cora@corp.test", pid)
        stored = self.server.query(
            "SELECT o.id_token_ct FROM oidc_sessions o JOIN sessions s ON s.id = o.session_id"
            " JOIN persons p ON p.id = s.person_id WHERE p.email = ?", "cora@corp.test")
        self.assertEqual(len(stored), 1)
        self.assertNotIn(b"eyJ", bytes(stored[0][0]), "an ID token stored plain")
        self.ok(self.delete("/api/v1/session", token))
        # rotation re-encrypts it with the other texts
        self.server.cli("keys", "rotate", "--db", self.server.db, "--wrap", "--data")
        self.server.cli("keys", "reencrypt", "--db", self.server.db)
        self.assertNotEqual(self.assertSealed(pid), first)
        self.sso_person("cora2@corp.test", pid)

    def test_a_secret_stored_plain_by_an_earlier_release_is_sealed_when_opened(self):
        """Every opening of the database with its key file seals what an
        earlier release stored plain: `rapport serve` at its start, and
        the other commands (here `rapport keys status`, beside the running
        server, which keeps its address for the provider)."""
        pid = self.add_provider("Corp SSO (old)", "rapport-old", domains=("old.test",))
        self.server.execute("UPDATE oidc_providers SET client_secret = ?, client_secret_ct = NULL"
                            " WHERE id = ?", SECRET, pid)
        self.assertEqual(self.stored_secret(pid), (SECRET, None))
        err = self.server.cli("keys", "status", "--db", self.server.db)[2]
        self.assertIn("1 client secrets stored plain are now sealed", err)
        self.assertSealed(pid)
        self.assertTrue(self.ok(self.get(f"/api/v1/sso/providers/{pid}", self.admin))
                        ["confidential"])
        self.sso_person("olga@old.test", pid)
        self.assertNotIn("sealed", self.server.cli("keys", "status", "--db", self.server.db)[2])
