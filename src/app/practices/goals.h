/* goals.h: use cases for goals, milestones and goal reviews.
 *
 * Only the two parties see or change goals (admins and strangers get
 * RP_ERR_NOT_FOUND). New goals and milestones need an active relationship;
 * status changes, milestones reached and reviews need one that still allows
 * outcomes (active, paused, completed). Otherwise RP_ERR_CONFLICT
 * ("relationship_state"). Goal text is sealed as one document (SEAL_GOAL,
 * author 0: a goal belongs to the pair); milestone titles with
 * SEAL_MILESTONE (author 0). Events: "goal_added", "goal_status",
 * "milestone_added", "milestone_reached", "goal_review".
 */
#ifndef RAPPORT_APP_PRACTICES_GOALS_H
#define RAPPORT_APP_PRACTICES_GOALS_H

#include "app/core/core.h"
#include "domain/goal.h"

typedef struct app_milestone_view {
  milestone m;
  const char *title;
} app_milestone_view;

typedef struct app_goal_view {
  goal g;
  goal_text text;
  const char *hints[GOAL_HINT_MAX];
  size_t nhints;
  bool has_level;   /* latest_level is meaningful */
  int latest_level; /* the goal's level in the latest review */
  app_milestone_view *milestones;
  size_t nmilestones;
} app_goal_view;

/* A party adds a goal. due_on is GOAL_NO_DUE when not given. Missing SMART
 * parts are hints in *out, not errors; RP_ERR_INVALID for a missing title,
 * texts too long or a weight outside (0, 100]. */
rp_rc app_goal_add(app_ctx *c, int64_t rel_id, const goal_text *text, int32_t due_on, double weight,
                   const rp_time *at, app_goal_view *out, rp_err *e);
rp_rc app_goal_get(app_ctx *c, int64_t id, app_goal_view *out, rp_err *e);
rp_rc app_goals_list(app_ctx *c, int64_t rel_id, int64_t after, int limit, app_goal_view **items,
                     size_t *n, int64_t *next, rp_err *e);
/* Changes a goal's status; RP_ERR_CONFLICT ("status_unchanged") when it has
 * it already; `at` may not be before the goal was added. */
rp_rc app_goal_set_status(app_ctx *c, int64_t id, goal_status status, const rp_time *at,
                          app_goal_view *out, rp_err *e);

/* Adds a milestone to an active goal (RP_ERR_CONFLICT "goal_not_active"
 * otherwise); `at` (its creation time) may not be before the goal. */
rp_rc app_milestone_add(app_ctx *c, int64_t goal_id, const char *title, const rp_time *at,
                        app_milestone_view *out, rp_err *e);
/* Marks a milestone reached: RP_ERR_CONFLICT "already_reached", or
 * "goal_dropped" when its goal was dropped; `at` may not be before the
 * milestone was added. */
rp_rc app_milestone_reached(app_ctx *c, int64_t id, const rp_time *at, app_milestone_view *out,
                            rp_err *e);

/* A party reviews active goals: levels[i] puts a goal at -2..+2. The T score
 * (trust/gas.h) is computed over the goals reviewed with their weights. */
rp_rc app_goal_review_add(app_ctx *c, int64_t rel_id, const goal_review_level *levels, size_t n,
                          const rp_time *at, store_goal_review *out, rp_err *e);
rp_rc app_goal_reviews_list(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                            store_goal_review **items, size_t *n, int64_t *next, rp_err *e);

#endif
