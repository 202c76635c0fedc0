/* circle_repairs.h: store operations for incidents and repair in circles
 * and for goal reviews in circles (migration 0061): repair plans with
 * their sealed acknowledgement and responsibility and their amends, goal
 * reviews with their levels, and the shredding of what a person wrote in
 * circles when their account is deleted. */
#ifndef RAPPORT_STORE_CIRCLE_REPAIRS_H
#define RAPPORT_STORE_CIRCLE_REPAIRS_H

#include "domain/goal.h"
#include "domain/incident.h"
#include "store/store.h"

typedef struct store_circle_repair {
  repair_plan plan;        /* relationship_id holds the circle's id */
  rp_time acknowledged_at; /* 0 while the party has not acknowledged */
  rp_time recorded_at;
  rp_blob acknowledgement, responsibility; /* sealed; empty while not acknowledged */
} store_circle_repair;

rp_rc store_circle_repair_insert(store *s, store_circle_repair *p, rp_err *e);
rp_rc store_circle_repair_get(store *s, int64_t id, arena *a, store_circle_repair *out, rp_err *e);
/* The plan of incident_id; RP_ERR_NOT_FOUND when it has none. */
rp_rc store_circle_repair_of_incident(store *s, int64_t incident_id, arena *a,
                                      store_circle_repair *out, rp_err *e);
/* Every plan of the circle, in id order. */
rp_rc store_circle_repairs(store *s, int64_t circle_id, arena *a, store_circle_repair **items,
                           size_t *n, rp_err *e);
/* Records the party's acknowledgement (once, while open); RP_ERR_NOT_FOUND
 * when the plan was acknowledged or closed meanwhile. */
rp_rc store_circle_repair_acknowledge(store *s, int64_t id, rp_time at, rp_blob ack, rp_blob resp,
                                      rp_err *e);
/* Records the amends (once, while open) and links the commitments. */
rp_rc store_circle_repair_amends(store *s, int64_t id, rp_time at, const int64_t *item_ids,
                                 size_t n, rp_err *e);
rp_rc store_circle_repair_amend_ids(store *s, int64_t id, arena *a, int64_t **ids, size_t *n,
                                    rp_err *e);
/* Closes an open plan; RP_ERR_NOT_FOUND when it was closed meanwhile. */
rp_rc store_circle_repair_close(store *s, int64_t id, rp_time at, repair_outcome outcome,
                                rp_err *e);
/* Open plans whose follow-through period ended by now, after id `after`. */
rp_rc store_circle_repairs_due(store *s, rp_time now, int64_t after, int limit, arena *a,
                               store_circle_repair **items, size_t *n, int64_t *next, rp_err *e);

typedef struct store_circle_goal_review {
  int64_t id, circle_id, member_id, reviewer_id;
  rp_time at, recorded_at;
  double t_score;
  goal_review_level *levels; /* by goal id */
  size_t nlevels;
} store_circle_goal_review;

rp_rc store_circle_goal_review_insert(store *s, store_circle_goal_review *rv, rp_err *e);
/* Every goal review of the circle, in id order, with its levels. */
rp_rc store_circle_goal_reviews(store *s, int64_t circle_id, arena *a,
                                store_circle_goal_review **items, size_t *n, rp_err *e);

/* Empties every text person_id wrote in circle circle_id (0: in any
 * circle): what they wrote in circle_items and the texts of their repair
 * plans; and deletes their private circle notes. *n counts the rows
 * emptied or deleted. */
rp_rc store_circle_texts_shred_author(store *s, int64_t person_id, int64_t circle_id, int64_t *n,
                                      rp_err *e);

#endif
