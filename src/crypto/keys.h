/* keys.h: the master key file and the sub-keys derived from it.
 *
 * The master key is 32 random bytes in a file outside the database (mode
 * 0600; a key file readable by group or others is refused). It lives in
 * read-only sodium_malloc'd memory, and core dumps are disabled once it is
 * loaded. Sub-keys come from crypto_kdf_derive_from_key with the context
 * "rapport1" (session hash, CSRF, access-log signing seed, and the legacy
 * single data key); key-wrapping keys come from the context "rpwrap01" with
 * the wrapping version as sub-key id, so `rapport keys rotate --wrap` gets a
 * new wrapping key without a new key file.
 *
 * The hierarchy (crypto/seal.h): master key -> key-wrapping key (version w)
 * -> random data key per relationship (and per relationship and author for
 * private notes), stored wrapped in the database (table data_keys) -> each
 * sealed text, bound to its row.
 */
#ifndef RAPPORT_CRYPTO_KEYS_H
#define RAPPORT_CRYPTO_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

#define KEYS_LEN 32

typedef enum keys_purpose {
  KEYS_WRAP = 1,        /* unused: wrapping keys are keys_wrap_key(version) */
  KEYS_SESSION = 2,     /* keyed hash of session and invitation tokens */
  KEYS_CSRF = 3,        /* CSRF tokens */
  KEYS_AUDIT_SIGN = 4,  /* seed of the access-log signing key */
  KEYS_DATA = 5         /* the legacy single data key: opens format-1 blobs only */
} keys_purpose;

typedef struct keys keys;

/* Creates a new key file at path (fails with RP_ERR_CONFLICT if it exists). */
rp_rc keys_create(const char *path, rp_err *e);
/* Loads the key file; refuses one readable by group or others. */
rp_rc keys_load(const char *path, keys **out, rp_err *e);
void keys_free(keys *k);
/* The sub-key for a purpose (KEYS_LEN bytes, owned by k). */
const unsigned char *keys_sub(const keys *k, keys_purpose p);

/* The key-wrapping key of wrapping version `version` (>= 1). */
void keys_wrap_key(const keys *k, uint32_t version, unsigned char out[KEYS_LEN]);

/* ---- the destroyed-key log ----
 *
 * An append-only text file beside the key file ("x.key" -> "x.destroyed"),
 * one data-key id (hex) per line, fsync'd on every append. Crypto-shredding
 * appends the ids of the keys it destroys BEFORE its transaction commits;
 * every open of the database (serve, the CLI, `db restore`) replays it, so a
 * key listed there is destroyed again, with its ciphertext, in a restored
 * backup. It holds key ids only, never row ids or text. */
#define KEYS_ID_MAX 64
char *keys_destroyed_path_for(const char *key_path);
const char *keys_destroyed_path(const keys *k);
rp_rc keys_destroyed_append(const char *path, char *const *ids, size_t n, rp_err *e);
/* Reads every id of the log at path (none when it does not exist). */
rp_rc keys_destroyed_read(const char *path, arena *a, char ***ids, size_t *n, rp_err *e);

/* The key file path for a database path: "x.db" -> "x.key", else path+".key". */
char *keys_default_path(const char *db_path);

/* Must be called once before any other crypto/ function; returns false if
 * libsodium cannot start. */
bool crypto_init(void);

#endif
