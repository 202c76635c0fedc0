"""Your data, part two: deleting a relationship (crypto-shredding it) and
deleting my account.

Rules pinned down here:
- both need a session whose password was re-checked in the last five
  minutes (403 password_check_needed otherwise, nothing changed);
- a party may delete a relationship once it is declined, ended or alumni
  (409 relationship_running before), a site admin at any time, anyone
  else gets 404; afterwards it is gone for everyone (no tombstone row),
  and neither its plaintext nor its ciphertext is in the database file or
  its write-ahead log;
- deleting my account ends my running relationships (the other party keeps
  the shared history), shreds my private notes, deletes my sessions and
  password, leaves a tombstone "Deleted member"; signing in afterwards
  fails exactly as for an unknown account; the last site admin may not
  delete themselves (409 last_site_admin).
"""

import sqlite3

from flows import API, FlowTestCase, rel


class RelationshipDeletion(FlowTestCase):

    def ended_pair(self):
        pair = self.active_relationship()
        self.ok(self.transition(pair.rel_id, pair.guide, "ended", reason="We are done."))
        return pair

    def test_needs_a_confirmed_session(self):
        pair = self.ended_pair()
        self.assertRefused(lambda: self.delete(rel(pair.rel_id), pair.learner), 403,
                           "password_check_needed")

    def test_a_running_relationship_cannot_be_deleted_by_its_parties(self):
        pair = self.active_relationship()
        self.ok(self.confirm(pair.guide))
        p = self.assertRefused(lambda: self.delete(rel(pair.rel_id), pair.guide), 409,
                               "relationship_running")
        self.assertIn("active", p["detail"])
        self.ok(self.transition(pair.rel_id, pair.guide, "completed"))
        self.assertRefused(lambda: self.delete(rel(pair.rel_id), pair.guide), 409,
                           "relationship_running")

    def test_others_get_404(self):
        pair = self.ended_pair()
        outsiders = [w for label, w in self.outsiders(pair) if label != "site admin"]
        for who in outsiders:
            self.ok(self.confirm(who))
        self.assertAllNotFound([lambda w=w: self.delete(rel(pair.rel_id), w) for w in outsiders])
        self.ok(self.confirm(pair.learner))
        self.assertAllNotFound([lambda: self.delete(rel(999999), pair.learner)])

    def test_declined_relationship_deleted_by_a_party(self):
        pair = self.pair()
        self.propose(pair)
        self.ok(self.transition(pair.rel_id, pair.learner, "declined"))
        self.ok(self.confirm(pair.learner))
        r = self.delete(rel(pair.rel_id), pair.learner)
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.get(rel(pair.rel_id), pair.guide), 404, "not_found")

    def test_deleted_relationship_is_gone_and_its_text_shredded(self):
        pair = self.active_relationship()
        g, l = pair.guide, pair.learner
        secret = "SHRED-ME the learner's diagnosis"
        note = self.note(pair, l, "shared", secret)
        private = self.note(pair, g, "private", "SHRED-ME-TOO the guide's private worry")
        fb = self.feedback(pair, g, "recognition", "task", "SHRED-FEEDBACK well done")
        q = self.ask(pair, l, "SHRED-REQUEST can we talk")
        sealed = [row[0] for row in self.server.query(
            "SELECT text_ct FROM notes WHERE relationship_id = ?", pair.rel_id)]
        sealed += [row[0] for row in self.server.query(
            "SELECT text_ct FROM feedback WHERE relationship_id = ?", pair.rel_id)]
        self.assertEqual(len(sealed), 3)
        self.ok(self.transition(pair.rel_id, l, "ended", reason="Moving on."))
        self.ok(self.confirm(l))
        r = self.delete(rel(pair.rel_id), l)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(r.body, b"")
        for who in (g, l, self.admin):
            self.assertProblem(self.get(rel(pair.rel_id), who), 404, "not_found")
        for path in (rel(pair.rel_id, "/notes"), rel(pair.rel_id, "/feedback"),
                     rel(pair.rel_id, "/requests"), rel(pair.rel_id, "/events"),
                     f"{API}/notes/{note['id']}", f"{API}/notes/{private['id']}",
                     f"{API}/requests/{q['id']}"):
            for who in (g, l):
                self.assertProblem(self.get(path, who), 404, None)
        # No tombstone: no row of it is left, in any table that names it.
        for table in ("relationships",):
            self.assertEqual(self.server.query(
                f"SELECT COUNT(*) FROM {table} WHERE id = ?", pair.rel_id)[0][0], 0)
        for table in ("notes", "feedback", "requests", "events", "evidence"):
            self.assertEqual(self.server.query(
                f"SELECT COUNT(*) FROM {table} WHERE relationship_id = ?", pair.rel_id)[0][0], 0,
                table)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM data_keys WHERE relationship_id = ?", pair.rel_id)[0][0], 0)
        raw = b"".join(self.server.file_bytes().values())
        for text in (secret, "SHRED-ME-TOO", "SHRED-FEEDBACK", "SHRED-REQUEST"):
            self.assertNotIn(text.encode(), raw)
        for blob in sealed:
            self.assertNotIn(bytes(blob), raw)
        # The parties' other data is untouched: they can still sign in and
        # see their (now shorter) list.
        self.assertEqual(self.ok(self.get(f"{API}/relationships", l))["items"], [])

    def test_site_admin_may_delete_a_running_relationship(self):
        pair = self.active_relationship()
        self.note(pair, pair.guide, "shared", "ERASE on request")
        self.ok(self.confirm(self.admin))
        r = self.delete(rel(pair.rel_id), self.admin)
        self.assertEqual(r.status, 204, r)
        self.assertProblem(self.get(rel(pair.rel_id), pair.guide), 404, "not_found")
        self.assertProblem(self.get(rel(pair.rel_id, "/notes"), pair.guide), 404, "not_found")

    def test_program_health_no_longer_counts_it(self):
        pair = self.ended_pair()
        before = self.ok(self.get(f"{API}/programs/{pair.program_id}/relationships", self.admin))
        self.assertEqual([x["id"] for x in before["items"]], [pair.rel_id])
        self.ok(self.confirm(pair.guide))
        self.assertEqual(self.delete(rel(pair.rel_id), pair.guide).status, 204)
        after = self.ok(self.get(f"{API}/programs/{pair.program_id}/relationships", self.admin))
        self.assertEqual(after["items"], [])


class AccountDeletion(FlowTestCase):

    def test_needs_a_confirmed_session(self):
        who = self.person("Cautious")
        self.assertRefused(lambda: self.delete(f"{API}/me", who), 403, "password_check_needed")
        self.ok(self.get(f"{API}/me", who))

    def test_the_last_site_admin_cannot_delete_themselves(self):
        self.ok(self.confirm(self.admin))
        self.assertRefused(lambda: self.delete(f"{API}/me", self.admin), 409, "last_site_admin")
        self.ok(self.get(f"{API}/me", self.admin))

    def test_deleting_my_account(self):
        pair = self.active_relationship()
        g, l = pair.guide, pair.learner
        shared = self.note(pair, l, "shared", "KEEP the learner's shared reflection")
        mine = self.note(pair, l, "private", "GONE the learner's private diary")
        guide_private = self.note(pair, g, "private", "KEEP-G the guide's private note")
        sealed_private = self.server.query("SELECT text_ct FROM notes WHERE id = ?", mine["id"])[0][0]
        other_session = self.sign_in(type(l)(l.id, l.email, l.name, l.password)).token
        self.ok(self.confirm(l))
        r = self.delete(f"{API}/me", l)
        self.assertEqual(r.status, 204, r)
        self.assertIn("Max-Age=0", r.headers.get("Set-Cookie", ""))
        # Every session of mine is gone, and signing in fails as for an
        # unknown account.
        for token in (l.token, other_session):
            self.assertProblem(self.get(f"{API}/me", token), 401, "no_session")
        r = self.post(f"{API}/session", {"email": l.email, "password": l.password})
        unknown = self.post(f"{API}/session", {"email": "nobody.at.all@rapport.test",
                                               "password": l.password})
        self.assertProblem(r, 401, "bad_credentials")
        self.assertEqual(r.json["detail"], unknown.json["detail"])
        # The relationship ended; the guide keeps the shared history.
        got = self.ok(self.get(rel(pair.rel_id), g))
        self.assertEqual(got["state"], "ended")
        notes = self.items(rel(pair.rel_id, "/notes"), g)
        self.assertEqual(sorted((n["id"], n["text"]) for n in notes),
                         sorted([(shared["id"], "KEEP the learner's shared reflection"),
                                 (guide_private["id"], "KEEP-G the guide's private note")]))
        kinds = [(e["kind"], e["actor_id"], e.get("to")) for e in self.events(pair.rel_id, g)]
        self.assertIn(("transition", l.id, "ended"), kinds)
        self.assertIn(("account_deleted", l.id, None), kinds)
        # My private note is shredded: no row, no ciphertext, no plaintext.
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM notes WHERE id = ?",
                                           mine["id"])[0][0], 0)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM data_keys WHERE author_id = ?", l.id)[0][0], 0)
        raw = b"".join(self.server.file_bytes().values())
        self.assertNotIn(b"GONE the learner", raw)
        self.assertNotIn(bytes(sealed_private), raw)
        # The person row is a tombstone.
        [(email, name, pw, admin)] = self.server.query(
            "SELECT email, name, password_hash, is_site_admin FROM persons WHERE id = ?", l.id)
        self.assertEqual(name, "Deleted member")
        self.assertEqual(email, f"deleted-{l.id}@deleted.invalid")
        self.assertIsNone(pw)
        self.assertEqual(admin, 0)
        for table, col in (("sessions", "person_id"), ("invitations", "person_id"),
                           ("memberships", "person_id")):
            self.assertEqual(self.server.query(
                f"SELECT COUNT(*) FROM {table} WHERE {col} = ?", l.id)[0][0], 0, table)
        members = self.items(f"{API}/programs/{pair.program_id}/members", self.admin)
        self.assertNotIn(l.id, [m["id"] for m in members])
        # The guide's export still holds the shared history, and names the
        # learner by the tombstone only.
        self.ok(self.confirm(g))
        x = self.get(f"{API}/me/export", g)
        self.assertEqual(x.status, 200, x)
        self.assertIn(b"KEEP the learner's shared reflection", x.body)
        self.assertNotIn(b"GONE the learner", x.body)
        self.assertNotIn(l.email.encode(), x.body)
        # The address is free again for a new account.
        self.enroll(pair.program_id, l, "learner")

    def test_proposed_relationships_are_declined_and_finished_ones_kept(self):
        proposed = self.pair()
        self.propose(proposed)
        done = self.active_relationship()
        self.ok(self.transition(done.rel_id, done.guide, "completed"))
        self.ok(self.confirm(proposed.guide))
        self.assertEqual(self.delete(f"{API}/me", proposed.guide).status, 204)
        self.assertEqual(self.ok(self.get(rel(proposed.rel_id), proposed.learner))["state"],
                         "declined")
        self.ok(self.confirm(done.learner))
        self.assertEqual(self.delete(f"{API}/me", done.learner).status, 204)
        self.assertEqual(self.ok(self.get(rel(done.rel_id), done.guide))["state"], "completed")

    def test_a_site_admin_who_is_not_the_last_may_leave(self):
        # No route makes site admins (only `rapport init`), so the test
        # promotes a person in the database itself.
        second = self.person("Second Site Admin")
        self.server.execute("UPDATE persons SET is_site_admin = 1 WHERE id = ?", second.id)
        self.assertTrue(self.ok(self.get(f"{API}/me", second))["site_admin"])
        self.ok(self.confirm(second))
        self.assertEqual(self.delete(f"{API}/me", second).status, 204)
        self.assertEqual(self.server.query(
            "SELECT is_site_admin FROM persons WHERE id = ?", second.id), [(0,)])
        # Now the first is the last again.
        self.ok(self.confirm(self.admin))
        self.assertRefused(lambda: self.delete(f"{API}/me", self.admin), 409, "last_site_admin")
