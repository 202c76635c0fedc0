/* notes.h: store operations for notes. */
#ifndef RAPPORT_STORE_NOTES_H
#define RAPPORT_STORE_NOTES_H

#include "domain/note.h"
#include "store/store.h"

/* A note as stored: its text stays sealed. */
typedef struct store_note {
  int64_t id, relationship_id, author_id;
  note_visibility visibility;
  rp_time created_at;
  rp_blob text; /* sealed */
} store_note;

/* Inserts a note, every field given (its id from store_id_new); on
 * PostgreSQL it goes with the transaction's next statement (db_exec_later). */
rp_rc store_note_insert(store *s, const store_note *n, rp_err *e);

/* The note with row id `id`; RP_ERR_NOT_FOUND when there is none. */
rp_rc store_note_get(store *s, int64_t id, arena *a, store_note *out, rp_err *e);

/* The notes of relationship_id that `reader` may read (note.h): the
 * reader's own notes of either visibility and the shared notes of others,
 * in id order (oldest first), paged by id. */
rp_rc store_notes_readable(store *s, int64_t relationship_id, int64_t reader, int64_t after,
                           int limit, arena *a, store_note **items, size_t *n, int64_t *next,
                           rp_err *e);

#endif
