/* people.c: persons, sessions, invitations and the mail outbox. */
#include "store/store_internal.h"

/* A person from columns col.. (id, email, name, is_site_admin, password_hash). */
static void read_person_at(db_stmt *st, int col, arena *a, person *out) {
  out->id = db_col_i64(st, col);
  out->email = store_col_str(st, col + 1, a);
  out->name = store_col_str(st, col + 2, a);
  out->is_site_admin = db_col_i64(st, col + 3) != 0;
  out->has_password = !db_col_null(st, col + 4);
}

static void read_person(db_stmt *st, arena *a, person *out) { read_person_at(st, 0, a, out); }

void store_read_signed_in(db_stmt *st, int col, store_signed_in *out) {
  out->person_id = db_col_i64(st, col);
  out->site_admin = db_col_i64(st, col + 1) != 0;
  out->created_at = db_col_i64(st, col + 2);
  out->last_seen_at = db_col_i64(st, col + 3);
}

rp_rc store_person_insert(store *s, const char *email, const char *name, const char *pw_hash,
                          bool site_admin, rp_time now, int64_t *id, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO persons (email, name, password_hash, is_site_admin, created_at)"
             " VALUES ($1, $2, $3, $4, $5) RETURNING id",
             e);
  db_bind_text(st, 1, email);
  db_bind_text(st, 2, name);
  db_bind_text(st, 3, pw_hash);
  db_bind_i64(st, 4, site_admin);
  db_bind_i64(st, 5, now);
  rp_rc rc = store_insert_id(st, id, e);
  if (rc == RP_ERR_CONFLICT)
    return rp_fail(e, RP_ERR_CONFLICT, "email_taken", "Someone already uses this e-mail address.");
  return rc;
}

rp_rc store_person_get(store *s, int64_t id, arena *a, person *out, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, email, name, is_site_admin, password_hash FROM persons WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "person", e);
  if (rc) return rc;
  read_person(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_person_by_email(store *s, const char *email, arena *a, person *out,
                            const char **pw_hash, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, email, name, is_site_admin, password_hash FROM persons"
             " WHERE email = $1",
             e);
  db_bind_text(st, 1, email);
  rp_rc rc = store_row(st, "person", e);
  if (rc) return rc;
  read_person(st, a, out);
  if (pw_hash) *pw_hash = store_col_str(st, 4, a);
  db_done(st);
  return RP_OK;
}

rp_rc store_person_set_password(store *s, int64_t id, const char *pw_hash, rp_err *e) {
  STORE_PREP(s, "UPDATE persons SET password_hash = $1 WHERE id = $2", e);
  db_bind_text(st, 1, pw_hash);
  db_bind_i64(st, 2, id);
  return store_exec_one(s, st, e);
}

rp_rc store_session_insert(store *s, const unsigned char hash[32], int64_t person_id, rp_time now,
                           rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at)"
             " VALUES ($1, $2, $3, $3)",
             e);
  db_bind_blob(st, 1, hash, 32);
  db_bind_i64(st, 2, person_id);
  db_bind_i64(st, 3, now);
  return db_exec_stmt(st, e);
}

rp_rc store_devices_forget(store *s, int64_t person_id, rp_time before, rp_err *e) {
  STORE_PREP(s, "DELETE FROM devices WHERE person_id = $1 AND last_seen_at < $2", e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, before);
  return db_exec_stmt(st, e);
}

rp_rc store_device_known(store *s, int64_t person_id, const unsigned char hash[32], bool *known,
                         int64_t *count, rp_err *e) {
  STORE_PREP(s,
             "SELECT COUNT(*), COALESCE(SUM(CASE WHEN token_hash = $2 THEN 1 ELSE 0 END), 0)"
             " FROM devices WHERE person_id = $1",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_blob(st, 2, hash, 32);
  rp_rc rc = store_row(st, "devices", e);
  if (rc) return rc;
  *count = db_col_i64(st, 0);
  *known = db_col_i64(st, 1) > 0;
  db_done(st);
  return RP_OK;
}

rp_rc store_device_seen(store *s, int64_t person_id, const unsigned char hash[32],
                        const char *family, rp_time now, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO devices (person_id, token_hash, family, first_seen_at, last_seen_at)"
             " VALUES ($1, $2, $3, $4, $4) ON CONFLICT (person_id, token_hash)"
             " DO UPDATE SET last_seen_at = $4",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_blob(st, 2, hash, 32);
  db_bind_text(st, 3, family);
  db_bind_i64(st, 4, now);
  return db_exec_stmt(st, e);
}

rp_rc store_session_lookup(store *s, const unsigned char hash[32], store_signed_in *out,
                           rp_err *e) {
  STORE_PREP(s, "SELECT " STORE_SIGNED_IN_COLS STORE_SIGNED_IN_FROM " WHERE s.token_hash = $1", e);
  db_bind_blob(st, 1, hash, 32);
  rp_rc rc = store_row(st, "session", e);
  if (rc) return rc;
  store_read_signed_in(st, 0, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_session_touch(store *s, const unsigned char hash[32], rp_time now, rp_err *e) {
  STORE_PREP(s, "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", e);
  db_bind_i64(st, 1, now);
  db_bind_blob(st, 2, hash, 32);
  return db_exec_stmt(st, e);
}

rp_rc store_session_delete(store *s, const unsigned char hash[32], bool *deleted, rp_err *e) {
  STORE_PREP(s, "DELETE FROM sessions WHERE token_hash = $1", e);
  db_bind_blob(st, 1, hash, 32);
  rp_rc rc = db_exec_stmt(st, e);
  if (deleted) *deleted = !rc && db_changes(s->db) > 0;
  return rc;
}

rp_rc store_session_expire(store *s, rp_time idle_before, rp_time created_before, rp_err *e) {
  STORE_PREP(s, "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2", e);
  db_bind_i64(st, 1, idle_before);
  db_bind_i64(st, 2, created_before);
  return db_exec_stmt(st, e);
}

rp_rc store_invitation_insert(store *s, int64_t person_id, const unsigned char hash[32], rp_time now,
                              rp_time expires_at, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO invitations (person_id, token_hash, created_at, expires_at)"
             " VALUES ($1, $2, $3, $4)",
             e);
  db_bind_i64(st, 1, person_id);
  db_bind_blob(st, 2, hash, 32);
  db_bind_i64(st, 3, now);
  db_bind_i64(st, 4, expires_at);
  return db_exec_stmt(st, e);
}

rp_rc store_invitation_find(store *s, const unsigned char hash[32], rp_time now, int64_t *person_id,
                            rp_err *e) {
  STORE_PREP(s,
             "SELECT person_id FROM invitations"
             " WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
             e);
  db_bind_blob(st, 1, hash, 32);
  db_bind_i64(st, 2, now);
  rp_rc rc = store_row(st, "invitation", e);
  if (rc) return rc;
  *person_id = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_invitations_since(store *s, int64_t person_id, rp_time since, int64_t *n, rp_err *e) {
  STORE_PREP(s, "SELECT COUNT(*) FROM invitations WHERE person_id = $1 AND created_at >= $2", e);
  db_bind_i64(st, 1, person_id);
  db_bind_i64(st, 2, since);
  rp_rc rc = store_row(st, "invitation count", e);
  if (rc) return rc;
  *n = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_invitation_use(store *s, const unsigned char hash[32], rp_time now, rp_err *e) {
  STORE_PREP(s, "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
             e);
  db_bind_i64(st, 1, now);
  db_bind_blob(st, 2, hash, 32);
  return store_exec_one(s, st, e);
}
