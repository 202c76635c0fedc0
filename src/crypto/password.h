/* password.h: Argon2id password hashes (libsodium crypto_pwhash_str).
 *
 * 64 MiB and t = 3 per hash; at most one hash per core runs at a time (a
 * counting semaphore), so a flood of sign-ins queues instead of exhausting
 * memory. Passwords are 8 to 128 bytes.
 */
#ifndef RAPPORT_CRYPTO_PASSWORD_H
#define RAPPORT_CRYPTO_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 128
#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */

/* Sets how many hashes may run at once (default: the number of cores). */
void password_set_concurrency(int n);
/* Lower cost for tests and the demo only (never in `serve` without --dev). */
void password_set_fast(bool fast);

/* Hashes pw into out (PASSWORD_HASH_MAX bytes). */
rp_rc password_hash(const char *pw, char out[PASSWORD_HASH_MAX], rp_err *e);
/* True when pw matches hash. */
bool password_verify(const char *hash, const char *pw);
/* Burns the same time as a verify, for unknown accounts. */
void password_verify_dummy(const char *pw);
/* A length check; adds a field error at `pointer`. */
bool password_acceptable(const char *pw, const char *pointer, rp_err *e);

#endif
