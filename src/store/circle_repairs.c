/* circle_repairs.c: repair plans and goal reviews of circles in SQL
 * (store/circle_repairs.h). */
#include "store/circle_repairs.h"
#include "store/store_internal.h"

#include <string.h>

static rp_time col_time(db_stmt *st, int col) { return db_col_null(st, col) ? 0 : db_col_i64(st, col); }

/* ---- repair plans ---- */

#define REPAIR_COLS                                                                            \
  "id, circle_id, incident_id, party_id, opened_at, follow_through_days, acknowledged_at,"     \
  " acknowledgement_ct, responsibility_ct, amends_agreed_at, outcome, closed_at, recorded_at"

static void read_repair(db_stmt *st, arena *a, void *elem) {
  store_circle_repair *p = elem;
  memset(p, 0, sizeof *p);
  p->plan.id = db_col_i64(st, 0);
  p->plan.relationship_id = db_col_i64(st, 1);
  p->plan.incident_id = db_col_i64(st, 2);
  p->plan.party_id = db_col_i64(st, 3);
  p->plan.opened_at = db_col_i64(st, 4);
  p->plan.follow_through_days = (int)db_col_i64(st, 5);
  p->acknowledged_at = col_time(st, 6);
  p->plan.acknowledged = p->acknowledged_at != 0;
  if (!db_col_null(st, 7)) p->acknowledgement = store_col_blob(st, 7, a);
  if (!db_col_null(st, 8)) p->responsibility = store_col_blob(st, 8, a);
  p->plan.amends_agreed_at = col_time(st, 9);
  if (db_col_null(st, 10) || !repair_outcome_parse(db_col_text(st, 10), &p->plan.outcome))
    p->plan.outcome = REPAIR_OPEN;
  p->plan.closed_at = col_time(st, 11);
  p->recorded_at = db_col_i64(st, 12);
}

rp_rc store_circle_repair_insert(store *s, store_circle_repair *p, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO circle_repairs (circle_id, incident_id, party_id, opened_at,"
             " follow_through_days, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
             e);
  db_bind_i64(st, 1, p->plan.relationship_id);
  db_bind_i64(st, 2, p->plan.incident_id);
  db_bind_i64(st, 3, p->plan.party_id);
  db_bind_i64(st, 4, p->plan.opened_at);
  db_bind_i64(st, 5, p->plan.follow_through_days);
  db_bind_i64(st, 6, p->recorded_at);
  return store_insert_id(st, &p->plan.id, e);
}

static rp_rc one_repair(db_stmt *st, arena *a, store_circle_repair *out, rp_err *e) {
  rp_rc rc = store_row(st, "repair plan", e);
  if (rc) return rc;
  read_repair(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_circle_repair_get(store *s, int64_t id, arena *a, store_circle_repair *out, rp_err *e) {
  STORE_PREP(s, "SELECT " REPAIR_COLS " FROM circle_repairs WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  return one_repair(st, a, out, e);
}

rp_rc store_circle_repair_of_incident(store *s, int64_t incident_id, arena *a,
                                      store_circle_repair *out, rp_err *e) {
  STORE_PREP(s, "SELECT " REPAIR_COLS " FROM circle_repairs WHERE incident_id = $1", e);
  db_bind_i64(st, 1, incident_id);
  return one_repair(st, a, out, e);
}

rp_rc store_circle_repairs(store *s, int64_t circle_id, arena *a, store_circle_repair **items,
                           size_t *n, rp_err *e) {
  STORE_PREP(s, "SELECT " REPAIR_COLS " FROM circle_repairs WHERE circle_id = $1 ORDER BY id", e);
  db_bind_i64(st, 1, circle_id);
  return store_collect(st, sizeof **items, read_repair, a, (void **)items, n, e);
}

rp_rc store_circle_repair_acknowledge(store *s, int64_t id, rp_time at, rp_blob ack, rp_blob resp,
                                      rp_err *e) {
  STORE_PREP(s,
             "UPDATE circle_repairs SET acknowledged_at = $2, acknowledgement_ct = $3,"
             " responsibility_ct = $4 WHERE id = $1 AND acknowledged_at IS NULL"
             " AND closed_at IS NULL",
             e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, at);
  db_bind_blob(st, 3, ack.data, ack.len);
  db_bind_blob(st, 4, resp.data, resp.len);
  return store_exec_one(s, st, e);
}

rp_rc store_circle_repair_amends(store *s, int64_t id, rp_time at, const int64_t *item_ids,
                                 size_t n, rp_err *e) {
  rp_rc rc;
  {
    STORE_PREP(s,
               "UPDATE circle_repairs SET amends_agreed_at = $2 WHERE id = $1"
               " AND amends_agreed_at IS NULL AND closed_at IS NULL",
               e);
    db_bind_i64(st, 1, id);
    db_bind_i64(st, 2, at);
    rc = store_exec_one(s, st, e);
  }
  for (size_t i = 0; !rc && i < n; i++) {
    STORE_PREP(s, "INSERT INTO circle_repair_amends (repair_id, item_id) VALUES ($1, $2)", e);
    db_bind_i64(st, 1, id);
    db_bind_i64(st, 2, item_ids[i]);
    rc = db_exec_stmt(st, e);
  }
  return rc;
}

static void read_id(db_stmt *st, arena *a, void *elem) {
  (void)a;
  *(int64_t *)elem = db_col_i64(st, 0);
}

rp_rc store_circle_repair_amend_ids(store *s, int64_t id, arena *a, int64_t **ids, size_t *n,
                                    rp_err *e) {
  STORE_PREP(s, "SELECT item_id FROM circle_repair_amends WHERE repair_id = $1 ORDER BY item_id", e);
  db_bind_i64(st, 1, id);
  return store_collect(st, sizeof **ids, read_id, a, (void **)ids, n, e);
}

rp_rc store_circle_repair_close(store *s, int64_t id, rp_time at, repair_outcome outcome,
                                rp_err *e) {
  STORE_PREP(s,
             "UPDATE circle_repairs SET closed_at = $2, outcome = $3 WHERE id = $1"
             " AND closed_at IS NULL",
             e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, at);
  db_bind_text(st, 3, repair_outcome_name(outcome));
  return store_exec_one(s, st, e);
}

rp_rc store_circle_repairs_due(store *s, rp_time now, int64_t after, int limit, arena *a,
                               store_circle_repair **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " REPAIR_COLS " FROM circle_repairs WHERE closed_at IS NULL AND id > $1"
             " AND opened_at + follow_through_days * 86400 <= $2 ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, after);
  db_bind_i64(st, 2, now);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_repair, a, (void **)items, n, next, e);
}

/* ---- goal reviews ---- */

rp_rc store_circle_goal_review_insert(store *s, store_circle_goal_review *rv, rp_err *e) {
  rp_rc rc;
  {
    STORE_PREP(s,
               "INSERT INTO circle_goal_reviews (circle_id, member_id, reviewer_id, at,"
               " recorded_at, t_score) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
               e);
    db_bind_i64(st, 1, rv->circle_id);
    db_bind_i64(st, 2, rv->member_id);
    db_bind_i64(st, 3, rv->reviewer_id);
    db_bind_i64(st, 4, rv->at);
    db_bind_i64(st, 5, rv->recorded_at);
    db_bind_f64(st, 6, rv->t_score);
    rc = store_insert_id(st, &rv->id, e);
  }
  for (size_t i = 0; !rc && i < rv->nlevels; i++) {
    STORE_PREP(s,
               "INSERT INTO circle_goal_review_levels (review_id, goal_id, level)"
               " VALUES ($1, $2, $3)",
               e);
    db_bind_i64(st, 1, rv->id);
    db_bind_i64(st, 2, rv->levels[i].goal_id);
    db_bind_i64(st, 3, rv->levels[i].level);
    rc = db_exec_stmt(st, e);
  }
  return rc;
}

static void read_review(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_circle_goal_review *rv = elem;
  rv->id = db_col_i64(st, 0);
  rv->circle_id = db_col_i64(st, 1);
  rv->member_id = db_col_i64(st, 2);
  rv->reviewer_id = db_col_i64(st, 3);
  rv->at = db_col_i64(st, 4);
  rv->recorded_at = db_col_i64(st, 5);
  rv->t_score = db_col_f64(st, 6);
}

typedef struct level_row {
  int64_t review_id;
  goal_review_level l;
} level_row;

static void read_level(db_stmt *st, arena *a, void *elem) {
  (void)a;
  level_row *r = elem;
  r->review_id = db_col_i64(st, 0);
  r->l.goal_id = db_col_i64(st, 1);
  r->l.level = (int)db_col_i64(st, 2);
}

rp_rc store_circle_goal_reviews(store *s, int64_t circle_id, arena *a,
                                store_circle_goal_review **items, size_t *n, rp_err *e) {
  level_row *levels = NULL;
  size_t nlevels = 0;
  rp_rc rc;
  {
    STORE_PREP(s,
               "SELECT id, circle_id, member_id, reviewer_id, at, recorded_at, t_score"
               " FROM circle_goal_reviews WHERE circle_id = $1 ORDER BY id",
               e);
    db_bind_i64(st, 1, circle_id);
    rc = store_collect(st, sizeof **items, read_review, a, (void **)items, n, e);
  }
  if (rc || !*n) return rc;
  {
    STORE_PREP(s,
               "SELECT l.review_id, l.goal_id, l.level FROM circle_goal_review_levels l"
               " JOIN circle_goal_reviews r ON r.id = l.review_id WHERE r.circle_id = $1"
               " ORDER BY l.review_id, l.goal_id",
               e);
    db_bind_i64(st, 1, circle_id);
    rc = store_collect(st, sizeof *levels, read_level, a, (void **)&levels, &nlevels, e);
  }
  for (size_t i = 0; !rc && i < *n; i++) {
    store_circle_goal_review *rv = &(*items)[i];
    rv->levels = arena_zalloc(a, sizeof *rv->levels * (nlevels ? nlevels : 1));
    for (size_t k = 0; k < nlevels; k++)
      if (levels[k].review_id == rv->id) rv->levels[rv->nlevels++] = levels[k].l;
  }
  return rc;
}

/* ---- account deletion ---- */

rp_rc store_circle_texts_shred_author(store *s, int64_t person_id, int64_t circle_id, int64_t *n,
                                      rp_err *e) {
  static const char *const sql[] = {
      "DELETE FROM circle_items WHERE author_id = $1 AND kind = 'note' AND shared = 0"
      " AND ($2 = 0 OR circle_id = $2)",
      "UPDATE circle_items SET text_ct = $3 WHERE author_id = $1 AND ($2 = 0 OR circle_id = $2)",
      "UPDATE circle_repairs SET acknowledgement_ct = $3, responsibility_ct = $3"
      " WHERE party_id = $1 AND acknowledged_at IS NOT NULL AND ($2 = 0 OR circle_id = $2)",
  };
  *n = 0;
  for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
    STORE_PREP(s, sql[i], e);
    db_bind_i64(st, 1, person_id);
    db_bind_i64(st, 2, circle_id);
    if (i) db_bind_blob(st, 3, "", 0);
    rp_rc rc = db_exec_stmt(st, e);
    if (rc) return rc;
    *n += db_changes(s->db);
  }
  return RP_OK;
}
