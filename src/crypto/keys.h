/* keys.h: the master key file and the sub-keys derived from it.
 *
 * The master key is 32 random bytes in a file outside the database (mode
 * 0600; a key file readable by group or others is refused). It lives in
 * sodium_malloc'd memory, and core dumps are disabled once it is loaded.
 * Sub-keys come from crypto_kdf_derive_from_key with the context "rapport1".
 */
#ifndef RAPPORT_CRYPTO_KEYS_H
#define RAPPORT_CRYPTO_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

#define KEYS_LEN 32

typedef enum keys_purpose {
  KEYS_WRAP = 1,        /* wraps relationship data keys */
  KEYS_SESSION = 2,     /* keyed hash of session and invitation tokens */
  KEYS_CSRF = 3,        /* CSRF tokens */
  KEYS_AUDIT_SIGN = 4,  /* seed of the access-log signing key */
  KEYS_DATA = 5         /* seals confidential text until per-relationship keys */
} keys_purpose;

typedef struct keys keys;

/* Creates a new key file at path (fails with RP_ERR_CONFLICT if it exists). */
rp_rc keys_create(const char *path, rp_err *e);
/* Loads the key file; refuses one readable by group or others. */
rp_rc keys_load(const char *path, keys **out, rp_err *e);
void keys_free(keys *k);
/* The sub-key for a purpose (KEYS_LEN bytes, owned by k). */
const unsigned char *keys_sub(const keys *k, keys_purpose p);

/* The key file path for a database path: "x.db" -> "x.key", else path+".key". */
char *keys_default_path(const char *db_path);

/* Must be called once before any other crypto/ function; returns false if
 * libsodium cannot start. */
bool crypto_init(void);

#endif
