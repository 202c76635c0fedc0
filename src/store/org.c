/* org.c: OpenID Connect providers, flows, identities and pending links
 * (org.h). */
#include "store/org.h"
#include "store/store_internal.h"

#include <string.h>

static void read_provider(db_stmt *st, arena *a, void *elem) {
  store_oidc_provider *p = elem;
  p->id = db_col_i64(st, 0);
  p->name = store_col_str(st, 1, a);
  p->issuer = store_col_str(st, 2, a);
  p->client_id = store_col_str(st, 3, a);
  p->client_secret_ct = db_col_null(st, 4) ? (rp_blob){0} : store_col_blob(st, 4, a);
  p->redirect_uri = store_col_str(st, 5, a);
  p->domains = store_col_str(st, 6, a);
  p->created_at = db_col_i64(st, 7);
}

#define PROVIDER_COLS                                                                          \
  "id, name, issuer, client_id, client_secret_ct, redirect_uri, domains, created_at"

rp_rc store_oidc_provider_insert(store *s, store_oidc_provider *p, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO oidc_providers (name, issuer, client_id, redirect_uri, domains,"
             " created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
             e);
  db_bind_text(st, 1, p->name);
  db_bind_text(st, 2, p->issuer);
  db_bind_text(st, 3, p->client_id);
  db_bind_text(st, 4, p->redirect_uri);
  db_bind_text(st, 5, p->domains);
  db_bind_i64(st, 6, p->created_at);
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

typedef struct plain_secret {
  int64_t id;
  const char *secret;
} plain_secret;

static void read_plain_secret(db_stmt *st, arena *a, void *elem) {
  plain_secret *p = elem;
  p->id = db_col_i64(st, 0);
  p->secret = store_col_str(st, 1, a);
}

rp_rc store_oidc_plain_secrets(store *s, arena *a, int64_t **ids, const char ***secrets,
                               size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT id, client_secret FROM oidc_providers WHERE client_secret IS NOT NULL"
             " ORDER BY id",
             e);
  plain_secret *items = NULL;
  rp_rc rc = store_collect(st, sizeof *items, read_plain_secret, a, (void **)&items, n, e);
  if (rc) return rc;
  *ids = arena_alloc(a, (*n ? *n : 1) * sizeof **ids);
  *secrets = arena_alloc(a, (*n ? *n : 1) * sizeof **secrets);
  for (size_t i = 0; i < *n; i++) {
    (*ids)[i] = items[i].id;
    (*secrets)[i] = items[i].secret;
  }
  return RP_OK;
}

rp_rc store_oidc_plain_secret_clear(store *s, int64_t id, rp_err *e) {
  STORE_PREP(s, "UPDATE oidc_providers SET client_secret = NULL WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  return store_exec_one(s, st, e);
}

rp_rc store_oidc_flow_insert(store *s, const unsigned char state_hash[32], int64_t provider_id,
                             const char *nonce, const char *verifier,
                             const unsigned char *session_hash, const char *back, rp_time now,
                             rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO oidc_flows (state_hash, provider_id, nonce, verifier, session_hash,"
             " created_at, back) VALUES ($1, $2, $3, $4, $5, $6, $7)",
             e);
  db_bind_blob(st, 1, state_hash, 32);
  db_bind_i64(st, 2, provider_id);
  db_bind_text(st, 3, nonce);
  db_bind_text(st, 4, verifier);
  if (session_hash) db_bind_blob(st, 5, session_hash, 32);
  else db_bind_null(st, 5);
  db_bind_i64(st, 6, now);
  if (back) db_bind_text(st, 7, back);
  else db_bind_null(st, 7);
  return db_exec_stmt(st, e);
}

rp_rc store_oidc_flow_take(store *s, const unsigned char state_hash[32], arena *a,
                           store_oidc_flow *out, rp_err *e) {
  STORE_PREP(s,
             "DELETE FROM oidc_flows WHERE state_hash = $1"
             " RETURNING provider_id, nonce, verifier, created_at, session_hash, back",
             e);
  db_bind_blob(st, 1, state_hash, 32);
  rp_rc rc = store_row(st, "flow", e);
  if (rc) return rc;
  memset(out, 0, sizeof *out);
  out->provider_id = db_col_i64(st, 0);
  out->nonce = store_col_str(st, 1, a);
  out->verifier = store_col_str(st, 2, a);
  out->created_at = db_col_i64(st, 3);
  if (!db_col_null(st, 4)) {
    rp_blob h = store_col_blob(st, 4, a);
    out->recheck = h.len == sizeof out->session_hash;
    if (out->recheck) memcpy(out->session_hash, h.data, h.len);
  }
  if (!db_col_null(st, 5)) out->back = store_col_str(st, 5, a);
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

static void read_link(db_stmt *st, arena *a, void *elem) {
  store_oidc_link *l = elem;
  l->provider_id = db_col_i64(st, 0);
  l->provider_name = store_col_str(st, 1, a);
  l->subject = store_col_str(st, 2, a);
  l->linked_at = db_col_i64(st, 3);
}

rp_rc store_oidc_links_of(store *s, int64_t person_id, arena *a, store_oidc_link **items,
                          size_t *n, rp_err *e) {
  STORE_PREP(s,
             "SELECT p.id, p.name, i.subject, i.linked_at FROM oidc_identities i"
             " JOIN oidc_providers p ON p.id = i.provider_id WHERE i.person_id = $1"
             " ORDER BY p.id, i.linked_at, i.subject",
             e);
  db_bind_i64(st, 1, person_id);
  return store_collect(st, sizeof **items, read_link, a, (void **)items, n, e);
}

rp_rc store_oidc_session_put(store *s, const unsigned char token_hash[32], int64_t provider_id,
                             int64_t *session_id, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO oidc_sessions (session_id, provider_id, id_token_ct)"
             " SELECT id, $2, NULL FROM sessions WHERE token_hash = $1"
             " ON CONFLICT (session_id) DO UPDATE SET provider_id = excluded.provider_id,"
             " id_token_ct = NULL RETURNING session_id",
             e);
  db_bind_blob(st, 1, token_hash, 32);
  db_bind_i64(st, 2, provider_id);
  rp_rc rc = store_row(st, "session", e);
  if (rc) return rc;
  *session_id = db_col_i64(st, 0);
  db_done(st);
  return RP_OK;
}

rp_rc store_oidc_session_get(store *s, const unsigned char token_hash[32], arena *a,
                             int64_t *session_id, int64_t *provider_id, rp_blob *id_token_ct,
                             rp_err *e) {
  STORE_PREP(s,
             "SELECT o.session_id, o.provider_id, o.id_token_ct FROM oidc_sessions o"
             " JOIN sessions s ON s.id = o.session_id WHERE s.token_hash = $1",
             e);
  db_bind_blob(st, 1, token_hash, 32);
  rp_rc rc = store_row(st, "session", e);
  if (rc) return rc;
  *session_id = db_col_i64(st, 0);
  *provider_id = db_col_i64(st, 1);
  *id_token_ct = db_col_null(st, 2) ? (rp_blob){0} : store_col_blob(st, 2, a);
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
