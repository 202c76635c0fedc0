/* routes_settings.c: a program's trust settings, for its administrators
 * (app/trust/settings.h).
 *
 *   GET /api/v1/programs/{id}/settings          -> see render_settings
 *   PUT /api/v1/programs/{id}/settings          {cadence_days?, reply_window_hours?,
 *                                                pulse_every_days?, warnings_off?: [code]}
 *                                               -> the settings, and what the change did
 *   GET /api/v1/programs/{id}/settings/changes  -> {items: [change], next}
 *
 * A field left out keeps its value; warnings_off lists every code that is
 * to be off (the others are on). The change takes effect when it is made:
 * it accepts no `at`.
 */
#include "http/http.h"
#include "app/trust/trust.h"
#include "trust/trust_warn.h"

#include <string.h>

#define WARNINGS_OFF_MAX 64

/* {program_id, name, cadence_days, reply_window_hours, pulse_every_days,
 *  k_anonymity, warnings: [{code, severity, on, can_turn_off}]}; every
 *  code, in code order. */
static json_t *render_settings(const program *p) {
  json_t *warnings = json_array();
  for (int k = 0; k < TRUST_W_COUNT; k++) {
    trust_warn_code c = (trust_warn_code)k;
    json_array_append_new(warnings,
                          json_pack("{s:s, s:s, s:b, s:b}", "code", trust_warn_name(c), "severity",
                                    trust_severity_name(trust_warn_severity(c)), "on",
                                    !(p->settings.warnings_off & (1u << k)), "can_turn_off",
                                    c != TRUST_W_INCIDENT));
  }
  return json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:o}", "program_id", (json_int_t)p->id, "name",
                   p->name, "cadence_days", p->settings.cadence_days, "reply_window_hours",
                   p->settings.reply_window_hours, "pulse_every_days",
                   p->settings.pulse_every_days, "k_anonymity", p->settings.k_anonymity,
                   "warnings", warnings);
}

static rp_rc settings_get(http_req *r, rp_err *e) {
  program p;
  rp_rc rc = app_program_trust_settings(&r->app, r->id[0], &p, e);
  if (rc) return rc;
  r->out = render_settings(&p);
  return RP_OK;
}

/* The codes of warnings_off as a mask; an unknown code or a repeated one
 * is a field error at its index. */
static unsigned read_codes(jin *j, json_t *arr) {
  unsigned mask = 0;
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    const char *s = json_string_value(v);
    trust_warn_code c;
    const char *ptr = arena_printf(j->a, "/warnings_off/%zu", i);
    if (!s || memchr(s, '\0', json_string_length(v)) || !trust_warn_parse(s, &c))
      rp_field(j->e, ptr, "Must be a warning code, such as CADENCE_GAP.");
    else if (mask & (1u << c))
      rp_field(j->e, ptr, "Listed twice.");
    else
      mask |= 1u << c;
  }
  return mask;
}

static rp_rc settings_put(http_req *r, rp_err *e) {
  static const char *const fields[] = {"cadence_days", "reply_window_hours", "pulse_every_days",
                                       "warnings_off", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  int64_t cadence, reply, every;
  int cv = 0, rv = 0, pv = 0;
  app_trust_terms t = {0};
  if (jin_int(&j, "cadence_days", false, INT32_MIN, INT32_MAX, &cadence)) {
    cv = (int)cadence;
    t.cadence_days = &cv;
  }
  if (jin_int(&j, "reply_window_hours", false, INT32_MIN, INT32_MAX, &reply)) {
    rv = (int)reply;
    t.reply_window_hours = &rv;
  }
  if (jin_int(&j, "pulse_every_days", false, INT32_MIN, INT32_MAX, &every)) {
    pv = (int)every;
    t.pulse_every_days = &pv;
  }
  json_t *off = jin_array(&j, "warnings_off", false, WARNINGS_OFF_MAX);
  if (off) {
    t.set_warnings = true;
    t.warnings_off = read_codes(&j, off);
  }
  if (e->rc) return e->rc;
  program p;
  app_trust_terms_change what;
  rp_rc rc = app_program_trust_settings_set(&r->app, r->id[0], &t, &p, &what, e);
  if (rc) return rc;
  json_t *out = render_settings(&p);
  json_object_set_new(out, "change",
                      json_pack("{s:b, s:I, s:I}", "changed", what.changed, "relationships_refreshed",
                                (json_int_t)what.relationships, "warnings_withdrawn",
                                (json_int_t)what.withdrawn));
  r->out = out;
  return RP_OK;
}

static rp_rc settings_changes(http_req *r, rp_err *e) {
  int64_t after, next;
  int limit;
  store_program_event *items;
  size_t n;
  rp_rc rc = http_page(r, &after, &limit, e);
  if (!rc) rc = app_program_settings_changes(&r->app, r->id[0], after, limit, &items, &n, &next, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *detail = json_loads(items[i].detail, 0, NULL);
    json_t *by = items[i].actor_id ? json_pack("{s:I, s:s?}", "id", (json_int_t)items[i].actor_id,
                                               "name", items[i].actor_name)
                                   : json_null();
    json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:o, s:o}", "id",
                                         (json_int_t)items[i].id, "kind", items[i].kind, "by", by,
                                         "at", jt_time(items[i].at), "changes",
                                         detail ? detail : json_object()));
  }
  r->out = jt_page(arr, next);
  return RP_OK;
}

/* The settings as render_settings writes them, in the schema notation. */
#define SETTINGS_MEMBERS                                                                        \
  "program_id:id name:str cadence_days:int reply_window_hours:int pulse_every_days:int "       \
  "k_anonymity:int warnings:[{code:str severity:str on:bool can_turn_off:bool}]"

/* clang-format off */
const http_route http_routes_settings[] = {
    {"GET", "/api/v1/programs/{id}/settings", settings_get, HTTP_SIGNED_IN,
     {.summary = "A program's trust settings and which warnings are on (its administrators).",
      .status = 200, .answer = "{" SETTINGS_MEMBERS "}"}},
    {"PUT", "/api/v1/programs/{id}/settings", settings_put, HTTP_SIGNED_IN,
     {.summary = "Changes a program's trust settings; a member left out keeps its value.",
      .body = "{cadence_days?:int reply_window_hours?:int pulse_every_days?:int "
      "warnings_off?:[str]}",
      .status = 200, .answer = "{" SETTINGS_MEMBERS " change:{changed:bool "
      "relationships_refreshed:int warnings_withdrawn:int}}"}},
    {"GET", "/api/v1/programs/{id}/settings/changes", settings_changes, HTTP_SIGNED_IN,
     {.summary = "The history of a program's settings.",
      .query = HTTP_PAGE_QUERY,
      .status = 200, .answer = HTTP_PAGE_OF("{id:id kind:str by:{id:id name:str?}? at:time? "
      "changes:obj}")}},
    {0}, /* the end */
};
/* clang-format on */
