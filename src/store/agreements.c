/* agreements.c: versioned agreements and their acknowledgements. */
#include "store/store_internal.h"

rp_rc store_agreement_versions(store *s, int64_t relationship_id, int *latest, int *in_force,
                               rp_err *e) {
  STORE_PREP(s,
             "SELECT COALESCE(MAX(a.version), 0),"
             " COALESCE(MAX(CASE WHEN (SELECT COUNT(*) FROM agreement_acks k"
             "   WHERE k.agreement_id = a.id) >= 2 THEN a.version END), 0)"
             " FROM agreements a WHERE a.relationship_id = $1",
             e);
  db_bind_i64(st, 1, relationship_id);
  rp_rc rc = store_row(st, "agreement", e);
  if (rc) return rc;
  *latest = (int)db_col_i64(st, 0);
  *in_force = (int)db_col_i64(st, 1);
  db_done(st);
  return RP_OK;
}

rp_rc store_agreement_terms(store *s, int64_t relationship_id, bool *found, int *cadence_days,
                            int *reply_window_hours, rp_err *e) {
  STORE_PREP(s,
             "SELECT a.cadence_days, a.reply_window_hours FROM agreements a"
             " WHERE a.relationship_id = $1"
             " AND (SELECT COUNT(*) FROM agreement_acks k WHERE k.agreement_id = a.id) >= 2"
             " ORDER BY a.version DESC LIMIT 1",
             e);
  db_bind_i64(st, 1, relationship_id);
  int r = db_step(st, e);
  *found = r == 1;
  if (r == 1) {
    *cadence_days = (int)db_col_i64(st, 0);
    *reply_window_hours = (int)db_col_i64(st, 1);
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_agreement_quiet_hours(store *s, int64_t relationship_id, int *from, int *to,
                                  rp_err *e) {
  STORE_PREP(s,
             "SELECT a.quiet_from, a.quiet_to FROM agreements a WHERE a.relationship_id = $1"
             " AND (SELECT COUNT(*) FROM agreement_acks k WHERE k.agreement_id = a.id) >= 2"
             " ORDER BY a.version DESC LIMIT 1",
             e);
  db_bind_i64(st, 1, relationship_id);
  int r = db_step(st, e);
  *from = *to = -1;
  if (r == 1 && !db_col_null(st, 0) && !db_col_null(st, 1)) {
    *from = (int)db_col_i64(st, 0);
    *to = (int)db_col_i64(st, 1);
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

/* The columns read_agreement reads; `a` is agreements, `r` relationships.
 * Only the two parties acknowledge, so their two acknowledgement times
 * (NULL when absent) are all the acknowledgements there are. */
#define AGREEMENT_COLS                                                                         \
  "a.id, a.relationship_id, a.version, a.author_id, a.created_at, a.cadence_days,"            \
  " a.reply_window_hours, a.ends_on, a.body_ct, r.guide_id,"                                  \
  " (SELECT k.at FROM agreement_acks k WHERE k.agreement_id = a.id"                          \
  "  AND k.person_id = r.guide_id),"                                                          \
  " r.learner_id,"                                                                            \
  " (SELECT k.at FROM agreement_acks k WHERE k.agreement_id = a.id"                          \
  "  AND k.person_id = r.learner_id), a.quiet_from, a.quiet_to"                               \
  " FROM agreements a JOIN relationships r ON r.id = a.relationship_id"

/* Adds the acknowledgement in columns (id_col, id_col + 1) if there is one,
 * keeping ag's acknowledgements earliest first. */
static void read_ack(db_stmt *st, int id_col, store_agreement *ag) {
  if (db_col_null(st, id_col + 1)) return;
  size_t i = ag->nacked++;
  ag->acked_by[i] = db_col_i64(st, id_col);
  ag->acked_at[i] = db_col_i64(st, id_col + 1);
  if (i == 1 && ag->acked_at[1] < ag->acked_at[0]) {
    int64_t id = ag->acked_by[0];
    rp_time at = ag->acked_at[0];
    ag->acked_by[0] = ag->acked_by[1];
    ag->acked_at[0] = ag->acked_at[1];
    ag->acked_by[1] = id;
    ag->acked_at[1] = at;
  }
}

static void read_agreement(db_stmt *st, arena *a, void *elem) {
  store_agreement *ag = elem;
  ag->id = db_col_i64(st, 0);
  ag->relationship_id = db_col_i64(st, 1);
  ag->version = (int)db_col_i64(st, 2);
  ag->author_id = db_col_i64(st, 3);
  ag->created_at = db_col_i64(st, 4);
  ag->cadence_days = (int)db_col_i64(st, 5);
  ag->reply_window_hours = (int)db_col_i64(st, 6);
  ag->ends_on = db_col_null(st, 7) ? INT32_MIN : (int32_t)db_col_i64(st, 7);
  ag->body = store_col_blob(st, 8, a);
  ag->nacked = 0;
  read_ack(st, 9, ag);
  read_ack(st, 11, ag);
  ag->quiet_from = db_col_null(st, 13) ? -1 : (int)db_col_i64(st, 13);
  ag->quiet_to = db_col_null(st, 14) ? -1 : (int)db_col_i64(st, 14);
}

rp_rc store_agreement_insert(store *s, store_agreement *ag, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO agreements (relationship_id, version, author_id, created_at,"
             " cadence_days, reply_window_hours, ends_on, body_ct, quiet_from, quiet_to)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
             e);
  db_bind_i64(st, 1, ag->relationship_id);
  db_bind_i64(st, 2, ag->version);
  db_bind_i64(st, 3, ag->author_id);
  db_bind_i64(st, 4, ag->created_at);
  db_bind_i64(st, 5, ag->cadence_days);
  db_bind_i64(st, 6, ag->reply_window_hours);
  if (ag->ends_on == INT32_MIN) db_bind_null(st, 7);
  else db_bind_i64(st, 7, ag->ends_on);
  db_bind_blob(st, 8, ag->body.data, ag->body.len);
  if (ag->quiet_from >= 0 && ag->quiet_to >= 0) {
    db_bind_i64(st, 9, ag->quiet_from);
    db_bind_i64(st, 10, ag->quiet_to);
  } else {
    db_bind_null(st, 9);
    db_bind_null(st, 10);
  }
  return store_insert_id(st, &ag->id, e);
}

rp_rc store_agreement_ack(store *s, int64_t agreement_id, int64_t person_id, rp_time at,
                          rp_err *e) {
  STORE_PREP(s, "INSERT INTO agreement_acks (agreement_id, person_id, at) VALUES ($1, $2, $3)", e);
  db_bind_i64(st, 1, agreement_id);
  db_bind_i64(st, 2, person_id);
  db_bind_i64(st, 3, at);
  return db_exec_stmt(st, e);
}

rp_rc store_agreement_get(store *s, int64_t relationship_id, int version, arena *a,
                          store_agreement *out, rp_err *e) {
  STORE_PREP(s, "SELECT " AGREEMENT_COLS " WHERE a.relationship_id = $1 AND a.version = $2", e);
  db_bind_i64(st, 1, relationship_id);
  db_bind_i64(st, 2, version);
  rp_rc rc = store_row(st, "agreement version", e);
  if (rc) return rc;
  read_agreement(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_agreements_list(store *s, int64_t relationship_id, int64_t after, int limit, arena *a,
                            store_agreement **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT " AGREEMENT_COLS " WHERE a.relationship_id = $1 AND a.version > $2"
             " ORDER BY a.version LIMIT $3",
             e);
  db_bind_i64(st, 1, relationship_id);
  db_bind_i64(st, 2, after);
  db_bind_i64(st, 3, limit + 1);
  return store_page(st, limit, 2, sizeof **items, read_agreement, a, (void **)items, n, next, e);
}
