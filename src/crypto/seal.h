/* seal.h: the cryptography under the one boundary for confidential text.
 *
 * Application code never calls this directly: it uses app_seal/app_open
 * (app/privacy/crypt.c), which find the right data key through the store. Only
 * app/privacy/crypt.c calls the functions below.
 *
 * The hierarchy (SECURITY.md "Key hierarchy"):
 *   master key (key file)  --KDF, context "rpwrap01", id = wrap version-->
 *   key-wrapping key       --XChaCha20-Poly1305-->
 *   data key: 32 random bytes, one per relationship (author 0, shared by its
 *   parties) and one per relationship and author for private notes, with a
 *   data-key version and a random 16-byte key id; stored wrapped in the
 *   table data_keys (store/keyring.h)  --XChaCha20-Poly1305-->
 *   sealed text.
 *
 * A peer circle has its own keys in the same hierarchy: its key owner is
 * -circle id where a relationship's is its id (relationship_id in seal_ad,
 * seal_keyref and data_keys), so a circle's text is bound to its circle and
 * opens with no relationship's key, and the access log names the circle
 * the same way (app/privacy/audit.c).
 *
 * Sealed text (format 2):
 *   byte 2 | key version (4 bytes, big-endian) | 24-byte random nonce |
 *   XChaCha20-Poly1305 ciphertext and tag,
 * with associated data "kind|2|relationship|row id|author|key version", so a
 * blob opens only in the row, column kind, relationship and author it was
 * sealed for, and only with the key version its header names.
 *
 * Format 1 (written before the hierarchy): byte 1 | nonce | ciphertext under
 * the single derived key KEYS_DATA with associated data
 * "kind|1|relationship|author". It still opens (seal_open_legacy); the
 * re-encryption job rewrites it as format 2.
 *
 * A wrapped data key is nonce | ciphertext of the key under the wrapping
 * key, with associated data "key id|relationship|author|version|wrap
 * version", so a wrapped key cannot be swapped for another relationship's.
 *
 * Builds with -Dbench_plain=true (RAPPORT_BENCH_PLAIN) store text in the
 * clear behind the marker SEAL_PLAIN_MARKER, for measuring what encryption
 * costs only; a normal build refuses such blobs.
 */
#ifndef RAPPORT_CRYPTO_SEAL_H
#define RAPPORT_CRYPTO_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/blob.h"
#include "base/err.h"
#include "crypto/keys.h"

typedef enum seal_kind {
  SEAL_NOTE = 1,
  SEAL_FEEDBACK,
  SEAL_REQUEST,
  SEAL_REPLY,
  SEAL_AGREEMENT,
  SEAL_GOAL,
  SEAL_COMMITMENT,
  SEAL_REASON,
  SEAL_MAIL,
  SEAL_MILESTONE,
  SEAL_INCIDENT,             /* incident texts */
  SEAL_REPAIR_ACK,           /* a repair plan's acknowledgement, in its party's words */
  SEAL_REPAIR_RESPONSIBILITY, /* ... and the responsibility they take */
  SEAL_F360_PURPOSE,          /* 360 feedback: why the requester asks */
  SEAL_F360_KEEP,             /* ... a rater's "what to keep doing" */
  SEAL_F360_CHANGE,           /* ... a rater's "what to do differently" */
  SEAL_F360_REPORT,           /* ... the report, built when the request closes */
  /* The server's own secrets (relationship 0, author 0, like mail), opened
   * only for the server's own use (app_open_for_server), never for a reader: */
  SEAL_OIDC_SECRET,           /* a sign-in provider's client secret */
  SEAL_OIDC_ID_TOKEN          /* the ID token of a session signed in through a provider */
} seal_kind;

typedef struct seal_ad {
  seal_kind kind;
  int64_t relationship_id; /* 0 for text outside a relationship (mail) */
  int64_t row_id;          /* the id of the row that holds the blob */
  int64_t author_id;       /* 0 when no person wrote it */
  bool author_key;         /* sealed with the author's own key (private notes) */
} seal_ad;

#define SEAL_KEY_LEN 32
#define SEAL_KEY_ID_LEN 32 /* hex characters of the 16 random bytes */
#define SEAL_FORMAT_LEGACY 1
#define SEAL_FORMAT 2
#define SEAL_FORMAT_PLAIN 0xff
#define SEAL_PLAIN_MARKER "\xffRAPPORT-BENCH-PLAINTEXT\n"

/* What a blob's header says: format (1, 2, SEAL_FORMAT_PLAIN, or 0 for an
 * empty or unknown blob) and, for format 2, the data-key version. */
int seal_format(rp_blob b, uint32_t *key_version);

/* Seals len bytes of text with data key `key` of version key_version
 * (format 2); the result lives in the arena. */
rp_blob seal_text(const unsigned char key[SEAL_KEY_LEN], uint32_t key_version, const seal_ad *ad,
                  const char *text, size_t len, arena *a);
/* Opens a format-2 blob into a NUL-terminated string in the arena. Fails
 * with RP_ERR_INTERNAL ("sealed_text_damaged") when the blob, its binding
 * or the key is wrong. */
rp_rc seal_open(const unsigned char key[SEAL_KEY_LEN], const seal_ad *ad, rp_blob b, arena *a,
                const char **out, rp_err *e);
/* Opens a format-1 blob (single key derived from the master key; the row
 * id and author_key play no part). */
rp_rc seal_open_legacy(const keys *k, const seal_ad *ad, rp_blob b, arena *a, const char **out,
                       rp_err *e);

/* The plaintext form of bench builds: marker | text. */
rp_blob seal_plain(const char *text, size_t len, arena *a);
rp_rc seal_open_plain(rp_blob b, arena *a, const char **out, rp_err *e);

/* Which data key a wrapped key is: bound into its wrapping. */
typedef struct seal_keyref {
  char key_id[SEAL_KEY_ID_LEN + 1]; /* hex of 16 random bytes, never a row id */
  int64_t relationship_id;
  int64_t author_id; /* 0: the relationship's shared key */
  uint32_t version;  /* data-key version */
} seal_keyref;

/* A new random data key and a new random key id (ref->key_id). */
void seal_key_new(unsigned char key[SEAL_KEY_LEN], seal_keyref *ref);
/* Wraps key under the wrapping key of version wrap_version. */
rp_blob seal_key_wrap(const keys *k, uint32_t wrap_version, const seal_keyref *ref,
                      const unsigned char key[SEAL_KEY_LEN], arena *a);
/* Unwraps into key; RP_ERR_INTERNAL ("data_key_damaged") when the wrapping,
 * its binding to ref or the wrapping version is wrong. */
rp_rc seal_key_unwrap(const keys *k, uint32_t wrap_version, const seal_keyref *ref,
                      rp_blob wrapped, unsigned char key[SEAL_KEY_LEN], rp_err *e);

#endif
