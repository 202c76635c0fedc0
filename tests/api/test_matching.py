"""test_matching.py: matching over the API: profiles and their
confidentiality, hard constraints, the explained score, the admin's batch
run (draft, lock, exclude, re-run, publish), self-match with the request
window, rematch's exit question and the learning figures.

A small program with exact figures (default weights 40/20/10/15/15, a
minimum overlap of an hour):

  guides    Amara  offers Leadership, Negotiation, Writing; en, fr;
                   Monday 9-14 UTC; 1 place; department Sales
            Ben    offers Data; en; Monday 9-11; 2 places; Finance
            Cleo   offers Leadership; de only
  learners  Leo    wants Leadership, Negotiation, Data, Writing (ranked);
                   en, fr; Monday 9-14; Finance, wishes a different one
            Mia    wants Data; en; Monday 9-12; her manager is Ben
            Noa    es only

  Leo-Amara 77: topics 8/10 = 80, 5 h overlap = 100, first language 100,
                the different department 100, experience 0
  Leo-Ben   28: topics 2/10 = 20, 2 h = 50, 100, same department 0, 0
  Mia-Amara 29: topics 0, 3 h = 75, 100, (no wish), 0: 2500/85
  Mia-Ben   conflict of interest (Ben is her manager)
  Noa       no shared language with anyone

The optimum matches both Leo and Mia (Leo-Ben, Mia-Amara: 57), where a
greedy pass (Leo first) takes Amara for Leo and leaves Mia out (77).
"""

from flows import API, FlowTestCase

MON9 = 9 * 60
SECRET_DEPT = "Finance-Secretdept"


class MatchingCase(FlowTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.p = h.program()
        cls.admin_p = h.program_admin(cls.p)
        topics = {}
        for name in ("Leadership", "Negotiation", "Data", "Writing"):
            topics[name] = h.ok(h.post(f"{API}/programs/{cls.p}/topics", {"name": name},
                                       cls.admin_p), 201)["id"]
        cls.topics = topics
        cls.dept = h.ok(h.post(f"{API}/programs/{cls.p}/attributes", {"name": "department"},
                               cls.admin_p), 201)["id"]
        t = topics

        def member(name, role, **profile):
            who = h.person(name)
            h.enroll(cls.p, who, role)
            if profile:
                h.ok(h.put(f"{API}/programs/{cls.p}/profile", profile, who))
            return who

        def win(start_h, end_h):
            return [{"start": start_h * 60, "end": end_h * 60}]

        cls.amara = member("Amara Okafor", "guide", languages=["en", "fr"], windows=win(9, 14),
                           offers=[t["Leadership"], t["Negotiation"], t["Writing"]], capacity=1,
                           attributes=[{"attribute_id": cls.dept, "value": "Sales-Secretdept"}],
                           about="Twenty years of leading teams.")
        cls.ben = member("Ben Lund", "guide", languages=["en"], windows=win(9, 11),
                         offers=[t["Data"]], capacity=2,
                         attributes=[{"attribute_id": cls.dept, "value": SECRET_DEPT}])
        cls.cleo = member("Cleo Braun", "guide", languages=["de"], windows=win(9, 14),
                          offers=[t["Leadership"]])
        cls.leo = member("Leo Martin", "learner", languages=["en", "fr"], windows=win(9, 14),
                         wants=[t["Leadership"], t["Negotiation"], t["Data"], t["Writing"]],
                         attributes=[{"attribute_id": cls.dept, "value": SECRET_DEPT,
                                      "wish": "different"}])
        cls.mia = member("Mia Chen", "learner", languages=["en"], windows=win(9, 12),
                         wants=[t["Data"]])
        cls.noa = member("Noa Ruiz", "learner", languages=["es"], windows=win(9, 14))
        h.ok(h.put(f"{API}/programs/{cls.p}/reporting-lines/{cls.mia.id}",
                   {"manager_email": cls.ben.email.upper()}, cls.admin_p), 204)
        # Leo privately blocks Cleo (who would not fit anyway)
        h.ok(h.post(f"{API}/programs/{cls.p}/blocks", {"person_id": cls.cleo.id}, cls.leo), 204)


class Profiles(MatchingCase):

    def test_my_profile_has_everything_and_the_topics_in_rank_order(self):
        me = self.ok(self.get(f"{API}/programs/{self.p}/profile", self.leo))
        t = self.topics
        self.assertEqual(me["wants"], [t["Leadership"], t["Negotiation"], t["Data"], t["Writing"]])
        self.assertEqual(me["languages"], ["en", "fr"])
        self.assertEqual(me["windows"], [{"start": MON9, "end": 14 * 60}])
        self.assertEqual(me["attributes"], [{"attribute_id": self.dept, "name": "department",
                                             "value": SECRET_DEPT, "wish": "different"}])
        self.assertEqual(me["blocks"], [self.cleo.id])

    def test_others_see_only_the_public_part(self):
        path = f"{API}/programs/{self.p}/profiles/{self.leo.id}"
        # a learner's profile is for the program's guides and admins
        self.assertProblem(self.get(path, self.mia), 404, "not_found")
        self.assertEqual(self.ok(self.get(f"{API}/programs/{self.p}/profiles/{self.amara.id}",
                                          self.mia))["offers"][0], self.topics["Leadership"])
        for who in (self.amara, self.admin_p, self.admin):
            got = self.ok(self.get(path, who))
            for hidden in ("attributes", "blocks"):
                self.assertNotIn(hidden, got)
            self.assertNotIn("Secretdept", str(got))
        self.assertEqual(self.ok(self.get(path, self.amara))["languages"], ["en", "fr"])
        # the reporting line is the admins' (and the person's own)
        mia = self.ok(self.get(f"{API}/programs/{self.p}/profiles/{self.mia.id}", self.admin_p))
        self.assertEqual(mia["manager_email"], self.ben.email.lower())
        mia = self.ok(self.get(f"{API}/programs/{self.p}/profiles/{self.mia.id}", self.ben))
        self.assertNotIn("manager_email", mia)

    def test_outsiders_get_404(self):
        stranger = self.stranger()
        for path in (f"/programs/{self.p}/profile", f"/programs/{self.p}/profiles/{self.leo.id}",
                     f"/programs/{self.p}/topics", f"/programs/{self.p}/suggestions",
                     f"/programs/{self.p}/matching-settings", f"/programs/{self.p}/matching-runs",
                     f"/programs/{self.p}/matching-learning"):
            self.assertProblem(self.get(API + path, stranger), 404, "not_found")

    def test_bad_profiles_are_refused_with_pointers_and_change_nothing(self):
        with self.unchanged():
            r = self.put(f"{API}/programs/{self.p}/profile",
                         {"languages": ["en", "not a code"], "wants": [999999],
                          "windows": [{"start": 600, "end": 500}], "capacity": 51}, self.leo)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(sorted(self.pointers(r)),
                         ["/capacity", "/languages/1", "/wants/0", "/windows/0"])
        with self.unchanged():
            r = self.put(f"{API}/programs/{self.p}/profile",
                         {"wants": [self.topics[n] for n in
                                    ("Leadership", "Negotiation", "Data", "Writing", "Data")]},
                         self.leo)
        self.assertEqual(r.status, 422, r)

    def test_the_export_holds_my_whole_profile_and_nobody_elses(self):
        self.ok(self.confirm(self.leo))
        mine = self.ok(self.get(f"{API}/me/export", self.leo))["matching"]
        self.assertEqual([p["program_id"] for p in mine["profiles"]], [self.p])
        self.assertEqual(mine["profiles"][0]["attributes"][0]["value"], SECRET_DEPT)
        self.assertEqual(mine["profiles"][0]["blocks"], [self.cleo.id])
        self.ok(self.confirm(self.amara))
        theirs = self.get(f"{API}/me/export", self.amara).body.decode()
        self.assertNotIn(SECRET_DEPT, theirs)
        self.assertIn("Sales-Secretdept", theirs)

    def test_deleting_an_account_forgets_its_matching_data(self):
        zed = self.person("Zed Quinn")
        self.enroll(self.p, zed, "learner")
        self.ok(self.put(f"{API}/programs/{self.p}/profile",
                         {"languages": ["en"], "about": "Zed", "wants": [self.topics["Data"]],
                          "windows": [{"start": MON9, "end": 600}],
                          "attributes": [{"attribute_id": self.dept, "value": "Legal",
                                          "wish": "similar"}]}, zed))
        self.ok(self.post(f"{API}/programs/{self.p}/blocks", {"person_id": self.ben.id}, zed), 204)
        self.ok(self.put(f"{API}/programs/{self.p}/reporting-lines/{zed.id}",
                         {"manager_email": "boss@rapport.test"}, self.admin_p), 204)
        self.ok(self.post(f"{API}/programs/{self.p}/match-requests",
                          {"guide_id": self.amara.id}, zed), 201)
        self.ok(self.confirm(zed))
        self.assertIn(self.delete(f"{API}/me", zed).status, (200, 204))
        for table in ("match_profiles", "match_profile_topics", "match_windows",
                      "match_attribute_values", "match_blocks", "match_reporting_lines"):
            self.assertEqual(self.server.query(f"SELECT count(*) FROM {table} WHERE person_id = ?",
                                               zed.id), [(0,)], table)
        self.assertEqual(self.server.query("SELECT state FROM match_requests WHERE learner_id = ?",
                                           zed.id), [("withdrawn",)])

    def test_only_admins_edit_the_lists_and_settings(self):
        self.assertProblem(self.post(f"{API}/programs/{self.p}/topics", {"name": "X"}, self.leo),
                           403, "role")
        self.assertProblem(self.get(f"{API}/programs/{self.p}/matching-settings", self.amara),
                           403, "role")
        s = self.ok(self.get(f"{API}/programs/{self.p}/matching-settings", self.admin_p))
        self.assertEqual(s, {"weights": {"topics": 40, "availability": 20, "language": 10,
                                         "attributes": 15, "experience": 15},
                             "min_overlap_minutes": 60, "mode": "total",
                             "request_window_hours": 72})
        r = self.put(f"{API}/programs/{self.p}/matching-settings",
                     {"weights": {"topics": 101}}, self.admin_p)
        self.assertEqual(self.pointers(r), ["/weights/topics"])


class BatchRun(MatchingCase):

    def test_a_run_is_optimal_explained_and_editable_then_published(self):
        run = self.ok(self.post(f"{API}/programs/{self.p}/matching-runs", {}, self.admin_p), 201)
        pairs = {(x["learner_id"], x["guide_id"]): x for x in run["pairs"]}
        self.assertEqual(set(pairs), {(self.leo.id, self.ben.id), (self.mia.id, self.amara.id)})
        self.assertEqual(pairs[(self.leo.id, self.ben.id)]["score"], 28)
        mia = pairs[(self.mia.id, self.amara.id)]
        self.assertEqual(mia["score"], 29)
        self.assertEqual(mia["parts"], {"topics": 0, "availability": 75, "language": 100,
                                        "experience": 0})
        self.assertEqual(mia["why"], "none of Mia's 1 topic is among Amara's strengths; "
                                     "3 hours a week overlap; Mia's first language is shared; "
                                     "Amara is new to guiding in this program")
        s = run["summary"]
        self.assertEqual((s["learners"], s["matched"], s["total"], s["minimum"]), (3, 2, 57, 28))
        self.assertEqual(s["greedy_total"], 77)
        self.assertEqual(s["blocking_pairs"], 1)
        self.assertEqual(run["unmatched"], [{"learner_id": self.noa.id, "name": "Noa Ruiz",
                                             "reason": "no_shared_language",
                                             "guides_ruled_out": {"no_shared_language": 3}}])
        self.assertNotIn("Secretdept", str(run))
        self.assertNotIn("department", str(run))

        rid = run["id"]
        # a pair that breaks a hard constraint cannot be locked
        self.assertProblem(self.post(f"{API}/matching-runs/{rid}/lock",
                                     {"learner_id": self.mia.id, "guide_id": self.ben.id},
                                     self.admin_p), 409, "constraint")
        # swap: Leo with Amara, locked; Mia leaves Amara
        run = self.ok(self.post(f"{API}/matching-runs/{rid}/lock",
                                {"learner_id": self.leo.id, "guide_id": self.amara.id},
                                self.admin_p))
        self.assertEqual([(x["learner_id"], x["guide_id"], x["score"], x["locked"])
                          for x in run["pairs"]], [(self.leo.id, self.amara.id, 77, True)])
        run = self.ok(self.post(f"{API}/matching-runs/{rid}/rerun", {}, self.admin_p))
        self.assertEqual([(x["learner_id"], x["guide_id"]) for x in run["pairs"]],
                         [(self.leo.id, self.amara.id)])
        reasons = {u["learner_id"]: u["reason"] for u in run["unmatched"]}
        self.assertEqual(reasons, {self.mia.id: "capacity", self.noa.id: "no_shared_language"})
        run = self.ok(self.post(f"{API}/matching-runs/{rid}/exclude",
                                {"learner_id": self.noa.id}, self.admin_p))
        self.assertEqual(run["summary"]["learners"], 2)
        run = self.ok(self.post(f"{API}/matching-runs/{rid}/publish", {}, self.admin_p))
        self.assertEqual((run["state"], run["published"]), ("published", 1))
        rels = self.ok(self.get(f"{API}/relationships", self.leo))["items"]
        mine = [x for x in rels if x["guide_id"] == self.amara.id]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["state"], "proposed")
        # a published run is no longer a draft
        self.assertProblem(self.post(f"{API}/matching-runs/{rid}/rerun", {}, self.admin_p),
                           409, "not_a_draft")
        listed = self.ok(self.get(f"{API}/programs/{self.p}/matching-runs", self.admin_p))
        self.assertIn(rid, [x["id"] for x in listed["items"]])

    def test_nobody_but_the_programs_admins_sees_a_run(self):
        run = self.ok(self.post(f"{API}/programs/{self.p}/matching-runs", {}, self.admin_p), 201)
        for who in (self.leo, self.amara, self.stranger()):
            self.assertProblem(self.get(f"{API}/matching-runs/{run['id']}", who), 404,
                               "not_found")
            self.assertProblem(self.post(f"{API}/matching-runs/{run['id']}/publish", {}, who),
                               404, "not_found")


class SelfMatch(FlowTestCase):
    """Leo in a program of four guides who all fit, each explained."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.p = h.program()
        t = [h.ok(h.post(f"{API}/programs/{cls.p}/topics", {"name": n}, h.admin), 201)["id"]
             for n in ("Leadership", "Negotiation", "Data")]
        cls.t = t
        cls.dept = h.ok(h.post(f"{API}/programs/{cls.p}/attributes", {"name": "department"},
                               h.admin), 201)["id"]
        win = [{"start": MON9, "end": 13 * 60}]
        cls.leo = h.person("Leo Martin")
        h.enroll(cls.p, cls.leo, "learner")
        h.ok(h.put(f"{API}/programs/{cls.p}/profile",
                   {"languages": ["en"], "windows": win, "wants": t,
                    "attributes": [{"attribute_id": cls.dept, "value": "Ops",
                                    "wish": "different"}]}, cls.leo))
        cls.guides = []
        for i, offers in enumerate(([0, 1, 2], [0, 1], [0], [2])):
            g = h.person(f"Guide {'ABCD'[i]}")
            h.enroll(cls.p, g, "guide")
            h.ok(h.put(f"{API}/programs/{cls.p}/profile",
                       {"languages": ["en"], "windows": win, "offers": [t[k] for k in offers],
                        "capacity": 1, "attributes": [{"attribute_id": cls.dept,
                                                       "value": "Sales" if i else "Ops"}]}, g))
            cls.guides.append(g)

    def suggestions(self):
        return self.ok(self.get(f"{API}/programs/{self.p}/suggestions", self.leo))["items"]

    def test_suggestions_requests_decline_expiry_accept_and_the_exit_question(self):
        got = self.suggestions()
        # A: all 3 topics (100), 4 h (100), language (100), the same department against
        # the wish (0), experience 0: (4000+2000+1000)/100 = 70. B: topics 5/6 = 83, the
        # wish met: (3320+2000+1000+1500)/100 = 78.2 -> 78. C: 3/6 = 50: 65.
        # D: 1/6 = 17: (680+4500)/100 = 51.8 -> 52.
        self.assertEqual([(s["name"], s["score"]) for s in got],
                         [("Guide B", 78), ("Guide A", 70), ("Guide C", 65), ("Guide D", 52)])
        self.assertEqual(got[0]["why"], "2 of Leo's 3 topics are Guide's strengths; 4 hours a "
                                        "week overlap; Leo's first language is shared; Guide is "
                                        "new to guiding in this program; a different department,"
                                        " as Leo asked")
        self.assertNotIn("Sales", str(got))
        a, b, c, d = self.guides
        q = self.ok(self.post(f"{API}/programs/{self.p}/match-requests", {"guide_id": b.id},
                              self.leo), 201)
        self.assertEqual((q["state"], q["score"]), ("pending", 78))
        # one pending request at a time
        self.assertProblem(self.post(f"{API}/programs/{self.p}/match-requests",
                                     {"guide_id": a.id}, self.leo), 409, "request_pending")
        # the guide sees the request, never the learner's attributes or wishes
        mine = self.ok(self.get(f"{API}/match-requests", b))["items"]
        self.assertEqual([x["id"] for x in mine], [q["id"]])
        self.assertNotIn("Ops", str(mine))
        self.assertNotIn("different", str(mine))
        # only the guide answers
        self.assertProblem(self.post(f"{API}/match-requests/{q['id']}/accept", {}, self.leo),
                           403, "role")
        self.assertProblem(self.post(f"{API}/match-requests/{q['id']}/accept", {}, a), 404,
                           "not_found")
        self.assertEqual(self.ok(self.post(f"{API}/match-requests/{q['id']}/decline", {}, b))
                         ["state"], "declined")
        # the next guide moves up
        self.assertEqual([s["name"] for s in self.suggestions()], ["Guide A", "Guide C",
                                                                   "Guide D"])
        q2 = self.ok(self.post(f"{API}/programs/{self.p}/match-requests", {"guide_id": a.id},
                               self.leo), 201)
        # no answer within 72 hours: the request lapses
        self.move_clock(self.at(hours=73), self.leo, a, c)
        self.run_jobs()
        self.assertEqual(self.ok(self.get(f"{API}/match-requests", self.leo))["items"][-1]
                         ["state"], "expired")
        self.assertProblem(self.post(f"{API}/match-requests/{q2['id']}/accept", {}, a), 409,
                           "not_pending")
        q3 = self.ok(self.post(f"{API}/programs/{self.p}/match-requests", {"guide_id": c.id},
                               self.leo), 201)
        done = self.ok(self.post(f"{API}/match-requests/{q3['id']}/accept", {}, c))
        rel = self.ok(self.get(f"{API}/relationships/{done['relationship_id']}", self.leo))
        self.assertEqual(rel["state"], "active")
        # the exit question comes after a no-fault ending, and is private
        path = f"{API}/relationships/{rel['id']}/exit-answer"
        self.assertProblem(self.put(path, {"reasons": ["topics"]}, self.leo), 409, "not_ended")
        self.ok(self.transition(rel["id"], self.leo, "completed"))
        self.ok(self.put(path, {"reasons": ["topics", "chemistry"]}, self.leo))
        self.assertEqual(self.ok(self.get(path, self.leo))["reasons"], ["topics", "chemistry"])
        self.assertEqual(self.ok(self.get(path, c))["answered"], False)
        self.assertProblem(self.get(path, self.admin), 404, "not_found")
        # it feeds the next suggestions: topics count double (80) and, for chemistry, the
        # attribute wishes too (30); C is not offered again, A and B were asked:
        # D (80*17 + 2000 + 1000 + 30*100)/155 = 47.5 -> 47
        got = self.suggestions()
        self.assertEqual([(s["name"], s["score"]) for s in got], [("Guide D", 47)])
        self.assertTrue(got[0]["why"].endswith("what did not fit last time counts double"))


class Learning(FlowTestCase):

    def test_figures_are_suppressed_below_k(self):
        p = self.program()
        r = self.ok(self.get(f"{API}/programs/{p}/matching-learning", self.admin))
        self.assertEqual(r["relationships"], 0)
        self.assertEqual(r["score"], {"suppressed": True, "reason": "fewer than k", "units": 0})
        self.assertEqual(r["after_days"], 90)
        learner = self.person("Learner")
        self.enroll(p, learner, "learner")
        self.assertProblem(self.get(f"{API}/programs/{p}/matching-learning", learner), 403,
                           "role")


class RouteByRoute(MatchingCase):
    """Every GET route of the server (routes_table.routes()), with every id
    of this program filled in (the program, each member, a run, a request,
    a relationship), called by every role: nobody but the person sees their
    attribute values, wishes, blocks or exit answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = cls.helper()
        cls.run_id = h.ok(h.post(f"{API}/programs/{cls.p}/matching-runs", {}, cls.admin_p),
                          201)["id"]
        cls.req_id = h.ok(h.post(f"{API}/programs/{cls.p}/match-requests",
                                 {"guide_id": cls.ben.id}, cls.leo), 201)["id"]
        # a relationship Leo ended without fault, with his private exit answer
        rel = h.ok(h.post(f"{API}/relationships", {"program_id": cls.p, "guide_id": cls.amara.id,
                                                   "learner_id": cls.leo.id}, cls.admin_p), 201)
        for who in (cls.amara, cls.leo):
            h.ok(h.transition(rel["id"], who, "active"))
        h.ok(h.transition(rel["id"], cls.leo, "completed"))
        h.ok(h.put(f"{API}/relationships/{rel['id']}/exit-answer",
                   {"reasons": ["chemistry"]}, cls.leo))
        cls.rel_id = rel["id"]

    def paths(self):
        from routes_table import routes
        ids = {"programs": [self.p], "matching-runs": [self.run_id],
               "match-requests": [self.req_id], "relationships": [self.rel_id]}
        people = [x.id for x in (self.leo, self.mia, self.noa, self.amara, self.ben, self.cleo)]
        out = []
        for route in routes():
            if route.method != "GET" or not route.pattern.startswith(API) \
                    or "/dev/" in route.pattern or "/bench/" in route.pattern:
                continue
            parts = route.pattern.split("/")
            filled = [[]]
            for i, part in enumerate(parts):
                if part != "{id}":
                    filled = [f + [part] for f in filled]
                    continue
                kind = parts[i - 1]
                choices = people if kind in ("profiles", "reporting-lines") else ids.get(kind, [1])
                filled = [f + [str(c)] for f in filled for c in choices]
            out += ["/".join(f) for f in filled]
        return out

    def test_no_route_shows_anyone_another_persons_attributes_wishes_blocks_or_exit(self):
        paths = self.paths()
        self.assertGreaterEqual(len(paths), 50)
        roles = [("learner Mia", self.mia), ("guide Amara", self.amara), ("guide Ben", self.ben),
                 ("program admin", self.admin_p), ("site admin", self.admin),
                 ("stranger", self.stranger())]
        leaks = []
        for path in paths:
            for label, who in roles:
                own = (f"{API}/programs/{self.p}/profile", f"{API}/programs/{self.p}/profiles/{who.id}")
                if path in own:
                    continue  # their own profile: their own attributes, wishes and blocks
                body = self.get(path, who).body.decode("utf-8", "replace")
                # Leo's department value, his wish, his block of Cleo, his exit answer
                for secret in ("Secretdept", '"wish"', '"blocks"', "chemistry"):
                    if secret in body:
                        leaks.append(f"{label}: GET {path} shows {secret}")
        self.assertEqual(leaks, [])
        # and Leo himself sees all of it, on his own routes only
        mine = self.get(f"{API}/programs/{self.p}/profile", self.leo).body.decode()
        for secret in ("Secretdept", '"wish":"different"', f'"blocks":[{self.cleo.id}]'):
            self.assertIn(secret, mine)
        self.assertIn("chemistry",
                      self.get(f"{API}/relationships/{self.rel_id}/exit-answer", self.leo)
                      .body.decode())
