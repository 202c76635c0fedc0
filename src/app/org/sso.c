/* sso.c: signing in through an OpenID Connect provider.
 *
 * The authorization code flow with PKCE (S256), state and nonce. Begin:
 * a random state, nonce and code verifier; the keyed hash of the state is
 * stored with the nonce and verifier (oidc_flows), and the state goes to
 * the browser twice, in the authorization URL and in a cookie, so that a
 * callback is taken only from the browser that began it (no one can sign
 * a victim into the attacker's account with a link). Callback: the flow
 * is deleted as it is read (a state is good once, for FLOW_VALID_S), the
 * code is redeemed with the verifier, and the ID token verified in full:
 * its signature by crypto/jose.h against the provider's key set (fetched
 * once more when it names an unknown key: rotation), then iss (exactly
 * the configured issuer), aud (holds the client id; with several
 * audiences azp must be the client id), exp and iat (CLOCK_SKEW_S of
 * leeway; a token issued more than FLOW_VALID_S ago is refused), nonce,
 * and a verified e-mail address in one of the provider's domains.
 *
 * Linking: an identity (provider, sub) already linked signs in its
 * person. Otherwise the verified address finds the account: one without a
 * password (invited) is linked at once; one with a password needs it
 * once (app_sso_link), so that whoever controls an address at the
 * provider cannot take over an account someone else set up. An address
 * with no account is refused: people come in by enrolment or roster.
 *
 * Throttling: each callback counts as a sign-in attempt from its address
 * (app_login_throttle, under a key of its own state), cleared when it
 * succeeds, so failures count against the address as failed password
 * sign-ins do. Refusals are security events in the server log.
 */
#include "app/org/oidc_net.h"
#include "base/log.h"
#include "crypto/jose.h"
#include "crypto/token.h"
#include "store/accounts.h"

#include <sodium.h>
#include <string.h>

#define FLOW_VALID_S 600
#define CLOCK_SKEW_S 60
#define SUBJECT_MAX 255
#define DOMAINS_MAX 32

/* ---- providers ---- */

static bool domain_valid(const char *d) {
  size_t n = strlen(d);
  if (n == 0 || n > 253 || d[0] == '.' || d[n - 1] == '.' || !strchr(d, '.')) return false;
  for (const char *p = d; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
      return false;
  return true;
}

static rp_rc site_admin_only(const app_ctx *c, rp_err *e) {
  return c->site_admin ? RP_OK
                       : rp_fail(e, RP_ERR_FORBIDDEN, "role",
                                 "Only site administrators configure sign-in.");
}

rp_rc app_sso_provider_add(app_ctx *c, const app_sso_provider_in *in, store_oidc_provider *out,
                           rp_err *e) {
  if (site_admin_only(c, e)) return e->rc;
  if (!oidc_url_acceptable(in->issuer))
    rp_field(e, "/issuer", "Give the issuer's https URL.");
  if (!oidc_url_acceptable(in->redirect_uri))
    rp_field(e, "/redirect_uri", "Give Rapport's https URL the provider sends people back to.");
  if (in->ndomains == 0 || in->ndomains > DOMAINS_MAX)
    rp_field(e, "/domains", "Give 1 to %d e-mail domains.", DOMAINS_MAX);
  const char *domains = "";
  for (size_t i = 0; i < in->ndomains; i++) {
    char *d = person_email_fold(c->a, in->domains[i]);
    if (!domain_valid(d))
      rp_field(e, arena_printf(c->a, "/domains/%zu", i), "Give a domain such as example.org.");
    domains = i ? arena_printf(c->a, "%s,%s", domains, d) : d;
  }
  if (e->rc) return e->rc;
  memset(out, 0, sizeof *out);
  out->name = in->name;
  out->issuer = in->issuer;
  out->client_id = in->client_id;
  out->client_secret = in->client_secret;
  out->redirect_uri = in->redirect_uri;
  out->domains = domains;
  out->created_at = c->now;
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_oidc_provider_insert(c->st, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_sso_providers(app_ctx *c, store_oidc_provider **items, size_t *n, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_oidc_providers(c->st, c->a, items, n, e);
  store_rollback(c->st);
  return rc;
}

static rp_rc no_provider(rp_err *e) {
  return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such sign-in provider.");
}

static rp_rc load_provider(app_ctx *c, int64_t id, store_oidc_provider *p, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_oidc_provider_get(c->st, id, c->a, p, e);
  store_rollback(c->st);
  return rc == RP_ERR_NOT_FOUND ? no_provider(e) : rc;
}

/* A provider's configuration is the site admins' only: to anyone else
 * there is no such thing (404, as for every object not theirs to see). */
rp_rc app_sso_provider_get(app_ctx *c, int64_t id, store_oidc_provider *out, rp_err *e) {
  return c->site_admin ? load_provider(c, id, out, e) : no_provider(e);
}

rp_rc app_sso_provider_delete(app_ctx *c, int64_t id, rp_err *e) {
  rp_rc rc = c->site_admin ? RP_OK : no_provider(e);
  if (!rc) rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_oidc_provider_delete(c->st, id, e);
  if (rc == RP_ERR_NOT_FOUND) rc = no_provider(e);
  rc = app_finish(c, rc, e);
  if (!rc) log_info("security event=sso_provider_deleted provider=%lld by=%lld", (long long)id,
                    (long long)c->actor);
  return rc;
}

/* ---- beginning ---- */

/* The PKCE S256 challenge of verifier (RFC 7636 4.2), in the arena. */
static const char *challenge_of(arena *a, const char *verifier) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
  size_t cap = sodium_base64_ENCODED_LEN(sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = arena_alloc(a, cap);
  return sodium_bin2base64(out, cap, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void state_hash(const app_ctx *c, const char *state, unsigned char h[TOKEN_HASH_LEN]) {
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), arena_printf(c->a, "sso-state:%s", state), h);
}

rp_rc app_sso_begin(app_ctx *c, int64_t provider_id, const char **url, const char **state,
                    rp_err *e) {
  store_oidc_provider p;
  rp_rc rc = load_provider(c, provider_id, &p, e);
  oidc_meta m;
  if (!rc) rc = oidc_discover(c, &p, &m, e);
  if (rc) return rc;
  char st[TOKEN_BUFSZ], nonce[TOKEN_BUFSZ], verifier[TOKEN_BUFSZ];
  token_new(st);
  token_new(nonce);
  token_new(verifier);
  unsigned char h[TOKEN_HASH_LEN];
  state_hash(c, st, h);
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_oidc_flow_insert(c->st, h, p.id, nonce, verifier, c->now, e);
  rc = app_finish(c, rc, e);
  if (rc) return rc;
  *state = arena_strdup(c->a, st);
  *url = arena_printf(c->a,
                      "%s%cresponse_type=code&client_id=%s&redirect_uri=%s"
                      "&scope=openid%%20email%%20profile&state=%s&nonce=%s"
                      "&code_challenge=%s&code_challenge_method=S256",
                      m.authorization_endpoint, strchr(m.authorization_endpoint, '?') ? '&' : '?',
                      oidc_escape(c->a, p.client_id), oidc_escape(c->a, p.redirect_uri), st,
                      nonce, challenge_of(c->a, verifier));
  return RP_OK;
}

/* ---- the callback ---- */

static rp_rc refuse(rp_err *e, const char *code, const char *detail) {
  return rp_fail(e, RP_ERR_AUTH, code, "%s", detail);
}

static bool audience_has(json_t *aud, const char *client_id, size_t *n) {
  *n = 0;
  if (json_is_string(aud)) {
    *n = 1;
    return strcmp(json_string_value(aud), client_id) == 0;
  }
  size_t i;
  json_t *v;
  bool found = false;
  json_array_foreach(aud, i, v) {
    (*n)++;
    if (json_is_string(v) && strcmp(json_string_value(v), client_id) == 0) found = true;
  }
  return found;
}

/* Whether the claim is a whole number of seconds; sets *out. */
static bool claim_time(json_t *claims, const char *name, rp_time *out) {
  json_t *v = json_object_get(claims, name);
  if (json_is_integer(v)) *out = json_integer_value(v);
  else if (json_is_real(v)) *out = (rp_time)json_real_value(v);
  else return false;
  return true;
}

/* The checks of RFC 9068/OIDC Core 3.1.3.7 on verified claims; *email and
 * *subject in the arena. */
static rp_rc check_claims(app_ctx *c, const store_oidc_provider *p, json_t *claims,
                          const char *nonce, const char **email, const char **subject,
                          rp_err *e) {
  const char *iss = json_string_value(json_object_get(claims, "iss"));
  if (!iss || strcmp(iss, p->issuer) != 0)
    return refuse(e, "sso_wrong_issuer", "The ID token comes from another issuer.");
  size_t naud = 0;
  if (!audience_has(json_object_get(claims, "aud"), p->client_id, &naud))
    return refuse(e, "sso_wrong_audience", "The ID token was issued for another client.");
  const char *azp = json_string_value(json_object_get(claims, "azp"));
  if ((naud > 1 || azp) && (!azp || strcmp(azp, p->client_id) != 0))
    return refuse(e, "sso_wrong_audience", "The ID token was issued for another party.");
  rp_time exp = 0, iat = 0;
  if (!claim_time(claims, "exp", &exp) || !claim_time(claims, "iat", &iat))
    return refuse(e, "sso_token_malformed", "The ID token lacks its times.");
  if (c->now > exp + CLOCK_SKEW_S) return refuse(e, "sso_token_expired", "The ID token has expired.");
  if (iat > c->now + CLOCK_SKEW_S || c->now - iat > FLOW_VALID_S + CLOCK_SKEW_S)
    return refuse(e, "sso_token_expired", "The ID token was not issued just now.");
  const char *got = json_string_value(json_object_get(claims, "nonce"));
  if (!got || strlen(got) != strlen(nonce) || !token_equal(got, nonce))
    return refuse(e, "sso_nonce", "The ID token does not answer this sign-in (its nonce differs).");
  const char *sub = json_string_value(json_object_get(claims, "sub"));
  if (!sub || !*sub || strlen(sub) > SUBJECT_MAX)
    return refuse(e, "sso_token_malformed", "The ID token names no subject.");
  const char *mail = json_string_value(json_object_get(claims, "email"));
  json_t *verified = json_object_get(claims, "email_verified");
  if (!mail || !person_email_valid(mail) ||
      !(json_is_true(verified) ||
        (json_is_string(verified) && strcmp(json_string_value(verified), "true") == 0)))
    return refuse(e, "sso_email_unverified",
                  "The provider did not vouch for an e-mail address of this account.");
  char *folded = person_email_fold(c->a, mail);
  const char *domain = strrchr(folded, '@') + 1;
  bool allowed = false;
  size_t dl = strlen(domain);
  for (const char *d = p->domains; d && *d && !allowed;) {
    const char *end = strchr(d, ',');
    size_t n = end ? (size_t)(end - d) : strlen(d);
    allowed = n == dl && memcmp(d, domain, n) == 0;
    d = end ? end + 1 : NULL;
  }
  if (!allowed)
    return refuse(e, "sso_domain_not_allowed",
                  "This provider may not sign in addresses of that domain.");
  *email = folded;
  *subject = arena_strdup(c->a, sub);
  return RP_OK;
}

/* Verifies id_token with the provider's keys, fetching them again once
 * when it names a key the cached set lacks. */
static rp_rc verify_token(app_ctx *c, const store_oidc_provider *p, const oidc_meta *m,
                          const char *id_token, json_t **claims, rp_err *e) {
  json_t *jwks = NULL;
  rp_rc rc = oidc_jwks(c, p, m, false, &jwks, e);
  if (rc) return rc;
  bool unknown = false;
  rp_err first = {0};
  rc = jose_verify(id_token, jwks, claims, &unknown, &first);
  json_decref(jwks);
  if (rc && unknown) {
    rc = oidc_jwks(c, p, m, true, &jwks, e);
    if (rc) return rc;
    rc = jose_verify(id_token, jwks, claims, &unknown, e);
    json_decref(jwks);
    return rc;
  }
  if (rc) *e = first;
  return rc;
}

/* Signs in the person of a verified identity, linking it first when the
 * account has no password; or makes a pending link. */
static rp_rc sign_in_identity(app_ctx *c, const store_oidc_provider *p, const char *email,
                              const char *subject, const char *key, const char *address,
                              const char *prior_token, const app_device *dev,
                              app_sso_result *out, rp_err *e) {
  person who;
  const char *pw_hash = NULL;
  int64_t linked = 0;
  char link[TOKEN_BUFSZ];
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_oidc_identity_find(c->st, p->id, subject, &linked, e);
  if (!rc) {
    rc = store_person_get(c->st, linked, c->a, &who, e);
  } else if (rc == RP_ERR_NOT_FOUND) {
    rp_err local = {0};
    rc = store_person_by_email(c->st, email, c->a, &who, &pw_hash, &local);
    if (rc == RP_ERR_NOT_FOUND)
      rc = refuse(e, "sso_no_account",
                  "No account uses this address; ask your program's administrator to enrol you.");
    else if (rc)
      rc = rp_fail(e, rc, local.code, "%s", local.detail);
    else if (!pw_hash)
      rc = store_oidc_identity_insert(c->st, p->id, subject, who.id, c->now, e);
    else { /* the account's password, once */
      unsigned char h[TOKEN_HASH_LEN];
      token_new(link);
      token_hash(keys_sub(c->env->keys, KEYS_SESSION), link, h);
      rc = store_oidc_pending_insert(c->st, h, p->id, subject, who.id, c->now, e);
    }
  }
  rc = app_finish(c, rc, e);
  if (rc) return rc;
  out->email = email;
  if (pw_hash) {
    out->link_token = arena_strdup(c->a, link);
    log_info("security event=sso_link_pending person=%lld address=%s", (long long)who.id,
             address);
    return RP_OK;
  }
  out->signed_in = true;
  return app_sign_in_as(c, &who, key, address, prior_token, dev, "sso", &out->session, e);
}

rp_rc app_sso_callback(app_ctx *c, const char *code, const char *state, const char *cookie_state,
                       const char *address, const char *prior_token, const app_device *dev,
                       app_sso_result *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  if (!address) address = "unknown";
  if (!state || !token_well_formed(state) || !cookie_state || !token_well_formed(cookie_state) ||
      !token_equal(state, cookie_state)) {
    app_sign_in_failed(c, "sso_state", address);
    return refuse(e, "sso_state",
                  "This sign-in was not begun in this browser, or has been used; start again.");
  }
  unsigned char h[TOKEN_HASH_LEN];
  state_hash(c, state, h);
  char tag[17];
  sodium_bin2hex(tag, sizeof tag, h, 8);
  const char *key = arena_printf(c->a, "sso:%s", tag);
  rp_rc rc = app_login_throttle(c, key, address, e);
  if (rc) return rc;
  int64_t provider_id = 0;
  const char *nonce = NULL, *verifier = NULL;
  rp_time began = 0;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_oidc_flow_take(c->st, h, c->a, &provider_id, &nonce, &verifier, &began, e);
  if (rc == RP_ERR_NOT_FOUND)
    rc = refuse(e, "sso_state", "This sign-in is unknown or has been used; start again.");
  rc = app_finish(c, rc, e);
  if (!rc && (began > c->now || c->now - began > FLOW_VALID_S))
    rc = refuse(e, "sso_expired", "This sign-in took too long; start again.");
  store_oidc_provider p;
  oidc_meta m;
  const char *id_token = NULL, *email = NULL, *subject = NULL;
  json_t *claims = NULL;
  if (!rc && (!code || !*code || strlen(code) > 2048))
    rc = refuse(e, "sso_code_refused", "The provider sent no sign-in code.");
  if (!rc) rc = load_provider(c, provider_id, &p, e);
  if (!rc) rc = oidc_discover(c, &p, &m, e);
  if (!rc) rc = oidc_redeem(c, &p, &m, code, verifier, &id_token, e);
  if (!rc) rc = verify_token(c, &p, &m, id_token, &claims, e);
  if (!rc) rc = check_claims(c, &p, claims, nonce, &email, &subject, e);
  json_decref(claims);
  if (!rc) rc = sign_in_identity(c, &p, email, subject, key, address, prior_token, dev, out, e);
  if (rc) app_sign_in_failed(c, e->code, address);
  return rc;
}

rp_rc app_sso_link(app_ctx *c, const char *link_token, const char *password, const char *address,
                   const char *prior_token, const app_device *dev, app_session *out,
                   rp_err *e) {
  if (!link_token || !token_well_formed(link_token))
    return refuse(e, "sso_link_unknown", "This link is unknown or has been used; sign in again.");
  unsigned char h[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), link_token, h);
  int64_t provider_id = 0, person_id = 0;
  const char *subject = NULL;
  rp_time began = 0;
  person who;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_oidc_pending_get(c->st, h, &person_id, &began, e);
  if (!rc) rc = store_person_get(c->st, person_id, c->a, &who, e);
  store_rollback(c->st); /* only looked: taken below, once the password is right */
  if (rc == RP_ERR_NOT_FOUND || (!rc && (began > c->now || c->now - began > FLOW_VALID_S)))
    return refuse(e, "sso_link_unknown", "This link is unknown or has expired; sign in again.");
  if (rc) return rc;
  rc = app_login(c, who.email, password, address, prior_token, dev, out, e);
  if (rc) return rc;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_oidc_pending_take(c->st, h, c->a, &provider_id, &subject, &person_id, &began, e);
  if (!rc) rc = store_oidc_identity_insert(c->st, provider_id, subject, person_id, c->now, e);
  if (rc == RP_ERR_NOT_FOUND) rc = refuse(e, "sso_link_unknown", "This link has been used.");
  rc = app_finish(c, rc, e);
  if (rc) {
    rp_err ignored = {0};
    app_logout(c, out->token, &ignored);
    return rc;
  }
  log_info("security event=sso_linked person=%lld provider=%lld", (long long)person_id,
           (long long)provider_id);
  return RP_OK;
}

rp_rc app_sso_only_set(app_ctx *c, bool on, rp_err *e) {
  rp_rc rc = app_require_confirmed(c, e);
  if (rc) return rc;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  int64_t n = 0;
  if (on) rc = store_oidc_identities_of(c->st, c->actor, &n, e);
  if (!rc && on && n == 0)
    rc = rp_fail(e, RP_ERR_CONFLICT, "sso_not_linked",
                 "Sign in once through single sign-on before giving up the password.");
  if (!rc) rc = store_person_set_sso_only(c->st, c->actor, on, e);
  return app_finish(c, rc, e);
}

rp_rc app_sso_sweep(app_ctx *c, rp_err *e) {
  return store_oidc_prune(c->st, c->now - FLOW_VALID_S, e);
}
