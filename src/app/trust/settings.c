/* settings.c: a program's trust settings (see settings.h). */
#include "app/trust/settings.h"
#include "app/people/people.h"
#include "app/trust/rules.h"
#include "app/trust/util.h"
#include "trust/trust_warn.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

rp_rc app_program_trust_settings(app_ctx *c, int64_t program_id, program *out, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = app_program_admin_load(c, program_id, out, e);
  store_rollback(c->st);
  return rc;
}

rp_rc app_program_settings_changes(app_ctx *c, int64_t program_id, int64_t after, int limit,
                                   store_program_event **items, size_t *n, int64_t *next,
                                   rp_err *e) {
  program p;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = app_program_admin_load(c, program_id, &p, e);
  if (!rc)
    rc = store_program_events_list(c->st, program_id, after, app_page_limit(limit), c->a, items,
                                   n, next, e);
  store_rollback(c->st);
  return rc;
}

static json_t *codes_json(unsigned mask) {
  json_t *a = json_array();
  for (int k = 0; k < TRUST_W_COUNT; k++)
    if (mask & (1u << k)) json_array_append_new(a, json_string(trust_warn_name((trust_warn_code)k)));
  return a;
}

/* {"setting": {"from": x, "to": y}, ...} for each setting that changed. */
static const char *change_detail(arena *a, const program_settings *from,
                                 const program_settings *to) {
  json_t *d = json_object();
  const struct {
    const char *name;
    int from, to;
  } ints[] = {
      {"cadence_days", from->cadence_days, to->cadence_days},
      {"reply_window_hours", from->reply_window_hours, to->reply_window_hours},
      {"pulse_every_days", from->pulse_every_days, to->pulse_every_days},
  };
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
    if (ints[i].from != ints[i].to)
      json_object_set_new(d, ints[i].name, json_pack("{s:i, s:i}", "from", ints[i].from, "to",
                                                     ints[i].to));
  if (from->warnings_off != to->warnings_off)
    json_object_set_new(d, "warnings_off", json_pack("{s:o, s:o}", "from",
                                                     codes_json(from->warnings_off), "to",
                                                     codes_json(to->warnings_off)));
  char *text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(d);
  const char *out = arena_strdup(a, text ? text : "{}");
  free(text);
  return out;
}

/* Refreshes the warnings of every current relationship of the program. */
static rp_rc refresh_program(app_ctx *c, int64_t program_id, app_trust_terms_change *what,
                             rp_err *e) {
  int64_t *ids;
  size_t n;
  rp_rc rc = store_program_current_relationships(c->st, program_id, c->a, &ids, &n, e);
  for (size_t i = 0; i < n && !rc; i++) {
    rc = app_trust_refresh_withdrawing(c, ids[i], APP_WITHDRAWN_BY_PROGRAM, &what->withdrawn, e);
    what->relationships++;
  }
  return rc;
}

rp_rc app_program_trust_settings_set(app_ctx *c, int64_t program_id, const app_trust_terms *t,
                                     program *out, app_trust_terms_change *what, rp_err *e) {
  memset(what, 0, sizeof *what);
  rp_rc rc = store_begin_write(c->st, e);
  if (rc) return rc;
  rc = app_program_admin_load(c, program_id, out, e);
  if (rc) return app_finish(c, rc, e);
  program_settings from = out->settings, to = from;
  if (t->cadence_days) to.cadence_days = *t->cadence_days;
  if (t->reply_window_hours) to.reply_window_hours = *t->reply_window_hours;
  if (t->pulse_every_days) to.pulse_every_days = *t->pulse_every_days;
  if (t->set_warnings) to.warnings_off = t->warnings_off;
  program_settings_check_at(&to, "", e);
  if (to.warnings_off & (1u << TRUST_W_INCIDENT))
    rp_field(e, "/warnings_off", "INCIDENT cannot be turned off: an open incident always warns.");
  if (to.warnings_off >> TRUST_W_COUNT)
    rp_field(e, "/warnings_off", "Unknown warning code.");
  if (e->rc) return app_finish(c, e->rc, e);
  if (from.cadence_days == to.cadence_days && from.reply_window_hours == to.reply_window_hours &&
      from.pulse_every_days == to.pulse_every_days && from.warnings_off == to.warnings_off)
    return app_finish(c, RP_OK, e);
  what->changed = true;
  rc = store_program_settings_set(c->st, program_id, &to, c->a, e);
  if (!rc)
    rc = store_program_event_insert(c->st, program_id, "settings_changed", c->actor, c->now,
                                    change_detail(c->a, &from, &to), e);
  if (!rc) {
    out->settings = to;
    rc = refresh_program(c, program_id, what, e);
  }
  return app_finish(c, rc, e);
}
