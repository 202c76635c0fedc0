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
 *
 * Re-check: a signed-in person linked to a provider may confirm their
 * session there instead of typing a password (app_sso_recheck_begin). The
 * flow keeps the keyed hash of the session that began it; the
 * authorization request asks the provider to authenticate the person
 * again (prompt=login, max_age=0). Its callback is taken only with that
 * same session, verifies the ID token in full as a sign-in does, then
 * wants an auth_time no earlier than the flow's start (RECHECK_SKEW_S of
 * leeway for the clocks) and the identity linked to the session's
 * person; it then confirms the session as a right password does
 * (app_session_confirmed_by), and signs no one in.
 *
 * Signing out: a session signed in through a provider keeps which one and
 * its ID token, sealed with the server's own key (oidc_sessions). Signing
 * out ends the session first, whatever happens next; then, when the
 * provider's discovery document names an end_session_endpoint, the
 * answer is the provider's logout URL (RP-initiated logout: id_token_hint,
 * client_id, post_logout_redirect_uri = Rapport's sign-in page, state).
 *
 * A confidential client's secret is sealed with the server's own key
 * (SEAL_OIDC_SECRET, relationship 0) and opened only to redeem a code.
 */
#include "app/org/oidc_net.h"
#include "base/log.h"
#include "crypto/jose.h"
#include "crypto/token.h"
#include "store/accounts.h"
#include "store/keyring.h"

#include <sodium.h>
#include <string.h>

#define FLOW_VALID_S 600
#define CLOCK_SKEW_S 60
#define RECHECK_SKEW_S 5
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
  out->redirect_uri = in->redirect_uri;
  out->domains = domains;
  out->created_at = c->now;
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_oidc_provider_insert(c->st, out, e);
  if (!rc && in->client_secret && *in->client_secret) {
    seal_ad ad = {SEAL_OIDC_SECRET, 0, out->id, 0, false};
    rc = app_seal_row(c, &ad, in->client_secret, strlen(in->client_secret),
                      &out->client_secret_ct, e);
  }
  return app_finish(c, rc, e);
}

rp_rc app_sso_seal_secrets(app_ctx *c, int *sealed, rp_err *e) {
  *sealed = 0;
  int64_t *ids = NULL;
  const char **secrets = NULL;
  size_t n = 0;
  /* Usually there is none: a read finds that without the write lock. */
  rp_rc rc = store_begin_read(c->st, e);
  if (!rc) rc = store_oidc_plain_secrets(c->st, c->a, &ids, &secrets, &n, e);
  store_rollback(c->st);
  if (rc || n == 0) return rc;
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_oidc_plain_secrets(c->st, c->a, &ids, &secrets, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    seal_ad ad = {SEAL_OIDC_SECRET, 0, ids[i], 0, false};
    if (*secrets[i]) rc = app_seal_row(c, &ad, secrets[i], strlen(secrets[i]), NULL, e);
    if (!rc) rc = store_oidc_plain_secret_clear(c->st, ids[i], e);
    sodium_memzero((void *)(uintptr_t)secrets[i], strlen(secrets[i]));
    if (!rc) (*sealed)++;
  }
  rc = app_finish(c, rc, e);
  /* The plain secrets leave the write-ahead log too (secure_delete wipes
   * them from the database's pages), as shredded text does. */
  rp_err ce = {0};
  if (!rc && *sealed && store_checkpoint_truncate(c->st, &ce))
    log_warn("sso: the WAL checkpoint after sealing the client secrets failed: %s", ce.detail);
  return rc;
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

/* The provider's client secret opened (in the arena), NULL for a public
 * client: for the token endpoint only, never shown to anyone. */
static rp_rc open_secret(app_ctx *c, const store_oidc_provider *p, const char **secret,
                         rp_err *e) {
  *secret = NULL;
  if (!p->client_secret_ct.len) return RP_OK;
  seal_ad ad = {SEAL_OIDC_SECRET, 0, p->id, 0, false};
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = app_open_for_server(c, &ad, p->client_secret_ct, secret, e);
  store_rollback(c->st);
  app_crypt_forget(c);
  return rc;
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

/* A flow with provider p: for a sign-in (session_hash NULL) or a re-check
 * of the session of session_hash, which asks the provider to
 * authenticate the person again. */
static rp_rc begin_flow(app_ctx *c, const store_oidc_provider *p,
                        const unsigned char *session_hash, const char *back, const char **url,
                        const char **state, rp_err *e) {
  oidc_meta m;
  rp_rc rc = oidc_discover(c, p, &m, e);
  if (rc) return rc;
  char st[TOKEN_BUFSZ], nonce[TOKEN_BUFSZ], verifier[TOKEN_BUFSZ];
  token_new(st);
  token_new(nonce);
  token_new(verifier);
  unsigned char h[TOKEN_HASH_LEN];
  state_hash(c, st, h);
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_oidc_flow_insert(c->st, h, p->id, nonce, verifier, session_hash, back, c->now, e);
  rc = app_finish(c, rc, e);
  if (rc) return rc;
  *state = arena_strdup(c->a, st);
  *url = arena_printf(c->a,
                      "%s%cresponse_type=code&client_id=%s&redirect_uri=%s"
                      "&scope=openid%%20email%%20profile&state=%s&nonce=%s"
                      "&code_challenge=%s&code_challenge_method=S256%s",
                      m.authorization_endpoint, strchr(m.authorization_endpoint, '?') ? '&' : '?',
                      oidc_escape(c->a, p->client_id), oidc_escape(c->a, p->redirect_uri), st,
                      nonce, challenge_of(c->a, verifier),
                      session_hash ? "&prompt=login&max_age=0" : "");
  return RP_OK;
}

rp_rc app_sso_begin(app_ctx *c, int64_t provider_id, const char **url, const char **state,
                    rp_err *e) {
  store_oidc_provider p;
  rp_rc rc = load_provider(c, provider_id, &p, e);
  return rc ? rc : begin_flow(c, &p, NULL, NULL, url, state, e);
}

/* Whether the actor is linked to provider_id (a read of its own). */
static rp_rc actor_linked(app_ctx *c, int64_t provider_id, bool *linked, rp_err *e) {
  store_oidc_link *links = NULL;
  size_t n = 0;
  *linked = false;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_oidc_links_of(c->st, c->actor, c->a, &links, &n, e);
  store_rollback(c->st);
  for (size_t i = 0; i < n && !rc; i++)
    if (links[i].provider_id == provider_id) *linked = true;
  return rc;
}

/* A page of the web client to return to: "/..." of printable ASCII, at
 * most 200 characters, never "//" (another site) or a backslash. */
static bool back_valid(const char *b) {
  size_t n = strlen(b);
  if (n == 0 || n > 200 || b[0] != '/' || strstr(b, "//")) return false;
  for (const char *p = b; *p; p++)
    if (*p <= ' ' || *p > '~' || *p == '\\') return false;
  return true;
}

rp_rc app_sso_recheck_begin(app_ctx *c, int64_t provider_id, const char *back, const char **url,
                            const char **state, rp_err *e) {
  if (!c->token || !c->actor) return rp_fail(e, RP_ERR_AUTH, "no_session", "Sign in first.");
  if (back && !back_valid(back)) {
    rp_field(e, "/back", "Give a page of Rapport's web client, such as \"/me\".");
    return e->rc;
  }
  store_oidc_provider p;
  bool linked = false;
  rp_rc rc = load_provider(c, provider_id, &p, e);
  if (!rc) rc = actor_linked(c, provider_id, &linked, e);
  if (rc) return rc;
  /* A provider not linked to the actor is none of theirs: 404, as for
   * every object not theirs to use. */
  if (!linked)
    return rp_fail(e, RP_ERR_NOT_FOUND, "not_found",
                   "Your account is linked to no such sign-in provider: confirm with your "
                   "password, or sign in through the provider once to link it.");
  unsigned char h[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), c->token, h);
  return begin_flow(c, &p, h, back, url, state, e);
}

rp_rc app_sso_me(app_ctx *c, app_sso_me_info *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  person who;
  const char *pw_hash = NULL;
  rp_rc rc = app_actor_password(c, &who, &pw_hash, e);
  if (rc) return rc;
  out->password = pw_hash != NULL;
  rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_person_sso_only(c->st, c->actor, &out->sso_only, e);
  if (!rc) rc = store_oidc_links_of(c->st, c->actor, c->a, &out->links, &out->nlinks, e);
  store_rollback(c->st);
  /* One item per provider (its first link): the ways to re-check. */
  size_t kept = 0;
  for (size_t i = 0; i < out->nlinks && !rc; i++)
    if (!kept || out->links[kept - 1].provider_id != out->links[i].provider_id)
      out->links[kept++] = out->links[i];
  out->nlinks = kept;
  return rc;
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

/* Records that the session of token was opened through provider p, with
 * the ID token it gave (NULL: none), sealed, for the provider's logout. A
 * failure is logged and ends nothing: the session stands, and signing out
 * then stays within Rapport. */
static void remember_session(app_ctx *c, const store_oidc_provider *p, const char *token,
                             const char *id_token) {
  unsigned char h[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, h);
  int64_t session_id = 0;
  rp_err e = {0};
  rp_rc rc = store_begin_write(c->st, &e);
  if (rc) goto out;
  rc = store_oidc_session_put(c->st, h, p->id, &session_id, &e);
  if (!rc && id_token) {
    seal_ad ad = {SEAL_OIDC_ID_TOKEN, 0, session_id, 0, false};
    rc = app_seal_row(c, &ad, id_token, strlen(id_token), NULL, &e);
  }
  rc = app_finish(c, rc, &e);
out:
  if (rc) log_warn("sso: the session's provider is not recorded (%s); signing out will not "
                   "reach the provider", e.detail);
}

/* Signs in the person of a verified identity, linking it first when the
 * account has no password; or makes a pending link. */
static rp_rc sign_in_identity(app_ctx *c, const store_oidc_provider *p, const char *email,
                              const char *subject, const char *id_token, const char *key,
                              const char *address, const char *prior_token,
                              const app_device *dev, app_sso_result *out, rp_err *e) {
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
  rc = app_sign_in_as(c, &who, key, address, prior_token, dev, "sso", &out->session, e);
  if (!rc) remember_session(c, p, out->session.token, id_token);
  return rc;
}

/* The re-check's own tests, once the token is verified: the session that
 * began it presents the callback and is live, the person authenticated at
 * the provider after the re-check began, as the person of that session. */
static rp_rc recheck_identity(app_ctx *c, const store_oidc_provider *p,
                              const store_oidc_flow *flow, json_t *claims, const char *subject,
                              const char *key, app_sso_result *out, rp_err *e) {
  rp_time auth_time = 0;
  if (!claim_time(claims, "auth_time", &auth_time))
    return refuse(e, "sso_recheck_stale",
                  "The provider did not say when you signed in there; it did not re-check you.");
  if (auth_time < flow->created_at - RECHECK_SKEW_S || auth_time > c->now + CLOCK_SKEW_S)
    return refuse(e, "sso_recheck_stale",
                  "The provider did not ask you to sign in again just now; start again.");
  int64_t linked = 0;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = store_oidc_identity_find(c->st, p->id, subject, &linked, e);
  store_rollback(c->st);
  if (rc == RP_ERR_NOT_FOUND || (!rc && linked != c->actor))
    return refuse(e, "sso_recheck_other_account",
                  "The provider signed in someone other than the person of this session; sign "
                  "in there as yourself.");
  if (rc) return rc;
  rc = app_session_confirmed_by(c, key, &out->confirmed_until, e);
  if (rc) return rc;
  out->rechecked = true;
  out->back = flow->back;
  log_info("security event=session_confirmed via=sso person=%lld provider=%lld",
           (long long)c->actor, (long long)p->id);
  return RP_OK;
}

/* A re-check's callback comes with the session that began it, still live. */
static rp_rc recheck_session(app_ctx *c, const store_oidc_flow *flow, const char *token,
                             rp_err *e) {
  unsigned char h[TOKEN_HASH_LEN];
  bool touch = false;
  rp_err local = {0};
  if (token && token_well_formed(token))
    token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, h);
  if (!token || !token_well_formed(token) || sodium_memcmp(h, flow->session_hash, sizeof h) != 0 ||
      app_authenticate(c, token, &touch, &local))
    return refuse(e, "sso_recheck_session",
                  "This re-check was begun by another session, or that session has ended; "
                  "sign in and start again.");
  return RP_OK;
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
  store_oidc_flow flow = {0};
  rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = store_oidc_flow_take(c->st, h, c->a, &flow, e);
  if (rc == RP_ERR_NOT_FOUND)
    rc = refuse(e, "sso_state", "This sign-in is unknown or has been used; start again.");
  rc = app_finish(c, rc, e);
  if (!rc && (flow.created_at > c->now || c->now - flow.created_at > FLOW_VALID_S))
    rc = refuse(e, "sso_expired", "This sign-in took too long; start again.");
  if (!rc && flow.recheck) rc = recheck_session(c, &flow, prior_token, e);
  store_oidc_provider p;
  oidc_meta m;
  const char *id_token = NULL, *email = NULL, *subject = NULL, *secret = NULL;
  json_t *claims = NULL;
  if (!rc && (!code || !*code || strlen(code) > 2048))
    rc = refuse(e, "sso_code_refused", "The provider sent no sign-in code.");
  if (!rc) rc = load_provider(c, flow.provider_id, &p, e);
  if (!rc) rc = oidc_discover(c, &p, &m, e);
  if (!rc) rc = open_secret(c, &p, &secret, e);
  if (!rc) rc = oidc_redeem(c, &p, &m, code, flow.verifier, secret, &id_token, e);
  if (!rc) rc = verify_token(c, &p, &m, id_token, &claims, e);
  if (!rc) rc = check_claims(c, &p, claims, flow.nonce, &email, &subject, e);
  if (!rc && flow.recheck) rc = recheck_identity(c, &p, &flow, claims, subject, key, out, e);
  json_decref(claims);
  if (!rc && !flow.recheck)
    rc = sign_in_identity(c, &p, email, subject, id_token, key, address, prior_token, dev, out,
                          e);
  if (rc && flow.recheck)
    log_warn("security event=session_confirm outcome=failure via=sso reason=%s address=%s",
             e->code, address);
  else if (rc)
    app_sign_in_failed(c, e->code, address);
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
  /* Signed in through the provider too: signing out reaches it (by client_id). */
  store_oidc_provider p = {.id = provider_id};
  remember_session(c, &p, out->token, NULL);
  return RP_OK;
}

/* ---- signing out ---- */

/* Where the provider sends the browser once it signed the person out:
 * Rapport's sign-in page, beside the redirect URI (".../sso/callback"). */
static const char *post_logout_uri(arena *a, const char *redirect_uri) {
  static const char tail[] = "/sso/callback";
  size_t n = strlen(redirect_uri), t = sizeof tail - 1;
  if (n > t && strcmp(redirect_uri + n - t, tail) == 0)
    return arena_printf(a, "%.*s/signin", (int)(n - t), redirect_uri);
  const char *host = strstr(redirect_uri, "://");
  const char *path = host ? strchr(host + 3, '/') : NULL;
  return path ? arena_printf(a, "%.*s/signin", (int)(path - redirect_uri), redirect_uri)
              : arena_printf(a, "%s/signin", redirect_uri);
}

rp_rc app_sso_sign_out(app_ctx *c, const char *token, const char **logout_url, rp_err *e) {
  *logout_url = NULL;
  unsigned char h[TOKEN_HASH_LEN];
  token_hash(keys_sub(c->env->keys, KEYS_SESSION), token, h);
  int64_t session_id = 0, provider_id = 0;
  rp_blob ct = {0};
  const char *id_token = NULL;
  store_oidc_provider p;
  rp_err local = {0};
  /* What the session knows of its provider, read before it ends. */
  bool via_sso = false;
  if (!store_begin_read(c->st, &local)) {
    via_sso = !store_oidc_session_get(c->st, h, c->a, &session_id, &provider_id, &ct, &local) &&
              !store_oidc_provider_get(c->st, provider_id, c->a, &p, &local);
    seal_ad ad = {SEAL_OIDC_ID_TOKEN, 0, session_id, 0, false};
    if (via_sso && ct.len && app_open_for_server(c, &ad, ct, &id_token, &local)) id_token = NULL;
    store_rollback(c->st);
    app_crypt_forget(c);
  }
  /* Rapport's session ends whatever the provider's part does. */
  rp_rc rc = app_logout(c, token, e);
  if (rc || !via_sso) return rc;
  oidc_meta m;
  if (oidc_discover(c, &p, &m, &local) || !m.end_session_endpoint) return RP_OK;
  char state[TOKEN_BUFSZ];
  token_new(state);
  *logout_url = arena_printf(
      c->a, "%s%cclient_id=%s&post_logout_redirect_uri=%s&state=%s%s%s", m.end_session_endpoint,
      strchr(m.end_session_endpoint, '?') ? '&' : '?', oidc_escape(c->a, p.client_id),
      oidc_escape(c->a, post_logout_uri(c->a, p.redirect_uri)), state,
      id_token ? "&id_token_hint=" : "", id_token ? oidc_escape(c->a, id_token) : "");
  log_info("security event=sso_sign_out person=%lld provider=%lld", (long long)c->actor,
           (long long)p.id);
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
