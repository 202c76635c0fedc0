/* routes_checkins.c: the HTTP routes for check-ins.
 *
 *   POST /api/v1/relationships/{id}/checkins  {scheduled_at, at?}            -> 201 check-in
 *   GET  /api/v1/relationships/{id}/checkins  ?limit=&after=                 -> {items, next}
 *   GET  /api/v1/checkins/{id}                                               -> check-in
 *   POST /api/v1/checkins/{id}/outcome        {outcome, caused_by?, new_scheduled_at?, at?}
 *                                                                            -> check-in
 */
#include "http/http.h"

static rp_rc checkin_schedule(http_req *r, rp_err *e) {
  static const char *const fields[] = {"scheduled_at", "at", NULL};
  jin j;
  rp_time scheduled_at = 0, at = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_time(&j, "scheduled_at", true, &scheduled_at);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  checkin ck;
  rp_rc rc = app_checkin_schedule(&r->app, r->id[0], scheduled_at, has_at ? &at : NULL, &ck, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_checkin(&ck);
  return RP_OK;
}

static rp_rc checkin_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  checkin *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_checkins_list(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, render_checkin(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc checkin_get(http_req *r, rp_err *e) {
  checkin ck;
  rp_rc rc = app_checkin_get(&r->app, r->id[0], &ck, e);
  if (rc) return rc;
  r->out = render_checkin(&ck);
  return RP_OK;
}

static rp_rc checkin_record_outcome(http_req *r, rp_err *e) {
  static const char *const fields[] = {"outcome", "caused_by", "new_scheduled_at", "at", NULL};
  static const char *const outcomes[] = {"held",    "rescheduled",   "cancelled",
                                         "no_show", "mutual_cancel", NULL};
  jin j;
  rp_time at = 0;
  app_checkin_report rep = {0};
  jin_start(&j, r->body, "", fields, r->app.a, e);
  int o = jin_enum(&j, "outcome", true, outcomes);
  jin_id(&j, "caused_by", false, &rep.caused_by);
  rep.has_new_scheduled_at = jin_time(&j, "new_scheduled_at", false, &rep.new_scheduled_at);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  if (!checkin_outcome_parse(outcomes[o], &rep.outcome))
    return rp_fail(e, RP_ERR_INTERNAL, "internal", "Unknown check-in outcome.");
  rep.at = has_at ? &at : NULL;
  checkin ck;
  rp_rc rc = app_checkin_outcome(&r->app, r->id[0], &rep, &ck, e);
  if (rc) return rc;
  r->out = render_checkin(&ck);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_checkins[] = {
    {"POST", "/api/v1/relationships/{id}/checkins", checkin_schedule, HTTP_SIGNED_IN,
     {.summary = "Schedules a check-in.",
      .body = "{scheduled_at:time at?:time}",
      .status = 201, .answer = "Checkin", .problems = "409"}},
    {"GET", "/api/v1/relationships/{id}/checkins", checkin_list, HTTP_SIGNED_IN,
     {.summary = "A relationship's check-ins.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Checkin")}},
    {"GET", "/api/v1/checkins/{id}", checkin_get, HTTP_SIGNED_IN,
     {.summary = "One check-in.",
      .status = 200, .answer = "Checkin"}},
    {"POST", "/api/v1/checkins/{id}/outcome", checkin_record_outcome, HTTP_SIGNED_IN,
     {.summary = "Records how a check-in went (held, missed, rescheduled, ...).",
      .body = "{outcome:str caused_by?:id new_scheduled_at?:time at?:time}",
      .status = 200, .answer = "Checkin", .problems = "409"}},
    {0}, /* the end */
};
/* clang-format on */
