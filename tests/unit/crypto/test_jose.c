/* test_jose.c: JWS verification against a JWK set (crypto/jose.h). The
 * tokens are signed here with OpenSSL's EVP (keys made for the test), the
 * way a provider would sign them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "crypto/jose.h"

static char *b64(const unsigned char *p, size_t n) {
  size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *s = malloc(cap);
  return sodium_bin2base64(s, cap, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static char *b64_bn(const EVP_PKEY *k, const char *param, int pad) {
  BIGNUM *bn = NULL;
  assert_int_equal(EVP_PKEY_get_bn_param(k, param, &bn), 1);
  unsigned char buf[512];
  int n = pad ? BN_bn2binpad(bn, buf, pad) : BN_bn2bin(bn, buf);
  BN_free(bn);
  return b64(buf, (size_t)n);
}

/* {"kty": "RSA"|"EC", "kid": kid, ...public numbers} */
static json_t *jwk_of(EVP_PKEY *k, const char *kid) {
  if (EVP_PKEY_is_a(k, "RSA")) {
    char *n = b64_bn(k, OSSL_PKEY_PARAM_RSA_N, 0), *e = b64_bn(k, OSSL_PKEY_PARAM_RSA_E, 0);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "RSA", "kid", kid, "use", "sig", "n",
                          n, "e", e);
    free(n);
    free(e);
    return j;
  }
  char *x = b64_bn(k, OSSL_PKEY_PARAM_EC_PUB_X, 32), *y = b64_bn(k, OSSL_PKEY_PARAM_EC_PUB_Y, 32);
  json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "kid", kid, "crv", "P-256", "x",
                        x, "y", y);
  free(x);
  free(y);
  return j;
}

/* header.payload.signature signed by k (ES256 turned from DER into r||s). */
static char *sign(EVP_PKEY *k, const char *header, const char *payload) {
  char *h = b64((const unsigned char *)header, strlen(header));
  char *p = b64((const unsigned char *)payload, strlen(payload));
  char input[4096];
  snprintf(input, sizeof input, "%s.%s", h, p);
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  size_t len = 0;
  assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k), 1);
  assert_int_equal(EVP_DigestSign(md, NULL, &len, (unsigned char *)input, strlen(input)), 1);
  unsigned char sig[1024];
  assert_int_equal(EVP_DigestSign(md, sig, &len, (unsigned char *)input, strlen(input)), 1);
  EVP_MD_CTX_free(md);
  unsigned char raw[64];
  const unsigned char *der = sig;
  if (EVP_PKEY_is_a(k, "EC")) {
    ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &der, (long)len);
    BN_bn2binpad(ECDSA_SIG_get0_r(s), raw, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(s), raw + 32, 32);
    ECDSA_SIG_free(s);
    memcpy(sig, raw, 64);
    len = 64;
  }
  char *sg = b64(sig, len);
  size_t cap = strlen(input) + strlen(sg) + 2;
  char *out = malloc(cap);
  snprintf(out, cap, "%s.%s", input, sg);
  free(h);
  free(p);
  free(sg);
  return out;
}

static EVP_PKEY *g_rsa, *g_ec, *g_other;
static json_t *g_jwks;

static int setup(void **state) {
  (void)state;
  g_rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
  g_other = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
  g_ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
  g_jwks = json_pack("{s:[o, o]}", "keys", jwk_of(g_rsa, "r1"), jwk_of(g_ec, "e1"));
  return g_rsa && g_ec && g_other && g_jwks ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  EVP_PKEY_free(g_rsa);
  EVP_PKEY_free(g_other);
  EVP_PKEY_free(g_ec);
  json_decref(g_jwks);
  return 0;
}

static const char *PAYLOAD = "{\"iss\":\"https://idp.test\",\"sub\":\"u1\",\"nonce\":\"n\"}";

static rp_rc verify(const char *tok, json_t **claims, bool *unknown, rp_err *e) {
  memset(e, 0, sizeof *e);
  return jose_verify(tok, g_jwks, claims, unknown, e);
}

static void rs256_and_es256_verify_and_give_the_claims(void **state) {
  (void)state;
  const char *heads[] = {"{\"alg\":\"RS256\",\"kid\":\"r1\"}", "{\"alg\":\"ES256\",\"kid\":\"e1\"}",
                         "{\"alg\":\"RS256\"}"};
  EVP_PKEY *keys[] = {g_rsa, g_ec, g_rsa};
  for (int i = 0; i < 3; i++) {
    char *tok = sign(keys[i], heads[i], PAYLOAD);
    json_t *claims = NULL;
    bool unknown = true;
    rp_err e;
    assert_int_equal(verify(tok, &claims, &unknown, &e), RP_OK);
    assert_false(unknown);
    assert_string_equal(json_string_value(json_object_get(claims, "sub")), "u1");
    json_decref(claims);
    free(tok);
  }
}

static void a_stranger_key_or_a_changed_payload_is_refused(void **state) {
  (void)state;
  json_t *claims = NULL;
  bool unknown = false;
  rp_err e;
  char *tok = sign(g_other, "{\"alg\":\"RS256\",\"kid\":\"r1\"}", PAYLOAD);
  assert_int_equal(verify(tok, &claims, &unknown, &e), RP_ERR_AUTH);
  assert_string_equal(e.code, "sso_signature_invalid");
  assert_false(unknown);
  assert_null(claims);
  free(tok);
  tok = sign(g_rsa, "{\"alg\":\"RS256\",\"kid\":\"r1\"}", PAYLOAD);
  char *dot = strchr(tok, '.') + 1;
  dot[3] = dot[3] == 'A' ? 'B' : 'A'; /* one character of the payload */
  assert_int_equal(verify(tok, &claims, &unknown, &e), RP_ERR_AUTH);
  assert_string_equal(e.code, "sso_signature_invalid");
  free(tok);
  /* an ES256 token checked against the RSA key's kid: no key of its type */
  tok = sign(g_ec, "{\"alg\":\"ES256\",\"kid\":\"r1\"}", PAYLOAD);
  assert_int_equal(verify(tok, &claims, &unknown, &e), RP_ERR_AUTH);
  assert_string_equal(e.code, "sso_key_unknown");
  free(tok);
}

static void an_unknown_kid_asks_for_the_set_again(void **state) {
  (void)state;
  json_t *claims = NULL;
  bool unknown = false;
  rp_err e;
  char *tok = sign(g_rsa, "{\"alg\":\"RS256\",\"kid\":\"r2\"}", PAYLOAD);
  assert_int_equal(verify(tok, &claims, &unknown, &e), RP_ERR_AUTH);
  assert_string_equal(e.code, "sso_key_unknown");
  assert_true(unknown);
  free(tok);
}

static void other_algorithms_and_malformed_tokens_are_refused(void **state) {
  (void)state;
  json_t *claims = NULL;
  bool unknown = false;
  rp_err e;
  char *none = sign(g_rsa, "{\"alg\":\"none\"}", PAYLOAD);
  assert_int_equal(verify(none, &claims, &unknown, &e), RP_ERR_AUTH);
  assert_string_equal(e.code, "sso_token_alg");
  free(none);
  char *hs = sign(g_rsa, "{\"alg\":\"HS256\",\"kid\":\"r1\"}", PAYLOAD);
  assert_int_equal(verify(hs, &claims, &unknown, &e), RP_ERR_AUTH);
  assert_string_equal(e.code, "sso_token_alg");
  free(hs);
  char *crit = sign(g_rsa, "{\"alg\":\"RS256\",\"crit\":[\"x\"],\"x\":1}", PAYLOAD);
  assert_int_equal(verify(crit, &claims, &unknown, &e), RP_ERR_AUTH);
  assert_string_equal(e.code, "sso_token_malformed");
  free(crit);
  const char *bad[] = {"", "a.b", "a.b.c.d", "!!!.e30.AAAA", "e30.e30.", "eyJhbGciOiJSUzI1NiJ9.e30.@@"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(verify(bad[i], &claims, &unknown, &e), RP_ERR_AUTH);
    assert_null(claims);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rs256_and_es256_verify_and_give_the_claims),
      cmocka_unit_test(a_stranger_key_or_a_changed_payload_is_refused),
      cmocka_unit_test(an_unknown_kid_asks_for_the_set_again),
      cmocka_unit_test(other_algorithms_and_malformed_tokens_are_refused),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
