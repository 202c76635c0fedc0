/* notes.c: notes, their visibility and their sealed text. */
#include "store/store_internal.h"

#define NOTE_COLS "id, relationship_id, author_id, visibility, created_at, text_ct"

static void read_note(db_stmt *st, arena *a, void *elem) {
  store_note *n = elem;
  n->id = db_col_i64(st, 0);
  n->relationship_id = db_col_i64(st, 1);
  n->author_id = db_col_i64(st, 2);
  /* The schema admits only the two names; an unreadable one stays private. */
  if (!note_visibility_parse(db_col_text(st, 3), &n->visibility)) n->visibility = NOTE_PRIVATE;
  n->created_at = db_col_i64(st, 4);
  n->text = store_col_blob(st, 5, a);
}

rp_rc store_note_insert(store *s, const store_note *n, rp_err *e) {
  STORE_PREP(s,
             "INSERT INTO notes (id, relationship_id, author_id, visibility, created_at, text_ct)"
             " VALUES ($1, $2, $3, $4, $5, $6)",
             e);
  db_bind_i64(st, 1, n->id);
  db_bind_i64(st, 2, n->relationship_id);
  db_bind_i64(st, 3, n->author_id);
  db_bind_text(st, 4, note_visibility_name(n->visibility));
  db_bind_i64(st, 5, n->created_at);
  db_bind_blob(st, 6, n->text.data, n->text.len);
  return db_exec_later(st, e); /* its answer is not needed: it goes with the next statement */
}

rp_rc store_note_get(store *s, int64_t id, arena *a, store_note *out, rp_err *e) {
  STORE_PREP(s, "SELECT " NOTE_COLS " FROM notes WHERE id = $1", e);
  db_bind_i64(st, 1, id);
  rp_rc rc = store_row(st, "note", e);
  if (rc) return rc;
  read_note(st, a, out);
  db_done(st);
  return RP_OK;
}

rp_rc store_notes_readable(store *s, int64_t relationship_id, int64_t reader, int64_t after,
                           int limit, arena *a, store_note **items, size_t *n, int64_t *next,
                           rp_err *e) {
  STORE_PREP(s,
             "SELECT " NOTE_COLS " FROM notes WHERE relationship_id = $1"
             " AND (author_id = $2 OR visibility = 'shared') AND id > $3 ORDER BY id LIMIT $4",
             e);
  db_bind_i64(st, 1, relationship_id);
  db_bind_i64(st, 2, reader);
  db_bind_i64(st, 3, after);
  db_bind_i64(st, 4, limit + 1);
  return store_page(st, limit, 0, sizeof **items, read_note, a, (void **)items, n, next, e);
}
