/* note.h: notes a party writes in a relationship, and who may read them.
 *
 * A note is `private` (only its author can ever read it) or `shared` (both
 * parties can). A program admin never reads a note, whatever its
 * visibility, nor does anyone outside the relationship. Pure rules: no I/O,
 * no clock.
 */
#ifndef RAPPORT_DOMAIN_NOTE_H
#define RAPPORT_DOMAIN_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/relationship.h"

#define NOTE_TEXT_MAX 20000 /* bytes */

typedef enum note_visibility { NOTE_PRIVATE, NOTE_SHARED } note_visibility;
#define NOTE_VISIBILITY_COUNT 2

/* "private" or "shared". */
const char *note_visibility_name(note_visibility v);
/* Returns true and sets *out when name is a visibility's name. */
bool note_visibility_parse(const char *name, note_visibility *out);

/* Whether `reader` may read a note of r written by `author` with
 * visibility v: the author always (authors are parties), the other party
 * only when shared, nobody else ever (admins included). */
bool note_readable(const relationship *r, int64_t author, note_visibility v, int64_t reader);

/* The people who may read such a note, the author first, into out; returns
 * how many (1 or 2). */
size_t note_readers(const relationship *r, int64_t author, note_visibility v, int64_t out[2]);

/* A note's text must have 1..NOTE_TEXT_MAX bytes; RP_ERR_INVALID at /text. */
rp_rc note_text_check(const char *text, rp_err *e);

#endif
