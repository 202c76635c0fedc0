/* org.c: OpenID Connect providers, flows, identities and pending links
 * (org.h). */
#include "store/org.h"
#include "store/store_internal.h"

static void read_provider(db_stmt *st, arena *a, void *elem) {
  store_oidc_provider *p = elem;
  p->id = db_col_i64(st, 0);
  p->name = store_col_str(st, 1, a);
  p->issuer = store_col_str(st, 2, a);
  p->client_id = store_col_str(st, 3, a);
  p->client_secret = store_col_str(st, 4, a);
  p->redirect_uri = store_col_str(st, 5, a);
  p->domains = store_col_str(st, 6, a);
  p->created_at = db_col_i64(st, 7);
}

#define PROVIDER_COLS                                                                          \
  "id, name, issuer, client_id, client_secret, redirect_uri, domains, created_at"

rp_rc store_oidc_provider_insert(store *s, store_oidc_provider *p, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO oidc_providers (name, issuer, client_id, client_secret, redirect_uri,"
             " domains, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
             e);
  db_bind_text(st, 1, p->name);
  db_bind_text(st, 2, p->issuer);
  db_bind_text(st, 3, p->client_id);
  db_bind_text(st, 4, p->client_secret);
  db_bind_text(st, 5, p->redirect_uri);
  db_bind_text(st, 6, p->domains);
  db_bind_i64(st, 7, p->created_at);
  rp_rc rc = store_insert_id(st, &p->id, e);
  if (rc == RP_ERR_CONFLICT)
    return rp_fail(e, RP_ERR_CONFLICT, "provider_exists",
                   "A provider with this issuer and client id is already configured.");
  return rc;
}

rp_rc store_oidc_provider_get(store *s, int64_t id, arena *a, store_oidc_provider *out,
                              rp_err *e) {
  STORE_PREP(s, "SELECT " PROVIDER_COLS " FROM oidc_providers WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "provider", e);
  if (rc) return rc;
  read_provider(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_oidc_provider_delete(store *s, int64_t id, rp_err *e) {
  STORE_PREP(s, "DELETE FROM oidc_providers WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  return store_exec_one(s, st, e);
}

rp_rc store_oidc_providers(store *s, arena *a, store_oidc_provider **items, size_t *n, rp_err *e) {
  STORE_PREP(s, "SELECT " PROVIDER_COLS " FROM oidc_providers ORDER BY id", e);
  return store_collect(st, sizeof **items, read_provider, a, (void **)items, n, e);
}

rp_rc store_oidc_flow_insert(store *s, const unsigned char state_hash[32], int64_t provider_id,
                             const char *nonce, const char *verifier, rp_time now, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO oidc_flows (state_hash, provider_id, nonce, verifier, created_at)"
             " VALUES ($1, $2, $3, $4, $5)",
             e);
  db_bind_blob(st, 1, state_hash, 32);
  db_bind_i64(st, 2, provider_id);
  db_bind_text(st, 3, nonce);
  db_bind_text(st, 4, verifier);
  db_bind_i64(st, 5, now);
  return db_exec_stmt(st, e);
}

rp_rc store_oidc_flow_take(store *s, const unsigned char state_hash[32], arena *a,
                           int64_t *provider_id, const char **nonce, const char **verifier,
                           rp_time *created_at, rp_err *e) {
  STORE_PREP(s,
             "DELETE FROM oidc_flows WHERE state_hash = $1"
             " RETURNING provider_id, nonce, verifier, created_at",
             e);
  db_bind_blob(st, 1, state_hash, 32);
  rp_rc rc = store_row(st, "flow", e);
  if (rc) return rc;
  *provider_id = db_col_i64(st, 0);
  *nonce = store_col_str(st, 1, a);
  *verifier = store_col_str(st, 2, a);
  *created_at = db_col_i64(st, 3);
  db_done(st);
  return RP_OK;
}

rp_rc store_oidc_prune(store *s, rp_time before, rp_err *e) {
  rp_rc rc;
  {
    STORE_PREP(s, "DELETE FROM oidc_flows WHERE created_at < $1", e);
    db_bind_i64(st, 1, before);
    rc = db_exec_stmt(st, e);
  }
  if (rc) return rc;
  STORE_PREP(s, "DELETE FROM oidc_pending_links WHERE created_at < $1", e);
  db_bind_i64(st, 1, before);
  return db_exec_stmt(st, e);
}

rp_rc store_oidc_identity_find(store *s, int64_t provider_id, const char *subject,
                               int64_t *person_id, rp_err *e) {
  STORE_PREP(s,
             "SELECT person_id FROM oidc_identities WHERE provider_id = $1 AND subject = $2", e);
  db_bind_i64(st, 1, provider_id);
  db_bind_text(st, 2, subject);
  rp_rc rc = store_row(st, "identity", e);
  if (rc) return rc;
  *person_id = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_oidc_identity_insert(store *s, int64_t provider_id, const char *subject,
                                 int64_t person_id, rp_time now, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO oidc_identities (provider_id, subject, person_id, linked_at)"
             " VALUES ($1, $2, $3, $4)",
             e);
  db_bind_i64(st, 1, provider_id);
  db_bind_text(st, 2, subject);
  db_bind_i64(st, 3, person_id);
  db_bind_i64(st, 4, now);
  return db_exec_stmt(st, e);
}

rp_rc store_oidc_identities_of(store *s, int64_t person_id, int64_t *n, rp_err *e) {
  STORE_PREP(s, "SELECT COUNT(*) FROM oidc_identities WHERE person_id = $1", e);
  db_bind_i64(st, 1, person_id);
  rp_rc rc = store_row(st, "count", e);
  if (rc) return rc;
  *n = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_oidc_pending_insert(store *s, const unsigned char hash[32], int64_t provider_id,
                                const char *subject, int64_t person_id, rp_time now, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO oidc_pending_links (token_hash, provider_id, subject, person_id,"
             " created_at) VALUES ($1, $2, $3, $4, $5)",
             e);
  db_bind_blob(st, 1, hash, 32);
  db_bind_i64(st, 2, provider_id);
  db_bind_text(st, 3, subject);
  db_bind_i64(st, 4, person_id);
  db_bind_i64(st, 5, now);
  return db_exec_stmt(st, e);
}

rp_rc store_oidc_pending_get(store *s, const unsigned char hash[32], int64_t *person_id,
                             rp_time *created_at, rp_err *e) {
  STORE_PREP(s, "SELECT person_id, created_at FROM oidc_pending_links WHERE token_hash = $1", e);
  db_bind_blob(st, 1, hash, 32);
  rp_rc rc = store_row(st, "link", e);
  if (rc) return rc;
  *person_id = db_col_i64(st, 0);
  *created_at = db_col_i64(st, 1);
  db_done(st);
  return RP_OK;
}

rp_rc store_oidc_pending_take(store *s, const unsigned char hash[32], arena *a,
                              int64_t *provider_id, const char **subject, int64_t *person_id,
                              rp_time *created_at, rp_err *e) {
  STORE_PREP(s,
             "DELETE FROM oidc_pending_links WHERE token_hash = $1"
             " RETURNING provider_id, subject, person_id, created_at",
             e);
  db_bind_blob(st, 1, hash, 32);
  rp_rc rc = store_row(st, "link", e);
  if (rc) return rc;
  *provider_id = db_col_i64(st, 0);
  *subject = store_col_str(st, 1, a);
  *person_id = db_col_i64(st, 2);
  *created_at = db_col_i64(st, 3);
  db_done(st);
  return RP_OK;
}

rp_rc store_person_sso_only(store *s, int64_t person_id, bool *out, rp_err *e) {
  STORE_PREP(s, "SELECT sso_only FROM persons WHERE id = $1", e);
  db_bind_i64(st, 1, person_id);
  rp_rc rc = store_row(st, "person", e);
  if (rc) return rc;
  *out = db_col_i64(st, 0) != 0;
  db_done(st);
  return RP_OK;
}

rp_rc store_person_set_sso_only(store *s, int64_t person_id, bool on, rp_err *e) {
  STORE_PREP(s, "UPDATE persons SET sso_only = $1 WHERE id = $2", e);
  db_bind_i64(st, 1, on);
  db_bind_i64(st, 2, person_id);
  return store_exec_one(s, st, e);
}

rp_rc store_person_set_name(store *s, int64_t person_id, const char *name, rp_err *e) {
  STORE_PREP(s, "UPDATE persons SET name = $1 WHERE id = $2", e);
  db_bind_text(st, 1, name);
  db_bind_i64(st, 2, person_id);
  return store_exec_one(s, st, e);
}
