"""Single sign-on through a real OpenID provider: the npm package
oidc-provider (tests/oidc/provider.mjs), started on loopback with its own
keys. Sign-in end to end over the API (RS256 and ES256), linking by
verified e-mail (a password once for an account that has one), sso-only
accounts, and every refusal with its problem and nothing signed in."""

import datetime as _dt
import http.cookiejar
import json
import os
import subprocess
import urllib.parse
import urllib.request

from harness import ApiTestCase, REPO, device_cookie, fmt_time

NODE = os.environ.get("RAPPORT_NODE", "node")
PROVIDER = os.path.join(REPO, "tests", "oidc", "provider.mjs")


class _Arrived(Exception):
    def __init__(self, url):
        super().__init__(url)
        self.url = url


class _StopAtRapport(urllib.request.HTTPRedirectHandler):
    """Follows the provider's redirects until one leads back to Rapport."""

    def __init__(self, rapport):
        super().__init__()
        self.rapport = rapport

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        newurl = urllib.parse.urljoin(req.full_url, newurl)
        if newurl.startswith(self.rapport):
            raise _Arrived(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Provider:
    """tests/oidc/provider.mjs as a child process."""

    def __init__(self, clients, accounts):
        self.proc = subprocess.Popen(
            [NODE, PROVIDER, json.dumps({"clients": clients, "accounts": accounts})],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=REPO, text=True)
        line = self.proc.stdout.readline()
        if not line:
            self.proc.kill()
            raise AssertionError("the test OpenID provider did not start")
        self.issuer = json.loads(line)["issuer"]
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def control(self, path, body):
        req = urllib.request.Request(self.issuer + path, data=json.dumps(body).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
        with self._opener.open(req, timeout=10):
            pass

    def mode(self, mode):
        self.control("/__test/mode", {"mode": mode})

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def client(client_id, redirect, alg="RS256"):
    return {"client_id": client_id, "redirect_uris": [redirect],
            "token_endpoint_auth_method": "none", "grant_types": ["authorization_code"],
            "response_types": ["code"], "id_token_signed_response_alg": alg}


class SsoTest(ApiTestCase):
    server_args = {"clock": fmt_time(_dt.datetime.now(_dt.timezone.utc))}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.redirect = cls.server.base + "/sso/callback"
        cls.idp = Provider([client("rapport", cls.redirect),
                            client("rapport-es", cls.redirect, "ES256"),
                            client("rapport-extra", cls.redirect)], {})
        try:
            h = cls.helper()
            cls.rs = h.add_provider("Corp SSO", "rapport")
            cls.es = h.add_provider("Corp SSO (EC)", "rapport-es")
            cls.down = h.add_provider("Gone", "rapport", issuer="http://127.0.0.1:9")
        except BaseException:
            cls.idp.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.idp.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.idp.mode("normal")
        # the provider's tokens carry the real time: Rapport's clock follows it
        self.set_clock(_dt.datetime.now(_dt.timezone.utc))

    # ---- helpers ----

    def add_provider(self, name, client_id, issuer=None, domains=("corp.test",)):
        r = self.post("/api/v1/sso/providers", {
            "name": name, "issuer": issuer or self.idp.issuer, "client_id": client_id,
            "redirect_uri": self.redirect, "domains": list(domains)}, self.admin)
        return self.ok(r, 201)["id"]

    def account(self, email, **claims):
        self.idp.control("/__test/accounts", {email: claims})

    def invited(self, email, name="Invited Person"):
        """An account without a password (enrolled, so invited)."""
        pid = self.program()
        r = self.post(f"/api/v1/programs/{pid}/members",
                      {"email": email, "name": name, "role": "learner"}, self.admin)
        return self.ok(r, 201)["person_id"]

    def begin(self, provider_id):
        r = self.post(f"/api/v1/sso/providers/{provider_id}/begin")
        body = self.ok(r)
        cookie = r.headers.get("Set-Cookie")
        self.assertIn("rapport_sso=", cookie)
        self.assertIn("HttpOnly", cookie)
        state = cookie.split("rapport_sso=", 1)[1].split(";", 1)[0]
        return body["authorization_url"], state

    def at_provider(self, url, email):
        """Signs email in at the provider; the code and state it sends back."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPCookieProcessor(jar),
                                             _StopAtRapport(self.server.base))
        with opener.open(url, timeout=10) as page:
            form_url = page.geturl().split("?")[0] + "/login"
        try:
            opener.open(form_url, data=urllib.parse.urlencode({"email": email}).encode(),
                        timeout=10).close()
        except _Arrived as back:
            q = urllib.parse.parse_qs(urllib.parse.urlparse(back.url).query)
            self.assertNotIn("error", q, back.url)
            return q["code"][0], q["state"][0]
        raise AssertionError("the provider did not send the browser back to Rapport")

    def callback(self, code, state, cookie_state, device=None):
        cookies = ([f"rapport_sso={cookie_state}"] if cookie_state else []) + \
            ([f"rapport_device={device}"] if device else [])
        h = {"Cookie": "; ".join(cookies)} if cookies else {}
        body = {}
        if code is not None:
            body["code"] = code
        if state is not None:
            body["state"] = state
        return self.request("POST", "/api/v1/sso/callback", body, headers=h)

    def flow(self, provider_id, email, device=None):
        url, state = self.begin(provider_id)
        code, back = self.at_provider(url, email)
        self.assertEqual(back, state)
        return self.callback(code, state, state, device)

    def sessions(self):
        return self.server.query("SELECT COUNT(*) FROM sessions")[0][0]

    def assertRefused(self, r, code, sessions_before, status=401):
        self.assertProblem(r, status, code)
        self.assertNotIn("rapport_session=", r.headers.get("Set-Cookie") or "")
        self.assertEqual(self.sessions(), sessions_before, "nothing is signed in")

    def signed_in(self, r, email):
        body = self.ok(r, 201)
        self.assertEqual(body["person"]["email"], email)
        self.assertIn("rapport_session=", r.headers.get("Set-Cookie"))
        me = self.ok(self.get("/api/v1/me", body["token"]))
        self.assertEqual(me["person"]["email"], email)
        return body

    # ---- signing in ----

    def test_invited_account_signs_in_and_stays_linked(self):
        pid = self.invited("ines@corp.test", "Ines")
        self.account("ines@corp.test", sub="ines-sub")
        self.signed_in(self.flow(self.rs, "ines@corp.test"), "ines@corp.test")
        self.assertEqual(self.server.query(
            "SELECT provider_id, subject FROM oidc_identities WHERE person_id = ?", pid),
            [(self.rs, "ines-sub")])
        self.signed_in(self.flow(self.rs, "ines@corp.test"), "ines@corp.test")

    def test_es256_provider(self):
        self.invited("elena@corp.test")
        self.account("elena@corp.test")
        self.signed_in(self.flow(self.es, "elena@corp.test"), "elena@corp.test")

    def test_password_account_links_with_its_password_once_then_sso_only(self):
        self.server.cli("user", "add", "--db", self.server.db, "--email", "paul@corp.test",
                        "--password", "pauls own password", "--name", "Paul")
        self.account("paul@corp.test")
        before = self.sessions()
        r = self.flow(self.rs, "paul@corp.test")
        body = self.ok(r, 202)
        self.assertTrue(body["link_required"])
        self.assertEqual(self.sessions(), before)
        wrong = self.post("/api/v1/sso/link", {"link_token": body["link_token"],
                                                "password": "not the password"})
        self.assertRefused(wrong, "bad_credentials", before)
        r = self.post("/api/v1/sso/link", {"link_token": body["link_token"],
                                            "password": "pauls own password"})
        paul = self.signed_in(r, "paul@corp.test")
        again = self.post("/api/v1/sso/link", {"link_token": body["link_token"],
                                                "password": "pauls own password"})
        self.assertProblem(again, 401, "sso_link_unknown")
        # linked: the next sign-in needs no password
        self.signed_in(self.flow(self.rs, "paul@corp.test"), "paul@corp.test")
        # sso only: needs the password re-check, then password sign-in is refused
        self.assertProblem(self.put("/api/v1/me/sso-only", {"sso_only": True}, paul["token"]),
                           403, "password_check_needed")
        self.ok(self.post("/api/v1/session/confirm", {"password": "pauls own password"},
                          paul["token"]))
        self.assertEqual(self.ok(self.put("/api/v1/me/sso-only", {"sso_only": True},
                                          paul["token"]))["sso_only"], True)
        before = self.sessions()
        r = self.post("/api/v1/session", {"email": "paul@corp.test",
                                          "password": "pauls own password"})
        self.assertRefused(r, "sso_only", before)
        self.signed_in(self.flow(self.rs, "paul@corp.test"), "paul@corp.test")

    def device_mails(self, person_id):
        return self.server.query("SELECT COUNT(*) FROM outbox WHERE person_id = ?"
                                 " AND kind = 'new_device'", person_id)[0][0]

    def test_sso_sign_ins_record_the_device_as_password_sign_ins_do(self):
        pid = self.invited("devi@corp.test", "Devi")
        self.account("devi@corp.test", sub="devi-sub")
        # The account's first sign-in, through its provider: the browser is
        # recorded with a cookie, and nothing is mailed.
        r = self.flow(self.rs, "devi@corp.test")
        self.signed_in(r, "devi@corp.test")
        first = device_cookie(r)
        self.assertIsNotNone(first)
        self.assertEqual(self.device_mails(pid), 0)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM devices WHERE person_id = ?", pid), [(1,)])
        # The same browser again: known, the cookie stays, no mail.
        r = self.flow(self.rs, "devi@corp.test", first)
        self.assertEqual(device_cookie(r), first)
        self.assertEqual(self.device_mails(pid), 0)
        # Another browser: a new device, mailed to the account.
        r = self.flow(self.rs, "devi@corp.test")
        other = device_cookie(r)
        self.assertNotIn(other, (None, first))
        self.assertEqual(self.device_mails(pid), 1)

    def test_linking_with_the_password_records_the_device_of_that_browser(self):
        self.server.cli("user", "add", "--db", self.server.db, "--email", "lin@corp.test",
                        "--password", "lins own password", "--name", "Lin")
        self.account("lin@corp.test")
        pid = self.server.query("SELECT id FROM persons WHERE email = ?", "lin@corp.test")[0][0]
        r = self.post("/api/v1/session", {"email": "lin@corp.test",
                                          "password": "lins own password"})
        self.ok(r, 201)
        laptop = device_cookie(r)
        self.assertIsNotNone(laptop)
        # The link through the browser the account knows: no mail.
        link = self.ok(self.flow(self.rs, "lin@corp.test", laptop), 202)["link_token"]
        r = self.request("POST", "/api/v1/sso/link",
                         {"link_token": link, "password": "lins own password"},
                         headers={"Cookie": f"rapport_device={laptop}"})
        self.signed_in(r, "lin@corp.test")
        self.assertEqual(device_cookie(r), laptop)
        self.assertEqual(self.device_mails(pid), 0)
        # Linked: a sign-in through the provider from another browser is new.
        r = self.flow(self.rs, "lin@corp.test")
        self.signed_in(r, "lin@corp.test")
        self.assertNotIn(device_cookie(r), (None, laptop))
        self.assertEqual(self.device_mails(pid), 1)

    def test_a_deleted_account_is_not_signed_in_through_its_provider(self):
        self.server.cli("user", "add", "--db", self.server.db, "--email", "dora@corp.test",
                        "--password", "doras own password", "--name", "Dora")
        self.account("dora@corp.test")
        link = self.ok(self.flow(self.rs, "dora@corp.test"), 202)["link_token"]
        dora = self.signed_in(self.post("/api/v1/sso/link", {
            "link_token": link, "password": "doras own password"}), "dora@corp.test")
        self.ok(self.post("/api/v1/session/confirm", {"password": "doras own password"},
                          dora["token"]))
        self.assertEqual(self.delete("/api/v1/me", dora["token"]).status, 204)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM oidc_identities WHERE person_id = ?", dora["person"]["id"]),
            [(0,)])
        before = self.sessions()
        self.assertRefused(self.flow(self.rs, "dora@corp.test"), "sso_no_account", before)

    def test_sso_only_needs_a_linked_identity(self):
        who = self.person("Never Linked")
        self.ok(self.confirm(who))
        self.assertProblem(self.put("/api/v1/me/sso-only", {"sso_only": True}, who), 409,
                           "sso_not_linked")

    def test_providers_listed_for_the_sign_in_page(self):
        items = self.ok(self.get("/api/v1/sso/providers"))["items"]
        self.assertEqual([i["name"] for i in items][:3], ["Corp SSO", "Corp SSO (EC)", "Gone"])
        self.assertNotIn("Soon Gone", [i["name"] for i in items])
        self.assertEqual(sorted(items[0]), ["id", "name"])

    def test_a_deleted_provider_signs_nobody_in(self):
        pid = self.add_provider("Soon Gone", "rapport-extra")
        got = self.ok(self.get(f"/api/v1/sso/providers/{pid}", self.admin))
        self.assertEqual((got["issuer"], got["client_id"], got["domains"], got["confidential"]),
                         (self.idp.issuer, "rapport-extra", ["corp.test"], False))
        self.assertNotIn("client_secret", got)
        who = self.person("Not Admin")
        self.assertProblem(self.get(f"/api/v1/sso/providers/{pid}", who), 404, "not_found")
        self.assertProblem(self.delete(f"/api/v1/sso/providers/{pid}", who), 404, "not_found")
        self.invited("gone.later@corp.test")
        self.account("gone.later@corp.test")
        url, state = self.begin(pid)
        self.signed_in(self.flow(pid, "gone.later@corp.test"), "gone.later@corp.test")
        code, _ = self.at_provider(url, "gone.later@corp.test")
        self.assertEqual(self.delete(f"/api/v1/sso/providers/{pid}", self.admin).status, 204)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM oidc_identities WHERE provider_id = ?", pid), [(0,)])
        before = self.sessions()
        self.assertRefused(self.callback(code, state, state), "sso_state", before)
        self.assertProblem(self.post(f"/api/v1/sso/providers/{pid}/begin"), 404, "not_found")
        self.assertProblem(self.delete(f"/api/v1/sso/providers/{pid}", self.admin), 404)

    def test_only_site_admins_configure_providers(self):
        who = self.person("Not Admin")
        r = self.post("/api/v1/sso/providers", {
            "name": "Mine", "issuer": self.idp.issuer, "client_id": "x",
            "redirect_uri": self.redirect, "domains": ["corp.test"]}, who)
        self.assertProblem(r, 403, "role")
        r = self.post("/api/v1/sso/providers", {
            "name": "Plain", "issuer": "http://idp.example.org", "client_id": "x",
            "redirect_uri": self.redirect, "domains": ["not a domain"]}, self.admin)
        self.assertProblem(r, 422, pointer="/issuer")
        self.assertIn("/domains/0", self.pointers(r))

    # ---- refusals: each a problem, nothing signed in ----

    def refused_in_mode(self, mode, code, email):
        self.invited(email)
        self.account(email)
        self.idp.mode(mode)
        before = self.sessions()
        self.assertRefused(self.flow(self.rs, email), code, before)

    def test_refuses_a_token_signed_with_the_wrong_key(self):
        self.refused_in_mode("wrong_key", "sso_signature_invalid", "wk@corp.test")

    def test_refuses_a_wrong_audience(self):
        self.refused_in_mode("wrong_aud", "sso_wrong_audience", "wa@corp.test")

    def test_refuses_an_expired_token(self):
        self.refused_in_mode("expired", "sso_token_expired", "ex@corp.test")

    def test_refuses_a_wrong_nonce(self):
        self.refused_in_mode("wrong_nonce", "sso_nonce", "wn@corp.test")

    def test_refuses_an_unverified_email(self):
        self.refused_in_mode("unverified", "sso_email_unverified", "uv@corp.test")

    def test_refuses_a_replayed_code(self):
        self.invited("rc@corp.test")
        self.account("rc@corp.test")
        url, state = self.begin(self.rs)
        code, _ = self.at_provider(url, "rc@corp.test")
        self.signed_in(self.callback(code, state, state), "rc@corp.test")
        before = self.sessions()
        # the same callback again: its state is used up
        self.assertRefused(self.callback(code, state, state), "sso_state", before)
        # the code under a fresh sign-in: the provider refuses it
        _, state2 = self.begin(self.rs)
        self.assertRefused(self.callback(code, state2, state2), "sso_code_refused", before)

    def test_refuses_a_missing_or_wrong_state(self):
        self.invited("st@corp.test")
        self.account("st@corp.test")
        url, state = self.begin(self.rs)
        code, _ = self.at_provider(url, "st@corp.test")
        before = self.sessions()
        _, other = self.begin(self.rs)
        self.assertRefused(self.callback(code, None, state), "sso_state", before)
        self.assertRefused(self.callback(code, state, None), "sso_state", before)
        self.assertRefused(self.callback(code, other, state), "sso_state", before)
        self.assertRefused(self.callback(code, "A" * 43, "A" * 43), "sso_state", before)
        # nothing of that used the real flow up: it still signs in
        self.signed_in(self.callback(code, state, state), "st@corp.test")

    def test_refuses_a_domain_not_allowed(self):
        self.invited("someone@elsewhere.test")
        self.account("someone@elsewhere.test")
        before = self.sessions()
        self.assertRefused(self.flow(self.rs, "someone@elsewhere.test"), "sso_domain_not_allowed",
                           before)

    def test_refuses_an_address_without_an_account(self):
        self.account("nobody@corp.test")
        before = self.sessions()
        self.assertRefused(self.flow(self.rs, "nobody@corp.test"), "sso_no_account", before)

    def test_accepts_a_rotated_key_after_fetching_the_key_set_again(self):
        self.invited("rot@corp.test")
        self.account("rot@corp.test")
        self.signed_in(self.flow(self.rs, "rot@corp.test"), "rot@corp.test")  # keys cached
        self.idp.mode("rotate")
        self.signed_in(self.flow(self.rs, "rot@corp.test"), "rot@corp.test")
        self.idp.mode("normal")  # and back: the old key is fetched again too
        self.signed_in(self.flow(self.rs, "rot@corp.test"), "rot@corp.test")

    def test_refuses_when_the_provider_is_unreachable(self):
        before = self.sessions()
        r = self.post(f"/api/v1/sso/providers/{self.down}/begin")
        self.assertRefused(r, "sso_provider_unreachable", before, status=503)
        # a provider gone between the start and the callback
        idp = Provider([client("short-lived", self.redirect)], {"gone@corp.test": {}})
        try:
            gone = self.add_provider("Short-lived", "short-lived", issuer=idp.issuer)
            self.invited("gone@corp.test")
            url, state = self.begin(gone)
            code, _ = self.at_provider(url, "gone@corp.test")
        finally:
            idp.stop()
        self.assertRefused(self.callback(code, state, state), "sso_provider_unreachable",
                           before, status=503)
