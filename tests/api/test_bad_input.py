"""Bad input: every refusal is an RFC 9457 problem with the right status
and code, and leaves the database exactly as it was. Also pagination."""

import json
import unittest

from harness import BODY_MAX, ApiTestCase


class BadBodies(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One active relationship shared by the tests of this class; each
        # test only sends requests that must be refused.
        cls.shared = cls.helper().active_relationship()
        cls.path = f"/api/v1/relationships/{cls.shared.rel_id}/transition"

    def refused(self, status, code, **kw):
        """POSTs to the transition route as the guide; asserts the problem
        and that nothing changed; returns the problem JSON."""
        with self.unchanged():
            r = self.request("POST", self.path, kw.pop("body", None), self.shared.guide, **kw)
        return self.assertProblem(r, status, code)

    def test_malformed_json_is_400(self):
        for raw in ('{"to": "paused"', '{"to": paused}', "{'to': 'paused'}", "{} x", "\x00",
                    '{"to": "paused",}'):
            p = self.refused(400, "malformed_json", raw=raw)
            self.assertIn("not valid JSON", p["detail"])

    def test_duplicate_keys_are_400(self):
        self.refused(400, "malformed_json", raw='{"to": "paused", "to": "ended"}')

    def test_body_must_be_an_object(self):
        for raw in ("[]", '[{"to": "paused"}]'):
            self.refused(400, "body_not_object", raw=raw)
        for raw in ('"paused"', "42", "null", "true"):  # the parser wants an object or array
            self.refused(400, "malformed_json", raw=raw)

    def test_json_nested_deeper_than_32_is_400(self):
        deep = '{"to": "paused", "x": ' + "[" * 32 + "]" * 32 + "}"
        self.refused(400, "json_too_deep", raw=deep)
        # 32 levels in all (the object and 31 arrays) are parsed, then
        # refused only for the unknown field.
        ok_depth = '{"to": "paused", "x": ' + "[" * 31 + "]" * 31 + "}"
        p = self.refused(422, "validation", raw=ok_depth)
        self.assertEqual(p["errors"], [{"pointer": "/x", "detail": "Unknown field."}])

    def test_wrong_types_are_422_with_pointers(self):
        p = self.refused(422, "validation", body={"to": 5})
        self.assertEqual(p["errors"][0]["pointer"], "/to")
        p = self.refused(422, "validation", body={"to": "ended", "reason": ["a list"]})
        self.assertEqual(p["errors"], [{"pointer": "/reason", "detail": "Must be a string."}])
        p = self.refused(422, "validation", body={"to": "paused", "at": 1772355600})
        self.assertEqual([e["pointer"] for e in p["errors"]], ["/at"])
        p = self.refused(422, "validation", body={"to": None})
        self.assertEqual(p["errors"], [{"pointer": "/to", "detail": "Required."}])

    def test_nul_in_a_string_is_400(self):
        p = self.refused(400, "malformed_json", body={"to": "ended", "reason": "a\u0000b"})
        self.assertIn("\\u0000", p["detail"])

    def test_unknown_fields_are_422_each_with_its_pointer(self):
        p = self.refused(422, "validation", body={"to": "paused", "colour": "red", "a/b": 1,
                                                   "m~n": 2})
        self.assertEqual(sorted(e["pointer"] for e in p["errors"]), ["/a~1b", "/colour", "/m~0n"])
        self.assertEqual({e["detail"] for e in p["errors"]}, {"Unknown field."})

    def test_text_longer_than_its_limit_is_422(self):
        p = self.refused(422, "validation", body={"to": "ended", "reason": "r" * 2001})
        self.assertEqual(p["errors"],
                         [{"pointer": "/reason", "detail": "Must be at most 2000 bytes."}])

    def body_of_size(self, n):
        """A JSON object of exactly n bytes (a reason padded out)."""
        head, tail = '{"to": "ended", "reason": "', '"}'
        raw = head + "r" * (n - len(head) - len(tail)) + tail
        self.assertEqual(len(raw.encode()), n)
        return raw

    def test_body_over_64_kib_is_413(self):
        for n in (BODY_MAX + 1, 3 * BODY_MAX):
            p = self.refused(413, "body_too_large", raw=self.body_of_size(n))
            self.assertIn(str(BODY_MAX), p["detail"])

    def test_body_of_exactly_64_kib_is_read(self):
        # Read and judged on its fields (the reason is too long), not its size.
        p = self.refused(422, "validation", raw=self.body_of_size(BODY_MAX))
        self.assertEqual([e["pointer"] for e in p["errors"]], ["/reason"])

    def test_wrong_content_type_is_415(self):
        raw = json.dumps({"to": "paused"})
        for ct in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx",
                   "application/json-patch+json", "multipart/form-data; boundary=x"):
            self.refused(415, "unsupported_media_type", raw=raw, content_type=ct)

    def test_json_content_type_with_parameters_is_accepted(self):
        pair = self.active_relationship()
        r = self.request("POST", f"/api/v1/relationships/{pair.rel_id}/transition",
                         raw=json.dumps({"to": "paused"}), token=pair.guide,
                         content_type="application/json; charset=utf-8")
        self.assertEqual(self.ok(r)["state"], "paused")


class BadIds(ApiTestCase):

    def test_ids_that_do_not_exist_are_404(self):
        for method, path in (("GET", "/api/v1/relationships/999999"),
                             ("GET", "/api/v1/relationships/999999/events"),
                             ("POST", "/api/v1/relationships/999999/transition"),
                             ("GET", "/api/v1/programs/999999"),
                             ("GET", "/api/v1/programs/999999/members"),
                             ("POST", "/api/v1/programs/999999/members"),
                             ("GET", "/api/v1/programs/999999/relationships")):
            body = {"to": "paused"} if path.endswith("transition") else (
                {"email": "a@rapport.test", "name": "A", "role": "guide"} if method == "POST" else None)
            with self.unchanged():
                r = self.request(method, path, body, self.admin)
            self.assertProblem(r, 404, "not_found")

    def test_paths_that_are_not_ids_are_404(self):
        for path in ("/api/v1/relationships/0", "/api/v1/relationships/-1",
                     "/api/v1/relationships/abc", "/api/v1/relationships/01",
                     "/api/v1/relationships/+1", "/api/v1/relationships/1.5",
                     "/api/v1/relationships/99999999999999999999", "/api/v1/nothing",
                     "/api/v1/relationships/1/", "/api/v2/me"):
            p = self.assertProblem(self.get(path, self.admin), 404, "not_found")
            self.assertEqual(p["instance"], path)

    def test_known_path_with_another_method_is_405(self):
        for method, path in (("PUT", "/api/v1/me"), ("PUT", "/api/v1/relationships"),
                             ("GET", "/api/v1/session"), ("PATCH", "/api/v1/programs/1")):
            with self.unchanged():
                r = self.request(method, path, None, self.admin)
            self.assertProblem(r, 405, "method_not_allowed")

    def test_ids_of_another_program_are_404_for_its_admins(self):
        mine = self.pair()
        theirs = self.active_relationship()
        admin = self.person("Local Admin")
        self.enroll(mine.program_id, admin, "admin")
        with self.unchanged():
            responses = [
                self.post("/api/v1/relationships",
                          {"program_id": theirs.program_id, "guide_id": theirs.guide.id,
                           "learner_id": theirs.learner.id}, admin),
                self.transition(theirs.rel_id, admin, "ended", reason="not mine"),
                self.get(f"/api/v1/programs/{theirs.program_id}/relationships", admin),
            ]
        for r in responses:
            self.assertProblem(r, 404, "not_found")

    def test_wrong_role_is_403_where_the_caller_may_see_the_thing(self):
        pair = self.active_relationship()
        with self.unchanged():
            r1 = self.transition(pair.rel_id, self.admin, "completed")
            r2 = self.post(f"/api/v1/programs/{pair.program_id}/members",
                           {"email": "z@rapport.test", "name": "Z", "role": "guide"}, pair.learner)
            r3 = self.post("/api/v1/programs", {"name": "P", "kind": "coaching"}, pair.guide)
        for r in (r1, r2, r3):
            self.assertProblem(r, 403, "role")


class ProblemShape(ApiTestCase):

    def test_every_problem_is_rfc9457(self):
        pair = self.pair()
        cases = [
            (self.post("/api/v1/relationships", {"program_id": "x"}, self.admin), 422),
            (self.get("/api/v1/me"), 401),
            (self.get("/api/v1/relationships/424242", self.admin), 404),
            (self.put("/api/v1/me", {}, self.admin), 405),
            (self.post("/api/v1/programs", {"name": "A", "kind": "coaching"}, pair.guide), 403),
            (self.request("POST", "/api/v1/programs", raw="{", token=self.admin), 400),
            (self.request("POST", "/api/v1/programs", raw="{}", token=self.admin,
                          content_type="text/plain"), 415),
            (self.request("POST", "/api/v1/programs", raw="x" * (BODY_MAX + 1),
                          token=self.admin), 413),
        ]
        for r, status in cases:
            p = self.assertProblem(r, status)
            self.assertEqual(sorted(set(p) - {"errors"}),
                             ["code", "detail", "instance", "status", "title", "type"], r)

    def test_validation_problem_lists_every_bad_field(self):
        r = self.post("/api/v1/programs",
                      {"name": "", "kind": "tutoring",
                       "settings": {"cadence_days": 0, "k_anonymity": "5", "extra": 1}},
                      self.admin)
        p = self.assertProblem(r, 422, "validation")
        self.assertEqual(p["title"], "Validation failed")
        self.assertEqual(p["type"], "urn:rapport:problem:validation")
        self.assertEqual(p["instance"], "/api/v1/programs")
        self.assertEqual(sorted(e["pointer"] for e in p["errors"]),
                         ["/kind", "/name", "/settings/extra", "/settings/k_anonymity"])

    def test_settings_out_of_range_point_into_settings(self):
        with self.unchanged():
            r = self.post("/api/v1/programs",
                          {"name": "Ranges", "kind": "mentoring",
                           "settings": {"cadence_days": 366, "reply_window_hours": 0,
                                        "pulse_every_days": 6, "k_anonymity": 1001}},
                          self.admin)
        p = self.assertProblem(r, 422, "validation")
        self.assertEqual(p["errors"], [
            {"pointer": "/settings/cadence_days", "detail": "Must be between 1 and 365."},
            {"pointer": "/settings/reply_window_hours", "detail": "Must be between 1 and 720."},
            {"pointer": "/settings/pulse_every_days", "detail": "Must be between 7 and 365."},
            {"pointer": "/settings/k_anonymity", "detail": "Must be between 3 and 1000."},
        ])

    def test_program_defaults_and_settings_round_trip(self):
        coaching = self.ok(self.post("/api/v1/programs", {"name": "C", "kind": "coaching"},
                                     self.admin), 201)
        self.assertEqual(coaching["settings"], {"cadence_days": 7, "reply_window_hours": 48,
                                                "pulse_every_days": 28, "k_anonymity": 5})
        mentoring = self.ok(self.post("/api/v1/programs",
                                      {"name": "M", "kind": "mentoring",
                                       "settings": {"cadence_days": 21}}, self.admin), 201)
        self.assertEqual(mentoring["settings"]["cadence_days"], 21)
        self.assertEqual(mentoring["kind"], "mentoring")
        got = self.ok(self.get(f"/api/v1/programs/{mentoring['id']}", self.admin))
        self.assertEqual(got, mentoring)

    def test_enrolment_validates_email_and_name(self):
        pid = self.program()
        with self.unchanged():
            r = self.post(f"/api/v1/programs/{pid}/members",
                          {"email": "not-an-address", "name": "Bad\nName", "role": "mentor"},
                          self.admin)
        self.assertProblem(r, 422, "validation")
        self.assertEqual(self.pointers(r), ["/role"])  # the role is checked first
        with self.unchanged():
            r = self.post(f"/api/v1/programs/{pid}/members",
                          {"email": "not-an-address", "name": "Bad\nName", "role": "guide"},
                          self.admin)
        self.assertEqual(self.pointers(r), ["/email", "/name"])

    def test_enrolling_twice_in_the_same_role_is_409(self):
        pid = self.program()
        body = {"email": "twice@rapport.test", "name": "Twice", "role": "learner"}
        first = self.ok(self.post(f"/api/v1/programs/{pid}/members", body, self.admin), 201)
        self.assertIs(first["invited"], True)
        with self.unchanged():
            r = self.post(f"/api/v1/programs/{pid}/members", body, self.admin)
        self.assertProblem(r, 409, "already_member")
        both = self.ok(self.post(f"/api/v1/programs/{pid}/members", {**body, "role": "guide"},
                                 self.admin), 201)
        self.assertEqual(both["person_id"], first["person_id"])
        self.assertIs(both["invited"], False)


class Pagination(ApiTestCase):

    def members(self, pid, query):
        return self.get(f"/api/v1/programs/{pid}/members{query}", self.admin)

    def test_limit_and_after_walk_every_member_once(self):
        pid = self.program()
        emails = [f"member{i}@rapport.test" for i in range(7)]
        for i, email in enumerate(emails):
            self.ok(self.post(f"/api/v1/programs/{pid}/members",
                              {"email": email, "name": f"Member {i}",
                               "role": "learner" if i % 2 else "guide"}, self.admin), 201)
        everyone = self.ok(self.members(pid, ""))
        self.assertEqual(len(everyone["items"]), 8)  # the admin who created it, and 7
        self.assertIsNone(everyone["next"])
        seen, after, pages = [], None, 0
        while True:
            page = self.ok(self.members(pid, "?limit=3" + (f"&after={after}" if after else "")))
            pages += 1
            self.assertLessEqual(len(page["items"]), 3)
            seen += page["items"]
            after = page["next"]
            if after is None:
                break
            self.assertEqual(len(page["items"]), 3)
            self.assertIsInstance(after, int)
        self.assertEqual(pages, 3)
        self.assertEqual(seen, everyone["items"])
        self.assertEqual(sorted(m["email"] for m in seen), sorted(emails + ["admin@rapport.test"]))

    def test_exact_last_page_has_no_next(self):
        pid = self.program()
        self.ok(self.post(f"/api/v1/programs/{pid}/members",
                          {"email": "only@rapport.test", "name": "Only", "role": "guide"},
                          self.admin), 201)
        page = self.ok(self.members(pid, "?limit=2"))
        self.assertEqual(len(page["items"]), 2)
        self.assertIsNone(page["next"])
        page = self.ok(self.members(pid, "?limit=1"))
        self.assertEqual(len(page["items"]), 1)
        rest = self.ok(self.members(pid, f"?limit=1&after={page['next']}"))
        self.assertEqual(len(rest["items"]), 1)
        self.assertIsNone(rest["next"])
        self.assertNotEqual(rest["items"][0]["id"], page["items"][0]["id"])

    def test_relationship_lists_and_events_paginate(self):
        pair = self.active_relationship()
        evs = self.ok(self.get(f"/api/v1/relationships/{pair.rel_id}/events?limit=1",
                               pair.guide))
        self.assertEqual([e["kind"] for e in evs["items"]], ["proposed"])
        evs = self.ok(self.get(f"/api/v1/relationships/{pair.rel_id}/events?limit=1"
                               f"&after={evs['next']}", pair.guide))
        self.assertEqual([e["kind"] for e in evs["items"]], ["accepted"])
        self.assertIsNotNone(evs["next"])
        rels = self.ok(self.get("/api/v1/relationships?limit=1", pair.guide))
        self.assertEqual(len(rels["items"]), 1)
        self.assertIsNone(rels["next"])
        past = self.ok(self.get(f"/api/v1/relationships?after={pair.rel_id}", pair.guide))
        self.assertEqual(past["items"], [])

    def test_bad_limit_and_after_are_400(self):
        pid = self.program()
        for query in ("?limit=0", "?limit=101", "?limit=-1", "?limit=abc", "?limit=",
                      "?limit=1.5", "?after=-1", "?after=x", "?limit=10&after=1e3"):
            for path in (f"/api/v1/programs/{pid}/members", "/api/v1/relationships"):
                p = self.assertProblem(self.get(path + query, self.admin), 400, "bad_query")
                self.assertIn("must be", p["detail"])
        self.ok(self.members(pid, "?limit=100"))
        self.ok(self.members(pid, "?limit=1&after=0"))


class Fingerprint(ApiTestCase):
    """The harness's "database unchanged" check must itself be able to fail."""

    def test_unchanged_notices_a_write(self):
        with self.assertRaises(AssertionError) as ctx:
            with self.unchanged():
                self.program()
        self.assertIn("programs rows", str(ctx.exception))

    def test_unchanged_notices_an_update_of_one_value(self):
        pair = self.active_relationship()
        with self.assertRaises(AssertionError) as ctx:
            with self.unchanged():
                self.ok(self.transition(pair.rel_id, pair.guide, "paused"))
        self.assertIn("relationships", str(ctx.exception))

    def test_sessions_are_left_out(self):
        who = self.person("Just Signing In", sign_in=False)
        with self.unchanged():
            self.sign_in(who)
            self.ok(self.get("/api/v1/me", who))


if __name__ == "__main__":
    unittest.main()
