/* privacy.h: the privacy room of app/: confidential text and who read it.
 *
 * It owns sealing and opening confidential text (crypt.c: the one boundary
 * through which it is stored), the server's cache of unwrapped data keys
 * (keycache.h), the access log (audit.h: noting what a request opened,
 * writing its rows before the answer leaves, the log writer, a person's
 * own log, signing and verifying the chain), key rotation and
 * re-encryption, and crypto-shredding.
 *
 * It may call the core (app/core/core.h) and nothing else of app/. The
 * core reaches it only through the moments that app/app.c fills: sealing
 * an event's reason, writing the access-log rows before a commit, wiping
 * the data keys after a transaction.
 */
#ifndef RAPPORT_APP_PRIVACY_PRIVACY_H
#define RAPPORT_APP_PRIVACY_PRIVACY_H

#include "app/core/core.h"

/* ---- the access log (app/privacy/audit.c) ---- */

/* Notes that confidential text of kind `kind` in relationship rel_id was
 * opened for the actor in this request; the access log records it in the
 * request's transaction. Called by the one place that opens sealed text. */
void app_access_saw(app_ctx *c, int64_t rel_id, int kind);
/* The same for text outside relationships (relationship 0) that belongs
 * to owner_id (360 feedback): one access-log row with owner_id as subject,
 * unless the owner is the actor. */
void app_access_saw_owned(app_ctx *c, int64_t owner_id, int kind);
/* The kinds (bit 1u << kind) opened so far in relationship rel_id, and
 * their replay: a response kept in a cache opened the text when it was
 * built, and notes those kinds again each time it is served. */
unsigned app_access_kinds(const app_ctx *c, int64_t rel_id);
void app_access_saw_kinds(app_ctx *c, int64_t rel_id, unsigned kinds);
/* Writes one access-log row per relationship whose text was opened since
 * the last call, in the open write transaction (the before_commit moment calls it
 * before committing; the server before committing a route that opens text). */
rp_rc app_access_flush(app_ctx *c, rp_err *e);
/* Appends, in the open write transaction, the entry of an export of
 * metadata that opens no text (a program's members, for its admin):
 * actor and subject are the actor, action "export", `what` says what
 * ("program 3 members"), no relationship. */
rp_rc app_access_note_export(app_ctx *c, const char *what, rp_err *e);
/* Whether text was opened that is not in the access log yet (the server
 * then answers 500 and sends nothing). */
bool app_access_pending(const app_ctx *c);

/* ---- confidential text (app/privacy/crypt.c) ----
 *
 * The one boundary through which confidential text is stored: app_seal
 * before the store, app_open after it. ad names the text (kind), its
 * relationship, the ROW that holds it, its author and whether it is sealed
 * with the author's own key (private notes); crypto/seal.h describes the
 * format and the key hierarchy. For a new row, insert it with
 * APP_SEAL_PENDING as its text, then app_seal_row with the row's id. */

#define APP_SEAL_PENDING ((rp_blob){(const unsigned char *)"", 0})

/* Seals text for ad with the data key of its relationship (created when
 * it has none yet; needs a write transaction). */
rp_rc app_seal(app_ctx *c, const seal_ad *ad, const char *text, size_t len, rp_blob *out,
               rp_err *e);
/* Sends ahead (db_send_ahead) what app_seal will read for ad when the
 * transaction has not read its key version yet: the key state and ad's
 * data key, in one statement that goes with the transaction's next one.
 * Call it before the transaction's first statement, so that the seal needs
 * no round trip of its own. */
void app_seal_ahead(app_ctx *c, const seal_ad *ad);
/* app_seal, then stores the blob in the column that holds ad->kind texts,
 * in row ad->row_id; *out (when not NULL) is the blob. */
rp_rc app_seal_row(app_ctx *c, const seal_ad *ad, const char *text, size_t len, rp_blob *out,
                   rp_err *e);
/* Seals the reason of event ev (inserted, ev->id set) into its row, with
 * the event's actor as author: both parties read it. */
rp_rc app_seal_reason(app_ctx *c, const rel_event *ev, const char *reason, rp_err *e);
/* Opens a sealed blob into a NUL-terminated string in c->a, and notes the
 * access (app_access_saw). RP_ERR_NOT_FOUND ("text_destroyed") for text
 * whose key was destroyed; RP_ERR_INTERNAL ("sealed_text_damaged") for a
 * blob that does not open for ad. */
rp_rc app_open(app_ctx *c, const seal_ad *ad, rp_blob b, const char **out, rp_err *e);
/* app_open for the server's own processing, whose result shows no word of
 * the text to anyone (a warning that a goal lacks its measurable part, for
 * instance): it notes no access. Never use it for text that is sent. */
rp_rc app_open_for_server(app_ctx *c, const seal_ad *ad, rp_blob b, const char **out,
                          rp_err *e);
/* app_open for text its owner sent to the actor, whose readings must not
 * be told to the owner: a 360 request's purpose, read by its raters (who
 * read it, and when, would tell the requester who answered or declined).
 * The owner's sending is the disclosure; no access is noted. Only for
 * text its owner addressed to the actor. */
rp_rc app_open_sent(app_ctx *c, const seal_ad *ad, rp_blob b, const char **out, rp_err *e);
/* Wipes the data keys cached in c. */
void app_crypt_forget(app_ctx *c);
/* Called by app_finish once the transaction ended (committed or not):
 * wipes the cached keys and, after a commit that destroyed keys,
 * checkpoints the WAL (TRUNCATE) so their ciphertext leaves it. */
void app_crypt_end(app_ctx *c, bool committed);

/* Crypto-shredding, inside the caller's write transaction: destroys every
 * data key of relationship rel_id (shared and per-author) and empties every
 * sealed column of its rows; or destroys person_id's own keys (their
 * private notes, in every relationship, and what they wrote in circles:
 * app/circles empties those rows first) and deletes those notes. The key
 * ids are appended to the destroyed-key log (fsync'd) before returning,
 * i.e. before the caller commits; app_finish checkpoints the WAL
 * (TRUNCATE) after the commit. */
rp_rc app_keys_shred_relationship(app_ctx *c, int64_t rel_id, rp_err *e);
rp_rc app_keys_shred_author(app_ctx *c, int64_t person_id, rp_err *e);

/* Replays the destroyed-key log at log_path (its own write transaction):
 * every listed key still in the database is destroyed with its
 * ciphertext; *destroyed counts them. */
rp_rc app_keys_replay(app_ctx *c, const char *log_path, int *destroyed, rp_err *e);

typedef struct app_keys_status {
  uint32_t wrap_version;
  uint32_t data_version;
  int64_t keys;          /* data keys stored */
  int64_t keys_old;      /* ... of a data-key version below data_version */
  int64_t keys_old_wrap; /* ... wrapped with an older wrapping key */
  int64_t rows;          /* sealed texts */
  int64_t rows_legacy;   /* ... still in format 1 (the single derived key) */
  int64_t rows_old;      /* ... sealed with a data-key version below data_version */
  int64_t rows_plain;    /* ... stored in the clear by a bench_plain build */
  bool reencrypt_running;
} app_keys_status;

rp_rc app_keys_status_get(app_ctx *c, app_keys_status *out, rp_err *e);
/* A new key-wrapping key: every data key re-wrapped in one transaction. */
rp_rc app_keys_rotate_wrap(app_ctx *c, int64_t *rewrapped, rp_err *e);
/* A new data-key version: new writes use it at once; the re-encryption job
 * rewrites older rows. */
rp_rc app_keys_rotate_data(app_ctx *c, uint32_t *version, rp_err *e);
/* One batch of the re-encryption job inside the caller's write transaction:
 * rewrites up to `batch` rows on format 1 or an old key version, keeping
 * its progress in the database; *finished when nothing remains (older data
 * keys are then deleted). */
rp_rc app_keys_reencrypt_step(app_ctx *c, int batch, int *rewritten, bool *finished, rp_err *e);
/* The jobs' share (app/jobs.c): one step of APP_KEYS_REENCRYPT_BATCH rows
 * per run, adding the rows rewritten to *changed. */
#define APP_KEYS_REENCRYPT_BATCH 500
rp_rc app_keys_reencrypt_job(app_ctx *c, int *changed, rp_err *e);

#include "app/privacy/audit.h"
#include "app/privacy/keycache.h"

#endif
