/* token.h: bearer secrets (session and invitation tokens).
 *
 * A token is 32 random bytes written as 43 characters of unpadded
 * base64url. Only a keyed BLAKE2b-256 hash of a token is stored, so a
 * database dump gives no usable session. CSRF tokens are a keyed hash of
 * the session token, so they need no storage.
 */
#ifndef RAPPORT_CRYPTO_TOKEN_H
#define RAPPORT_CRYPTO_TOKEN_H

#include <stdbool.h>

#define TOKEN_CHARS 43
#define TOKEN_BUFSZ 44
#define TOKEN_HASH_LEN 32

/* Writes a new random token into out (TOKEN_BUFSZ bytes, NUL-terminated). */
void token_new(char out[TOKEN_BUFSZ]);
/* Whether s looks like a token (43 base64url characters). */
bool token_well_formed(const char *s);
/* hash = BLAKE2b-256 keyed by key (32 bytes) over the token text. */
void token_hash(const unsigned char *key, const char *token, unsigned char hash[TOKEN_HASH_LEN]);
/* The CSRF token of a session token (TOKEN_BUFSZ bytes). */
void token_csrf(const unsigned char *key, const char *session_token, char out[TOKEN_BUFSZ]);
/* Constant-time comparison of two NUL-terminated strings of equal length. */
bool token_equal(const char *a, const char *b);

#endif
