/* f360.h: the rules of 360-degree feedback, pure (no I/O, no clock).
 *
 * A person asks several raters for feedback about themselves. The rating
 * items are the four trust components of TRUST-MODEL.md 1, anchored in
 * behaviour ("follows through on what they say they will do"), answered 1
 * to 5 or "can't say" (0); the requester rates themselves on the same
 * items.
 *
 * Who may learn what (f360_figure): ratings are shown per rater group
 * (guide, peers, colleagues, others) only when the group rests on at least
 * k raters; smaller groups are merged into "others"; then the cells of the
 * table (row 0 every rater, then one row per group; one column per item)
 * go through domain/kanon.h's k-anonymity and complementary suppression,
 * so that no hidden group can be recovered from the whole. A cell's units
 * are its raters who are program members; only a cell without any member
 * rests on its outside raters. Outside raters answer through a link the
 * requester passes on, so the requester may answer some of them: they
 * never help hide a member. A guide's answers count as the guide's own
 * only when the guide signs them (those are shown apart, not here).
 *
 * The gap between the self-assessment and every rater is per item, only
 * where the raters' figure is shown. The report ends with the practices
 * of its lowest items (f360_reflection).
 */
#ifndef RAPPORT_DOMAIN_F360_H
#define RAPPORT_DOMAIN_F360_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "domain/kanon.h"
#include "domain/practice.h"

#define F360_NITEM 7
#define F360_K_MIN 3
#define F360_PURPOSE_MAX 1000    /* why the requester asks */
#define F360_TEXT_MAX 2000       /* each open answer */
#define F360_RATERS_MAX 40       /* members and links of one request */
#define F360_DEADLINE_MIN_DAYS 1 /* from now */
#define F360_DEADLINE_MAX_DAYS 90
#define F360_RERATE_DAYS 365     /* a member rates the same requester once in this time */
#define F360_REFLECT_ITEMS 2     /* the lowest items whose practices end a report */

typedef enum f360_group {
  F360_GUIDE = 0,
  F360_PEER,
  F360_COLLEAGUE,
  F360_OTHER,
  F360_NGROUP
} f360_group;

#define F360_ALL 0                  /* row 0 of the figures: every rater */
#define F360_ROW(g) ((size_t)(g) + 1) /* the row of a group */
#define F360_NROW (F360_NGROUP + 1)

typedef struct f360_item {
  const char *code;      /* "REL1", stable */
  const char *component; /* "REL", "INT", "COM", "EMP" */
  const char *statement; /* behaviour-anchored, about the requester */
  const char *practice;  /* the slug of the practice that fits it */
} f360_item;

/* The i-th item (0..F360_NITEM-1). */
const f360_item *f360_item_at(size_t i);

/* "guide", "peers", "colleagues", "others"; parsing accepts those names. */
const char *f360_group_name(f360_group g);
bool f360_group_parse(const char *s, f360_group *out);

/* Checks ratings[F360_NITEM], each 0 ("can't say") to 5; `self` also
 * requires at least one rated item. RP_ERR_VALIDATION at /ratings/<i>. */
rp_rc f360_ratings_check(const int *ratings, bool self, rp_err *e);

/* One rater's answer, as the figures see it: no identity. */
typedef struct f360_answer {
  f360_group group;
  bool member; /* a program member; false for an outside rater through a link */
  int ratings[F360_NITEM];
} f360_answer;

typedef struct f360_cell {
  size_t members, outsiders; /* raters of the row who rated the item */
  kanon_cell k;              /* units, and why hidden */
  double mean;               /* 0 when hidden */
} f360_cell;

typedef struct f360_figures {
  size_t k;
  size_t answers[F360_NROW];  /* answers behind each row, after merging */
  bool merged[F360_NGROUP];   /* the group was merged into "others" */
  f360_cell cell[F360_NROW][F360_NITEM];
  bool shown[F360_NROW];      /* any cell of the row is shown */
  bool has_gap[F360_NITEM];
  double gap[F360_NITEM];     /* self minus every rater's mean */
} f360_figures;

/* The figures of n unsigned answers for threshold k (at least F360_K_MIN
 * is used), with the requester's self-assessment (NULL: none). */
void f360_figure(const f360_answer *answers, size_t n, const int *self, size_t k,
                 f360_figures *out);

/* The items whose practices end the report, lowest first: the lowest shown
 * means of every rater (ties in item order), at most F360_REFLECT_ITEMS,
 * none below 4 left out (nothing to work on there). Without shown figures,
 * the lowest items of the self-assessment. Returns how many it wrote. */
size_t f360_reflection(const f360_figures *f, const int *self, size_t out[F360_REFLECT_ITEMS]);

/* Whether a member invited at `invited` is still within F360_RERATE_DAYS
 * of a new request made at `now` (times in seconds). */
bool f360_rerate_blocked(long long invited, long long now);

#endif
