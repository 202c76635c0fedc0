/* match.h: the rules of matching learners with guides: the hard
 * constraints, the score with its parts and sentences, the optimal and the
 * greedy assignments, blocking pairs and why a learner is left unmatched.
 *
 * An instance is built by app/matching/ from the program's profiles; here
 * every person is an index (learners 0..nl-1, guides 0..ng-1) and every
 * name of the program's lists (topics, languages, attribute values) a
 * small integer. Pure: no I/O, no clock. The assignment (match_solve.c)
 * is a minimum-cost flow solved exactly by GLPK; the rest is plain C.
 *
 * Hard constraints (match_check), never broken by any assignment made
 * here: the same person on both sides; a private block by either side; a
 * conflict of interest (a manager or the manager's manager would guide);
 * a past relationship of the pair that ended after an incident; a pair the
 * admin excluded; no shared language; less weekly overlap of availability
 * than the program's minimum; a guide who takes no new learners. Capacity
 * is the flow's.
 *
 * The score (match_score) is 0..100, the weighted mean of the parts that
 * apply, each 0..100:
 *   topics        the learner's wanted topics the guide offers, each
 *                 weighted by rank (of k wanted, rank r weighs k-r+1);
 *                 applies when the learner chose topics;
 *   availability  weekly overlap: 100 at the target or more, where the
 *                 target is the larger of 4 hours and twice the minimum;
 *   language      100 when the learner's first language is shared, else 60;
 *   attributes    the learner's wishes (similar or different) met, of the
 *                 wishes where both declared a value; applies when there is
 *                 one such wish;
 *   experience    25 per relationship the guide has held in the program,
 *                 at most 100.
 * A rematch's exit answer doubles the weight of the part that did not fit
 * (topics, availability; style doubles experience and chemistry doubles
 * attributes), for that learner only.
 * Rounding: (2*sum(w*p) + sum(w)) / (2*sum(w)), integer.
 */
#ifndef RAPPORT_DOMAIN_MATCH_H
#define RAPPORT_DOMAIN_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

#define MATCH_MAX_WANTS 5
#define MATCH_MAX_TOPICS 256 /* topics of one program */
#define MATCH_MAX_LANGS 8    /* languages of one person */
#define MATCH_MAX_ATTRS 16   /* attributes of one program */
#define MATCH_SLOT_MINUTES 30
#define MATCH_WEEK_SLOTS (7 * 24 * 60 / MATCH_SLOT_MINUTES) /* 336 */
#define MATCH_AVAIL_WORDS ((MATCH_WEEK_SLOTS + 63) / 64)   /* 6 */

/* The parts of a score, in this order everywhere (weights, parts). */
typedef enum match_part {
  MATCH_P_TOPICS,
  MATCH_P_AVAILABILITY,
  MATCH_P_LANGUAGE,
  MATCH_P_ATTRIBUTES,
  MATCH_P_EXPERIENCE,
  MATCH_NPARTS
} match_part;
const char *match_part_name(match_part p);

/* Why a pair may not be matched (MATCH_FIT: it may). */
typedef enum match_reason {
  MATCH_FIT = 0,
  MATCH_SELF,
  MATCH_BLOCKED,
  MATCH_CONFLICT,
  MATCH_INCIDENT,
  MATCH_EXCLUDED,
  MATCH_NOT_TAKING,
  MATCH_LANGUAGE,
  MATCH_OVERLAP,
  MATCH_CAPACITY, /* only as an unmatched learner's reason: every fitting guide is full */
  MATCH_NREASONS
} match_reason;
/* "blocked", "conflict_of_interest", ... stable names for the API. */
const char *match_reason_name(match_reason r);

/* The exit answer's flags (a rematch after a no-fault ending). */
enum {
  MATCH_EXIT_TOPICS = 1,
  MATCH_EXIT_AVAILABILITY = 2,
  MATCH_EXIT_STYLE = 4,
  MATCH_EXIT_CHEMISTRY = 8
};

typedef enum match_wish { MATCH_WISH_NONE, MATCH_WISH_SIMILAR, MATCH_WISH_DIFFERENT } match_wish;

/* A person's side of the instance. Attribute values are small integers per
 * attribute (equal means the same value), -1 when not declared. */
typedef struct match_person {
  int64_t id;
  const char *name;
  uint16_t langs[MATCH_MAX_LANGS]; /* the first is the preferred one */
  int nlangs;
  uint64_t avail[MATCH_AVAIL_WORDS]; /* half-hour slots of the week, UTC */
  int16_t attr[MATCH_MAX_ATTRS];
  /* learners */
  uint16_t wants[MATCH_MAX_WANTS]; /* topic numbers, rank 1 first */
  int nwants;
  uint8_t wish[MATCH_MAX_ATTRS]; /* match_wish */
  unsigned exit_flags;           /* MATCH_EXIT_* */
  /* guides */
  uint64_t offers[MATCH_MAX_TOPICS / 64];
  int capacity; /* free places for this assignment */
  bool taking_new;
  int experience; /* relationships held in the program */
} match_person;

/* A pair that may never be matched, with its reason (blocks, conflicts of
 * interest, past incidents, exclusions). */
typedef struct match_forbid {
  uint32_t learner, guide;
  match_reason reason;
} match_forbid;

typedef struct match_settings {
  int weight[MATCH_NPARTS]; /* 0..100 each, not all 0 */
  int min_overlap_minutes;
  bool fairness;
} match_settings;

typedef struct match_instance {
  const match_person *learners;
  size_t nl;
  const match_person *guides;
  size_t ng;
  const match_forbid *forbid; /* sorted by (learner, guide): match_forbid_sort */
  size_t nforbid;
  match_settings set;
  int nattrs;
  const char *const *attr_names; /* nattrs names, lowercase, for sentences */
  const char *const *topic_names;
} match_instance;

/* The defaults: weights 40 20 10 15 15, a minimum of one hour, plain mode. */
match_settings match_settings_default(void);

/* Sorts forbidden pairs for match_check, keeping one per pair (the lowest
 * reason). Returns the new count. */
size_t match_forbid_sort(match_forbid *f, size_t n);

/* Fills a person's availability from windows [start, end) in minutes of
 * the week; a window covers every half-hour slot it overlaps wholly. */
void match_avail_set(uint64_t avail[MATCH_AVAIL_WORDS], const int *start, const int *end,
                     size_t n);
/* Weekly overlap in minutes. */
int match_overlap_minutes(const match_person *a, const match_person *b);

/* The first hard constraint the pair breaks, in the order of the enum, or
 * MATCH_FIT. Capacity is not checked here. */
match_reason match_check(const match_instance *in, size_t l, size_t g);

/* What a score is made of. */
typedef struct match_parts {
  int part[MATCH_NPARTS];      /* 0..100 */
  bool applies[MATCH_NPARTS];  /* whether the part counts */
  int weight[MATCH_NPARTS];    /* the weight it counted with (exit answers doubled) */
  int topics_met, topics_wanted;
  int overlap_minutes;
  bool first_language;
  int wishes_met, wishes_considered;
  int score; /* 0..100 */
} match_parts;

/* The score of a pair that passes match_check; fills *parts when not NULL. */
int match_score(const match_instance *in, size_t l, size_t g, match_parts *parts);

/* Who reads an explanation: each sees only what is theirs to see. The
 * learner sees the attribute sentence (their own wishes, never the guide's
 * values); the guide and the admin never see attributes or wishes. */
typedef enum match_viewer { MATCH_VIEW_LEARNER, MATCH_VIEW_GUIDE, MATCH_VIEW_ADMIN } match_viewer;

/* Appends the sentences explaining a score, separated by "; ", e.g. "3 of
 * Leo's 4 topics are Amara's strengths; 5 hours a week overlap; a
 * different department, as Leo asked". Returns 0, or -1 when the buffer is
 * full. */
int match_explain(const match_instance *in, size_t l, size_t g, const match_parts *p,
                  match_viewer v, strbuf *out);

/* ---- assignments ---- */

/* A locked pair kept by a re-run (its guide's capacity already reduced by
 * the caller). */
typedef struct match_result {
  int32_t *guide_of; /* nl entries: the guide's index or -1 */
  int *score_of;     /* nl entries: the pair's score, 0 when unmatched */
  int64_t matched, total;
  int minimum;       /* the lowest matched score, 0 when none */
  int threshold;     /* fairness: every pair scores at least this */
  int64_t candidate_pairs;
} match_result;

/* The assignment that matches the most learners and, among those, has the
 * largest total score; in fairness mode, among those that match the most
 * learners, the ones whose lowest score is highest, and among them the
 * largest total. Deterministic. guide_of and score_of must hold nl
 * entries. Returns 0, or -1 when the solver failed (no assignment). */
int match_solve(const match_instance *in, match_result *out);

/* Sets matched, total and minimum from guide_of and score_of. */
void match_result_summarise(const match_instance *in, match_result *r);

/* Each learner in order takes the fitting guide with free capacity of the
 * highest score (lowest index on ties): what a first-come tool gives. */
void match_greedy(const match_instance *in, match_result *out);

/* Pairs (l, g) that fit, are not matched together, and would both rather
 * have each other: l is unmatched or scores g above its own match, and g
 * has a free place or scores l above one of its learners. */
int64_t match_blocking_pairs(const match_instance *in, const match_result *r);

/* Why learner l is unmatched: MATCH_CAPACITY when some guide fits but is
 * full, else the constraint that rules out the most guides (lowest reason
 * on ties). counts (may be NULL) gets how many guides each reason ruled out. */
match_reason match_unmatched_reason(const match_instance *in, const match_result *r, size_t l,
                                    int counts[MATCH_NREASONS]);

/* The k best fitting guides for learner l with a free place, by score then
 * index; returns how many were written to idx (and their scores). */
size_t match_top(const match_instance *in, size_t l, size_t k, uint32_t *idx, int *scores);

#endif
