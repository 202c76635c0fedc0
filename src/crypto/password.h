/* password.h: Argon2id password hashes (libsodium crypto_pwhash_str) and
 * the rules a new password must meet.
 *
 * 64 MiB and t = 3 per hash; at most one hash per core runs at a time (a
 * counting semaphore), so a flood of sign-ins queues instead of exhausting
 * memory. A hash made with other parameters is replaced at the next
 * successful sign-in (password_needs_rehash).
 *
 * A new password is 8 to 128 bytes, is not among the common passwords
 * shipped in data/common-passwords.txt (compared without regard to ASCII
 * case), and is not the person's e-mail address.
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
/* True when hash was made with other parameters than password_hash uses
 * now (or is not a hash libsodium understands): hash the password again. */
bool password_needs_rehash(const char *hash);

/* True when pw is in the shipped list of common passwords, ignoring ASCII
 * case. The list is read from the binary once, on first use. */
bool password_is_common(const char *pw);
/* Whether pw may be chosen as a new password by the person with e-mail
 * address email (NULL when not known yet). On false, adds one field error
 * at `pointer` saying why: its length, that it is a common password, or
 * that it is the e-mail address. */
bool password_acceptable(const char *pw, const char *email, const char *pointer, rp_err *e);

#endif
