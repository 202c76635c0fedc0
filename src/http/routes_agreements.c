/* routes_agreements.c: the HTTP routes for a relationship's agreement. */
#include "http/http.h"

#include <string.h>

/* ---- rendering ---- */

static json_t *render_optional(const app_agreement *v) {
  return v ? render_agreement_version(v) : json_null();
}

/* ---- inputs ---- */

/* Reads "channels" into t: strings only; their count and lengths are the
 * domain's to check. */
static void read_channels(jin *j, agreement_terms *t) {
  json_t *arr = jin_array(j, "channels", true, AGREEMENT_CHANNELS_MAX);
  if (!arr) return;
  const char **names = arena_alloc(j->a, sizeof *names * (json_array_size(arr) + 1));
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    const char *s = json_string_value(v);
    if (!s || memchr(s, '\0', json_string_length(v)))
      rp_field(j->e, arena_printf(j->a, "/channels/%zu", i), "Must be a string without NULs.");
    names[i] = s;
  }
  t->channels = names;
  t->nchannels = json_array_size(arr);
}

/* Reads "quiet_hours" ({from, to} as "HH:MM", or null or absent: none)
 * into t; the domain checks the two ends differ. */
static void read_quiet_hours(jin *j, json_t *body, agreement_terms *t) {
  if (json_is_null(json_object_get(body, "quiet_hours"))) return;
  json_t *q = jin_object(j, "quiet_hours", false);
  if (!q) return;
  static const char *const qf[] = {"from", "to", NULL};
  jin qj;
  jin_start(&qj, q, "/quiet_hours", qf, j->a, j->e);
  const char *from = jin_text(&qj, "from", true, 5), *to = jin_text(&qj, "to", true, 5);
  t->quiet_from = http_minutes_of(from);
  t->quiet_to = http_minutes_of(to);
  if (from && t->quiet_from < 0) rp_field(j->e, "/quiet_hours/from", "Give a time such as 19:00.");
  if (to && t->quiet_to < 0) rp_field(j->e, "/quiet_hours/to", "Give a time such as 08:00.");
  t->has_quiet_hours = true;
}

/* ---- handlers ---- */

static rp_rc agreement_put(http_req *r, rp_err *e) {
  static const char *const fields[] = {"purpose",         "cadence_days", "channels",
                                       "reply_window_hours", "confidentiality", "boundaries",
                                       "feedback_preferences", "ends_on", "at", "quiet_hours",
                                       NULL};
  jin j;
  agreement_terms t = {0};
  int64_t cadence = 0, reply = 0;
  rp_time at;
  t.ends_on = AGREEMENT_NO_END;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  t.purpose = jin_text(&j, "purpose", true, AGREEMENT_TEXT_MAX);
  jin_int(&j, "cadence_days", true, INT32_MIN, INT32_MAX, &cadence);
  read_channels(&j, &t);
  jin_int(&j, "reply_window_hours", true, INT32_MIN, INT32_MAX, &reply);
  t.confidentiality = jin_text(&j, "confidentiality", true, AGREEMENT_TEXT_MAX);
  t.boundaries = jin_text(&j, "boundaries", false, AGREEMENT_TEXT_MAX);
  t.feedback_preferences = jin_text(&j, "feedback_preferences", false, AGREEMENT_TEXT_MAX);
  jin_date(&j, "ends_on", false, &t.ends_on);
  bool has_at = jin_time(&j, "at", false, &at);
  read_quiet_hours(&j, r->body, &t);
  if (e->rc) return e->rc;
  t.cadence_days = (int)cadence;
  t.reply_window_hours = (int)reply;
  app_agreement v;
  rp_rc rc = app_agreement_put(&r->app, r->id[0], &t, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_agreement_version(&v);
  return RP_OK;
}

static rp_rc agreement_acknowledge(http_req *r, rp_err *e) {
  static const char *const fields[] = {"version", "at", NULL};
  jin j;
  int64_t version = 0;
  rp_time at;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_int(&j, "version", true, 1, INT32_MAX, &version);
  bool has_at = jin_time(&j, "at", false, &at);
  if (e->rc) return e->rc;
  app_agreement v;
  rp_rc rc = app_agreement_acknowledge(&r->app, r->id[0], (int)version, has_at ? &at : NULL, &v, e);
  if (rc) return rc;
  r->out = render_agreement_version(&v);
  return RP_OK;
}

static rp_rc agreement_get(http_req *r, rp_err *e) {
  app_agreement_state s;
  rp_rc rc = app_agreement_get(&r->app, r->id[0], &s, e);
  if (rc) return rc;
  r->out = json_pack("{s:o, s:o}", "latest", render_optional(s.latest), "in_force",
                     render_optional(s.in_force));
  return RP_OK;
}

static rp_rc agreement_versions(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  app_agreement *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_agreement_versions(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_agreement_version(&items[i]));
  r->out = jt_page(arr, next);
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_agreements[] = {
    {"PUT", "/api/v1/relationships/{id}/agreement", agreement_put, HTTP_SIGNED_IN,
     {.summary = "Proposes a new version of the working agreement.",
      .body = "{purpose:str cadence_days:int reply_window_hours:int confidentiality:str "
      "boundaries?:str feedback_preferences?:str ends_on?:date at?:time "
      "quiet_hours?:{from:str to:str}?}",
      .status = 201, .answer = "AgreementVersion", .problems = "409"}},
    {"GET", "/api/v1/relationships/{id}/agreement", agreement_get, HTTP_OPENS_TEXT,
     {.summary = "The latest version of the agreement and the one in force.",
      .status = 200, .answer = "{latest:AgreementVersion? in_force:AgreementVersion?}"}},
    {"POST", "/api/v1/relationships/{id}/agreement/acknowledge", agreement_acknowledge,
     HTTP_SIGNED_IN,
     {.summary = "Acknowledges a version of the agreement.",
      .body = "{version:int at?:time}",
      .status = 200, .answer = "AgreementVersion", .problems = "409"}},
    {"GET", "/api/v1/relationships/{id}/agreement/versions", agreement_versions, HTTP_OPENS_TEXT,
     {.summary = "Every version of the agreement.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("AgreementVersion")}},
    {0}, /* the end */
};
/* clang-format on */
