"""The web client as `rapport serve` serves it: the files of web/ embedded in
the binary, with their content types, ETags (304 on revalidation), the strict
Content-Security-Policy on every answer, and nothing inline that the policy
would block. Also what the client needs from the API beyond that: GET /me's
csrf_token (the client keeps it in memory only, so it asks again after a
reload) and the parties' names on GET /relationships/{id}."""

import os
import re
import unittest

from harness import REPO, ApiTestCase

WEB = os.path.join(REPO, "web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")


def web_files(ext):
    """Paths under web/ (with "/") of the files ending in ext."""
    out = []
    for folder, _dirs, files in os.walk(WEB):
        for name in files:
            if name.endswith(ext):
                out.append(os.path.relpath(os.path.join(folder, name), WEB).replace(os.sep, "/"))
    return sorted(out)


def read(rel):
    with open(os.path.join(WEB, rel), "rb") as f:
        return f.read()


class StaticFiles(ApiTestCase):

    def assertSecurityHeaders(self, r):
        self.assertEqual(r.headers["Content-Security-Policy"], CSP, r)
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(r.headers["X-Frame-Options"], "DENY")
        self.assertEqual(r.headers["Referrer-Policy"], "no-referrer")

    def test_root_is_index_html_with_the_strict_policy_and_revalidation(self):
        r = self.get("/")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "text/html; charset=utf-8")
        self.assertSecurityHeaders(r)
        self.assertEqual(r.headers["Cache-Control"], "no-cache")
        self.assertRegex(r.headers["ETag"], r'^"[0-9a-f]{20}"$')
        self.assertEqual(r.body, read("index.html"))
        self.assertIn(b'<script type="module" src="/js/app.js"></script>', r.body)
        same = self.get("/index.html")
        self.assertEqual((same.body, same.headers["ETag"]), (r.body, r.headers["ETag"]))

    def test_invitation_link_path_is_the_client(self):
        r = self.get("/invitation")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, read("index.html"))

    def test_every_module_and_stylesheet_is_served_as_it_is_on_disk(self):
        scripts = web_files(".js")
        self.assertIn("js/app.js", scripts)
        self.assertIn("js/pages/relationship.js", scripts)
        for rel in scripts:
            with self.subTest(rel):
                r = self.get("/" + rel)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.content_type, "text/javascript; charset=utf-8")
                self.assertEqual(r.body, read(rel))
                self.assertSecurityHeaders(r)
        r = self.get("/css/app.css")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "text/css; charset=utf-8")
        self.assertEqual(r.body, read("css/app.css"))

    def test_matching_etag_is_304_without_a_body(self):
        first = self.get("/js/app.js")
        etag = first.headers["ETag"]
        for sent in (etag, "W/" + etag, '"0000", ' + etag, "*"):
            with self.subTest(sent):
                r = self.get("/js/app.js", headers={"If-None-Match": sent})
                self.assertEqual(r.status, 304, r)
                self.assertEqual(r.body, b"")
                self.assertEqual(r.headers["ETag"], etag)
                self.assertEqual(r.headers["Cache-Control"], "no-cache")
                self.assertSecurityHeaders(r)
        r = self.get("/js/app.js", headers={"If-None-Match": '"00000000000000000000"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, first.body)

    def test_files_have_different_etags(self):
        tags = {self.get(p).headers["ETag"] for p in ("/", "/js/app.js", "/js/api.js", "/css/app.css")}
        self.assertEqual(len(tags), 4)

    def test_unknown_paths_are_404_problems_and_writes_405(self):
        for path in ("/nope", "/js/nope.js", "/relationships/3", "/web/index.html", "/js/"):
            with self.subTest(path):
                r = self.get(path)
                self.assertProblem(r, 404, "not_found")
                self.assertSecurityHeaders(r)
        self.assertProblem(self.post("/", {}), 405, "method_not_allowed")
        self.assertProblem(self.delete("/js/app.js"), 405, "method_not_allowed")

    def test_head_gives_the_headers_without_the_body(self):
        r = self.request("HEAD", "/js/api.js")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, b"")
        self.assertEqual(r.content_type, "text/javascript; charset=utf-8")

    def test_api_answers_keep_no_store_and_carry_the_same_policy(self):
        for r in (self.get("/api/v1/me", self.admin), self.get("/api/v1/me"), self.get("/api/v1/nope")):
            self.assertEqual(r.headers["Cache-Control"], "no-store")
            self.assertSecurityHeaders(r)
        self.assertProblem(self.get("/api/v1/nope"), 404, "not_found")
        self.assertProblem(self.get("/api/nope"), 404, "not_found")


class NothingInline(unittest.TestCase):
    """The policy forbids inline script and style; the client must not need them."""

    def test_html_has_no_inline_script_style_or_handlers(self):
        for rel in web_files(".html"):
            text = read(rel).decode()
            with self.subTest(rel):
                for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S | re.I):
                    self.assertIn("src=", m.group(1))
                    self.assertEqual(m.group(2).strip(), "")
                self.assertNotRegex(text, r"(?i)<style\b")
                self.assertNotRegex(text, r"(?i)\sstyle\s*=")
                self.assertNotRegex(text, r"(?i)\son[a-z]+\s*=")
                self.assertNotRegex(text, r"(?i)javascript:")

    def test_scripts_never_write_html_or_evaluate_text(self):
        banned = re.compile(r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|"
                            r"\beval\(|new Function\(|setAttribute\(\s*['\"]style['\"]|"
                            r"localStorage|sessionStorage")
        for rel in web_files(".js"):
            with self.subTest(rel):
                self.assertIsNone(banned.search(read(rel).decode()), rel)


class MeCsrf(ApiTestCase):

    def test_me_repeats_the_csrf_token_of_the_session(self):
        r = self.post("/api/v1/session", {"email": self.admin.email, "password": self.admin.password})
        s = self.ok(r, 201)
        me = self.ok(self.get("/api/v1/me", s["token"]))
        self.assertEqual(me["csrf_token"], s["csrf_token"])
        # And it works: a cookie write with it is accepted.
        r = self.delete("/api/v1/session", cookie=s["token"], csrf=me["csrf_token"])
        self.assertEqual(r.status, 204, r)



class PartyNames(ApiTestCase):
    """The relationship page names the other party: GET /relationships/{id}
    gives the parties their names; admins' metadata answer is unchanged."""

    def test_parties_see_both_names_and_admins_do_not_get_them(self):
        pair = self.active_relationship()
        path = f"/api/v1/relationships/{pair.rel_id}"
        for who in (pair.guide, pair.learner):
            with self.subTest(who.email):
                got = self.ok(self.get(path, who))
                self.assertEqual(got["guide"], {"id": pair.guide.id, "name": pair.guide.name})
                self.assertEqual(got["learner"], {"id": pair.learner.id, "name": pair.learner.name})
        seen = self.ok(self.get(path, self.admin))
        self.assertEqual(seen["my_role"], "admin")
        self.assertNotIn("guide", seen)
        self.assertNotIn("learner", seen)


if __name__ == "__main__":
    unittest.main()
