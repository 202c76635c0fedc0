/* practice.h: the practice library (TRUST-MODEL.md 6).
 *
 * A practice is something a pair can do that builds trust: agree
 * expectations, keep commitments, reply on time, ask for feedback, and so
 * on. Each has a stable integer id (the API's /practices/{id}), a stable
 * slug (what warnings store and clients may switch on), a title, a short
 * paragraph in the product's own words, and two or three reflection
 * questions written in the first person so that either party can ask them
 * of themselves.
 *
 * Every warning code of TRUST-MODEL.md 4 links to exactly one practice
 * (practice_for_warning); some practices are linked from elsewhere (a
 * repair plan links "rebuild-after-breach"; "celebrate-milestones" is
 * offered in the library). The table is static: nothing here allocates or
 * fails. Pure data and lookups: no I/O, no clock.
 */
#ifndef RAPPORT_DOMAIN_PRACTICE_H
#define RAPPORT_DOMAIN_PRACTICE_H

#include <stddef.h>

#define PRACTICE_MAX_QUESTIONS 3
#define PRACTICE_MAX_WARNINGS 4

typedef struct practice {
  int id;           /* 1.., stable */
  const char *slug; /* "agree-expectations", stable */
  const char *title;
  const char *summary;                           /* one short paragraph */
  const char *questions[PRACTICE_MAX_QUESTIONS]; /* nquestions of them (2 or 3) */
  size_t nquestions;
  const char *warnings[PRACTICE_MAX_WARNINGS]; /* the warning codes linking here */
  size_t nwarnings;
} practice;

/* The slug of the practice a repair plan links to. */
#define PRACTICE_REPAIR_SLUG "rebuild-after-breach"

/* How many practices the library holds, and the i-th (0-based, in id
 * order); NULL when i is out of range. */
size_t practice_count(void);
const practice *practice_at(size_t i);

/* The practice with this id or slug; NULL when there is none. */
const practice *practice_by_id(int id);
const practice *practice_by_slug(const char *slug);

/* The practice that answers warning `code` ("CADENCE_GAP", ...); NULL for
 * an unknown code. */
const practice *practice_for_warning(const char *code);

#endif
