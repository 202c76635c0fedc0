/* routes_circle_repair.c: incidents and repair, and goal reviews, in peer
 * circles (app/circles/practice.h); the routes of pairs' incidents and
 * repair plans (routes_pulses.c) and goal reviews (routes_goals.c), for a
 * circle.
 *
 *   POST /api/v1/circle-items/{id}/acknowledge       {at?}          -> incident
 *   POST /api/v1/circle-items/{id}/resolve           {at?}          -> incident
 *   GET  /api/v1/circles/{id}/repair-plans                          -> {items, next}
 *   GET  /api/v1/circle-repair-plans/{id}                           -> plan
 *   POST /api/v1/circle-repair-plans/{id}/acknowledge {text, responsibility, at?} -> plan
 *   POST /api/v1/circle-repair-plans/{id}/amends     {commitment_ids, at?}        -> plan
 *   POST /api/v1/circle-repair-plans/{id}/close      {at?}          -> plan
 *   POST /api/v1/circles/{id}/goal-reviews           {levels, member_id?, at?} -> 201 review
 *   GET  /api/v1/circles/{id}/goal-reviews                          -> {items, next}
 *   GET  /api/v1/circles/{id}/candidates   whom the facilitator may add -> {items, next}
 */
#include "http/http.h"

#include <stdio.h>
#include <string.h>

static json_t *render_plan(const app_circle_repair *v) {
  const repair_plan *p = &v->p.plan;
  json_t *amends = json_array();
  for (size_t i = 0; i < v->namends; i++) json_array_append_new(amends, render_circle_item(&v->amends[i]));
  json_t *ack = json_null();
  if (p->acknowledged)
    ack = json_pack("{s:o, s:o, s:o}", "text", jt_str(v->acknowledgement), "responsibility",
                    jt_str(v->responsibility), "at", jt_time(v->p.acknowledged_at));
  const char *outcome = p->outcome == REPAIR_ENDED_BY_PAIR ? "ended_by_circle"
                                                           : repair_outcome_name(p->outcome);
  json_t *out = json_pack(
      "{s:I, s:I, s:I, s:I, s:s, s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)p->id,
      "incident_id", (json_int_t)p->incident_id, "circle_id", (json_int_t)p->relationship_id,
      "party_id", (json_int_t)p->party_id, "state", p->outcome == REPAIR_OPEN ? "open" : "closed",
      "outcome", jt_str(outcome), "opened_at", jt_time(p->opened_at), "follow_through_days",
      p->follow_through_days, "ends_at", jt_time(v->ends_at), "closed_at", jt_time(p->closed_at),
      "acknowledgement", ack, "amends_agreed_at", jt_time(p->amends_agreed_at), "commitments",
      amends);
  json_object_set_new(out, "kept", json_integer(v->kept));
  json_object_set_new(out, "broken", json_integer(v->broken));
  json_object_set_new(out, "open", json_integer(v->open));
  json_object_set_new(out, "dropped", json_integer(v->dropped));
  json_object_set_new(out, "checkins_held", json_integer((json_int_t)v->checkins_held));
  return out;
}

static json_t *render_review(const store_circle_goal_review *rv) {
  json_t *levels = json_object();
  for (size_t i = 0; i < rv->nlevels; i++) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)rv->levels[i].goal_id);
    json_object_set_new(levels, key, json_integer(rv->levels[i].level));
  }
  return json_pack("{s:I, s:I, s:I, s:I, s:o, s:f, s:o}", "id", (json_int_t)rv->id, "circle_id",
                   (json_int_t)rv->circle_id, "member_id", (json_int_t)rv->member_id,
                   "reviewer_id", (json_int_t)rv->reviewer_id, "at", jt_time(rv->at), "t_score",
                   rv->t_score, "levels", levels);
}

typedef rp_rc (*incident_step_fn)(app_ctx *c, int64_t item_id, const rp_time *at,
                                  app_circle_item *out, rp_err *e);

static rp_rc incident_step(http_req *r, incident_step_fn fn, rp_err *e) {
  rp_time at = 0;
  bool has_at = false;
  if (http_read_at_only(r, &at, &has_at, e)) return e->rc;
  app_circle_item out;
  rp_rc rc = fn(&r->app, r->id[0], has_at ? &at : NULL, &out, e);
  if (!rc) r->out = render_circle_item(&out);
  return rc;
}

static rp_rc incident_acknowledge(http_req *r, rp_err *e) {
  return incident_step(r, app_circle_incident_acknowledge, e);
}

static rp_rc incident_resolve(http_req *r, rp_err *e) {
  return incident_step(r, app_circle_incident_resolve, e);
}

static rp_rc plan_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_circle_repair *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_circle_repairs(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_plan(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc plan_get(http_req *r, rp_err *e) {
  app_circle_repair v;
  rp_rc rc = app_circle_repair_get(&r->app, r->id[0], &v, e);
  if (!rc) r->out = render_plan(&v);
  return rc;
}

static rp_rc plan_acknowledge(http_req *r, rp_err *e) {
  const char *text, *resp;
  rp_time at = 0;
  bool has_at = false;
  if (http_read_acknowledgement(r, &text, &resp, &at, &has_at, e)) return e->rc;
  app_circle_repair v;
  rp_rc rc = app_circle_repair_acknowledge(&r->app, r->id[0], text, resp, has_at ? &at : NULL, &v, e);
  if (!rc) r->out = render_plan(&v);
  return rc;
}

static rp_rc plan_amends(http_req *r, rp_err *e) {
  rp_time at = 0;
  bool has_at = false;
  int64_t ids[REPAIR_AMENDS_MAX];
  size_t n = 0;
  if (http_read_amends(r, ids, &n, &at, &has_at, e)) return e->rc;
  app_circle_repair v;
  rp_rc rc = app_circle_repair_amends(&r->app, r->id[0], ids, n, has_at ? &at : NULL, &v, e);
  if (!rc) r->out = render_plan(&v);
  return rc;
}

static rp_rc plan_close(http_req *r, rp_err *e) {
  rp_time at = 0;
  bool has_at = false;
  if (http_read_at_only(r, &at, &has_at, e)) return e->rc;
  app_circle_repair v;
  rp_rc rc = app_circle_repair_close(&r->app, r->id[0], has_at ? &at : NULL, &v, e);
  if (!rc) r->out = render_plan(&v);
  return rc;
}

static rp_rc review_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"levels", "member_id", "at", NULL};
  jin j;
  rp_time at = 0;
  int64_t member_id = 0;
  goal_review_level *levels = NULL;
  size_t n = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  json_t *lv = jin_object(&j, "levels", true);
  jin_id(&j, "member_id", false, &member_id);
  bool has_at = jin_time(&j, "at", false, &at);
  if (lv) http_read_review_levels(r, lv, &levels, &n, e);
  if (e->rc) return e->rc;
  store_circle_goal_review rv;
  rp_rc rc = app_circle_goal_review_add(&r->app, r->id[0], member_id, levels, n,
                                        has_at ? &at : NULL, &rv, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_review(&rv);
  return RP_OK;
}

static rp_rc review_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_circle_goal_review *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_circle_goal_reviews(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_review(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc candidates(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_circle_candidate *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_circle_candidates(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "person_id",
                                         (json_int_t)items[i].person_id, "name",
                                         items[i].name ? items[i].name : "", "role",
                                         member_role_name(items[i].role)));
  r->out = jt_page(arr, next);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_circle_repair[] = {
    {"POST", "/api/v1/circle-items/{id}/acknowledge", incident_acknowledge, HTTP_SIGNED_IN,
     {.summary = "The member an incident in a circle concerns acknowledges it; their repair plan "
      "opens.",
      .body = "{at?:time}",
      .status = 200, .answer = "CircleIncident", .problems = "409"}},
    {"POST", "/api/v1/circle-items/{id}/resolve", incident_resolve, HTTP_SIGNED_IN,
     {.summary = "Marks an incident in a circle resolved.",
      .body = "{at?:time}",
      .status = 200, .answer = "CircleIncident", .problems = "409"}},
    {"GET", "/api/v1/circles/{id}/repair-plans", plan_list, HTTP_OPENS_TEXT,
     {.summary = "A circle's repair plans (of the incidents the caller may read).",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleRepairPlan")}},
    {"GET", "/api/v1/circle-repair-plans/{id}", plan_get, HTTP_OPENS_TEXT,
     {.summary = "One repair plan in a circle.",
      .status = 200, .answer = "CircleRepairPlan"}},
    {"POST", "/api/v1/circle-repair-plans/{id}/acknowledge", plan_acknowledge, HTTP_SIGNED_IN,
     {.summary = "The member the plan is for acknowledges what happened and their part in it.",
      .body = "{text:str responsibility:str at?:time}",
      .status = 200, .answer = "CircleRepairPlan", .problems = "409"}},
    {"POST", "/api/v1/circle-repair-plans/{id}/amends", plan_amends, HTTP_SIGNED_IN,
     {.summary = "Agrees the amends: open commitments in the circle of the member the plan is "
      "for, due within the follow-through period.",
      .body = "{commitment_ids:[id] at?:time}",
      .status = 200, .answer = "CircleRepairPlan", .problems = "409"}},
    {"POST", "/api/v1/circle-repair-plans/{id}/close", plan_close, HTTP_SIGNED_IN,
     {.summary = "Ends a repair plan in a circle (outcome ended_by_circle).",
      .body = "{at?:time}",
      .status = 200, .answer = "CircleRepairPlan", .problems = "409"}},
    {"POST", "/api/v1/circles/{id}/goal-reviews", review_add, HTTP_SIGNED_IN,
     {.summary = "Reviews a member's active goals in a circle at levels -2..+2 (the member, or "
      "the facilitator with them).",
      .body = "{levels:<int> member_id?:id at?:time}",
      .status = 201, .answer = "CircleGoalReview"}},
    {"GET", "/api/v1/circles/{id}/goal-reviews", review_list, HTTP_SIGNED_IN,
     {.summary = "A circle's goal reviews.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("CircleGoalReview")}},
    {"GET", "/api/v1/circles/{id}/candidates", candidates, HTTP_SIGNED_IN,
     {.summary = "The program's guides and learners who were never in the circle: whom its "
      "facilitator or a program admin may add (names and roles only).",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("{person_id:id name:str role:=guide,learner}"),
      .problems = "403"}},
    {0},
};
/* clang-format on */
