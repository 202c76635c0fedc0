/* goals.h: store operations for goals, milestones and goal reviews.
 *
 * Goal text (title, SMART texts, level descriptions) is one sealed document
 * in `body`; milestone titles are sealed one by one. The store never sees
 * plaintext. Conventions as in store.h.
 */
#ifndef RAPPORT_STORE_GOALS_H
#define RAPPORT_STORE_GOALS_H

#include "domain/goal.h"
#include "store/store.h"

typedef struct store_goal {
  goal g;
  rp_blob body;     /* sealed goal document */
  bool has_level;   /* whether any review gave the goal a level */
  int latest_level; /* its level in the latest review (by time, then id) */
} store_goal;

typedef struct store_milestone {
  milestone m;
  rp_blob title; /* sealed */
} store_milestone;

typedef struct store_goal_review {
  int64_t id, relationship_id, reviewer_id;
  rp_time at;
  double t_score;
  goal_review_level *levels; /* in goal id order */
  size_t nlevels;
} store_goal_review;

/* Inserts g (its id is ignored) with the sealed body; sets *id. */
rp_rc store_goal_insert(store *s, const goal *g, rp_blob body, int64_t *id, rp_err *e);
rp_rc store_goal_get(store *s, int64_t id, arena *a, store_goal *out, rp_err *e);
rp_rc store_goal_set_status(store *s, int64_t id, goal_status status, rp_err *e);
rp_rc store_goals_list(store *s, int64_t rel_id, int64_t after, int limit, arena *a,
                       store_goal **items, size_t *n, int64_t *next, rp_err *e);
/* Every active goal of a relationship (metadata only), in id order. */
rp_rc store_goals_active(store *s, int64_t rel_id, arena *a, goal **items, size_t *n, rp_err *e);

/* Inserts a milestone (m->id and m->reached_at are ignored); sets *id. */
rp_rc store_milestone_insert(store *s, const milestone *m, rp_blob title, int64_t *id, rp_err *e);
rp_rc store_milestone_get(store *s, int64_t id, arena *a, store_milestone *out, rp_err *e);
/* Marks an unreached milestone reached at `at`; RP_ERR_CONFLICT
 * ("already_reached") when it was reached before. */
rp_rc store_milestone_reach(store *s, int64_t id, rp_time at, rp_err *e);
/* The milestones of goals of relationship rel_id with ids in
 * (goal_after, goal_last], ordered by goal id then milestone id: the
 * milestones of one goal, or of one page of goals. */
rp_rc store_milestones_of_goals(store *s, int64_t rel_id, int64_t goal_after, int64_t goal_last,
                                arena *a, store_milestone **items, size_t *n, rp_err *e);

/* Inserts a review with its levels (r->id is ignored); sets r->id. */
rp_rc store_goal_review_insert(store *s, store_goal_review *r, rp_err *e);
/* A page of a relationship's reviews, each with its levels. */
rp_rc store_goal_reviews_list(store *s, int64_t rel_id, int64_t after, int limit, arena *a,
                              store_goal_review **items, size_t *n, int64_t *next, rp_err *e);

#endif
