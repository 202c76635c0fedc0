"""Private notes leave the other party (and admins) no trace.

A private note is read by its author alone; before this fix its existence
still showed: GET /relationships/{id} counted it in counts.notes, and the
"note_added" event of it appeared in /events, in /timeline ("The guide
added a note.") and in the other party's export. Now:

- counts.notes is what the viewer can list: the shared notes and their own
  private ones; an admin (no party) gets the shared notes only;
- the "note_added" event of a private note is listed to its author alone,
  in /events, /timeline and the export.
"""

from flows import API, FlowTestCase, rel


class PrivateNotesMetadata(FlowTestCase):

    def make(self):
        """A relationship with one private note of the guide, one shared note of
        the guide and one private note of the learner."""
        p = self.active_relationship()
        guide_private = self.note(p, p.guide, "private", "guide's secret")
        shared = self.note(p, p.guide, "shared", "for both")
        learner_private = self.note(p, p.learner, "private", "learner's secret")
        return p, guide_private, shared, learner_private

    def note_events(self, p, who):
        return [(e["actor_id"], e["subject_id"]) for e in self.events(p.rel_id, who)
                if e["kind"] == "note_added"]

    def test_counts_notes_is_what_the_viewer_can_list(self):
        p, _, _, _ = self.make()
        for who in (p.guide, p.learner):
            with self.subTest(who.email):
                counts = self.ok(self.get(rel(p.rel_id), who))["counts"]
                listed = self.items(rel(p.rel_id, "/notes"), who)
                self.assertEqual(counts["notes"], 2)
                self.assertEqual(counts["notes"], len(listed))

    def test_admins_count_shared_notes_only(self):
        p, _, _, _ = self.make()
        admin = self.program_admin(p.program_id)
        for who in (self.admin, admin):
            with self.subTest(who.email):
                self.assertEqual(self.ok(self.get(rel(p.rel_id), who))["counts"]["notes"], 1)

    def test_events_of_private_notes_are_listed_to_their_author_only(self):
        p, gp, shared, lp = self.make()
        self.assertEqual(self.note_events(p, p.guide),
                         [(p.guide.id, gp["id"]), (p.guide.id, shared["id"])])
        self.assertEqual(self.note_events(p, p.learner),
                         [(p.guide.id, shared["id"]), (p.learner.id, lp["id"])])
        admin = self.program_admin(p.program_id)
        self.assertEqual(self.note_events(p, admin), [(p.guide.id, shared["id"])])

    def test_events_pages_stay_full_without_private_notes(self):
        p = self.active_relationship()
        for i in range(4):
            self.note(p, p.guide, "private", f"secret {i}")
        shared = self.note(p, p.guide, "shared", "for both")
        all_events = self.events(p.rel_id, p.learner)
        page = self.ok(self.get(rel(p.rel_id, f"/events?limit={len(all_events)}"), p.learner))
        self.assertEqual(page["items"], all_events)
        self.assertIsNone(page["next"])
        self.assertEqual([e["subject_id"] for e in all_events if e["kind"] == "note_added"],
                         [shared["id"]])

    def test_timeline_does_not_say_the_other_party_added_a_private_note(self):
        p, _, _, _ = self.make()

        def note_items(who):
            return [t for t in self.items(rel(p.rel_id, "/timeline"), who)
                    if t["kind"] == "note_added"]
        self.assertEqual([t["actor_id"] for t in note_items(p.guide)], [p.guide.id, p.guide.id])
        self.assertEqual([t["actor_id"] for t in note_items(p.learner)],
                         [p.learner.id, p.guide.id])  # newest first: the learner's own, the shared

    def test_export_of_the_other_party_has_no_event_of_my_private_note(self):
        p, gp, shared, lp = self.make()
        self.ok(self.confirm(p.learner))
        export = self.ok(self.get(f"{API}/me/export", p.learner))
        (r,) = [x for x in export["relationships"] if x["id"] == p.rel_id]
        self.assertEqual([e["subject_id"] for e in r["events"] if e["kind"] == "note_added"],
                         [shared["id"], lp["id"]])
        self.assertNotIn(gp["id"], [n["id"] for n in r["notes"]])
