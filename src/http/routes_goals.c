/* routes_goals.c: the HTTP routes for goals, milestones and goal reviews.
 *
 *   POST /api/v1/relationships/{id}/goals         201 goal
 *   GET  /api/v1/relationships/{id}/goals         {items: [goal], next}
 *   GET  /api/v1/goals/{id}                       goal
 *   POST /api/v1/goals/{id}/status                goal
 *   POST /api/v1/goals/{id}/milestones            201 milestone
 *   POST /api/v1/milestones/{id}/reached          milestone
 *   POST /api/v1/relationships/{id}/goal-reviews  201 review
 *   GET  /api/v1/relationships/{id}/goal-reviews  {items: [review], next}
 */
#include "http/http.h"

#include <float.h>

/* ---- goals ---- */

static rp_rc goal_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"title",  "specific", "measurable", "achievable", "relevant",
                                       "due_on", "weight",   "levels",     "at",         NULL};
  jin j;
  goal_text t = {0};
  int32_t due_on = GOAL_NO_DUE;
  double weight = GOAL_WEIGHT_DEFAULT;
  rp_time at;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  t.title = jin_text(&j, "title", true, GOAL_TITLE_MAX);
  t.specific = jin_text(&j, "specific", false, GOAL_SMART_TEXT_MAX);
  t.measurable = jin_text(&j, "measurable", false, GOAL_SMART_TEXT_MAX);
  t.achievable = jin_text(&j, "achievable", false, GOAL_SMART_TEXT_MAX);
  t.relevant = jin_text(&j, "relevant", false, GOAL_SMART_TEXT_MAX);
  jin_date(&j, "due_on", false, &due_on);
  if (jin_number(&j, "weight", false, -DBL_MAX, DBL_MAX, &weight) && !goal_weight_valid(weight))
    rp_field(e, "/weight", "Must be greater than 0 and at most %g.", GOAL_WEIGHT_MAX);
  json_t *levels = jin_object(&j, "levels", false);
  if (levels) {
    jin lj;
    jin_start(&lj, levels, "/levels", goal_level_keys, r->app.a, e);
    for (int i = 0; i < GOAL_LEVEL_COUNT; i++)
      t.levels[i] = jin_text(&lj, goal_level_keys[i], false, GOAL_LEVEL_TEXT_MAX);
  }
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  app_goal_view v;
  rp_rc rc = app_goal_add(&r->app, r->id[0], &t, due_on, weight, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_goal(&v);
  return RP_OK;
}

static rp_rc goal_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_goal_view *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_goals_list(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, render_goal(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc goal_get(http_req *r, rp_err *e) {
  app_goal_view v;
  rp_rc rc = app_goal_get(&r->app, r->id[0], &v, e);
  if (rc) return rc;
  r->out = render_goal(&v);
  return RP_OK;
}

static rp_rc goal_status_set(http_req *r, rp_err *e) {
  static const char *const fields[] = {"status", "at", NULL};
  static const char *const statuses[] = {"active", "achieved", "dropped", NULL};
  jin j;
  rp_time at;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  int status = jin_enum(&j, "status", true, statuses);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  goal_status s;
  goal_status_parse(statuses[status], &s);
  app_goal_view v;
  rp_rc rc = app_goal_set_status(&r->app, r->id[0], s, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->out = render_goal(&v);
  return RP_OK;
}

/* ---- milestones ---- */

static rp_rc milestone_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"title", "at", NULL};
  jin j;
  rp_time at;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *title = jin_text(&j, "title", true, MILESTONE_TITLE_MAX);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  app_milestone_view v;
  rp_rc rc = app_milestone_add(&r->app, r->id[0], title, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_milestone(&v);
  return RP_OK;
}

static rp_rc milestone_reached(http_req *r, rp_err *e) {
  rp_time at = 0;
  bool has_at = false;
  if (http_read_at_only(r, &at, &has_at, e)) return e->rc;
  app_milestone_view v;
  rp_rc rc = app_milestone_reached(&r->app, r->id[0], has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->out = render_milestone(&v);
  return RP_OK;
}

/* ---- reviews ---- */

/* Reads {"<goal id>": level, ...} into an arena array; field errors at
 * /levels/<key> (http.h; a circle's goal reviews read them too). */
void http_read_review_levels(http_req *r, json_t *levels, goal_review_level **out, size_t *n,
                             rp_err *e) {
  jin lj = {levels, e, r->app.a, "/levels"}; /* any key may appear: no allowed list */
  size_t cap = json_object_size(levels);
  goal_review_level *items = arena_alloc(r->app.a, sizeof *items * (cap ? cap : 1));
  const char *key;
  json_t *v;
  *n = 0;
  json_object_foreach(levels, key, v) {
    int64_t id = 0, x = 0;
    bool id_ok = goal_review_key_parse(key, &id);
    if (!id_ok)
      rp_field(e, jin_pointer(&lj, key), "Must be the id of an active goal of this relationship.");
    if (jin_int(&lj, key, true, GOAL_LEVEL_MIN, GOAL_LEVEL_MAX, &x) && id_ok) {
      items[*n].goal_id = id;
      items[*n].level = (int)x;
      (*n)++;
    }
  }
  *out = items;
}

static rp_rc review_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"levels", "at", NULL};
  jin j;
  rp_time at;
  goal_review_level *levels = NULL;
  size_t n = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  json_t *lv = jin_object(&j, "levels", true);
  bool has_at = jin_time(&j, "at", false, &at);
  if (lv) http_read_review_levels(r, lv, &levels, &n, e);
  if (e->rc) return e->rc;
  store_goal_review rv;
  rp_rc rc = app_goal_review_add(&r->app, r->id[0], levels, n, has_at ? &at : NULL, &rv, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_goal_review(&rv);
  return RP_OK;
}

static rp_rc review_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_goal_review *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_goal_reviews_list(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, render_goal_review(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_goals[] = {
    {"POST", "/api/v1/relationships/{id}/goals", goal_add, HTTP_SIGNED_IN,
     {.summary = "Sets a goal.",
      .body = "{title:str specific?:str measurable?:str achievable?:str relevant?:str due_on?:date "
      "weight?:num levels?:{-2?:str -1?:str 0?:str 1?:str 2?:str} at?:time}",
      .status = 201, .answer = "Goal", .problems = "409"}},
    {"GET", "/api/v1/relationships/{id}/goals", goal_list, HTTP_OPENS_TEXT,
     {.summary = "A relationship's goals.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Goal")}},
    {"GET", "/api/v1/goals/{id}", goal_get, HTTP_OPENS_TEXT,
     {.summary = "One goal.",
      .status = 200, .answer = "Goal"}},
    {"POST", "/api/v1/goals/{id}/status", goal_status_set, HTTP_SIGNED_IN,
     {.summary = "Marks a goal active, achieved or dropped.",
      .body = "{status:str at?:time}",
      .status = 200, .answer = "Goal", .problems = "409"}},
    {"POST", "/api/v1/goals/{id}/milestones", milestone_add, HTTP_SIGNED_IN,
     {.summary = "Adds a milestone to a goal.",
      .body = "{title:str at?:time}",
      .status = 201, .answer = "Milestone", .problems = "409"}},
    {"POST", "/api/v1/milestones/{id}/reached", milestone_reached, HTTP_SIGNED_IN,
     {.summary = "Marks a milestone reached.",
      .body = "{at?:time}",
      .status = 200, .answer = "Milestone", .problems = "409"}},
    {"POST", "/api/v1/relationships/{id}/goal-reviews", review_add, HTTP_SIGNED_IN,
     {.summary = "Reviews the goals' levels.",
      .body = "{levels:<int> at?:time}",
      .status = 201, .answer = "GoalReview"}},
    {"GET", "/api/v1/relationships/{id}/goal-reviews", review_list, HTTP_SIGNED_IN,
     {.summary = "A relationship's goal reviews.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("GoalReview")}},
    {0}, /* the end */
};
/* clang-format on */
