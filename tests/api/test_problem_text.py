"""Problem documents stay whole when their text quotes outside input that
is cut to fit or is not UTF-8 (found by tests/fuzz/json_body.c).

rp_err keeps error texts in fixed arrays (a pointer in 96 bytes, a detail
in 256), and a key, a path or the JSON parser's message can be cut there
inside a character, or hold bytes that are no UTF-8 at all. JSON text must
be UTF-8, so such a string made the problem document lose the error (a
422 with "errors": []) or its whole body (a 404 with no body). Now the
bytes that are not part of a whole character become '?'.
"""

from harness import ApiTestCase


class ProblemText(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pair = cls.helper().active_relationship()

    def test_pointer_cut_inside_a_character_keeps_the_error(self):
        key = "a" + "\u00e9" * 60  # the pointer "/a" + 120 bytes of é is cut at 95 bytes
        path = f"/api/v1/relationships/{self.pair.rel_id}/notes"
        raw = '{"visibility": "shared", "text": "t", "%s": 1}' % key
        with self.unchanged():
            r = self.request("POST", path, raw=raw.encode(), token=self.pair.guide)
        p = self.assertProblem(r, 422, "validation")
        self.assertEqual(p["errors"], [{"pointer": "/a" + "\u00e9" * 46 + "?",
                                        "detail": "Unknown field."}])

    def test_many_cut_pointers_are_all_reported(self):
        keys = ["x" * i + "\u20ac" * 40 for i in range(1, 6)]  # cut at every offset of a 3-byte €
        body = ", ".join(f'"{k}": {i}' for i, k in enumerate(keys))
        with self.unchanged():
            r = self.request("POST", f"/api/v1/relationships/{self.pair.rel_id}/transition",
                             raw=('{"to": "paused", %s}' % body).encode(), token=self.pair.guide)
        p = self.assertProblem(r, 422, "validation")
        self.assertEqual(len(p["errors"]), 5)
        for err in p["errors"]:
            self.assertLessEqual(len(err["pointer"].encode()), 95)
            self.assertEqual(err["detail"], "Unknown field.")

    def test_path_that_is_not_utf8_gets_a_404_problem(self):
        r = self.get("/api/v1/nothing%FFhere", self.admin)
        p = self.assertProblem(r, 404, "not_found")
        self.assertEqual(p["detail"], "There is nothing at /api/v1/nothing?here.")
