/* warnings.c: the warnings table and the reads warnings are computed from
 * (see warnings.h). */
#include "store/warnings.h"
#include "store/store_internal.h"

#include <string.h>

/* Reverses n elements of elem_size bytes in place (newest-first queries
 * become time order). */
static void reverse(void *items, size_t n, size_t elem_size) {
  unsigned char *p = items, tmp[128];
  for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
    memcpy(tmp, p + i * elem_size, elem_size);
    memcpy(p + i * elem_size, p + j * elem_size, elem_size);
    memcpy(p + j * elem_size, tmp, elem_size);
  }
}

/* ---- the warnings table ---- */

void store_read_warning(db_stmt *st, arena *a, void *elem) {
  store_warning *w = elem;
  w->id = db_col_i64(st, 0);
  w->relationship_id = db_col_i64(st, 1);
  w->code = store_col_str(st, 2, a);
  w->severity = store_col_str(st, 3, a);
  w->party_id = db_col_i64(st, 4);
  w->components = store_col_str(st, 5, a);
  w->since = db_col_i64(st, 6);
  w->evidence = store_col_str(st, 7, a);
  w->practice = store_col_str(st, 8, a);
  w->visible_at = db_col_i64(st, 9);
  w->cleared_at = db_col_i64(st, 10);
}

rp_rc store_warning_list_open(store *s, int64_t rel_id, arena *a, store_warning **items, size_t *n,
                          rp_err *e) {
  STORE_PREP(s,
             "SELECT " STORE_WARNING_COLS " FROM warnings"
             " WHERE relationship_id = $1 AND cleared_at IS NULL ORDER BY id",
             e);
  db_bind_i64(st, 1, rel_id);
  return store_collect(st, sizeof **items, store_read_warning, a, (void **)items, n, e);
}

static void read_warning_code(db_stmt *st, arena *a, void *elem) {
  store_warning *w = elem;
  w->relationship_id = db_col_i64(st, 0);
  w->code = store_col_str(st, 1, a);
}

rp_rc store_warning_codes_in_program(store *s, int64_t program_id, arena *a, store_warning **items,
                                     size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT w.relationship_id, w.code FROM warnings w"
             " JOIN relationships r ON r.id = w.relationship_id"
             " WHERE r.program_id = $1 AND w.cleared_at IS NULL ORDER BY w.relationship_id, w.id",
             e);
  db_bind_i64(st, 1, program_id);
  return store_collect(st, sizeof **items, read_warning_code, a, (void **)items, n, e);
}

rp_rc store_warning_insert(store *s, const store_warning *w, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO warnings (relationship_id, code, severity, party_id, components, since,"
             " evidence, practice, visible_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
             e);
  db_bind_i64(st, 1, w->relationship_id);
  db_bind_text(st, 2, w->code);
  db_bind_text(st, 3, w->severity);
  db_bind_id_or_null(st, 4, w->party_id);
  db_bind_text(st, 5, w->components);
  db_bind_i64(st, 6, w->since);
  db_bind_text(st, 7, w->evidence);
  db_bind_text(st, 8, w->practice);
  db_bind_i64(st, 9, w->visible_at);
  return db_exec_later(st, e);
}

rp_rc store_warning_update(store *s, const store_warning *w, rp_err *e) {
  STORE_PREP(s,
             "UPDATE warnings SET severity = $1, components = $2, evidence = $3, practice = $4,"
             " visible_at = $5 WHERE id = $6 AND cleared_at IS NULL",
             e);
  db_bind_text(st, 1, w->severity);
  db_bind_text(st, 2, w->components);
  db_bind_text(st, 3, w->evidence);
  db_bind_text(st, 4, w->practice);
  db_bind_i64(st, 5, w->visible_at);
  db_bind_i64(st, 6, w->id);
  return db_exec_later(st, e);
}

rp_rc store_warning_clear(store *s, int64_t id, rp_time at, rp_err *e) {
  STORE_PREP(s, "UPDATE warnings SET cleared_at = $1 WHERE id = $2 AND cleared_at IS NULL", e);
  db_bind_i64(st, 1, at);
  db_bind_i64(st, 2, id);
  return db_exec_later(st, e);
}

static void read_id(db_stmt *st, arena *a, void *elem) {
  (void)a;
  *(int64_t *)elem = db_col_i64(st, 0);
}

rp_rc store_warnings_due(store *s, rp_time before, rp_time now, int limit, arena *a,
                         int64_t **ids, size_t *n, rp_err *e) {
  if (limit <= 0) {
    STORE_PREP(s,
               "SELECT id FROM relationships r WHERE r.state IN ('active', 'paused')"
               " OR EXISTS (SELECT 1 FROM warnings w WHERE w.relationship_id = r.id"
               " AND w.cleared_at IS NULL) ORDER BY id",
               e);
    return store_collect(st, sizeof **ids, read_id, a, (void **)ids, n, e);
  }
  STORE_PREP(s,
             "SELECT id FROM relationships r"
             " WHERE (r.warnings_checked_at < $1 OR r.warnings_checked_at > $2)"
             " AND (r.state IN ('active', 'paused') OR EXISTS (SELECT 1 FROM warnings w"
             " WHERE w.relationship_id = r.id AND w.cleared_at IS NULL))"
             " ORDER BY r.warnings_checked_at, r.id LIMIT $3",
             e);
  db_bind_i64(st, 1, before);
  db_bind_i64(st, 2, now);
  db_bind_i64(st, 3, limit);
  return store_collect(st, sizeof **ids, read_id, a, (void **)ids, n, e);
}

/* ---- what warnings are computed from ---- */

/* Runs st expecting one row whose first column may be NULL. */
static rp_rc one_time(db_stmt *st, bool *found, rp_time *at, rp_err *e) {
  int r = db_step(st, e);
  *found = r == 1 && !db_col_null(st, 0);
  if (*found) *at = db_col_i64(st, 0);
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}

rp_rc store_warn_first_active(store *s, int64_t rel_id, bool *found, rp_time *at, rp_err *e) {
  STORE_PREP(s,
             "SELECT MIN(at) FROM events WHERE relationship_id = $1 AND kind = 'transition'"
             " AND to_state = 'active'",
             e);
  db_bind_i64(st, 1, rel_id);
  return one_time(st, found, at, e);
}

void store_read_warn_checkin(db_stmt *st, arena *a, void *elem) {
  store_warn_checkin *ck = elem;
  ck->id = db_col_i64(st, 0);
  ck->cls = store_col_str(st, 1, a);
  ck->caused_by = db_col_i64(st, 2);
  ck->scheduled_at = db_col_i64(st, 3);
  ck->outcome_at = db_col_i64(st, 4);
}

void store_read_warn_commit(db_stmt *st, arena *a, void *elem) {
  store_warn_commit *c = elem;
  c->commitment_id = db_col_i64(st, 0);
  c->kind = store_col_str(st, 1, a);
  c->at = db_col_i64(st, 2);
}

rp_rc store_warn_commit_record(store *s, int64_t rel_id, int64_t owner_id, rp_time now, int limit,
                               arena *a, store_warn_commit **items, size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, kind, at FROM ("
             " SELECT c.id AS id, 'renegotiated' AS kind, v.at AS at, v.id AS k"
             " FROM commitment_revisions v JOIN commitments c ON c.id = v.commitment_id"
             " WHERE c.relationship_id = $1 AND c.owner_id = $2 AND v.at <= $3"
             " UNION ALL"
             " SELECT id, state, closed_at, 0 FROM commitments"
             " WHERE relationship_id = $1 AND owner_id = $2"
             " AND state IN ('kept', 'kept_late', 'broken') AND closed_at <= $3"
             ") x ORDER BY at DESC, id DESC, k DESC LIMIT $4",
             e);
  db_bind_i64(st, 1, rel_id);
  db_bind_i64(st, 2, owner_id);
  db_bind_i64(st, 3, now);
  db_bind_i64(st, 4, limit);
  rp_rc rc = store_collect(st, sizeof **items, store_read_warn_commit, a, (void **)items, n, e);
  if (!rc) reverse(*items, *n, sizeof **items);
  return rc;
}

void store_read_warn_request(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_warn_request *q = elem;
  q->id = db_col_i64(st, 0);
  q->created_at = db_col_i64(st, 1);
  q->replied_at = db_col_i64(st, 2);
}

void store_read_warn_feedback(db_stmt *st, arena *a, void *elem) {
  store_warn_feedback *f = elem;
  f->id = db_col_i64(st, 0);
  f->giver_id = db_col_i64(st, 1);
  f->kind = store_col_str(st, 2, a);
  f->focus = store_col_str(st, 3, a);
  f->at = db_col_i64(st, 4);
}

void store_read_warn_goal(db_stmt *st, arena *a, void *elem) {
  store_warn_goal *g = elem;
  g->id = db_col_i64(st, 0);
  g->status = store_col_str(st, 1, a);
  g->due_on = db_col_null(st, 2) ? INT32_MIN : (int32_t)db_col_i64(st, 2);
  g->created_at = db_col_i64(st, 3);
  g->body = store_col_blob(st, 4, a);
}

void store_read_warn_incident(db_stmt *st, arena *a, void *elem) {
  store_warn_incident *in = elem;
  in->id = db_col_i64(st, 0);
  in->concerning_id = db_col_i64(st, 1);
  in->kind = store_col_str(st, 2, a);
  in->reported_at = db_col_i64(st, 3);
  in->acknowledged = db_col_i64(st, 4) != 0;
}
