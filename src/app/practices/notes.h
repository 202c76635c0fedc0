/* notes.h: use cases for notes.
 *
 * Only the parties write and read notes. A private note is read by its
 * author alone, a shared one by both parties; admins never read notes
 * (domain/note.h). What the caller may not read is RP_ERR_NOT_FOUND.
 */
#ifndef RAPPORT_APP_PRACTICES_NOTES_H
#define RAPPORT_APP_PRACTICES_NOTES_H

#include "app/core/core.h"
#include "domain/note.h"

/* A note as its readers see it. */
typedef struct app_note {
  int64_t id, relationship_id, author_id;
  note_visibility visibility;
  rp_time created_at;
  const char *text;
  int64_t readable_by[2]; /* the author first */
  size_t nreadable;
} app_note;

/* Adds a note by the actor to relationship rel_id at `at` (NULL: now) and
 * records a "note_added" event. RP_ERR_CONFLICT "relationship_state" when
 * the relationship's state does not allow notes. */
rp_rc app_note_add(app_ctx *c, int64_t rel_id, note_visibility v, const char *text,
                   const rp_time *at, app_note *out, rp_err *e);

/* The notes of rel_id the actor may read, oldest first, paged by note id. */
rp_rc app_notes_list(app_ctx *c, int64_t rel_id, int64_t after, int limit, app_note **items,
                     size_t *n, int64_t *next, rp_err *e);

/* One note, if the actor may read it. */
rp_rc app_note_get(app_ctx *c, int64_t note_id, app_note *out, rp_err *e);

#endif
