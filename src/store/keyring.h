/* keyring.h: wrapped data keys, the key state, and the registry of sealed
 * columns (every column of the schema that holds sealed text).
 *
 * Only app/privacy/crypt.c calls these: nothing else touches data keys. The store
 * sees wrapped keys only; unwrapping needs the master key (crypto/).
 */
#ifndef RAPPORT_STORE_KEYRING_H
#define RAPPORT_STORE_KEYRING_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/blob.h"
#include "base/err.h"
#include "crypto/seal.h"
#include "store/store.h"

typedef struct store_data_key {
  int64_t id; /* the row: never shown, never logged (key_id names a key) */
  seal_keyref ref;
  uint32_t wrap_version;
  rp_blob wrapped;
  rp_time created_at;
} store_data_key;

typedef struct store_key_state {
  uint32_t wrap_version; /* the key-wrapping key in force */
  uint32_t data_version; /* the data-key version new writes use */
  bool reencrypt_running;
  int reencrypt_column;   /* index into the sealed-column registry */
  int64_t reencrypt_after; /* last row id done in that column */
} store_key_state;

rp_rc store_keys_state(store *s, store_key_state *out, rp_err *e);
rp_rc store_keys_state_set(store *s, const store_key_state *st, rp_err *e);

/* The key of (rel_id, author_id) at `version`; RP_ERR_NOT_FOUND if none. */
rp_rc store_key_get(store *s, int64_t rel_id, int64_t author_id, uint32_t version, arena *a,
                    store_data_key *out, rp_err *e);
/* The key state (*ks) and the key of (rel_id, author_id) at its data
 * version, in one statement: *found tells whether that key exists. */
rp_rc store_key_in_force(store *s, int64_t rel_id, int64_t author_id, arena *a,
                         store_key_state *ks, bool *found, store_data_key *k, rp_err *e);
/* Sends store_key_in_force's statement ahead (db_send_ahead): with the
 * next statement of the connection, to be read by store_key_in_force with
 * the same arguments. */
void store_key_in_force_ahead(store *s, int64_t rel_id, int64_t author_id);
/* Inserts a key (sets k->id); RP_ERR_CONFLICT when (relationship, author,
 * version) exists already. */
rp_rc store_key_insert(store *s, store_data_key *k, rp_err *e);
/* Keys in row order after `after`, up to limit; *next as in store_page. */
rp_rc store_keys_list(store *s, int64_t after, int limit, arena *a, store_data_key **items,
                      size_t *n, int64_t *next, rp_err *e);
rp_rc store_key_rewrap(store *s, int64_t id, uint32_t wrap_version, rp_blob wrapped, rp_err *e);
/* The key ids of a relationship's keys (every author), or of a person's
 * own keys (author_id = person_id, every relationship), retired ones
 * included (an older backup still holds those keys). */
rp_rc store_key_ids_of_relationship(store *s, int64_t rel_id, arena *a, char ***ids, size_t *n,
                                    rp_err *e);
rp_rc store_key_ids_of_author(store *s, int64_t person_id, arena *a, char ***ids, size_t *n,
                              rp_err *e);
/* Finds a key by key id; *found false when no such key exists. */
rp_rc store_key_find(store *s, const char *key_id, bool *found, seal_keyref *out, rp_err *e);
rp_rc store_keys_delete_relationship(store *s, int64_t rel_id, rp_err *e);
rp_rc store_keys_delete_author(store *s, int64_t person_id, rp_err *e);
rp_rc store_key_delete(store *s, const char *key_id, rp_err *e);
/* Deletes keys of versions below `version` (after re-encryption); their
 * ids stay in retired_key_ids, for shredding. The delete functions above
 * forget those ids too. */
rp_rc store_keys_retire_below(store *s, uint32_t version, int64_t *deleted, rp_err *e);

/* ---- sealed columns ---- */

typedef struct store_sealed_row {
  int64_t id;
  int64_t relationship_id;
  int64_t author_id;
  bool author_key; /* a private note: sealed with its author's key */
  rp_blob ct;
} store_sealed_row;

/* The number of sealed columns; columns are numbered 0..n-1. */
int store_sealed_columns(void);
/* The kind of text column `col` holds, and its name ("notes.text_ct"). */
seal_kind store_sealed_kind(int col);
const char *store_sealed_name(int col);
/* Rows of column col that hold text, with id > after, in id order. */
rp_rc store_sealed_rows(store *s, int col, int64_t after, int limit, arena *a,
                        store_sealed_row **items, size_t *n, rp_err *e);
/* Sets column col of row id (a row the transaction wrote or read) to ct;
 * on PostgreSQL with the next statement (db_exec_later). */
rp_rc store_sealed_set(store *s, int col, int64_t id, rp_blob ct, rp_err *e);
/* Empties every sealed column of every row of a relationship. */
rp_rc store_sealed_clear_relationship(store *s, int64_t rel_id, rp_err *e);
/* Deletes the private notes of person_id (in rel_id only when rel_id > 0). */
rp_rc store_sealed_delete_private_notes(store *s, int64_t person_id, int64_t rel_id, rp_err *e);

/* Checkpoints the WAL into the database and truncates it (outside any
 * transaction), so deleted ciphertext leaves the WAL file. */
rp_rc store_checkpoint_truncate(store *s, rp_err *e);

#endif
