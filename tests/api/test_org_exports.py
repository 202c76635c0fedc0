"""Program exports for admins (GET /api/v1/programs/{id}/exports/*.csv):
parsed back with Python's csv module, never a word of confidential text,
the same k-anonymity as the health page, and each export an entry of the
access log of the admin who took it."""

import csv
import io

from flows import API, FlowTestCase
from routes_table import World, marker_re

TAG = "EXPORTTEXT"
KINDS = ("members", "relationships", "counts", "health")


def parse(r):
    text = r.body.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    return rows[0], rows[1:]


class ExportTest(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.world = World(h, TAG).build()
        cls.pid = cls.world.pair.program_id
        cls.padmin = h.program_admin(cls.pid)

    def export(self, kind, who=None, pid=None):
        return self.get(f"{API}/programs/{pid or self.pid}/exports/{kind}.csv", who or self.padmin)

    def csv_ok(self, r):
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers["Content-Type"], "text/csv; charset=utf-8")
        self.assertTrue(r.headers["Content-Disposition"].startswith("attachment; filename="))
        self.assertTrue(r.body.endswith(b"\r\n"))
        return parse(r)

    def test_no_export_carries_confidential_text(self):
        markers = marker_re(TAG)
        for kind in KINDS:
            for who in (self.admin, self.padmin):
                with self.subTest(kind=kind):
                    r = self.export(kind, who)
                    self.csv_ok(r)
                    self.assertEqual(markers.findall(r.body), [])
        # the world's texts are really there for its parties to read
        p = self.world.pair
        self.assertTrue(markers.search(self.get(f"{API}/relationships/{p.rel_id}/timeline",
                                                p.guide).body))

    def test_members(self):
        head, rows = self.csv_ok(self.export("members"))
        self.assertEqual(head, ["person_id", "email", "name", "role", "since"])
        listed = self.ok(self.get(f"{API}/programs/{self.pid}/members?limit=100", self.padmin))
        want = sorted((str(m["id"]), m["email"], m["name"], m["role"]) for m in listed["items"])
        self.assertEqual(sorted(tuple(r[:4]) for r in rows), want)
        self.assertTrue(all(r[4].endswith("Z") for r in rows))

    def test_a_name_that_looks_like_a_formula_is_defused(self):
        pid = self.program()
        r = self.request("POST", f"{API}/programs/{pid}/roster?apply=true", None, self.admin,
                         raw='email,name,role\r\nf@corp.test,"=HYPERLINK(""x"",""y""), Eve",learner\r\n',
                         content_type="text/csv")
        self.ok(r)
        _, rows = self.csv_ok(self.export("members", self.admin, pid))
        names = [row[2] for row in rows if row[1] == "f@corp.test"]
        self.assertEqual(names, ["'=HYPERLINK(\"x\",\"y\"), Eve"])

    def test_relationships_and_counts(self):
        head, rows = self.csv_ok(self.export("relationships"))
        self.assertEqual(head, ["relationship_id", "guide_id", "learner_id", "state",
                                "proposed_at", "state_since"])
        listed = self.ok(self.get(f"{API}/programs/{self.pid}/relationships?limit=100",
                                  self.padmin))["items"]
        self.assertEqual(sorted(r[:4] for r in rows), sorted(
            [str(x["id"]), str(x["guide_id"]), str(x["learner_id"]), x["state"]] for x in listed))
        p = self.world.pair
        self.assertIn([str(p.rel_id), str(p.guide.id), str(p.learner.id), "active"],
                      [r[:4] for r in rows])
        members = self.ok(self.get(f"{API}/programs/{self.pid}/members?limit=100",
                                   self.padmin))["items"]
        head, rows = self.csv_ok(self.export("counts"))
        self.assertEqual(head, ["what", "group", "count"])
        counts = {(r[0], r[1]): int(r[2]) for r in rows}
        for role in ("admin", "guide", "learner"):
            self.assertEqual(counts[("members", role)],
                             sum(1 for m in members if m["role"] == role), role)
        self.assertGreaterEqual(counts[("members", "admin")], 2)
        states = ("proposed", "active", "paused", "completed", "alumni", "declined", "ended")
        for state in states:
            self.assertEqual(counts[("relationships", state)],
                             sum(1 for x in listed if x["state"] == state), state)
        self.assertEqual(len(rows), 3 + len(states))

    def test_health_is_the_health_page_with_its_suppression(self):
        pid = self.program(settings={"k_anonymity": 3})
        for _ in range(3):
            self.active_relationship(program_id=pid)
        page = self.ok(self.get(f"{API}/programs/{pid}/health", self.admin))
        head, rows = self.csv_ok(self.export("health", self.admin, pid))
        self.assertEqual(head, ["group", "group_id", "group_name", "figure", "value", "units",
                                "status"])
        groups = {(g["kind"], str(g["id"])): g for g in page["groups"]}
        self.assertEqual({(r[0], r[1]) for r in rows}, set(groups))
        shown = hidden = 0
        for kind, gid, _, figure, value, units, status in rows:
            g = groups[(kind, gid)]
            want = self.figure(g, figure)
            if want is None:
                hidden += 1
                self.assertEqual((value, units), ("", ""), figure)
                self.assertIn(status, ("fewer than k", "complementary"))
            else:
                shown += 1
                self.assertEqual(status, "shown")
                self.assertAlmostEqual(float(value), want, places=6, msg=figure)
        self.assertGreater(shown, 0)
        self.assertGreater(hidden, 0)

    @staticmethod
    def figure(g, name):
        """The health page's value of a figure of the export, None when suppressed."""
        def val(cell, key):
            return None if cell.get("suppressed") else cell[key]
        if name == "trust_index_mean":
            return val(g["trust_index"], "mean")
        if name == "trust_index_median":
            return val(g["trust_index"], "median")
        if name.startswith("warning_share_"):
            w = g["warnings"]
            return None if w.get("suppressed") else w[name[len("warning_share_"):]]
        if name in ("cadence_adherence", "follow_through"):
            return val(g[name], "value")
        if name == "pulse_mean":
            return val(g["pulse"], "mean")
        p = g["pulse"]
        if p.get("suppressed"):
            return None
        item = p["items"][name]
        return None if isinstance(item, dict) else item

    def test_each_export_is_in_the_takers_access_log(self):
        def log(who):
            return self.ok(self.get(f"{API}/me/access-log?limit=100", who))["items"]
        before = len(log(self.padmin))
        guide_before = log(self.world.pair.guide)
        for kind in KINDS:
            self.csv_ok(self.export(kind))
        items = log(self.padmin)[before:]
        self.assertEqual([i["sentence"] for i in items],
                         [f"{self.padmin.name} exported program {self.pid} {k}." for k in KINDS])
        self.assertTrue(all(i["why"] == "export" and i["actor"]["id"] == self.padmin.id
                            for i in items))
        self.assertEqual(log(self.world.pair.guide), guide_before)

    def test_only_the_programs_admins_export(self):
        p = self.world.pair
        outsider = self.person("Outsider")
        before = self.server.query("SELECT COUNT(*) FROM audit.access_log")[0][0]
        for kind in KINDS:
            self.assertProblem(self.export(kind, p.guide), 403)
            self.assertProblem(self.export(kind, outsider), 404)
            self.assertProblem(self.export(kind, self.padmin, self.pid + 1000), 404)
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM audit.access_log")[0][0], before)
