/* jose.c: JWS verification with OpenSSL 3 (jose.h).
 *
 * A JWK's public numbers become an EVP_PKEY through OSSL_PARAM and
 * EVP_PKEY_fromdata (RSA: n and e; EC: the uncompressed point 04||x||y on
 * prime256v1, checked to be on the curve), and the signature is checked
 * with EVP_DigestVerify over "header.payload". An ES256 signature is the
 * raw r||s of RFC 7518 3.4; OpenSSL wants DER, so it is re-encoded with
 * ECDSA_SIG. Nothing here computes a signature by hand.
 */
#include "crypto/jose.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define RSA_BITS_MIN 2048
#define B64_FIELD_MAX 1024 /* a 8192-bit modulus is 683 characters */

typedef enum jose_alg { ALG_RS256, ALG_ES256 } jose_alg;

long jose_b64url_decode(const char *s, size_t len, unsigned char *out, size_t cap) {
  size_t n = 0;
  if (len == 0) return 0;
  if (sodium_base642bin(out, cap, s, len, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) !=
      0)
    return -1;
  return (long)n;
}

static rp_rc malformed(rp_err *e, const char *what) {
  return rp_fail(e, RP_ERR_AUTH, "sso_token_malformed", "The ID token is malformed: %s.", what);
}

/* A base64url member of a JWK, decoded; -1 when absent or bad. */
static long jwk_bytes(const json_t *jwk, const char *name, unsigned char *out, size_t cap) {
  const char *s = json_string_value(json_object_get(jwk, name));
  if (!s) return -1;
  return jose_b64url_decode(s, strlen(s), out, cap);
}

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *bld) {
  EVP_PKEY *pkey = NULL;
  OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
  if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
    pkey = NULL;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return pkey;
}

static EVP_PKEY *rsa_key(const json_t *jwk) {
  unsigned char n[B64_FIELD_MAX], ex[16];
  long nlen = jwk_bytes(jwk, "n", n, sizeof n), elen = jwk_bytes(jwk, "e", ex, sizeof ex);
  if (nlen <= 0 || elen <= 0) return NULL;
  BIGNUM *bn = BN_bin2bn(n, (int)nlen, NULL), *be = BN_bin2bn(ex, (int)elen, NULL);
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  EVP_PKEY *pkey = NULL;
  if (bn && be && bld && BN_num_bits(bn) >= RSA_BITS_MIN &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) == 1)
    pkey = from_params("RSA", bld);
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn);
  BN_free(be);
  return pkey;
}

static EVP_PKEY *ec_key(const json_t *jwk) {
  const char *crv = json_string_value(json_object_get(jwk, "crv"));
  if (!crv || strcmp(crv, "P-256") != 0) return NULL;
  unsigned char point[65];
  point[0] = 0x04; /* uncompressed */
  if (jwk_bytes(jwk, "x", point + 1, 32) != 32 || jwk_bytes(jwk, "y", point + 33, 32) != 32)
    return NULL;
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  EVP_PKEY *pkey = NULL;
  if (bld &&
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) == 1)
    pkey = from_params("EC", bld);
  OSSL_PARAM_BLD_free(bld);
  if (pkey) { /* the point must lie on the curve */
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (!ctx || EVP_PKEY_public_check(ctx) != 1) {
      EVP_PKEY_free(pkey);
      pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
  }
  return pkey;
}

/* Whether jwk may verify a token of alg with key id kid (NULL: any). */
static bool key_fits(const json_t *jwk, jose_alg alg, const char *kid) {
  const char *kty = json_string_value(json_object_get(jwk, "kty"));
  const char *use = json_string_value(json_object_get(jwk, "use"));
  const char *kalg = json_string_value(json_object_get(jwk, "alg"));
  const char *kkid = json_string_value(json_object_get(jwk, "kid"));
  if (!kty || strcmp(kty, alg == ALG_RS256 ? "RSA" : "EC") != 0) return false;
  if (use && strcmp(use, "sig") != 0) return false;
  if (kalg && strcmp(kalg, alg == ALG_RS256 ? "RS256" : "ES256") != 0) return false;
  if (kid && (!kkid || strcmp(kid, kkid) != 0)) return false;
  return true;
}

/* The DER form of a raw r||s ES256 signature (malloc'd by OpenSSL), or NULL. */
static unsigned char *es256_der(const unsigned char *sig, size_t len, int *der_len) {
  if (len != 64) return NULL;
  ECDSA_SIG *s = ECDSA_SIG_new();
  BIGNUM *r = BN_bin2bn(sig, 32, NULL), *ss = BN_bin2bn(sig + 32, 32, NULL);
  unsigned char *der = NULL;
  if (s && r && ss && ECDSA_SIG_set0(s, r, ss) == 1) {
    r = ss = NULL; /* s owns them */
    *der_len = i2d_ECDSA_SIG(s, &der);
    if (*der_len <= 0) der = NULL;
  }
  BN_free(r);
  BN_free(ss);
  ECDSA_SIG_free(s);
  return der;
}

static bool verify_with(EVP_PKEY *pkey, jose_alg alg, const char *input, size_t input_len,
                        const unsigned char *sig, size_t sig_len) {
  const unsigned char *s = sig;
  size_t slen = sig_len;
  unsigned char *der = NULL;
  if (alg == ALG_ES256) {
    int dlen = 0;
    der = es256_der(sig, sig_len, &dlen);
    if (!der) return false;
    s = der;
    slen = (size_t)dlen;
  }
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  bool ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1 &&
            EVP_DigestVerify(md, s, slen, (const unsigned char *)input, input_len) == 1;
  EVP_MD_CTX_free(md);
  OPENSSL_free(der);
  return ok;
}

/* Decodes a base64url JSON object segment; NULL when it is not one. */
static json_t *json_segment(const char *s, size_t len) {
  size_t cap = len;
  unsigned char *buf = malloc(cap + 1);
  if (!buf) return NULL;
  long n = jose_b64url_decode(s, len, buf, cap);
  json_t *v = n > 0 ? json_loadb((const char *)buf, (size_t)n, JSON_REJECT_DUPLICATES, NULL) : NULL;
  free(buf);
  if (v && !json_is_object(v)) {
    json_decref(v);
    v = NULL;
  }
  return v;
}

rp_rc jose_verify(const char *token, const json_t *jwks, json_t **claims, bool *unknown_key,
                  rp_err *e) {
  *claims = NULL;
  *unknown_key = false;
  size_t len = strlen(token);
  if (len > JOSE_TOKEN_MAX) return malformed(e, "it is too long");
  const char *dot1 = memchr(token, '.', len);
  const char *dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token)) : NULL;
  if (!dot1 || !dot2 || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - token)))
    return malformed(e, "it is not three parts");
  json_t *header = json_segment(token, (size_t)(dot1 - token));
  if (!header) return malformed(e, "the header is not a JSON object");
  const char *alg_name = json_string_value(json_object_get(header, "alg"));
  jose_alg alg;
  if (alg_name && strcmp(alg_name, "RS256") == 0) {
    alg = ALG_RS256;
  } else if (alg_name && strcmp(alg_name, "ES256") == 0) {
    alg = ALG_ES256;
  } else {
    json_decref(header);
    return rp_fail(e, RP_ERR_AUTH, "sso_token_alg",
                   "The ID token is signed with an algorithm Rapport does not accept (only RS256 "
                   "and ES256).");
  }
  if (json_object_get(header, "crit")) {
    json_decref(header);
    return malformed(e, "it has critical header parameters");
  }
  const char *kid = json_string_value(json_object_get(header, "kid"));
  size_t sig_b64 = len - (size_t)(dot2 + 1 - token);
  unsigned char sig[B64_FIELD_MAX];
  long sig_len = jose_b64url_decode(dot2 + 1, sig_b64, sig, sizeof sig);
  if (sig_len <= 0) {
    json_decref(header);
    return malformed(e, "the signature is not base64url");
  }
  const json_t *keys = json_object_get(jwks, "keys");
  size_t i;
  const json_t *jwk;
  bool tried = false, ok = false;
  json_array_foreach(keys, i, jwk) {
    if (!key_fits(jwk, alg, kid)) continue;
    EVP_PKEY *pkey = alg == ALG_RS256 ? rsa_key(jwk) : ec_key(jwk);
    if (!pkey) continue;
    tried = true;
    ok = verify_with(pkey, alg, token, (size_t)(dot2 - token), sig, (size_t)sig_len);
    EVP_PKEY_free(pkey);
    if (ok) break;
  }
  json_decref(header);
  if (!tried) {
    *unknown_key = true;
    return rp_fail(e, RP_ERR_AUTH, "sso_key_unknown",
                   "The ID token is signed with a key the provider does not publish.");
  }
  if (!ok)
    return rp_fail(e, RP_ERR_AUTH, "sso_signature_invalid",
                   "The ID token's signature does not verify with the provider's keys.");
  *claims = json_segment(dot1 + 1, (size_t)(dot2 - dot1 - 1));
  if (!*claims) return malformed(e, "the payload is not a JSON object");
  return RP_OK;
}
