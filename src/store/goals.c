/* goals.c: goals, milestones and goal reviews (see goals.h).
 *
 * A goal's latest level is read with the goal by a correlated subquery over
 * goal_review_levels (indexed by goal in migration 0003). Lists whose
 * length is not bounded by a page (milestones of goals, active goals,
 * levels of a page of reviews) grow an arena array by doubling.
 */
#include "store/store_internal.h"

#include <string.h>

#define GOAL_COLS                                                                                  \
  "g.id, g.relationship_id, g.created_by, g.created_at, g.due_on, g.weight, g.status,"             \
  " g.body_ct, (SELECT l.level FROM goal_review_levels l"                                          \
  " JOIN goal_reviews r ON r.id = l.review_id WHERE l.goal_id = g.id"                              \
  " ORDER BY r.at DESC, r.id DESC LIMIT 1)"

/* Makes room for one more element in an arena array of *cap elements
 * holding n, doubling it when full; returns the (possibly moved) array. */
static void *grow(arena *a, void *arr, size_t elem, size_t n, size_t *cap) {
  if (n < *cap) return arr;
  size_t ncap = *cap ? *cap * 2 : 8;
  void *p = arena_alloc(a, elem * ncap);
  if (n) memcpy(p, arr, elem * n);
  *cap = ncap;
  return p;
}

static void read_goal_meta(db_stmt *st, goal *g) {
  g->id = db_col_i64(st, 0);
  g->relationship_id = db_col_i64(st, 1);
  g->created_by = db_col_i64(st, 2);
  g->created_at = db_col_i64(st, 3);
  g->due_on = db_col_null(st, 4) ? GOAL_NO_DUE : (int32_t)db_col_i64(st, 4);
  g->weight = db_col_f64(st, 5);
  if (!goal_status_parse(db_col_text(st, 6), &g->status)) g->status = GOAL_DROPPED;
}

static void read_goal(db_stmt *st, arena *a, void *elem) {
  store_goal *out = elem;
  read_goal_meta(st, &out->g);
  out->body = store_col_blob(st, 7, a);
  out->has_level = !db_col_null(st, 8);
  out->latest_level = out->has_level ? (int)db_col_i64(st, 8) : 0;
}

rp_rc store_goal_insert(store *s, const goal *g, rp_blob body, int64_t *id, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO goals (relationship_id, created_by, created_at, due_on, weight, status,"
             " body_ct) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
             e);
  db_bind_i64(st, 1, g->relationship_id);
  db_bind_i64(st, 2, g->created_by);
  db_bind_i64(st, 3, g->created_at);
  if (g->due_on == GOAL_NO_DUE)
    db_bind_null(st, 4);
  else
    db_bind_i64(st, 4, g->due_on);
  db_bind_f64(st, 5, g->weight);
  db_bind_text(st, 6, goal_status_name(g->status));
  db_bind_blob(st, 7, body.data, body.len);
  return store_insert_id(st, id, e);
}

rp_rc store_goal_get(store *s, int64_t id, arena *a, store_goal *out, rp_err *e) {
  STORE_PREP(s, "SELECT " GOAL_COLS " FROM goals g WHERE g.id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "goal", e);
  if (rc) return rc;
  read_goal(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_goal_set_status(store *s, int64_t id, goal_status status, rp_err *e) {
  STORE_PREP(s, "UPDATE goals SET status = $1 WHERE id = $2", e);
  db_bind_text(st, 1, goal_status_name(status));
  db_bind_i64(st, 2, id);
  return store_exec_one(s, st, e);
}

rp_rc store_goals_list(store *s, int64_t rel_id, int64_t after, int limit, arena *a,
                       store_goal **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " GOAL_COLS " FROM goals g"
             " WHERE g.relationship_id = $1 AND g.id > $2 ORDER BY g.id LIMIT $3",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_goal, a, (void **)items, n, next, e);
}

rp_rc store_goals_active(store *s, int64_t rel_id, arena *a, goal **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT g.id, g.relationship_id, g.created_by, g.created_at, g.due_on, g.weight,"
             " g.status FROM goals g WHERE g.relationship_id = $1 AND g.status = 'active'"
             " ORDER BY g.id",
             e);
  db_bind_i64(st, 1, rel_id);
  goal *out = NULL;
  size_t k = 0, cap = 0;
  int r;
  while ((r = db_step(st, e)) == 1) {
    out = grow(a, out, sizeof *out, k, &cap);
    read_goal_meta(st, &out[k++]);
  }
  db_done(st);
  if (r < 0) return e->rc;
  *items = out;
  *n = k;
  return RP_OK;
}

/* ---- milestones ---- */

#define MILESTONE_COLS "m.id, m.goal_id, m.created_at, m.reached_at, m.title_ct"

static void read_milestone(db_stmt *st, arena *a, store_milestone *out) {
  out->m.id = db_col_i64(st, 0);
  out->m.goal_id = db_col_i64(st, 1);
  out->m.created_at = db_col_i64(st, 2);
  out->m.reached_at = db_col_null(st, 3) ? 0 : db_col_i64(st, 3);
  out->title = store_col_blob(st, 4, a);
}

rp_rc store_milestone_insert(store *s, const milestone *m, rp_blob title, int64_t *id, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO milestones (goal_id, created_at, title_ct) VALUES ($1, $2, $3)"
             " RETURNING id",
             e);
  db_bind_i64(st, 1, m->goal_id);
  db_bind_i64(st, 2, m->created_at);
  db_bind_blob(st, 3, title.data, title.len);
  return store_insert_id(st, id, e);
}

rp_rc store_milestone_get(store *s, int64_t id, arena *a, store_milestone *out, rp_err *e) {
  STORE_PREP(s, "SELECT " MILESTONE_COLS " FROM milestones m WHERE m.id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "milestone", e);
  if (rc) return rc;
  read_milestone(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_milestone_reach(store *s, int64_t id, rp_time at, rp_err *e) {
  STORE_PREP(s, "UPDATE milestones SET reached_at = $1 WHERE id = $2 AND reached_at IS NULL", e);
  db_bind_i64(st, 1, at);
  db_bind_i64(st, 2, id);
  rp_rc rc = db_exec_stmt(st, e);
  if (rc) return rc;
  if (db_changes(s->db) != 1)
    return rp_fail(e, RP_ERR_CONFLICT, "already_reached", "This milestone was already reached.");
  return RP_OK;
}

rp_rc store_milestones_of_goals(store *s, int64_t rel_id, int64_t goal_after, int64_t goal_last,
                                arena *a, store_milestone **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT " MILESTONE_COLS " FROM goals g JOIN milestones m ON m.goal_id = g.id"
             " WHERE g.relationship_id = $1 AND g.id > $2 AND g.id <= $3"
             " ORDER BY m.goal_id, m.id",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, goal_after);
  db_bind_i64(st, 3, goal_last);
  store_milestone *out = NULL;
  size_t k = 0, cap = 0;
  int r;
  while ((r = db_step(st, e)) == 1) {
    out = grow(a, out, sizeof *out, k, &cap);
    read_milestone(st, a, &out[k++]);
  }
  db_done(st);
  if (r < 0) return e->rc;
  *items = out;
  *n = k;
  return RP_OK;
}

/* ---- reviews ---- */

static rp_rc insert_level(store *s, int64_t review_id, const goal_review_level *l, rp_err *e) {
  STORE_PREP(s, "INSERT INTO goal_review_levels (review_id, goal_id, level) VALUES ($1, $2, $3)",
             e);
  db_bind_i64(st, 1, review_id);
  db_bind_i64(st, 2, l->goal_id);
  db_bind_i64(st, 3, l->level);
  return db_exec_stmt(st, e);
}

static rp_rc insert_review(store *s, store_goal_review *r, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO goal_reviews (relationship_id, reviewer_id, at, t_score)"
             " VALUES ($1, $2, $3, $4) RETURNING id",
             e);
  db_bind_i64(st, 1, r->relationship_id);
  db_bind_i64(st, 2, r->reviewer_id);
  db_bind_i64(st, 3, r->at);
  db_bind_f64(st, 4, r->t_score);
  return store_insert_id(st, &r->id, e);
}

rp_rc store_goal_review_insert(store *s, store_goal_review *r, rp_err *e) {
  rp_rc rc = insert_review(s, r, e);
  for (size_t i = 0; !rc && i < r->nlevels; i++)
    rc = insert_level(s, r->id, &r->levels[i], e);
  return rc;
}

static void read_review(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_goal_review *r = elem;
  r->id = db_col_i64(st, 0);
  r->relationship_id = db_col_i64(st, 1);
  r->reviewer_id = db_col_i64(st, 2);
  r->at = db_col_i64(st, 3);
  r->t_score = db_col_f64(st, 4);
  r->levels = NULL;
  r->nlevels = 0;
}

/* Attaches to each of the n reviews (in id order) its levels. */
static rp_rc attach_levels(store *s, int64_t rel_id, store_goal_review *items, size_t n, arena *a,
                           rp_err *e) {
  if (n == 0) return RP_OK;
  STORE_PREP(s,
             "SELECT l.review_id, l.goal_id, l.level FROM goal_review_levels l"
             " JOIN goal_reviews r ON r.id = l.review_id"
             " WHERE r.relationship_id = $1 AND l.review_id >= $2 AND l.review_id <= $3"
             " ORDER BY l.review_id, l.goal_id",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, items[0].id);
  db_bind_i64(st, 3, items[n - 1].id);
  size_t i = 0, cap = 0;
  int r;
  while ((r = db_step(st, e)) == 1) {
    int64_t review_id = db_col_i64(st, 0);
    while (i < n && items[i].id < review_id) {
      i++;
      cap = 0; /* the next review starts with no levels */
    }
    /* Every row belongs to a review of the page: the range is the page's. */
    if (i == n || items[i].id != review_id) continue;
    store_goal_review *rv = &items[i];
    rv->levels = grow(a, rv->levels, sizeof *rv->levels, rv->nlevels, &cap);
    rv->levels[rv->nlevels].goal_id = db_col_i64(st, 1);
    rv->levels[rv->nlevels].level = (int)db_col_i64(st, 2);
    rv->nlevels++;
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

static rp_rc list_reviews(store *s, int64_t rel_id, int64_t after, int limit, arena *a,
                          store_goal_review **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, relationship_id, reviewer_id, at, t_score FROM goal_reviews"
             " WHERE relationship_id = $1 AND id > $2 ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_review, a, (void **)items, n, next, e);
}

rp_rc store_goal_reviews_list(store *s, int64_t rel_id, int64_t after, int limit, arena *a,
                              store_goal_review **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = list_reviews(s, rel_id, after, limit, a, items, n, next, e);
  if (rc) return rc;
  return attach_levels(s, rel_id, *items, *n, a, e);
}
