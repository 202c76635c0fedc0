/* yourdata.c: store operations behind "your data" (store/yourdata.h). */
#include "store/store_internal.h"
#include "store/yourdata.h"

rp_rc store_session_confirm(store *s, const unsigned char hash[32], rp_time at, rp_err *e) {
  STORE_PREP(s, "UPDATE sessions SET confirmed_at = $1 WHERE token_hash = $2", e);
  db_bind_i64(st, 1, at);
  db_bind_blob(st, 2, hash, 32);
  return store_exec_one(s, st, e);
}

rp_rc store_session_confirmed_at(store *s, const unsigned char hash[32], rp_time *at, rp_err *e) {
  STORE_PREP(s, "SELECT confirmed_at FROM sessions WHERE token_hash = $1", e);
  db_bind_blob(st, 1, hash, 32);
  rp_rc rc = store_row(st, "session", e);
  if (rc) return rc;
  *at = db_col_null(st, 0) ? 0 : db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_site_admins_besides(store *s, int64_t person_id, int64_t *n, rp_err *e) {
  STORE_PREP(s, "SELECT COUNT(*) FROM persons WHERE is_site_admin = 1 AND id <> $1", e);
  db_bind_i64(st, 1, person_id);
  rp_rc rc = store_row(st, "count", e);
  if (rc) return rc;
  *n = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_person_forget_access(store *s, int64_t person_id, rp_err *e) {
  rp_rc rc;
  {
    STORE_PREP(s, "DELETE FROM sessions WHERE person_id = $1", e);
    db_bind_i64(st, 1, person_id);
    rc = db_exec_stmt(st, e);
  }
  if (rc) return rc;
  {
    STORE_PREP(s, "DELETE FROM invitations WHERE person_id = $1", e);
    db_bind_i64(st, 1, person_id);
    rc = db_exec_stmt(st, e);
  }
  /* their 360 requests (texts sealed with their own keys, shredded with
   * them), their alumni entries and long-term wishes */
  static const char *const own[] = {"DELETE FROM f360_requests WHERE requester_id = $1",
                                    "DELETE FROM alumni WHERE person_id = $1",
                                    "DELETE FROM alumni_long_term WHERE person_id = $1"};
  for (size_t i = 0; i < sizeof own / sizeof own[0] && !rc; i++) {
    db_stmt *x = db_prep(s->db, own[i], e);
    if (!x) return e->rc;
    db_bind_i64(x, 1, person_id);
    rc = db_exec_stmt(x, e);
  }
  if (rc) return rc;
  { /* single sign-on: no provider may sign in to the tombstone */
    STORE_PREP(s, "DELETE FROM oidc_identities WHERE person_id = $1", e);
    db_bind_i64(st, 1, person_id);
    rc = db_exec_stmt(st, e);
  }
  if (rc) return rc;
  {
    STORE_PREP(s, "DELETE FROM oidc_pending_links WHERE person_id = $1", e);
    db_bind_i64(st, 1, person_id);
    rc = db_exec_stmt(st, e);
  }
  if (rc) return rc;
  STORE_PREP(s, "DELETE FROM memberships WHERE person_id = $1", e);
  db_bind_i64(st, 1, person_id);
  return db_exec_stmt(st, e);
}

rp_rc store_outbox_forget(store *s, const char *email, rp_err *e) {
  STORE_PREP(s, "DELETE FROM outbox WHERE to_email = $1", e);
  db_bind_text(st, 1, email);
  return db_exec_stmt(st, e);
}

rp_rc store_person_tombstone(store *s, int64_t person_id, const char *email, const char *name,
                             rp_err *e) {
  STORE_PREP(s,
             "UPDATE persons SET email = $1, name = $2, password_hash = NULL, is_site_admin = 0"
             " WHERE id = $3",
             e);
  db_bind_text(st, 1, email);
  db_bind_text(st, 2, name);
  db_bind_i64(st, 3, person_id);
  return store_exec_one(s, st, e);
}

rp_rc store_relationship_delete(store *s, int64_t id, rp_err *e) {
  STORE_PREP(s, "DELETE FROM relationships WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  return store_exec_one(s, st, e);
}
