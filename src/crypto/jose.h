/* jose.h: verifying the signature of a JSON Web Token (RFC 7515, 7519)
 * against a JSON Web Key Set (RFC 7517), with OpenSSL 3's EVP.
 *
 * Only RS256 (RSA of at least 2048 bits, PKCS #1 v1.5, SHA-256) and ES256
 * (P-256, SHA-256) are accepted; "none", HMAC and every other algorithm
 * are refused, whatever the token says. A key is chosen by the token's
 * kid (when it has one) and must be of the algorithm's type, for
 * signatures, and of the token's alg when the key names one. The claims
 * are NOT checked here (issuer, audience, times, nonce): the caller does
 * that with what it knows. No I/O, no clock.
 */
#ifndef RAPPORT_CRYPTO_JOSE_H
#define RAPPORT_CRYPTO_JOSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define JOSE_TOKEN_MAX (16 * 1024)

/* Verifies the compact JWS `token` against the key set `jwks` (a parsed
 * {"keys": [...]}). On success *claims is a new reference to the payload
 * object. Fails with RP_ERR_AUTH and code "sso_token_malformed",
 * "sso_token_alg" (an algorithm not accepted), "sso_key_unknown" (no
 * usable key matches: *unknown_key is then set, so the caller may fetch
 * the set again) or "sso_signature_invalid". */
rp_rc jose_verify(const char *token, const json_t *jwks, json_t **claims, bool *unknown_key,
                  rp_err *e);

/* Decodes base64url without padding into out (cap bytes); the length, or
 * -1 when s is not base64url or does not fit. */
long jose_b64url_decode(const char *s, size_t len, unsigned char *out, size_t cap);

#endif
