/* notes.c: writing and reading notes.
 *
 * A note is sealed with its row, its author's id and its relationship in
 * the associated data, so its text opens only as that note. A private note
 * is sealed with its author's own data key in the relationship, which
 * app_keys_shred_author destroys with the account. Who may
 * read it is note_readable's rule (domain/note.h); the store's list query
 * applies the same rule in SQL so that pages stay full.
 */
#include "app/practices/notes.h"
#include "app/privacy/privacy.h"

#include <assert.h>
#include <string.h>

static rp_rc not_found(rp_err *e) {
  return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such note.");
}

/* Opens a stored note of r into out. */
static rp_rc view(app_ctx *c, const relationship *r, const store_note *n, app_note *out,
                  rp_err *e) {
  memset(out, 0, sizeof *out);
  out->id = n->id;
  out->relationship_id = n->relationship_id;
  out->author_id = n->author_id;
  out->visibility = n->visibility;
  out->created_at = n->created_at;
  out->nreadable = note_readers(r, n->author_id, n->visibility, out->readable_by);
  seal_ad ad = {SEAL_NOTE, n->relationship_id, n->id, n->author_id,
                n->visibility == NOTE_PRIVATE};
  return app_open(c, &ad, n->text, &out->text, e);
}

rp_rc app_note_add(app_ctx *c, int64_t rel_id, note_visibility v, const char *text,
                   const rp_time *at, app_note *out, rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  /* private notes are sealed with the author's own key */
  seal_ad ad = {SEAL_NOTE, rel_id, 0, c->actor, v == NOTE_PRIVATE};
  /* What the seal and the row need goes with the relationship's read (as
   * the event's id does): one round trip for the transaction's start, the
   * locks, the key and the ids. */
  app_seal_ahead(c, &ad);
  store_id_ahead(c->st, STORE_ID_NOTE);
  relationship r;
  rel_role role;
  store_note n = {0};
  n.created_at = c->now;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc && !rel_allows_notes(r.state))
    rc = rp_fail(e, RP_ERR_CONFLICT, "relationship_state",
                 "Notes cannot be added to a relationship that is %s.", rel_state_name(r.state));
  if (!rc) rc = app_event_time(c, &r, at, &n.created_at, e);
  if (!rc) rc = note_text_check(text, e);
  if (!rc) rc = store_id_new(c->st, STORE_ID_NOTE, &n.id, e);
  if (!rc) {
    ad.row_id = n.id;
    rc = app_seal(c, &ad, text, strlen(text), &n.text, e);
  }
  if (!rc) {
    n.relationship_id = rel_id;
    n.author_id = c->actor;
    n.visibility = v;
    rc = store_note_insert(c->st, &n, e);
  }
  if (!rc) rc = app_event(c, rel_id, "note_added", n.id, n.created_at, NULL, NULL, NULL, e);
  if (!rc) {
    memset(out, 0, sizeof *out);
    out->id = n.id;
    out->relationship_id = rel_id;
    out->author_id = c->actor;
    out->visibility = v;
    out->created_at = n.created_at;
    out->text = arena_strdup(c->a, text);
    out->nreadable = note_readers(&r, c->actor, v, out->readable_by);
  }
  return app_finish(c, rc, e);
}

rp_rc app_notes_list(app_ctx *c, int64_t rel_id, int64_t after, int limit, app_note **items,
                     size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  store_note *rows = NULL;
  *n = 0;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc)
    rc = store_notes_readable(c->st, rel_id, c->actor, after, app_page_limit(limit), c->a, &rows,
                              n, next, e);
  app_note *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  for (size_t i = 0; !rc && i < *n; i++) {
    assert(note_readable(&r, rows[i].author_id, rows[i].visibility, c->actor));
    rc = view(c, &r, &rows[i], &v[i], e);
  }
  *items = v;
  store_rollback(c->st);
  return rc;
}

rp_rc app_note_get(app_ctx *c, int64_t note_id, app_note *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  store_note n;
  rc = store_note_get(c->st, note_id, c->a, &n, e);
  if (!rc) rc = app_rel_load(c, n.relationship_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc && !note_readable(&r, n.author_id, n.visibility, c->actor)) rc = RP_ERR_NOT_FOUND;
  if (rc == RP_ERR_NOT_FOUND) rc = not_found(e);
  if (!rc) rc = view(c, &r, &n, out, e);
  store_rollback(c->st);
  return rc;
}
