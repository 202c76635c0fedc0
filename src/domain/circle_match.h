/* circle_match.h: the matcher's proposals of peer circles: the hard
 * constraints of a group, a circle's score with its parts and sentences,
 * and the forming of many circles at once from a program's profiles.
 *
 * The people are domain/match.h's persons (the pool: topics are what a
 * person wants or offers, languages, half-hour slots of the week,
 * attribute values) and its guides (who may facilitate); every person is
 * an index, every name a small integer. Pure: no I/O, no clock.
 *
 * Hard constraints of a circle (cm_check), never broken by anything formed
 * here: two people who must stay apart (a private block by either one, or
 * one is the other's manager or manager's manager) are never in one
 * circle; every member speaks one language in common; the members'
 * availability overlaps, all at once, at least the program's minimum
 * minutes a week. A facilitator meets the same constraints with every
 * member and the common window.
 *
 * The score of a circle (cm_score) is 0..100, the weighted mean of the
 * parts that apply, each 0..100, with the program's matching weights for
 * topics, availability and attributes:
 *   topics        (when the program asks for overlapping topics) of the
 *                 members' topics, counted once per member, the share that
 *                 another member of the circle also has: 100 S / T;
 *                 applies when some member has a topic;
 *   availability  the weekly window when every member is free: 100 at the
 *                 target or more, the target the larger of 2 hours and
 *                 twice the minimum; always applies;
 *   attributes    (when the program asks for mixed attributes) over the
 *                 asked attributes declared by two or more members and with
 *                 two or more values in the pool: the distinct values
 *                 beyond the first, of the most there could be:
 *                 100 sum(v_a - 1) / sum(min(d_a, V_a) - 1).
 * Rounding as the pairs': (2 num + den) / (2 den). The search adds up the
 * score in hundredths (`fine`), so that it does not stall on rounding.
 *
 * Forming (cm_form), deterministic for a seed: greedy seeding, then local
 * search. Seeding takes, circle by circle, the unplaced person with the
 * fewest possible companions (ties by the seed's order) and adds the
 * unplaced person who keeps the circle within the constraints and gives it
 * the highest score, until the circle has its size; a seed that cannot
 * fill a circle is set aside. The local search then swaps two members of
 * two circles, or a member with an unplaced person, whenever both circles
 * stay within the constraints and the sum of the fine scores strictly
 * grows, until a pass finds no such swap or the passes run out.
 * Guarantees: no circle ever breaks a hard constraint; each accepted swap
 * strictly raises the total, so the search ends; when `converged`, no
 * single swap can raise it. Not guaranteed: the best partition (the
 * problem generalises 3-dimensional matching, NP-hard), nor that seeding
 * finds as many circles as could exist.
 */
#ifndef RAPPORT_DOMAIN_CIRCLE_MATCH_H
#define RAPPORT_DOMAIN_CIRCLE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "domain/circle.h"
#include "domain/match.h"

#define CM_TOPIC_WORDS (MATCH_MAX_TOPICS / 64)
#define CM_DEFAULT_PASSES 50

typedef enum cm_part { CM_P_TOPICS, CM_P_AVAILABILITY, CM_P_ATTRIBUTES, CM_NPARTS } cm_part;
/* "topics", "availability", "attributes". */
const char *cm_part_name(cm_part p);

/* Why a group may not be a circle (CM_FIT: it may). */
typedef enum cm_reason { CM_FIT = 0, CM_APART, CM_LANGUAGE, CM_OVERLAP } cm_reason;

/* Two people (by id) who are never in one circle together. */
typedef struct cm_apart {
  int64_t a, b;
} cm_apart;

typedef struct cm_instance {
  const match_person *people; /* the pool */
  size_t n;
  const match_person *guides; /* who may facilitate (taking_new) */
  size_t ng;
  const cm_apart *apart; /* sorted: cm_apart_sort */
  size_t napart;
  int nattrs;
  int nvalues[MATCH_MAX_ATTRS]; /* distinct values in the pool: cm_count_values */
  const char *const *topic_names;
  const char *const *lang_names;
  int min_overlap_minutes;
  int weight[CM_NPARTS];
} cm_instance;

typedef struct cm_request {
  int size;             /* members of each circle, 3..8 */
  int circles;          /* how many; 0: as many as fit */
  bool overlap_topics;  /* the topics part applies */
  bool mix_attributes;  /* the attributes part applies */
  uint32_t mix_mask;    /* the attributes to mix (bit a); 0: every one */
  bool facilitator;     /* a guide for each circle, where one fits */
  uint64_t seed;
  int max_passes;       /* 0: CM_DEFAULT_PASSES */
} cm_request;

typedef struct cm_parts {
  int part[CM_NPARTS];
  bool applies[CM_NPARTS];
  int weight[CM_NPARTS];
  int topics_shared, topics_held;   /* S and T of the topics part */
  int common_topics;                /* topics two or more members have */
  int members_alone;                /* members with topics none of whom shares */
  int overlap_minutes;              /* when every member is free */
  int mix_got, mix_most;            /* sum(v_a - 1), sum(min(d_a, V_a) - 1) */
  int score;                        /* 0..100 */
  int fine;                         /* 0..10000, before rounding */
} cm_parts;

typedef struct cm_circle {
  uint32_t member[CIRCLE_MAX_MEMBERS]; /* pool indexes */
  int nmembers;
  int32_t facilitator; /* guide index, -1: none */
  cm_parts parts;
} cm_circle;

typedef struct cm_result {
  cm_circle *circles; /* malloc'd: cm_result_free */
  size_t ncircles;
  size_t target;      /* circles asked for, or as many as the pool holds */
  int32_t *circle_of; /* per pool index: its circle or -1 (malloc'd) */
  int64_t total;      /* sum of the circles' scores */
  int64_t seeded;     /* the same after seeding, before the search */
  int passes;
  bool converged;     /* the last pass found no improving swap */
  int64_t swaps;
} cm_result;

/* Sorts pairs (each with a < b after this) and drops repeats; returns the
 * new count. */
size_t cm_apart_sort(cm_apart *p, size_t n);
/* Whether persons with these ids must stay apart. */
bool cm_must_part(const cm_instance *in, int64_t x, int64_t y);
/* Fills in->nvalues from the pool. */
void cm_count_values(cm_instance *in);

/* The first hard constraint the group of pool indexes breaks, or CM_FIT. */
cm_reason cm_check(const cm_instance *in, const uint32_t *members, int n);
/* Whether guide g may facilitate the group: not one of its members, no
 * member to stay apart from, a language of the group's common ones, and
 * the program's minimum within the group's common window. */
bool cm_facilitator_fits(const cm_instance *in, const uint32_t *members, int n, size_t g);

/* The score of a group that passes cm_check; fills *parts when not NULL. */
int cm_score(const cm_instance *in, const cm_request *req, const uint32_t *members, int n,
             cm_parts *parts);

/* Appends the sentences explaining a circle, separated by "; ", as the
 * program's admins read them: topics by name (the program's list, as on
 * profiles), the common window, the shared language, that the attribute
 * mix counts (never its figure, an attribute's name or anyone's value: as
 * the pairs' admin view leaves attributes out), and the facilitator.
 * Returns 0, or -1 when the buffer is full. */
int cm_explain(const cm_instance *in, const cm_request *req, const cm_circle *c, strbuf *out);

/* Forms the circles (see above). Returns 0, or -1 on a request out of
 * range (size not 3..8, circles < 0). */
int cm_form(const cm_instance *in, const cm_request *req, cm_result *out);
void cm_result_free(cm_result *r);

#endif
