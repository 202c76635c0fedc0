/* seal.h: the one boundary through which confidential text is stored.
 *
 * Every note, feedback text, request and reply text, agreement text, goal
 * and commitment text, reason and invitation mail goes through seal_text
 * before it reaches the store and through seal_open when it leaves it.
 * Callers name what the text is (kind), whose relationship it belongs to
 * and who wrote it; that triple is bound into the ciphertext as associated
 * data, so sealed text cannot be moved to another relationship or kind.
 *
 * Format: version byte 1 | 24-byte nonce | XChaCha20-Poly1305 ciphertext.
 * Today one data key (derived from the master key) seals everything; the
 * per-relationship key hierarchy of SECURITY.md replaces it behind this
 * same interface.
 */
#ifndef RAPPORT_CRYPTO_SEAL_H
#define RAPPORT_CRYPTO_SEAL_H

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
  SEAL_REPAIR_RESPONSIBILITY /* ... and the responsibility they take */
} seal_kind;

typedef struct seal_ad {
  seal_kind kind;
  int64_t relationship_id; /* 0 for text outside a relationship (mail) */
  int64_t author_id;       /* 0 when no person wrote it */
} seal_ad;

/* Seals len bytes of text; the result lives in the arena. */
rp_blob seal_text(const keys *k, const seal_ad *ad, const char *text, size_t len, arena *a);
/* Opens a sealed blob into a NUL-terminated string in the arena. Fails with
 * RP_ERR_INTERNAL ("sealed_text_damaged") when the blob or its binding is wrong. */
rp_rc seal_open(const keys *k, const seal_ad *ad, rp_blob b, arena *a, const char **out,
                rp_err *e);

#endif
