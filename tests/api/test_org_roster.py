"""Roster import (POST /api/v1/programs/{id}/roster, text/csv): the dry run
row by row, applying it, a second import changing nothing, and the files
that a careless spreadsheet export produces (quotes, embedded newlines, a
BOM, CRLF, wrong columns, duplicates), and 10,000 rows."""

import unittest

from harness import ApiTestCase


def csv_body(*lines, bom=False, crlf=True):
    text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


class RosterTest(ApiTestCase):

    def roster(self, program_id, body, apply=False, who=None, content_type="text/csv"):
        path = f"/api/v1/programs/{program_id}/roster" + ("?apply=true" if apply else "")
        return self.request("POST", path, None, who or self.admin, raw=body,
                            content_type=content_type)

    def members(self, program_id):
        r = self.get(f"/api/v1/programs/{program_id}/members?limit=100", self.admin)
        return sorted((m["email"], m["role"]) for m in self.ok(r)["items"])

    def test_dry_run_row_by_row_then_apply_then_no_op(self):
        pid = self.program()
        existing = self.person("Existing Guide")
        self.enroll(pid, existing, "guide")
        other = self.person("Other Account")
        body = csv_body(
            "email,name,role,Team",
            f"{existing.email},Existing Guide,guide,Blue",
            f"{other.email.upper()},Someone Else,learner,",
            '"new.one@corp.test","One, New",learner,Red',
            'new.two@corp.test,"Two ""Quoted""",GUIDE,',
            'new.three@corp.test,Three,learner,"Multi\nLine Team"',
            'new.five@corp.test,"Multi\nLine",learner,',
            "not-an-address,Bad,learner,",
            "new.four@corp.test,Four,captain,",
            "NEW.ONE@corp.test,Again,guide,",
            "short@corp.test,Short",
            bom=True)
        before = self.server.fingerprint()
        rep = self.ok(self.roster(pid, body))
        self.assertEqual(self.server.fingerprint(), before, "a dry run changes nothing")
        self.assertFalse(rep["applied"])
        got = [(x["line"], x["email"], x["action"], x["code"]) for x in rep["rows"]]
        self.assertEqual(got, [
            (2, existing.email, "unchanged", None),
            (3, other.email.lower(), "update", None),
            (4, "new.one@corp.test", "create", None),
            (5, "new.two@corp.test", "create", None),
            (6, "new.three@corp.test", "create", None),
            (8, "new.five@corp.test", "refused", "invalid_name"),
            (10, "not-an-address", "refused", "invalid_email"),
            (11, "new.four@corp.test", "refused", "invalid_role"),
            (12, "new.one@corp.test", "refused", "duplicate_email"),
            (13, "short@corp.test", "refused", "wrong_field_count"),
        ])
        self.assertEqual(rep["counts"], {"create": 3, "update": 1, "unchanged": 1, "refused": 5})
        self.assertIn("Line 4", rep["rows"][8]["detail"])
        self.assertEqual(rep["rows"][2]["name"], "One, New")
        self.assertEqual(rep["rows"][3]["name"], 'Two "Quoted"')
        self.assertEqual(rep["rows"][3]["role"], "guide")
        self.assertEqual(rep["rows"][4]["name"], "Three")
        self.assertEqual(rep["rows"][5]["name"], "Multi\nLine")
        cols = {c["name"]: c["status"] for c in rep["columns"]}
        self.assertEqual(cols["email"], "imported")
        self.assertEqual(cols["Team"],
                         "imported as an attribute, where the person has declared none")

        applied = self.ok(self.roster(pid, body, apply=True))
        self.assertTrue(applied["applied"])
        self.assertEqual([(x["line"], x["action"]) for x in applied["rows"]],
                         [(x["line"], x["action"]) for x in rep["rows"]])
        self.assertEqual(applied["counts"], rep["counts"])
        self.assertTrue(all(x["person_id"] for x in applied["rows"] if x["action"] != "refused"))
        self.assertEqual(self.members(pid), sorted([
            (existing.email, "guide"), (other.email.lower(), "learner"),
            ("new.one@corp.test", "learner"), ("new.two@corp.test", "guide"),
            ("new.three@corp.test", "learner"), (self.admin.email, "admin")]))
        # the new people got invitations, as enrolling gives them
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM invitations i JOIN persons p ON p.id = i.person_id"
            " WHERE p.email LIKE 'new.%@corp.test'")[0][0], 3)
        # the other account's name is theirs: the roster does not rename it
        self.assertEqual(self.server.query("SELECT name FROM persons WHERE id = ?", other.id)[0][0],
                         other.name)

        after = self.server.fingerprint()
        again = self.ok(self.roster(pid, body, apply=True))
        self.assertEqual(self.server.fingerprint(), after, "a second import changes nothing")
        self.assertEqual(again["counts"], {"create": 0, "update": 0, "unchanged": 5, "refused": 5})

    def profile(self, pid, email):
        q = self.server.query
        pid_ = q("SELECT id FROM persons WHERE email = ?", email)[0][0]
        prof = q("SELECT languages, time_zone FROM match_profiles"
                 " WHERE program_id = ? AND person_id = ?", pid, pid_)
        line = q("SELECT manager_email FROM match_reporting_lines"
                 " WHERE program_id = ? AND person_id = ?", pid, pid_)
        topics = q("SELECT t.name, pt.side FROM match_profile_topics pt"
                   " JOIN match_topics t ON t.id = pt.topic_id"
                   " WHERE pt.program_id = ? AND pt.person_id = ? ORDER BY pt.rank, t.name",
                   pid, pid_)
        attrs = q("SELECT a.name, v.value FROM match_attribute_values v"
                  " JOIN match_attributes a ON a.id = v.attribute_id"
                  " WHERE a.program_id = ? AND v.person_id = ? ORDER BY a.name", pid, pid_)
        return {"profile": prof, "manager": line, "topics": topics, "attributes": attrs}

    def test_profile_columns_fill_the_matching_profile(self):
        pid = self.program()
        own = self.person("Has Own Profile")
        self.enroll(pid, own, "learner")
        self.ok(self.put(f"/api/v1/programs/{pid}/profile",
                         {"time_zone": "America/Lima", "languages": ["es"]}, own))
        body = csv_body(
            "email,name,role,manager_email,Time zone,languages,topics,Site",
            "lea@corp.test,Lea,learner,Boss@Corp.test,Europe/Paris,en; fr,Careers;Public speaking,Lyon",
            "gus@corp.test,Gus,guide,,Asia/Tokyo,ja,Careers | Finance,",
            f"{own.email},Has Own Profile,learner,boss@corp.test,Europe/Paris,de,,Paris",
            "bad1@corp.test,Bad,learner,,,français,,",
            "bad2@corp.test,Bad,learner,bad2@corp.test,,,,",
            "bad3@corp.test,Bad,learner,,,,a;b;c;d;e;f,",
            "bad4@corp.test,Bad,learner,,Europe/Paris 2,,,")
        dry = self.ok(self.roster(pid, body))
        self.assertEqual([(x["action"], x["code"]) for x in dry["rows"]], [
            ("create", None), ("create", None), ("update", None),
            ("refused", "invalid_language"), ("refused", "invalid_manager_email"),
            ("refused", "too_many_topics"), ("refused", "invalid_time_zone")])
        self.assertIn("manager boss@corp.test; time zone Europe/Paris; languages en,fr; 2 topics",
                      dry["rows"][0]["detail"])
        # the person's own time zone and languages stay: only the manager changes
        self.assertIn("Profile: manager boss@corp.test.", dry["rows"][2]["detail"])
        cols = {c["name"]: c["status"] for c in dry["columns"]}
        self.assertEqual(cols["manager_email"], "imported")
        self.assertEqual(cols["Time zone"], "imported")
        self.ok(self.roster(pid, body, apply=True))
        self.assertEqual(self.profile(pid, "lea@corp.test"), {
            "profile": [("en,fr", "Europe/Paris")], "manager": [("boss@corp.test",)],
            "topics": [("Careers", "wants"), ("Public speaking", "wants")],
            "attributes": [("Site", "Lyon")]})
        self.assertEqual(self.profile(pid, "gus@corp.test"), {
            "profile": [("ja", "Asia/Tokyo")], "manager": [],
            "topics": [("Careers", "offers"), ("Finance", "offers")], "attributes": []})
        mine = self.profile(pid, own.email)
        self.assertEqual(mine["profile"], [("es", "America/Lima")])
        self.assertEqual(mine["manager"], [("boss@corp.test",)])
        self.assertEqual(mine["attributes"], [("Site", "Paris")])
        after = self.server.fingerprint()
        again = self.ok(self.roster(pid, body, apply=True))
        self.assertEqual(again["counts"], {"create": 0, "update": 0, "unchanged": 3, "refused": 4})
        self.assertEqual(self.server.fingerprint(), after, "a second import changes nothing")

    def test_lf_and_no_bom_read_alike(self):
        pid = self.program()
        a = self.ok(self.roster(pid, csv_body("email,name,role", "x1@corp.test,X,learner",
                                              crlf=False)))
        b = self.ok(self.roster(pid, csv_body("email,name,role", "x1@corp.test,X,learner",
                                              bom=True)))
        self.assertEqual(a["rows"], b["rows"])
        self.assertEqual(a["rows"][0]["action"], "create")

    def test_files_refused_whole(self):
        pid = self.program()
        before = self.server.fingerprint()
        cases = [
            (csv_body("email,name", "a@corp.test,A"), "roster_columns"),
            (csv_body("email,name,role,email", "a@corp.test,A,learner,b@corp.test"),
             "roster_columns"),
            (b"", "roster_columns"),
            (csv_body('email,name,role', 'a@corp.test,"A,learner'), "csv_malformed"),
            (csv_body('email,name,role', 'a@corp.test,A"B,learner'), "csv_malformed"),
            (b"email,name,role\r\n\xff\xfe,x,learner\r\n", "csv_malformed"),
        ]
        for body, code in cases:
            for apply in (False, True):
                with self.subTest(body=body[:40], apply=apply):
                    self.assertProblem(self.roster(pid, body, apply), 422, code)
        self.assertProblem(self.roster(pid, csv_body("email,name,role"), content_type="application/json"),
                           415, "unsupported_media_type")
        self.assertEqual(self.server.fingerprint(), before)

    def test_only_the_programs_admins_import(self):
        pid = self.program()
        guide = self.person("Guide")
        self.enroll(pid, guide, "guide")
        outsider = self.person("Outsider")
        body = csv_body("email,name,role", "z@corp.test,Z,learner")
        self.assertProblem(self.roster(pid, body, True, who=guide), 403)
        self.assertProblem(self.roster(pid, body, True, who=outsider), 404)
        self.assertProblem(self.roster(pid + 1000, body, True), 404)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM persons WHERE email = 'z@corp.test'")[0][0], 0)

    def test_ten_thousand_rows(self):
        pid = self.program()
        lines = ["email,name,role"] + [
            f"bulk.{i}@corp.test,Bulk Person {i},{'guide' if i % 10 == 0 else 'learner'}"
            for i in range(10000)]
        body = csv_body(*lines)
        dry = self.ok(self.roster(pid, body))
        self.assertEqual(dry["counts"]["create"], 10000)
        self.assertEqual(len(dry["rows"]), 10000)
        self.assertEqual(dry["rows"][9999]["line"], 10001)
        done = self.ok(self.roster(pid, body, apply=True))
        self.assertEqual(done["counts"]["create"], 10000)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM memberships WHERE program_id = ?", pid)[0][0], 10001)
        again = self.ok(self.roster(pid, body, apply=True))
        self.assertEqual(again["counts"]["unchanged"], 10000)


if __name__ == "__main__":
    unittest.main()
