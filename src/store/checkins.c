/* checkins.c: check-ins and their outcomes (see checkins.h).
 *
 * Outcome and class are stored by name; a row whose name this binary does
 * not know reads as having no outcome rather than a wrong one.
 */
#include "store/store_internal.h"

#define CHECKIN_COLS                                                                               \
  "id, relationship_id, scheduled_at, created_at, created_by, outcome, outcome_class,"             \
  " caused_by, outcome_at, recorded_by, notice_seconds, late_seconds, rescheduled_to"

static void read_checkin(db_stmt *st, arena *a, void *elem) {
  (void)a;
  checkin *ck = elem;
  ck->id = db_col_i64(st, 0);
  ck->relationship_id = db_col_i64(st, 1);
  ck->scheduled_at = db_col_i64(st, 2);
  ck->created_at = db_col_i64(st, 3);
  ck->created_by = db_col_i64(st, 4);
  ck->has_outcome = checkin_outcome_parse(db_col_text(st, 5), &ck->outcome) &&
                    checkin_class_parse(db_col_text(st, 6), &ck->cls);
  ck->caused_by = db_col_i64(st, 7);
  ck->outcome_at = db_col_i64(st, 8);
  ck->recorded_by = db_col_i64(st, 9);
  ck->has_notice = !db_col_null(st, 10);
  ck->notice_s = db_col_i64(st, 10);
  ck->has_late = !db_col_null(st, 11);
  ck->late_s = db_col_i64(st, 11);
  ck->rescheduled_to = db_col_i64(st, 12);
}

rp_rc store_checkin_insert(store *s, checkin *ck, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO checkins (relationship_id, scheduled_at, created_at, created_by)"
             " VALUES ($1, $2, $3, $4) RETURNING id",
             e);
  db_bind_i64(st, 1, ck->relationship_id);
  db_bind_i64(st, 2, ck->scheduled_at);
  db_bind_i64(st, 3, ck->created_at);
  db_bind_id_or_null(st, 4, ck->created_by);
  return store_insert_id(st, &ck->id, e);
}

rp_rc store_checkin_get(store *s, int64_t id, checkin *out, rp_err *e) {
  STORE_PREP(s, "SELECT " CHECKIN_COLS " FROM checkins WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "check-in", e);
  if (rc) return rc;
  read_checkin(st, NULL, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_checkin_set_outcome(store *s, const checkin *ck, rp_err *e) {
  STORE_PREP(s,
             "UPDATE checkins SET outcome = $1, outcome_class = $2, caused_by = $3,"
             " outcome_at = $4, recorded_by = $5, notice_seconds = $6, late_seconds = $7,"
             " rescheduled_to = $8 WHERE id = $9 AND outcome IS NULL",
             e);
  db_bind_text(st, 1, checkin_outcome_name(ck->outcome));
  db_bind_text(st, 2, checkin_class_name(ck->cls));
  db_bind_id_or_null(st, 3, ck->caused_by);
  db_bind_i64(st, 4, ck->outcome_at);
  db_bind_id_or_null(st, 5, ck->recorded_by);
  if (ck->has_notice)
    db_bind_i64(st, 6, ck->notice_s);
  else
    db_bind_null(st, 6);
  if (ck->has_late)
    db_bind_i64(st, 7, ck->late_s);
  else
    db_bind_null(st, 7);
  db_bind_id_or_null(st, 8, ck->rescheduled_to);
  db_bind_i64(st, 9, ck->id);
  rp_rc rc = store_exec_one(s, st, e);
  if (rc == RP_ERR_NOT_FOUND)
    rc = rp_fail(e, RP_ERR_CONFLICT, "outcome_recorded",
                 "This check-in's outcome was recorded already.");
  return rc;
}

rp_rc store_checkins_list(store *s, int64_t relationship_id, int64_t after, int limit, arena *a,
                          checkin **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " CHECKIN_COLS " FROM checkins"
             " WHERE relationship_id = $1 AND id > $2 ORDER BY id LIMIT $3",
             e);
  db_bind_i64(st, 1, relationship_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_checkin, a, (void **)items, n, next, e);
}
