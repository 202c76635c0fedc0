"""Access-log entries for text the server serves from a cache or only
processes itself (src/http/routes_trust.c, src/app/trust/warnings.c).

A trust view names goals by their titles; it is kept in a cache, so a view
served again from it must be logged again, like the first time. Warnings
refreshed after each write open goal documents to see which SMART parts
are missing; that shows no text to anyone and must leave no entry."""

from flows import API, FlowTestCase, rel, shift

LOG = f"{API}/me/access-log"


class TextServedByTheServer(FlowTestCase):

    def reviewed_goal(self):
        pair = self.history_pair(days=20)
        goal = self.add_goal(pair, pair.guide, "Lead the planning", weight=1,
                             at=shift(pair.start, days=1))
        self.review(pair, pair.learner, {goal["id"]: 1}, at=shift(pair.start, days=8))
        return pair

    def goal_reads(self, who):
        return [e for e in self.items(LOG, who) if "goals" in e["what"]]

    def test_writes_that_refresh_warnings_leave_no_entry(self):
        pair = self.reviewed_goal()
        before = self.goal_reads(pair.guide), self.goal_reads(pair.learner)
        # each write refreshes the warnings, which open the goal's body
        self.note(pair, pair.learner, "shared", "A note after the review")
        self.schedule(pair, pair.guide, self.at(days=2))
        self.assertEqual((self.goal_reads(pair.guide), self.goal_reads(pair.learner)), before)

    def test_a_trust_view_served_again_from_the_cache_is_logged_again(self):
        pair = self.reviewed_goal()
        path = rel(pair.rel_id, "/trust")
        first = self.ok(self.get(path, pair.learner))
        self.assertIn("'Lead the planning'", str(first))
        reads = len(self.goal_reads(pair.guide))
        self.assertGreaterEqual(reads, 1)
        again = self.ok(self.get(path, pair.learner))
        self.assertEqual(again, first)  # the same body, from the cache
        entries = self.goal_reads(pair.guide)
        self.assertEqual(len(entries), reads + 1, entries)
        self.assertEqual(entries[-1]["what"], entries[-2]["what"])
        self.assertEqual(entries[-1]["actor"]["id"], pair.learner.id)
