/* routes_pulses.c: the HTTP routes for pulses, incidents, repair plans and
 * the practice library.
 *
 *   POST /api/v1/relationships/{id}/pulses        {answers: {REL1..EMP2: 1..5|null}, overall, at?}
 *                                                 -> 201 pulse
 *   GET  /api/v1/relationships/{id}/pulses        the caller's own pulses -> {items, next}
 *   GET  /api/v1/relationships/{id}/pulse-schedule -> {due, due_at, reason, last_answered_at}
 *   POST /api/v1/relationships/{id}/incidents     {kind, text, concerning_id?, at?} -> 201 incident
 *   GET  /api/v1/relationships/{id}/incidents     -> {items, next}
 *   GET  /api/v1/incidents/{id}                   -> incident
 *   POST /api/v1/incidents/{id}/acknowledge       {at?} -> incident
 *   POST /api/v1/incidents/{id}/resolve           {at?} -> incident
 *   GET  /api/v1/relationships/{id}/repair-plans  -> {items, next}
 *   GET  /api/v1/repair-plans/{id}                -> plan
 *   POST /api/v1/repair-plans/{id}/acknowledge    {text, responsibility, at?} -> plan
 *   POST /api/v1/repair-plans/{id}/amends         {commitment_ids: [..], at?} -> plan
 *   POST /api/v1/repair-plans/{id}/close          {at?} -> plan
 *   GET  /api/v1/practices                        -> {items, next: null}
 *   GET  /api/v1/practices/{id}                   -> practice
 */
#include "app/practices/practices.h"
#include "domain/practice.h"
#include "http/http.h"

#include <stdio.h>
#include <string.h>

/* ---- pulses ---- */

/* Reads {REL1: 1..5|null, ...} at /answers into answers (PULSE_SKIPPED when
 * null or absent); unknown items are errors at /answers/<key>. */
static void read_answers(json_t *obj, arena *a, int answers[PULSE_NITEM], rp_err *e) {
  static const char *const items[] = {"REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2", NULL};
  jin j;
  jin_start(&j, obj, "/answers", items, a, e);
  for (int i = 0; i < PULSE_NITEM; i++) {
    int64_t x = 0;
    answers[i] = jin_int(&j, items[i], false, PULSE_ANSWER_MIN, PULSE_ANSWER_MAX, &x)
                     ? (int)x
                     : PULSE_SKIPPED;
  }
}

static rp_rc pulse_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"answers", "overall", "at", NULL};
  jin j;
  int answers[PULSE_NITEM] = {0};
  int64_t overall = 0;
  rp_time at = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  json_t *obj = jin_object(&j, "answers", true);
  if (obj) read_answers(obj, r->app.a, answers, e);
  jin_int(&j, "overall", true, 0, PULSE_OVERALL_MAX, &overall);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  pulse p;
  rp_rc rc = app_pulse_answer(&r->app, r->id[0], answers, (int)overall, has_at ? &at : NULL, &p, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_pulse(&p);
  return RP_OK;
}

static rp_rc pulse_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  pulse *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_pulses_mine(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, render_pulse(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc pulse_schedule_route(http_req *r, rp_err *e) {
  app_pulse_schedule s;
  rp_rc rc = app_pulse_schedule_get(&r->app, r->id[0], &s, e);
  if (rc) return rc;
  r->out = json_pack("{s:b, s:o, s:o, s:o}", "due", s.scheduled && s.sched.due, "due_at",
                     s.scheduled ? jt_time(s.sched.due_at) : json_null(), "reason",
                     s.scheduled ? jt_str(pulse_due_reason_name(s.sched.reason)) : json_null(),
                     "last_answered_at", s.has_last ? jt_time(s.last_at) : json_null());
  return RP_OK;
}

/* ---- incidents ---- */

static rp_rc incident_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"kind", "text", "concerning_id", "at", NULL};
  static const char *const kinds[] = {"confidentiality", "bias", "judgment", "other", NULL};
  jin j;
  int64_t concerning = 0;
  rp_time at = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  int k = jin_enum(&j, "kind", true, kinds);
  const char *text = jin_text(&j, "text", true, INCIDENT_TEXT_MAX);
  bool has_concerning = jin_id(&j, "concerning_id", false, &concerning);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  incident_kind kind;
  if (!incident_kind_parse(kinds[k], &kind))
    return rp_fail(e, RP_ERR_INTERNAL, "internal", "Unknown incident kind.");
  app_incident_view v;
  rp_rc rc = app_incident_report(&r->app, r->id[0], kind, text, has_concerning ? &concerning : NULL,
                                 has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_incident(&v);
  return RP_OK;
}

static rp_rc incident_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_incident_view *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_incidents_list(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, render_incident(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

static rp_rc incident_get(http_req *r, rp_err *e) {
  app_incident_view v;
  rp_rc rc = app_incident_get(&r->app, r->id[0], &v, e);
  if (rc) return rc;
  r->out = render_incident(&v);
  return RP_OK;
}

typedef rp_rc (*incident_step_fn)(app_ctx *c, int64_t id, const rp_time *at, app_incident_view *out,
                                  rp_err *e);

static rp_rc incident_step(http_req *r, incident_step_fn fn, rp_err *e) {
  rp_time at = 0;
  bool has_at = false;
  app_incident_view v;
  rp_rc rc = http_read_at_only(r, &at, &has_at, e);
  if (!rc) rc = fn(&r->app, r->id[0], has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->out = render_incident(&v);
  return RP_OK;
}

static rp_rc incident_acknowledge(http_req *r, rp_err *e) {
  return incident_step(r, app_incident_acknowledge, e);
}

static rp_rc incident_resolve(http_req *r, rp_err *e) {
  return incident_step(r, app_incident_resolve, e);
}

/* ---- repair plans ---- */

static rp_rc plan_get(http_req *r, rp_err *e) {
  app_repair_view v;
  rp_rc rc = app_repair_plan_get(&r->app, r->id[0], &v, e);
  if (rc) return rc;
  r->out = render_repair_plan(&v);
  return RP_OK;
}

static rp_rc plan_list(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_repair_view *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_repair_plans_list(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, render_repair_plan(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

rp_rc http_read_acknowledgement(http_req *r, const char **text, const char **responsibility,
                                rp_time *at, bool *has_at, rp_err *e) {
  static const char *const fields[] = {"text", "responsibility", "at", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  *text = jin_text(&j, "text", true, REPAIR_TEXT_MAX);
  *responsibility = jin_text(&j, "responsibility", true, REPAIR_TEXT_MAX);
  *has_at = jin_time(&j, "at", false, at);
  return e->rc;
}

static rp_rc plan_acknowledge(http_req *r, rp_err *e) {
  const char *text, *resp;
  rp_time at = 0;
  bool has_at = false;
  if (http_read_acknowledgement(r, &text, &resp, &at, &has_at, e)) return e->rc;
  app_repair_view v;
  rp_rc rc = app_repair_acknowledge(&r->app, r->id[0], text, resp, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->out = render_repair_plan(&v);
  return RP_OK;
}

/* Reads /commitment_ids: 1..REPAIR_AMENDS_MAX positive integer ids. */
static size_t read_ids(jin *j, int64_t ids[REPAIR_AMENDS_MAX], rp_err *e) {
  json_t *arr = jin_array(j, "commitment_ids", true, REPAIR_AMENDS_MAX);
  size_t n = 0;
  if (!arr) return 0;
  if (json_array_size(arr) == 0)
    rp_field(e, "/commitment_ids", "Must list at least one commitment.");
  for (size_t i = 0; i < json_array_size(arr); i++) {
    json_t *x = json_array_get(arr, i);
    if (!json_is_integer(x) || json_integer_value(x) < 1) {
      char ptr[48];
      snprintf(ptr, sizeof ptr, "/commitment_ids/%zu", i);
      rp_field(e, ptr, "Must be a positive integer id.");
      continue;
    }
    ids[n++] = (int64_t)json_integer_value(x);
  }
  return n;
}

rp_rc http_read_amends(http_req *r, int64_t *ids, size_t *n, rp_time *at, bool *has_at,
                       rp_err *e) {
  static const char *const fields[] = {"commitment_ids", "at", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  *n = read_ids(&j, ids, e);
  *has_at = jin_time(&j, "at", false, at);
  return e->rc;
}

static rp_rc plan_amends(http_req *r, rp_err *e) {
  rp_time at = 0;
  bool has_at = false;
  int64_t ids[REPAIR_AMENDS_MAX];
  size_t n = 0;
  if (http_read_amends(r, ids, &n, &at, &has_at, e)) return e->rc;
  app_repair_view v;
  rp_rc rc = app_repair_amends(&r->app, r->id[0], ids, n, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->out = render_repair_plan(&v);
  return RP_OK;
}

static rp_rc plan_close(http_req *r, rp_err *e) {
  rp_time at = 0;
  bool has_at = false;
  app_repair_view v;
  rp_rc rc = http_read_at_only(r, &at, &has_at, e);
  if (!rc) rc = app_repair_close(&r->app, r->id[0], has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->out = render_repair_plan(&v);
  return RP_OK;
}

/* ---- practices ---- */

static json_t *render_practice(const practice *p) {
  json_t *questions = json_array(), *warnings = json_array();
  for (size_t i = 0; i < p->nquestions; i++)
    json_array_append_new(questions, json_string(p->questions[i]));
  for (size_t i = 0; i < p->nwarnings; i++)
    json_array_append_new(warnings, json_string(p->warnings[i]));
  return json_pack("{s:i, s:s, s:s, s:s, s:o, s:o}", "id", p->id, "slug", p->slug, "title",
                   p->title, "summary", p->summary, "questions", questions, "warnings", warnings);
}

/* The library is small and fixed: one page, no paging arguments. */
static rp_rc practice_list(http_req *r, rp_err *e) {
  (void)e;
  json_t *arr = json_array();
  for (size_t i = 0; i < practice_count(); i++)
    json_array_append_new(arr, render_practice(practice_at(i)));
  r->out = jt_page(arr, 0);
  return RP_OK;
}

static rp_rc practice_get(http_req *r, rp_err *e) {
  const practice *p = r->id[0] <= INT32_MAX ? practice_by_id((int)r->id[0]) : NULL;
  if (!p) return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "No such practice.");
  r->out = render_practice(p);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_pulses[] = {
    {"POST", "/api/v1/relationships/{id}/pulses", pulse_add, HTTP_SIGNED_IN,
     {.summary = "Answers a pulse about the other party.",
      .body = "{answers:{REL1?:int? REL2?:int? INT1?:int? INT2?:int? COM1?:int? EMP1?:int? EMP2?:int?} overall:int at?:time}",
      .status = 201, .answer = "Pulse"}},
    {"GET", "/api/v1/relationships/{id}/pulses", pulse_list, HTTP_SIGNED_IN,
     {.summary = "A relationship's pulses the caller may see.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Pulse")}},
    {"GET", "/api/v1/relationships/{id}/pulse-schedule", pulse_schedule_route, HTTP_SIGNED_IN,
     {.summary = "Whether the caller's next pulse is due.",
      .status = 200, .answer = "{due:bool due_at:time? reason:str? last_answered_at:time?}"}},
    {"POST", "/api/v1/relationships/{id}/incidents", incident_add, HTTP_SIGNED_IN,
     {.summary = "Reports an incident.",
      .body = "{kind:str text:str concerning_id?:id at?:time}",
      .status = 201, .answer = "Incident"}},
    {"GET", "/api/v1/relationships/{id}/incidents", incident_list, HTTP_OPENS_TEXT,
     {.summary = "A relationship's incidents.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("Incident")}},
    {"GET", "/api/v1/incidents/{id}", incident_get, HTTP_OPENS_TEXT,
     {.summary = "One incident.",
      .status = 200, .answer = "Incident"}},
    {"POST", "/api/v1/incidents/{id}/acknowledge", incident_acknowledge, HTTP_SIGNED_IN,
     {.summary = "Acknowledges an incident.",
      .body = "{at?:time}",
      .status = 200, .answer = "Incident", .problems = "409"}},
    {"POST", "/api/v1/incidents/{id}/resolve", incident_resolve, HTTP_SIGNED_IN,
     {.summary = "Resolves an incident.",
      .body = "{at?:time}",
      .status = 200, .answer = "Incident", .problems = "409"}},
    {"GET", "/api/v1/relationships/{id}/repair-plans", plan_list, HTTP_OPENS_TEXT,
     {.summary = "A relationship's repair plans.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("RepairPlan")}},
    {"GET", "/api/v1/repair-plans/{id}", plan_get, HTTP_OPENS_TEXT,
     {.summary = "One repair plan.",
      .status = 200, .answer = "RepairPlan"}},
    {"POST", "/api/v1/repair-plans/{id}/acknowledge", plan_acknowledge, HTTP_SIGNED_IN,
     {.summary = "Acknowledges what happened and one's part in it.",
      .body = "{text:str responsibility:str at?:time}",
      .status = 200, .answer = "RepairPlan"}},
    {"POST", "/api/v1/repair-plans/{id}/amends", plan_amends, HTTP_SIGNED_IN,
     {.summary = "Agrees the amends (the plan's commitments).",
      .body = "{at?:time}",
      .status = 200, .answer = "RepairPlan"}},
    {"POST", "/api/v1/repair-plans/{id}/close", plan_close, HTTP_SIGNED_IN,
     {.summary = "Closes a repair plan.",
      .body = "{at?:time}",
      .status = 200, .answer = "RepairPlan"}},
    {"GET", "/api/v1/practices", practice_list, HTTP_SIGNED_IN,
     {.summary = "The practice library.",
      .status = 200, .answer = HTTP_PAGE_OF("Practice")}},
    {"GET", "/api/v1/practices/{id}", practice_get, HTTP_SIGNED_IN,
     {.summary = "One practice.",
      .status = 200, .answer = "Practice"}},
    {0}, /* the end */
};
/* clang-format on */
