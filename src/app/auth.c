/* auth.c: sign-in, sessions, accounts and invitations.
 *
 * Session tokens are random; only their keyed hash is stored (crypto/token.h).
 * A session ends after session_idle_s without use or session_max_s after
 * sign-in. last_seen_at is written at most once a minute per session, so
 * reads stay reads.
 */
#include "app/app.h"
#include "crypto/password.h"
#include "crypto/token.h"

#include <string.h>

#define TOUCH_EVERY_S 60

static rp_rc session_open(app_ctx *c, const person *who, app_session *out, rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  token_new(out->token);
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), out->token, hash);
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_session_insert(c->st, hash, who->id, c->now, e);
  rc = app_finish(c, rc, e);
  if (rc) return rc;
  app_csrf_for(c, out->token, out->csrf);
  out->who = *who;
  return RP_OK;
}

rp_rc app_login(app_ctx *c, const char *email, const char *password, app_session *out, rp_err *e) {
  person who;
  const char *hash = NULL;
  rp_err local = {0};
  rp_rc rc = store_person_by_email(c->st, person_email_fold(c->a, email), c->a, &who, &hash, &local);
  if (rc && rc != RP_ERR_NOT_FOUND) return rp_fail(e, rc, local.code, "%s", local.detail);
  if (rc || !hash) {
    password_verify_dummy(password); /* the same time whether or not the account exists */
    return rp_fail(e, RP_ERR_AUTH, "bad_credentials", "The e-mail or password is wrong.");
  }
  if (!password_verify(hash, password))
    return rp_fail(e, RP_ERR_AUTH, "bad_credentials", "The e-mail or password is wrong.");
  return session_open(c, &who, out, e);
}

rp_rc app_logout(app_ctx *c, const char *token, rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  return store_session_delete(c->st, hash, e);
}

rp_rc app_authenticate(app_ctx *c, const char *token, bool *touch, rp_err *e) {
  if (!token_well_formed(token))
    return rp_fail(e, RP_ERR_AUTH, "no_session", "Sign in first.");
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  person who;
  rp_time created, seen;
  rp_err local = {0};
  rp_rc rc = store_session_lookup(c->st, hash, c->a, &who, &created, &seen, &local);
  if (rc == RP_ERR_NOT_FOUND) return rp_fail(e, RP_ERR_AUTH, "no_session", "Sign in first.");
  if (rc) return rp_fail(e, rc, local.code, "%s", local.detail);
  if (c->now - seen > c->env->session_idle_s || c->now - created > c->env->session_max_s) {
    store_session_delete(c->st, hash, &local);
    return rp_fail(e, RP_ERR_AUTH, "session_expired", "Your session has expired; sign in again.");
  }
  *touch = c->now - seen >= TOUCH_EVERY_S;
  c->actor = who.id;
  c->site_admin = who.is_site_admin;
  return RP_OK;
}

rp_rc app_session_touch(app_ctx *c, const char *token, rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  return store_session_touch(c->st, hash, c->now, e);
}

void app_csrf_for(const app_ctx *c, const char *token, char out[44]) {
  token_csrf(keys_sub(c->env->keys, KEYS_CSRF), token, out);
}

rp_rc app_user_add(app_ctx *c, const char *email, const char *name, const char *password,
                   bool site_admin, int64_t *id, rp_err *e) {
  if (!person_email_valid(email)) rp_field(e, "/email", "Give a valid e-mail address.");
  if (!person_name_valid(name)) rp_field(e, "/name", "Give a name of 1 to 200 characters.");
  password_acceptable(password, "/password", e);
  if (e->rc) return e->rc;
  char hash[PASSWORD_HASH_MAX];
  rp_rc rc = password_hash(password, hash, e);
  if (rc) return rc;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_person_insert(c->st, person_email_fold(c->a, email), name, hash, site_admin, c->now, id, e);
  return app_finish(c, rc, e);
}

rp_rc app_invitation_accept(app_ctx *c, const char *token, const char *password,
                            app_session *out, rp_err *e) {
  if (!password_acceptable(password, "/password", e)) return e->rc;
  if (!token_well_formed(token))
    return rp_fail(e, RP_ERR_NOT_FOUND, "no_invitation", "This invitation is not valid.");
  char pw_hash[PASSWORD_HASH_MAX];
  rp_rc rc = password_hash(password, pw_hash, e);
  if (rc) return rc;
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  int64_t who = 0;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_invitation_find(c->st, hash, c->now, &who, e);
  if (rc == RP_ERR_NOT_FOUND)
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "no_invitation", "This invitation is not valid or has expired.");
  if (!rc) rc = store_invitation_use(c->st, hash, c->now, e);
  if (!rc) rc = store_person_set_password(c->st, who, pw_hash, e);
  rc = app_finish(c, rc, e);
  if (rc) return rc;
  person p;
  rc = store_person_get(c->st, who, c->a, &p, e);
  return rc ? rc : session_open(c, &p, out, e);
}
