"""The OpenAPI 3.1 description (GET /api/v1/openapi.json, `rapport
openapi`): built from the route tables, every route in it, and clean under
@redocly/cli's recommended rules. That every answer of the whole suite
matches it is checked by the harness itself (harness.OpenApiChecker)."""

import json
import os
import subprocess
import unittest

from harness import REPO, ApiTestCase
from routes_table import routes

REDOCLY = os.path.join(REPO, "node_modules", ".bin", "redocly")


def operations(doc):
    return {(m.upper(), p.replace("{id2}", "{id}")) for p, item in doc["paths"].items()
            for m in item}


class Description(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.request("GET", "/api/v1/openapi.json")
        assert r.status == 200, r
        cls.doc = json.loads(r.body)

    def test_served_document_is_the_one_the_cli_prints(self):
        _, out, _ = self.server.cli("openapi")
        self.assertEqual(json.loads(out), self.doc)
        self.assertEqual(self.doc["openapi"], "3.1.0")

    def test_every_route_of_the_tables_is_an_operation_and_nothing_else(self):
        # GET /api/v1/bench/fixed exists only in builds for benchmarks
        # (-Dbench_routes=true), where the document has it too.
        # The document's own path is answered before the route tables.
        in_tables = {(r.method, r.pattern) for r in routes()} - {("GET", "/api/v1/bench/fixed")}
        self.assertEqual(operations(self.doc), in_tables | {("GET", "/api/v1/openapi.json")})

    def test_every_operation_has_a_summary_an_answer_and_its_problems(self):
        for path, item in self.doc["paths"].items():
            for method, op in item.items():
                with self.subTest(f"{method} {path}"):
                    self.assertTrue(op["summary"])
                    statuses = set(op["responses"])
                    self.assertTrue([s for s in statuses if s.startswith("2")])
                    self.assertIn("500", statuses)
                    if "{id}" in path:
                        self.assertIn("404", statuses)
                    if op.get("security") != []:
                        self.assertIn("401", statuses)

    def test_renderers_schemas_are_strict(self):
        """A member a renderer adds without saying it here fails the suite."""
        goal = self.doc["components"]["schemas"]["Goal"]
        self.assertFalse(goal["additionalProperties"])
        self.assertIn("milestones", goal["required"])

    def test_redocly_recommended_lint_passes(self):
        if not os.access(REDOCLY, os.X_OK):
            self.fail(f"{REDOCLY} is missing: run `npm ci` (make deps-browser)")
        path = os.path.join(self.server.dir, "openapi.json")
        with open(path, "w") as f:
            json.dump(self.doc, f)
        p = subprocess.run([REDOCLY, "lint", "--extends", "recommended", "--format", "stylish",
                            path], capture_output=True, text=True, timeout=120, cwd=REPO)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("warning", (p.stdout + p.stderr).lower().replace(
            "deprecation warning", ""), p.stdout + p.stderr)


class Checker(ApiTestCase):
    """The harness's checker refuses what does not match."""

    def test_checker_refuses_an_answer_the_schema_does_not_allow(self):
        from harness import Response, openapi_checker
        checker = openapi_checker(self.server)
        bad = Response(200, b'{"name": "Rapport", "api": "/api/v1", "extra": 1}',
                       {"Content-Type": "application/json"})
        self.assertIn("extra", checker.check("GET", "/api/v1", bad))
        good = Response(200, b'{"name": "Rapport", "api": "/api/v1"}',
                        {"Content-Type": "application/json"})
        self.assertEqual(checker.check("GET", "/api/v1", good), "")

    def test_checker_refuses_a_route_missing_from_the_document(self):
        from harness import Response, openapi_checker
        checker = openapi_checker(self.server)
        r = Response(200, b"{}", {"Content-Type": "application/json"})
        self.assertIn("no operation", checker.check("GET", "/api/v1/not-described", r))
        status = Response(418, b'{"type":"x","title":"t","status":418,"code":"c"}',
                          {"Content-Type": "application/problem+json"})
        self.assertIn("418", checker.check("GET", "/api/v1", status))


if __name__ == "__main__":
    unittest.main()
