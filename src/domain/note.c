/* note.c: note visibility and the readable-by rule (see note.h). */
#include "domain/note.h"

#include <assert.h>
#include <string.h>

static const char *const visibility_names[NOTE_VISIBILITY_COUNT] = {"private", "shared"};

const char *note_visibility_name(note_visibility v) {
  assert((unsigned)v < NOTE_VISIBILITY_COUNT);
  return visibility_names[v];
}

bool note_visibility_parse(const char *name, note_visibility *out) {
  for (int i = 0; i < NOTE_VISIBILITY_COUNT; i++) {
    if (name && strcmp(name, visibility_names[i]) == 0) {
      *out = (note_visibility)i;
      return true;
    }
  }
  return false;
}

/* Whether id is the guide or the learner of r. */
static bool is_party(const relationship *r, int64_t id) {
  return id != 0 && (id == r->guide_id || id == r->learner_id);
}

bool note_readable(const relationship *r, int64_t author, note_visibility v, int64_t reader) {
  if (!is_party(r, author) || !is_party(r, reader)) return false;
  return reader == author || v == NOTE_SHARED;
}

size_t note_readers(const relationship *r, int64_t author, note_visibility v, int64_t out[2]) {
  size_t n = 0;
  out[n++] = author;
  int64_t other = author == r->guide_id ? r->learner_id : r->guide_id;
  if (note_readable(r, author, v, other)) out[n++] = other;
  return n;
}

rp_rc note_text_check(const char *text, rp_err *e) {
  size_t n = text ? strlen(text) : 0;
  if (n == 0) rp_field(e, "/text", "Must not be empty.");
  else if (n > NOTE_TEXT_MAX) rp_field(e, "/text", "Must be at most %d bytes.", NOTE_TEXT_MAX);
  else return RP_OK;
  return RP_ERR_INVALID;
}
