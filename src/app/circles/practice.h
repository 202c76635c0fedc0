/* practice.h: incidents and repair, goal reviews and account deletion in
 * circles (the circles room, app/circles/circles.h).
 *
 * Incidents and repair go as in pairs (domain/incident.h, TRUST-MODEL.md
 * 3.6 and 5): a member reports an incident, optionally concerning another
 * member; only the member concerned acknowledges it, which makes it
 * evidence (INT v 0, w 5 in the circle's trust in them; a confidentiality
 * breach caps their P_INT at 0.85 for 180 days) and opens their repair
 * plan; they acknowledge it in their own words and take responsibility
 * (INT v 1, w 0.5), the circle agrees amends as their commitments in the
 * circle due within the follow-through period (INT v 1, w 0.5); the plan
 * closes as repaired or not repaired by app_circle_repairs_close_due
 * (repair_decide), or ended by the circle. Any member or the facilitator
 * resolves an incident. Each step is a circle event; the plan's texts are
 * sealed with the circle's key and every reading is in the access log.
 *
 * Goal reviews (TRUST-MODEL.md 3.5): a member's active goals in the circle
 * are reviewed with the circle at levels -2..+2 (each goal weighs 1); the
 * T score gives COM evidence v = trust_gas_evidence(T), w 1, in the
 * circle's trust in that member.
 *
 * Account deletion (app/yourdata): the person leaves every circle they are
 * in and what they wrote in circles is shredded.
 */
#ifndef RAPPORT_APP_CIRCLES_PRACTICE_H
#define RAPPORT_APP_CIRCLES_PRACTICE_H

#include "app/circles/circles.h"
#include "store/circle_repairs.h"

/* ---- incidents and repair ---- */

/* The member concerned acknowledges the incident: it becomes evidence and
 * their repair plan opens. */
rp_rc app_circle_incident_acknowledge(app_ctx *c, int64_t item_id, const rp_time *at,
                                      app_circle_item *out, rp_err *e);
/* Any member or the facilitator marks the incident resolved. */
rp_rc app_circle_incident_resolve(app_ctx *c, int64_t item_id, const rp_time *at,
                                  app_circle_item *out, rp_err *e);

typedef struct app_circle_repair {
  store_circle_repair p;
  rp_time ends_at;
  const char *acknowledgement, *responsibility; /* opened; NULL until acknowledged */
  app_circle_item *amends;
  size_t namends;
  int kept, broken, dropped, open; /* the amends' outcomes */
  size_t checkins_held;            /* the circle's check-ins since the plan opened */
} app_circle_repair;

rp_rc app_circle_repair_get(app_ctx *c, int64_t plan_id, app_circle_repair *out, rp_err *e);
rp_rc app_circle_repairs(app_ctx *c, int64_t circle_id, int64_t after, int limit,
                         app_circle_repair **items, size_t *n, int64_t *next, rp_err *e);
rp_rc app_circle_repair_acknowledge(app_ctx *c, int64_t plan_id, const char *text,
                                    const char *responsibility, const rp_time *at,
                                    app_circle_repair *out, rp_err *e);
rp_rc app_circle_repair_amends(app_ctx *c, int64_t plan_id, const int64_t *commitment_ids,
                               size_t n, const rp_time *at, app_circle_repair *out, rp_err *e);
rp_rc app_circle_repair_close(app_ctx *c, int64_t plan_id, const rp_time *at,
                              app_circle_repair *out, rp_err *e);
/* The time job: closes the plans whose outcome is certain. */
rp_rc app_circle_repairs_close_due(app_ctx *sys, int *changed, rp_err *e);

/* ---- goal reviews ---- */

/* Reviews the active goals of member_id (0: the caller) at levels[0..n);
 * by that member or the facilitator. */
rp_rc app_circle_goal_review_add(app_ctx *c, int64_t circle_id, int64_t member_id,
                                 const goal_review_level *levels, size_t n, const rp_time *at,
                                 store_circle_goal_review *out, rp_err *e);
rp_rc app_circle_goal_reviews(app_ctx *c, int64_t circle_id, int64_t after, int limit,
                              store_circle_goal_review **items, size_t *n, int64_t *next,
                              rp_err *e);

/* ---- adding members ---- */

typedef struct app_circle_candidate {
  int64_t person_id;
  const char *name;
  member_role role; /* guide or learner (guide when both) */
} app_circle_candidate;

/* The program's guides and learners who were never in circle id, by
 * person id, paged: whom its facilitator (or a program admin) may add
 * while it is active. Anyone else in the circle: RP_ERR_FORBIDDEN "role". */
rp_rc app_circle_candidates(app_ctx *c, int64_t id, int64_t after, int limit,
                            app_circle_candidate **items, size_t *n, int64_t *next, rp_err *e);

/* ---- account deletion ---- */

/* Inside the caller's write transaction: the actor leaves every circle
 * they are in (a "member_left" event; an active circle left with fewer
 * than 3 members pauses) and what they wrote in circles is shredded.
 * *ncircles counts their circles. */
rp_rc app_circles_forget_actor(app_ctx *c, size_t *ncircles, rp_err *e);

#endif
