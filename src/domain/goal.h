/* goal.h: goals, their milestones and their reviews (TRUST-MODEL.md 3.5).
 *
 * A goal is SMART: specific, measurable, achievable, relevant and time-bound
 * (a due date). A goal missing any of these is kept, not refused; it carries
 * hints naming what is missing, so the pair can improve it. Each goal has an
 * importance weight and may describe its Goal Attainment Scaling levels
 * -2..+2 (0 = the expected outcome). A review puts active goals at a level.
 *
 * Statuses: active, achieved, dropped; any status may change to another
 * (a goal marked achieved by mistake can be reopened), never to itself.
 * Pure rules: no I/O, no clock.
 */
#ifndef RAPPORT_DOMAIN_GOAL_H
#define RAPPORT_DOMAIN_GOAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/timeutil.h"
#include "domain/relationship.h"

#define GOAL_TITLE_MAX 200
#define GOAL_SMART_TEXT_MAX 2000
#define GOAL_LEVEL_TEXT_MAX 500
#define GOAL_WEIGHT_DEFAULT 1.0
#define GOAL_WEIGHT_MAX 100.0
#define GOAL_LEVEL_MIN (-2)
#define GOAL_LEVEL_MAX 2
#define GOAL_LEVEL_COUNT 5
#define GOAL_NO_DUE INT32_MIN /* due_on of a goal without a due date */
/* Hints: the four SMART texts, the due date, and the five levels. */
#define GOAL_HINT_MAX 10
#define GOAL_REVIEW_MAX 100 /* goals in one review */
#define MILESTONE_TITLE_MAX 200

typedef enum goal_status { GOAL_ACTIVE, GOAL_ACHIEVED, GOAL_DROPPED } goal_status;
#define GOAL_STATUS_COUNT 3

/* The confidential part of a goal, sealed together as one document. A NULL
 * (or blank) text is missing; levels[x + 2] describes level x. */
typedef struct goal_text {
  const char *title;
  const char *specific, *measurable, *achievable, *relevant;
  const char *levels[GOAL_LEVEL_COUNT];
} goal_text;

/* The metadata of a goal (non-confidential). */
typedef struct goal {
  int64_t id, relationship_id, created_by;
  rp_time created_at;
  int32_t due_on; /* days since 1970-01-01, or GOAL_NO_DUE */
  double weight;
  goal_status status;
} goal;

typedef struct milestone {
  int64_t id, goal_id;
  rp_time created_at;
  rp_time reached_at; /* 0 while not reached */
} milestone;

/* One goal's level in a review. */
typedef struct goal_review_level {
  int64_t goal_id;
  int level;
} goal_review_level;

const char *goal_status_name(goal_status s);
/* Returns true and sets *out when name is a status's name. */
bool goal_status_parse(const char *name, goal_status *out);

/* The key of level x ("-2" .. "2") in the API and the sealed document. */
const char *goal_level_key(int x);
/* The five keys in level order, NULL-terminated (an allowed-fields list). */
extern const char *const goal_level_keys[GOAL_LEVEL_COUNT + 1];
/* Returns true and sets *x when key is exactly one of "-2", "-1", "0", "1",
 * "2" (no sign on positives, no leading zeros, no spaces). */
bool goal_level_key_parse(const char *key, int *x);
bool goal_level_valid(int64_t x);
/* A weight is a finite number greater than 0 and at most GOAL_WEIGHT_MAX. */
bool goal_weight_valid(double w);
/* Whether a text counts as given: not NULL and not only white space. */
bool goal_text_present(const char *s);

/* Checks a new goal: a present title of at most GOAL_TITLE_MAX bytes, SMART
 * texts of at most GOAL_SMART_TEXT_MAX, level texts of at most
 * GOAL_LEVEL_TEXT_MAX, and the weight. Adds field errors (/title,
 * /specific, ..., /levels/<key>, /weight) and returns RP_ERR_INVALID, or
 * RP_OK. */
rp_rc goal_check(const goal_text *t, double weight, rp_err *e);

/* Fills hints with the names of what a goal lacks, in this order:
 * "specific", "measurable", "achievable", "relevant", "due_on", then
 * "level -2" .. "level 2" for each level without a description. Returns
 * how many (at most GOAL_HINT_MAX). */
size_t goal_hints(const goal_text *t, int32_t due_on, const char *hints[GOAL_HINT_MAX]);

/* Whether a goal may go from `from` to `to`: RP_ERR_CONFLICT
 * ("status_unchanged") when they are the same. */
rp_rc goal_status_change(goal_status from, goal_status to, rp_err *e);

/* Checks a milestone title: present and at most MILESTONE_TITLE_MAX bytes,
 * else a field error at /title. */
rp_rc milestone_check(const char *title, rp_err *e);

/* Returns true and sets *id when key is a goal id as the API writes it: a
 * positive decimal integer without sign or leading zeros. */
bool goal_review_key_parse(const char *key, int64_t *id);

/* Checks a review at time `at` against the relationship's active goals:
 * at least one and at most GOAL_REVIEW_MAX levels; every goal id must be an
 * active goal of the relationship created at or before `at` (else a field
 * error at /levels/<id>), named once, with a level in -2..+2. On RP_OK,
 * weights[i] is the weight of levels[i].goal_id. */
rp_rc goal_review_check(const goal_review_level *levels, size_t n, const goal *active,
                        size_t nactive, rp_time at, double *weights, rp_err *e);

#endif
