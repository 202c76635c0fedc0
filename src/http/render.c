/* render.c: JSON for Rapport's core types, and problem documents. */
#include "http/http.h"

#include <limits.h>

json_t *jt_time(rp_time t) {
  char buf[RP_TIME_BUFSZ];
  return t ? json_string(rp_time_format(t, buf)) : json_null();
}

json_t *jt_date(int32_t days) {
  char buf[RP_DATE_BUFSZ];
  return days == INT32_MIN ? json_null() : json_string(rp_date_format(days, buf));
}

json_t *jt_id(int64_t id) { return id ? json_integer((json_int_t)id) : json_null(); }

json_t *jt_str(const char *s) { return s ? json_string(s) : json_null(); }

json_t *jt_page(json_t *items, int64_t next) {
  return json_pack("{s:o, s:o}", "items", items, "next", jt_id(next));
}

json_t *render_person(const person *p) {
  return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p->id, "email", p->email, "name",
                   p->name);
}

json_t *render_program(const program *p) {
  return json_pack("{s:I, s:s, s:s, s:{s:i, s:i, s:i, s:i}, s:o}", "id", (json_int_t)p->id,
                   "name", p->name, "kind", program_kind_name(p->kind), "settings",
                   "cadence_days", p->settings.cadence_days, "reply_window_hours",
                   p->settings.reply_window_hours, "pulse_every_days",
                   p->settings.pulse_every_days, "k_anonymity", p->settings.k_anonymity,
                   "created_at", jt_time(p->created_at));
}

json_t *render_relationship(const relationship *r) {
  return json_pack("{s:I, s:I, s:I, s:I, s:s, s:{s:b, s:b}, s:o, s:o, s:o}", "id",
                   (json_int_t)r->id, "program_id", (json_int_t)r->program_id, "guide_id",
                   (json_int_t)r->guide_id, "learner_id", (json_int_t)r->learner_id, "state",
                   rel_state_name(r->state), "accepted", "guide", r->guide_accepted, "learner",
                   r->learner_accepted, "proposed_by", jt_id(r->proposed_by), "proposed_at",
                   jt_time(r->proposed_at), "state_since", jt_time(r->state_since));
}

json_t *http_problem(const rp_err *e, const char *instance) {
  rp_rc rc = e->rc ? e->rc : RP_ERR_INTERNAL;
  const char *code = e->code[0] ? e->code : "internal";
  json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title",
                        rp_rc_title(rc), "status", rp_rc_status(rc), "detail",
                        e->detail[0] ? e->detail : rp_rc_title(rc), "code", code);
  char type[96];
  snprintf(type, sizeof type, "urn:rapport:problem:%s", code);
  json_object_set_new(p, "type", json_string(type));
  if (instance) json_object_set_new(p, "instance", json_string(instance));
  if (rc == RP_ERR_INVALID) {
    json_t *errs = json_array();
    for (int i = 0; i < e->nfield; i++)
      json_array_append_new(errs, json_pack("{s:s, s:s}", "pointer", e->field[i].pointer,
                                            "detail", e->field[i].detail));
    json_object_set_new(p, "errors", errs);
  }
  return p;
}
