/* oidc_net.c: HTTP to OpenID providers with libcurl (oidc_net.h).
 *
 * Answers are read into a capped buffer (OIDC_BODY_MAX); redirects are
 * not followed; only http and https are spoken, with connect and total
 * timeouts, so an unreachable provider costs a sign-in at most
 * OIDC_TIMEOUT_S seconds. The cache is one small table under a mutex,
 * keyed by provider id and issuer.
 */
#include "app/org/oidc_net.h"
#include "base/log.h"
#include "base/strbuf.h"

/* curl's type-checking macros do not build under -std=c11 -Wpedantic -Werror. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <pthread.h>
#include <string.h>

#define OIDC_BODY_MAX (256 * 1024)
#define OIDC_TIMEOUT_S 10L
#define OIDC_CONNECT_TIMEOUT_S 5L
#define OIDC_CACHE_SLOTS 16

typedef struct cache_slot {
  int64_t provider_id;
  char *issuer;
  json_t *meta, *jwks; /* owned */
  rp_time meta_at, jwks_at;
} cache_slot;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static cache_slot g_cache[OIDC_CACHE_SLOTS];
static pthread_once_t g_curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

bool oidc_url_acceptable(const char *url) {
  if (!url) return false;
  if (strncmp(url, "https://", 8) == 0) return url[8] != '\0';
  static const char *const loopback[] = {"http://127.0.0.1:", "http://127.0.0.1/",
                                         "http://localhost:", "http://localhost/",
                                         "http://[::1]:", "http://[::1]/"};
  for (size_t i = 0; i < sizeof loopback / sizeof loopback[0]; i++)
    if (strncmp(url, loopback[i], strlen(loopback[i])) == 0) return true;
  return false;
}

const char *oidc_escape(arena *a, const char *s) {
  pthread_once(&g_curl_once, curl_start);
  char *x = curl_easy_escape(NULL, s, 0);
  if (!x) return "";
  char *out = arena_strdup(a, x);
  curl_free(x);
  return out;
}

static size_t on_data(char *p, size_t size, size_t n, void *arg) {
  strbuf *b = arg;
  return sb_append(b, p, size * n) < 0 ? 0 : size * n;
}

static rp_rc unreachable(rp_err *e, const char *what, const char *why) {
  log_warn("sso: %s: %s", what, why);
  return rp_fail(e, RP_ERR_UNAVAILABLE, "sso_provider_unreachable",
                 "The sign-in provider could not be reached or answered wrongly (%s); try again "
                 "later.",
                 what);
}

/* GETs url, or POSTs form when it is not NULL; *status and the body
 * (parsed JSON object, a new reference). */
static rp_rc fetch(const char *url, const char *form, long *status, json_t **out,
                   const char *what, rp_err *e) {
  *out = NULL;
  if (!oidc_url_acceptable(url)) return unreachable(e, what, "not an https URL");
  pthread_once(&g_curl_once, curl_start);
  CURL *h = curl_easy_init();
  if (!h) return unreachable(e, what, "curl_easy_init failed");
  strbuf b;
  sb_init(&b, OIDC_BODY_MAX);
  struct curl_slist *hdr = curl_slist_append(NULL, "Accept: application/json");
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, OIDC_TIMEOUT_S);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, OIDC_CONNECT_TIMEOUT_S);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
  if (form) curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
  CURLcode cc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
  curl_slist_free_all(hdr);
  curl_easy_cleanup(h);
  rp_rc rc = RP_OK;
  if (cc != CURLE_OK) {
    rc = unreachable(e, what, curl_easy_strerror(cc));
  } else {
    *out = b.data ? json_loadb(b.data, b.len, 0, NULL) : NULL;
    if (!json_is_object(*out)) {
      json_decref(*out);
      *out = NULL;
      rc = unreachable(e, what, "the answer is not a JSON object");
    }
  }
  sb_free(&b);
  return rc;
}

static cache_slot *slot_of(const store_oidc_provider *p) {
  cache_slot *free_slot = NULL, *oldest = &g_cache[0];
  for (int i = 0; i < OIDC_CACHE_SLOTS; i++) {
    cache_slot *s = &g_cache[i];
    if (s->issuer && s->provider_id == p->id && strcmp(s->issuer, p->issuer) == 0) return s;
    if (!s->issuer && !free_slot) free_slot = s;
    if (s->meta_at < oldest->meta_at) oldest = s;
  }
  cache_slot *s = free_slot ? free_slot : oldest;
  free(s->issuer);
  json_decref(s->meta);
  json_decref(s->jwks);
  memset(s, 0, sizeof *s);
  s->provider_id = p->id;
  s->issuer = rp_xstrdup(p->issuer);
  return s;
}

static const char *member(arena *a, json_t *o, const char *name) {
  const char *s = json_string_value(json_object_get(o, name));
  return s ? arena_strdup(a, s) : NULL;
}

rp_rc oidc_discover(app_ctx *c, const store_oidc_provider *p, oidc_meta *out, rp_err *e) {
  json_t *meta = NULL;
  pthread_mutex_lock(&g_mu);
  cache_slot *s = slot_of(p);
  if (s->meta && c->now >= s->meta_at && c->now - s->meta_at < OIDC_CACHE_S)
    meta = json_incref(s->meta);
  pthread_mutex_unlock(&g_mu);
  if (!meta) {
    const char *url = arena_printf(c->a, "%s%s.well-known/openid-configuration", p->issuer,
                                   p->issuer[strlen(p->issuer) - 1] == '/' ? "" : "/");
    long status = 0;
    rp_rc rc = fetch(url, NULL, &status, &meta, "discovery", e);
    if (rc) return rc;
    const char *iss = json_string_value(json_object_get(meta, "issuer"));
    if (status != 200 || !iss || strcmp(iss, p->issuer) != 0) {
      json_decref(meta);
      return unreachable(e, "discovery", "status or issuer not as configured");
    }
    pthread_mutex_lock(&g_mu);
    s = slot_of(p);
    json_decref(s->meta);
    s->meta = json_incref(meta);
    s->meta_at = c->now;
    pthread_mutex_unlock(&g_mu);
  }
  out->authorization_endpoint = member(c->a, meta, "authorization_endpoint");
  out->token_endpoint = member(c->a, meta, "token_endpoint");
  out->jwks_uri = member(c->a, meta, "jwks_uri");
  out->end_session_endpoint = member(c->a, meta, "end_session_endpoint");
  if (!oidc_url_acceptable(out->end_session_endpoint)) out->end_session_endpoint = NULL;
  json_decref(meta);
  if (!oidc_url_acceptable(out->authorization_endpoint) ||
      !oidc_url_acceptable(out->token_endpoint) || !oidc_url_acceptable(out->jwks_uri))
    return unreachable(e, "discovery", "endpoints missing or not https");
  return RP_OK;
}

rp_rc oidc_jwks(app_ctx *c, const store_oidc_provider *p, const oidc_meta *m, bool fresh,
                json_t **out, rp_err *e) {
  *out = NULL;
  pthread_mutex_lock(&g_mu);
  cache_slot *s = slot_of(p);
  if (!fresh && s->jwks && c->now >= s->jwks_at && c->now - s->jwks_at < OIDC_CACHE_S)
    *out = json_incref(s->jwks);
  pthread_mutex_unlock(&g_mu);
  if (*out) return RP_OK;
  long status = 0;
  json_t *jwks = NULL;
  rp_rc rc = fetch(m->jwks_uri, NULL, &status, &jwks, "key set", e);
  if (rc) return rc;
  if (status != 200 || !json_is_array(json_object_get(jwks, "keys"))) {
    json_decref(jwks);
    return unreachable(e, "key set", "status or keys not as expected");
  }
  pthread_mutex_lock(&g_mu);
  s = slot_of(p);
  json_decref(s->jwks);
  s->jwks = json_incref(jwks);
  s->jwks_at = c->now;
  pthread_mutex_unlock(&g_mu);
  *out = jwks;
  return RP_OK;
}

rp_rc oidc_redeem(app_ctx *c, const store_oidc_provider *p, const oidc_meta *m, const char *code,
                  const char *verifier, const char *secret, const char **id_token, rp_err *e) {
  const char *form = arena_printf(
      c->a, "grant_type=authorization_code&code=%s&redirect_uri=%s&client_id=%s&code_verifier=%s",
      oidc_escape(c->a, code), oidc_escape(c->a, p->redirect_uri), oidc_escape(c->a, p->client_id),
      oidc_escape(c->a, verifier));
  if (secret) form = arena_printf(c->a, "%s&client_secret=%s", form, oidc_escape(c->a, secret));
  long status = 0;
  json_t *body = NULL;
  rp_rc rc = fetch(m->token_endpoint, form, &status, &body, "token endpoint", e);
  if (rc) return rc;
  const char *tok = json_string_value(json_object_get(body, "id_token"));
  if (status == 400 || status == 401) {
    const char *err = json_string_value(json_object_get(body, "error"));
    log_warn("sso: the token endpoint refused the code: %s", err ? err : "?");
    json_decref(body);
    return rp_fail(e, RP_ERR_AUTH, "sso_code_refused",
                   "The provider refused the sign-in code (it was used already or has "
                   "expired); start again.");
  }
  if (status != 200 || !tok) {
    json_decref(body);
    return unreachable(e, "token endpoint", "no ID token in the answer");
  }
  *id_token = arena_strdup(c->a, tok);
  json_decref(body);
  return RP_OK;
}
