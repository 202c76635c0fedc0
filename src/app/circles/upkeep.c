/* upkeep.c: goal reviews in circles and what account deletion does to
 * circles (app/circles/practice.h).
 *
 * A goal review scores one member's active goals in the circle with Goal
 * Attainment Scaling as a pair's review does (trust/gas.h, each goal
 * weighing 1); its evidence is derived where the circle's trust is
 * computed (circle_trust.c). Levels are no confidential text: they are
 * shown to whoever was in the circle when the review was recorded.
 */
#include "app/circles/internal.h"
#include "app/circles/practice.h"
#include "trust/gas.h"

#include <stdlib.h>
#include <string.h>

static int by_goal_id(const void *pa, const void *pb) {
  const goal_review_level *a = pa, *b = pb;
  return (a->goal_id > b->goal_id) - (a->goal_id < b->goal_id);
}

/* The active goals of member m in the circle, as domain/goal.h reads them. */
static rp_rc active_goals(app_ctx *c, int64_t circle_id, int64_t m, goal **out, size_t *n,
                          rp_err *e) {
  store_circle_item *rows = NULL;
  size_t nrows = 0;
  *n = 0;
  rp_rc rc = store_circle_items(c->st, circle_id, CIRCLE_GOAL, c->a, &rows, &nrows, e);
  *out = arena_zalloc(c->a, sizeof **out * (nrows ? nrows : 1));
  for (size_t i = 0; !rc && i < nrows; i++) {
    if (rows[i].author_id != m || rows[i].closed_at) continue;
    goal *g = &(*out)[(*n)++];
    g->id = rows[i].id;
    g->relationship_id = circle_id;
    g->created_by = m;
    g->created_at = rows[i].created_at;
    g->due_on = GOAL_NO_DUE;
    g->weight = 1.0;
    g->status = GOAL_ACTIVE;
  }
  return rc;
}

rp_rc app_circle_goal_review_add(app_ctx *c, int64_t circle_id, int64_t member_id,
                                 const goal_review_level *levels, size_t n, const rp_time *at,
                                 store_circle_goal_review *out, rp_err *e) {
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  app_circle ci;
  goal *active = NULL;
  size_t nactive = 0;
  rp_time when = 0;
  int64_t m = member_id ? member_id : c->actor;
  double *weights = arena_zalloc(c->a, sizeof *weights * (n ? n : 1));
  memset(out, 0, sizeof *out);
  rc = app_circle_load_writer(c, circle_id, &ci, e);
  const store_circle_member *who = rc ? NULL : app_circle_member_of(&ci, m);
  if (!rc && (!who || who->role != CIRCLE_MEMBER || who->left_at)) {
    rp_field(e, "/member_id", "A member of the circle.");
    rc = e->rc;
  }
  if (!rc && m != c->actor && ci.facilitator_id != c->actor)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "A member reviews their own goals, or the facilitator with them.");
  if (!rc) rc = app_circle_when(c, &ci, at, &when, e);
  if (!rc) rc = active_goals(c, circle_id, m, &active, &nactive, e);
  if (!rc) rc = goal_review_check(levels, n, active, nactive, when, weights, e);
  if (!rc) {
    int *x = arena_zalloc(c->a, sizeof *x * n);
    goal_review_level *sorted = arena_zalloc(c->a, sizeof *sorted * n);
    for (size_t i = 0; i < n; i++) {
      x[i] = levels[i].level;
      sorted[i] = levels[i];
    }
    qsort(sorted, n, sizeof *sorted, by_goal_id);
    out->circle_id = circle_id;
    out->member_id = m;
    out->reviewer_id = c->actor;
    out->at = when;
    out->recorded_at = c->now;
    out->t_score = trust_gas_t(weights, x, n, TRUST_GAS_RHO);
    out->levels = sorted;
    out->nlevels = n;
    rc = store_circle_goal_review_insert(c->st, out, e);
  }
  if (!rc) rc = app_circle_event(c, circle_id, "goal_review", out->id, when, NULL, NULL, e);
  return app_finish(c, rc, e);
}

rp_rc app_circle_goal_reviews(app_ctx *c, int64_t circle_id, int64_t after, int limit,
                              store_circle_goal_review **items, size_t *n, int64_t *next,
                              rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_circle ci;
  store_circle_goal_review *rows = NULL;
  size_t nrows = 0, k = 0, first = 0;
  *n = 0;
  *next = 0;
  rc = app_circle_load(c, circle_id, true, &ci, e);
  if (!rc) rc = store_circle_goal_reviews(c->st, circle_id, c->a, &rows, &nrows, e);
  int64_t *ids = arena_zalloc(c->a, sizeof *ids * (nrows ? nrows : 1));
  for (size_t i = 0; !rc && i < nrows; i++)
    if (circle_text_readable(&ci.viewer, c->actor, 0, true, rows[i].recorded_at)) {
      rows[k] = rows[i];
      ids[k++] = rows[i].id;
    }
  if (!rc) *n = app_circle_page(ids, k, after, limit, &first, next);
  *items = rows ? rows + first : NULL;
  store_rollback(c->st);
  return rc;
}

/* ---- adding members ---- */

rp_rc app_circle_candidates(app_ctx *c, int64_t id, int64_t after, int limit,
                            app_circle_candidate **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  app_circle ci;
  *n = 0;
  *next = 0;
  rc = app_circle_load(c, id, false, &ci, e);
  if (!rc && ci.viewer_in && ci.facilitator_id != c->actor)
    rc = rp_fail(e, RP_ERR_FORBIDDEN, "role", "The facilitator adds members.");
  /* every member of the program, page by page, each person once */
  app_circle_candidate *all = NULL;
  size_t nall = 0, cap = 0, first = 0;
  int64_t page_after = 0, page_next = 0;
  do {
    store_member *rows = NULL;
    size_t nrows = 0;
    page_next = 0;
    if (!rc)
      rc = store_members_list(c->st, ci.c.program_id, page_after, APP_PAGE_MAX, c->a, &rows,
                              &nrows, &page_next, e);
    for (size_t i = 0; !rc && i < nrows; i++) {
      const store_member *m = &rows[i];
      if (m->role == ROLE_ADMIN || app_circle_member_of(&ci, m->who.id)) continue;
      if (nall && all[nall - 1].person_id == m->who.id) continue; /* guide, then learner */
      if (nall == cap) {
        cap = cap ? 2 * cap : 64;
        app_circle_candidate *grown = arena_zalloc(c->a, sizeof *grown * cap);
        if (nall) memcpy(grown, all, sizeof *all * nall);
        all = grown;
      }
      all[nall++] = (app_circle_candidate){m->who.id, m->who.name, m->role};
    }
    page_after = page_next;
  } while (!rc && page_next);
  int64_t *ids = arena_zalloc(c->a, sizeof *ids * (nall ? nall : 1));
  for (size_t i = 0; i < nall; i++) ids[i] = all[i].person_id;
  if (!rc) *n = app_circle_page(ids, nall, after, limit, &first, next);
  *items = all ? all + first : NULL;
  store_rollback(c->st);
  return rc;
}

/* ---- account deletion ---- */

/* The actor, deleting their account, leaves circle ci (if still in it). */
static rp_rc leave_for_deletion(app_ctx *c, app_circle *ci, rp_err *e) {
  if (!circle_is_current(&ci->viewer)) return RP_OK;
  int64_t id = ci->c.id;
  rp_rc rc = store_circle_member_leave(c->st, id, c->actor, c->now, e);
  if (!rc) rc = app_circle_event(c, id, "member_left", c->actor, c->now, NULL, NULL, e);
  if (!rc) rc = app_circle_event(c, id, "account_deleted", c->actor, c->now, NULL, NULL, e);
  size_t left_in = 0;
  for (size_t i = 0; i < ci->nmembers; i++)
    if (ci->members[i].role == CIRCLE_MEMBER && !ci->members[i].left_at &&
        ci->members[i].person_id != c->actor)
      left_in++;
  if (!rc && ci->c.state == REL_ACTIVE && left_in < CIRCLE_MIN_MEMBERS) {
    rc = store_circle_set_state(c->st, id, REL_PAUSED, c->now, e);
    if (!rc) rc = app_circle_event(c, id, "state_changed", 0, c->now, "active", "paused", e);
  }
  /* A proposed circle that waited only for them becomes active, as when
   * its last member accepts. */
  bool all = ci->c.state == REL_PROPOSED && left_in >= CIRCLE_MIN_MEMBERS;
  for (size_t i = 0; all && i < ci->nmembers; i++) {
    const store_circle_member *m = &ci->members[i];
    if (m->person_id != c->actor && !m->left_at && !m->accepted) all = false;
  }
  if (!rc && all) {
    rc = store_circle_set_state(c->st, id, REL_ACTIVE, c->now, e);
    if (!rc) rc = app_circle_event(c, id, "state_changed", 0, c->now, "proposed", "active", e);
  }
  return rc;
}

rp_rc app_circles_forget_actor(app_ctx *c, size_t *ncircles, rp_err *e) {
  int64_t after = 0, next = 0;
  rp_rc rc = RP_OK;
  *ncircles = 0;
  do {
    store_circle *items = NULL;
    size_t n = 0;
    next = 0;
    rc = store_circles_of_person(c->st, c->actor, after, APP_PAGE_MAX, c->a, &items, &n, &next, e);
    for (size_t i = 0; !rc && i < n; i++) {
      app_circle ci;
      rc = app_circle_load(c, items[i].id, true, &ci, e);
      if (!rc) rc = leave_for_deletion(c, &ci, e);
    }
    *ncircles += n;
    after = next;
  } while (!rc && next);
  int64_t shredded = 0;
  if (!rc) rc = store_circle_texts_shred_author(c->st, c->actor, 0, &shredded, e);
  if (!rc && shredded) c->shredded = true; /* app_finish checkpoints the WAL after the commit */
  return rc;
}
