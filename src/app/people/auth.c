/* auth.c: sign-in, sessions, accounts and invitations.
 *
 * Session tokens are random; only their keyed hash is stored (crypto/token.h).
 * A session ends after session_idle_s without use or session_max_s after
 * sign-in. last_seen_at is written at most once a minute per session, so
 * reads stay reads. A person lists their live sessions by id and may end
 * any of them; the jobs delete sessions SESSION_SWEEP_GRACE_S after they
 * expired (until then a request with one is told "session_expired").
 *
 * Sign-in throttling (docs/security.md): at most LOGIN_MAX_PER_ACCOUNT
 * failed sign-ins per e-mail address and LOGIN_MAX_PER_ADDRESS per client
 * address within any LOGIN_WINDOW_S; past that every attempt, with the
 * right password too, is refused with 429 until the window has moved past
 * enough of them, and Retry-After says when. The limits are checked and
 * the attempt recorded in one write transaction before the password is
 * checked, so concurrent attempts and several servers sharing the
 * database cannot overshoot them; a successful sign-in removes the
 * e-mail address's rows, so only failures stay. E-mail addresses without
 * an account are throttled alike, so a 429 does not tell whether an
 * account exists.
 *
 * A sign-in that presents the token of an earlier session (the cookie or
 * the bearer token) ends that session in the transaction that opens the
 * new one (ASVS 7.2.4). Ending a session other than the current one needs
 * a password re-check (ASVS 7.5.2, app_require_confirmed); signing out
 * does not.
 *
 * Password re-check ("sudo mode"): the signed-in person types their
 * password again for the CURRENT session, which is then confirmed for
 * APP_CONFIRM_S seconds. A re-check is throttled and counted exactly like
 * a sign-in (app_login_throttle): a wrong password is a failed sign-in of
 * that e-mail address from that client address. Exporting and deleting
 * (app/yourdata/) and ending other sessions need a confirmed session
 * (app_require_confirmed). A person linked to a sign-in provider may
 * re-check there instead (app/org/sso.c: prompt=login, max_age=0 and a
 * fresh auth_time), which confirms the session the same way
 * (app_session_confirmed_by).
 *
 * Security events (ASVS 16.3.1) go to the server log as lines starting
 * "security event=": sign-ins that succeed (with the person id) or fail
 * (with the reason, a keyed hash of the folded e-mail address, never the
 * address or the password) and throttling, each with the client address.
 * Session ends and password re-check failures are logged by their routes
 * (http/routes_core.c, http/routes_me.c), which know the client address.
 */
#include "app/people/people.h"
#include "crypto/password.h"
#include "base/log.h"
#include "crypto/token.h"
#include "domain/useragent.h"
#include "store/org.h"
#include "store/yourdata.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TOUCH_EVERY_S 60
#define LOGIN_WINDOW_S (15 * 60)
#define LOGIN_MAX_PER_ACCOUNT 5
#define LOGIN_MAX_PER_ADDRESS 20
#define SESSION_SWEEP_GRACE_S 3600

/* A keyed hash of a folded e-mail address for the log: 16 hex digits that
 * tell one account's failures apart from another's without naming it. */
static const char *email_tag(app_ctx *c, const char *folded) {
  unsigned char h[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), arena_printf(c->a, "log-email:%s", folded), h);
  char *out = arena_zalloc(c->a, 17);
  return sodium_bin2hex(out, 17, h, 8);
}

/* In the sign-in's transaction: records the device dev of who (its cookie
 * in out->device) and, when the account knew other devices but not this
 * one, queues the mail that tells of it. Every sign-in comes through here
 * (session_open). */
static rp_rc device_seen(app_ctx *c, const person *who, const app_device *dev, char *out,
                         rp_err *e) {
  static const app_device none = {NULL, NULL};
  if (!dev) dev = &none;
  if (dev->token && token_well_formed(dev->token)) snprintf(out, TOKEN_BUFSZ, "%s", dev->token);
  else token_new(out);
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION),
             arena_printf(c->a, "device:%lld:%s", (long long)who->id, out), hash);
  char family[64];
  ua_family(dev->user_agent, family, sizeof family);
  bool known = false;
  int64_t count = 0;
  rp_rc rc = store_devices_forget(c->st, who->id, c->now - APP_DEVICE_KEEP_S, e);
  if (!rc) rc = store_device_known(c->st, who->id, hash, &known, &count, e);
  if (!rc) rc = store_device_seen(c->st, who->id, hash, family, c->now, e);
  if (rc || known || count == 0) return rc;
  log_info("security event=sign_in_new_device person=%lld family=\"%s\"", (long long)who->id,
           family);
  app_notice n = {.kind = "new_device", .person_id = who->id, .email = who->email,
                  .name = who->name, .about = arena_strdup(c->a, family)};
  return app_notice_queue(c, &n, e);
}

/* Opens a session for who in one write transaction; when clear_email is
 * set, forgets that address's sign-in failures, when rehash is set,
 * stores it as who's password hash in place of old_hash, and when
 * prior_token is set, ends the session it belongs to. *ended_prior says
 * whether there was one. Records the device dev (device_seen), whatever
 * proved who it is. */
static rp_rc session_open(app_ctx *c, const person *who, const char *clear_email,
                          const char *old_hash, const char *rehash, const char *prior_token,
                          const app_device *dev, bool *ended_prior, app_session *out,
                          rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  token_new(out->token);
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), out->token, hash);
  *ended_prior = false;
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  if (clear_email) rc = store_login_failures_clear(c->st, clear_email, e);
  if (!rc && prior_token && token_well_formed(prior_token)) {
    unsigned char prior[TOKEN_HASH_LEN];
    token_hash(keys_sub(c->env->keys, KEYS_SESSION), prior_token, prior);
    rc = store_session_delete(c->st, prior, ended_prior, e);
  }
  if (!rc && rehash) rc = store_person_rehash(c->st, who->id, old_hash, rehash, e);
  if (!rc) rc = store_session_insert(c->st, hash, who->id, c->now, e);
  out->device[0] = '\0';
  if (!rc) rc = device_seen(c, who, dev, out->device, e);
  rc = app_finish(c, rc, e);
  if (rc) return rc;
  app_csrf_for(c, out->token, out->csrf);
  out->who = *who;
  return RP_OK;
}

/* Seconds until the window no longer holds the failure at `nth` (the
 * oldest of those that reach a limit), at least 1; 0 when nth is 0. */
static int throttle_wait(const app_ctx *c, rp_time nth) {
  if (nth == 0) return 0;
  rp_time wait = nth + LOGIN_WINDOW_S - c->now;
  if (wait < 1) wait = 1;
  if (wait > LOGIN_WINDOW_S) wait = LOGIN_WINDOW_S; /* the clock went back */
  return (int)wait;
}

/* Checks the limits for a sign-in as email from address and, when they
 * allow it, records the attempt; RP_ERR_RATE with e->retry_after if not. */
static rp_rc login_attempt(app_ctx *c, const char *email, const char *address, rp_err *e) {
  rp_time since = c->now - LOGIN_WINDOW_S, by_account = 0, by_address = 0;
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_login_failure_nth_by_email(c->st, email, since, LOGIN_MAX_PER_ACCOUNT, &by_account,
                                        e);
  if (!rc)
    rc = store_login_failure_nth_by_address(c->st, address, since, LOGIN_MAX_PER_ADDRESS,
                                            &by_address, e);
  int wait = throttle_wait(c, by_account), wait_address = throttle_wait(c, by_address);
  if (wait_address > wait) wait = wait_address;
  if (!rc && wait == 0) rc = store_login_failure_add(c->st, email, address, c->now, e);
  rc = app_finish(c, rc, e);
  if (rc || wait == 0) return rc;
  log_warn("security event=sign_in_throttled account=%s address=%s retry_after=%d",
           email_tag(c, email), address, wait);
  int minutes = (wait + 59) / 60;
  rp_fail(e, RP_ERR_RATE, "too_many_sign_ins",
          "Too many failed sign-ins for this account or from this address; try again in %d "
          "minute%s.",
          minutes, minutes == 1 ? "" : "s");
  e->retry_after = wait;
  return RP_ERR_RATE;
}

/* Logs a failed sign-in as email from address and fails with bad_credentials. */
static rp_rc login_failed(app_ctx *c, const char *folded, const char *address, rp_err *e) {
  log_warn("security event=sign_in outcome=failure reason=bad_credentials account=%s address=%s",
           email_tag(c, folded), address);
  return rp_fail(e, RP_ERR_AUTH, "bad_credentials", "The e-mail or password is wrong.");
}

rp_rc app_login(app_ctx *c, const char *email, const char *password, const char *address,
                const char *prior_token, const app_device *dev, app_session *out, rp_err *e) {
  const char *folded = person_email_fold(c->a, email);
  if (!address) address = "unknown";
  rp_rc rc = login_attempt(c, folded, address, e);
  if (rc) return rc;
  person who;
  const char *hash = NULL;
  rp_err local = {0};
  rc = store_person_by_email(c->st, folded, c->a, &who, &hash, &local);
  if (rc && rc != RP_ERR_NOT_FOUND) return rp_fail(e, rc, local.code, "%s", local.detail);
  if (rc || !hash) {
    password_verify_dummy(password); /* the same time whether or not the account exists */
    return login_failed(c, folded, address, e);
  }
  if (!password_verify(hash, password)) return login_failed(c, folded, address, e);
  /* An account set to sign in only through single sign-on: told so only
   * once the password proved who is asking. */
  bool sso_only = false;
  rc = store_begin_read(c->st, e);
  if (!rc) rc = store_person_sso_only(c->st, who.id, &sso_only, e);
  store_rollback(c->st);
  if (rc) return rc;
  if (sso_only) {
    log_warn("security event=sign_in outcome=failure reason=sso_only account=%s address=%s",
             email_tag(c, folded), address);
    return rp_fail(e, RP_ERR_AUTH, "sso_only",
                   "This account signs in only through single sign-on.");
  }
  /* Hashed with other parameters: hash again now that the password is at
   * hand. A failure here is not a failure to sign in (next time). */
  char fresh[PASSWORD_HASH_MAX];
  bool rehash = password_needs_rehash(hash) && password_hash(password, fresh, &local) == RP_OK;
  bool ended_prior = false;
  rc = session_open(c, &who, folded, hash, rehash ? fresh : NULL, prior_token, dev, &ended_prior,
                    out, e);
  if (rc) return rc;
  log_info("security event=sign_in outcome=success person=%lld address=%s ended_prior=%s",
           (long long)who.id, address, ended_prior ? "yes" : "no");
  return RP_OK;
}

rp_rc app_sign_in_as(app_ctx *c, const person *who, const char *clear_key, const char *address,
                     const char *prior_token, const app_device *dev, const char *how,
                     app_session *out, rp_err *e) {
  bool ended_prior = false;
  rp_rc rc = session_open(c, who, clear_key, NULL, NULL, prior_token, dev, &ended_prior, out, e);
  if (rc) return rc;
  log_info("security event=sign_in outcome=success person=%lld address=%s via=%s ended_prior=%s",
           (long long)who->id, address ? address : "unknown", how, ended_prior ? "yes" : "no");
  return RP_OK;
}

void app_sign_in_failed(app_ctx *c, const char *reason, const char *address) {
  log_warn("security event=sign_in outcome=failure reason=%s address=%s", reason,
           address ? address : "unknown");
  (void)c;
}

rp_rc app_logout(app_ctx *c, const char *token, rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  return store_session_delete(c->st, hash, NULL, e);
}

/* The checks of a session read (rc: how reading it went): there is one,
 * and it has not expired. Sets the actor. */
static rp_rc session_admit(app_ctx *c, rp_rc rc, const rp_err *local, const store_signed_in *s,
                           bool *touch, rp_err *e) {
  c->session_unchecked = false;
  if (rc == RP_ERR_NOT_FOUND) return rp_fail(e, RP_ERR_AUTH, "no_session", "Sign in first.");
  if (rc) return rp_fail(e, rc, local->code, "%s", local->detail);
  /* An expired row stays until the jobs delete it (app_auth_sweep), so
   * every request with it gets this answer, and a read stays a read. */
  if (c->now - s->last_seen_at > c->env->session_idle_s ||
      c->now - s->created_at > c->env->session_max_s)
    return rp_fail(e, RP_ERR_AUTH, "session_expired", "Your session has expired; sign in again.");
  *touch = c->now - s->last_seen_at >= TOUCH_EVERY_S;
  c->actor = s->person_id;
  c->site_admin = s->site_admin;
  return RP_OK;
}

rp_rc app_authenticate(app_ctx *c, const char *token, bool *touch, rp_err *e) {
  if (!token_well_formed(token))
    return rp_fail(e, RP_ERR_AUTH, "no_session", "Sign in first.");
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  store_signed_in who;
  rp_err local = {0};
  rp_rc rc = store_session_lookup(c->st, hash, &who, &local);
  rc = session_admit(c, rc, &local, &who, touch, e);
  if (!rc) c->token = token;
  return rc;
}

rp_rc app_authenticate_later(app_ctx *c, const char *token, rp_err *e) {
  if (!token_well_formed(token))
    return rp_fail(e, RP_ERR_AUTH, "no_session", "Sign in first.");
  c->token = token;
  c->session_unchecked = true;
  return RP_OK;
}

void app_session_key(const app_ctx *c, unsigned char hash[32]) {
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), c->token, hash);
}

rp_rc app_session_admit(app_ctx *c, rp_rc rc, const store_signed_in *who, const char *what,
                        rp_err *e) {
  rp_err local = *e;
  rc = session_admit(c, rc, &local, who, &c->session_touch, e);
  if (!rc && !who->found) rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such %s.", what);
  return rc;
}

rp_rc app_session_touch(app_ctx *c, const char *token, rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  return store_session_touch(c->st, hash, c->now, e);
}

rp_rc app_ops_figures(app_ctx *c, int64_t *sessions, int64_t *bytes, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (!rc) rc = store_ops_figures(c->st, c->now - c->env->session_idle_s, sessions, bytes, e);
  store_end_all(c->st);
  return rc;
}

void app_csrf_for(const app_ctx *c, const char *token, char out[44]) {
  token_csrf(keys_sub(c->env->keys, KEYS_CSRF), token, out);
}

rp_rc app_user_add(app_ctx *c, const char *email, const char *name, const char *password,
                   bool site_admin, int64_t *id, rp_err *e) {
  if (!person_email_valid(email)) rp_field(e, "/email", "Give a valid e-mail address.");
  if (!person_name_valid(name)) rp_field(e, "/name", "Give a name of 1 to 200 characters.");
  password_acceptable(password, email, "/password", e);
  if (e->rc) return e->rc;
  char hash[PASSWORD_HASH_MAX];
  rp_rc rc = password_hash(password, hash, e);
  if (rc) return rc;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_person_insert(c->st, person_email_fold(c->a, email), name, hash, site_admin, c->now, id, e);
  return app_finish(c, rc, e);
}

/* Who invitation `hash` is for, if it is unused and unexpired. */
static rp_rc invitation_person(app_ctx *c, const unsigned char *hash, person *p, rp_err *e) {
  int64_t who = 0;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_invitation_find(c->st, hash, c->now, &who, e);
  if (!rc) rc = store_person_get(c->st, who, c->a, p, e);
  store_rollback(c->st);
  if (rc == RP_ERR_NOT_FOUND)
    return rp_fail(e, RP_ERR_NOT_FOUND, "no_invitation", "This invitation is not valid or has expired.");
  return rc;
}

rp_rc app_invitation_accept(app_ctx *c, const char *token, const char *password,
                            const app_device *dev, app_session *out, rp_err *e) {
  if (!password_acceptable(password, NULL, "/password", e)) return e->rc;
  if (!token_well_formed(token))
    return rp_fail(e, RP_ERR_NOT_FOUND, "no_invitation", "This invitation is not valid.");
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  person p;
  rp_rc rc = invitation_person(c, hash, &p, e);
  if (rc) return rc;
  if (!password_acceptable(password, p.email, "/password", e)) return e->rc;
  char pw_hash[PASSWORD_HASH_MAX];
  rc = password_hash(password, pw_hash, e); /* outside the write lock: it takes a while */
  if (rc) return rc;
  int64_t who = 0;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_invitation_find(c->st, hash, c->now, &who, e); /* still unused? */
  if (!rc && who != p.id) rc = RP_ERR_NOT_FOUND;
  if (rc == RP_ERR_NOT_FOUND)
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "no_invitation", "This invitation is not valid or has expired.");
  if (!rc) rc = store_invitation_use(c->st, hash, c->now, e);
  if (!rc) rc = store_person_set_password(c->st, who, pw_hash, e);
  /* A new password (after a reset above all) ends every earlier session */
  static const unsigned char none[32];
  int64_t ended = 0;
  if (!rc) rc = store_sessions_end_others(c->st, who, none, &ended, e);
  rc = app_finish(c, rc, e);
  if (rc) return rc;
  p.has_password = true;
  bool ended_prior = false;
  rc = session_open(c, &p, NULL, NULL, NULL, NULL, dev, &ended_prior, out, e);
  if (!rc) log_info("security event=invitation_accepted person=%lld", (long long)p.id);
  return rc;
}

/* ---- password reset ---- */

rp_rc app_password_reset_request(app_ctx *c, const char *email, rp_err *e) {
  if (!person_email_valid(email)) {
    rp_field(e, "/email", "Give a valid e-mail address.");
    return e->rc;
  }
  const char *folded = person_email_fold(c->a, email);
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  person p;
  rp_err local = {0};
  rc = store_person_by_email(c->st, folded, c->a, &p, NULL, &local);
  int64_t recent = 0;
  if (!rc) rc = store_invitations_since(c->st, p.id, c->now - PASSWORD_RESET_WINDOW_S, &recent, e);
  if (!rc && recent < PASSWORD_RESET_MAX) {
    char token[TOKEN_BUFSZ];
    unsigned char hash[TOKEN_HASH_LEN];
    token_new(token);
    token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
    rp_time expires = c->now + PASSWORD_RESET_VALID_S;
    rc = store_invitation_insert(c->st, p.id, hash, c->now, expires, e);
    app_notice n = {.kind = "password_reset", .person_id = p.id, .email = p.email,
                    .name = p.name, .token = token, .expires_at = expires};
    if (!rc) rc = app_notice_queue(c, &n, e);
    sodium_memzero(token, sizeof token);
    if (!rc) log_info("security event=password_reset_requested person=%lld", (long long)p.id);
  }
  if (rc == RP_ERR_NOT_FOUND && local.rc == RP_ERR_NOT_FOUND) rc = RP_OK; /* nobody: same answer */
  return app_finish(c, rc, e);
}

/* ---- a person's sessions ---- */

rp_rc app_sessions_list(app_ctx *c, const char *token, int64_t after, int limit,
                        store_session **items, size_t *n, int64_t *next, rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  return store_sessions_of(c->st, c->actor, hash, c->now - c->env->session_idle_s,
                           c->now - c->env->session_max_s, after, app_page_limit(limit), c->a,
                           items, n, next, e);
}

/* Whether session id is the caller's current one (c->token). */
static rp_rc is_current(app_ctx *c, int64_t id, bool *out, rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  *out = false;
  if (!c->token) return RP_OK;
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), c->token, hash);
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_session_is(c->st, id, hash, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_session_end(app_ctx *c, int64_t id, bool *was_current, rp_err *e) {
  rp_rc rc = is_current(c, id, was_current, e);
  /* Ending another session needs the password again; signing out does not. */
  if (!rc && !*was_current) rc = app_require_confirmed(c, e);
  if (rc) return rc;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_session_end(c->st, c->actor, id, e);
  if (rc == RP_ERR_NOT_FOUND)
    rc = rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "You have no session %lld.", (long long)id);
  return app_finish(c, rc, e);
}

rp_rc app_sessions_end_others(app_ctx *c, const char *token, int64_t *ended, rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, hash);
  *ended = 0;
  rp_rc rc = app_require_confirmed(c, e);
  if (rc) return rc;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_sessions_end_others(c->st, c->actor, hash, ended, e);
  return app_finish(c, rc, e);
}

rp_rc app_auth_sweep(app_ctx *c, rp_err *e) {
  rp_rc rc = store_session_expire(c->st, c->now - c->env->session_idle_s - SESSION_SWEEP_GRACE_S,
                                  c->now - c->env->session_max_s - SESSION_SWEEP_GRACE_S, e);
  if (!rc) rc = store_login_failures_prune(c->st, c->now - LOGIN_WINDOW_S, e);
  return rc;
}

rp_rc app_login_throttle(app_ctx *c, const char *email, const char *address, rp_err *e) {
  return login_attempt(c, email, address ? address : "unknown", e);
}

/* ---- password re-check ---- */

/* The token hash of the request's session; false when there is none. */
static bool session_hash(const app_ctx *c, unsigned char hash[TOKEN_HASH_LEN]) {
  if (!c->token || !token_well_formed(c->token)) return false;
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), c->token, hash);
  return true;
}

static rp_rc no_session(rp_err *e) { return rp_fail(e, RP_ERR_AUTH, "no_session", "Sign in first."); }

rp_rc app_actor_password(app_ctx *c, person *who, const char **pw_hash, rp_err *e) {
  *pw_hash = NULL;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_person_get(c->st, c->actor, c->a, who, e);
  if (!rc) rc = store_person_by_email(c->st, who->email, c->a, who, pw_hash, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_session_confirm(app_ctx *c, const char *password, const char *address, rp_time *until,
                          rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  if (!session_hash(c, hash)) return no_session(e);
  person who;
  const char *pw_hash = NULL;
  rp_rc rc = app_actor_password(c, &who, &pw_hash, e);
  if (rc) return rc;
  rc = app_login_throttle(c, who.email, address, e);
  if (rc) return rc;
  if (!pw_hash) {
    password_verify_dummy(password);
    return rp_fail(e, RP_ERR_FORBIDDEN, "wrong_password", "The password is wrong.");
  }
  if (!password_verify(pw_hash, password))
    return rp_fail(e, RP_ERR_FORBIDDEN, "wrong_password", "The password is wrong.");
  /* An account that signs in only through single sign-on re-checks there
   * too (app/org/sso.c): its password no longer proves who asks. */
  bool sso_only = false;
  rc = store_begin_read(c->st, e);
  if (!rc) rc = store_person_sso_only(c->st, c->actor, &sso_only, e);
  store_rollback(c->st);
  if (rc) return rc;
  if (sso_only)
    return rp_fail(e, RP_ERR_FORBIDDEN, "sso_only",
                   "This account signs in only through single sign-on: confirm it is you with "
                   "your sign-in provider (POST /api/v1/sso/providers/{id}/confirm).");
  return app_session_confirmed_by(c, who.email, until, e);
}

rp_rc app_session_confirmed_by(app_ctx *c, const char *clear_key, rp_time *until, rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  if (!session_hash(c, hash)) return no_session(e);
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  if (clear_key) rc = store_login_failures_clear(c->st, clear_key, e);
  if (!rc) rc = store_session_confirm(c->st, hash, c->now, e);
  if (rc == RP_ERR_NOT_FOUND) rc = no_session(e); /* ended meanwhile */
  rc = app_finish(c, rc, e);
  if (!rc) *until = c->now + APP_CONFIRM_S;
  return rc;
}

rp_rc app_require_confirmed(app_ctx *c, rp_err *e) {
  unsigned char hash[TOKEN_HASH_LEN];
  if (!session_hash(c, hash)) return no_session(e);
  rp_time at = 0;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_session_confirmed_at(c->st, hash, &at, e);
  store_rollback(c->st);
  if (rc == RP_ERR_NOT_FOUND) return no_session(e);
  if (rc) return rc;
  /* A confirmation from the future (the dev clock went back) does not count. */
  if (at == 0 || at > c->now || c->now - at > APP_CONFIRM_S)
    return rp_fail(e, RP_ERR_FORBIDDEN, "password_check_needed",
                   "This needs your password again: POST /api/v1/session/confirm with "
                   "{\"password\": ...}, or confirm through your sign-in provider (POST "
                   "/api/v1/sso/providers/{id}/confirm), then retry within %d minutes.",
                   APP_CONFIRM_S / 60);
  return RP_OK;
}
