/* accounts.c: sign-in throttling rows and a person's sessions (accounts.h). */
#include "store/accounts.h"
#include "store/store_internal.h"

rp_rc store_login_failure_add(store *s, const char *email, const char *address, rp_time at,
                              rp_err *e) {
  STORE_PREP(s, "INSERT INTO login_failures (email, address, at) VALUES ($1, $2, $3)", e);
  db_bind_text(st, 1, email);
  db_bind_text(st, 2, address);
  db_bind_i64(st, 3, at);
  return db_exec_stmt(st, e);
}

/* Runs an "n-th most recent" statement bound with $2 = since, $3 = n - 1. */
static rp_rc nth_at(db_stmt *st, rp_time since, int n, rp_time *at, rp_err *e) {
  *at = 0;
  if (n < 1) return rp_fail(e, RP_ERR_INTERNAL, "internal", "n must be at least 1.");
  db_bind_i64(st, 2, since);
  db_bind_i64(st, 3, n - 1);
  int r = db_step(st, e);
  if (r == 1) *at = db_col_i64(st, 0);
  db_done(st);
  return r < 0 ? (e ? e->rc : RP_ERR_INTERNAL) : RP_OK;
}

rp_rc store_login_failure_nth_by_email(store *s, const char *email, rp_time since, int n,
                                       rp_time *at, rp_err *e) {
  STORE_PREP(s,
             "SELECT at FROM login_failures WHERE email = $1 AND at > $2"
             " ORDER BY at DESC, id DESC LIMIT 1 OFFSET $3",
             e);
  db_bind_text(st, 1, email);
  return nth_at(st, since, n, at, e);
}

rp_rc store_login_failure_nth_by_address(store *s, const char *address, rp_time since, int n,
                                         rp_time *at, rp_err *e) {
  STORE_PREP(s,
             "SELECT at FROM login_failures WHERE address = $1 AND at > $2"
             " ORDER BY at DESC, id DESC LIMIT 1 OFFSET $3",
             e);
  db_bind_text(st, 1, address);
  return nth_at(st, since, n, at, e);
}

rp_rc store_login_failures_clear(store *s, const char *email, rp_err *e) {
  STORE_PREP(s, "DELETE FROM login_failures WHERE email = $1", e);
  db_bind_text(st, 1, email);
  return db_exec_stmt(st, e);
}

rp_rc store_login_failures_prune(store *s, rp_time before, rp_err *e) {
  STORE_PREP(s, "DELETE FROM login_failures WHERE at <= $1", e);
  db_bind_i64(st, 1, before);
  return db_exec_stmt(st, e);
}

rp_rc store_person_rehash(store *s, int64_t person_id, const char *old, const char *fresh,
                          rp_err *e) {
  STORE_PREP(s, "UPDATE persons SET password_hash = $1 WHERE id = $2 AND password_hash = $3", e);
  db_bind_text(st, 1, fresh);
  db_bind_i64(st, 2, person_id);
  db_bind_text(st, 3, old);
  return db_exec_stmt(st, e);
}

static void read_session(db_stmt *st, arena *a, void *elem) {
  (void)a;
  store_session *out = elem;
  out->id = db_col_i64(st, 0);
  out->created_at = db_col_i64(st, 1);
  out->last_seen_at = db_col_i64(st, 2);
  out->current = db_col_i64(st, 3) != 0;
}

rp_rc store_sessions_of(store *s, int64_t person_id, const unsigned char current[32],
                        rp_time seen_since, rp_time created_since, int64_t after, int limit,
                        arena *a, store_session **items, size_t *n, int64_t *next, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, created_at, last_seen_at,"
             " CASE WHEN token_hash = $2 THEN 1 ELSE 0 END FROM sessions"
             " WHERE person_id = $1 AND last_seen_at >= $3 AND created_at >= $4 AND id > $5"
             " ORDER BY id LIMIT $6",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_blob(st, 2, current, 32);
  db_bind_i64(st, 3, seen_since);
  db_bind_i64(st, 4, created_since);
  db_bind_i64(st, 5, after);
  db_bind_i64(st, 6, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_session, a, (void **)items, n, next, e);
}

rp_rc store_session_end(store *s, int64_t person_id, int64_t id, rp_err *e) {
  STORE_PREP(s, "DELETE FROM sessions WHERE id = $1 AND person_id = $2", e);
  db_bind_i64(st, 1, id);
  db_bind_i64(st, 2, person_id);
  return store_exec_one(s, st, e);
}

rp_rc store_session_is(store *s, int64_t id, const unsigned char hash[32], bool *out, rp_err *e) {
  STORE_PREP(s, "SELECT 1 FROM sessions WHERE id = $1 AND token_hash = $2", e);
  db_bind_i64(st, 1, id);
  db_bind_blob(st, 2, hash, 32);
  int r = db_step(st, e);
  db_done(st);
  if (r < 0) return e->rc;
  *out = r == 1;
  return RP_OK;
}

rp_rc store_sessions_end_others(store *s, int64_t person_id, const unsigned char keep[32],
                                int64_t *ended, rp_err *e) {
  STORE_PREP(s, "DELETE FROM sessions WHERE person_id = $1 AND token_hash <> $2", e);
  db_bind_i64(st, 1, person_id);
  db_bind_blob(st, 2, keep, 32);
  rp_rc rc = db_exec_stmt(st, e);
  *ended = rc ? 0 : db_changes(s->db);
  return rc;
}

rp_rc store_ops_figures(store *s, rp_time idle_since, int64_t *sessions, int64_t *bytes,
                        rp_err *e) {
  {
    STORE_PREP(s, "SELECT COUNT(*) FROM sessions WHERE last_seen_at >= $1", e);
    db_bind_i64(st, 1, idle_since);
    rp_rc rc = store_row(st, "sessions", e);
    if (rc) return rc;
    *sessions = db_col_i64(st, 0);
    db_done(st);
  }
  STORE_PREP(s, db_size_sql(s->db), e);
  rp_rc rc = store_row(st, "size", e);
  if (rc) return rc;
  *bytes = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}
